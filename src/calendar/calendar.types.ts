import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../platform/graphql/user-errors';

@ObjectType()
export class CalendarFeedPayload {
  @Field(() => String, { nullable: true, description: "Private iCalendar URL of the viewer's sessions and sleepovers; issuing a new one revokes the old." })
  url?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class RevokePayload {
  @Field(() => Boolean) revoked!: boolean;
  @Field(() => [UserError]) userErrors!: UserError[];
}
