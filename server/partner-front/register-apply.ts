import type { FastifyInstance } from 'fastify';
import { documentIdOf, type DocumentStore } from '../../activities/storage/document-store';
import { confirmOnlineApplication } from '../../client/confirm-online-application';
import type { TCpoContext } from '../../client/context';
import { CpoInputError, parseWrittenInput } from '../../client/errors';
import { readDocument } from '../../client/read-document';
import { ZOnlineApplicationSchema, type TOnlineApplication } from '../../domain/schemas/online-application';
import { createApplyConfirmToken, verifyApplyConfirmToken } from '../../security/apply-confirm-token';
import { createPartnerStatusToken } from '../../security/partner-status-token';
import { escapeHtml, messagePage, page } from '../pages/layout';
import { applicationFromForm, type TFormBody } from './application-form';
import { applyPage, HONEYPOT_FIELD } from './apply-page';
import { officeAddressOf, linkTo, sendPartnerEmail, type TPartnerMailDeps } from './partner-mail';
import { PageError, refusePage } from '../pages/token-page';
import { sendPage, tokenRefusal } from './token-page';

export interface TPartnerFrontDeps {
  context: TCpoContext;
  documents: DocumentStore;
  signingSecret: string;
  mail: TPartnerMailDeps;
  /** Applications (and link requests) per address per hour. */
  applicationsPerHour?: number;
}

/** Room for the longest application in any script (a character may take 9 bytes once form-encoded). */
const APPLICATION_BODY_LIMIT = 64 * 1024;

/** The same answer for every application sent: whether the organization or address is known is never shown. */
const CHECK_YOUR_EMAIL = messagePage(
  'Check your email',
  'We sent a link to the representative’s email address. The application counts once you follow that link (within 48 hours). If no email arrives, check the address and apply again.',
  'ok',
);
const CONFIRMED = messagePage(
  'Application confirmed',
  'Thank you: your email address is confirmed and the Community Partnerships Office has your application. We emailed you what happens next, with the link to your organization’s page.',
  'ok',
);

const FRESH_LINK = 'Use the link in the most recent email, or apply again.';

export function registerApply(app: FastifyInstance, deps: TPartnerFrontDeps): void {
  const { context, documents, signingSecret, mail } = deps;
  const perHour = { rateLimit: { max: deps.applicationsPerHour ?? 10, timeWindow: '1 hour' } };

  app.get('/apply', async (_request, reply) => sendPage(reply, applyPage(context.policy.district)));

  app.post<{ Body: TFormBody }>('/apply', { bodyLimit: APPLICATION_BODY_LIMIT, config: perHour }, async (request, reply) => {
    const form = request.body ?? {};
    if (typeof form !== 'object') throw new PageError(400, 'Request refused', 'Send the application form.');
    // A robot filled the hidden field: it gets the usual answer, and nothing is stored or sent.
    if (form[HONEYPOT_FIELD]) return sendPage(reply, CHECK_YOUR_EMAIL);
    let application: TOnlineApplication;
    try {
      application = parseWrittenInput(ZOnlineApplicationSchema, applicationFromForm(form));
    } catch (error) {
      if (!(error instanceof CpoInputError)) throw error;
      return sendPage(reply, applyPage(context.policy.district, form, error.problems), 400);
    }
    try {
      const stored = await documents
        .put(new TextEncoder().encode(JSON.stringify(application)), { kind: 'application', filename: 'application.json' })
        .catch(() => {
          throw new PageError(
            503,
            'Try again in a minute',
            'The application could not be saved just now; nothing was lost. Please send it again in a minute.',
          );
        });
      const token = createApplyConfirmToken(stored.sha256, application.representative.email, signingSecret, Date.now());
      await sendPartnerEmail(mail, {
        to: application.representative.email,
        subject: `Confirm the application of ${application.organizationName}`,
        blocks: [
          { paragraph: `Dear ${application.representative.name},` },
          {
            paragraph: `Someone, hopefully you, applied to ${context.policy.district} to become a Certified Community Partner for ${application.organizationName}, giving this address for its representative. The application counts only once you confirm it.`,
          },
          { link: { label: 'Confirm the application', url: linkTo(mail, `/apply/confirm/${token}`) } },
          { paragraph: 'The link works once, for 48 hours. If you did not apply, ignore this email: nothing happens.' },
        ],
      });
      return sendPage(reply, CHECK_YOUR_EMAIL);
    } catch (error) {
      return refusePage(reply, error);
    }
  });

  /** The application a confirmation link holds, or why the link cannot be used. */
  async function openApplication(token: string): Promise<TOnlineApplication> {
    const checked = verifyApplyConfirmToken(token, signingSecret, Date.now());
    if (!checked.ok) throw tokenRefusal(checked.reason, 'confirmation', FRESH_LINK);
    const bytes = await readDocument(documents, {
      id: documentIdOf('application', checked.claims.applicationSha256),
      sha256: checked.claims.applicationSha256,
    });
    const application = parseWrittenInput(ZOnlineApplicationSchema, JSON.parse(new TextDecoder().decode(bytes)));
    if (application.representative.email !== checked.claims.email) throw tokenRefusal('forged', 'confirmation', FRESH_LINK);
    return application;
  }

  // Following the link only shows the application: mail scanners open links too, and must not confirm it.
  app.get<{ Params: { token: string } }>('/apply/confirm/:token', async (request, reply) => {
    try {
      const application = await openApplication(request.params.token);
      return sendPage(
        reply,
        page(
          'Confirm your application',
          `<h1>Confirm your application</h1><dl><dt>Organization</dt><dd>${escapeHtml(application.organizationName)}</dd><dt>Representative</dt><dd>${escapeHtml(application.representative.name)}, ${escapeHtml(application.representative.title)}</dd><dt>Email</dt><dd>${escapeHtml(application.representative.email)}</dd></dl>
<form method="post"><p>By confirming, you say that you represent this organization and that what the application says is true.</p><button type="submit">Confirm the application</button></form>`,
        ),
      );
    } catch (error) {
      return refusePage(reply, error);
    }
  });

  app.post<{ Params: { token: string } }>('/apply/confirm/:token', { config: perHour }, async (request, reply) => {
    try {
      const application = await openApplication(request.params.token);
      const confirmed = await confirmOnlineApplication(context, application);
      const statusLink = linkTo(
        mail,
        `/partner/${createPartnerStatusToken(confirmed.partnerId, application.representative.email, signingSecret, Date.now())}`,
      );
      const greeting = { paragraph: `Dear ${application.representative.name},` };
      if (confirmed.outcome === 'started') {
        await sendPartnerEmail(mail, {
          to: officeAddressOf(context.policy),
          subject: `New partner application: ${application.organizationName}`,
          blocks: [
            {
              paragraph: `${application.organizationName} applied online; ${application.representative.name} confirmed the email address.`,
            },
            {
              facts: [
                ['Partner id', confirmed.partnerId],
                ['Representative', `${application.representative.name}, ${application.representative.title}`],
                ['Email', application.representative.email],
                ['Phone', application.representative.phone ?? ''],
              ],
            },
            ...(confirmed.sameNameAs
              ? [
                  {
                    paragraph: `An organization of the same name is on file as ${confirmed.sameNameAs.partnerId}, with another representative: check before certifying.`,
                  },
                ]
              : []),
            { paragraph: `Review it on the dashboard or with \`cpo partner review --partner-id ${confirmed.partnerId}\`.` },
          ],
        });
      }
      if (confirmed.sameNameAs) {
        await sendPartnerEmail(mail, {
          to: confirmed.sameNameAs.representative.email,
          subject: `Another application was made in the name of ${confirmed.sameNameAs.organizationName}`,
          blocks: [
            { paragraph: `Dear ${confirmed.sameNameAs.representative.name},` },
            {
              paragraph: `Someone giving another email address applied online to ${context.policy.district} in the name of ${confirmed.sameNameAs.organizationName}. The office will check it with you before doing anything with it. If you do not know of it, tell the Community Partnerships Office.`,
            },
          ],
        });
      }
      await sendPartnerEmail(mail, {
        to: application.representative.email,
        subject: `Application received: ${application.organizationName}`,
        blocks: [
          greeting,
          {
            paragraph:
              confirmed.outcome === 'started'
                ? `The Community Partnerships Office has the application of ${application.organizationName} and will review it against the certification criteria. You can see where it stands at any time on your organization’s page.`
                : `${application.organizationName} already has an application with you as its representative, so nothing new was registered. Your organization’s page shows where it stands.`,
          },
          { link: { label: 'Your organization’s page', url: statusLink } },
          {
            paragraph:
              'Keep this link to yourself: it shows your organization’s contracts. You can ask for a new one at any time on the partner page.',
          },
        ],
      });
      return sendPage(reply, CONFIRMED);
    } catch (error) {
      return refusePage(reply, error);
    }
  });
}
