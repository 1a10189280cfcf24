import type { Client } from '@temporalio/client';
import { printableRanges } from '../../activities/pdf/printable-ranges';
import { runCli, EXIT } from '../../client/cli/run-cli';
import type { TCpoContext } from '../../client/context';
import { findUnprintableCharacter, isPrintable } from '../../domain/find-unprintable-character';
import { ZPolicySchema } from '../../domain/policy';
import { PRINTABLE_RANGES_ENCODED } from '../../domain/printable-characters';
import policyJson from '../../policies/minneapolis.json';
import { NAMES_IN_EVERY_SCRIPT } from '../helpers/names-in-every-script';

/** A context whose Temporal client throws on any use: a refusal with it was made before anything was contacted. */
const untouchable: TCpoContext = {
  client: new Proxy({} as Client, {
    get: (_target, prop) => {
      throw new Error(`Temporal was contacted (client.${String(prop)})`);
    },
  }),
  taskQueue: 'unused',
  policy: ZPolicySchema.parse(policyJson),
  now: Date.now,
};

async function cpo(argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: () => undefined,
    stderr: (line) => err.push(line),
    connect: () => Promise.resolve(untouchable),
  });
  return { code, err: err.join('\n') };
}

describe('the printable-character table in domain/', () => {
  it('is exactly what the PDF fonts draw (regenerate with `npm run generate:printable`)', () => {
    const decoded: [number, number][] = [];
    let end = 0;
    for (const pair of PRINTABLE_RANGES_ENCODED.split(';')) {
      const [gap, length] = pair.split(',').map((digits) => parseInt(digits, 36)) as [number, number];
      decoded.push([end + gap, end + gap + length - 1]);
      end = end + gap + length;
    }
    expect(decoded).toEqual(printableRanges());
  }, 60_000);

  it('accepts a name in every script, line breaks and tabs', () => {
    for (const name of Object.values(NAMES_IN_EVERY_SCRIPT)) expect(findUnprintableCharacter(name)).toBeUndefined();
    expect(findUnprintableCharacter('line one\nline two\r\n\tindented')).toBeUndefined();
  });

  it('refuses characters no font draws: private use, unassigned, control', () => {
    for (const char of ['\ue000', '\u{10fffd}', '\u{e0001}', '\u0007', '\u0000']) expect(isPrintable(char)).toBe(false);
    expect(findUnprintableCharacter('Club \ue000 Minneapolis')).toBe('\ue000');
  });
});

describe('an unprintable character is refused at the command line, naming the flag and the character', () => {
  it('partner apply --organization-name', async () => {
    const run = await cpo([
      'partner',
      'apply',
      '--partner-id',
      'club-x',
      '--organization-name',
      'Club \ue000 Minneapolis',
      '--representative-name',
      'Ana',
      '--representative-title',
      'Director',
      '--representative-email',
      'ana@club.example',
      '--service',
      'literacy_tutoring',
    ]);
    console.log(run.err);
    expect(run.code).toBe(EXIT.badInput);
    expect(run.err).toContain('--organization-name: the character "\ue000" (U+E000) cannot be printed');
  });

  it('contract start --partner-signer-name and --school (a repeated flag)', async () => {
    const run = await cpo([
      'contract',
      'start',
      '--contract-id',
      'ctr-x1',
      '--partner-id',
      'club-x',
      '--program-name',
      'Reading 📚',
      '--route',
      'zero_dollar',
      '--service',
      'literacy_tutoring',
      '--amount',
      '0',
      '--school',
      'Anwatin Middle',
      '--school',
      'Folwell \u{10fffd}',
      '--start-date',
      '2026-09-01',
      '--end-date',
      '2027-06-10',
      '--initiated-by-name',
      'Dana',
      '--initiated-by-email',
      'dana@mpls.example',
      '--partner-signer-name',
      'ማህበር \u0007',
      '--partner-signer-email',
      's@club.example',
    ]);
    console.log(run.err);
    expect(run.code).toBe(EXIT.badInput);
    expect(run.err).toMatch(/--partner-signer-name: the character "\u0007" \(U\+0007\) cannot be printed/);
    expect(run.err).toMatch(/--school.*: the character "\u{10fffd}" \(U\+10FFFD\) cannot be printed/u);
    expect(run.err).not.toMatch(/program-name/);
  });
});
