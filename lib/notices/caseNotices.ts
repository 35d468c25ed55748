// Telling a person about their case by e-mail and SMS (R2.4, issue 16): bundled, at most one
// e-mail and one SMS per case per quiet period (setting noticeQuietMs, default 10 minutes).
//
// - After a quiet spell a notice goes out at once: the confirmation of an application, the first
//   of a burst. That send opens the case's quiet period.
// - A notice inside the period is held. "Something new" (new material, surveys) that anything sent
//   in the period already pointed to is then told: a burst of nine module sign-offs is one e-mail
//   and one SMS. Every other kind (a decision, an offer with its deadline, a reminder, a changed
//   time) is told when the period ends, by the worker's sweep (sweepHeldNotices), together with
//   whatever else was held: one e-mail and one SMS saying each kind of thing that happened.
// - A held notice lives in case_notice, so nothing is lost when a worker stops: any worker's
//   sweep sends it. Decisions are taken under a lock on the case, so two workflows of one case
//   (the application and its web-course guidance) cannot both send within one period.
//
// The delivery key is the key of the newest notice it tells (workflow id + step), so the e-mail
// and its SMS (`:sms`) stay findable by the case's workflow id (R9.4) and idempotent by key.
import type { Db, DbTypes } from '../db';
import { deliverNotice, type NoticeDeps } from '../notify';
import { loadCaseTimings } from '../settings';
import { renderTemplate, templateLangOf, type MessageText } from '../templates/messageTemplates';
import { formatDate, formatTime } from '../time';
import { ALREADY_TOLD_BY_ANY, CATEGORY_TEMPLATE, categoryOf, importance, type NoticeCategory } from './kinds';

export type CaseNoticeDeps = NoticeDeps & { config: { publicUrl: string } };

export interface CaseNoticeRequest {
  applicationId: string;
  /** The workflow's idempotency key (workflow id + step). */
  key: string;
  /** The workflow's notice kind (admitted, moduleOpened…). */
  kind: string;
  /** What the text may name, as ISO instants: an offer's deadline, a session's start. */
  at?: string | null;
}

/** sent: now; held: at the end of the quiet period at the latest; told: already said in this period. */
export type CaseNoticeOutcome = 'sent' | 'held' | 'told';

/** A delivery decided but not handed over this long ago was lost with its worker: the sweep sends it. */
export const STALE_DELIVERY_MS = 2 * 60_000;

type Tx = DbTypes.Prisma.TransactionClient;
type NoticeRow = { category: string; vars: DbTypes.Prisma.JsonValue };

/** One notice at a time per case: the row lock serialises the decisions, whichever worker takes them. */
async function lockCase(tx: Tx, applicationId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM application WHERE id = ${applicationId}::uuid FOR NO KEY UPDATE`;
}

const sameTelling = (a: NoticeRow, b: NoticeRow) => a.category === b.category && JSON.stringify(a.vars) === JSON.stringify(b.vars);

/** Records the notice and tells the person now, later, or not again (see the top of the file). */
export async function tellCase(deps: CaseNoticeDeps, request: CaseNoticeRequest, now = new Date()): Promise<CaseNoticeOutcome> {
  const { noticeQuietMs } = await loadCaseTimings(deps.db);
  const category = categoryOf(request.kind, !!request.at);
  const vars = request.at ? { at: request.at } : {};
  const decided = await deps.db.$transaction(async (tx) => {
    await lockCase(tx, request.applicationId);
    const row =
      (await tx.caseNotice.findUnique({ where: { key: request.key } })) ??
      (await tx.caseNotice.create({ data: { key: request.key, applicationId: request.applicationId, category, vars, dueAt: now } }));
    // A retried activity: what was decided stands.
    if (row.deliveryKey) return { outcome: row.deliveryKey === row.key ? 'sent' : 'told', deliver: row.deliveryKey === row.key && !row.deliveredAt } as const;

    const last = await tx.caseNotice.findFirst({
      where: { applicationId: request.applicationId, decidedAt: { not: null } },
      orderBy: { decidedAt: 'desc' },
      select: { decidedAt: true, deliveryKey: true },
    });
    const periodStart = last?.decidedAt ?? null;
    if (!periodStart || now.getTime() - periodStart.getTime() >= noticeQuietMs) {
      // A quiet spell: tell it now, with anything still held (a late sweep).
      await tx.caseNotice.updateMany({ where: { applicationId: request.applicationId, deliveryKey: null }, data: { deliveryKey: row.key, decidedAt: now } });
      return { outcome: 'sent', deliver: true } as const;
    }
    const toldInPeriod = await tx.caseNotice.findMany({
      where: { applicationId: request.applicationId, decidedAt: periodStart },
      select: { category: true, vars: true },
    });
    if (ALREADY_TOLD_BY_ANY.has(category as NoticeCategory) || toldInPeriod.some((t) => sameTelling(t, row))) {
      // Said already in this period: it joins that delivery without a send of its own.
      await tx.caseNotice.update({ where: { id: row.id }, data: { deliveryKey: last!.deliveryKey, decidedAt: periodStart, deliveredAt: now } });
      return { outcome: 'told', deliver: false } as const;
    }
    await tx.caseNotice.update({ where: { id: row.id }, data: { dueAt: new Date(periodStart.getTime() + noticeQuietMs) } });
    return { outcome: 'held', deliver: false } as const;
  });
  if (decided.deliver) await deliverDecided(deps, request.applicationId, request.key);
  return decided.outcome;
}

/**
 * Hands over the e-mail and SMS of one decided delivery: the notices assigned to it that are not
 * yet delivered, in one text. Safe to repeat: deliverNotice is idempotent by key.
 */
async function deliverDecided(deps: CaseNoticeDeps, applicationId: string, deliveryKey: string): Promise<void> {
  const rows = await deps.db.caseNotice.findMany({ where: { deliveryKey, deliveredAt: null }, orderBy: { createdAt: 'asc' } });
  if (!rows.length) return;
  const app = await deps.db.application.findUniqueOrThrow({
    where: { id: applicationId },
    select: { person: { select: { email: true, phone: true, language: true } } },
  });
  const text = await noticeText(deps.db, rows, templateLangOf(app.person.language), `${deps.config.publicUrl}/mina-arenden`);
  await deliverNotice(deps, { email: app.person.email, phone: app.person.phone, ...text, idempotencyKey: deliveryKey });
  await deps.db.caseNotice.updateMany({ where: { id: { in: rows.map((r) => r.id) }, deliveredAt: null }, data: { deliveredAt: new Date() } });
}

/** One kind of thing alone is told with its own message; several with the bundle, most important first. */
export async function noticeText(db: Db, rows: NoticeRow[], lang: string, link: string): Promise<MessageText> {
  const distinct = rows
    .filter((r, i) => rows.findIndex((o) => sameTelling(o, r)) === i)
    .sort((a, b) => importance(a.category as NoticeCategory) - importance(b.category as NoticeCategory));
  // "Something new" adds nothing beside a more specific kind.
  const told = distinct.length > 1 ? distinct.filter((r) => !ALREADY_TOLD_BY_ANY.has(r.category as NoticeCategory)) : distinct;
  const texts = await Promise.all(told.map((r) => renderTemplate(db, CATEGORY_TEMPLATE[r.category as NoticeCategory] ?? 'caseUpdate', lang, varsOf(r, lang, link))));
  if (texts.length === 1) return texts[0];
  return renderTemplate(db, 'caseBundle', lang, {
    items: texts.map((t) => `- ${t.subject}`).join('\n'),
    summary: texts
      .slice(0, 2)
      .map((t) => t.subject)
      .join('. '),
    link,
  });
}

function varsOf(row: NoticeRow, lang: string, link: string): Record<string, string> {
  const at = (row.vars as { at?: unknown } | null)?.at;
  return typeof at === 'string' ? { date: formatDate(at, lang), time: formatTime(at, lang), link } : { link };
}

/**
 * The worker's sweep: tells the held notices whose quiet period has ended (one delivery per case),
 * and hands over deliveries whose worker stopped half-way. Any number of workers may sweep at once.
 */
export async function sweepHeldNotices(deps: CaseNoticeDeps, now = new Date()): Promise<{ delivered: number }> {
  const { noticeQuietMs } = await loadCaseTimings(deps.db);
  let delivered = 0;
  const due = await deps.db.caseNotice.findMany({
    where: { deliveredAt: null, deliveryKey: null, dueAt: { lte: now } },
    distinct: ['applicationId'],
    select: { applicationId: true },
    take: 200,
  });
  for (const { applicationId } of due) {
    const deliveryKey = await deps.db.$transaction(async (tx) => {
      await lockCase(tx, applicationId);
      const held = await tx.caseNotice.findMany({ where: { applicationId, deliveryKey: null }, orderBy: [{ createdAt: 'asc' }, { key: 'asc' }] });
      if (!held.length) return null;
      const last = await tx.caseNotice.findFirst({ where: { applicationId, decidedAt: { not: null } }, orderBy: { decidedAt: 'desc' }, select: { decidedAt: true } });
      // The admin may have lengthened the period since: the notices wait for its new end.
      if (last?.decidedAt && now.getTime() - last.decidedAt.getTime() < noticeQuietMs) {
        await tx.caseNotice.updateMany({ where: { id: { in: held.map((h) => h.id) } }, data: { dueAt: new Date(last.decidedAt.getTime() + noticeQuietMs) } });
        return null;
      }
      const newest = held[held.length - 1].key;
      await tx.caseNotice.updateMany({ where: { id: { in: held.map((h) => h.id) } }, data: { deliveryKey: newest, decidedAt: now } });
      return newest;
    });
    if (deliveryKey) delivered += await deliverSafely(deps, applicationId, deliveryKey);
  }
  // Deliveries decided but never handed over (the activity's worker stopped, or the provider failed):
  // one sweep takes each, by moving its decision time forward only if no one else did.
  const stale = await deps.db.caseNotice.findMany({
    where: { deliveredAt: null, deliveryKey: { not: null }, decidedAt: { lt: new Date(now.getTime() - STALE_DELIVERY_MS) } },
    distinct: ['deliveryKey'],
    select: { applicationId: true, deliveryKey: true, decidedAt: true },
    take: 200,
  });
  for (const s of stale) {
    const taken = await deps.db.caseNotice.updateMany({
      where: { deliveryKey: s.deliveryKey, deliveredAt: null, decidedAt: s.decidedAt },
      data: { decidedAt: now },
    });
    if (taken.count > 0) delivered += await deliverSafely(deps, s.applicationId, s.deliveryKey!);
  }
  return { delivered };
}

async function deliverSafely(deps: CaseNoticeDeps, applicationId: string, deliveryKey: string): Promise<number> {
  try {
    await deliverDecided(deps, applicationId, deliveryKey);
    return 1;
  } catch (err) {
    // Nothing personal in the log; the delivery stays undelivered and a later sweep tries again.
    console.error(`[notices] delivery ${deliveryKey} failed: ${(err as Error).name}`);
    return 0;
  }
}
