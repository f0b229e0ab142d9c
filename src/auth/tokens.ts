import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import type { TokenClaims } from '../platform/viewer';
import type { LoginLimiter } from './login-limiter';

declare module '../platform/app' {
  interface App {
    /** Signs and checks bearer tokens. */
    tokens: TokenService;
    /** Counts password checks (login, changePassword) before they happen. */
    loginLimiter: LoginLimiter;
  }
}

const ISSUER = 'hubnet';
const TOKEN_LIFETIME = '12h';

/** How many verified tokens are remembered: a few per active device, far more than one replica serves at once. */
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenService {
  private readonly key: Uint8Array;
  /**
   * Tokens whose signature already checked out, with their claims, oldest first. An app sends the
   * same token with every request for hours; checking its HMAC again each time was 3 % of the hub
   * dashboard's CPU. Only the exact token string finds its entry, so nobody is answered from
   * another's; expiry is still checked on every use, and whether the user is still active and of
   * that generation is read from the database per request, as before.
   */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(userId: string, organisationId: string, generation = 0): Promise<string> {
    return new SignJWT({ org: organisationId, gen: generation })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(TOKEN_LIFETIME)
      .sign(this.key);
  }

  /**
   * The claims of a token whose signature and expiry hold, or null. Whether its user is still
   * active and still of that generation is checked against the database per operation.
   */
  async verify(token: string): Promise<TokenClaims | null> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > Date.now()) return known;
      this.verified.delete(token);
      return null;
    }
    const claims = await this.check(token);
    if (claims) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    return claims;
  }

  private async check(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
      const generation = payload.gen ?? 0;
      if (!Number.isSafeInteger(generation)) return null;
      // A token is valid from its not-before time (if any) until it expires: once it has checked
      // out, only its expiry can change the answer.
      return Object.freeze({ userId: payload.sub, generation: generation as number, expiresAt: payload.exp * 1000 });
    } catch {
      return null;
    }
  }
}

/**
 * JWT_SECRET from the environment; for the embedded default, a secret generated once and kept in
 * the data directory so tokens survive a restart. In memory mode a fresh one per process.
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  if (dataDir === 'memory') return crypto.randomBytes(32).toString('base64url');
  const file = path.join(dataDir, 'jwt-secret');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}
