import type { EntityManager } from '@mikro-orm/postgresql';
import { MembershipRole } from '../constellations/enums';
import { sqlOne } from '../platform/db/sql';
import { todayLondon } from '../platform/time';
import type { Viewer } from '../platform/viewer';
import { USER_COLUMNS } from '../users/user.entity';
import { MANAGER_ROLES, ORG_WIDE_ROLES, Role, STAFF_ROLES } from './roles';

export type { Viewer } from '../platform/viewer';

declare module '../platform/viewer' {
  /**
   * Who is asking, with everything authorisation needs, loaded in one statement per request.
   * Hub and liaison rights are not roles: they follow from the household and the assignments.
   */
  interface Viewer {
    role: Role;
    name: string;
    /** CARER only: their carer record and household. */
    carerId: string | null;
    householdId: string | null;
    /** The constellation the viewer's household belongs to today, and as what. */
    memberConstellationId: string | null;
    memberRole: MembershipRole | null;
    /** Constellations this user is the named liaison worker of. */
    liaisonConstellationIds: string[];
    /** The viewer's own app_user row (as `userById` selects it), so `me` costs no second statement. */
    self: Record<string, unknown>;
  }
}

/**
 * The viewer for an active user; with `generation` (a token's), only while the user's credentials
 * are still of that generation — a password change ends every token issued before it.
 */
export async function loadViewer(em: EntityManager, userId: string, generation: number | null = null): Promise<Viewer | null> {
  const row = await sqlOne(
    em,
    `select ${USER_COLUMNS},
            c.id as carer_id, c.household_id,
            m.constellation_id as member_constellation_id, m.role as member_role,
            coalesce((select array_agg(k.id) from constellation k
                       where k.liaison_worker_id = u.id and k.organisation_id = u.organisation_id), '{}') as liaison_ids
       from app_user u
       left join carer c on c.user_id = u.id
       left join constellation_membership m on m.household_id = c.household_id and m.period @> $2::date
      where u.id = $1 and u.active and ($3::int is null or u.token_generation = $3::int)`,
    [userId, todayLondon(), generation],
  );
  if (!row) return null;
  return {
    userId: row.id,
    organisationId: row.organisation_id,
    role: row.role,
    name: row.name,
    carerId: row.carer_id ?? null,
    householdId: row.role === Role.CARER ? (row.household_id ?? null) : null,
    memberConstellationId: row.role === Role.CARER ? (row.member_constellation_id ?? null) : null,
    memberRole: row.role === Role.CARER ? (row.member_role ?? null) : null,
    liaisonConstellationIds: row.liaison_ids ?? [],
    self: {
      id: row.id,
      organisation_id: row.organisation_id,
      email: row.email,
      name: row.name,
      role: row.role,
      active: row.active,
      created_at: row.created_at,
      deactivated_at: row.deactivated_at,
    },
  };
}

/** Staff: administrators, fostering managers, supervising social workers and liaison workers. */
export function isStaff(v: Viewer): boolean {
  return STAFF_ROLES.includes(v.role);
}

/** Staff who read across the whole organisation (a liaison worker sees only their constellations). */
export function isOrgWide(v: Viewer): boolean {
  return ORG_WIDE_ROLES.includes(v.role);
}

/** Administrators and fostering managers. */
export function isManager(v: Viewer): boolean {
  return MANAGER_ROLES.includes(v.role);
}

export function isCarer(v: Viewer): boolean {
  return v.role === Role.CARER;
}

/** The constellation whose hub household the viewer cares in, today. */
export function hubConstellationOf(v: Viewer): string | null {
  return v.role === Role.CARER && v.memberRole === MembershipRole.HUB ? v.memberConstellationId : null;
}

export function isHubCarerOf(v: Viewer, constellationId: string): boolean {
  return hubConstellationOf(v) === constellationId;
}

export function isLiaisonFor(v: Viewer, constellationId: string): boolean {
  return v.liaisonConstellationIds.includes(constellationId);
}

/** Runs a constellation day to day: its hub carer, its liaison worker, or a manager. */
export function runsConstellation(v: Viewer, constellationId: string): boolean {
  return isManager(v) || isHubCarerOf(v, constellationId) || isLiaisonFor(v, constellationId);
}

/** Constellations a liaison worker or carer is confined to; null means the whole organisation. */
export function constellationScope(v: Viewer): string[] | null {
  if (isOrgWide(v)) return null;
  if (v.role === Role.LIAISON_WORKER) return v.liaisonConstellationIds;
  const own = v.memberConstellationId ? [v.memberConstellationId] : [];
  return [...new Set([...own, ...v.liaisonConstellationIds])];
}
