import type { Config } from './config';
import type { Orm } from './db/orm';
import type { Logger } from './log';
import type { HubnetPubSub } from './pubsub';
import type { Authenticator } from './viewer';

/**
 * The few long-lived things the service holds; everything per request lives in Ctx. Capabilities
 * that hold a long-lived service of their own (the token signer, the login limiter, the
 * notification runtime) add it here by declaration merging next to its type; the composition
 * root (src/app/boot.ts) builds the whole object.
 */
export interface App {
  config: Config;
  orm: Orm;
  log: Logger;
  pubsub: HubnetPubSub;
  /** Bearer tokens to viewers, for every transport. */
  auth: Authenticator;
  /** Deactivation closes the user's sockets at once; the HTTP layer registers how. */
  onUserDeactivated: Set<(userId: string) => void>;
  /** A password change ends the user's tokens; their open sockets close at once (the HTTP layer registers how). */
  onCredentialsChanged: Set<(userId: string) => void>;
}
