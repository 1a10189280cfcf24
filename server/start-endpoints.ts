import { createStorage } from '../activities/storage/create-storage';
import type { TCpoContext } from '../client/context';
import type { TEnv } from '../config/env';
import { loadStaffAuth } from '../config/load-staff-auth';
import { loadSigningCredential } from '../config/load-signing-credential';
import { loadSigningSecret } from '../config/signing-secret';
import { createReplyListener } from '../inbound/create-reply-listener';
import { createMailer } from '../worker/create-mailer';
import { createServer } from './create-server';
import { agencySigningLinkFor } from './partner-front/affirmation-link-for';

/**
 * The HTTP server (signing pages, application and status pages for partners; dashboard, directory and API for staff) and the listener for replies
 * to signature requests (Reply-To sign+<token>@CPO_REPLY_DOMAIN), whose answers go out like every email.
 */
export async function startEndpoints(
  env: TEnv,
  context: TCpoContext,
  options: { logStream?: NodeJS.WritableStream; log?: (line: string) => void } = {},
): Promise<{ httpUrl: string; repliesPort: number; close: () => Promise<void> }> {
  const { documents } = createStorage(env);
  const signingSecret = loadSigningSecret(env);
  const staff = loadStaffAuth(env, options.log);
  const mailer = createMailer(env);
  const http = await createServer({
    context,
    documents,
    signingSecret,
    sealedBy: loadSigningCredential(env, context.policy.district).subject,
    staff,
    partnerFront: {
      mail: { mailer, from: env.MAIL_FROM, publicUrl: env.CPO_PUBLIC_URL },
      agencySigningLinkFor: agencySigningLinkFor(context.policy, signingSecret),
    },
    trustedProxies: env.CPO_TRUSTED_PROXIES,
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  const httpUrl = await http.listen({ host: env.CPO_HTTP_HOST, port: env.CPO_HTTP_PORT });
  const replies = createReplyListener({
    context,
    documents,
    signingSecret,
    mailer,
    mailFrom: env.MAIL_FROM,
    replyDomain: env.CPO_REPLY_DOMAIN,
    ...(options.log ? { log: options.log } : {}),
  });
  const repliesPort = await replies.listen(env.CPO_INBOUND_SMTP_PORT, env.CPO_INBOUND_SMTP_HOST);
  return {
    httpUrl,
    repliesPort,
    close: async () => {
      await http.close();
      await replies.close();
    },
  };
}
