import type { TPolicy } from '../policy';
import type { TContractStage, TSignerRole } from '../vocabulary';
import type { TDocumentRef, THistoryEntry } from './common';
import type { TContractRequest } from './contract-request';
import type { TSignContract, TSigningEvent } from './contract-actions';
import type { TPartnerStanding } from './partner';

/** What a contract workflow holds and answers: signatures, amendments, renewal, approval, program starts. */
export interface TSignatureRecord {
  role: TSignerRole;
  name: string;
  title?: string;
  email: string;
  signedAt: string;
  method: TSignContract['method'];
  ipAddress?: string;
  userAgent?: string;
  requestNumber: number;
  documentSha256: string;
  amendmentNumber?: number;
}

/** What is out for signature now: the contract or an amendment. */
export interface TSigningNow {
  role: TSignerRole;
  name: string;
  email: string;
  requestNumber: number;
  document: TDocumentRef;
  amendmentNumber: number | null;
}

export interface TAmendment {
  number: number;
  addSchools: string[];
  note?: string;
  requestedBy: string;
  requestedAt: string;
  status: 'drafting' | 'awaiting_partner_signature' | 'awaiting_district_signature' | 'executed' | 'declined' | 'expired';
  document: TDocumentRef | null;
  executed: TDocumentRef | null;
  closedReason?: string;
}

export interface TRenewal {
  schoolYear: string;
  /** The person or office asked to decide (the paying department, or the office that initiates the route). */
  askedEmail: string;
  requestedAt: string | null;
  decision: 'renew' | 'not_renewed' | null;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  nextContractId?: string;
}

export interface TApproval {
  approverEmail: string;
  /** Unset on contracts from before approval by link. */
  approverName?: string;
  approvedBy: string | null;
  approvedAt: string | null;
  /** The approval request out now (its link and reply address name it); unset on contracts from before approval by link. */
  requestNumber?: number;
  /** When the approval request expires and the contract with it. */
  deadline?: string;
  /** Set when the approver sent the contract back instead of approving it. */
  sentBack?: { by: string; email: string; reason: string; at: string };
}

export interface TProgramStart {
  school: string;
  by: string;
  at: string;
}

export interface TDistrictSigner {
  name: string;
  email: string;
  office: string;
}

export interface TContractStatus {
  contractId: string;
  request: TContractRequest;
  policyId: string;
  policyVersion: string;
  routeLabel: string;
  districtSigner: TDistrictSigner;
  /** The school year the program runs in; the contract ends with it. */
  schoolYear: string;
  stage: TContractStage;
  /** Set when the route needs an approval other than the initiator's. */
  approval: TApproval | null;
  /** What the contract waits for from its partner before it can go to signature. */
  waitingFor: string[];
  signing: TSigningNow | null;
  amendments: TAmendment[];
  renewal: TRenewal | null;
  partner: TPartnerStanding | null;
  documents: { contract: TDocumentRef | null; executed: TDocumentRef | null };
  signatures: TSignatureRecord[];
  signingEvents: TSigningEvent[];
  requestNumber: number;
  nextDeadline: string | null;
  goLiveAt: string;
  closedReason: string | null;
  programStartBlockedReason: string | null;
  programStarts: TProgramStart[];
  attention: string | null;
  history: THistoryEntry[];
}

export interface TContractWorkflowInput {
  request: TContractRequest;
  /** The policy the contract started with; a running contract keeps it when the policy file changes. */
  policy: TPolicy;
}
