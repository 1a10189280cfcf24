import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';

/** The accounts of the test provider: its dev login form takes the account name and any password. */
export const OIDC_ACCOUNTS: Record<string, { name: string; groups: string[] }> = {
  olive: { name: 'Olive Office', groups: ['cpo-office', 'all-staff'] },
  vic: { name: 'Vic Viewer', groups: ['all-staff', 'board-readers'] },
  nobody: { name: 'No Role', groups: ['all-staff'] },
};
export const OIDC_CLIENT = { clientId: 'cpo-dashboard', clientSecret: 'a-client-secret-for-the-test-provider-0123456789' };

export interface TTestOidcProvider {
  issuer: string;
  /** Registers the dashboard's callback once the dashboard listens (its port is known only then). */
  start(redirectUrl: string): void;
  /** From now on the ID token names another application as its audience (re-signed with the provider's key). */
  issueForAnotherAudience(on: boolean): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on loopback: authorization code with PKCE required, ID tokens signed
 * with its own RS256 key, the `groups` claim in the ID token.
 */
export async function startTestOidcProvider(): Promise<TTestOidcProvider> {
  // Both are ESM only: imported (jest compiles them to CommonJS, see jest.config.js).
  const { decodeJwt, exportJWK, generateKeyPair, SignJWT } = await import('jose');
  const { default: OidcProvider } = await import('oidc-provider');
  let provider: Provider | undefined;
  let anotherAudience = false;
  const server = http.createServer((request, response) => {
    if (!provider) return void response.writeHead(503).end();
    return provider.callback()(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

  return {
    issuer,
    start(redirectUrl) {
      provider = new OidcProvider(issuer, {
        clients: [
          {
            client_id: OIDC_CLIENT.clientId,
            client_secret: OIDC_CLIENT.clientSecret,
            redirect_uris: [redirectUrl],
            response_types: ['code'],
            grant_types: ['authorization_code'],
          },
        ],
        jwks: { keys: [jwk] },
        cookies: { keys: ['test-provider-cookie-key-0123456789'] },
        pkce: { required: () => true },
        conformIdTokenClaims: false,
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
        features: { devInteractions: { enabled: true } },
        // The provider awaits both, so plain values do.
        findAccount: (_context: unknown, id: string) => ({
          accountId: id,
          claims: () => ({
            sub: id,
            email: `${id}@district.example`,
            email_verified: true,
            name: OIDC_ACCOUNTS[id]?.name ?? id,
            groups: OIDC_ACCOUNTS[id]?.groups ?? [],
          }),
        }),
      });
      provider.use(async (context, next) => {
        await next();
        const body = context.body as { id_token?: string } | undefined;
        if (!anotherAudience || context.path !== '/token' || !body?.id_token) return;
        const claims = decodeJwt(body.id_token);
        const idToken = await new SignJWT({ ...claims, aud: 'another-application' })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .sign(privateKey);
        context.body = { ...body, id_token: idToken };
      });
    },
    issueForAnotherAudience(on) {
      anotherAudience = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
