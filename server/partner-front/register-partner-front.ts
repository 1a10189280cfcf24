import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { registerApply } from './register-apply';
import { registerPartnerPage, type TPartnerPageDeps } from './register-partner-page';
import { guardTokenPages } from './token-page';

export type TPartnerFrontOptions = Omit<TPartnerPageDeps, 'context' | 'documents' | 'signingSecret'>;

/** The partner's front door: the public application (/apply), its confirmation, and the partner's own page (/partner). */
export async function registerPartnerFront(app: FastifyInstance, deps: TPartnerPageDeps): Promise<void> {
  await app.register(async (front) => {
    // Per address: pages 60 a minute; applications and link requests fewer, per route.
    await front.register(rateLimit, { max: 60, timeWindow: '1 minute' });
    guardTokenPages(front);
    registerApply(front, deps);
    registerPartnerPage(front, deps);
  });
}
