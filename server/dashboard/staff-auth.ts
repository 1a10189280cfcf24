import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashStaffPassword, verifyStaffPassword } from '../../security/staff-password';
import { issueStaffSession, readStaffSession, STAFF_SESSION_COOKIE } from '../../security/staff-session';
import { createAuthThrottle } from './auth-throttle';
import type { TStaffAuthOptions } from '../../config/staff-auth-options';
import type { TSignedInStaff } from './require-access';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member on dashboard and API routes. */
    staff: TSignedInStaff | null;
  }
}

const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;

/** The value of one cookie of a Cookie header (session values are base64url, never quoted or encoded). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Compared against when the username is unknown, so a wrong name takes as long as a wrong password. */
const UNKNOWN_USER_HASH = hashStaffPassword('not-a-staff-password');

/** Signed in; or not, and how long to wait when failures from this address or for this account ran out (429). */
export type TAuthAttempt = { ok: true; staff: TSignedInStaff } | { ok: false; retryAfterSeconds: number };
export type TAuthPath = 'sign-in form' | 'basic' | 'oidc';
export const tooManyFailures = (seconds: number): string =>
  `Too many failed sign-ins from this address or for this account. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;

export function createStaffAuth(options: TStaffAuthOptions) {
  const byUsername = new Map(options.users.map((user) => [user.username, user]));
  const throttle = createAuthThrottle(options.throttleLimits);

  /** Logged without the password (or anything else the person sent), for whoever watches for guessing. */
  function failed(request: FastifyRequest, via: TAuthPath, account: string | null, reason: string): TAuthAttempt {
    throttle.recordFailure(request.ip, account);
    request.log.warn({ authFailure: { via, account, address: request.ip, reason } }, 'staff authentication failed');
    return { ok: false, retryAfterSeconds: 0 };
  }

  /** A throttled attempt is answered before the password is checked (no scrypt work for a guesser). */
  function throttled(request: FastifyRequest, account: string | null): TAuthAttempt | null {
    const retryAfterSeconds = throttle.retryAfterSeconds(request.ip, account);
    return retryAfterSeconds > 0 ? { ok: false, retryAfterSeconds } : null;
  }

  function checkPassword(request: FastifyRequest, via: TAuthPath, username: string, password: string): TAuthAttempt {
    const wait = throttled(request, username);
    if (wait) return wait;
    const user = byUsername.get(username);
    const ok = verifyStaffPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    return ok && user ? { ok: true, staff: user } : failed(request, via, username, 'wrong username or password');
  }

  /** The signed-in staff member: a session cookie (pages) or HTTP Basic credentials (API clients such as curl). */
  function identify(request: FastifyRequest): TAuthAttempt {
    const session = readStaffSession(options.sessionSecret, readCookie(request.headers.cookie, STAFF_SESSION_COOKIE), Date.now());
    if (session) {
      const staff = session.identity ? { username: session.username, ...session.identity } : byUsername.get(session.username);
      if (staff) return { ok: true, staff };
    }
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    if (!basic) return { ok: false, retryAfterSeconds: 0 };
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return throttled(request, null) ?? failed(request, 'basic', null, 'malformed Basic credentials');
    return checkPassword(request, 'basic', decoded.slice(0, colon), decoded.slice(colon + 1));
  }

  // HttpOnly: scripts cannot read it; SameSite=Strict: other sites cannot make a browser send it.
  const cookie = (value: string, maxAgeSeconds: number): string =>
    `${STAFF_SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${options.secureCookies ? '; Secure' : ''}`;

  /** A staff-file account's session names it; an identity-provider user's carries who they are. */
  function signIn(reply: FastifyReply, staff: TSignedInStaff): void {
    const { username, ...identity } = staff;
    const carried = byUsername.has(username) ? undefined : { name: identity.name, email: identity.email, access: identity.access };
    reply.header(
      'Set-Cookie',
      cookie(issueStaffSession(options.sessionSecret, username, Date.now(), SESSION_LIFETIME_MS, carried), SESSION_LIFETIME_MS / 1000),
    );
  }

  function signOut(reply: FastifyReply): void {
    reply.header('Set-Cookie', cookie('', 0));
  }

  /**
   * A browser posting from another site sends its Origin; such requests are refused (no cross-site actions). Same-site
   * is the public origin, or the Host the browser addressed (a direct visit, e.g. `npm start` at localhost): neither
   * can be set by another site's page.
   */
  function isCrossSite(request: FastifyRequest): boolean {
    const origin = request.headers.origin;
    if (!origin) return false;
    if (origin === options.publicOrigin) return false;
    try {
      return new URL(origin).host !== request.headers.host;
    } catch {
      return true;
    }
  }

  return { checkPassword, identify, signIn, signOut, isCrossSite, throttled, failed };
}
export type TStaffAuth = ReturnType<typeof createStaffAuth>;
