// The statistics page's query string (R9.1): filter by district, term and course kind, and choose
// what the participation and feedback figures are broken down by. Messages are translation keys.
import { z } from 'zod';
import { parseTermCode, type TermIndex } from './terms';
import { blankToUndefined, parseFilterQuery, type ParsedFilter as ParsedFilterQuery } from '../validation/filterQuery';

/** The parent courses the statistics count (trainings are for professionals, R6–R7). */
export const PARENT_COURSE_KINDS = ['groupCourse', 'webCourse'] as const;
export type ParentCourseKind = (typeof PARENT_COURSE_KINDS)[number];

/** What a figure's rows are: one per district, per course kind or per term. */
export const BREAKDOWNS = ['district', 'kind', 'term'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];


export const StatisticsQuery = z.object({
  /** A district's slug; whether it exists is checked against the districts (checkDistrict). */
  district: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9-]{1,60}$/, { error: 'statistics.errors.district' }).optional()),
  term: z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((s, ctx) => {
        const term = parseTermCode(s.trim().toUpperCase().replace(/\s+/g, ''));
        if (term === null) {
          ctx.addIssue({ code: 'custom', message: 'statistics.errors.term' });
          return z.NEVER;
        }
        return term;
      })
      .optional(),
  ),
  kind: z.preprocess(blankToUndefined, z.enum(PARENT_COURSE_KINDS, { error: 'statistics.errors.kind' }).optional()),
  by: z.preprocess(blankToUndefined, z.enum(BREAKDOWNS, { error: 'statistics.errors.by' }).default('district')),
});

export interface StatisticsFilter {
  /** District id (resolved from the slug). */
  districtId?: string;
  term?: TermIndex;
  kind?: ParentCourseKind;
  by: Breakdown;
}

export interface ParsedFilter {
  district?: string;
  term?: TermIndex;
  kind?: ParentCourseKind;
  by: Breakdown;
}

export type ParsedStatisticsQuery = ParsedFilterQuery<ParsedFilter>;

const FIELDS = ['district', 'term', 'kind', 'by'] as const;

export function parseStatisticsQuery(query: Record<string, string | undefined>): ParsedStatisticsQuery {
  return parseFilterQuery(StatisticsQuery, query, FIELDS, 60);
}
