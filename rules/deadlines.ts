// Per-case deadlines that staff may move while the case runs (feature table row 64): the offer's
// answer deadline, the manager's consent deadline, an invoice's due date. A change needs a reason,
// never lies in the past, and only applies to a running case with such a deadline.
import { ALLOWED, refuse, type Verdict } from './refusals';

export const DEADLINE_KINDS = ['offerAnswer', 'managerConsent', 'invoiceDue'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_REASON_MIN = 5;
export const DEADLINE_REASON_MAX = 300;

export function canChangeDeadline(input: {
  caseClosed: boolean;
  /** The deadline now; null when the case has no such deadline running. */
  current: string | null;
  next: string;
  now: number;
}): Verdict<'case-closed' | 'no-deadline' | 'deadline-in-past'> {
  if (input.caseClosed) return refuse('case-closed');
  if (!input.current) return refuse('no-deadline');
  const next = Date.parse(input.next);
  if (!Number.isFinite(next) || next <= input.now) return refuse('deadline-in-past');
  return ALLOWED;
}
