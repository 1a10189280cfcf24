// Clean-up for benchmark scripts: everything started is stopped in reverse order, on success, failure or Ctrl+C.

export class CleanupStack {
  private steps: { name: string; run: () => Promise<void> | void }[] = [];

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  /** Runs and forgets the most recent step called `name` (a worker stopped between phases, say). */
  async runNamed(name: string): Promise<void> {
    const index = this.steps.map((step) => step.name).lastIndexOf(name);
    if (index < 0) return;
    const [step] = this.steps.splice(index, 1);
    await step!.run();
  }

  async runAll(): Promise<void> {
    // Calls still in flight (their gRPC retries) fail once their servers stop, some by throwing from a timer; that
    // must not end the process before the temporary folder is removed.
    let ignored = 0;
    process.on('uncaughtException', (error) => {
      if (ignored++ === 0) console.error(`Ignored during clean-up (and any like it): ${error.message}`);
    });
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`Clean-up of ${step.name} failed: ${String(error)}`);
      }
    }
  }
}

/**
 * Runs a benchmark's main with its options: exit 0 when done, 1 on failure, 2 on bad options, 130 on Ctrl+C, always
 * after running the clean-up stack.
 */
export function runBenchmark<TOptions>(
  parse: (argv: string[]) => TOptions,
  main: (options: TOptions, cleanup: CleanupStack) => Promise<void>,
): void {
  const cleanup = new CleanupStack();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping everything...`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  // `on`, not `once`: Ctrl+C reaches this process twice (from the terminal and relayed by tsx), and a second
  // signal without a handler would kill it before the clean-up finishes.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let options: TOptions;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  main(options, cleanup)
    .then(() => cleanup.runAll())
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      if (interrupted) return;
      console.error('\nBenchmark failed:', error);
      await cleanup.runAll();
      process.exit(1);
    });
}
