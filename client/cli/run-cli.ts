import { parseArgs } from 'node:util';
import type { DocumentStore } from '../../activities/storage/document-store';
import { ConfigError } from '../../config/env';
import type { TCpoContext } from '../context';
import { CpoError, CpoRefusedError } from '../errors';
import type { TCommand } from './command';
import { COMMANDS } from './commands';
import { flagForField } from './flags';

export interface TCliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Connects lazily, so bad input is refused before anything is contacted. */
  connect: () => Promise<TCpoContext>;
  /** The document store, for commands that read documents (verify); made on first use. */
  documents?: () => DocumentStore;
  /** The district certificate (DER) executed documents are signed with, for verify; loaded on first use. */
  districtCertificate?: (district: string) => Buffer;
}

export const EXIT = { ok: 0, refused: 1, badInput: 2 } as const;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: cpo <command> [--flags] [--json]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "cpo <command> --help" for its flags.',
  ].join('\n');
}

/** `FILE` for a required positional, `[FILE]` for an optional one. */
const positionalUsage = (command: TCommand): string =>
  (command.positionals ?? []).map((p) => ` ${p.required ? p.name : `[${p.name}]`}`).join('');

function commandHelp(command: TCommand): string {
  const flags = Object.entries(command.options).map(
    ([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}${o.multiple ? ' (repeatable)' : ''}`,
  );
  return [`cpo ${command.name}${positionalUsage(command)}: ${command.summary}`, '', ...flags, '  --json'].join('\n');
}

function findCommand(argv: string[]): { command: TCommand; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

/** Runs one CPO command and returns the exit code: 0 done, 1 refused or not found, 2 bad input. */
export async function runCli(argv: string[], io: TCliIo): Promise<number> {
  const json = argv.includes('--json');
  /** A problem with a positional argument names it as the usage writes it (`FILE`), not as a flag. */
  let positionalNames: string[] = [];
  const fail = (code: number, message: string, problems: { field: string; message: string }[] = []): number => {
    const named = problems.map((p) => ({
      flag: positionalNames.includes(p.field) ? p.field : flagForField(p.field),
      field: p.field,
      message: p.message,
    }));
    if (json) io.stderr(JSON.stringify({ error: { message, problems: named } }));
    else io.stderr([message, ...named.map((p) => `  ${p.flag}: ${p.message}`)].join('\n'));
    return code;
  };

  if (argv.length === 0) return fail(EXIT.badInput, usage());
  if (argv[0] === '--help' || argv[0] === 'help') {
    io.stdout(usage());
    return EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) return fail(EXIT.badInput, `Unknown command "${argv.slice(0, 2).join(' ')}".\n${usage()}`);
  const { command, rest } = found;
  const expected = command.positionals ?? [];
  positionalNames = expected.map((p) => p.name);
  if (rest.includes('--help')) {
    io.stdout(commandHelp(command));
    return EXIT.ok;
  }

  let flags: Record<string, string | string[] | boolean | undefined>;
  let positionals: string[];
  let tokens: { kind: string; name?: string }[];
  try {
    ({
      values: flags,
      positionals,
      tokens,
    } = parseArgs({
      args: rest,
      options: { ...command.options, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: expected.length > 0,
      tokens: true,
    }));
  } catch (error) {
    return fail(EXIT.badInput, `${(error as Error).message}\nRun "cpo ${command.name} --help" for its flags.`);
  }
  // parseArgs keeps the last of a repeated flag; `--contract-id a --contract-id b` must not quietly act on b.
  const given = tokens.flatMap((token) => (token.kind === 'option' && token.name ? [token.name] : []));
  const repeated = given.find(
    (name, i) => command.options[name]?.type === 'string' && !command.options[name]?.multiple && given.indexOf(name) !== i,
  );
  if (repeated)
    return fail(
      EXIT.badInput,
      `Option '--${repeated}' is given more than once; give it once.\nRun "cpo ${command.name} --help" for its flags.`,
    );
  const missing = expected.slice(positionals.length).filter((p) => p.required);
  if (missing.length > 0) {
    const usageLine = `Usage: cpo ${command.name}${positionalUsage(command)} [--flags]`;
    return fail(
      EXIT.badInput,
      `Invalid input\n${usageLine}`,
      missing.map((p) => ({ field: p.name, message: 'is required' })),
    );
  }
  if (positionals.length > expected.length) {
    return fail(
      EXIT.badInput,
      `Unexpected argument "${positionals[expected.length]}".\nRun "cpo ${command.name} --help" for its arguments.`,
    );
  }
  const documents =
    io.documents ??
    ((): never => {
      throw new CpoRefusedError(`cpo ${command.name} needs the document store, and this interface has none`);
    });

  const districtCertificate =
    io.districtCertificate ??
    ((): never => {
      throw new CpoRefusedError(`cpo ${command.name} needs the district certificate, and this interface has none`);
    });

  try {
    const context = await io.connect();
    const result = await command.run(context, flags, { positionals, documents, districtCertificate });
    io.stdout(json ? JSON.stringify(result, null, 2) : command.human(result, context.policy.timeZone));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CpoError) return fail(error.httpStatus === 400 ? EXIT.badInput : EXIT.refused, error.message, error.problems);
    if (error instanceof ConfigError) return fail(EXIT.badInput, error.message);
    return fail(EXIT.refused, `Failed: ${(error as Error).message}`);
  }
}
