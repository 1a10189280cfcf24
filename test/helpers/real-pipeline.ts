import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { createStorage } from '../../activities/storage/create-storage';
import type { DocumentStore } from '../../activities/storage/document-store';
import type { TCpoContext } from '../../client/context';
import type { TPolicy } from '../../domain/policy';
import { parseEnv, type TEnv } from '../../config/env';
import { loadSigningCredential } from '../../config/load-signing-credential';
import { loadSigningSecret } from '../../config/signing-secret';
import type { TSigningCredential } from '../../security/signing-credential';
import { startContract } from '../../client/contracts';
import { getPartnerStatus } from '../../client/partners';
import { SmtpCatcher, type TCaughtMail } from '../../scripts/smtp-catcher';
import { createServer, type TServerDeps } from '../../server/create-server';
import { agencySigningLinkFor as makeAgencySigningLinkFor } from '../../server/partner-front/affirmation-link-for';
import { createMailer } from '../../worker/create-mailer';
import { createProductionActivities } from '../../worker/create-worker';
import { contractRequest, readyPartner } from './fixtures';
import { startS3Server, type TS3Server } from '../../scripts/s3-server';
import { contextFor, eventually, uniqueId, uniqueTaskQueue, type TTestTemporal } from './temporal';

export interface TRealPipeline {
  /** The real SMTP server on loopback that receives every email the worker sends. */
  readonly catcher: SmtpCatcher;
  readonly dataDir: string;
  readonly env: TEnv;
  readonly context: TCpoContext;
  /** The documents the worker writes, read as the server reads them (the folder, or the bucket with `s3: true`). */
  readonly documents: DocumentStore;
  /** The S3-compatible server holding documents and the sent-mail log, when started with `s3: true`. */
  readonly s3: TS3Server;
  readonly signingSecret: string;
  /** The district certificate the worker signs executed documents with (generated in the data folder). */
  readonly signingCredential: TSigningCredential;
  /** The signing pages' address, when started with `server: true`. */
  readonly baseUrl: string;
}

/**
 * Everything real for a test file: an SMTP server, a temporary data folder, the production activities on a
 * worker for the file, and optionally the HTTP server, its address written into the emails' links (with
 * `partnerFront: true` it serves /apply and /partner, sending their emails to the same SMTP server). With `s3: true`
 * documents and the sent-mail log go to an S3-compatible server on loopback (CPO_DOCUMENT_STORE=s3).
 */
export function useRealPipeline(
  temporal: TTestTemporal,
  options: {
    server?: Omit<TServerDeps, 'context' | 'documents' | 'signingSecret'>;
    policy?: TPolicy;
    s3?: boolean;
    partnerFront?: boolean | { applicationsPerHour: number };
  } = {},
): TRealPipeline {
  const pipeline = {} as { -readonly [K in keyof TRealPipeline]: TRealPipeline[K] };
  beforeAll(async () => {
    pipeline.catcher = new SmtpCatcher();
    const smtpPort = await pipeline.catcher.listen(0);
    pipeline.dataDir = await mkdtemp(path.join(tmpdir(), 'cpo-e2e-'));
    if (options.s3) pipeline.s3 = await startS3Server();
    const baseEnv = {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      CPO_DATA_DIR: pipeline.dataDir,
      MAIL_FROM: 'Community Partnerships Office <cpo@mpls.k12.mn.us>',
      ...pipeline.s3?.env,
    };
    const taskQueue = uniqueTaskQueue('pipeline');
    pipeline.context = contextFor(temporal.env, taskQueue, options.policy);
    pipeline.documents = createStorage(parseEnv(baseEnv)).documents;
    pipeline.signingSecret = loadSigningSecret(parseEnv(baseEnv));
    pipeline.signingCredential = loadSigningCredential(parseEnv(baseEnv), pipeline.context.policy.district);
    if (options.server) {
      // The partner pages' emails link to the server, whose address is known once it listens.
      const agencySigningLinkFor = makeAgencySigningLinkFor(pipeline.context.policy, pipeline.signingSecret);
      const mail = { mailer: createMailer(parseEnv(baseEnv)), from: baseEnv.MAIL_FROM, publicUrl: '' };
      const server = await createServer({
        ...options.server,
        ...(options.partnerFront
          ? { partnerFront: { mail, agencySigningLinkFor, ...(options.partnerFront === true ? {} : options.partnerFront) } }
          : {}),
        context: pipeline.context,
        documents: pipeline.documents,
        signingSecret: pipeline.signingSecret,
        sealedBy: pipeline.signingCredential.subject,
      });
      pipeline.baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
      const listening = server;
      temporal.stopBeforeWorkers(() => listening.close());
      mail.publicUrl = pipeline.baseUrl;
    }
    pipeline.env = parseEnv({ ...baseEnv, ...(pipeline.baseUrl ? { CPO_PUBLIC_URL: pipeline.baseUrl } : {}) });
    temporal.runWorkerForFile(
      await Worker.create({
        connection: temporal.env.nativeConnection,
        taskQueue,
        workflowBundle: temporal.workflowBundle,
        activities: createProductionActivities(pipeline.env, pipeline.context),
      }),
    );
  });
  afterAll(async () => {
    await pipeline.catcher?.close();
    await pipeline.s3?.close();
    if (pipeline.dataDir) await rm(pipeline.dataDir, { recursive: true, force: true });
  });
  return pipeline;
}

/** Matches the signature request email number `requestNumber` to `to`. */
export const signatureRequestTo =
  (to: string, requestNumber: number) =>
  (mail: TCaughtMail): boolean =>
    mail.envelopeTo.includes(to) && (mail.parsed.subject ?? '').includes(`(request #${requestNumber})`);

/** A ready partner's new $0 contract, waiting for the partner's signature, and the request email it sent. */
export async function contractAwaitingPartner(pipeline: TRealPipeline) {
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  await readyPartner(pipeline.context, partnerId);
  await startContract(pipeline.context, contractRequest(contractId, partnerId, { programName: `Tutoring ${contractId}` }));
  const partnerEmail = `lan@${partnerId}.example`;
  const request = await pipeline.catcher.waitFor(signatureRequestTo(partnerEmail, 1));
  return { partnerId, contractId, partnerEmail, request };
}

/** A ready partner's new contract exchanging student data, waiting for the data-sharing agreement, and its request email. */
export async function contractAwaitingDataSharing(pipeline: TRealPipeline) {
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  await readyPartner(pipeline.context, partnerId);
  await startContract(pipeline.context, contractRequest(contractId, partnerId, { exchangesStudentData: true }));
  const email = `lan@${partnerId}.example`;
  const mail = await pipeline.catcher.waitFor((m) => m.envelopeTo.includes(email) && /Data-sharing/.test(m.parsed.subject ?? ''));
  // The email is caught before the workflow hears it went out.
  await eventually(async () =>
    (await getPartnerStatus(pipeline.context, partnerId)).history.some((entry) => entry.event === 'record_requested'),
  );
  return { partnerId, contractId, email, mail };
}
