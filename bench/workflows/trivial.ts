// The engine's floor for the engine benchmark (bench/engine-bench.ts): a workflow that returns at once. Its history
// is Started, WorkflowTaskScheduled/Started/Completed, Completed: one workflow task, no activity, no timer.

export async function trivialWorkflow(): Promise<void> {
  // Nothing: whatever a start-and-complete costs is the SDK, the worker and the server.
}
