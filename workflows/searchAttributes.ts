// Search attributes that make cases listable for supervisors (Temporal visibility, R9.4).
// Values are ids and codes only: the Temporal server must hold no readable personal data.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseNumberKey = defineSearchAttributeKey('KometCaseNumber', SearchAttributeType.KEYWORD);
export const CaseKindKey = defineSearchAttributeKey('KometKind', SearchAttributeType.KEYWORD);
export const DistrictKey = defineSearchAttributeKey('KometDistrict', SearchAttributeType.KEYWORD);
export const CaseStatusKey = defineSearchAttributeKey('KometStatus', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [CaseNumberKey, CaseKindKey, DistrictKey, CaseStatusKey];
