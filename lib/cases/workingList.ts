// The group leader's working list (R3.3, R3.4): the applications of the courses they handle,
// filtered, searched and paged; the same filter drives the CSV export and the bulk decisions.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db, DbTypes } from '../db';
import { addDays, stockholmInstant, TIME_ZONE } from '../time';
import { CSV_BOM, csvLine } from '../csv';
import * as parentCommands from '../commands/parentApplication';
import { SEAT_COUNT_SELECT, seatCountOf } from '../courses/seats';
import { APPLICATION_STATUSES, AWAITING_DECISION_STATUSES, DECISION_STATUS, type ApplicationStatus } from '../../rules/caseStatus';
import { planBulkAdmission } from '../../rules/capacity';
import type { Decision } from '../../rules/parentCase';
import { blankToUndefined, calendarDay, pageParam, parseFilterQuery, type ParsedFilter } from '../validation/filterQuery';

export const WORKING_LIST_PAGE_SIZE = 25;
/** `todo`: what waits for the leader's decision; `all`: every status (the one list, rules/caseStatus.ts). */
export const STATUS_FILTERS = ['todo', ...APPLICATION_STATUSES, 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
/** What waits for a leader's decision: new applications and the queue (rules/parentCase.ts canDecide). */
const TODO: ApplicationStatus[] = [...AWAITING_DECISION_STATUSES];

const isoDate = calendarDay('workingList.errors.date');

/** The query string of the list page; messages are translation keys. */
export const WorkingListQuery = z
  .object({
    status: z.preprocess(blankToUndefined, z.enum(STATUS_FILTERS, { error: 'workingList.errors.status' }).default('todo')),
    course: z.preprocess(blankToUndefined, z.string().uuid({ error: 'workingList.errors.course' }).optional()),
    from: z.preprocess(blankToUndefined, isoDate.optional()),
    to: z.preprocess(blankToUndefined, isoDate.optional()),
    q: z.preprocess(blankToUndefined, z.string().trim().max(100, { error: 'workingList.errors.search' }).optional()),
    page: pageParam('workingList.errors.page', 100_000),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'workingList.errors.range' });

export type WorkingListFilter = z.infer<typeof WorkingListQuery>;

export function parseWorkingListQuery(query: Record<string, string | undefined>): ParsedFilter<WorkingListFilter> {
  return parseFilterQuery(WorkingListQuery, query, ['status', 'course', 'from', 'to', 'q']);
}

/** The filter as a query string (without `page` unless asked), for page links, export and return links. */
export function filterQueryString(f: WorkingListFilter, page?: number): string {
  const params = new URLSearchParams({ status: f.status });
  if (f.course) params.set('course', f.course);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (f.q) params.set('q', f.q);
  if (page && page > 1) params.set('page', String(page));
  return params.toString();
}

export function workingListWhere(scope: DbTypes.Prisma.CourseWhereInput, f: WorkingListFilter): DbTypes.Prisma.ApplicationWhereInput {
  const statuses = f.status === 'todo' ? TODO : f.status === 'all' ? null : [f.status];
  return {
    course: f.course ? { AND: [scope, { id: f.course }] } : scope,
    ...(statuses ? { status: { in: statuses } } : {}),
    ...(f.from || f.to
      ? {
          // Dates are Stockholm days: "to" includes the whole day.
          submittedAt: {
            ...(f.from ? { gte: stockholmInstant(f.from, '00:00') } : {}),
            ...(f.to ? { lt: stockholmInstant(addDays(f.to, 1), '00:00') } : {}),
          },
        }
      : {}),
    ...(f.q
      ? {
          OR: [
            { caseNumber: { contains: f.q, mode: 'insensitive' as const } },
            { person: { name: { contains: f.q, mode: 'insensitive' as const } } },
            { person: { email: { contains: f.q, mode: 'insensitive' as const } } },
          ],
        }
      : {}),
  };
}

/** What a row shows; never the personnummer. */
const ROW_SELECT = {
  id: true,
  caseNumber: true,
  kind: true,
  status: true,
  submittedAt: true,
  person: { select: { name: true, email: true, phone: true } },
  course: { select: { title: true, district: { select: { name: true } } } },
} as const;
const ORDER = [{ submittedAt: 'asc' as const }, { id: 'asc' as const }];

export async function loadWorkingList(db: Db, scope: DbTypes.Prisma.CourseWhereInput, f: WorkingListFilter) {
  const where = workingListWhere(scope, f);
  const total = await db.application.count({ where });
  const pages = Math.max(1, Math.ceil(total / WORKING_LIST_PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const rows = await db.application.findMany({
    where,
    select: ROW_SELECT,
    orderBy: ORDER,
    skip: (page - 1) * WORKING_LIST_PAGE_SIZE,
    take: WORKING_LIST_PAGE_SIZE,
  });
  return { total, page, pages, rows, first: (page - 1) * WORKING_LIST_PAGE_SIZE + 1, pageLinks: pageLinks(page, pages) };
}

/** Page numbers to link: first, last and two either side of the current one; null marks a gap. */
export function pageLinks(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

export interface CsvLabels {
  header: [string, string, string, string, string, string, string, string];
  status: (status: ApplicationStatus) => string;
  /** The district cell of a course without one (the web course). */
  noDistrict: string;
}

const stockholmMinute = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });

/** Every row of the filter (all pages), for Swedish Excel: BOM, `;`, CRLF. No personnummer. */
export async function workingListCsv(db: Db, scope: DbTypes.Prisma.CourseWhereInput, f: WorkingListFilter, labels: CsvLabels): Promise<string> {
  const where = workingListWhere(scope, f);
  const lines = [csvLine(labels.header)];
  let cursor: string | undefined;
  for (;;) {
    const batch = await db.application.findMany({
      where,
      select: ROW_SELECT,
      orderBy: ORDER,
      take: 500,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const a of batch) {
      lines.push(
        csvLine([
          a.caseNumber,
          a.course.title,
          a.course.district?.name ?? labels.noDistrict,
          labels.status(a.status),
          stockholmMinute.format(a.submittedAt),
          a.person.name ?? '',
          a.person.email,
          a.person.phone ?? '',
        ]),
      );
    }
    if (batch.length < 500) break;
    cursor = batch[batch.length - 1].id;
  }
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/**
 * A bulk decision's outcome per case, in the order the summary shows them (successes first): the
 * status a decision gave (DECISION_STATUS), or why the case has none.
 */
export const BULK_RESULTS = [DECISION_STATUS.admit, DECISION_STATUS.queue, 'queuedFull', 'course-full', 'not-decidable', 'unavailable', 'not-found'] as const;
export type BulkResult = (typeof BULK_RESULTS)[number];
export interface BulkOutcome {
  caseNumber: string;
  result: BulkResult;
}

/**
 * What a bulk admission will do (R3.4), per course from the same capacity rule the decisions use:
 * the first in order get the free seats, the others go to the queue. Shown before confirming.
 */
export async function previewBulkAdmission(
  db: Db,
  scope: DbTypes.Prisma.CourseWhereInput,
  caseNumbers: string[],
): Promise<{ admit: number; queue: number }> {
  const found = await db.application.findMany({
    where: { caseNumber: { in: caseNumbers }, course: scope, status: { in: [...AWAITING_DECISION_STATUSES] } },
    select: { courseId: true, course: { select: SEAT_COUNT_SELECT } },
    orderBy: ORDER,
  });
  const byCourse = new Map<string, typeof found>();
  for (const a of found) byCourse.set(a.courseId, [...(byCourse.get(a.courseId) ?? []), a]);
  let admit = 0;
  for (const cases of byCourse.values()) admit += planBulkAdmission(seatCountOf(cases[0].course), cases).admit.length;
  return { admit, queue: found.length - admit };
}

/**
 * Decides the marked cases one after another through each case's workflow, first come first
 * served, so the earliest applicants get the seats. The activity checks capacity under the course
 * lock; a new application that finds the course full goes to the queue automatically (R3.4).
 */
export async function decideMany(
  deps: { db: Db; temporal: Client },
  scope: DbTypes.Prisma.CourseWhereInput,
  caseNumbers: string[],
  decision: Decision,
  actorId: string,
): Promise<BulkOutcome[]> {
  const found = await deps.db.application.findMany({
    where: { caseNumber: { in: caseNumbers }, course: scope },
    select: { caseNumber: true, workflowId: true, status: true },
    orderBy: ORDER,
  });
  const outcomes: BulkOutcome[] = caseNumbers
    .filter((n) => !found.some((a) => a.caseNumber === n))
    .map((caseNumber) => ({ caseNumber, result: 'not-found' as const }));
  for (const app of found) {
    let r = await parentCommands.decide(deps.temporal, app.workflowId, { decision, actorId });
    let full = false;
    if (!r.ok && r.code === 'course-full' && app.status === 'submitted') {
      full = true;
      r = await parentCommands.decide(deps.temporal, app.workflowId, { decision: 'queue', actorId });
    }
    outcomes.push({ caseNumber: app.caseNumber, result: bulkResult(r, full) });
  }
  return outcomes;
}

function bulkResult(r: Awaited<ReturnType<typeof parentCommands.decide>>, full: boolean): BulkResult {
  if (r.ok) return r.status === DECISION_STATUS.admit ? DECISION_STATUS.admit : full ? 'queuedFull' : DECISION_STATUS.queue;
  if (r.code === 'course-full') return 'course-full';
  // Decided already, or closed: the case keeps what it has; the summary says so.
  if (r.code === 'not-decidable' || r.code === 'case-closed') return 'not-decidable';
  // Not reached: the case keeps its status; the summary says to try again.
  return 'unavailable';
}

/** Outcomes grouped for the summary line, successes first. */
export function summarizeBulk(outcomes: BulkOutcome[]): { result: BulkResult; caseNumbers: string[] }[] {
  return BULK_RESULTS.map((result) => ({
    result,
    caseNumbers: outcomes.filter((o) => o.result === result).map((o) => o.caseNumber),
  })).filter((g) => g.caseNumbers.length > 0);
}
