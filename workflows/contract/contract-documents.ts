import type { TContractRequest } from '../../domain/schemas/contract';
import type { TDocumentRef } from '../../domain/schemas/common';
import { documents } from '../activities';
import { nowIso } from '../support';
import type { TContractRun } from './contract-run';
import { summaryOf } from './derived';

/** The contract PDF, or an amendment's (which lists every school, old and added). */
export function generateDocument(
  run: TContractRun,
  listed: TContractRequest,
  amendment?: { number: number; addedSchools: string[] },
): Promise<TDocumentRef> {
  return documents.generateContractPdf({
    request: listed,
    organizationName: summaryOf(run).organizationName,
    routeLabel: run.route.label,
    district: run.policy.district,
    districtSigner: run.districtSigner,
    documentTitle: run.route.documentTitle,
    schoolYear: run.schoolYear.name,
    ...(amendment ? { amendment } : {}),
    generatedAt: nowIso(),
  });
}

/** The signed PDF with its certificate of completion: the contract's, or an amendment's (its signatures and events only). */
export function generateExecuted(run: TContractRun, contractDocument: TDocumentRef, amendmentNumber?: number): Promise<TDocumentRef> {
  const { state } = run;
  return documents.generateExecutedContractPdf({
    contractDocument,
    contractId: run.request.contractId,
    ...(amendmentNumber ? { amendmentNumber } : {}),
    signatures: amendmentNumber ? state.signatures.filter((s) => s.amendmentNumber === amendmentNumber) : state.signatures,
    events: amendmentNumber ? state.signingEvents.filter((e) => e.amendmentNumber === amendmentNumber) : state.signingEvents,
    generatedAt: nowIso(),
  });
}
