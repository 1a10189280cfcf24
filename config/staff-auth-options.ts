import type { TStaffUser } from './load-staff-users';
import type { TOidcRoleMapping } from '../domain/map-oidc-access';

/** Staff sign-in through the district's OpenID Connect provider. */
export interface TOidcOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registered with the provider; ends in /dashboard/oidc/callback. */
  redirectUrl: string;
  roleMapping: TOidcRoleMapping;
  /** The sign-in button's words. */
  label: string;
}

/** What the dashboard's staff sign-in needs: config/load-staff-auth.ts reads it, server/dashboard uses it. */
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
  /** Staff sign-in with the district's OpenID Connect provider, beside the accounts above. */
  oidc?: TOidcOptions;
  /** Failed authentications allowed per address and per account (AUTH_THROTTLE_LIMITS by default). */
  throttleLimits?: TAuthThrottleLimits;
}

/** Failed authentications allowed per client address and per account within each window. */
export interface TAuthThrottleLimits {
  perAddress: { failures: number; windowMs: number };
  perAccount: { failures: number; windowMs: number };
}
