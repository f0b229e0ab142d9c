import { Arg, Ctx as GqlCtx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Ctx } from '../platform/context';
import { viewerOf } from '../platform/graphql/guards';
import { DateTimeScalar } from '../platform/graphql/scalars';
import { User } from '../users/user.entity';
import { userById } from '../users/user.loaders';
import { AuditEvent } from './audit-event.entity';
import { listAuditEvents } from './audit.service';
import { AuditEventConnection } from './audit.types';

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'ADMIN and FOSTERING_MANAGER only.' })
  auditEvents(
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('subjectId', () => ID, { nullable: true }) subjectId?: string,
  ) {
    return listAuditEvents(ctx, viewerOf(ctx), { first, after, subjectId });
  }

  @FieldResolver(() => DateTimeScalar)
  at(@Root() e: AuditEvent) {
    return e.at;
  }

  @FieldResolver(() => User, { nullable: true })
  actor(@Root() e: AuditEvent, @GqlCtx() ctx: Ctx) {
    return e.actor?.id ? userById(ctx).load(e.actor.id) : null;
  }

  @FieldResolver(() => ID, { description: 'Global ID of the entity acted on.' })
  subjectId(@Root() e: AuditEvent) {
    return e.subjectId;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Redacted summary of the change as JSON: changed field names and ids, never personal free text.' })
  summary(@Root() e: AuditEvent) {
    return e.summary == null ? null : JSON.stringify(e.summary);
  }
}
