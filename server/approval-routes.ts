import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DocumentStore } from '../activities/storage/document-store';
import type { TCpoContext } from '../client/context';
import { approveContract, sendBackContract } from '../client/contracts';
import { sendStoredPdf } from './send-stored-pdf';
import { formatZodError } from '../domain/format-zod-error';
import { ZReasonSchema } from '../domain/schemas/common';
import type { TContractStatus } from '../domain/schemas/contract';
import type { TApprovalClaims } from '../security/approval-token';
import { openApprovalRequest, type TApprovalRefusal } from '../client/open-approval-request';
import { approvalPage, type TApprovalFormState } from './pages/approval-page';
import { messagePage } from './pages/layout';
import { PageError, refusePage, setTokenPageHeaders } from './pages/token-page';

export interface TApprovalRouteDeps {
  context: TCpoContext;
  documents: DocumentStore;
  signingSecret: string;
  /** Requests per minute per address. */
  rateLimit?: number;
}

const ZApproveFormSchema = z.object({ confirm: z.literal('yes', { error: 'tick the box to approve the contract' }) });
const ZSendBackFormSchema = z.object({ reason: ZReasonSchema });

const INVALID = 'This approval link is not valid';
function refusalPage(refusal: TApprovalRefusal): PageError {
  switch (refusal.reason) {
    case 'malformed':
      return new PageError(
        400,
        INVALID,
        'This approval link is incomplete or damaged. Use the link in the most recent approval request email.',
      );
    case 'forged':
      return new PageError(
        403,
        INVALID,
        'This approval link was not issued by the district. Use the link in the most recent approval request email.',
      );
    case 'expired':
      return new PageError(
        410,
        'This link has expired',
        'The deadline of this approval request has passed. Ask the Community Partnerships Office about the contract.',
      );
    case 'not_found':
      return new PageError(404, 'Contract not found', 'This link points at a contract that does not exist.');
    case 'not_the_approver':
      return new PageError(403, INVALID, 'This contract does not wait for an approval from the address this link was sent to.');
    case 'superseded':
      return new PageError(
        410,
        'This link was replaced',
        'A newer approval request replaced this one. Use the link in the most recent email.',
      );
    case 'already_approved':
      return new PageError(
        409,
        'Already approved',
        `This contract was already approved by ${refusal.approvedBy}. Nothing more is needed from you.`,
      );
    case 'not_awaited':
      return new PageError(
        409,
        'Nothing to approve',
        `This contract no longer waits for approval: it is ${refusal.stage.replace(/_/g, ' ')}${refusal.closedReason ? ` (${refusal.closedReason})` : ''}.`,
      );
  }
}

/** Never log a token: it grants the right to approve. */
export const redactApprovalUrl = (url: string): string => url.replace(/\/approve\/[^/?#]+/, '/approve/[token]');

/**
 * The approver's page, reached by the link in the approval request email: no account, the token is the
 * authority. Like the signing pages: no-store, no referrer, a 4xx page for a token that cannot be used, and
 * "try again" (503) when Temporal does not answer.
 */
export async function registerApprovalRoutes(app: FastifyInstance, deps: TApprovalRouteDeps): Promise<void> {
  const { timeZone } = deps.context.policy;

  async function open(token: string): Promise<{ claims: TApprovalClaims; status: TContractStatus }> {
    const opened = await openApprovalRequest(deps.context, deps.signingSecret, token, Date.now());
    if (!opened.ok) throw refusalPage(opened);
    return opened;
  }

  const approverOf = (claims: TApprovalClaims, status: TContractStatus) => ({
    name: status.approval?.approverName ?? claims.email,
    email: claims.email,
  });

  await app.register(async (approval) => {
    await approval.register(rateLimit, { max: deps.rateLimit ?? 60, timeWindow: '1 minute' });
    approval.addHook('onSend', async (_request, reply) => setTokenPageHeaders(reply));

    approval.get<{ Params: { token: string } }>('/approve/:token', async (request, reply) => {
      try {
        const { status } = await open(request.params.token);
        return reply.type('text/html').send(approvalPage(status, request.params.token, timeZone));
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    approval.get<{ Params: { token: string } }>('/approve/:token/document.pdf', async (request, reply) => {
      try {
        const { status } = await open(request.params.token);
        const document = status.documents.contract;
        if (!document)
          throw new PageError(
            404,
            'No contract PDF yet',
            "The contract PDF is made once the contract is approved and the partner's records are on file.",
          );
        return sendStoredPdf(reply, deps.documents, document);
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    approval.post<{ Params: { token: string } }>('/approve/:token', async (request, reply) => {
      try {
        const { claims, status } = await open(request.params.token);
        const form = ZApproveFormSchema.safeParse(request.body ?? {});
        if (!form.success) {
          const confirmError = formatZodError(form.error);
          return reply
            .code(400)
            .type('text/html')
            .send(approvalPage(status, request.params.token, timeZone, { confirmError }));
        }
        const by = approverOf(claims, status);
        await approveContract(deps.context, claims.contractId, { by, requestNumber: claims.requestNumber, method: 'link' });
        return reply
          .type('text/html')
          .send(
            messagePage(
              'Approved',
              `Thank you, ${by.name}. The contract for ${status.request.programName} is approved; it goes to the partner for signature once the partner's records are on file.`,
              'ok',
            ),
          );
      } catch (error) {
        return refusePage(reply, error);
      }
    });

    approval.post<{ Params: { token: string } }>('/approve/:token/send-back', async (request, reply) => {
      try {
        const { claims, status } = await open(request.params.token);
        const form = ZSendBackFormSchema.safeParse(request.body ?? {});
        if (!form.success) {
          // What the approver typed comes back in the field, with the problem beside it.
          const typed = (request.body as { reason?: unknown } | undefined)?.reason;
          const reasonError = formatZodError(form.error);
          const state: TApprovalFormState = { reasonError, ...(typeof typed === 'string' ? { reason: typed } : {}) };
          return reply
            .code(400)
            .type('text/html')
            .send(approvalPage(status, request.params.token, timeZone, state));
        }
        const by = approverOf(claims, status);
        await sendBackContract(deps.context, claims.contractId, {
          by,
          reason: form.data.reason,
          requestNumber: claims.requestNumber,
          method: 'link',
        });
        return reply
          .type('text/html')
          .send(
            messagePage(
              'Sent back',
              `The contract for ${status.request.programName} is sent back and voided. ${status.request.initiatedBy.name} is told your reason by email.`,
              'ok',
            ),
          );
      } catch (error) {
        return refusePage(reply, error);
      }
    });
  });
}
