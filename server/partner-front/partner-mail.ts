import type { Transporter } from 'nodemailer';
import { renderBlocks, type TBlock } from '../../activities/email/render-blocks';
import { CpoUnavailableError } from '../../client/errors';
import type { TPolicy } from '../../domain/policy';

/** How the partner pages send their emails (confirmation links, status links, notices to the office). */
export interface TPartnerMailDeps {
  mailer: Transporter;
  /** The From of every email, as the worker's (MAIL_FROM). */
  from: string;
  /** Where the pages are served (CPO_PUBLIC_URL): the links in the emails start with it. */
  publicUrl: string;
}

export interface TPartnerEmail {
  to: string;
  subject: string;
  blocks: TBlock[];
}

/** The office that takes applications: the policy's `cpo_office`, else its first office. */
export const officeAddressOf = (policy: TPolicy): string =>
  (Object.hasOwn(policy.offices, 'cpo_office') ? policy.offices.cpo_office! : Object.values(policy.offices)[0]!).email;

export const linkTo = (deps: TPartnerMailDeps, path: string): string => `${deps.publicUrl.replace(/\/$/, '')}${path}`;

/** Sends one email now; a mail server that does not take it is an outage ("try again"), never a refusal. */
export async function sendPartnerEmail(deps: TPartnerMailDeps, email: TPartnerEmail): Promise<void> {
  const rendered = renderBlocks(email.subject, email.blocks);
  try {
    await deps.mailer.sendMail({ from: deps.from, to: email.to, subject: rendered.subject, text: rendered.text, html: rendered.html });
  } catch {
    throw new CpoUnavailableError(
      'The district’s mail server did not take the email; nothing was lost. Please try again in a few minutes.',
    );
  }
}
