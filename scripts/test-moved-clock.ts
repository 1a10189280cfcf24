/**
 * `npm test`'s last step: the date-sensitive tests again with "today" moved (CPO_TODAY, read once in config/env.ts
 * by the client boundary and by the test fixtures) to the coming late-June day, when Minneapolis's school year is
 * nearly over, and the coming August day, before Seattle's starts. Workflows keep Temporal's own time.
 */
import { spawnSync } from 'node:child_process';

const FILES = ['test/unit/contract-term.test.ts', 'test/unit/contract-request.test.ts', 'test/e2e/cli.test.ts'];

const today = new Date().toISOString().slice(0, 10);
/** The next date with this month and day, from today on. */
const coming = (monthDay: string): string => {
  const year = Number(today.slice(0, 4));
  return `${year}-${monthDay}` >= today ? `${year}-${monthDay}` : `${year + 1}-${monthDay}`;
};

for (const day of [coming('06-25'), coming('08-10')]) {
  console.log(`\n== ${FILES.join(', ')} with today moved to ${day} (CPO_TODAY)`);
  const run = spawnSync('npx', ['jest', ...FILES], { stdio: 'inherit', env: { ...process.env, CPO_TODAY: day } });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
