import { Role } from '../auth/roles';
import { isStaff, type Viewer } from '../auth/viewer';
import type { User } from './user.entity';

/** Creating and deactivating logins: administrators only. */
export function mayManageUsers(v: Viewer): boolean {
  return v.role === Role.ADMIN;
}

/**
 * Which fields of a user the viewer may read. Whom the viewer may reach at all is decided in SQL
 * (userVisible in src/auth/scope.ts); these rules withhold fields of users already reached.
 */

/** Staff always; carers read staff addresses and their own, never another carer's. */
export function canSeeEmail(v: Viewer | null, user: User): boolean {
  if (!v) return false;
  return isStaff(v) || user.id === v.userId || user.role !== Role.CARER;
}
