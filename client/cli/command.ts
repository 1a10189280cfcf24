import type { ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import type { DocumentStore } from '../../activities/storage/document-store';
import type { TCpoContext } from '../context';

type TOptions = NonNullable<ParseArgsConfig['options']>;
export type TFlags = Record<string, string | string[] | boolean | undefined>;

/** A flag's schema: a value (`--x v`), a repeatable value (`--x a --x b`) or a switch (`--x`); all optional. */
type TFlagSchema = z.ZodOptional<z.ZodString> | z.ZodOptional<z.ZodArray<z.ZodString>> | z.ZodOptional<z.ZodBoolean>;
export type TFlagShape = Record<string, TFlagSchema>;

/** One `cpo` command as run-cli sees it: its flags, how it runs, and how its result reads for a person. */
export interface TCommand {
  name: string;
  summary: string;
  options: TOptions;
  /** Arguments without a flag, in order (`cpo verify FILE`); a command without them refuses any. */
  positionals?: { name: string; required: boolean }[];
  run(context: TCpoContext, flags: TFlags, extras: TCommandExtras): Promise<unknown>;
  /** Human text; times in `timeZone`, the district's. */
  human(result: unknown, timeZone: string): string;
}

/** A command as written: flags by schema (a mistyped flag name does not compile), `human` typed by what `run` returns. */
export interface TCommandDefinition<S extends TFlagShape, R> {
  name: string;
  summary: string;
  flags: S;
  positionals?: { name: string; required: boolean }[];
  run(context: TCpoContext, flags: z.infer<z.ZodObject<S>>, extras: TCommandExtras): Promise<R>;
  human(result: R, timeZone: string): string;
}

/**
 * What run-cli hands a command besides its flags: the positional arguments given, and lazily the document store and
 * the district certificate (DER) that signs executed documents.
 */
export interface TCommandExtras {
  positionals: string[];
  documents: () => DocumentStore;
  districtCertificate: (district: string) => Buffer;
}

/** The parseArgs option a flag schema stands for. */
function optionOf(schema: TFlagSchema): TOptions[string] {
  const inner = schema.unwrap();
  if (inner instanceof z.ZodBoolean) return { type: 'boolean' };
  return inner instanceof z.ZodArray ? { type: 'string', multiple: true } : { type: 'string' };
}

export function defineCommand<S extends TFlagShape, R>(definition: TCommandDefinition<S, R>): TCommand {
  const schema = z.object(definition.flags);
  return {
    name: definition.name,
    summary: definition.summary,
    options: Object.fromEntries(Object.entries(definition.flags).map(([name, flag]) => [name, optionOf(flag)])),
    ...(definition.positionals ? { positionals: definition.positionals } : {}),
    run: (context, flags, extras) => definition.run(context, schema.parse(flags), extras),
    // The result handed back is the one `run` returned.
    human: (result, timeZone) => definition.human(result as R, timeZone),
  };
}
