// Search attributes that make cases listable and filterable for supervisors (Temporal visibility,
// R9.4). Values are ids and codes only: the Temporal server must hold no readable personal data.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseNumberKey = defineSearchAttributeKey('KometCaseNumber', SearchAttributeType.KEYWORD);
/** The workflow type of the case: parentApplication, professionalEnrolment or webCourseGuidance. */
export const CaseKindKey = defineSearchAttributeKey('KometKind', SearchAttributeType.KEYWORD);
/** The district's slug (parents' cases; enrolments are city-wide and have none). */
export const DistrictKey = defineSearchAttributeKey('KometDistrict', SearchAttributeType.KEYWORD);
export const CaseStatusKey = defineSearchAttributeKey('KometStatus', SearchAttributeType.KEYWORD);
/** The course id the case is (or will be) in; changes when a seat in another course is accepted. */
export const CourseKey = defineSearchAttributeKey('KometCourse', SearchAttributeType.KEYWORD);
/** What the process waits for now (a code such as `decision` or `consent`). */
export const WaitingForKey = defineSearchAttributeKey('KometWaitingFor', SearchAttributeType.KEYWORD);
/** Since when it waits for that: a stuck case shows as an old date. */
export const WaitingSinceKey = defineSearchAttributeKey('KometWaitingSince', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [CaseNumberKey, CaseKindKey, DistrictKey, CaseStatusKey, CourseKey, WaitingForKey, WaitingSinceKey];

/** The dev server's `--search-attribute` type names. */
export function cliSearchAttributeType(key: (typeof ALL_SEARCH_ATTRIBUTES)[number]): 'Keyword' | 'Datetime' {
  return key.type === SearchAttributeType.DATETIME ? 'Datetime' : 'Keyword';
}

/**
 * New workflows write the course and waiting-for attributes; histories recorded before them
 * replay without (the patch marker tells the two apart, so running cases stay deterministic).
 */
export const INSPECTOR_ATTRIBUTES_PATCH = 'inspector-search-attributes';
