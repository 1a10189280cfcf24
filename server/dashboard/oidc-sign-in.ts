import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type * as oidc from 'openid-client' with { 'resolution-mode': 'import' };
import { z } from 'zod';
import { mapOidcAccess } from '../../domain/map-oidc-access';
import { createPurposeToken, verifyPurposeToken } from '../../security/purpose-token';
import { dashboardPage } from './pages/dashboard-layout';
import { h, notice } from './pages/components';
import { safeNext } from './register-pages';
import type { TOidcOptions } from '../../config/staff-auth-options';
import { readCookie, tooManyFailures, type TStaffAuth } from './staff-auth';

/** PKCE verifier, state and nonce of one sign-in, in a signed cookie for the 10 minutes the person has at the provider. */
const PENDING_COOKIE = 'cpo_oidc';
const PENDING_LIFETIME_S = 600;
const ZPendingSchema = z.object({
  v: z.string().min(43).max(128),
  s: z.string().min(16).max(200),
  n: z.string().min(16).max(200),
  next: z.string().max(2000),
  x: z.number().int(),
});
const ZCallbackQuerySchema = z.object({
  state: z.string().max(500).optional(),
  code: z.string().max(4000).optional(),
  error: z.string().max(200).optional(),
});

/** openid-client is ESM only: loaded on first use (Node's import; jest compiles it to CommonJS). */
let client: Promise<typeof oidc> | null = null;
const loadClient = (): Promise<typeof oidc> => (client ??= import('openid-client'));

const isLoopback = (url: string): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/**
 * Staff sign-in with the district's OpenID Connect provider: authorization code with PKCE, state and nonce checked,
 * the ID token's audience, issuer and expiry checked by openid-client, the role mapped from a claim. The session
 * then carries the person's name, email and access, since they are not in the staff file.
 */
export function registerOidcSignIn(
  app: FastifyInstance,
  deps: { auth: TStaffAuth; oidc: TOidcOptions; sessionSecret: string; secureCookies: boolean },
): void {
  const settings = deps.oidc;
  let configuration: Promise<oidc.Configuration> | null = null;
  /** Discovered once; a provider that did not answer is asked again next time. */
  const discover = (): Promise<oidc.Configuration> => {
    configuration ??= loadClient()
      .then((oidc) =>
        oidc.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
          // Plain http only for a provider on this machine (tests, local trials); districts' providers are https.
          ...(isLoopback(settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
          timeout: 10,
        }),
      )
      .catch((error: unknown) => {
        configuration = null;
        throw error;
      });
    return configuration;
  };

  // SameSite=Lax: the provider sends the browser back with a top-level GET from its own site.
  const pendingCookie = (value: string, maxAge: number) =>
    `${PENDING_COOKIE}=${value}; Path=/dashboard/oidc; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${deps.secureCookies ? '; Secure' : ''}`;
  const page = (reply: FastifyReply, code: number, title: string, message: string) =>
    reply
      .code(code)
      .type('text/html')
      .send(
        dashboardPage({
          title,
          section: null,
          staff: null,
          body: `${notice(message, 'error')}<p><a href="/dashboard/login">Back to sign in</a></p>`,
        }),
      );
  const providerDown = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    request.log.warn({ oidcError: (error as Error).message }, 'identity provider did not answer');
    return page(
      reply.header('Retry-After', '60'),
      503,
      'Try again in a minute',
      'The district sign-in service did not answer. Try again in a minute, or sign in with a staff account.',
    );
  };

  /** The provider's configuration and the client, or null once the person was told to try again. */
  const connect = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ config: oidc.Configuration; oidc: typeof oidc } | null> => {
    try {
      return { config: await discover(), oidc: await loadClient() };
    } catch (error) {
      await providerDown(request, reply, error);
      return null;
    }
  };

  app.get<{ Querystring: { next?: string } }>('/dashboard/login/oidc', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const ready = await connect(request, reply);
    if (!ready) return reply;
    const { config, oidc } = ready;
    const pending = {
      v: oidc.randomPKCECodeVerifier(),
      s: oidc.randomState(),
      n: oidc.randomNonce(),
      next: safeNext(request.query.next),
      x: Math.floor(Date.now() / 1000) + PENDING_LIFETIME_S,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUrl,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.v),
      code_challenge_method: 'S256',
      state: pending.s,
      nonce: pending.n,
    });
    reply.header(
      'Set-Cookie',
      pendingCookie(createPurposeToken('oidc-sign-in', ZPendingSchema, pending, deps.sessionSecret), PENDING_LIFETIME_S),
    );
    return reply.redirect(url.href, 303);
  });

  app.get('/dashboard/oidc/callback', async (request, reply) => {
    reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
    const wait = deps.auth.throttled(request, null);
    if (wait && !wait.ok)
      return page(
        reply.header('Retry-After', String(wait.retryAfterSeconds)),
        429,
        'Too many requests',
        tooManyFailures(wait.retryAfterSeconds),
      );
    const refuse = (code: number, message: string, account: string | null = null) => {
      deps.auth.failed(request, 'oidc', account, message);
      return page(reply.header('Set-Cookie', pendingCookie('', 0)), code, 'Not signed in', message);
    };
    const query = ZCallbackQuerySchema.safeParse(request.query);
    if (!query.success) return refuse(400, 'The answer from the sign-in service is not valid. Start again from the sign-in page.');
    if (query.data.error)
      return refuse(403, `The sign-in service refused the sign-in (${query.data.error}). Start again from the sign-in page.`);
    const opened = verifyPurposeToken(
      'oidc-sign-in',
      ZPendingSchema,
      readCookie(request.headers.cookie, PENDING_COOKIE) ?? '',
      deps.sessionSecret,
      Date.now(),
    );
    if (!opened.ok)
      return refuse(400, 'This sign-in was not started here or took longer than 10 minutes. Start again from the sign-in page.');
    const pending = opened.claims;
    if (query.data.state !== pending.s)
      return refuse(
        400,
        'The sign-in answer does not belong to the sign-in started in this browser (state). Start again from the sign-in page.',
      );

    const ready = await connect(request, reply);
    if (!ready) return reply;
    const { config, oidc } = ready;
    let claims: Record<string, unknown>;
    try {
      const callbackUrl = new URL(settings.redirectUrl);
      callbackUrl.search = new URL(request.url, 'http://x').search;
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.v,
        expectedState: pending.s,
        expectedNonce: pending.n,
        idTokenExpected: true,
      });
      claims = tokens.claims() ?? {};
    } catch (error) {
      if (
        error instanceof oidc.ClientError ||
        error instanceof oidc.ResponseBodyError ||
        error instanceof oidc.AuthorizationResponseError
      ) {
        // The cause names what failed, e.g. 'unexpected JWT "aud" (audience) claim value'.
        const cause = (error as Error).cause;
        const why = cause instanceof Error ? cause.message : (error as Error).message;
        return refuse(403, `The sign-in could not be verified (${why}). Start again from the sign-in page.`);
      }
      return providerDown(request, reply, error);
    }
    const email = typeof claims.email === 'string' ? claims.email : null;
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
    if (!email || !name || claims.email_verified === false)
      return refuse(403, 'The district account has no verified email address; ask IT to add one.', email);
    const access = mapOidcAccess(settings.roleMapping, claims);
    if (!access)
      return refuse(
        403,
        `${email} has no role on this dashboard (${settings.roleMapping.claim} matches none of the configured values). Ask the Community Partnerships Office.`,
        email,
      );
    deps.auth.signIn(reply, { username: `oidc:${String(claims.sub)}`, name, email, access });
    reply.header('Set-Cookie', pendingCookie('', 0));
    request.log.info({ oidcSignIn: { email, role: access.role } }, 'staff signed in with the identity provider');
    // A page, not a redirect: the session cookie is SameSite=Strict, and a redirect in a chain the provider's site
    // started would not send it; a refresh from this page is same-site.
    const next = pending.next;
    return reply.type('text/html').send(
      dashboardPage({
        title: 'Signed in',
        section: null,
        staff: { name, access },
        body: `<meta http-equiv="refresh" content="0;url=${h(next)}"><p>Signed in. <a href="${h(next)}">Continue to the dashboard</a>.</p>`,
      }),
    );
  });
}
