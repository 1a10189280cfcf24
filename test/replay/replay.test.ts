import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type * as workflows from '../../workflows';
import { bundleWorkflows, quietRuntime } from '../helpers/temporal';

const HISTORIES = path.join(__dirname, 'histories');
/** The histories committed up to now; new ones are added beside them, none is ever removed. */
const COMMITTED_HISTORIES = 20;
/** Every workflow the worker registers, by the history file prefix its recordings carry (the compiler checks the names). */
const WORKFLOW_OF_PREFIX: Record<string, keyof typeof workflows> = { contract: 'contractWorkflow', partner: 'partnerWorkflow' };

const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json'));
const histories = files.map((file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')));
  const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '(no start event)';
  return { file, workflowId: file.replace(/\.json$/, ''), workflowType, history };
});

test('the committed histories are all here, each a recording of the workflow its name says', () => {
  expect(files.length).toBeGreaterThanOrEqual(COMMITTED_HISTORIES);
  expect(histories.map(({ file, workflowType }) => [file, workflowType])).toEqual(
    histories.map(({ file }) => [file, WORKFLOW_OF_PREFIX[file.split('-')[0]!] ?? 'a known workflow']),
  );
});

/** A change that would break running workflows (non-determinism) fails here, not in production. */
test('the current workflow code replays every recorded history', async () => {
  quietRuntime();
  const failures: string[] = [];
  const replayed: string[] = [];
  const results = Worker.runReplayHistories({ workflowBundle: await bundleWorkflows(), replayName: 'committed-histories' }, histories);
  for await (const result of results) {
    replayed.push(result.workflowId);
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  // Every .json file was replayed, each once (a history the runner skipped would otherwise pass unnoticed).
  expect(replayed).toHaveLength(files.length);
  expect(replayed.sort()).toEqual(files.map((file) => file.replace(/\.json$/, '')).sort());
});
