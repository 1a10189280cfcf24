import { spawn } from 'node:child_process';
import path from 'node:path';
import { EXIT, runCli } from '../../client/cli/run-cli';
import type { TCpoContext } from '../../client/context';
import { getContractStatus } from '../../client/contracts';
import { applyPartner, getPartnerStatus } from '../../client/partners';
import { registerContractSignal } from '../../domain/messages';
import { partnerWorkflowId } from '../../domain/vocabulary';
import { partnerApplication } from '../helpers/fixtures';
import { verifyStaffPassword } from '../../security/staff-password';
import { createFakeActivities } from '../helpers/fake-activities';
import { schoolYearAt } from '../../domain/school-year';
import { currentTerm } from '../helpers/clock';
import { contextFor, createTestWorker, eventually, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
let context: TCpoContext;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('cli');
  temporal.runWorkerForFile(await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, createFakeActivities().activities));
  context = contextFor(temporal.env, taskQueue);
});

async function cpo(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l), connect: () => Promise.resolve(context) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const term = currentTerm();
const dayAfter = (date: string, days = 1): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const partnerId = uniqueId('cli-partner');
const contractId = uniqueId('cli-contract');
const email = `rep@${partnerId}.example`;
const contractFlags = [
  'contract',
  'start',
  '--contract-id',
  contractId,
  '--partner-id',
  partnerId,
  '--program-name',
  'Robotics club',
  '--service',
  'enrichment',
  '--school',
  'Roosevelt High',
  '--school',
  'South High',
  '--route',
  'zero_dollar',
  '--amount',
  '0',
  '--start-date',
  term.startDate,
  '--end-date',
  term.endDate,
  '--initiated-by-name',
  'CPO Staff',
  '--partner-signer-name',
  'Farhiya Ali',
  '--partner-signer-email',
  email,
];
const withFlag = (flags: string[], name: string, value: string): string[] => {
  const at = flags.indexOf(name);
  return at === -1 ? [...flags, name, value] : [...flags.slice(0, at), name, value, ...flags.slice(at + 2)];
};
const withoutFlag = (flags: string[], name: string): string[] => {
  const at = flags.indexOf(name);
  return [...flags.slice(0, at), ...flags.slice(at + 2)];
};

test('the happy path through the CLI, with human and JSON output', async () => {
  const applied = await cpo(
    'partner',
    'apply',
    '--partner-id',
    partnerId,
    '--organization-name',
    'Ururka Haweenka Soomaaliyeed',
    '--representative-name',
    'Farhiya Ali',
    '--representative-title',
    'Director',
    '--representative-email',
    email,
    '--service',
    'enrichment',
    '--json',
  );
  expect(applied.code).toBe(EXIT.ok);
  expect(JSON.parse(applied.out)).toMatchObject({ partnerId, stage: 'applied', organizationName: 'Ururka Haweenka Soomaaliyeed' });
  expect((await cpo('partner', 'review', '--partner-id', partnerId, '--reviewer', 'CPO Staff')).out).toBe('Partner is now in_review.');
  const notMet = await cpo(
    'partner',
    'certify',
    '--partner-id',
    partnerId,
    '--reviewer',
    'CPO Staff',
    '--meets',
    'ongoing,on_district_property',
  );
  expect(notMet).toMatchObject({ code: EXIT.badInput, err: expect.stringMatching(/--meets: school_day_or_out_of_school_time is not met/) });
  expect((await cpo('partner', 'certify', '--partner-id', partnerId, '--reviewer', 'CPO Staff', '--meets', 'all')).code).toBe(EXIT.ok);
  await eventually(async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
  const attest = () =>
    cpo('partner', 'attest', '--partner-id', partnerId, '--name', 'Farhiya Ali', '--title', 'Director', '--email', email, '--consent');
  const attested = await attest();
  expect(attested.out).toMatch(/^Attestation on file, signed at /);
  const started = await cpo(...contractFlags);
  expect(started.code).toBe(EXIT.ok);
  expect(started.out).toContain(`Contract ${contractId}: Robotics club`);
  await eventually(async () => {
    if ((await getContractStatus(context, contractId)).stage === 'awaiting_partner_signature') return true;
    // With CPO_TODAY in another school year than the workflows' own clock, that year's attestation is asked for too.
    const partner = await getPartnerStatus(context, partnerId);
    if (partner.attestationRequests.length > partner.attestations.length) {
      await attest();
    }
    return false;
  });
  const status = await cpo('status', '--contract-id', contractId);
  expect(status.out).toMatch(/stage: +awaiting_partner_signature/);
  expect(status.out).toMatch(/program start: +blocked: the final signed contract has not been received/);
  expect((await cpo('list', '--kind', 'contract', '--partner-id', partnerId)).out).toContain(contractId);
});

describe('bad input: a clear message naming the flag, a non-zero exit, and nothing changes', () => {
  let partnerBefore: unknown;
  let contractBefore: unknown;
  beforeAll(async () => {
    partnerBefore = (await getPartnerStatus(context, partnerId)).history;
    contractBefore = (await getContractStatus(context, contractId)).history;
  });
  afterAll(async () => {
    expect((await getPartnerStatus(context, partnerId)).history).toEqual(partnerBefore);
    expect((await getContractStatus(context, contractId)).history).toEqual(contractBefore);
  });

  const applyFlags = [
    'partner',
    'apply',
    '--partner-id',
    uniqueId('new'),
    '--organization-name',
    'Org',
    '--representative-name',
    'A',
    '--representative-title',
    'B',
    '--representative-email',
    'a@b.example',
    '--service',
    'arts',
  ];
  test.each<[string, string[], number, RegExp]>([
    ['no command', [], EXIT.badInput, /Usage: cpo/],
    ['unknown command', ['partner', 'promote'], EXIT.badInput, /Unknown command "partner promote"/],
    ['unknown flag', ['partner', 'apply', '--bogus', 'x'], EXIT.badInput, /Unknown option '--bogus'/],
    ['apply: missing organization name', withoutFlag(applyFlags, '--organization-name'), EXIT.badInput, /--organization-name: /],
    [
      'apply: bad email',
      withFlag(applyFlags, '--representative-email', 'not-an-email'),
      EXIT.badInput,
      /--representative-email: must be an email address/,
    ],
    ['apply: unknown service', withFlag(applyFlags, '--service', 'babysitting'), EXIT.badInput, /--service: /],
    ['apply: bad id', withFlag(applyFlags, '--partner-id', 'Has Spaces'), EXIT.badInput, /--partner-id: must be 3-64 characters/],
    ['apply: id taken', withFlag(applyFlags, '--partner-id', partnerId), EXIT.refused, /already exists/],
    ['review: missing reviewer', ['partner', 'review', '--partner-id', partnerId], EXIT.badInput, /--reviewer: /],
    [
      'review: unknown partner',
      ['partner', 'review', '--partner-id', 'no-such-partner', '--reviewer', 'X'],
      EXIT.refused,
      /No partner with id "no-such-partner"/,
    ],
    [
      'review: wrong stage',
      ['partner', 'review', '--partner-id', partnerId, '--reviewer', 'X'],
      EXIT.refused,
      /Cannot start the review while the stage is certified/,
    ],
    ['certify: no checklist', ['partner', 'certify', '--partner-id', partnerId, '--reviewer', 'X'], EXIT.badInput, /--meets: /],
    [
      'certify: wrong stage',
      ['partner', 'certify', '--partner-id', partnerId, '--reviewer', 'X', '--meets', 'all'],
      EXIT.refused,
      /Cannot certify/,
    ],
    [
      'record: kind signed by the agency',
      [
        'partner',
        'record',
        '--partner-id',
        partnerId,
        '--kind',
        'safety_attestation',
        '--by-name',
        'C',
        '--statement',
        'We signed it already.',
      ],
      EXIT.badInput,
      /--kind: safety_attestation is signed by the agency representative/,
    ],
    [
      'record: no statement',
      ['partner', 'record', '--partner-id', partnerId, '--kind', 'background_check_affirmation', '--by-name', 'C'],
      EXIT.badInput,
      /--statement: /,
    ],
    ['terminate: missing reason', ['partner', 'terminate', '--partner-id', partnerId, '--by-name', 'C'], EXIT.badInput, /--reason: /],
    [
      'approve: route needs none',
      ['contract', 'approve', '--contract-id', contractId, '--by-name', 'C', '--by-email', 'cpo@mpls.k12.mn.us'],
      EXIT.refused,
      /needs no separate approval/,
    ],
    [
      'amend: not live',
      ['contract', 'amend', '--contract-id', contractId, '--by-name', 'C', '--school', 'Sanford Middle'],
      EXIT.refused,
      /Cannot amend the contract while the stage is awaiting_partner_signature/,
    ],
    [
      'amend: no school',
      ['contract', 'amend', '--contract-id', contractId, '--by-name', 'C'],
      EXIT.badInput,
      /--school: needs at least one school/,
    ],
    [
      'renew: not live',
      ['contract', 'renew', '--contract-id', contractId, '--by-name', 'C', '--by-email', 'cpo@mpls.k12.mn.us'],
      EXIT.refused,
      /renewal is decided once the contract is live/,
    ],
    [
      'renew: bad amount',
      ['contract', 'renew', '--contract-id', contractId, '--by-name', 'C', '--by-email', 'cpo@mpls.k12.mn.us', '--amount', 'lots'],
      EXIT.badInput,
      /--amount: /,
    ],
    [
      'start: past the school year',
      withFlag(contractFlags, '--end-date', dayAfter(term.endDate, 30)),
      EXIT.badInput,
      new RegExp(`--end-date: must be on or before ${term.endDate}, the last day of the ${term.schoolYear} school year`),
    ],
    [
      'start: a term that ended long ago',
      withFlag(withFlag(withFlag(contractFlags, '--start-date', '1999-09-01'), '--end-date', '2000-06-10'), '--go-live-date', '1999-09-01'),
      EXIT.badInput,
      /--end-date: must not be before today \(\d{4}-\d{2}-\d{2}\): the whole term would already be over\n {2}--go-live-date: falls in the 1999-2000 school year; contracts are made for the current school year/,
    ],
    [
      'start: two school years ahead',
      withFlag(withFlag(contractFlags, '--start-date', dayAfter(term.startDate, 800)), '--end-date', dayAfter(term.startDate, 900)),
      EXIT.badInput,
      /--start-date: falls in the \d{4}-\d{4} school year; contracts are made for the current school year \(\d{4}-\d{4}\) or the next/,
    ],
    ['reject: missing reason', ['partner', 'reject', '--partner-id', partnerId, '--reviewer', 'X'], EXIT.badInput, /--reason: /],
    [
      'reject: wrong stage',
      ['partner', 'reject', '--partner-id', partnerId, '--reviewer', 'X', '--reason', 'late'],
      EXIT.refused,
      /Cannot reject/,
    ],
    [
      'withdraw: missing who',
      ['partner', 'withdraw', '--partner-id', partnerId, '--reason', 'closing'],
      EXIT.badInput,
      /--by-name: is required/,
    ],
    [
      'attest: no consent',
      ['partner', 'attest', '--partner-id', partnerId, '--name', 'F', '--title', 'D', '--email', email],
      EXIT.badInput,
      /--consent: must be true/,
    ],
    [
      'attest: twice',
      ['partner', 'attest', '--partner-id', partnerId, '--name', 'F', '--title', 'D', '--email', email, '--consent'],
      EXIT.refused,
      /Every attestation form sent is already signed/,
    ],
    ['start: unknown route', withFlag(contractFlags, '--route', 'handshake'), EXIT.badInput, /--route: "handshake" is not a route/],
    ['start: negative amount', [...withoutFlag(contractFlags, '--amount'), '--amount=-5'], EXIT.badInput, /--amount: must not be negative/],
    ['start: minus zero', [...withoutFlag(contractFlags, '--amount'), '--amount=-0'], EXIT.badInput, /--amount: must not be negative/],
    [
      'start: amount as words',
      withFlag(contractFlags, '--amount', 'ten'),
      EXIT.badInput,
      /--amount: expected dollars with at most two decimals, like 1500\.50, up to 100000000/,
    ],
    ...['12.345', '1e309', 'NaN', '100000000.01'].map((amount): [string, string[], number, RegExp] => [
      `start: amount ${amount}`,
      withFlag(withFlag(contractFlags, '--route', 'afterschool_enrichment'), '--amount', amount),
      EXIT.badInput,
      /--amount: expected dollars with at most two decimals, like 1500\.50, up to 100000000$/m,
    ]),
    [
      'start: end before start',
      withFlag(contractFlags, '--end-date', dayAfter(term.startDate, -1)),
      EXIT.badInput,
      /--end-date: must be after startDate/,
    ],
    [
      'start: not a date',
      withFlag(contractFlags, '--start-date', '9/1/2026'),
      EXIT.badInput,
      /--start-date: must be a date written YYYY-MM-DD/,
    ],
    [
      'start: no school',
      withoutFlag(withoutFlag(contractFlags, '--school'), '--school'),
      EXIT.badInput,
      /--school: needs at least one school/,
    ],
    [
      'start: department-paid without department',
      withFlag(withFlag(contractFlags, '--route', 'department_paid'), '--amount', '100'),
      EXIT.badInput,
      /--paying-department: is required/,
    ],
    [
      'start: unknown partner',
      withFlag(withFlag(contractFlags, '--partner-id', 'no-such-partner'), '--contract-id', uniqueId('c')),
      EXIT.refused,
      /No partner with id "no-such-partner"/,
    ],
    ['start: id taken', contractFlags, EXIT.refused, /A contract with id .* already exists/],
    [
      'sign: unknown role',
      ['contract', 'sign', '--contract-id', contractId, '--role', 'witness', '--name', 'F', '--email', email, '--consent'],
      EXIT.badInput,
      /--role: /,
    ],
    [
      'sign: no consent',
      ['contract', 'sign', '--contract-id', contractId, '--role', 'partner', '--name', 'F', '--email', email],
      EXIT.badInput,
      /--consent: must be true/,
    ],
    [
      'sign: district first',
      ['contract', 'sign', '--contract-id', contractId, '--role', 'district', '--name', 'C', '--email', 'cpo@mpls.k12.mn.us', '--consent'],
      EXIT.refused,
      /waiting for the partner signature/,
    ],
    [
      'sign: unknown contract',
      ['contract', 'sign', '--contract-id', 'no-such-contract', '--role', 'partner', '--name', 'F', '--email', email, '--consent'],
      EXIT.refused,
      /No contract with id "no-such-contract"/,
    ],
    [
      'decline: missing reason',
      ['contract', 'decline', '--contract-id', contractId, '--by-name', 'F', '--by-email', email],
      EXIT.badInput,
      /--reason: /,
    ],
    [
      'void: too short a reason',
      ['contract', 'void', '--contract-id', contractId, '--by-name', 'C', '--reason', 'x'],
      EXIT.badInput,
      /--reason: must say why/,
    ],
    ['resend: missing who', ['contract', 'resend', '--contract-id', contractId], EXIT.badInput, /--by-name: is required/],
    [
      'resend: unknown contract',
      ['contract', 'resend', '--contract-id', 'no-such-contract', '--by-name', 'C'],
      EXIT.refused,
      /No contract with id/,
    ],
    [
      'program start: before the contract is live',
      ['program', 'start', '--contract-id', contractId, '--by-name', 'Principal'],
      EXIT.refused,
      /Program cannot start: the final signed contract has not been received/,
    ],
    ['program start: missing who', ['program', 'start', '--contract-id', contractId], EXIT.badInput, /--by-name: is required/],
    ['status: neither id', ['status'], EXIT.badInput, /--partner-id: give exactly one/],
    ['status: unknown contract', ['status', '--contract-id', 'no-such-contract'], EXIT.refused, /No contract with id/],
    ['list: unknown kind', ['list', '--kind', 'school'], EXIT.badInput, /--kind: /],
    ['list: unknown stage', ['list', '--stage', 'finished'], EXIT.badInput, /--stage: /],
    ['list: limit not a number', ['list', '--limit', 'lots'], EXIT.badInput, /--limit: /],
  ])('%s', async (_name, argv, code, message) => {
    const result = await cpo(...argv);
    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
    expect(result.err).not.toMatch(/\n\s+at .*\.ts:\d+/); // a message, not a stack trace
  });

  test('errors come as JSON with --json', async () => {
    const result = await cpo(...withFlag(contractFlags, '--route', 'handshake'), '--json');
    expect(result.code).toBe(EXIT.badInput);
    expect(JSON.parse(result.err)).toEqual({
      error: {
        message: 'Invalid input',
        problems: [{ flag: '--route', field: 'route', message: expect.stringContaining('is not a route') }],
      },
    });
  });
});

test('resend makes a new request and the older one stops counting', async () => {
  const resent = await cpo('contract', 'resend', '--contract-id', contractId, '--by-name', 'CPO Staff');
  expect(resent).toMatchObject({ code: EXIT.ok, out: 'New signature request #2 is being sent; older links no longer work.' });
  await eventually(async () => (await getContractStatus(context, contractId)).requestNumber === 2);
  const status = await getContractStatus(context, contractId);
  expect(status.history).toContainEqual(expect.objectContaining({ event: 'signature_request_resent', actor: 'CPO Staff' }));
});

test('partner resend-record sends an agency record request again with the next number; a bad or unasked kind is refused', async () => {
  const asked = uniqueId('cli-records');
  await applyPartner(context, partnerApplication(asked));
  await context.client.workflow.getHandle(partnerWorkflowId(asked)).signal(registerContractSignal, {
    contractWorkflowId: `contract-x-${asked}`,
    schoolYear: '2026-2027',
    needs: ['data_sharing_agreement'],
  });
  await eventually(async () => (await getPartnerStatus(context, asked)).recordRequests?.length === 1);
  const flags = ['partner', 'resend-record', '--partner-id', asked, '--by-name', 'CPO Staff'];
  const badKind = await cpo(...flags, '--kind', 'safety_attestation');
  expect(badKind).toMatchObject({ code: EXIT.badInput, err: expect.stringContaining('--kind') });
  const notAsked = await cpo(...flags, '--kind', 'photo_video_consent_practice');
  expect(notAsked).toMatchObject({ code: EXIT.refused, err: expect.stringContaining('nothing to resend') });
  expect(await cpo(...flags, '--kind', 'data_sharing_agreement')).toMatchObject({
    code: EXIT.ok,
    out: 'New request #2 is being sent; older links no longer work.',
  });
  await eventually(async () => (await getPartnerStatus(context, asked)).recordRequests?.length === 2);
  expect((await getPartnerStatus(context, asked)).history).toContainEqual(
    expect.objectContaining({ event: 'record_resend_asked', actor: 'CPO Staff' }),
  );
});

/** The real `cpo` binary, as a user runs it. */
function runBin(args: string[], extraEnv: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve('bin/cpo'), args, { env: { ...process.env, ...extraEnv } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('bin/cpo refuses bad input with exit 2 before contacting any server', async () => {
  const result = await runBin([...withFlag(contractFlags, '--end-date', '2020-01-01')], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  expect(result.code).toBe(2);
  expect(result.err).toContain(`--end-date: must be after startDate (${term.startDate})`);
});

test('bin/cpo reads a workflow from the real server and prints JSON', async () => {
  const result = await runBin(['status', '--partner-id', partnerId, '--json'], {
    TEMPORAL_ADDRESS: process.env.CPO_TEST_TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: context.taskQueue,
  });
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  // The attestation is for the school year of the workflows' own time (the contract's year too, unless CPO_TODAY moved it).
  const workflowYear = schoolYearAt(Date.now(), context.policy.schoolYear, context.policy.timeZone).name;
  expect(JSON.parse(result.out)).toMatchObject({
    partnerId,
    stage: 'certified',
    attestations: expect.arrayContaining([
      expect.objectContaining({ signedBy: expect.objectContaining({ email }), schoolYear: workflowYear }),
    ]),
  });
});

test('cpo board counts the pipeline from the visibility store, narrowed by flags', async () => {
  const boardPartner = uniqueId('board-partner');
  await cpo(
    'partner',
    'apply',
    '--partner-id',
    boardPartner,
    '--organization-name',
    'Board Check',
    '--representative-name',
    'Rep',
    '--representative-title',
    'Director',
    '--representative-email',
    `rep@${boardPartner}.example`,
    '--service',
    'arts',
  );
  const counts = await eventually(async () => {
    const board = await cpo('board', '--partner-id', boardPartner, '--json');
    expect(board.code).toBe(0);
    const parsed = JSON.parse(board.out) as { partners: Record<string, number> };
    return parsed.partners.applied === 1 && parsed;
  });
  expect(Object.values(counts.partners).reduce((a, b) => a + b, 0)).toBe(1);
  expect((await cpo('board', '--partner-id', boardPartner)).out).toMatch(/^Needs attention:\n {2}overdue_signatures +0\n/);
  const bad = await cpo('board', '--category', 'landlord');
  expect([bad.code, bad.err]).toEqual([2, expect.stringContaining('--category: ')]);
});

test('cpo staff-password hashes a password piped in, and refuses a short one naming the flag', async () => {
  const short = await cpo('staff-password', '--password', 'short');
  expect(short.code).toBe(2);
  expect(short.err).toContain('--password: must be at least 12 characters');
  const piped = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(path.resolve('bin/cpo'), ['staff-password'], { env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end('a-long-enough-password\n');
  });
  expect(piped.code).toBe(0);
  const hash = piped.out.trim();
  expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
  expect(verifyStaffPassword('a-long-enough-password', hash)).toBe(true);
});
