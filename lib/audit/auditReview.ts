// Central's review of the audit trail (R11.5): the filter, one page of entries (newest first) and
// the CSV export of every entry the filter matches. Read-only; the trail is written by
// auditTrail.ts alone.
import { z } from 'zod';
import type { Db, DbTypes } from '../db';
import { CASE_NUMBER_PATTERN } from '../cases/caseNumber';
import { pageLinks } from '../cases/workingList';
import { CSV_BOM, csvLine } from '../csv';
import { addDays, stockholmInstant, TIME_ZONE } from '../time';
import { AUDIT_PURPOSES, OWN_CASE_REASON, type AuditAction, type AuditPurpose } from './auditTrail';
import { blankToUndefined, calendarDay, pageParam, parseFilterQuery, type ParsedFilter } from '../validation/filterQuery';

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_ACTIONS = ['caseOpened', 'personSearch', 'caseExported', 'caseAction'] as const satisfies readonly AuditAction[];
// Fails to compile when an action is added to the schema but not here.
const everyActionListed: [Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>] extends [never] ? true : false = true;
void everyActionListed;

/** How many staff members a "who" filter may match (names and e-mail addresses, partly). */
const MAX_ACTORS = 200;

const day = calendarDay('audit.review.errors.date');

/** The review page's query string; messages are translation keys. */
export const AuditReviewQuery = z
  .object({
    who: z.preprocess(blankToUndefined, z.string({ error: 'audit.review.errors.who' }).trim().max(100, { error: 'audit.review.errors.who' }).optional()),
    action: z.preprocess(blankToUndefined, z.enum(AUDIT_ACTIONS, { error: 'audit.review.errors.action' }).optional()),
    caseNumber: z.preprocess(
      (v) => (typeof v === 'string' ? blankToUndefined(v.trim().toUpperCase()) : v),
      z.string({ error: 'audit.review.errors.caseNumber' }).regex(CASE_NUMBER_PATTERN, { error: 'audit.review.errors.caseNumber' }).optional(),
    ),
    from: z.preprocess(blankToUndefined, day.optional()),
    to: z.preprocess(blankToUndefined, day.optional()),
    page: pageParam('audit.review.errors.page', 1_000_000),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'audit.review.errors.range' });

export type AuditReviewFilter = z.infer<typeof AuditReviewQuery>;
const FILTER_KEYS = ['who', 'action', 'caseNumber', 'from', 'to'] as const;

export function parseAuditReviewQuery(query: Record<string, string | undefined>): ParsedFilter<AuditReviewFilter> {
  return parseFilterQuery(AuditReviewQuery, query, FILTER_KEYS);
}

/** The filter as a query string (page only when asked and > 1). */
export function auditQueryString(f: AuditReviewFilter, page?: number): string {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k]) params.set(k, f[k]);
  if (page && page > 1) params.set('page', String(page));
  return params.toString();
}

export function isFiltered(f: AuditReviewFilter): boolean {
  return FILTER_KEYS.some((k) => !!f[k]);
}

/**
 * The entries the filter matches. "Who" is resolved to the ids of the staff members whose name or
 * e-mail address contains it (only people with entries), so the entries are read by actor id.
 */
export async function auditWhere(db: Db, f: AuditReviewFilter): Promise<DbTypes.Prisma.AuditEntryWhereInput> {
  const where: DbTypes.Prisma.AuditEntryWhereInput = {};
  if (f.who) {
    const actors = await db.person.findMany({
      where: {
        auditEntries: { some: {} },
        OR: [{ email: { contains: f.who, mode: 'insensitive' } }, { name: { contains: f.who, mode: 'insensitive' } }],
      },
      select: { id: true },
      take: MAX_ACTORS,
    });
    where.actorId = { in: actors.map((a) => a.id) };
  }
  if (f.action) where.action = f.action;
  if (f.caseNumber) where.caseNumber = f.caseNumber;
  if (f.from || f.to) {
    // Stockholm days: "to" includes the whole day.
    where.createdAt = {
      ...(f.from ? { gte: stockholmInstant(f.from, '00:00') } : {}),
      ...(f.to ? { lt: stockholmInstant(addDays(f.to, 1), '00:00') } : {}),
    };
  }
  return where;
}

const ROW_SELECT = {
  id: true,
  action: true,
  caseNumber: true,
  reason: true,
  searchTerms: true,
  createdAt: true,
  actor: { select: { name: true, email: true } },
} as const;
const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

export type AuditRow = DbTypes.Prisma.AuditEntryGetPayload<{ select: typeof ROW_SELECT }>;

export async function loadAuditPage(db: Db, f: AuditReviewFilter) {
  const where = await auditWhere(db, f);
  const total = await db.auditEntry.count({ where });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const rows = await db.auditEntry.findMany({
    where,
    select: ROW_SELECT,
    orderBy: NEWEST_FIRST,
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
  });
  return { total, page, pages, rows: rows.map(withReason), first: (page - 1) * AUDIT_PAGE_SIZE + 1, pageLinks: pageLinks(page, pages) };
}

/** A stored reason as the page shows it. */
export type ReasonView =
  | { kind: 'own' }
  | { kind: 'stated'; purpose: AuditPurpose; detail: string }
  | { kind: 'text'; text: string };

/** Reads back what reasonText() and OWN_CASE_REASON wrote; anything else is shown as it is. */
export function describeReason(reason: string): ReasonView {
  if (reason === OWN_CASE_REASON) return { kind: 'own' };
  const at = reason.indexOf(': ');
  const purpose = at > 0 ? reason.slice(0, at) : '';
  if ((AUDIT_PURPOSES as readonly string[]).includes(purpose)) return { kind: 'stated', purpose: purpose as AuditPurpose, detail: reason.slice(at + 2) };
  return { kind: 'text', text: reason };
}

function withReason(row: AuditRow) {
  return { ...row, reasonView: describeReason(row.reason) };
}

export interface AuditCsvLabels {
  header: [string, string, string, string, string, string, string, string];
  action: (action: AuditAction) => string;
  purpose: (purpose: AuditPurpose) => string;
  ownCase: string;
}

const stockholmSecond = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'short', timeStyle: 'medium' });
const CSV_BATCH = 500;

/**
 * Every entry the filter matches, newest first, as CSV lines (the header first), read in batches:
 * the trail only grows, so the export streams rather than building one string.
 * Search terms are written for person searches only.
 */
export async function* auditCsvLines(db: Db, f: AuditReviewFilter, labels: AuditCsvLabels): AsyncGenerator<string> {
  const where = await auditWhere(db, f);
  yield `${CSV_BOM}${csvLine(labels.header)}\r\n`;
  let cursor: string | undefined;
  for (;;) {
    const batch = await db.auditEntry.findMany({
      where,
      select: ROW_SELECT,
      orderBy: NEWEST_FIRST,
      take: CSV_BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    const lines = batch.map((e) => {
      const reason = describeReason(e.reason);
      return csvLine([
        stockholmSecond.format(e.createdAt),
        e.actor.name ?? '',
        e.actor.email,
        labels.action(e.action),
        e.caseNumber ?? '',
        reason.kind === 'own' ? labels.ownCase : reason.kind === 'stated' ? labels.purpose(reason.purpose) : '',
        reason.kind === 'stated' ? reason.detail : reason.kind === 'text' ? reason.text : '',
        e.action === 'personSearch' ? (e.searchTerms ?? '') : '',
      ]);
    });
    if (lines.length) yield `${lines.join('\r\n')}\r\n`;
    if (batch.length < CSV_BATCH) return;
    cursor = batch[batch.length - 1].id;
  }
}
