// Property-based bad input for every `cpo` command, run in-process against a real Temporal server: whatever the
// arguments, bad input ends with a non-zero exit and a message naming what is wrong (never a stack trace, never
// output on stdout), and the workflows the commands were aimed at do not change.
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { z } from 'zod';
import { createFolderDocumentStore } from '../../activities/storage/document-store';
import type { TCommand } from '../../client/cli/command';
import { COMMANDS } from '../../client/cli/commands';
import { dollarsToCents } from '../../client/cli/flags';
import { EXIT } from '../../client/cli/run-cli';
import type { TCpoContext } from '../../client/context';
import { getContractStatus } from '../../client/contracts';
import { ZListFilterSchema } from '../../client/list-workflows';
import { ZBoardFilterSchema } from '../../client/search/pipeline-board';
import { routeAmountProblem, ZAmendContractSchema, ZContractRequestSchema } from '../../domain/schemas/contract';
import { ZEmailSchema, ZIdSchema, ZNameSchema, ZReasonSchema, ZSha256Schema } from '../../domain/schemas/common';
import { ZCertifyPartnerSchema, ZRecordAgencyRecordSchema, ZResendAgencyRecordRequestSchema } from '../../domain/schemas/partner';
import { ZDateOrInstantSchema, ZDateSchema } from '../../domain/dates';
import { lastDayOf, localDate, schoolYearOf } from '../../domain/school-year';
import { CERTIFICATION_CRITERIA, PARTNERSHIP_CATEGORIES, SERVICE_TYPES, SIGNER_ROLES } from '../../domain/vocabulary';
import { anyText, invalidBy, leaksInternals } from '../helpers/bad-input';
import { currentTerm, testClock } from '../helpers/clock';
import { MUTATION_BLOCKED, readOnlyContext, runCpo, type TCliRun } from '../helpers/cli-harness';
import { fakeWorkerFor } from '../helpers/fake-worker';
import {
  CPO_OFFICE,
  knownHandles,
  snapshotAll,
  startKnownWorkflows,
  type TKnownHandle,
  type TKnownWorkflows,
  type TWorkflowSnapshot,
} from '../helpers/known-workflows';
import { testPolicy, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

/** Runs per property and command; each run is one in-process CLI call (most never reach Temporal). */
const RUNS = 25;
/** Runs per kind of well-formed but refused command; each reaches the workflow's validator. */
const REFUSAL_RUNS = 15;

const temporal = useTemporalTestEnvironment();
let context: TCpoContext;
let known: TKnownWorkflows;
let handles: TKnownHandle[];
let baseline: TWorkflowSnapshot[];
let dataDir: string;
let notAContract: string;
/** A contract id nothing may ever create: the bad `contract start` runs aim at it. */
const ghostContract = uniqueId('ghost');

beforeAll(async () => {
  const worker = await fakeWorkerFor(temporal, 'cli-property');
  temporal.runWorkerForFile(worker.worker);
  context = worker.context;
  known = await startKnownWorkflows(context, 'cli');
  handles = knownHandles(context, known);
  baseline = await snapshotAll(handles);
  dataDir = await mkdtemp(path.join(tmpdir(), 'cpo-cli-property-'));
  notAContract = path.join(dataDir, 'not-a-contract.pdf');
  await writeFile(notAContract, 'not a PDF at all');
}, 120_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  // "No workflow changes": history, execution status, status query, accepted updates, failed tasks.
  expect(await snapshotAll(handles)).toEqual(baseline);
});

const cpo = (argv: string[], ctx: TCpoContext = context): Promise<TCliRun> =>
  runCpo(ctx, argv, () => createFolderDocumentStore(path.join(dataDir, 'documents')));

// ---------------------------------------------------------------------------------------------------------------
// What a valid invocation of each command looks like, and what makes each of its flags invalid.

interface TFlagArg {
  flag: string;
  value?: string;
}
interface TInvocation {
  flags: TFlagArg[];
  positionals: string[];
}
interface TCliSpec {
  /** A valid invocation aimed at the known workflows (after the command words). */
  valid: TInvocation;
  /** What the valid invocation does with a read-only client: reach a workflow change, succeed, or be refused so. */
  expect: 'mutation' | 'ok' | RegExp;
  /** Flags (or positional names) whose absence is bad input. */
  required: string[];
  /** Whether a value is acceptable for a string flag, here (the other flags as in `valid`). */
  values: Record<string, (value: string) => boolean>;
  /** Candidates worth trying for a flag besides random text (values that are only wrong in this context). */
  candidates?: Record<string, string[]>;
  /** What a problem with the flag may be reported as, when not its own name. */
  reportedAs?: Record<string, string[]>;
}

const daysAfter = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const accepts = (schema: z.ZodType) => (value: string) => schema.safeParse(value).success;
const oneOf = (values: readonly string[]) => (value: string) => values.includes(value);
const id = accepts(ZIdSchema);
const name = accepts(ZNameSchema);
const email = accepts(ZEmailSchema);
const reason = accepts(ZReasonSchema);
const never = () => false;
const trimmedName = (value: string): string | null => {
  const parsed = ZNameSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
};
/** The cents the CLI reads from --amount, or null when it refuses the text. */
const centsOf = (value: string): number | null => {
  try {
    return dollarsToCents(value) ?? null;
  } catch {
    return null;
  }
};
const cents = (value: string): boolean => {
  const amount = centsOf(value);
  return amount !== null && ZContractRequestSchema.shape.amountCents.safeParse(amount).success;
};
const flags = (...pairs: [string, string?][]): TFlagArg[] =>
  pairs.map(([flag, value]) => (value === undefined ? { flag } : { flag, value }));
const by = (who: { name: string; email?: string }): [string, string?][] => [
  ['by-name', who.name],
  ...(who.email ? [['by-email', who.email] as [string, string]] : []),
];

const DEPARTMENT_FLAGS = ['--paying-department-name', '--paying-department-approver-name', '--paying-department-approver-email'];

function specs(k: TKnownWorkflows, policy: TCpoContext['policy']): Record<string, TCliSpec> {
  const applied = k.representativeOf(k.applied);
  const signer = k.representativeOf(k.certified);
  const { startDate, endDate } = currentTerm(policy);
  const today = localDate(testClock(policy)(), policy.timeZone);
  const lastDayFor = (date: string) => lastDayOf(schoolYearOf(date, policy.schoolYear, policy.timeZone), policy.timeZone);
  /** Contracts name only the schools of the policy's list. */
  const listedSchool = (value: string) => policy.schools!.includes(trimmedName(value) ?? '');
  const zeroRouteWithoutDepartment = (route: string) => {
    const rule = policy.routes[route];
    return (
      !!rule &&
      routeAmountProblem(policy, route, 0) === null &&
      ![rule.initiatedBy, rule.approvedBy, rule.districtSigner].includes('paying_department')
    );
  };
  const reviewer = { reviewer: name, 'reviewer-email': email };
  const actor = { 'by-name': name, 'by-email': email };
  return {
    'partner apply': {
      valid: {
        flags: flags(
          ['partner-id', k.applied],
          ['organization-name', 'Ururka Haweenka'],
          ['representative-name', applied.name],
          ['representative-title', applied.title],
          ['representative-email', applied.email],
          ['service', 'enrichment'],
          ['category', 'community_education'],
        ),
        positionals: [],
      },
      expect: 'mutation',
      required: ['partner-id', 'organization-name', 'representative-name', 'representative-title', 'representative-email', 'service'],
      values: {
        'partner-id': id,
        'organization-name': name,
        'representative-name': name,
        'representative-title': name,
        'representative-email': email,
        service: oneOf(SERVICE_TYPES),
        category: oneOf(PARTNERSHIP_CATEGORIES),
      },
    },
    'partner review': {
      valid: {
        flags: flags(['partner-id', k.applied], ['reviewer', 'CPO Reviewer'], ['reviewer-email', CPO_OFFICE.email]),
        positionals: [],
      },
      expect: 'mutation',
      required: ['partner-id', 'reviewer'],
      values: { 'partner-id': id, ...reviewer },
    },
    'partner certify': {
      valid: {
        flags: flags(['partner-id', k.reviewing], ['reviewer', 'CPO Reviewer'], ['meets', 'all'], ['note', 'site visit done']),
        positionals: [],
      },
      expect: 'mutation',
      required: ['partner-id', 'reviewer', 'meets'],
      values: {
        'partner-id': id,
        ...reviewer,
        note: accepts(ZCertifyPartnerSchema.shape.note),
        meets: (value) => value === 'all' || CERTIFICATION_CRITERIA.every((criterion) => value.split(',').includes(criterion)),
      },
      candidates: { meets: ['none', 'ALL', 'all,', CERTIFICATION_CRITERIA.slice(1).join(','), CERTIFICATION_CRITERIA.join(';')] },
    },
    'partner reject': {
      valid: {
        flags: flags(['partner-id', k.reviewing], ['reviewer', 'CPO Reviewer'], ['reason', 'not a community partner']),
        positionals: [],
      },
      expect: 'mutation',
      required: ['partner-id', 'reviewer', 'reason'],
      values: { 'partner-id': id, ...reviewer, reason },
    },
    'partner withdraw': {
      valid: { flags: flags(['partner-id', k.reviewing], ...by(applied), ['reason', 'the program closed']), positionals: [] },
      expect: 'mutation',
      required: ['partner-id', 'by-name', 'reason'],
      values: { 'partner-id': id, ...actor, reason },
    },
    'partner terminate': {
      valid: { flags: flags(['partner-id', k.certified], ...by(CPO_OFFICE), ['reason', 'students left unsupervised']), positionals: [] },
      expect: 'mutation',
      required: ['partner-id', 'by-name', 'reason'],
      values: { 'partner-id': id, ...actor, reason },
    },
    'partner record': {
      valid: {
        flags: flags(['partner-id', k.certified], ['kind', 'photo_video_consent_practice'], ...by(CPO_OFFICE), [
          'statement',
          'Families sign the consent form before any photo.',
        ]),
        positionals: [],
      },
      expect: 'mutation',
      required: ['partner-id', 'kind', 'by-name', 'statement'],
      values: {
        'partner-id': id,
        kind: accepts(ZRecordAgencyRecordSchema.shape.kind),
        ...actor,
        statement: accepts(ZRecordAgencyRecordSchema.shape.statement),
        'school-year': accepts(ZRecordAgencyRecordSchema.shape.schoolYear),
        'document-sha256': accepts(ZSha256Schema),
      },
      candidates: { kind: ['safety_attestation'], 'school-year': ['2026/2027', '2026-27'], statement: ['too short', ` ${'x'.repeat(9)} `] },
    },
    'partner attest': {
      valid: {
        flags: flags(['partner-id', k.applied], ['name', applied.name], ['title', applied.title], ['email', applied.email], ['consent']),
        positionals: [],
      },
      expect: 'mutation',
      required: ['partner-id', 'name', 'title', 'email', 'consent'],
      values: { 'partner-id': id, name, title: name, email },
    },
    'partner resend-attestation': {
      valid: { flags: flags(['partner-id', k.applied], ...by(CPO_OFFICE)), positionals: [] },
      expect: 'mutation',
      required: ['partner-id', 'by-name'],
      values: { 'partner-id': id, ...actor },
    },
    'partner resend-record': {
      valid: { flags: flags(['partner-id', k.certified], ['kind', 'data_sharing_agreement'], ...by(CPO_OFFICE)), positionals: [] },
      expect: 'mutation',
      required: ['partner-id', 'kind', 'by-name'],
      values: { 'partner-id': id, kind: accepts(ZResendAgencyRecordRequestSchema.shape.kind), ...actor },
      candidates: { kind: ['safety_attestation'] },
    },
    'contract start': {
      valid: {
        flags: flags(
          ['contract-id', ghostContract],
          ['partner-id', k.certified],
          ['program-name', 'Robotics club'],
          ['service', 'enrichment'],
          ['school', 'Roosevelt High'],
          ['school', 'South High'],
          ['route', 'zero_dollar'],
          ['amount', '0'],
          ['start-date', startDate],
          ['end-date', endDate],
          ['initiated-by-name', CPO_OFFICE.name],
          ['partner-signer-name', signer.name],
          ['partner-signer-email', signer.email],
        ),
        positionals: [],
      },
      expect: 'mutation',
      required: [
        'contract-id',
        'partner-id',
        'program-name',
        'service',
        'school',
        'route',
        'amount',
        'start-date',
        'end-date',
        'initiated-by-name',
        'partner-signer-name',
        'partner-signer-email',
      ],
      values: {
        'contract-id': id,
        'partner-id': id,
        'program-name': name,
        'program-description': accepts(ZContractRequestSchema.shape.programDescription),
        service: oneOf(SERVICE_TYPES),
        // The first --school is replaced; the second stays, so the same school again is listed twice.
        school: (value) => listedSchool(value) && trimmedName(value) !== 'South High',
        route: zeroRouteWithoutDepartment,
        category: oneOf(PARTNERSHIP_CATEGORIES),
        amount: (value) => centsOf(value) === 0,
        'start-date': (value) => accepts(ZDateSchema)(value) && value < endDate && endDate <= lastDayFor(value),
        'end-date': (value) => accepts(ZDateSchema)(value) && value > startDate && value >= today && value <= lastDayFor(startDate),
        'go-live-date': (value) => accepts(ZDateOrInstantSchema)(value) && value.slice(0, 10) <= endDate && endDate <= lastDayFor(value),
        'initiated-by-name': name,
        'initiated-by-email': email,
        // Alone, any of the three leaves the department without the other two.
        'paying-department-name': never,
        'paying-department-approver-name': never,
        'paying-department-approver-email': never,
        'partner-signer-name': name,
        'partner-signer-email': email,
        'partner-signer-title': name,
      },
      candidates: {
        school: ['South High', ' South High ', 'Lyndale', 'lyndale elementary'],
        route: ['department_paid', 'Zero_Dollar', 'zero_dollar '],
        amount: ['0.001', '1', '0.01', '-0', '00.00.0', '1e3', '12.345', '1e309', 'NaN', '100000000.01'],
        'start-date': [daysAfter(endDate, 1), endDate, daysAfter(startDate, -300)],
        'end-date': [startDate, daysAfter(startDate, -1), daysAfter(today, -1), daysAfter(endDate, 1), daysAfter(endDate, 346)],
        'go-live-date': [daysAfter(endDate, 1), `${daysAfter(startDate, -300)}T00:00:00Z`, `${startDate}T00:00:00`],
      },
      reportedAs: {
        // Another route can be valid but not for this contract: its amount or paying department is then named.
        route: ['--route', '--amount', '--paying-department'],
        'start-date': ['--start-date', '--end-date'],
        'go-live-date': ['--go-live-date', '--end-date'],
        'paying-department-name': DEPARTMENT_FLAGS,
        'paying-department-approver-name': DEPARTMENT_FLAGS,
        'paying-department-approver-email': DEPARTMENT_FLAGS,
      },
    },
    'contract sign': {
      valid: {
        flags: flags(['contract-id', k.awaiting], ['role', 'partner'], ['name', signer.name], ['email', signer.email], ['consent']),
        positionals: [],
      },
      expect: 'mutation',
      required: ['contract-id', 'role', 'name', 'email', 'consent'],
      values: { 'contract-id': id, role: oneOf(SIGNER_ROLES), name, title: name, email },
    },
    'contract decline': {
      valid: { flags: flags(['contract-id', k.awaiting], ...by(signer), ['reason', 'our funding ended']), positionals: [] },
      expect: 'mutation',
      required: ['contract-id', 'by-name', 'reason'],
      values: { 'contract-id': id, ...actor, reason },
    },
    'contract void': {
      valid: { flags: flags(['contract-id', k.awaiting], ...by(CPO_OFFICE), ['reason', 'program cancelled']), positionals: [] },
      expect: 'mutation',
      required: ['contract-id', 'by-name', 'reason'],
      values: { 'contract-id': id, ...actor, reason },
    },
    'contract resend': {
      valid: { flags: flags(['contract-id', k.awaiting], ...by(CPO_OFFICE)), positionals: [] },
      expect: 'mutation',
      required: ['contract-id', 'by-name'],
      values: { 'contract-id': id, ...actor },
    },
    'contract approve': {
      valid: { flags: flags(['contract-id', k.approval], ['by-name', 'SCP Office'], ['by-email', k.approverEmail]), positionals: [] },
      expect: 'mutation',
      required: ['contract-id', 'by-name', 'by-email'],
      values: { 'contract-id': id, ...actor },
    },
    'contract amend': {
      valid: {
        flags: flags(['contract-id', k.live], ...by(CPO_OFFICE), ['school', 'Sanford Middle'], ['note', 'the principal asked']),
        positionals: [],
      },
      expect: 'mutation',
      required: ['contract-id', 'by-name', 'school'],
      values: { 'contract-id': id, ...actor, school: listedSchool, note: accepts(ZAmendContractSchema.shape.note) },
    },
    'contract renew': {
      valid: { flags: flags(['contract-id', k.live], ...by(CPO_OFFICE), ['amount', '0']), positionals: [] },
      expect: 'mutation',
      required: ['contract-id', 'by-name', 'by-email'],
      values: { 'contract-id': id, ...actor, 'new-contract-id': id, school: listedSchool, amount: cents },
      candidates: { amount: ['0.001', '-1', '1,5', '1e3', '99999999999'] },
    },
    'contract decline-renewal': {
      valid: { flags: flags(['contract-id', k.live], ...by(CPO_OFFICE), ['reason', 'the school chose another provider']), positionals: [] },
      expect: 'mutation',
      required: ['contract-id', 'by-name', 'reason'],
      values: { 'contract-id': id, ...actor, reason },
    },
    'program start': {
      valid: { flags: flags(['contract-id', k.live], ['by-name', 'Principal'], ['school', 'Anwatin Middle']), positionals: [] },
      expect: 'mutation',
      required: ['contract-id', 'by-name'],
      values: { 'contract-id': id, ...actor, school: name },
    },
    status: {
      valid: { flags: flags(['contract-id', k.awaiting]), positionals: [] },
      expect: 'ok',
      required: ['contract-id'],
      // With --contract-id given, --partner-id too is one id too many.
      values: { 'contract-id': id, 'partner-id': never },
      reportedAs: { 'contract-id': ['--contract-id', '--partner-id'] },
    },
    list: {
      valid: { flags: flags(['kind', 'contract'], ['partner-id', k.certified], ['limit', '5']), positionals: [] },
      expect: 'ok',
      required: [],
      values: {
        kind: accepts(ZListFilterSchema.shape.kind),
        stage: accepts(ZListFilterSchema.shape.stage),
        'partner-id': accepts(ZListFilterSchema.shape.partnerId),
        limit: (value) => ZListFilterSchema.shape.limit.safeParse(Number(value)).success,
      },
      candidates: { limit: ['0', '1001', '2.5', '-3', 'ten', ''] },
    },
    board: {
      valid: { flags: flags(['service', 'arts'], ['partner-id', k.certified]), positionals: [] },
      expect: 'ok',
      required: [],
      values: {
        school: accepts(ZBoardFilterSchema.shape.school),
        service: accepts(ZBoardFilterSchema.shape.service),
        route: accepts(ZBoardFilterSchema.shape.route),
        category: accepts(ZBoardFilterSchema.shape.category),
        'school-year': accepts(ZBoardFilterSchema.shape.schoolYear),
        'partner-id': accepts(ZBoardFilterSchema.shape.partnerId),
        text: accepts(ZBoardFilterSchema.shape.text),
      },
    },
    'staff-password': {
      valid: { flags: flags(['password', 'a-long-enough-password']), positionals: [] },
      expect: 'ok',
      // Without --password the command reads standard input; it is never left out here.
      required: [],
      values: { password: (value) => value.length >= 12 && value.length <= 200 },
      candidates: { password: ['eleven-char', 'x'.repeat(201)] },
    },
    verify: {
      valid: { flags: flags(['contract-id', k.live]), positionals: [notAContract] },
      expect: /Not verified/,
      required: ['FILE'],
      values: {
        'contract-id': id,
        FILE: (value) => {
          try {
            return statSync(value).isFile();
          } catch {
            return false;
          }
        },
      },
      candidates: { FILE: [dataDir, path.join(dataDir, 'missing.pdf'), '/'] },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Turning invocations into argv, and the checks every refusal must pass.

const wordsOf = (command: TCommand): string[] => command.name.split(' ');
const flagTokens = ({ flag, value }: TFlagArg, equals = false): string[] =>
  value === undefined ? [`--${flag}`] : equals || value.startsWith('-') ? [`--${flag}=${value}`] : [`--${flag}`, value];

interface TRender {
  /** Per flag argument: written `--flag=value` rather than `--flag value`. */
  equals?: boolean[];
  /** Tokens inserted before the flag argument at this index (0 … number of flags). */
  insert?: { at: number; tokens: string[] };
  json?: boolean;
}
function argvOf(command: TCommand, invocation: TInvocation, render: TRender = {}): string[] {
  const units = invocation.flags.map((arg, i) => flagTokens(arg, render.equals?.[i]));
  if (render.insert) units.splice(Math.min(render.insert.at, units.length), 0, render.insert.tokens);
  if (render.json) units.push(['--json']);
  // A positional that looks like a flag follows `--`, as a user would write it.
  const tail = invocation.positionals.some((p) => p.startsWith('-')) ? ['--', ...invocation.positionals] : invocation.positionals;
  return [...wordsOf(command), ...units.flat(), ...tail];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The message names `name` as a whole flag: `--school` is not found inside `--school-year`. */
const names = (text: string, name: string): boolean => new RegExp(`${escapeRegExp(name)}(?![a-zA-Z0-9-])`).test(text);

/** Every refusal: the exit code, nothing on stdout, a message on stderr without internals (and valid JSON with --json). */
function expectRefusal(run: TCliRun, argv: string[], code: number | 'non-zero' = EXIT.badInput): void {
  const context = `cpo ${JSON.stringify(argv)}\n→ exit ${run.code}\nstdout: ${run.out}\nstderr: ${run.err}`;
  if (code === 'non-zero') expect([context, run.code !== EXIT.ok]).toEqual([context, true]);
  else expect([context, run.code]).toEqual([context, code]);
  expect([context, run.out]).toEqual([context, '']);
  expect([context, run.err.trim().length > 0]).toEqual([context, true]);
  expect([context, leaksInternals(run.err)]).toEqual([context, false]);
  if (argv.includes('--json')) {
    const parsed = JSON.parse(run.err) as { error: { message: string; problems: { flag: string; message: string }[] } };
    expect(typeof parsed.error.message).toBe('string');
    expect(Array.isArray(parsed.error.problems)).toBe(true);
  }
}
function expectNamed(run: TCliRun, argv: string[], reported: string[]): void {
  const context = `cpo ${JSON.stringify(argv)}\nstderr: ${run.err}\nshould name one of ${reported.join(', ')}`;
  expect([context, reported.some((name) => names(run.err, name))]).toEqual([context, true]);
}

const reportedNames = (spec: TCliSpec, flag: string): string[] =>
  spec.reportedAs?.[flag] ?? [flag === flag.toUpperCase() ? flag : `--${flag}`];
const optionNames = (command: TCommand): string[] => Object.keys(command.options);
const isTaken = (command: TCommand, token: string): boolean =>
  ['--json', '--help'].includes(token) ||
  optionNames(command).some((option) => token === `--${option}` || token.startsWith(`--${option}=`));

const equalsForms = fc.array(fc.boolean(), { minLength: 30, maxLength: 30 });
const unknownFlag = (command: TCommand) =>
  fc
    .oneof(
      fc.stringMatching(/^--[a-z][a-z0-9-]{0,14}$/),
      fc.stringMatching(/^-[a-zA-Z]$/),
      fc.constantFrom('--no-consent', '--Partner-Id', '--partner_id', '--jsonx', '--help-me'),
    )
    .filter((flag) => !isTaken(command, flag));
/** Text that a shell would pass as a positional (anything not starting with a dash). */
const strayWord = anyText.filter((text) => !text.startsWith('-'));

let allSpecs: Record<string, TCliSpec>;
const specOf = (command: TCommand): TCliSpec => {
  allSpecs ??= specs(known, context.policy);
  const spec = allSpecs[command.name];
  if (!spec)
    throw new Error(`No bad-input spec for "cpo ${command.name}": add its valid invocation and flag rules to specs() in this file`);
  return spec;
};
const propertyOptions = { numRuns: RUNS, endOnFailure: true } as const;

// ---------------------------------------------------------------------------------------------------------------

test('every command has a spec, and its valid invocation passes every client check (it reaches a workflow change, or succeeds)', async () => {
  for (const command of COMMANDS) {
    const spec = specOf(command);
    const argv = argvOf(command, spec.valid);
    const run = await cpo(argv, readOnlyContext(context));
    const what = `cpo ${argv.join(' ')} → ${run.code}: ${run.err}`;
    if (spec.expect === 'mutation')
      expect([what, run.code, run.err]).toEqual([what, EXIT.refused, expect.stringContaining(MUTATION_BLOCKED)]);
    else if (spec.expect === 'ok') expect([what, run.code]).toEqual([what, EXIT.ok]);
    else expect([what, run.code, run.err]).toEqual([what, EXIT.refused, expect.stringMatching(spec.expect)]);
    for (const flag of Object.keys(spec.values)) {
      if (flag !== 'FILE') expect([command.name, flag, flag in command.options]).toEqual([command.name, flag, true]);
    }
  }
});

describe.each(COMMANDS.map((command) => [command.name, command] as const))('cpo %s', (_name, command) => {
  test('an unknown flag is refused, naming it', async () => {
    await fc.assert(
      fc.asyncProperty(
        unknownFlag(command),
        fc.option(
          anyText.filter((t) => !t.startsWith('-')),
          { nil: undefined },
        ),
        fc.nat(),
        equalsForms,
        fc.boolean(),
        async (flag, value, at, equals, json) => {
          const spec = specOf(command);
          const tokens = value === undefined ? [flag] : flag.startsWith('--') ? [`${flag}=${value}`] : [flag];
          const argv = argvOf(command, spec.valid, { insert: { at: at % (spec.valid.flags.length + 1), tokens }, equals, json });
          const run = await cpo(argv);
          expectRefusal(run, argv);
          expectNamed(run, argv, [flag]);
        },
      ),
      propertyOptions,
    );
  });

  test('a string flag without its value, or a boolean flag with one, is refused, naming it', async () => {
    const options = Object.entries(command.options);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...options), anyText, fc.boolean(), async ([flag, option], value, atEnd) => {
        const spec = specOf(command);
        const rest = spec.valid.flags.filter((arg) => arg.flag !== flag || option.multiple).flatMap((arg) => flagTokens(arg));
        const positionals = spec.valid.positionals;
        // A boolean flag with a value; a string flag at the very end, or right before another flag (all start with --).
        const argv =
          option.type === 'boolean'
            ? [...wordsOf(command), ...rest, `--${flag}=${value}`, ...positionals]
            : atEnd || rest.length === 0
              ? [...wordsOf(command), ...rest, ...positionals, `--${flag}`]
              : [...wordsOf(command), `--${flag}`, ...rest, ...positionals];
        const run = await cpo(argv);
        expectRefusal(run, argv);
        expectNamed(run, argv, [`--${flag}`]);
      }),
      propertyOptions,
    );
  });

  const single = Object.entries(command.options).filter(([, option]) => option.type === 'string' && !option.multiple);
  (single.length ? test : test.skip)('a single-value flag given twice is refused, naming it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...single.map(([flag]) => flag)),
        fc.option(anyText, { nil: undefined }),
        equalsForms,
        fc.boolean(),
        async (flag, other, equals, json) => {
          const spec = specOf(command);
          const given = spec.valid.flags.find((arg) => arg.flag === flag)?.value ?? other ?? 'x';
          const twice = {
            flags: [...spec.valid.flags.filter((arg) => arg.flag !== flag), { flag, value: given }, { flag, value: other ?? given }],
            positionals: spec.valid.positionals,
          };
          const argv = argvOf(command, twice, { equals, json });
          const run = await cpo(argv);
          expectRefusal(run, argv);
          expectNamed(run, argv, [`--${flag}`]);
        },
      ),
      propertyOptions,
    );
  });

  test('a stray argument is refused', async () => {
    await fc.assert(
      fc.asyncProperty(strayWord, fc.nat(), equalsForms, fc.boolean(), async (stray, at, equals, json) => {
        const spec = specOf(command);
        // verify takes FILE: a second argument is the stray one.
        const invocation = spec.valid.positionals.length ? { ...spec.valid, positionals: [...spec.valid.positionals, stray] } : spec.valid;
        const argv = spec.valid.positionals.length
          ? argvOf(command, invocation, { equals, json })
          : argvOf(command, invocation, { insert: { at: at % (spec.valid.flags.length + 1), tokens: [stray] }, equals, json });
        const run = await cpo(argv);
        expectRefusal(run, argv);
        expect(run.err).toMatch(/Unexpected argument/);
      }),
      propertyOptions,
    );
  });

  test('random argument lists are refused', async () => {
    const token = fc.oneof(
      { weight: 3, arbitrary: anyText },
      { weight: 2, arbitrary: fc.constantFrom(...optionNames(command).map((o) => `--${o}`), '--json', '--', '-', '---', '--=x') },
      { weight: 1, arbitrary: fc.constantFrom(...optionNames(command)).chain((o) => anyText.map((v) => `--${o}=${v}`)) },
    );
    await fc.assert(
      fc.asyncProperty(
        strayWord,
        strayWord,
        fc.array(
          token.filter((t) => t !== '--help'),
          { maxLength: 8 },
        ),
        async (first, second, tokens) => {
          // One stray word before anything else (two for verify, which takes one) makes any list bad input.
          const strays = command.positionals?.length ? [first, second] : [first];
          const argv = [...wordsOf(command), ...strays, ...tokens];
          const run = await cpo(argv);
          expectRefusal(run, argv);
        },
      ),
      propertyOptions,
    );
  });

  test('a required flag left out is refused, naming it', async () => {
    const spec = specOf(command);
    if (spec.required.length === 0) return;
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(spec.required, { minLength: 1, maxLength: Math.min(3, spec.required.length) }),
        equalsForms,
        fc.boolean(),
        async (missing, equals, json) => {
          const invocation = {
            flags: spec.valid.flags.filter((arg) => !missing.includes(arg.flag)),
            positionals: missing.includes('FILE') ? [] : spec.valid.positionals,
          };
          const argv = argvOf(command, invocation, { equals, json });
          const run = await cpo(argv);
          expectRefusal(run, argv);
          // Each missing flag is named when it is the only one; with several, at least one is (some checks stop at the first).
          if (missing.length === 1) expectNamed(run, argv, reportedNames(spec, missing[0]!));
          else
            expectNamed(
              run,
              argv,
              missing.flatMap((flag) => reportedNames(spec, flag)),
            );
        },
      ),
      propertyOptions,
    );
  });

  test('a bad value for a flag is refused, naming it', async () => {
    const spec = specOf(command);
    const badValue = (flag: string) =>
      invalidBy(spec.values[flag]!, fc.oneof(anyText, fc.constantFrom(...(spec.candidates?.[flag] ?? ['']))));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(spec.values)).chain((flag) => badValue(flag).map((value) => ({ flag, value }))),
        equalsForms,
        fc.boolean(),
        async ({ flag, value }, equals, json) => {
          let invocation: TInvocation;
          if (flag === 'FILE') invocation = { ...spec.valid, positionals: [value] };
          else {
            const at = spec.valid.flags.findIndex((arg) => arg.flag === flag);
            const flagsWithValue = [...spec.valid.flags];
            if (at === -1) flagsWithValue.push({ flag, value });
            else flagsWithValue[at] = { flag, value };
            invocation = { ...spec.valid, flags: flagsWithValue };
          }
          const argv = argvOf(command, invocation, { equals, json });
          const run = await cpo(argv);
          expectRefusal(run, argv);
          expectNamed(run, argv, reportedNames(spec, flag));
        },
      ),
      propertyOptions,
    );
  });
});

test('an unknown command is refused with the usage', async () => {
  const names = new Set(COMMANDS.map((command) => command.name));
  await fc.assert(
    fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 3 }), async (words) => {
      fc.pre(!names.has(words.slice(0, 2).join(' ')) && !names.has(words[0]!) && !['--help', 'help'].includes(words[0]!));
      const run = await cpo(words);
      expectRefusal(run, words);
      expect(run.err).toMatch(/^Unknown command|^Usage: cpo/);
    }),
    { numRuns: 100 },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Well-formed commands the workflows refuse now: exit 1, the reason, and still nothing changes.

const validName = fc.string({ minLength: 1, maxLength: 40 }).filter((text) => name(text) && !leaksInternals(text) && !/Error/.test(text));
const validEmail = fc.emailAddress().filter((text) => email(text) && text.length < 100);
const validReason = fc
  .string({ minLength: 3, maxLength: 80 })
  .filter((text) => reason(text) && !leaksInternals(text) && !/Error/.test(text));
const eq = (flag: string, value: string): string => `--${flag}=${value}`;
const notEmail = (address: string) => (candidate: string) => candidate.toLowerCase() !== address.toLowerCase();

const SCHOOLS_OF_LIVE = ['Anwatin Middle', 'Folwell Middle'];
const REFUSALS: Record<string, { argv: (k: TKnownWorkflows) => fc.Arbitrary<string[]>; reason: RegExp }> = {
  'review a certified partner': {
    argv: (k) => validName.map((n) => ['partner', 'review', eq('partner-id', k.certified), eq('reviewer', n)]),
    reason: /Cannot start the review while the stage is certified/,
  },
  'certify a certified partner': {
    argv: (k) => validName.map((n) => ['partner', 'certify', eq('partner-id', k.certified), eq('reviewer', n), '--meets=all']),
    reason: /Cannot certify the partner while the stage is certified/,
  },
  'reject a certified partner': {
    argv: (k) =>
      fc
        .tuple(validName, validReason)
        .map(([n, r]) => ['partner', 'reject', eq('partner-id', k.certified), eq('reviewer', n), eq('reason', r)]),
    reason: /Cannot reject the partner while the stage is certified/,
  },
  'terminate an applied partner': {
    argv: (k) =>
      fc
        .tuple(validName, validReason)
        .map(([n, r]) => ['partner', 'terminate', eq('partner-id', k.applied), eq('by-name', n), eq('reason', r)]),
    reason: /Cannot terminate the partnership while the stage is applied/,
  },
  'attest again': {
    argv: (k) =>
      fc
        .tuple(validName, validName)
        .map(([n, t]) => [
          'partner',
          'attest',
          eq('partner-id', k.certified),
          eq('name', n),
          eq('title', t),
          eq('email', k.representativeOf(k.certified).email),
          '--consent',
        ]),
    reason: /Every attestation form sent is already signed/,
  },
  'attest as someone else': {
    argv: (k) =>
      fc
        .tuple(validName, validName, validEmail.filter(notEmail(k.representativeOf(k.applied).email)))
        .map(([n, t, e]) => ['partner', 'attest', eq('partner-id', k.applied), eq('name', n), eq('title', t), eq('email', e), '--consent']),
    reason: /only the approved agency representative/,
  },
  'apply with a taken id': {
    argv: (k) =>
      fc
        .tuple(validName, validEmail)
        .map(([n, e]) => [
          'partner',
          'apply',
          eq('partner-id', k.certified),
          eq('organization-name', n),
          eq('representative-name', n),
          eq('representative-title', n),
          eq('representative-email', e),
          '--service=arts',
        ]),
    reason: /A partner with id .* already exists/,
  },
  'start a contract with a taken id': {
    argv: (k) => validName.map((n) => contractStart(k, k.awaiting, k.certified, n)),
    reason: /A contract with id .* already exists/,
  },
  'start a contract for an unknown partner': {
    argv: (k) => validName.map((n) => contractStart(k, ghostContract, uniqueId('nobody'), n)),
    reason: /No partner with id/,
  },
  'countersign first': {
    argv: (k) =>
      validName.map((n) => [
        'contract',
        'sign',
        eq('contract-id', k.awaiting),
        '--role=district',
        eq('name', n),
        eq('email', CPO_OFFICE.email),
        '--consent',
      ]),
    reason: /waiting for the partner signature, not the district/,
  },
  'sign as someone else': {
    argv: (k) =>
      fc
        .tuple(validName, validEmail.filter(notEmail(k.representativeOf(k.certified).email)))
        .map(([n, e]) => ['contract', 'sign', eq('contract-id', k.awaiting), '--role=partner', eq('name', n), eq('email', e), '--consent']),
    reason: /only .* may sign for the partner/,
  },
  'decline as someone else': {
    argv: (k) =>
      fc
        .tuple(validName, validEmail.filter(notEmail(k.representativeOf(k.certified).email)), validReason)
        .map(([n, e, r]) => ['contract', 'decline', eq('contract-id', k.awaiting), eq('by-name', n), eq('by-email', e), eq('reason', r)]),
    reason: /only the partner signer .* may decline/,
  },
  'approve as someone else': {
    argv: (k) =>
      fc
        .tuple(validName, validEmail.filter(notEmail(k.approverEmail)))
        .map(([n, e]) => ['contract', 'approve', eq('contract-id', k.approval), eq('by-name', n), eq('by-email', e)]),
    reason: /only .* approves contracts on the alignment_agreement route/,
  },
  'approve a contract that needs no approval': {
    argv: (k) =>
      fc
        .tuple(validName, validEmail)
        .map(([n, e]) => ['contract', 'approve', eq('contract-id', k.awaiting), eq('by-name', n), eq('by-email', e)]),
    reason: /needs no separate approval/,
  },
  'amend before live': {
    argv: (k) =>
      fc
        .tuple(validName, fc.constantFrom(...testPolicy().schools!))
        .map(([n, school]) => ['contract', 'amend', eq('contract-id', k.awaiting), eq('by-name', n), eq('school', school)]),
    reason: /Cannot amend the contract while the stage is awaiting_partner_signature/,
  },
  'amend with a school already on the contract': {
    argv: (k) =>
      fc
        .tuple(validName, fc.constantFrom(...SCHOOLS_OF_LIVE))
        .map(([n, school]) => ['contract', 'amend', eq('contract-id', k.live), eq('by-name', n), eq('school', school)]),
    reason: /already on the contract/,
  },
  'renew before live': {
    argv: (k) =>
      fc
        .tuple(validName, validEmail)
        .map(([n, e]) => ['contract', 'renew', eq('contract-id', k.awaiting), eq('by-name', n), eq('by-email', e)]),
    reason: /renewal is decided once the contract is live/,
  },
  'renew a $0 contract for money': {
    argv: (k) =>
      fc
        .tuple(validName, validEmail, fc.integer({ min: 1, max: 1_000_000 }))
        .map(([n, e, dollars]) => [
          'contract',
          'renew',
          eq('contract-id', k.live),
          eq('by-name', n),
          eq('by-email', e),
          eq('amount', String(dollars)),
        ]),
    reason: /must be 0 on the zero_dollar route/,
  },
  'decline the renewal before live': {
    argv: (k) =>
      fc
        .tuple(validName, validReason)
        .map(([n, r]) => ['contract', 'decline-renewal', eq('contract-id', k.awaiting), eq('by-name', n), eq('reason', r)]),
    reason: /renewal is decided once the contract is live/,
  },
  'resend while live': {
    argv: (k) => validName.map((n) => ['contract', 'resend', eq('contract-id', k.live), eq('by-name', n)]),
    reason: /Cannot resend a signature request while the stage is live/,
  },
  'void a live contract': {
    argv: (k) =>
      fc.tuple(validName, validReason).map(([n, r]) => ['contract', 'void', eq('contract-id', k.live), eq('by-name', n), eq('reason', r)]),
    reason: /Cannot void the contract while the stage is live/,
  },
  'start the program before live': {
    argv: (k) => validName.map((n) => ['program', 'start', eq('contract-id', k.awaiting), eq('by-name', n)]),
    reason: /Program cannot start/,
  },
  'start the program at a school not on the contract': {
    argv: (k) =>
      fc
        .tuple(
          validName,
          validName.filter((school) => !SCHOOLS_OF_LIVE.includes(trimmedName(school) ?? '')),
        )
        .map(([n, school]) => ['program', 'start', eq('contract-id', k.live), eq('by-name', n), eq('school', school)]),
    reason: /is not on this contract/,
  },
  'status of an unknown partner or contract': {
    argv: () => fc.constantFrom('partner-id', 'contract-id').map((flag) => ['status', eq(flag, uniqueId('nobody'))]),
    reason: /No (partner|contract) with id/,
  },
};

/** A well-formed `contract start` (the ids decide whether it may go ahead). */
function contractStart(k: TKnownWorkflows, contractId: string, partnerId: string, programName: string): string[] {
  const signer = k.representativeOf(k.certified);
  return [
    'contract',
    'start',
    eq('contract-id', contractId),
    eq('partner-id', partnerId),
    eq('program-name', programName),
    '--service=arts',
    '--school=Lyndale Elementary',
    '--route=zero_dollar',
    '--amount=0',
    eq('start-date', currentTerm().startDate),
    eq('end-date', currentTerm().endDate),
    eq('initiated-by-name', CPO_OFFICE.name),
    eq('partner-signer-name', signer.name),
    eq('partner-signer-email', signer.email),
  ];
}

test.each(Object.keys(REFUSALS))('well-formed but refused now: %s (exit 1 with the reason)', async (title) => {
  const { argv: argvs, reason: because } = REFUSALS[title]!;
  await fc.assert(
    fc.asyncProperty(argvs(known), fc.boolean(), async (argv, json) => {
      const full = json ? [...argv, '--json'] : argv;
      const run = await cpo(full);
      expectRefusal(run, full, EXIT.refused);
      expect(run.err).toMatch(because);
    }),
    { numRuns: REFUSAL_RUNS, endOnFailure: true },
  );
});

test('nothing the bad input was aimed at was created', async () => {
  await expect(getContractStatus(context, ghostContract)).rejects.toThrow(/No contract with id/);
});
