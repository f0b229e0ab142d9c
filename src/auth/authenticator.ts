import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlOne } from '../platform/db/sql';
import type { Authenticator } from '../platform/viewer';
import type { TokenService } from './tokens';
import { loadViewer } from './viewer';

/** The platform's view of authentication, answered from this module's tokens and app_user rows. */
export function createAuthenticator(tokens: TokenService): Authenticator {
  return {
    verify: (token) => tokens.verify(token),
    loadViewer,
    async standing(em: EntityManager, userId: string) {
      const user = await sqlOne(em, `select active, token_generation from app_user where id = $1`, [userId]);
      return user ? { active: user.active as boolean, generation: user.token_generation as number } : null;
    },
  };
}
