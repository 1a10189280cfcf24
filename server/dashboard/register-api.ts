import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DocumentStore } from '../../activities/storage/document-store';
import type { TCpoContext } from '../../client/context';
import { getContractStatus, viewContract } from '../../client/contracts';
import { CpoInputError, CpoNotFoundError, parseInput } from '../../client/errors';
import { viewPartner } from '../../client/partners';
import { sendStoredPdf } from '../send-stored-pdf';
import { directoryCsv, distributionCsv } from '../../client/search/directory-csv';
import type { TDirectoryReader } from '../../client/search/directory-reader';
import { pipelineBoard } from '../../client/search/pipeline-board';
import { searchContracts } from '../../client/search/search-contracts';
import { searchPartners } from '../../client/search/search-partners';
import type { TContractScopeClauses } from './contract-scope';
import { requireContractVisible, type TSignedInStaff } from './require-access';
import { registerContractStartApi } from './contract-start-routes';
import { registerProgramStartApi } from './program-start-routes';
import { sendApiError } from './send-api-error';
import { CONTRACT_ACTIONS, PARTNER_ACTIONS, parseAction, runContractAction, runPartnerAction } from './staff-actions';
import { tooManyFailures, type TStaffAuth } from './staff-auth';
import { requestOrigin } from '../request-origin';

type TParams = Record<string, string>;
/** `?amendment=2`: the documents of that amendment instead of the contract's. */
const ZDocumentQuerySchema = z.object({ amendment: z.coerce.number().int().positive().optional() });

/**
 * The JSON API behind every dashboard page (and for scripts: HTTP Basic with a staff account). Reads come from
 * Temporal's visibility store and workflow queries; actions are the same client operations the CLI runs.
 */
export async function registerApi(
  app: FastifyInstance,
  deps: {
    context: TCpoContext;
    documents: DocumentStore;
    auth: TStaffAuth;
    readDirectory: TDirectoryReader;
    scopeClauses: TContractScopeClauses;
  },
): Promise<void> {
  const { context, scopeClauses } = deps;
  await app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('onRequest', async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const attempt = deps.auth.identify(request);
      if (!attempt.ok && attempt.retryAfterSeconds > 0) {
        return reply
          .code(429)
          .header('Retry-After', String(attempt.retryAfterSeconds))
          .send({ error: tooManyFailures(attempt.retryAfterSeconds) });
      }
      if (!attempt.ok) {
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Basic realm="CPO staff", charset="UTF-8"')
          .send({ error: 'Sign in as CPO staff (session cookie or HTTP Basic)' });
      }
      if (request.method === 'POST' && deps.auth.isCrossSite(request)) return reply.code(403).send({ error: 'Cross-site request refused' });
      request.staff = attempt.staff;
    });
    const staffOf = (request: FastifyRequest): TSignedInStaff => request.staff!;
    const route =
      (handler: (request: FastifyRequest<{ Params: TParams }>, reply: FastifyReply) => Promise<unknown>) =>
      async (request: FastifyRequest<{ Params: TParams }>, reply: FastifyReply) => {
        try {
          return await handler(request, reply);
        } catch (error) {
          return sendApiError(request, reply, error);
        }
      };
    const csv = (reply: FastifyReply, filename: string, body: string) =>
      reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename}"`).send(body);

    registerContractStartApi(api, context);
    registerProgramStartApi(api, context);
    // Departments and schools read only their own contracts: lists and counts narrowed, one contract refused (403).
    api.get(
      '/api/board',
      route(async (request) => pipelineBoard(context, request.query, Date.now(), await scopeClauses(staffOf(request).access))),
    );
    api.get(
      '/api/contracts',
      route(async (request) => searchContracts(context, request.query, Date.now(), await scopeClauses(staffOf(request).access))),
    );
    api.get(
      '/api/contracts/:contractId',
      route(async (request) => requireContractVisible(staffOf(request), await viewContract(context, request.params.contractId))),
    );
    api.get(
      '/api/contracts/:contractId/documents/:kind',
      route(async (request, reply) => {
        const { kind } = request.params;
        if (kind !== 'contract' && kind !== 'executed') throw CpoInputError.forField('kind', 'must be contract or executed');
        const { amendment: number } = parseInput(ZDocumentQuerySchema, request.query);
        const status = requireContractVisible(staffOf(request), await getContractStatus(context, request.params.contractId));
        const amendment = number === undefined ? null : status.amendments.find((a) => a.number === number);
        if (amendment === undefined)
          throw new CpoNotFoundError(`The contract has no amendment ${number}`, [
            { field: 'amendment', message: `no amendment ${number}` },
          ]);
        const document = amendment ? (kind === 'contract' ? amendment.document : amendment.executed) : status.documents[kind];
        if (!document) {
          const what = kind === 'contract' ? 'document for signature' : 'final signed document';
          throw new CpoNotFoundError(`The contract has no ${what}${amendment ? ` of amendment ${amendment.number}` : ''} yet`);
        }
        return sendStoredPdf(reply, deps.documents, document);
      }),
    );
    api.post(
      '/api/contracts/:contractId/:action',
      route(async (request) => {
        const action = parseAction(CONTRACT_ACTIONS, request.params.action!);
        await runContractAction(context, staffOf(request), request.params.contractId!, action, request.body, requestOrigin(request));
        return viewContract(context, request.params.contractId);
      }),
    );
    api.get(
      '/api/partners',
      route((request) => searchPartners(context, request.query)),
    );
    api.get(
      '/api/partners/:partnerId',
      route((request) => viewPartner(context, request.params.partnerId)),
    );
    api.post(
      '/api/partners/:partnerId/:action',
      route(async (request) => {
        const action = parseAction(PARTNER_ACTIONS, request.params.action!);
        await runPartnerAction(context, staffOf(request), request.params.partnerId!, action, request.body);
        return viewPartner(context, request.params.partnerId);
      }),
    );
    api.get(
      '/api/directory',
      route((request) => deps.readDirectory(request.query)),
    );
    api.get(
      '/api/directory.csv',
      route(async (request, reply) => csv(reply, 'partnerships.csv', directoryCsv(await deps.readDirectory(request.query)))),
    );
    api.get(
      '/api/directory/distribution.csv',
      route(async (request, reply) => csv(reply, 'services-by-school.csv', distributionCsv(await deps.readDirectory(request.query)))),
    );
    api.get(
      '/api/directory/schools/:school',
      route((request) => deps.readDirectory({ ...(request.query as object), school: request.params.school })),
    );
  });
}
