import { readApprovalReply } from '../../inbound/read-approval-reply';

const QUOTE =
  '\n\nOn Mon, Nov 23, 2026 at 10:00 AM Community Partnerships Office wrote:\n> Or reply instead: write "I approve" to approve; or write "send back" with the reason';

test.each([
  ['I approve', { action: 'approve' }],
  ['We hereby approve this contract.', { action: 'approve' }],
  ['Yes — I do approve it. Thanks!', { action: 'approve' }],
  [
    'I do not approve.\nReason: the amount is twice the budget line',
    { action: 'send_back', reason: 'the amount is twice the budget line' },
  ],
  [
    'Please send it back: the term starts before the grant does',
    { action: 'send_back', reason: 'Please send it back: the term starts before the grant does' },
  ],
  ['I can’t approve this, wrong school listed', { action: 'send_back', reason: 'I can’t approve this, wrong school listed' }],
  ['Send back', { action: 'answer', problem: 'send_back_without_reason' }],
  ['I do not approve', { action: 'answer', problem: 'send_back_without_reason' }],
  ['I approve, but send back the other one please', { action: 'answer', problem: 'conflicting' }],
  ['Looks fine to me', { action: 'answer', problem: 'unclear' }],
  ['', { action: 'answer', problem: 'unclear' }],
])('%j → %j (the quoted request below it is not read)', (text, expected) => {
  expect(readApprovalReply({ text: `${text}${QUOTE}` })).toEqual(expected);
});

test('a request pasted below the reply without quote marks is cut at its own lines', () => {
  const pasted = 'I approve\n\nDana Approver initiated the contract below.\nOr reply: write "send back" with the reason';
  expect(readApprovalReply({ text: pasted, sent: ['Dana Approver initiated the contract below.'] })).toEqual({ action: 'approve' });
});
