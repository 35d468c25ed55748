// The intake list of reports of concern (issue 16): every report the chat's counsellors filed, for
// the counsellors who receive them, newest first, filtered by status and paged; one report opened
// (an audit entry: it is sensitive); and its status moved by the steps rules/concernReport.ts allows.
import type { Db } from '../db';
import { CONCERN_STEPS, type ConcernStatus, type ConcernStep } from '../../rules/concernReport';
import { recordAudit } from '../audit/auditTrail';

export const CONCERN_PAGE_SIZE = 25;
/** The reason an intake handler's opening of a report is recorded under. */
export const CONCERN_OPEN_REASON = 'handling: orosanmälan i mottagningslistan';

export interface ConcernListQuery {
  /** One status, or every report that is not handled yet ("open"), or all. */
  status: ConcernStatus | 'open' | 'all';
  page: number;
}

export async function listConcernReports(db: Db, q: ConcernListQuery) {
  const where = q.status === 'all' ? {} : q.status === 'open' ? { status: { in: ['new', 'inProgress'] as ConcernStatus[] } } : { status: q.status };
  const [total, counts] = await Promise.all([db.concernReport.count({ where }), db.concernReport.groupBy({ by: ['status'], _count: { _all: true } })]);
  const pages = Math.max(1, Math.ceil(total / CONCERN_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, q.page));
  const rows = await db.concernReport.findMany({
    where,
    select: { caseNumber: true, createdAt: true, status: true, statusAt: true, createdBy: { select: { name: true, email: true } }, handler: { select: { name: true, email: true } } },
    orderBy: [{ createdAt: 'desc' }, { caseNumber: 'desc' }],
    skip: (page - 1) * CONCERN_PAGE_SIZE,
    take: CONCERN_PAGE_SIZE,
  });
  const byStatus = Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Partial<Record<ConcernStatus, number>>;
  return { rows, total, page, pages, first: total ? (page - 1) * CONCERN_PAGE_SIZE + 1 : 0, byStatus };
}

/** One report with its text; the opening is written to the audit trail. */
export async function openConcernReport(db: Db, caseNumber: string, actorId: string) {
  const report = await db.concernReport.findUnique({
    where: { caseNumber },
    select: { caseNumber: true, body: true, createdAt: true, status: true, statusAt: true, createdBy: { select: { name: true, email: true } }, handler: { select: { id: true, name: true, email: true } } },
  });
  if (report) await recordAudit(db, { actorId, action: 'caseOpened', caseNumber, reason: CONCERN_OPEN_REASON });
  return report;
}

export type StepResult = { ok: true; status: ConcernStatus } | { ok: false; reason: 'not-found' | 'not-allowed' };

/**
 * Moves a report one step, if its status still allows it: the condition is in the update, so two
 * receivers taking the same report at once cannot both have it.
 */
export async function stepConcernReport(db: Db, caseNumber: string, step: ConcernStep, actorId: string, now = new Date()): Promise<StepResult> {
  const rule = CONCERN_STEPS[step];
  const { count } = await db.concernReport.updateMany({
    where: { caseNumber, status: { in: [...rule.from] } },
    data: { status: rule.to, handlerId: actorId, statusAt: now },
  });
  if (count === 1) return { ok: true, status: rule.to };
  const exists = await db.concernReport.count({ where: { caseNumber } });
  return { ok: false, reason: exists ? 'not-allowed' : 'not-found' };
}
