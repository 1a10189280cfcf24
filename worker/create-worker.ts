import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { TRenewalContracts } from '../activities/start-renewal-contract';
import type { TCpoContext } from '../client/context';
import { connectCpo } from '../client/context';
import type { TFindRepresentative } from '../activities/partner-status-link';
import { getContractStatus, startContract } from '../client/contracts';
import { getPartnerStatus } from '../client/partners';
import { CpoNotFoundError, CpoUnavailableError, isRefusal } from '../client/errors';
import { createStorage } from '../activities/storage/create-storage';
import type { TEnv } from '../config/env';
import { loadSigningCredential } from '../config/load-signing-credential';
import { loadSigningSecret } from '../config/signing-secret';
import { bundleWorkflowsApart } from './bundle-workflows';
import { createMailer } from './create-mailer';

/** Next year's contracts start through the Temporal client, under the policy file the worker loaded. */
export function renewalContractsFor(context: TCpoContext): TRenewalContracts {
  return {
    policy: context.policy,
    start: (request) => startContract(context, request),
    status: (contractId) =>
      getContractStatus(context, contractId).catch((error: unknown) => {
        if (error instanceof CpoNotFoundError) return null;
        throw error;
      }),
    isRefusal,
  };
}

/** A contract's partner and its representative, read from Temporal; null when either is gone. */
/** How long finding a contract's representative may take before the email goes without the partner page link. */
const FIND_REPRESENTATIVE_DEADLINE_MS = 5_000;

export function representativeFinderFor(context: TCpoContext): TFindRepresentative {
  return async (contractId) => {
    try {
      // Bounded: the link is a convenience, and a worker shutting down must not hold the email (or retry past it).
      return await context.client.connection.withDeadline(Date.now() + FIND_REPRESENTATIVE_DEADLINE_MS, async () => {
        const contract = await getContractStatus(context, contractId);
        const partner = await getPartnerStatus(context, contract.request.partnerId);
        return { partnerId: partner.partnerId, email: partner.representative.email };
      });
    } catch (error) {
      // Not found, or no answer in time: the email goes out without the link to the partner's page.
      if (error instanceof CpoNotFoundError || error instanceof CpoUnavailableError) return null;
      throw error;
    }
  };
}

/** The production wiring: SMTP through nodemailer, documents and the sent-mail log where CPO_DOCUMENT_STORE says. */
export function createProductionActivities(env: TEnv, context: TCpoContext) {
  return createActivities({
    renewals: renewalContractsFor(context),
    findRepresentative: representativeFinderFor(context),
    mailer: createMailer(env),
    ...createStorage(env),
    mailFrom: env.MAIL_FROM,
    signing: { secret: loadSigningSecret(env), publicUrl: env.CPO_PUBLIC_URL, replyDomain: env.CPO_REPLY_DOMAIN },
    districtSeal: { district: context.policy.district, credential: loadSigningCredential(env, context.policy.district) },
  });
}

export async function createCpoWorker(
  env: TEnv,
  overrides: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; connection: NativeConnection; close: () => Promise<void> }> {
  // Loads and checks the policy file: a bad one stops the worker here, naming the field.
  const cpo = connectCpo(env);
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    workflowBundle: await bundleWorkflowsApart(),
    activities: createProductionActivities(env, cpo.context),
    maxCachedWorkflows: env.CPO_WORKER_MAX_CACHED_WORKFLOWS,
    ...overrides,
  });
  return {
    worker,
    connection,
    close: async () => {
      await connection.close();
      await cpo.close();
    },
  };
}
