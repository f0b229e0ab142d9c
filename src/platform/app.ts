import type { LoginLimiter } from '../auth/login-limiter';
import type { TokenService } from '../auth/tokens';
import type { NotificationRuntime } from '../notifications/worker';
import type { Config } from './config';
import type { Orm } from './db/orm';
import type { Logger } from './log';
import type { HubnetPubSub } from './pubsub';

/** The few long-lived things the service holds; everything per request lives in Ctx. */
export interface App {
  config: Config;
  orm: Orm;
  log: Logger;
  tokens: TokenService;
  loginLimiter: LoginLimiter;
  pubsub: HubnetPubSub;
  /** Deactivation closes the user's sockets at once; the HTTP layer registers how. */
  onUserDeactivated: Set<(userId: string) => void>;
  /** A password change ends the user's tokens; their open sockets close at once (the HTTP layer registers how). */
  onCredentialsChanged: Set<(userId: string) => void>;
  /** The notification queue, and the delivery worker when this process runs it. */
  notifications: NotificationRuntime;
}
