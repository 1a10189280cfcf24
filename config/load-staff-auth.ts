import path from 'node:path';
import type { TStaffAuthOptions } from './staff-auth-options';
import { ConfigError, type TEnv } from './env';
import { ensureDevelopmentStaffFile, loadStaffUsers } from './load-staff-users';
import { loadSigningSecret } from './signing-secret';

/**
 * Who may use the dashboard. Production names its staff file; the embedded default makes one account in the data
 * folder and reports its generated password once.
 */
export function loadStaffAuth(env: TEnv, log: (line: string) => void = () => undefined): TStaffAuthOptions {
  let file = env.CPO_STAFF_FILE;
  if (!file) {
    if (env.CPO_MODE === 'production') {
      throw new ConfigError(
        'Invalid configuration: CPO_STAFF_FILE is required when CPO_MODE=production (see docs/dashboard-and-api.md, "Staff sign-in")',
      );
    }
    file = path.join(env.CPO_DATA_DIR, 'staff.json');
    const created = ensureDevelopmentStaffFile(file);
    if (created.created) log(`Dashboard account created in ${file}: username ${created.username}, password ${created.password}`);
  }
  return {
    users: loadStaffUsers(file),
    // Sessions are MACed with the signing secret under their own prefix, so neither can pass as the other.
    sessionSecret: loadSigningSecret(env),
    secureCookies: env.CPO_PUBLIC_URL.startsWith('https:'),
    publicOrigin: new URL(env.CPO_PUBLIC_URL).origin,
    // parseEnv has checked that the issuer comes with every other setting.
    ...(env.CPO_OIDC_ISSUER
      ? {
          oidc: {
            issuer: env.CPO_OIDC_ISSUER,
            clientId: env.CPO_OIDC_CLIENT_ID!,
            clientSecret: env.CPO_OIDC_CLIENT_SECRET!,
            redirectUrl: env.CPO_OIDC_REDIRECT_URL!,
            roleMapping: env.CPO_OIDC_ROLE_MAPPING!,
            label: env.CPO_OIDC_LABEL,
          },
        }
      : {}),
  };
}
