import { upsertSearchAttributes } from '@temporalio/workflow';
import type { TAmendment } from '../../domain/schemas/contract';
import { schoolSearchAttributes } from '../../domain/search-attributes';
import type { TContractRun } from './contract-run';
import { generateDocument, generateExecuted } from './contract-documents';
import { amendmentExecutedEmail, notify } from './notifications';
import { collectSignatures } from './signatures';
import { note } from './transitions';
import { unlessClosedMeanwhile } from './wait-or-close';

/** Both parties sign the amendment; once they have, its schools join the contract. */
export async function runAmendment(run: TContractRun, amendment: TAmendment): Promise<void> {
  const { state } = run;
  const schools = [...state.request.schools, ...amendment.addSchools];
  amendment.document = await unlessClosedMeanwhile(
    run,
    generateDocument(run, { ...state.request, schools }, { number: amendment.number, addedSchools: amendment.addSchools }),
  );
  if (!(await collectSignatures(run, { document: amendment.document, amendment }))) return;
  amendment.executed = await unlessClosedMeanwhile(run, generateExecuted(run, amendment.document, amendment.number));
  amendment.status = 'executed';
  state.request.schools = schools;
  upsertSearchAttributes(schoolSearchAttributes(schools));
  note(run, 'amendment_executed', `amendment ${amendment.number}: ${amendment.addSchools.join('; ')} may start`);
  await notify(run, amendmentExecutedEmail(run, amendment), 'amendment_notice_sent');
}
