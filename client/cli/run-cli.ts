import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/env';
import type { TCpoContext } from '../context';
import { CpoError } from '../errors';
import { COMMANDS, type TCommand } from './commands';
import { flagForField } from './flags';

export interface TCliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Connects lazily, so bad input is refused before anything is contacted. */
  connect: () => Promise<TCpoContext>;
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

function commandHelp(command: TCommand): string {
  const flags = Object.entries(command.options).map(([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}${o.multiple ? ' (repeatable)' : ''}`);
  return [`cpo ${command.name}: ${command.summary}`, '', ...flags, '  --json'].join('\n');
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
  const fail = (code: number, message: string, problems: { field: string; message: string }[] = []): number => {
    const named = problems.map((p) => ({ flag: flagForField(p.field), field: p.field, message: p.message }));
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
  if (rest.includes('--help')) {
    io.stdout(commandHelp(command));
    return EXIT.ok;
  }

  let flags: Record<string, string | string[] | boolean | undefined>;
  try {
    flags = parseArgs({ args: rest, options: { ...command.options, json: { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return fail(EXIT.badInput, `${(error as Error).message}\nRun "cpo ${command.name} --help" for its flags.`);
  }

  try {
    const context = await io.connect();
    const result = await command.run(context, flags);
    io.stdout(json ? JSON.stringify(result, null, 2) : command.human(result));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CpoError) return fail(error.httpStatus === 400 ? EXIT.badInput : EXIT.refused, error.message, error.problems);
    if (error instanceof ConfigError) return fail(EXIT.badInput, error.message);
    return fail(EXIT.refused, `Failed: ${(error as Error).message}`);
  }
}
