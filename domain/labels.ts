import type { TContractStage, TPartnershipCategory, TPartnerStage, TServiceType } from './vocabulary';

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
