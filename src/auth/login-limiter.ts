import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Password checks (login, and changePassword by a signed-in user) are limited, and every attempt
 * is counted *before* the password is verified: however many arrive at once, no more than the
 * limit are ever checked.
 *
 * Logins are counted three ways. Per account and address, tightly: one address gets a few tries
 * at one account. Per address, across accounts: one address cannot spray many accounts. Per
 * account across addresses, loosely: spread guessing still stops, yet one address alone (which
 * its pair limit stops after `perAccountAddress` tries) can never lock a carer out of their own
 * account from another address. The account key is the email as typed, whether or not such an
 * account exists, so the limiter reveals nothing. With REDIS_URL the counters are shared by every
 * replica.
 */
export const LOGIN_LIMITS = {
  perAccountAddress: 5,
  perAccount: 50,
  perAddress: 50,
  /** changePassword, per user: a stolen token must not become a way to guess the password. */
  perUserPasswordChange: 5,
  windowSeconds: 15 * 60,
} as const;

export class LoginLimiter {
  private readonly byAccountAddress: RateLimiterAbstract;
  private readonly byAccount: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;
  private readonly byUserPasswordChange: RateLimiterAbstract;
  private readonly redis: Redis | null;

  constructor(redisUrl?: string, keyPrefix = '') {
    this.redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false }) : null;
    const make = (name: string, points: number) =>
      this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            keyPrefix: keyPrefix + name,
            points,
            duration: LOGIN_LIMITS.windowSeconds,
            insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration: LOGIN_LIMITS.windowSeconds }),
          })
        : new RateLimiterMemory({ keyPrefix: name, points, duration: LOGIN_LIMITS.windowSeconds });
    this.byAccountAddress = make('login_try_account_address', LOGIN_LIMITS.perAccountAddress);
    this.byAccount = make('login_try_account', LOGIN_LIMITS.perAccount);
    this.byAddress = make('login_try_address', LOGIN_LIMITS.perAddress);
    this.byUserPasswordChange = make('password_change_try_user', LOGIN_LIMITS.perUserPasswordChange);
  }

  /**
   * Takes one login attempt, or refuses it (false) when a counter is spent. The narrowest counter
   * goes first, and a refused attempt takes nothing from the wider ones: an address that has
   * spent its tries at an account adds nothing more to that account's count.
   */
  async tryLogin(account: string, address: string | null): Promise<boolean> {
    const key = accountKey(account);
    const addr = address ?? 'unknown';
    if (!(await take(this.byAccountAddress, `${key}|${addr}`))) return false;
    if (!(await take(this.byAddress, addr))) return false;
    return take(this.byAccount, key);
  }

  /** A successful login gives its attempt back, and clears the tries of that account from that address. */
  async loginSucceeded(account: string, address: string | null): Promise<void> {
    const key = accountKey(account);
    const addr = address ?? 'unknown';
    await Promise.all([this.byAccountAddress.delete(`${key}|${addr}`), this.byAccount.reward(key, 1), this.byAddress.reward(addr, 1)]);
  }

  /** Takes one changePassword attempt for the user, or refuses it (false). */
  async tryPasswordChange(userId: string): Promise<boolean> {
    return take(this.byUserPasswordChange, userId);
  }

  async passwordChanged(userId: string): Promise<void> {
    await this.byUserPasswordChange.delete(userId);
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

async function take(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key, 1);
    return true;
  } catch (err) {
    if (err instanceof RateLimiterRes) return false;
    throw err;
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}
