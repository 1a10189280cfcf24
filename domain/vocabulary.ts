// Names from the product brief (../shared/PRODUCT.md). Used in code, API, UI and tests alike.

/** `terminated`: the district ended the partnership for cause. */
export const PARTNER_STAGES = ['applied', 'in_review', 'certified', 'rejected', 'withdrawn', 'terminated'] as const;
/** The stages a partnership does not come back from: no new contracts, and open ones end. */
export const ENDED_PARTNER_STAGES = ['rejected', 'withdrawn', 'terminated'] as const satisfies readonly (typeof PARTNER_STAGES)[number][];
export const isEndedPartnerStage = (stage: string): stage is (typeof ENDED_PARTNER_STAGES)[number] =>
  (ENDED_PARTNER_STAGES as readonly string[]).includes(stage);
export type TPartnerStage = (typeof PARTNER_STAGES)[number];
/** The stages in which a partner still takes applications' steps, records and attestations. */
export const ACTIVE_PARTNER_STAGES: readonly TPartnerStage[] = ['applied', 'in_review', 'certified'];

export const CONTRACT_STAGES = [
  'initiated',
  'awaiting_prerequisites',
  'awaiting_partner_signature',
  'awaiting_district_signature',
  'executed',
  'live',
  'expired',
  'declined',
  'voided',
  'terminated',
] as const;
export type TContractStage = (typeof CONTRACT_STAGES)[number];

/** Stages a contract never leaves. */
export const CLOSED_CONTRACT_STAGES: readonly TContractStage[] = ['expired', 'declined', 'voided', 'terminated'];
export const OPEN_CONTRACT_STAGES: readonly TContractStage[] = CONTRACT_STAGES.filter((stage) => !CLOSED_CONTRACT_STAGES.includes(stage));

/** Stages before execution: the CPO office may void the contract; a departing partner voids it. */
export const VOIDABLE_CONTRACT_STAGES: readonly TContractStage[] = [
  'initiated',
  'awaiting_prerequisites',
  'awaiting_partner_signature',
  'awaiting_district_signature',
];

export const SIGNER_ROLES = ['partner', 'district'] as const;
export type TSignerRole = (typeof SIGNER_ROLES)[number];

/** Service types listed in seed 000 ("What types of services do Certified Community Partners provide?"). */
export const SERVICE_TYPES = [
  'literacy_tutoring',
  'enrichment',
  'arts',
  'leadership_mentorship',
  'attendance_support',
  'career_college_readiness',
  'health_mental_health',
  'social_emotional_learning',
] as const;
export type TServiceType = (typeof SERVICE_TYPES)[number];

/** Partnership categories of seed 002; an agency may be several, each contract is under one. */
export const PARTNERSHIP_CATEGORIES = ['contracted_partner', 'community_education', 'extended_learning_cbo', 'mental_health'] as const;
export type TPartnershipCategory = (typeof PARTNERSHIP_CATEGORIES)[number];

/** Seed 000, "What is a Certified Community Partner?": the checklist a reviewer answers before certifying. */
export const CERTIFICATION_CRITERIA = [
  'school_day_or_out_of_school_time',
  'on_district_property',
  'in_collaboration_not_lease_holder',
  'families_never_charged',
  'ongoing',
  'serves_multiple_students',
  'aligned_with_district_priorities',
] as const;
export type TCertificationCriterion = (typeof CERTIFICATION_CRITERIA)[number];

/** Agency-level records (once per agency, some once per school year), beside certification. */
export const AGENCY_RECORD_KINDS = [
  'safety_attestation',
  'background_check_affirmation',
  'data_sharing_agreement',
  'photo_video_consent_practice',
] as const;
export type TAgencyRecordKind = (typeof AGENCY_RECORD_KINDS)[number];

export const NOTIFICATION_KINDS = [
  'attestation_request',
  'attestation_signed',
  'agency_record_request',
  'signature_request',
  'contract_executed',
  'contract_live',
  'contract_closed',
  'approval_request',
  'approval_sent_back',
  'renewal_request',
] as const;
export type TNotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const partnerWorkflowId = (partnerId: string): string => `partner-${partnerId}`;
export const contractWorkflowId = (contractId: string): string => `contract-${contractId}`;

/** The reply addresses `<prefix>+<token>@<replyDomain>`: one per kind of request that can be answered by email. */
export const REPLY_PREFIXES = ['sign', 'approve', 'attest', 'record'] as const;
export type TReplyPrefix = (typeof REPLY_PREFIXES)[number];
