import { isManager, type Viewer } from '../auth/viewer';
import type { Ctx } from '../platform/context';
import { findRows } from '../platform/db/rows';
import { sqlOne } from '../platform/db/sql';
import { readPage, toConnection, type PageArgs } from '../platform/graphql/connection';
import { badUserInput, forbidden } from '../platform/graphql/errors';
import { fromGlobalId } from '../platform/graphql/ids';
import { AuditEvent } from './audit-event.entity';

/** The organisation's audit trail, newest first; ADMIN and FOSTERING_MANAGER only. */
export async function listAuditEvents(ctx: Ctx, v: Viewer, args: PageArgs & { subjectId?: string | null }) {
  if (!isManager(v)) throw forbidden('Only an administrator or fostering manager can read the audit trail.');
  const page = readPage(args, ['timestamptz', 'uuid']);
  if (args.subjectId != null && !fromGlobalId(args.subjectId)) throw badUserInput('subjectId is not an ID.');
  const where = `e.organisation_id = $1 and ($2::text is null or e.subject_id = $2)`;
  const params = [v.organisationId, args.subjectId ?? null];
  const after = page.after as [string, string] | null;
  const rows = await findRows(
    ctx.em,
    AuditEvent,
    `select e.* from audit_event e where ${where}
       and ($3::timestamptz is null or (e.at, e.id) < ($3::timestamptz, $4::uuid))
     order by e.at desc, e.id desc limit $5`,
    [...params, after?.[0] ?? null, after?.[1] ?? null, page.limit + 1],
  );
  return toConnection(
    rows,
    page,
    (e) => [new Date(e.at).toISOString(), e.id],
    (e) => e,
    async () => (await sqlOne(ctx.em, `select count(*)::int n from audit_event e where ${where}`, params)).n,
  );
}
