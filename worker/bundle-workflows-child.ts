// Run by bundleWorkflowsApart (bundle-workflows.ts) in a child process: bundles the workflows and sends the code back.
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from './workflow-bundle-options';

bundleWorkflowCode(workflowBundleOptions())
  .then(({ code }) => process.send!({ code }, () => process.exit(0)))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
