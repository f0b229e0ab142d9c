import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Failed logins are limited per account name and per client address. The account key is the
 * email as typed, whether or not such an account exists, so the limiter reveals nothing.
 * With REDIS_URL the counters are shared by every replica.
 */
export const LOGIN_LIMITS = { perAccount: 5, perAddress: 50, windowSeconds: 15 * 60 } as const;

export class LoginLimiter {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;
  private readonly redis: Redis | null;

  constructor(redisUrl?: string, keyPrefix = '') {
    this.redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false }) : null;
    const make = (name: string, points: number) =>
      this.redis
        ? new RateLimiterRedis({ storeClient: this.redis, keyPrefix: keyPrefix + name, points, duration: LOGIN_LIMITS.windowSeconds, insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration: LOGIN_LIMITS.windowSeconds }) })
        : new RateLimiterMemory({ keyPrefix: name, points, duration: LOGIN_LIMITS.windowSeconds });
    this.byAccount = make('login_fail_account', LOGIN_LIMITS.perAccount);
    this.byAddress = make('login_fail_address', LOGIN_LIMITS.perAddress);
  }

  /** True when either counter is spent: refuse before checking the password at all. */
  async blocked(account: string, address: string | null): Promise<boolean> {
    const [a, b] = await Promise.all([this.byAccount.get(accountKey(account)), address ? this.byAddress.get(address) : null]);
    return (a?.consumedPoints ?? 0) >= LOGIN_LIMITS.perAccount || (b?.consumedPoints ?? 0) >= LOGIN_LIMITS.perAddress;
  }

  async failed(account: string, address: string | null): Promise<void> {
    await Promise.all([
      this.byAccount.penalty(accountKey(account), 1),
      address ? this.byAddress.penalty(address, 1) : Promise.resolve(),
    ]);
  }

  /** A successful login clears its account's failures (not the address's). */
  async succeeded(account: string): Promise<void> {
    await this.byAccount.delete(accountKey(account));
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}
