import type { ParseArgsConfig } from 'node:util';
import type { DocumentStore } from '../../activities/storage/document-store';
import type { TCpoContext } from '../context';

type TOptions = NonNullable<ParseArgsConfig['options']>;
export type TFlags = Record<string, string | string[] | boolean | undefined>;

/** One `cpo` command: its flags, how it runs, and how its result reads for a person. */
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

/**
 * What run-cli hands a command besides its flags: the positional arguments given, and lazily the document store and
 * the district certificate (DER) that signs executed documents.
 */
export interface TCommandExtras {
  positionals: string[];
  documents: () => DocumentStore;
  districtCertificate: (district: string) => Buffer;
}
