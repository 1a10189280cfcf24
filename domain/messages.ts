// Every signal, query and update is declared once here and shared by workflows and clients.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  TAmendContract,
  TApproveContract,
  TContractStatus,
  TDeclineRenewal,
  TRenewContract,
  TDeclineContract,
  TProgramStart,
  TRecordView,
  TResendSignatureRequest,
  TSendBackContract,
  TSignContract,
  TSignatureRecord,
  TStartProgram,
  TVoidContract,
} from './schemas/contract';
import type {
  TAgencyRecord,
  TAttestationRecord,
  TCertifyPartner,
  TContractRegistration,
  TPartnerStanding,
  TPartnerStatus,
  TRecordAgencyRecord,
  TRecordAgencyRecordView,
  TRecordAttestationView,
  TResendAgencyRecordRequest,
  TRejectPartner,
  TResendAttestationRequest,
  TSignAttestation,
  TStartReview,
  TTerminatePartner,
  TWithdrawPartner,
} from './schemas/partner';
import type { TContractStage, TPartnerStage } from './vocabulary';

// Partner workflow
export const getPartnerStatusQuery = defineQuery<TPartnerStatus>('getPartnerStatus');
export const startReviewUpdate = defineUpdate<TPartnerStage, [TStartReview]>('startReview');
export const certifyPartnerUpdate = defineUpdate<TPartnerStage, [TCertifyPartner]>('certifyPartner');
export const rejectPartnerUpdate = defineUpdate<TPartnerStage, [TRejectPartner]>('rejectPartner');
export const withdrawPartnerUpdate = defineUpdate<TPartnerStage, [TWithdrawPartner]>('withdrawPartner');
export const signAttestationUpdate = defineUpdate<TAttestationRecord, [TSignAttestation]>('signAttestation');
/** A contract announces itself to its partner, which answers with its standing now and on every change. */
export const registerContractSignal = defineSignal<[TContractRegistration]>('registerContract');
/** The district ends the partnership for cause; the agency's open contracts end and their programs are blocked. */
export const terminatePartnerUpdate = defineUpdate<TPartnerStage, [TTerminatePartner]>('terminatePartner');
/** Staff send the school year's attestation again: a new form and request number; older links and replies stop working. */
export const resendAttestationRequestUpdate = defineUpdate<number, [TResendAttestationRequest]>('resendAttestationRequest');
/** The attestation page was opened with a request's link. */
export const recordAttestationViewSignal = defineSignal<[TRecordAttestationView]>('recordAttestationView');
/** Background-check affirmation, data-sharing agreement, photo/video consent practice. */
export const recordAgencyRecordUpdate = defineUpdate<TAgencyRecord, [TRecordAgencyRecord]>('recordAgencyRecord');
/** Staff send an agency record request of one kind again: a new request number; older links and replies stop working. */
export const resendAgencyRecordRequestUpdate = defineUpdate<number, [TResendAgencyRecordRequest]>('resendAgencyRecordRequest');
/** The affirmation page was opened with a request's link. */
export const recordAgencyRecordViewSignal = defineSignal<[TRecordAgencyRecordView]>('recordAgencyRecordView');

// Contract workflow
export const getContractStatusQuery = defineQuery<TContractStatus>('getContractStatus');
export const updatePartnerStandingSignal = defineSignal<[TPartnerStanding]>('updatePartnerStanding');
export const signContractUpdate = defineUpdate<TSignatureRecord, [TSignContract]>('signContract');
export const declineContractUpdate = defineUpdate<TContractStage, [TDeclineContract]>('declineContract');
export const voidContractUpdate = defineUpdate<TContractStage, [TVoidContract]>('voidContract');
/** A new signature request (new request number) for the awaited signer; older links and replies stop working. */
export const resendSignatureRequestUpdate = defineUpdate<number, [TResendSignatureRequest]>('resendSignatureRequest');
export const recordSigningViewSignal = defineSignal<[TRecordView]>('recordSigningView');
/** The program-start gate: refused, with the reason, until the contract is live. */
export const startProgramUpdate = defineUpdate<TProgramStart, [TStartProgram]>('startProgram');
/** The route's approver approves before the partner is asked to sign (when that is not the initiator). */
export const approveContractUpdate = defineUpdate<TContractStage, [TApproveContract]>('approveContract');
/** The route's approver sends the contract back to its initiator with a reason instead of approving it. */
export const sendBackContractUpdate = defineUpdate<TContractStage, [TSendBackContract]>('sendBackContract');
/** Adds schools to a live contract by amendment; returns the amendment number. */
export const amendContractUpdate = defineUpdate<number, [TAmendContract]>('amendContract');
/** Renews the program for the next school year; returns next year's contract id. */
export const renewContractUpdate = defineUpdate<string, [TRenewContract]>('renewContract');
export const declineRenewalUpdate = defineUpdate<TContractStage, [TDeclineRenewal]>('declineRenewal');
