import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DocumentStore } from '../activities/storage/document-store';
import type { TCpoContext } from '../client/context';
import { declineContract, recordSigningView, signContract } from '../client/contracts';
import { sendStoredPdf } from './send-stored-pdf';
import { formatZodError } from '../domain/format-zod-error';
import { ZNameSchema, ZReasonSchema } from '../domain/schemas/common';
import type { TContractStatus } from '../domain/schemas/contract';
import { openSigningRequest } from '../client/open-signing-request';
import type { TSigningClaims } from '../security/signing-token';
import { registerApprovalRoutes } from './approval-routes';
import { registerAffirmationPages } from './register-affirmation-pages';
import { registerAttestationPages } from './register-attestation-pages';
import { registerDashboard } from './dashboard/register-dashboard';
import type { TStaffAuthOptions } from '../config/staff-auth-options';
import { messagePage } from './pages/layout';
import { registerPartnerFront, type TPartnerFrontOptions } from './partner-front/register-partner-front';
import { sealedNotice, signingPage } from './pages/signing-page';
import { PageError, refusePage, setTokenPageHeaders, tokenRefusals } from './pages/token-page';
import { requestOrigin } from './request-origin';

export interface TServerDeps {
  context: TCpoContext;
  documents: DocumentStore;
  signingSecret: string;
  /** The subject of the district certificate that signs executed documents, told to signers; unsaid when absent. */
  sealedBy?: string;
  /** Requests per minute per address on the signing pages. */
  signingRateLimit?: number;
  /** Staff accounts for the dashboard; without them only the partner-facing pages are served. */
  staff?: TStaffAuthOptions;
  /**
   * Addresses and CIDR ranges of the reverse proxies in front (CPO_TRUSTED_PROXIES): from them X-Forwarded-For
   * gives the client's address, for rate limits and signature evidence. None: the connection's address.
   */
  trustedProxies?: readonly string[];
  /** The partner's front door (/apply, /partner): needs the mailer for its confirmation and link emails. */
  partnerFront?: TPartnerFrontOptions;
  /** Request log (tokens redacted); none when absent. */
  logStream?: NodeJS.WritableStream;
}

const TOKEN_REFUSALS = tokenRefusals(
  { link: 'signing', request: 'signature request' },
  'Use the link in the most recent email, or ask the Community Partnerships Office for a new one.',
  'Use the link in the most recent email.',
);

export const ZSignFormSchema = z.object({
  consent: z.literal('yes', { error: 'tick the box to agree to sign electronically' }),
  name: ZNameSchema,
  title: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((title) => title || undefined),
});
const ZDeclineFormSchema = z.object({ reason: ZReasonSchema });

/** How many views the server remembers having told contracts of (the workflow also records each client once). */
const MAX_VIEWS_REMEMBERED = 10_000;

/** The pages reached by a token in their address: the token grants a right, so it is never logged. */
const TOKEN_PATHS = /^\/(sign|attest|affirm|approve|partner|apply\/confirm)\//;
const redactUrl = (url: string): string => url.replace(/\/(sign|attest|affirm|approve|partner|apply\/confirm)\/[^/?#]+/, '/$1/[token]');

export async function createServer(deps: TServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 16 * 1024,
    routerOptions: { maxParamLength: 1024 }, // signing tokens are longer than the default 100
    // The router's own refusals (a broken %-escape, a path segment over that length) answer like every other refusal,
    // without Fastify's internal codes; a signing link that long was never issued, so it is a damaged link.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void answerRouterRefusal(error, request, reply),
    trustProxy: deps.trustedProxies?.length ? [...deps.trustedProxies] : false,
    logger: deps.logStream
      ? { stream: deps.logStream, serializers: { req: (req) => ({ method: req.method, url: redactUrl(req.url) }) } }
      : false,
  });
  await app.register(formbody);
  // Set before the plugins below: each takes the error handler in place when it is registered.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    // Fastify's own refusals (body too large, bad content type, rate limit): keep their 4xx, never a stack trace.
    const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const message = statusCode === 500 ? 'Something went wrong on our side. Please try again later.' : error.message;
    if (statusCode === 500) request.log.error(error);
    if (request.url.startsWith('/api/')) return reply.code(statusCode).send({ error: message });
    return reply
      .code(statusCode)
      .type('text/html')
      .send(messagePage(statusCode === 429 ? 'Too many requests' : 'Request refused', message, 'error'));
  });

  /** The request a token points at, or why it cannot be used: forged, expired, superseded, already used. */
  async function openRequest(token: string): Promise<{ claims: TSigningClaims; status: TContractStatus }> {
    const opened = await openSigningRequest(deps.context, deps.signingSecret, token, Date.now());
    if (opened.ok) return { claims: opened.claims, status: opened.status };
    switch (opened.reason) {
      case 'malformed':
      case 'forged':
      case 'expired':
        throw TOKEN_REFUSALS[opened.reason];
      case 'not_found':
        throw new PageError(404, 'Contract not found', 'This link points at a contract that does not exist.');
      case 'already_signed':
        throw new PageError(
          409,
          'Already signed',
          'This contract was already signed with this link. You will receive the final signed contract by email.',
        );
      case 'superseded':
        throw new PageError(
          410,
          'This link was replaced',
          'A newer signature request replaced this one. Use the link in the most recent email.',
        );
      case 'not_awaited':
        throw new PageError(
          409,
          'Nothing to sign',
          `This contract is not waiting for this signature (it is ${opened.stage.replace(/_/g, ' ')}).`,
        );
    }
  }

  /** Views this server has told contracts of, oldest first: one signal per request and client keeps histories small. */
  const viewsTold = new Set<string>();
  const recordView = async (request: FastifyRequest, claims: TSigningClaims): Promise<void> => {
    // A HEAD shows no page to anyone (link scanners check links that way).
    if (request.method !== 'GET') return;
    const view = { role: claims.role, requestNumber: claims.requestNumber, ...requestOrigin(request) };
    const key = JSON.stringify([claims.contractId, view.role, view.requestNumber, view.ipAddress, view.userAgent ?? null]);
    if (viewsTold.has(key)) return;
    await recordSigningView(deps.context, claims.contractId, view);
    viewsTold.add(key);
    if (viewsTold.size > MAX_VIEWS_REMEMBERED) viewsTold.delete(viewsTold.values().next().value!);
  };

  await app.register(async (signing) => {
    await signing.register(rateLimit, { max: deps.signingRateLimit ?? 60, timeWindow: '1 minute' });
    signing.addHook('onSend', async (_request, reply) => setTokenPageHeaders(reply));

    signing.get<{ Params: { token: string } }>('/sign/:token', async (request, reply) => {
      try {
        const { claims, status } = await openRequest(request.params.token);
        await recordView(request, claims);
        return reply
          .type('text/html')
          .send(signingPage(status, claims.role, request.params.token, deps.context.policy.timeZone, deps.sealedBy));
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    signing.get<{ Params: { token: string } }>('/sign/:token/document.pdf', async (request, reply) => {
      try {
        const { status } = await openRequest(request.params.token);
        const document = status.signing!.document;
        return sendStoredPdf(reply, deps.documents, document);
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    signing.post<{ Params: { token: string } }>('/sign/:token', async (request, reply) => {
      try {
        const { claims, status } = await openRequest(request.params.token);
        const form = ZSignFormSchema.safeParse(request.body ?? {});
        if (!form.success) throw new PageError(400, 'Not signed yet', `Please correct: ${formatZodError(form.error)}`);
        await signContract(deps.context, claims.contractId, {
          role: claims.role,
          name: form.data.name,
          ...(form.data.title ? { title: form.data.title } : {}),
          email: claims.email,
          consent: true,
          method: 'link',
          requestNumber: claims.requestNumber,
          documentSha256: status.signing!.document.sha256,
          ...requestOrigin(request),
        });
        return reply
          .type('text/html')
          .send(
            messagePage(
              'Signed',
              `Thank you, ${form.data.name}. Your signature is recorded. You will receive the final signed contract by email.${deps.sealedBy ? ` ${sealedNotice(deps.sealedBy)}` : ''}`,
              'ok',
            ),
          );
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    signing.post<{ Params: { token: string } }>('/sign/:token/decline', async (request, reply) => {
      try {
        const { claims, status } = await openRequest(request.params.token);
        if (claims.role !== 'partner') throw new PageError(403, 'Not allowed', 'Only the partner can decline a contract.');
        const form = ZDeclineFormSchema.safeParse(request.body ?? {});
        if (!form.success) throw new PageError(400, 'Not declined yet', `Please correct: ${formatZodError(form.error)}`);
        await declineContract(deps.context, claims.contractId, {
          by: { name: status.request.partnerSigner.name, email: claims.email },
          reason: form.data.reason,
          requestNumber: claims.requestNumber,
          ...requestOrigin(request),
        });
        return reply
          .type('text/html')
          .send(messagePage('Declined', 'The contract is declined. The district has been told, with your reason.', 'ok'));
      } catch (error) {
        return refusePage(reply, error);
      }
    });
  });

  await registerApprovalRoutes(app, {
    context: deps.context,
    documents: deps.documents,
    signingSecret: deps.signingSecret,
    ...(deps.signingRateLimit ? { rateLimit: deps.signingRateLimit } : {}),
  });
  await registerAttestationPages(app, {
    context: deps.context,
    documents: deps.documents,
    signingSecret: deps.signingSecret,
    rateLimit: deps.signingRateLimit ?? 60,
  });
  await registerAffirmationPages(app, { context: deps.context, signingSecret: deps.signingSecret, rateLimit: deps.signingRateLimit ?? 60 });
  if (deps.partnerFront)
    await registerPartnerFront(app, {
      ...deps.partnerFront,
      context: deps.context,
      documents: deps.documents,
      signingSecret: deps.signingSecret,
    });
  if (deps.staff) await registerDashboard(app, { context: deps.context, documents: deps.documents, staff: deps.staff });
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  return app;
}

/** Answers the router's own refusals (see frameworkErrors above). */
function answerRouterRefusal(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  if (TOKEN_PATHS.test(request.url)) {
    setTokenPageHeaders(reply);
    return reply
      .code(TOKEN_REFUSALS.malformed.statusCode)
      .type('text/html')
      .send(messagePage(TOKEN_REFUSALS.malformed.title, TOKEN_REFUSALS.malformed.message, 'error'));
  }
  const statusCode = tooLong ? 414 : 400;
  const message = tooLong ? 'The address is too long.' : 'The address is not valid (a broken %-escape).';
  if (request.url.startsWith('/api/')) return reply.code(statusCode).send({ error: message });
  return reply
    .code(statusCode)
    .type('text/html')
    .send(messagePage('Request refused', message, 'error'));
}
