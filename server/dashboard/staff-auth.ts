import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TStaffUser } from '../../config/load-staff-users';
import { hashStaffPassword, verifyStaffPassword } from '../../security/staff-password';
import { issueStaffSession, readStaffSession, STAFF_SESSION_COOKIE } from '../../security/staff-session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member on dashboard and API routes. */
    staff: TStaffUser | null;
  }
}

export interface TStaffAuthOptions {
  users: TStaffUser[];
  sessionSecret: string;
  /** Mark the cookie Secure (when the public URL is https). */
  secureCookies: boolean;
  /**
   * The origin of CPO_PUBLIC_URL (`https://partners.district.example`), where staff reach the dashboard through the
   * district's proxy: a POST from that origin is same-site whatever Host the proxy passes on.
   */
  publicOrigin?: string;
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

export function createStaffAuth(options: TStaffAuthOptions) {
  const byUsername = new Map(options.users.map((user) => [user.username, user]));

  function checkPassword(username: string, password: string): TStaffUser | null {
    const user = byUsername.get(username);
    const ok = verifyStaffPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    return ok && user ? user : null;
  }

  /** The signed-in staff member: a session cookie (pages) or HTTP Basic credentials (API clients such as curl). */
  function identify(request: FastifyRequest): TStaffUser | null {
    const session = readStaffSession(options.sessionSecret, readCookie(request.headers.cookie, STAFF_SESSION_COOKIE), Date.now());
    if (session) return byUsername.get(session.username) ?? null;
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    if (!basic) return null;
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
  }

  // HttpOnly: scripts cannot read it; SameSite=Strict: other sites cannot make a browser send it.
  const cookie = (value: string, maxAgeSeconds: number): string =>
    `${STAFF_SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${options.secureCookies ? '; Secure' : ''}`;

  function signIn(reply: FastifyReply, user: TStaffUser): void {
    reply.header('Set-Cookie', cookie(issueStaffSession(options.sessionSecret, user.username, Date.now(), SESSION_LIFETIME_MS), SESSION_LIFETIME_MS / 1000));
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

  return { checkPassword, identify, signIn, signOut, isCrossSite };
}
export type TStaffAuth = ReturnType<typeof createStaffAuth>;
