import type {
  TAgencyRecordKind,
  TCertificationCriterion,
  TContractStage,
  TPartnershipCategory,
  TPartnerStage,
  TServiceType,
} from './vocabulary';

/** How people read the vocabulary: on pages, in CSV exports and in emails. */
export const SERVICE_LABELS: Record<TServiceType, string> = {
  literacy_tutoring: 'Literacy / tutoring',
  enrichment: 'Enrichment',
  arts: 'Arts',
  leadership_mentorship: 'Leadership / mentorship',
  attendance_support: 'Attendance',
  career_college_readiness: 'Career and college readiness',
  health_mental_health: 'Health and mental health',
  social_emotional_learning: 'Social-emotional learning',
};

export const CATEGORY_LABELS: Record<TPartnershipCategory, string> = {
  contracted_partner: 'Contracted community partner',
  community_education: 'Community Education partner',
  extended_learning_cbo: 'Extended Learning CBO (ALC funding)',
  mental_health: 'Mental health partner',
};

export const STAGE_LABELS: Record<TContractStage | TPartnerStage, string> = {
  applied: 'Applied',
  in_review: 'In review',
  certified: 'Certified',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  initiated: 'Initiated',
  awaiting_prerequisites: 'Awaiting prerequisites',
  awaiting_partner_signature: 'Awaiting partner signature',
  awaiting_district_signature: 'Awaiting countersignature',
  executed: 'Executed',
  live: 'Live',
  expired: 'Expired',
  declined: 'Declined',
  voided: 'Voided',
  terminated: 'Terminated',
};

export const CRITERION_LABELS: Record<TCertificationCriterion, string> = {
  school_day_or_out_of_school_time: 'Programs take place during the school day or during out-of-school time',
  on_district_property: 'Programs take place on district property',
  in_collaboration_not_lease_holder: 'Programs are provided in collaboration with the district (not a lease holder)',
  families_never_charged: 'Families are never charged',
  ongoing: 'The partnership is ongoing (not a one-time event)',
  serves_multiple_students: 'The partner serves multiple students (not an individual service provider)',
  aligned_with_district_priorities: 'The partnership is aligned with district priorities and/or school needs',
};

export const RECORD_LABELS: Record<TAgencyRecordKind, string> = {
  safety_attestation: 'safety protocol attestation',
  background_check_affirmation: 'background-check affirmation',
  data_sharing_agreement: 'data-sharing (FERPA) agreement',
  photo_video_consent_practice: 'photo/video consent practice',
};
