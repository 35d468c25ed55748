// Per-case deadlines staff may move while the case runs (feature table row 64): which run now (from
// the records), the form that moves one, and who may move which. The rule itself (not in the past,
// only a running case) is rules/deadlines.ts, checked again by the workflow's validator.
import { z } from 'zod';
import type { Db } from '../db';
import { calendarDay } from '../validation/filterQuery';
import { stockholmInstant } from '../time';
import { DEADLINE_KINDS, DEADLINE_REASON_MAX, DEADLINE_REASON_MIN, type DeadlineKind } from '../../rules/deadlines';

export interface RunningDeadline {
  kind: DeadlineKind;
  /** ISO date-time; for an invoice its due day (YYYY-MM-DD). */
  deadline: string;
  invoiceId?: string;
  invoiceNumber?: string;
}

/** The deadlines running in a case now: a pending offer's, the manager's consent, unpaid invoices. */
export async function runningDeadlines(db: Db, applicationId: string): Promise<RunningDeadline[]> {
  const app = await db.application.findUniqueOrThrow({
    where: { id: applicationId },
    select: {
      status: true,
      seatOffers: { where: { status: 'pending' }, select: { expiresAt: true } },
      consent: { select: { expiresAt: true, usedAt: true } },
      invoices: { where: { paidAt: null }, select: { id: true, number: true, dueDate: true }, orderBy: { dueDate: 'asc' } },
    },
  });
  const out: RunningDeadline[] = [];
  if (app.status === 'offered') for (const o of app.seatOffers) out.push({ kind: 'offerAnswer', deadline: o.expiresAt.toISOString() });
  if (app.status === 'awaitingConsent' && app.consent && !app.consent.usedAt) out.push({ kind: 'managerConsent', deadline: app.consent.expiresAt.toISOString() });
  for (const i of app.invoices) out.push({ kind: 'invoiceDue', deadline: i.dueDate.toISOString().slice(0, 10), invoiceId: i.id, invoiceNumber: i.number });
  return out;
}

const time = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'deadlines.errors.time' });

/** The form: which deadline, the new day (and time, but for an invoice's due day), and why. */
export const DeadlineForm = z
  .object({
    kind: z.enum(DEADLINE_KINDS, { error: 'deadlines.errors.kind' }),
    invoiceId: z.string().optional(),
    date: calendarDay('deadlines.errors.date'),
    time: z.string().optional(),
    reason: z
      .string({ error: 'deadlines.errors.reason' })
      .trim()
      .min(DEADLINE_REASON_MIN, { error: 'deadlines.errors.reason' })
      .max(DEADLINE_REASON_MAX, { error: 'deadlines.errors.reasonTooLong' }),
  })
  .superRefine((f, ctx) => {
    if (f.kind !== 'invoiceDue' && !time.safeParse(f.time ?? '').success) ctx.addIssue({ code: 'custom', path: ['time'], message: 'deadlines.errors.time' });
  })
  .transform((f) => ({
    kind: f.kind,
    invoiceId: f.invoiceId,
    reason: f.reason,
    /** What the workflow gets: an instant, or an invoice's due day. */
    deadline: f.kind === 'invoiceDue' ? f.date : stockholmInstant(f.date, f.time!.trim()).toISOString(),
  }));
export type DeadlineChange = z.output<typeof DeadlineForm>;
