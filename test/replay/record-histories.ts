// Records workflow histories for the replay test: `npm run record-histories`. Run it when a deliberate,
// versioned change to a workflow is made, and commit the new files beside the old ones (keep the old ones:
// workflows that started under them may still be running).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { getContractStatus, signContract, startContract, startProgram, voidContract } from '../../client/contracts';
import { contractWorkflowId, partnerWorkflowId } from '../../domain/vocabulary';
import { startDevServer } from '../../scripts/dev-server';
import { findTemporalCli } from '../../scripts/temporal-cli';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { createFakeActivities } from '../helpers/fake-activities';
import { contractRequest, departmentPaid, readyPartner } from '../helpers/fixtures';
import { eventually, testPolicy } from '../helpers/temporal';

const OUT = path.join(__dirname, 'histories');

async function main(): Promise<void> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('No Temporal CLI');
  const server = await startDevServer({ cliPath: cli.path, port: 17_233 });
  const connection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const taskQueue = 'record-histories';
  const worker = await Worker.create({ connection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: createFakeActivities().activities });
  const context = { client, taskQueue, policy: testPolicy({ remindEvery: '1s', expireAfter: '2500ms' }) };
  const stage = (id: string, wanted: string) => eventually(async () => (await getContractStatus(context, id)).stage === wanted);

  await worker.runUntil(async () => {
    await readyPartner(context, 'hoi-nguoi-viet');
    await startContract(context, contractRequest('reading-live', 'hoi-nguoi-viet', departmentPaid));
    await stage('reading-live', 'awaiting_partner_signature');
    await signContract(context, 'reading-live', { role: 'partner', name: 'Lan Nguyễn', email: 'lan@hoi-nguoi-viet.example', consent: true, method: 'link', ipAddress: '203.0.113.7' });
    await stage('reading-live', 'awaiting_district_signature');
    await signContract(context, 'reading-live', { role: 'district', name: 'Dana Approver', email: departmentPaid.payingDepartment.approverEmail, consent: true, method: 'cli' });
    await stage('reading-live', 'live');
    await startProgram(context, 'reading-live', { by: { name: 'Principal' }, school: 'Folwell Middle' });

    await startContract(context, contractRequest('reading-voided', 'hoi-nguoi-viet'));
    await stage('reading-voided', 'awaiting_partner_signature');
    await voidContract(context, 'reading-voided', { by: { name: 'CPO Staff' }, reason: 'the school cancelled the program' });
    await client.workflow.getHandle(contractWorkflowId('reading-voided')).result();

    await startContract(context, contractRequest('reading-expired', 'hoi-nguoi-viet'));
    await client.workflow.getHandle(contractWorkflowId('reading-expired')).result();

    for (const workflowId of [partnerWorkflowId('hoi-nguoi-viet'), ...['reading-live', 'reading-voided', 'reading-expired'].map(contractWorkflowId)]) {
      // The CLI writes the JSON that historyFromJSON reads (the SDK's historyToJSON trips over a protobufjs mismatch).
      const json = execFileSync(cli.path, ['workflow', 'show', '--workflow-id', workflowId, '--address', server.address, '--output', 'json']);
      writeFileSync(path.join(OUT, `${workflowId}.json`), json);
      console.log(`recorded ${workflowId}: ${JSON.parse(json.toString()).events.length} events`);
    }
  });
  await connection.close();
  await client.connection.close();
  await server.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
