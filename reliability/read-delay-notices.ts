import { runCli } from '../client/cli/run-cli';
import type { TReliabilityStack } from './stack';

/**
 * What staff are shown of a contract's delayed work (`waiting on email` or `waiting on document storage`): the line
 * `cpo status` prints and the notice on its dashboard page; empty when not shown.
 */
export async function readDelayNotices(
  stack: TReliabilityStack,
  contractId: string,
  kind: 'email' | 'storage',
): Promise<{ cliLine: string; pageNotice: string }> {
  const printed: string[] = [];
  await runCli(['status', '--contract-id', contractId], {
    stdout: (line) => printed.push(line),
    stderr: (line) => printed.push(line),
    connect: () => Promise.resolve(stack.context),
  });
  const marker = kind === 'email' ? 'waiting on email' : 'waiting on document storage';
  const cliLine =
    printed
      .join('\n')
      .split('\n')
      .find((line) => line.includes(marker))
      ?.trim() ?? '';
  const page = await (
    await fetch(`${stack.baseUrl}/dashboard/contracts/${contractId}`, { headers: { authorization: stack.apiAuthorization } })
  ).text();
  const pageNotice = new RegExp(`<p [^>]*data-waiting-on-${kind}>([^<]*)</p>`).exec(page)?.[1] ?? '';
  return { cliLine, pageNotice };
}
