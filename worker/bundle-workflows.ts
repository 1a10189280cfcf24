import { fork } from 'node:child_process';
import type { WorkflowBundle } from '@temporalio/worker';

/**
 * Bundles the workflow code in a child process. Bundling in the worker itself (`workflowsPath`) leaves webpack's
 * memory behind: about 160 MB of the worker's resident memory for as long as it runs.
 */
export function bundleWorkflowsApart(): Promise<WorkflowBundle> {
  return new Promise((resolve, reject) => {
    const child = fork(require.resolve('./bundle-workflows-child'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let bundle: WorkflowBundle | undefined;
    child.on('message', (message: { code: string }) => (bundle = { code: message.code }));
    child.on('error', reject);
    // 'close', not 'exit': it comes after the IPC channel has delivered every message.
    child.on('close', (code) =>
      bundle ? resolve(bundle) : reject(new Error(`bundling the workflows failed (exit code ${code}); its error is above`)),
    );
  });
}
