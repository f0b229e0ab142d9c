import { SignJWT } from 'jose';
import { TokenService } from '../../src/auth/tokens';

/**
 * A verified token is remembered (its signature is not checked again on every request): these
 * hold the remembered answer to what a full check would say.
 */
const SECRET = 'tokens-test-secret-0123456789abcdef';
const key = new TextEncoder().encode(SECRET);
const sign = (claims: Record<string, unknown>, exp: string | number, extra: (j: SignJWT) => SignJWT = (j) => j) =>
  extra(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').setIssuer('hubnet').setIssuedAt().setExpirationTime(exp)).sign(key);

/** Moves the clock, for this module's checks and jose's alike (promises keep running). */
function clockAt(ms: number): void {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  jest.setSystemTime(ms);
}
afterEach(() => jest.useRealTimers());

test('a token verified once reads the same when remembered, and stops working when it expires', async () => {
  const tokens = new TokenService(SECRET);
  const nowS = Math.floor(Date.now() / 1000);
  const token = await sign({ org: 'org-1', gen: 2 }, nowS + 60);
  const first = await tokens.verify(token);
  expect(first).toEqual({ userId: 'user-1', generation: 2, expiresAt: (nowS + 60) * 1000 });
  expect(await tokens.verify(token)).toEqual(first);
  // Past its expiry, the remembered token is refused as a fresh check would refuse it.
  clockAt((nowS + 61) * 1000);
  expect(await tokens.verify(token)).toBeNull();
  expect(await tokens.verify(token)).toBeNull();
});

test('a token that differs by one character from a remembered one is checked in full, and refused', async () => {
  const tokens = new TokenService(SECRET);
  const token = await sign({ org: 'org-1' }, '1h');
  expect(await tokens.verify(token)).not.toBeNull();
  // The signature's first character: every one of its bits is signature. (The last character of
  // a 32-byte signature carries two unused bits, so changing only those leaves the same bytes.)
  const at = token.lastIndexOf('.') + 1;
  const changed = token[at] === 'A' ? 'B' : 'A';
  expect(await tokens.verify(token.slice(0, at) + changed + token.slice(at + 1))).toBeNull();
  // Signed with another secret, the same claims are refused.
  const other = await new SignJWT({ org: 'org-1' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuer('hubnet')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('another-secret-0123456789abcdefgh'));
  expect(await tokens.verify(other)).toBeNull();
});

test('a token not yet valid is refused, and accepted once its time has come', async () => {
  const tokens = new TokenService(SECRET);
  const nowS = Math.floor(Date.now() / 1000);
  const soon = await sign({ org: 'org-1' }, nowS + 3600, (j) => j.setNotBefore(nowS + 30));
  expect(await tokens.verify(soon)).toBeNull();
  clockAt((nowS + 31) * 1000);
  expect(await tokens.verify(soon)).not.toBeNull();
});

test('the remembered tokens are bounded: the oldest are forgotten, and still verify when seen again', async () => {
  const tokens = new TokenService(SECRET);
  const first = await sign({ org: 'org-1', n: 0 }, '1h');
  expect(await tokens.verify(first)).not.toBeNull();
  for (let i = 1; i <= 10_000; i++) await tokens.verify(await sign({ org: 'org-1', n: i }, '1h'));
  const remembered = (tokens as unknown as { verified: Map<string, unknown> }).verified;
  expect(remembered.size).toBe(10_000);
  expect(remembered.has(first)).toBe(false);
  expect(await tokens.verify(first)).not.toBeNull();
});
