import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getContractStatus } from '../../client/contracts';
import { CpoNotFoundError, isRefusal } from '../../client/errors';
import { getPartnerStatus } from '../../client/partners';
import { sendStoredPdf } from '../send-stored-pdf';
import { searchPartners } from '../../client/search/search-partners';
import { listAgencyItemsToSign, type TAgencyItemToSign } from '../../domain/list-agency-items-to-sign';
import { makePartnerId } from '../../domain/make-partner-id';
import { ZEmailSchema, ZNameSchema } from '../../domain/schemas/common';
import type { TContractStatus } from '../../domain/schemas/contract';
import type { TPartnerStatus } from '../../domain/schemas/partner';
import { nextSchoolYearName, schoolYearAt } from '../../domain/school-year';
import { formatZodError } from '../../domain/format-zod-error';
import { createPartnerStatusToken, verifyPartnerStatusToken, type TPartnerStatusClaims } from '../../security/partner-status-token';
import { escapeHtml, messagePage, page } from '../pages/layout';
import { linkTo, sendPartnerEmail } from './partner-mail';
import type { TPartnerFrontDeps } from './register-apply';
import { partnerStatusPage } from './status-page';
import { PageError, refusePage } from '../pages/token-page';
import { sendPage, tokenRefusal } from './token-page';

/** How long one workflow's answer may take before the page says "try again". */
const READ_DEADLINE_MS = 10_000;

export interface TPartnerPageDeps extends TPartnerFrontDeps {
  /** The signing page of an attestation or affirmation the agency still owes (wired where those pages exist). */
  agencySigningLinkFor?: (partner: TPartnerStatus, item: Omit<TAgencyItemToSign, 'link'>) => string | undefined;
}

const ZLinkRequestSchema = z.object({ email: z.string().trim().pipe(ZEmailSchema), organizationName: ZNameSchema });
/** Organizations with a name like the one given that are checked for the address (slug ids, then by name). */
const MAX_CANDIDATES = 10;

const FRESH_LINK = 'Ask for a new link on the partner page (/partner).';
const LINK_SENT = messagePage(
  'Check your email',
  'If this address is the representative’s of an organization of that name, we sent it the link to the organization’s page. The link works for 90 days.',
  'ok',
);

const linkRequestPage = (problem?: string): string =>
  page(
    'Your organization’s page',
    `<h1>Your organization’s page</h1>
<p>Each email the Community Partnerships Office sends you carries the link to your organization’s page. Lost it? We will email a new one to the representative.</p>
${problem ? `<p class="notice error" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/partner">
<label for="organizationName">Organization name</label><input id="organizationName" type="text" name="organizationName">
<label for="email">Representative’s email</label><input id="email" type="email" name="email">
<p><button type="submit">Send me my link</button></p>
</form>
<p class="muted">Not a partner yet? <a href="/apply">Apply</a>.</p>`,
  );

export function registerPartnerPage(app: FastifyInstance, deps: TPartnerPageDeps): void {
  const { context, documents, signingSecret, mail } = deps;
  const perHour = { rateLimit: { max: deps.applicationsPerHour ?? 10, timeWindow: '1 hour' } };

  /** A workflow whose worker does not answer holds the page at most this long, then it is "try again" (503). */
  const withinDeadline = <T>(read: () => Promise<T>): Promise<T> =>
    context.client.connection.withDeadline(Date.now() + READ_DEADLINE_MS, read);

  /** The partner a status link is for, or why it cannot be used: a link of an earlier representative no longer works. */
  async function openPartner(token: string): Promise<{ claims: TPartnerStatusClaims; partner: TPartnerStatus }> {
    const checked = verifyPartnerStatusToken(token, signingSecret, Date.now());
    if (!checked.ok) throw tokenRefusal(checked.reason, 'partner page', FRESH_LINK);
    const partner = await withinDeadline(() => getPartnerStatus(context, checked.claims.partnerId)).catch((error: unknown) => {
      if (error instanceof CpoNotFoundError) throw new PageError(404, 'No such partner', 'This link points at no partner on file.');
      throw error;
    });
    if (partner.representative.email.toLowerCase() !== checked.claims.email) {
      throw new PageError(403, 'This link was replaced', `The organization has another representative now. ${FRESH_LINK}`);
    }
    return { claims: checked.claims, partner };
  }

  /** The partner's contracts; one that names another partner, or is gone, is never shown. */
  async function contractsOf(partner: TPartnerStatus): Promise<TContractStatus[]> {
    const all = await Promise.all(
      partner.contracts.map((workflowId) =>
        withinDeadline(() => getContractStatus(context, workflowId.replace(/^contract-/, ''))).catch((error: unknown) => {
          if (error instanceof CpoNotFoundError) return null;
          throw error;
        }),
      ),
    );
    return all.filter((contract): contract is TContractStatus => contract?.request.partnerId === partner.partnerId);
  }

  app.get<{ Params: { token: string } }>('/partner/:token', async (request, reply) => {
    try {
      const { partner } = await openPartner(request.params.token);
      const contracts = await contractsOf(partner);
      const { policy } = context;
      const thisYear = schoolYearAt(Date.now(), policy.schoolYear, policy.timeZone).name;
      const linkFor = deps.agencySigningLinkFor;
      const toSign = listAgencyItemsToSign(
        policy,
        partner,
        contracts,
        [thisYear, nextSchoolYearName(thisYear)],
        linkFor && ((item) => linkFor(partner, item)),
      );
      return sendPage(reply, partnerStatusPage({ partner, contracts, toSign, token: request.params.token, timeZone: policy.timeZone }));
    } catch (error) {
      return refusePage(reply, error);
    }
  });

  app.get<{ Params: { token: string; contractId: string } }>(
    '/partner/:token/contracts/:contractId/executed.pdf',
    async (request, reply) => {
      try {
        const { partner } = await openPartner(request.params.token);
        const contract = (await contractsOf(partner)).find((c) => c.contractId === request.params.contractId);
        const document = contract?.documents.executed;
        if (!document) throw new PageError(404, 'No such document', 'Your organization has no signed contract with this id.');
        return sendStoredPdf(reply, documents, document);
      } catch (error) {
        return refusePage(reply, error);
      }
    },
  );

  app.get('/partner', async (_request, reply) => sendPage(reply, linkRequestPage()));

  app.post('/partner', { config: perHour }, async (request, reply) => {
    const form = ZLinkRequestSchema.safeParse(request.body ?? {});
    if (!form.success) return sendPage(reply, linkRequestPage(`Please correct: ${formatZodError(form.error)}`), 400);
    const { email, organizationName } = form.data;
    try {
      for (const partner of await partnersNamed(organizationName)) {
        if (partner.representative.email.toLowerCase() !== email.toLowerCase()) continue;
        const token = createPartnerStatusToken(partner.partnerId, partner.representative.email, signingSecret, Date.now());
        await sendPartnerEmail(mail, {
          to: partner.representative.email,
          subject: `Your link to the page of ${partner.organizationName}`,
          blocks: [
            { paragraph: `Dear ${partner.representative.name},` },
            {
              paragraph: `Here is the link to ${partner.organizationName}’s page, as asked on the partner page. It shows your application, what the agency must still sign and your contracts.`,
            },
            { link: { label: 'Your organization’s page', url: linkTo(mail, `/partner/${token}`) } },
            { paragraph: 'If you did not ask for it, you can ignore this email; keep the link to yourself.' },
          ],
        });
      }
      return sendPage(reply, LINK_SENT);
    } catch (error) {
      return refusePage(reply, error);
    }
  });

  /** Partners whose id is the name's slug (online applications), then those found by the words of the name. */
  async function partnersNamed(organizationName: string): Promise<TPartnerStatus[]> {
    const slugIds = Array.from({ length: 3 }, (_, i) => makePartnerId(organizationName, i + 1));
    const found = await searchPartners(context, { text: organizationName.slice(0, 100), pageSize: MAX_CANDIDATES }).catch(
      (error: unknown) => {
        if (isRefusal(error)) return { partners: [] };
        throw error;
      },
    );
    const ids = [...new Set([...slugIds, ...found.partners.map((p) => p.partnerId)])].slice(0, MAX_CANDIDATES);
    const statuses = await Promise.all(
      ids.map((id) =>
        withinDeadline(() => getPartnerStatus(context, id)).catch((error: unknown) => {
          if (isRefusal(error)) return null;
          throw error;
        }),
      ),
    );
    return statuses.filter((status): status is TPartnerStatus => status !== null);
  }
}
