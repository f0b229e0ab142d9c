import { sqlOne } from '../platform/db/sql';
import { idOf } from '../platform/graphql/ids';
import { type Problems, UserErrorCode } from '../platform/graphql/user-errors';
import type { Tx } from '../platform/mutation';

/**
 * An input naming a staff member (a constellation's liaison worker, a household's supervising
 * social worker): an active, non-carer user of the viewer's organisation. undefined leaves the
 * field as it is, null clears it; anything else not found is NOT_FOUND on `field`.
 */
export async function activeStaffMember(tx: Tx, p: Problems, globalId: string | null | undefined, field: string[]): Promise<string | null | undefined> {
  if (globalId === undefined) return undefined;
  if (globalId === null) return null;
  const id = idOf('User', globalId);
  const row = id && (await sqlOne(tx.em, `select id from app_user where id = $1 and organisation_id = $2 and role <> 'CARER' and active`, [id, tx.viewer.organisationId]));
  if (!row) p.add(UserErrorCode.NOT_FOUND, 'No such staff member.', field);
  return row ? row.id : undefined;
}
