import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TCpoContext } from '../../client/context';
import { getContractStatus, startProgram } from '../../client/contracts';
import { CpoError, CpoInputError, CpoUnavailableError, parseInput } from '../../client/errors';
import { searchContracts } from '../../client/search/search-contracts';
import { ZIdSchema, ZNameSchema } from '../../domain/schemas/common';
import type { TContractStatus } from '../../domain/schemas/contract';
import { canRecordProgramStart, mayRecordProgramStarts } from '../../domain/staff-access';
import { notice } from './pages/components';
import { dashboardPage } from './pages/dashboard-layout';
import { programStartsPage, schoolsPage } from './pages/program-starts-page';
import { sendApiError } from './send-api-error';
import { answerUnlessAllowed } from './require-access';
import { problemLines } from '../../domain/format-zod-error';
import { isOpenAmendment } from '../../domain/is-open-amendment';

const ANY_START = 'record program starts';
const startAction = (school: string | undefined): string =>
  school ? `record program starts at ${school}` : 'record a program start at every school of a contract at once';

/** How long one contract's answer may take before the page is shown without it. */
const ROW_DEADLINE_MS = 5_000;

const ZProgramStartBodySchema = z.object({ school: ZNameSchema.optional() });
const ZSchoolParamSchema = z.object({ school: ZNameSchema });
const ZProgramStartFormSchema = z.object({ contractId: ZIdSchema });

const describe = (error: CpoError): string => [error.message, ...problemLines(error.problems)].join(' — ');

/** Why the program may not start at this school now (the workflow's reason, or an amendment adding it), or null. */
function blockedAtSchool(status: TContractStatus, school: string): string | null {
  if (status.programStartBlockedReason) return status.programStartBlockedReason;
  const adding = status.amendments.find((a) => a.addSchools.includes(school) && isOpenAmendment(a));
  return adding ? `${school} is being added by amendment ${adding.number}, which both parties have not yet signed` : null;
}

/** `POST /api/contracts/:contractId/program-starts` `{ school? }`: the `startProgram` update, as the signed-in person. */
export function registerProgramStartApi(api: FastifyInstance, context: TCpoContext): void {
  api.post<{ Params: { contractId: string } }>('/api/contracts/:contractId/program-starts', async (request, reply) => {
    const staff = request.staff!;
    try {
      const anyRefused = answerUnlessAllowed(request, reply, mayRecordProgramStarts(staff.access), ANY_START);
      if (anyRefused) return anyRefused;
      const { school } = parseInput(ZProgramStartBodySchema, request.body ?? {});
      const refused = answerUnlessAllowed(request, reply, canRecordProgramStart(staff.access, school ?? ''), startAction(school));
      if (refused) return refused;
      const start = await startProgram(context, request.params.contractId, {
        by: { name: staff.name, email: staff.email },
        ...(school ? { school } : {}),
      });
      return reply.code(201).send(start);
    } catch (error) {
      return sendApiError(request, reply, error);
    }
  });
}

/** The per-school pages: which programs may start, and recording a start. */
export function registerProgramStartPages(pages: FastifyInstance, context: TCpoContext): void {
  const timeZone = context.policy.timeZone;
  const render = (request: FastifyRequest, reply: FastifyReply, title: string, body: string, code = 200) => {
    reply.code(code).type('text/html; charset=utf-8');
    if (request.headers['x-live-fragment']) return reply.send(body);
    return reply.send(dashboardPage({ title, section: 'schools', staff: request.staff!, body }));
  };
  const schoolPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    school: string,
    message?: { text: string; tone: 'ok' | 'error' },
    code = 200,
  ) => {
    const { contracts } = await searchContracts(context, { school, view: 'open', pageSize: 200 });
    // One contract whose worker does not answer must not hide the others: it is named as "try again" instead.
    const answers = await Promise.all(
      contracts.map(async (listing) => {
        try {
          const status = await context.client.connection.withDeadline(Date.now() + ROW_DEADLINE_MS, () =>
            getContractStatus(context, listing.contractId),
          );
          return { status, organizationName: listing.organizationName, blockedReason: blockedAtSchool(status, school) };
        } catch (error) {
          if (error instanceof CpoUnavailableError) return listing.programName;
          throw error;
        }
      }),
    );
    const rows = answers.filter((answer) => typeof answer !== 'string');
    const silent = answers.filter((answer) => typeof answer === 'string');
    const shown =
      message ??
      (silent.length > 0
        ? {
            text: `${silent.length} contract(s) did not answer in time (${silent.slice(0, 5).join(', ')}${silent.length > 5 ? ', …' : ''}); try again in a minute.`,
            tone: 'error' as const,
          }
        : undefined);
    return render(
      request,
      reply,
      school,
      programStartsPage({ school, contracts: rows, timeZone, ...(shown ? { message: shown } : {}) }),
      code,
    );
  };
  /** The school named in the address, if this account may act there; otherwise the refusal was sent. */
  const schoolOf = (request: FastifyRequest, reply: FastifyReply): string | FastifyReply => {
    const { school } = parseInput(ZSchoolParamSchema, request.params);
    return answerUnlessAllowed(request, reply, canRecordProgramStart(request.staff!.access, school), startAction(school)) ?? school;
  };
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (!(error instanceof CpoError)) throw error;
    return render(request, reply, 'Not done', notice(describe(error), 'error'), error.httpStatus);
  };

  pages.get('/dashboard/schools', async (request, reply) => {
    const access = request.staff!.access;
    const refused = answerUnlessAllowed(request, reply, mayRecordProgramStarts(access), ANY_START);
    if (refused) return refused;
    return render(
      request,
      reply,
      'Program starts',
      schoolsPage(access.role === 'school' ? access.schools : (context.policy.schools ?? [])),
    );
  });

  pages.get<{ Params: { school: string }; Querystring: { started?: string } }>('/dashboard/schools/:school', async (request, reply) => {
    try {
      const school = schoolOf(request, reply);
      if (typeof school !== 'string') return school;
      const started = request.query.started === 'yes' ? { text: 'The program start is recorded.', tone: 'ok' as const } : undefined;
      return await schoolPage(request, reply, school, started);
    } catch (error) {
      return refuse(request, reply, error);
    }
  });

  pages.post<{ Params: { school: string } }>('/dashboard/schools/:school/program-starts', async (request, reply) => {
    try {
      const school = schoolOf(request, reply);
      if (typeof school !== 'string') return school;
      const form = ZProgramStartFormSchema.safeParse(request.body ?? {});
      if (!form.success) throw CpoInputError.forField('contractId', form.error.issues[0]!.message);
      const staff = request.staff!;
      try {
        await startProgram(context, form.data.contractId, { by: { name: staff.name, email: staff.email }, school });
      } catch (error) {
        if (!(error instanceof CpoError)) throw error;
        return await schoolPage(request, reply, school, { text: describe(error), tone: 'error' }, error.httpStatus);
      }
      return reply.redirect(`/dashboard/schools/${encodeURIComponent(school)}?started=yes`, 303);
    } catch (error) {
      return refuse(request, reply, error);
    }
  });
}
