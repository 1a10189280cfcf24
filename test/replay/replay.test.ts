import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { bundleWorkflows, quietRuntime } from '../helpers/temporal';

const HISTORIES = path.join(__dirname, 'histories');
const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json'));

test('recorded histories are committed for both workflows', () => {
  expect(files.some((f) => f.startsWith('partner-'))).toBe(true);
  expect(files.filter((f) => f.startsWith('contract-')).length).toBeGreaterThanOrEqual(3);
});

/** A change that would break running workflows (non-determinism) fails here, not in production. */
test('the current workflow code replays every recorded history', async () => {
  quietRuntime();
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8'))),
  }));
  const failures: string[] = [];
  const replayed: string[] = [];
  const results = Worker.runReplayHistories({ workflowBundle: await bundleWorkflows(), replayName: 'committed-histories' }, histories);
  for await (const result of results) {
    replayed.push(result.workflowId);
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(files.length).toBeGreaterThan(0);
  // Every committed file was replayed, each once (a history the runner skipped would otherwise pass unnoticed).
  expect(replayed.sort()).toEqual(histories.map((h) => h.workflowId).sort());
});
