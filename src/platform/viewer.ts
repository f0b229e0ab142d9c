import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Who is asking. The platform needs only whose request it is and in which organisation (audit,
 * idempotency keys); the auth module adds everything authorisation needs by declaration merging
 * (src/auth/viewer.ts), so every layer sees one exact type without the platform importing it.
 */
export interface Viewer {
  userId: string;
  organisationId: string;
}

/** What a valid token says: whose it is, of which credentials generation, and until when it holds. */
export interface TokenClaims {
  userId: string;
  /** app_user.token_generation when it was issued; a password change moves the user's on. */
  generation: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * How a bearer token becomes a viewer. The transports (HTTP, WebSocket, subscription events) ask
 * through this; the composition root plugs in the auth module's implementation.
 */
export interface Authenticator {
  /** The claims of a token whose signature and expiry hold, or null. */
  verify(token: string): Promise<TokenClaims | null>;
  /**
   * The viewer for an active user; with `generation` (a token's), only while the user's
   * credentials are still of that generation.
   */
  loadViewer(em: EntityManager, userId: string, generation?: number | null): Promise<Viewer | null>;
  /** Whether the user is still active and their current credentials generation; null for no such user. */
  standing(em: EntityManager, userId: string): Promise<{ active: boolean; generation: number } | null>;
}
