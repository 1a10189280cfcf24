import type { DocumentStore } from '../../activities/storage/document-store';
import { runCli } from '../../client/cli/run-cli';
import type { TCpoContext } from '../../client/context';
import { createSelfSignedP12 } from '../../config/load-signing-credential';
import { readSigningCredential } from '../../security/signing-credential';

export interface TCliRun {
  code: number;
  out: string;
  err: string;
}

let testCertificate: Buffer | undefined;
/** A district certificate for `cpo verify` (made once, on first use: a key pair takes a moment). */
const districtCertificate = (district: string): Buffer =>
  (testCertificate ??= readSigningCredential(createSelfSignedP12(district), '').certificates[0]!);

/** Runs `cpo <argv>` in-process, as bin/cpo would, against `context`. */
export async function runCpo(context: TCpoContext, argv: string[], documents?: () => DocumentStore): Promise<TCliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    connect: () => Promise.resolve(context),
    districtCertificate,
    ...(documents ? { documents } : {}),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export const MUTATION_BLOCKED = 'mutation blocked by the test';
const HANDLE_MUTATIONS = new Set(['signal', 'executeUpdate', 'startUpdate', 'getUpdateHandle', 'terminate', 'cancel', 'reset']);
const CLIENT_MUTATIONS = new Set(['start', 'execute', 'signalWithStart', 'startUpdateWithStart', 'executeUpdateWithStart']);

const blocked = (): Promise<never> => Promise.reject(new Error(MUTATION_BLOCKED));

function forwarding<T extends object>(
  target: T,
  mutations: Set<string>,
  wrap: (prop: string, value: unknown) => unknown = (_p, v) => v,
): T {
  return new Proxy(target, {
    get(object, prop) {
      if (typeof prop === 'string' && mutations.has(prop)) return blocked;
      const value: unknown = Reflect.get(object, prop, object);
      const bound = typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
      return typeof prop === 'string' ? wrap(prop, bound) : bound;
    },
  });
}

/**
 * The context with every workflow change refused (start, signal, update, terminate) while reads go through: a
 * command that reaches a change with it has passed every check the client makes.
 */
export function readOnlyContext(context: TCpoContext): TCpoContext {
  const workflow = forwarding(context.client.workflow, CLIENT_MUTATIONS, (prop, value) =>
    prop === 'getHandle' ? (...args: unknown[]) => forwarding((value as (...a: unknown[]) => object)(...args), HANDLE_MUTATIONS) : value,
  );
  const client = forwarding(context.client, new Set(), (prop, value) => (prop === 'workflow' ? workflow : value));
  return { ...context, client };
}
