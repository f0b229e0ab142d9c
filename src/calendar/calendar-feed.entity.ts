import { Entity, ManyToOne, OneToOne, Property } from '@mikro-orm/core';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../users/user.entity';

/**
 * A user's private iCalendar URL: at most one per user, so issuing a new one replaces (kills) the
 * old. Only the sha256 of the token is kept; the token itself is shown once, in the URL.
 */
@Entity({ tableName: 'calendar_feed' })
export class CalendarFeed {
  @OneToOne({ entity: () => User, primary: true, owner: true })
  user!: User;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
