import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DocumentStore } from '../activities/storage/document-store';
import type { TCpoContext } from '../client/context';
import { recordAttestationView, signAttestation } from '../client/partners';
import { sendStoredPdf } from './send-stored-pdf';
import { formatZodError } from '../domain/format-zod-error';
import { ZNameSchema } from '../domain/schemas/common';
import { openAttestationRequest, type TOpenedAttestation } from '../client/open-attestation-request';
import { messagePage } from './pages/layout';
import { attestationPage } from './pages/attestation-page';
import { PageError, refusePage, setTokenPageHeaders, tokenRefusals } from './pages/token-page';
import { requestOrigin } from './request-origin';

export interface TAttestationPagesDeps {
  context: TCpoContext;
  documents: DocumentStore;
  signingSecret: string;
  /** Requests per minute per address. */
  rateLimit: number;
}

const ASK_OFFICE = 'Use the link in the most recent attestation email, or ask the Community Partnerships Office for a new one.';
const REFUSALS: Record<Exclude<TOpenedAttestation, { ok: true }>['reason'], PageError> = {
  ...tokenRefusals({ link: 'attestation', request: 'attestation request' }, ASK_OFFICE),
  not_found: new PageError(
    404,
    'Attestation not found',
    `This link does not point at an attestation form of this partner and school year. ${ASK_OFFICE}`,
  ),
  already_signed: new PageError(409, 'Already signed', 'The attestation for this school year is already signed. Nothing more is needed.'),
  superseded: new PageError(
    410,
    'This link was replaced',
    'A newer attestation request replaced this one. Use the link in the most recent email.',
  ),
  not_representative: new PageError(
    403,
    'Not allowed',
    'This link was sent to someone who is no longer the agency’s approved representative.',
  ),
  not_awaited: new PageError(409, 'Nothing to sign', 'This partnership is not waiting for an attestation.'),
};

/** The signature form of the attestation and affirmation pages. */
export const ZAttestationFormSchema = z.object({
  consent: z.literal('yes', { error: 'tick the box to agree to sign electronically' }),
  name: ZNameSchema,
  title: ZNameSchema,
});

/** The representative's attestation pages: `/attest/<token>`, its PDF, and the signature posted from it. */
export async function registerAttestationPages(app: FastifyInstance, deps: TAttestationPagesDeps): Promise<void> {
  const open = async (token: string) => {
    const opened = await openAttestationRequest(deps.context, deps.signingSecret, token, Date.now());
    if (!opened.ok) throw REFUSALS[opened.reason];
    return opened;
  };
  await app.register(async (pages) => {
    await pages.register(rateLimit, { max: deps.rateLimit, timeWindow: '1 minute' });
    pages.addHook('onSend', async (_request, reply) => setTokenPageHeaders(reply));

    pages.get<{ Params: { token: string } }>('/attest/:token', async (request, reply) => {
      try {
        const { status, request: form, claims } = await open(request.params.token);
        if (!form.viewedAt)
          await recordAttestationView(deps.context, claims.partnerId, {
            schoolYear: claims.schoolYear,
            requestNumber: claims.requestNumber,
          });
        const html = attestationPage({
          status,
          request: form,
          claims,
          token: request.params.token,
          attestation: deps.context.policy.attestation,
          timeZone: deps.context.policy.timeZone,
        });
        return reply.type('text/html').send(html);
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    pages.get<{ Params: { token: string } }>('/attest/:token/document.pdf', async (request, reply) => {
      try {
        const { request: form } = await open(request.params.token);
        return sendStoredPdf(reply, deps.documents, form.document);
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    pages.post<{ Params: { token: string } }>('/attest/:token', async (request, reply) => {
      try {
        const { claims, request: form } = await open(request.params.token);
        const filled = ZAttestationFormSchema.safeParse(request.body ?? {});
        if (!filled.success) throw new PageError(400, 'Not signed yet', `Please correct: ${formatZodError(filled.error)}`);
        await signAttestation(deps.context, claims.partnerId, {
          name: filled.data.name,
          title: filled.data.title,
          email: claims.email,
          consent: true,
          documentSha256: form.document.sha256,
          method: 'link',
          ...requestOrigin(request),
        });
        return reply
          .type('text/html')
          .send(
            messagePage(
              'Signed',
              `Thank you, ${filled.data.name}. The attestation of ${form.schoolYear} is signed for the agency. You will receive the signed attestation by email.`,
              'ok',
            ),
          );
      } catch (error) {
        return refusePage(reply, error);
      }
    });
  });
}
