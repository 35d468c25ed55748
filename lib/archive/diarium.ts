// The diarium (R9.3): every case registered with its number, dates and status, searchable by
// central staff and the administrator. The case search is by case data only (no personal data in
// the address bar); a search by person is a separate form with a stated reason (R11.5).
import { APPLICATION_STATUSES as ALL_STATUSES } from '../../rules/caseStatus';
import { z } from 'zod';
import type { Db, DbTypes } from '../db';
import { StatedReasonSchema } from '../audit/auditTrail';
import { pageLinks } from '../cases/workingList';
import { addDays, stockholmInstant } from '../time';
import { parsePersonnummer } from '../validation/personnummer';
import { blankToUndefined, calendarDay, pageParam, parseFilterQuery, type ParsedFilter } from '../validation/filterQuery';

export const DIARIUM_PAGE_SIZE = 25;
export const PERSON_SEARCH_LIMIT = 50;
/** The one list of case statuses (rules/caseStatus.ts), tied to the database enum. */
const STATUSES = ALL_STATUSES;
export const DIARIUM_STATUSES: readonly DbTypes.ApplicationStatus[] = STATUSES;
export const DIARIUM_KINDS = ['groupCourse', 'webCourse', 'training'] as const satisfies readonly DbTypes.CourseKind[];
/** The district filter's value for cases of courses without a district (web course, trainings). */
export const NO_DISTRICT = 'none';

const isoDay = calendarDay('diarium.errors.date');
/** A whole case number, or the start of one: KOM, KOM-2026, KOM-2026-00. */
const CASE_NUMBER_PREFIX = /^KOM(-(\d{1,4}|\d{4}-\d{0,6}))?$/;

export const DiariumQuery = z
  .object({
    nr: z.preprocess(
      (v) => (typeof v === 'string' ? blankToUndefined(v.trim().toUpperCase()) : v),
      z.string().max(15, { error: 'diarium.errors.caseNumber' }).regex(CASE_NUMBER_PREFIX, { error: 'diarium.errors.caseNumber' }).optional(),
    ),
    from: z.preprocess(blankToUndefined, isoDay.optional()),
    to: z.preprocess(blankToUndefined, isoDay.optional()),
    status: z.preprocess(blankToUndefined, z.enum(STATUSES, { error: 'diarium.errors.status' }).optional()),
    district: z.preprocess(blankToUndefined, z.string().regex(/^[a-z-]{1,40}$/, { error: 'diarium.errors.district' }).optional()),
    kind: z.preprocess(blankToUndefined, z.enum(DIARIUM_KINDS, { error: 'diarium.errors.kind' }).optional()),
    page: pageParam('diarium.errors.page', 100_000),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'diarium.errors.range' });
export type DiariumFilter = z.infer<typeof DiariumQuery>;

const FILTER_KEYS = ['nr', 'from', 'to', 'status', 'district', 'kind'] as const;

export function parseDiariumQuery(query: Record<string, string | undefined>): ParsedFilter<DiariumFilter> {
  return parseFilterQuery(DiariumQuery, query, FILTER_KEYS);
}

/** The filter as a query string without `page`, for page links. */
export function diariumQueryString(f: DiariumFilter): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (f[key]) params.set(key, String(f[key]));
  return params.toString();
}

export function diariumWhere(f: DiariumFilter): DbTypes.Prisma.ApplicationWhereInput {
  const exact = f.nr && /^KOM-\d{4}-\d{6}$/.test(f.nr);
  return {
    ...(f.nr ? { caseNumber: exact ? f.nr : { startsWith: f.nr } } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.district ? { course: { is: f.district === NO_DISTRICT ? { districtId: null } : { district: { is: { slug: f.district } } } } } : {}),
    ...(f.from || f.to
      ? {
          // Stockholm days; "to" includes the whole day.
          submittedAt: {
            ...(f.from ? { gte: stockholmInstant(f.from, '00:00') } : {}),
            ...(f.to ? { lt: stockholmInstant(addDays(f.to, 1), '00:00') } : {}),
          },
        }
      : {}),
  };
}

/** A diarium row: case data only, no personal data. */
const ROW_SELECT = {
  id: true,
  caseNumber: true,
  kind: true,
  status: true,
  submittedAt: true,
  closedAt: true,
  erasedAt: true,
  course: { select: { title: true, district: { select: { name: true } } } },
} as const;
/** Newest first: the case number grows with time. */
const ORDER = [{ caseNumber: 'desc' as const }];

export async function loadDiariumPage(db: Db, f: DiariumFilter) {
  const where = diariumWhere(f);
  const total = await db.application.count({ where });
  const pages = Math.max(1, Math.ceil(total / DIARIUM_PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const rows = await db.application.findMany({ where, select: ROW_SELECT, orderBy: ORDER, skip: (page - 1) * DIARIUM_PAGE_SIZE, take: DIARIUM_PAGE_SIZE });
  return { total, page, pages, rows, first: (page - 1) * DIARIUM_PAGE_SIZE + 1, pageLinks: pageLinks(page, pages) };
}
export type DiariumRow = Awaited<ReturnType<typeof loadDiariumPage>>['rows'][number];

/** The person search: one term (personnummer, e-mail or name) and the reason for searching. */
export const PersonSearchForm = z.object({
  term: z
    .string({ error: 'diarium.errors.term' })
    .trim()
    .min(2, { error: 'diarium.errors.term' })
    .max(100, { error: 'diarium.errors.termTooLong' }),
  ...StatedReasonSchema.shape,
});
export type PersonSearch = z.infer<typeof PersonSearchForm>;

/**
 * How the term is matched: a valid personnummer exactly, an e-mail address (anything with @) in
 * part, anything else as part of the name. Case-insensitive.
 */
export function personWhere(term: string): DbTypes.Prisma.PersonWhereInput {
  const pnr = parsePersonnummer(term);
  if (pnr.ok) return { personnummer: pnr.value };
  if (term.includes('@')) return { email: { contains: term, mode: 'insensitive' } };
  return { name: { contains: term, mode: 'insensitive' } };
}

export async function searchCasesByPerson(db: Db, term: string) {
  const rows = await db.application.findMany({
    where: { person: { is: personWhere(term) } },
    select: { ...ROW_SELECT, person: { select: { name: true } } },
    orderBy: ORDER,
    take: PERSON_SEARCH_LIMIT + 1,
  });
  return { rows: rows.slice(0, PERSON_SEARCH_LIMIT), truncated: rows.length > PERSON_SEARCH_LIMIT };
}
