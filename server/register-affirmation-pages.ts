import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { TCpoContext } from '../client/context';
import { recordAgencyRecord, recordAgencyRecordView } from '../client/partners';
import { formatZodError } from '../domain/format-zod-error';
import { RECORD_LABELS } from '../domain/labels';
import { openAgencyRecordRequest, type TOpenedAgencyRecord } from '../client/open-agency-record-request';
import { affirmationPage } from './pages/affirmation-page';
import { messagePage } from './pages/layout';
import { PageError, refusePage, setTokenPageHeaders, tokenRefusals } from './pages/token-page';
import { ZAttestationFormSchema } from './register-attestation-pages';

export interface TAffirmationPagesDeps {
  context: TCpoContext;
  signingSecret: string;
  /** Requests per minute per address. */
  rateLimit: number;
}

const ASK_OFFICE = 'Use the link in the most recent email, or ask the Community Partnerships Office for a new one.';
const REFUSALS: Record<Exclude<TOpenedAgencyRecord, { ok: true }>['reason'], PageError> = {
  ...tokenRefusals({ link: 'affirmation', request: 'request' }, ASK_OFFICE),
  not_found: new PageError(
    404,
    'Request not found',
    `This link does not point at a record the district asked of this partner. ${ASK_OFFICE}`,
  ),
  superseded: new PageError(409, 'This request was replaced', `A newer request for this record replaced this one. ${ASK_OFFICE}`),
  already_on_file: new PageError(409, 'Already on file', 'The district already has this record for the agency. Nothing more is needed.'),
  not_representative: new PageError(
    403,
    'Not allowed',
    'This link was sent to someone who is no longer the agency’s approved representative.',
  ),
  not_awaited: new PageError(409, 'Nothing to affirm', 'This partnership is not waiting for agency records.'),
};

/** The representative's affirmation pages: `/affirm/<token>` shows the policy's statement, and posting records it. */
export async function registerAffirmationPages(app: FastifyInstance, deps: TAffirmationPagesDeps): Promise<void> {
  const open = async (token: string) => {
    const opened = await openAgencyRecordRequest(deps.context, deps.signingSecret, token, Date.now());
    if (!opened.ok) throw REFUSALS[opened.reason];
    const statement = deps.context.policy.agencyRecords.statements[opened.claims.kind];
    if (!statement) throw REFUSALS.not_found;
    return { ...opened, statement };
  };

  await app.register(async (pages) => {
    await pages.register(rateLimit, { max: deps.rateLimit, timeWindow: '1 minute' });
    pages.addHook('onSend', async (_request, reply) => setTokenPageHeaders(reply));

    pages.get<{ Params: { token: string } }>('/affirm/:token', async (request, reply) => {
      try {
        const { status, claims, statement, request: asked } = await open(request.params.token);
        if (!asked.viewedAt)
          await recordAgencyRecordView(deps.context, claims.partnerId, {
            kind: claims.kind,
            schoolYear: claims.schoolYear,
            requestNumber: claims.requestNumber,
          });
        return reply
          .type('text/html')
          .send(affirmationPage({ status, claims, statement, token: request.params.token, timeZone: deps.context.policy.timeZone }));
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    pages.post<{ Params: { token: string } }>('/affirm/:token', async (request, reply) => {
      try {
        const { claims, statement } = await open(request.params.token);
        const filled = ZAttestationFormSchema.safeParse(request.body ?? {});
        if (!filled.success) throw new PageError(400, 'Not affirmed yet', `Please correct: ${formatZodError(filled.error)}`);
        await recordAgencyRecord(deps.context, claims.partnerId, {
          kind: claims.kind,
          by: { name: filled.data.name, email: claims.email },
          title: filled.data.title,
          statement,
          method: 'web',
          requestNumber: claims.requestNumber,
          ...(claims.schoolYear ? { schoolYear: claims.schoolYear } : {}),
        });
        return reply
          .type('text/html')
          .send(
            messagePage('Affirmed', `Thank you, ${filled.data.name}. The ${RECORD_LABELS[claims.kind]} is on file for the agency.`, 'ok'),
          );
      } catch (error) {
        return refusePage(reply, error);
      }
    });
  });
}
