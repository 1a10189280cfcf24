import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { DocumentStore } from '../../activities/storage/document-store';
import type { TCpoContext } from '../../client/context';
import { createDirectoryReader } from '../../client/search/directory-reader';
import { partnershipDirectory } from '../../client/search/partnership-directory';
import { createContractScope } from './contract-scope';
import { registerOidcSignIn } from './oidc-sign-in';
import { registerApi } from './register-api';
import { registerPages } from './register-pages';
import type { TStaffAuthOptions } from '../../config/staff-auth-options';
import { createStaffAuth } from './staff-auth';

/** The directory is read again after 30 s (in the background) and never answered older than 5 minutes. */
export const DIRECTORY_FRESHNESS = { freshForMs: 30_000, staleAfterMs: 300_000 };

/** The ops dashboard, the partnership directory and their JSON API: CPO staff only. */
export async function registerDashboard(
  app: FastifyInstance,
  deps: { context: TCpoContext; documents: DocumentStore; staff: TStaffAuthOptions },
): Promise<void> {
  const auth = createStaffAuth(deps.staff);
  const readDirectory = createDirectoryReader((search) => partnershipDirectory(deps.context, search), DIRECTORY_FRESHNESS);
  const scopeClauses = createContractScope(deps.context);
  await app.register(async (staffArea) => {
    // Generous for people and the live refresh; the sign-in form has its own, stricter limit.
    await staffArea.register(rateLimit, { max: 600, timeWindow: '1 minute' });
    staffArea.addHook('onSend', async (_request, reply) => {
      reply.header('X-Frame-Options', 'DENY');
      reply.header(
        'Content-Security-Policy',
        "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      );
    });
    staffArea.get('/', async (_request, reply) => reply.redirect('/dashboard', 303));
    await registerApi(staffArea, { context: deps.context, documents: deps.documents, auth, readDirectory, scopeClauses });
    await registerPages(staffArea, { context: deps.context, auth, readDirectory, scopeClauses, oidcLabel: deps.staff.oidc?.label });
    if (deps.staff.oidc)
      registerOidcSignIn(staffArea, {
        auth,
        oidc: deps.staff.oidc,
        sessionSecret: deps.staff.sessionSecret,
        secureCookies: deps.staff.secureCookies,
      });
  });
}
