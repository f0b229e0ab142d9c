import { mapRow } from '../platform/db/rows';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TokenService } from './tokens';
import { sqlOne } from '../platform/db/sql';
import { User } from '../users/user.entity';
import { verifyPassword } from './passwords';

/** Checks credentials; the same answer for an unknown email, a wrong password and an inactive user. */
export async function login(em: EntityManager, tokens: TokenService, email: string, password: string): Promise<{ token: string; user: User } | null> {
  const row = await sqlOne(em, `select id, organisation_id, email, name, role, active, password_hash, created_at, deactivated_at, token_generation from app_user where email = $1`, [
    email.trim().toLowerCase().slice(0, 320),
  ]);
  const ok = await verifyPassword(row?.active ? row.password_hash : null, password);
  if (!ok || !row) return null;
  const { token_generation: generation, password_hash: _h, ...rest } = row;
  const user = mapRow(em, User, rest);
  return { token: await tokens.issue(user.id, row.organisation_id, generation), user };
}
