// Approval by the route's approver: one request with a number and a deadline, reminders on the policy's period with the
// same request, approve or send back (bound to the approver and the current request), and expiry at the deadline.
import { approveContract, getContractStatus, sendBackContract, startContract } from '../../client/contracts';
import { contractPage } from '../../server/dashboard/pages/contract-page';
import { approvalPolicy, approvingOffice } from '../helpers/approval-policy';
import { fakeWorkerFor, waitForStage } from '../helpers/fake-worker';
import { contractRequest, departmentPaid, readyPartner } from '../helpers/fixtures';
import { contractHandle, eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const dana = { name: departmentPaid.payingDepartment.approverName, email: departmentPaid.payingDepartment.approverEmail };

test('the approver is reminded with the same request until approving by link; other requests, people and second answers are refused', async () => {
  const { worker, context, sent } = await fakeWorkerFor(
    temporal,
    'approval-reminded',
    approvalPolicy({ remindEvery: '1s', expireAfter: '1h' }),
  );
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('approved')];
  const approvalEmails = () => sent.filter((n) => n.kind === 'approval_request' && n.contract.contractId === contractId);
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId, departmentPaid));
    await eventually(() => approvalEmails().length >= 2);
    const waiting = await getContractStatus(context, contractId);
    expect(waiting).toMatchObject({
      stage: 'initiated',
      approval: { approverEmail: approvingOffice.email, requestNumber: 1, approvedBy: null },
    });
    expect(waiting.nextDeadline).toBe(waiting.approval!.deadline);
    expect(Date.parse(waiting.approval!.deadline!) - Date.now()).toBeGreaterThan(3_500_000);

    await expect(approveContract(context, contractId, { by: approvingOffice, requestNumber: 2, method: 'link' })).rejects.toThrow(
      /requestNumber: approval request #2 is not the current one \(#1\)/,
    );
    await expect(approveContract(context, contractId, { by: dana, requestNumber: 1, method: 'link' })).rejects.toThrow(
      /only cpo@mpls.k12.mn.us approves/,
    );
    await expect(sendBackContract(context, contractId, { by: approvingOffice, reason: 'ok' })).rejects.toMatchObject({
      problems: [{ field: 'reason', message: expect.stringMatching(/must say why/) }],
    });
    await approveContract(context, contractId, { by: approvingOffice, requestNumber: 1, method: 'link' });
    await expect(sendBackContract(context, contractId, { by: approvingOffice, reason: 'Changed my mind after approving' })).rejects.toThrow(
      /already approved/,
    );
    await waitForStage(context, contractId, 'awaiting_partner_signature');
    const approved = await getContractStatus(context, contractId);
    expect(approved.approval).toMatchObject({ approvedBy: approvingOffice.name, requestNumber: 1 });
    expect(approved.history.find((e) => e.event === 'approved')).toMatchObject({
      actor: `${approvingOffice.name} <${approvingOffice.email}>`,
      detail: 'by link',
    });
    expect(approved.history.filter((e) => e.event === 'approval_reminder_sent').length).toBe(approvalEmails().length - 1);
  });
  // Every email of the request, the first and the reminders, names request #1 and the same deadline: the same link.
  const emails = approvalEmails();
  expect(emails.map((n) => n.kind === 'approval_request' && [n.requestNumber, n.reminderNumber])).toEqual(emails.map((_, i) => [1, i]));
  expect(new Set(emails.map((n) => n.kind === 'approval_request' && n.deadline)).size).toBe(1);
  expect(emails[0]).toMatchObject({ to: [approvingOffice.email], initiatedBy: dana.name });
});

test('sending back needs a reason, voids the contract with it, and tells the initiator and the district signer, not the partner', async () => {
  const { worker, context, sent } = await fakeWorkerFor(temporal, 'approval-sent-back', approvalPolicy());
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('sent-back')];
  const reason = 'The amount is <b>twice</b> the budget line & the term is wrong';
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId, departmentPaid));
    await eventually(async () => (await getContractStatus(context, contractId)).approval?.requestNumber === 1);
    await expect(sendBackContract(context, contractId, { by: dana, reason })).rejects.toThrow(/only cpo@mpls.k12.mn.us approves/);
    await expect(sendBackContract(context, contractId, { by: approvingOffice, reason, requestNumber: 3 })).rejects.toThrow(
      /not the current one/,
    );
    expect(await sendBackContract(context, contractId, { by: approvingOffice, reason, requestNumber: 1, method: 'email_reply' })).toBe(
      'voided',
    );
    const status = await contractHandle(temporal.env.client, contractId).result();
    expect(status).toMatchObject({ stage: 'voided', closedReason: `sent back by ${approvingOffice.name}: ${reason}` });
    expect(status.approval).toMatchObject({
      approvedBy: null,
      sentBack: { by: approvingOffice.name, email: approvingOffice.email, reason },
    });
    expect(status.history.find((e) => e.event === 'approval_sent_back')).toMatchObject({
      actor: `${approvingOffice.name} <${approvingOffice.email}>`,
      detail: `by email_reply: ${reason}`,
    });
    await expect(approveContract(context, contractId, { by: approvingOffice })).rejects.toThrow(
      /Refused: the contract is voided \(sent back by/,
    );
    // Staff see who sent it back and why, the reason escaped.
    const page = contractPage({
      status,
      staff: { username: 'director', name: 'Director', email: 'director@mpls.k12.mn.us', access: { role: 'cpo' } },
      timeZone: context.policy.timeZone,
    });
    expect(page).toMatch(
      /Sent back by Community Partnerships Office <time [^>]*>[^<]* C[SD]T<\/time>: The amount is &lt;b&gt;twice&lt;\/b&gt; the budget line &amp; the term is wrong/,
    );
  });
  const about = sent.filter((n) => 'contract' in n && n.contract.contractId === contractId);
  expect(about.map((n) => n.kind)).toEqual(['approval_request', 'approval_sent_back']);
  expect(about[1]).toMatchObject({ to: [dana.email], sentBackBy: `${approvingOffice.name} <${approvingOffice.email}>`, reason });
});

test('an approval request without an answer is reminded on the policy period and expires the contract at its deadline', async () => {
  const { worker, context, sent } = await fakeWorkerFor(
    temporal,
    'approval-expired',
    approvalPolicy({ remindEvery: '1s', expireAfter: '2500ms' }),
  );
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('unanswered')];
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId, departmentPaid));
    const status = await contractHandle(temporal.env.client, contractId).result();
    expect(status.stage).toBe('expired');
    expect(status.closedReason).toBe(`the approval by ${approvingOffice.email} was not received by ${status.approval!.deadline}`);
    await expect(approveContract(context, contractId, { by: approvingOffice, requestNumber: 1 })).rejects.toThrow(
      /the contract is expired/,
    );
  });
  const about = sent.filter((n) => 'contract' in n && n.contract.contractId === contractId);
  const reminderNumbers = about.flatMap((n) => (n.kind === 'approval_request' && n.reminderNumber > 0 ? [n.reminderNumber] : []));
  // Reminders fall due at 1 s and 2 s, the deadline at 2.5 s: a worker woken late under load may find the deadline
  // passed first, so one reminder or two, numbered in turn, then the closing email.
  expect(reminderNumbers.length === 1 || reminderNumbers.length === 2).toBe(true);
  expect(about.map((n) => (n.kind === 'approval_request' ? n.reminderNumber : n.kind))).toEqual([
    0,
    ...reminderNumbers.map((_, i) => i + 1),
    'contract_closed',
  ]);
});
