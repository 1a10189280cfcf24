import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TCpoContext } from '../../client/context';
import { viewContract } from '../../client/contracts';
import { CpoError } from '../../client/errors';
import { viewPartner } from '../../client/partners';
import type { TDirectoryReader } from '../../client/search/directory-reader';
import { ZDirectorySearchSchema } from '../../client/search/partnership-directory';
import { pipelineBoard } from '../../client/search/pipeline-board';
import { searchContracts, ZContractSearchSchema } from '../../client/search/search-contracts';
import { searchPartners, ZPartnerSearchSchema } from '../../client/search/search-partners';
import { formatZodError, problemLines } from '../../domain/format-zod-error';
import { boardPage } from './pages/board-page';
import { notice } from './pages/components';
import { contractPage } from './pages/contract-page';
import { contractsPage } from './pages/contracts-page';
import { dashboardPage, type TDashboardSection } from './pages/dashboard-layout';
import { directoryPage, schoolPage } from './pages/directory-pages';
import { loginPage } from './pages/login-page';
import { partnerPage, partnersPage } from './pages/partner-pages';
import type { TContractScopeClauses } from './contract-scope';
import { registerContractStartPages } from './contract-start-routes';
import { registerProgramStartPages } from './program-start-routes';
import { requestOrigin } from '../request-origin';
import { CpoForbiddenError, requireContractVisible } from './require-access';
import { ACTION_NOTICES, CONTRACT_ACTIONS, PARTNER_ACTIONS, parseAction, runContractAction, runPartnerAction } from './staff-actions';
import { tooManyFailures, type TStaffAuth } from './staff-auth';

const LIVE_SCRIPT = readFileSync(path.join(__dirname, 'assets', 'live.js'), 'utf8');
export const ZLoginFormSchema = z.object({
  username: z.string().trim().min(1, 'is required').max(100),
  password: z.string().min(1, 'is required').max(200),
  next: z.string().optional(),
});
/**
 * Only a dashboard path may follow sign-in, never another site; written in URL characters only (it becomes a
 * Location header, where a line break or a character past Latin-1 is an error).
 */
export const safeNext = (next: unknown): string =>
  typeof next === 'string' && /^\/dashboard(\/[^/\\]|$|\?)/.test(next) && /^[\x21-\x7e]+$/.test(next) ? next : '/dashboard';
const noticeFor = (done: unknown): { text: string; tone: 'ok' } | undefined =>
  typeof done === 'string' && done in ACTION_NOTICES
    ? { text: ACTION_NOTICES[done as keyof typeof ACTION_NOTICES], tone: 'ok' }
    : undefined;

type TPageRequest = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string> }>;

/** The staff pages: server-rendered, refreshed in place by /dashboard/assets/live.js while someone watches. */
export async function registerPages(
  app: FastifyInstance,
  deps: {
    context: TCpoContext;
    auth: TStaffAuth;
    readDirectory: TDirectoryReader;
    scopeClauses: TContractScopeClauses;
    oidcLabel?: string | undefined;
  },
): Promise<void> {
  const { context, auth, scopeClauses } = deps;
  const timeZone = context.policy.timeZone;

  app.get('/dashboard/assets/live.js', async (_request, reply) =>
    reply.type('text/javascript').header('Cache-Control', 'max-age=300').send(LIVE_SCRIPT),
  );

  app.get<{ Querystring: { next?: string } }>('/dashboard/login', async (request, reply) =>
    reply.type('text/html').send(
      dashboardPage({
        title: 'Sign in',
        section: null,
        staff: null,
        body: loginPage({ next: safeNext(request.query.next), oidcLabel: deps.oidcLabel }),
      }),
    ),
  );
  // Few tries a minute from one address: enough for typing mistakes, too few for guessing.
  app.post('/dashboard/login', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const form = ZLoginFormSchema.safeParse(request.body ?? {});
    const next = safeNext(form.success ? form.data.next : undefined);
    const attempt = form.success ? auth.checkPassword(request, 'sign-in form', form.data.username, form.data.password) : null;
    if (!attempt?.ok) {
      const wait = attempt?.retryAfterSeconds ?? 0;
      if (wait > 0) reply.header('Retry-After', String(wait));
      const error = !form.success
        ? `Please correct: ${formatZodError(form.error)}`
        : wait > 0
          ? tooManyFailures(wait)
          : 'The username or password is not right.';
      return reply
        .code(!form.success ? 400 : wait > 0 ? 429 : 401)
        .type('text/html')
        .send(dashboardPage({ title: 'Sign in', section: null, staff: null, body: loginPage({ next, error, oidcLabel: deps.oidcLabel }) }));
    }
    auth.signIn(reply, attempt.staff);
    return reply.redirect(next, 303);
  });
  app.post('/dashboard/logout', async (_request, reply) => {
    auth.signOut(reply);
    return reply.redirect('/dashboard/login', 303);
  });

  await app.register(async (pages) => {
    pages.addHook('onRequest', async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const attempt = auth.identify(request);
      if (!attempt.ok && attempt.retryAfterSeconds > 0) {
        const page = dashboardPage({
          title: 'Too many requests',
          section: null,
          staff: null,
          body: notice(tooManyFailures(attempt.retryAfterSeconds), 'error'),
        });
        return reply.code(429).header('Retry-After', String(attempt.retryAfterSeconds)).type('text/html').send(page);
      }
      if (!attempt.ok) {
        if (request.headers['x-live-fragment']) return reply.code(401).send('Signed out');
        return reply.redirect(`/dashboard/login?next=${encodeURIComponent(request.url)}`, 303);
      }
      if (request.method === 'POST' && auth.isCrossSite(request))
        return reply.code(403).type('text/plain').send('Cross-site request refused');
      request.staff = attempt.staff;
    });

    /** A whole page, or only its main part when the live script asks. */
    const render = (request: FastifyRequest, reply: FastifyReply, title: string, section: TDashboardSection, body: string, code = 200) => {
      reply.code(code).type('text/html; charset=utf-8');
      if (request.headers['x-live-fragment']) return reply.send(body);
      return reply.send(dashboardPage({ title, section, staff: request.staff!, body }));
    };
    /** Bad filters or a refused action: the page says what to correct, with the status code that says what kind. */
    const refuse = (request: FastifyRequest, reply: FastifyReply, section: TDashboardSection, error: unknown) => {
      if (!(error instanceof CpoError)) throw error;
      const problems = problemLines(error.problems).join('; ');
      return render(
        request,
        reply,
        'Not done',
        section,
        notice(problems ? `${error.message}: ${problems}` : error.message, 'error'),
        error.httpStatus,
      );
    };
    const page =
      (section: TDashboardSection, build: (request: TPageRequest) => Promise<{ title: string; body: string }>) =>
      async (request: TPageRequest, reply: FastifyReply) => {
        try {
          const { title, body } = await build(request);
          return render(request, reply, title, section, body);
        } catch (error) {
          return refuse(request, reply, section, error);
        }
      };

    registerContractStartPages(pages, context);
    registerProgramStartPages(pages, context);
    pages.get(
      '/dashboard',
      page('board', async (request) => {
        const filter = withoutEmpty(request.query);
        const now = Date.now();
        const scope = await scopeClauses(request.staff!.access);
        const [board, overdue, expiring, blocked] = await Promise.all([
          pipelineBoard(context, filter, now, scope),
          searchContracts(context, { ...filter, view: 'overdue_signatures', pageSize: 10 }, now, scope),
          searchContracts(context, { ...filter, view: 'expiring', pageSize: 10 }, now, scope),
          searchContracts(context, { ...filter, view: 'blocked', pageSize: 10 }, now, scope),
        ]);
        const body = boardPage({
          board,
          overdue: overdue.contracts,
          expiring: expiring.contracts,
          blocked: blocked.contracts,
          timeZone,
          schools: context.policy.schools ?? [],
        });
        return { title: 'Pipeline', body };
      }),
    );
    pages.get(
      '/dashboard/contracts',
      page('contracts', async (request) => {
        const query = withoutEmpty(request.query);
        const { contracts, nextPageToken } = await searchContracts(context, query, Date.now(), await scopeClauses(request.staff!.access));
        return {
          title: 'Contracts',
          body: contractsPage({ search: ZContractSearchSchema.parse(query), contracts, nextPageToken, policy: context.policy }),
        };
      }),
    );
    pages.get(
      '/dashboard/contracts/:contractId',
      page('contracts', async (request) => {
        const status = requireContractVisible(request.staff!, await viewContract(context, request.params.contractId));
        return {
          title: status.request.programName,
          body: contractPage({ status, staff: request.staff!, timeZone, message: noticeFor(request.query.done) }),
        };
      }),
    );
    pages.get(
      '/dashboard/partners',
      page('partners', async (request) => {
        const query = withoutEmpty(request.query);
        const { partners, nextPageToken } = await searchPartners(context, query);
        return { title: 'Partners', body: partnersPage({ search: ZPartnerSearchSchema.parse(query), partners, nextPageToken, timeZone }) };
      }),
    );
    pages.get(
      '/dashboard/partners/:partnerId',
      page('partners', async (request) => {
        const status = await viewPartner(context, request.params.partnerId);
        return {
          title: status.organizationName,
          body: partnerPage({ status, staff: request.staff!, timeZone, message: noticeFor(request.query.done) }),
        };
      }),
    );
    pages.get(
      '/dashboard/directory',
      page('directory', async (request) => {
        const query = withoutEmpty(request.query);
        const directory = await deps.readDirectory(query);
        return {
          title: 'Partnership directory',
          body: directoryPage({ search: ZDirectorySearchSchema.parse(query), directory, timeZone, schools: context.policy.schools ?? [] }),
        };
      }),
    );
    pages.get(
      '/dashboard/directory/schools/:school',
      page('directory', async (request) => {
        const directory = await deps.readDirectory({ school: request.params.school });
        return { title: request.params.school!, body: schoolPage({ school: request.params.school!, directory, timeZone }) };
      }),
    );

    /** Actions post a form, then return to the page with what happened (303), or show the refusal on it. */
    const done = (reply: FastifyReply, section: 'contracts' | 'partners', id: string, action: string) =>
      reply.redirect(`/dashboard/${section}/${encodeURIComponent(id)}?done=${encodeURIComponent(action)}`, 303);
    const refusal = (error: CpoError) => ({
      text: [error.message, ...problemLines(error.problems)].join(' — '),
      tone: 'error' as const,
    });
    /** An action's form post: done, or its page again with the refusal on it. */
    const actionRoute =
      <S>(
        section: 'contracts' | 'partners',
        act: (request: TPageRequest, id: string, action: string) => Promise<unknown>,
        view: (id: string) => Promise<S>,
        pageOf: (page: {
          status: S;
          staff: NonNullable<TPageRequest['staff']>;
          timeZone: string;
          message: ReturnType<typeof refusal>;
        }) => string,
      ) =>
      async (request: TPageRequest, reply: FastifyReply) => {
        const { id, action } = request.params as { id: string; action: string };
        try {
          await act(request, id, action);
          return done(reply, section, id, action);
        } catch (error) {
          // A refused account is not shown the contract or partner it may not act on, only why.
          const status = error instanceof CpoError && !(error instanceof CpoForbiddenError) ? await view(id).catch(() => null) : null;
          if (!status) return refuse(request, reply, section, error);
          const body = pageOf({ status, staff: request.staff!, timeZone, message: refusal(error as CpoError) });
          return render(request, reply, 'Not done', section, body, (error as CpoError).httpStatus);
        }
      };
    pages.post(
      '/dashboard/contracts/:id/actions/:action',
      actionRoute(
        'contracts',
        (request, id, action) =>
          runContractAction(context, request.staff!, id, parseAction(CONTRACT_ACTIONS, action), request.body, requestOrigin(request)),
        (id) => viewContract(context, id),
        contractPage,
      ),
    );
    pages.post(
      '/dashboard/partners/:id/actions/:action',
      actionRoute(
        'partners',
        (request, id, action) => runPartnerAction(context, request.staff!, id, parseAction(PARTNER_ACTIONS, action), request.body),
        (id) => viewPartner(context, id),
        partnerPage,
      ),
    );
  });
}

/** An empty filter field in a GET form means "any", not "empty". */
const withoutEmpty = (query: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(query ?? {}).filter(([, value]) => value !== ''));
