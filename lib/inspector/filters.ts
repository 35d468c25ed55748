// The case inspector's filters (R9.4): the list page's query string, validated against known codes,
// becomes a Temporal visibility query. Only codes, ids and dates reach the query, each checked
// against a strict pattern before it is quoted, so nothing typed into the form can change the query.
import { z } from 'zod';
import { CASE_NUMBER_PATTERN } from '../cases/caseNumber';
import { APPLICATION_STATUSES } from '../../rules/caseStatus';
import { PARENT_APPLICATION, type CaseStatus, type ParentApplicationState } from '../../workflows/parentApplication.messages';
import {
  PROFESSIONAL_ENROLMENT,
  type EnrolmentStatus,
  type ProfessionalEnrolmentState,
} from '../../workflows/professionalEnrolment.messages';
import { WEB_COURSE_GUIDANCE } from '../../workflows/webCourseGuidance.messages';
import {
  CaseKindKey,
  CaseNumberKey,
  CaseStatusKey,
  CourseKey,
  DistrictKey,
  WaitingForKey,
  WaitingSinceKey,
} from '../../workflows/searchAttributes';
import { blankToUndefined } from '../validation/filterQuery';

/** The case workflows the inspector lists (workflow types, as in KometKind). */
export const CASE_KINDS = [PARENT_APPLICATION, PROFESSIONAL_ENROLMENT, WEB_COURSE_GUIDANCE] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Every status a case workflow writes to KometStatus: the one list (rules/caseStatus.ts). */
export const CASE_STATUSES = APPLICATION_STATUSES;

/** Every KometWaitingFor code: the workflows' waitingFor values, the guide's sign-off, and `nothing` once done. */
export const WAITING_CODES = [
  'confirmation',
  'decision',
  'notice',
  'offerAnswer',
  'nextSession',
  'guidance',
  'finalEvaluation',
  'consent',
  'admission',
  'training',
  'payment',
  'certificate',
  'moduleSignOff',
  'nothing',
] as const;
type AnyWaiting = NonNullable<ParentApplicationState['waitingFor'] | ProfessionalEnrolmentState['waitingFor']>;
const everyWaitingKnown: [Exclude<AnyWaiting, (typeof WAITING_CODES)[number]>] extends [never] ? true : false = true;
void everyWaitingKnown;

export const MAX_WAITING_DAYS = 3650;
const DISTRICT_SLUG = /^[a-z0-9-]{1,60}$/;
/** Temporal's page tokens, carried base64url-encoded and signed in the address (see listing.ts). */
const PAGE_TOKEN = /^[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{43}$/;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** Query-string names: the form's field names (so errors sit beside their fields), and the page's token and number. */
export const PARAMS = {
  caseNumber: 'caseNumber',
  kind: 'kind',
  district: 'district',
  course: 'course',
  status: 'status',
  waitingFor: 'waitingFor',
  waitingDays: 'waitingDays',
  includeClosed: 'includeClosed',
  page: 'sida',
  pageNumber: 'nr',
} as const;
type FilterField = Exclude<keyof typeof PARAMS, 'page' | 'pageNumber'>;

export interface KnownIds {
  districts: ReadonlySet<string>;
  courses: ReadonlySet<string>;
}

function querySchema(known: KnownIds) {
  return z.object({
    caseNumber: optional(
      z
        .string()
        .trim()
        .transform((s) => s.toUpperCase())
        .pipe(z.string().regex(CASE_NUMBER_PATTERN, { error: 'inspector.errors.caseNumber' })),
    ),
    kind: optional(z.enum(CASE_KINDS, { error: 'inspector.errors.kind' })),
    district: optional(
      z
        .string({ error: 'inspector.errors.district' })
        .regex(DISTRICT_SLUG, { error: 'inspector.errors.district' })
        .refine((s) => known.districts.has(s), { error: 'inspector.errors.district' }),
    ),
    course: optional(
      z
        .string({ error: 'inspector.errors.course' })
        .uuid({ error: 'inspector.errors.course' })
        .refine((s) => known.courses.has(s), { error: 'inspector.errors.course' }),
    ),
    status: optional(z.enum(CASE_STATUSES, { error: 'inspector.errors.status' })),
    waitingFor: optional(z.enum(WAITING_CODES, { error: 'inspector.errors.waitingFor' })),
    waitingDays: optional(
      z.coerce
        .number({ error: 'inspector.errors.waitingDays' })
        .int({ error: 'inspector.errors.waitingDays' })
        .min(1, { error: 'inspector.errors.waitingDays' })
        .max(MAX_WAITING_DAYS, { error: 'inspector.errors.waitingDays' }),
    ),
    includeClosed: z.preprocess((v) => v === '1' || v === 'on', z.boolean()),
    page: optional(z.string().regex(PAGE_TOKEN, { error: 'inspector.errors.page' })),
    pageNumber: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1)),
  });
}

export type InspectorFilter = Omit<z.infer<ReturnType<typeof querySchema>>, 'page' | 'pageNumber'>;
export interface InspectorPage {
  token: string | undefined;
  number: number;
}

export type ParsedInspectorQuery =
  | { ok: true; filter: InspectorFilter; page: InspectorPage }
  | { ok: false; errors: Record<string, string>; values: Record<FilterField, string> };

/** The list page's query string, checked against the known districts and courses. */
export function parseInspectorQuery(query: Record<string, string | undefined>, known: KnownIds): ParsedInspectorQuery {
  const input = Object.fromEntries(Object.entries(PARAMS).map(([field, param]) => [field, query[param]]));
  const parsed = querySchema(known).safeParse(input);
  if (parsed.success) {
    const { page, pageNumber, ...filter } = parsed.data;
    return { ok: true, filter, page: { token: page, number: page ? pageNumber : 1 } };
  }
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'caseNumber');
    // A broken page token is not the person's doing: the list starts again from the first page.
    if (field === 'page' || field === 'pageNumber') continue;
    errors[field] ??= issue.message.startsWith('inspector.') ? issue.message : 'errors.invalid';
  }
  const values = Object.fromEntries(
    (Object.keys(PARAMS) as (keyof typeof PARAMS)[])
      .filter((k): k is FilterField => k !== 'page' && k !== 'pageNumber')
      .map((k) => [k, String(query[PARAMS[k]] ?? '').slice(0, 100)]),
  ) as Record<FilterField, string>;
  if (Object.keys(errors).length === 0) {
    // Only the page token was bad: the same filter from the first page.
    return parseInspectorQuery({ ...query, [PARAMS.page]: undefined, [PARAMS.pageNumber]: undefined }, known);
  }
  return { ok: false, errors, values };
}

/** The filter as a query string, for the form's values, page links and return links. */
export function filterQueryString(f: InspectorFilter, page?: { token: string; number: number }): string {
  const params = new URLSearchParams();
  if (f.caseNumber) params.set(PARAMS.caseNumber, f.caseNumber);
  if (f.kind) params.set(PARAMS.kind, f.kind);
  if (f.district) params.set(PARAMS.district, f.district);
  if (f.course) params.set(PARAMS.course, f.course);
  if (f.status) params.set(PARAMS.status, f.status);
  if (f.waitingFor) params.set(PARAMS.waitingFor, f.waitingFor);
  if (f.waitingDays) params.set(PARAMS.waitingDays, String(f.waitingDays));
  if (f.includeClosed) params.set(PARAMS.includeClosed, '1');
  if (page) {
    params.set(PARAMS.page, page.token);
    params.set(PARAMS.pageNumber, String(page.number));
  }
  return params.toString();
}

/** Values the visibility query may contain: codes, ids, case numbers and ISO instants. */
const SAFE_VALUE = /^[A-Za-z0-9:._-]{1,100}$/;

/** A quoted visibility-query literal; anything outside the safe alphabet is refused, never escaped around. */
export function literal(value: string): string {
  if (!SAFE_VALUE.test(value)) throw new Error('A value outside the safe alphabet was given to the visibility query');
  return `'${value}'`;
}

/** The Temporal visibility query for a filter: running case workflows unless closed ones are asked for. */
export function visibilityQuery(f: InspectorFilter, now: Date = new Date()): string {
  const parts: string[] = [];
  parts.push(
    f.kind ? `${CaseKindKey.name} = ${literal(f.kind)}` : `${CaseKindKey.name} IN (${CASE_KINDS.map(literal).join(', ')})`,
  );
  if (!f.includeClosed) parts.push(`ExecutionStatus = 'Running'`);
  if (f.caseNumber) parts.push(`${CaseNumberKey.name} = ${literal(f.caseNumber)}`);
  if (f.district) parts.push(`${DistrictKey.name} = ${literal(f.district)}`);
  if (f.course) parts.push(`${CourseKey.name} = ${literal(f.course)}`);
  if (f.status) parts.push(`${CaseStatusKey.name} = ${literal(f.status)}`);
  if (f.waitingFor) parts.push(`${WaitingForKey.name} = ${literal(f.waitingFor)}`);
  if (f.waitingDays) {
    const before = new Date(now.getTime() - f.waitingDays * 86_400_000);
    parts.push(`${WaitingSinceKey.name} < ${literal(before.toISOString())}`);
  }
  return parts.join(' AND ');
}
