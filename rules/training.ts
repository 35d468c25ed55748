// When a Komet training is completed for a participant, and so when the instructor may approve them
// and the administrator may issue their certificate (R6.6, R7.5, R7.7, R8.8): the last session has
// ended, attendance was registered for every session and meets the training's requirement, and
// "Godkänd" was set after the last session. The public check asks the same (certificateValidity).
import { ALLOWED, refuse, type Verdict } from './refusals';

/** The share of sessions a participant must attend, unless the training sets its own. */
export const DEFAULT_REQUIRED_ATTENDANCE_PERCENT = 80;

export interface TrainingFacts {
  sessions: readonly { id: string; startsAt: Date; endsAt: Date }[];
  /** This participant's registered attendance, by session. */
  attendance: readonly { sessionId: string; present: boolean }[];
  requiredAttendancePercent: number;
  /** When the instructor set "Godkänd"; null when not (or withdrawn). */
  approvedAt: Date | null;
}

export type CompletionRefusal = 'training-not-finished' | 'attendance-not-recorded' | 'attendance-too-low';

export function lastSessionEnd(facts: Pick<TrainingFacts, 'sessions'>): Date | null {
  if (!facts.sessions.length) return null;
  return new Date(Math.max(...facts.sessions.map((s) => s.endsAt.getTime())));
}

/** Attended sessions as a whole percentage (rounded down), of every session of the training. */
export function attendancePercent(facts: Pick<TrainingFacts, 'sessions' | 'attendance'>): number {
  if (!facts.sessions.length) return 0;
  const ids = new Set(facts.sessions.map((s) => s.id));
  const present = facts.attendance.filter((a) => a.present && ids.has(a.sessionId)).length;
  return Math.floor((present * 100) / facts.sessions.length);
}

/** The training is over for this participant and they attended enough of it. */
export function trainingCompleted(facts: Omit<TrainingFacts, 'approvedAt'>, now: Date): Verdict<CompletionRefusal> {
  const end = lastSessionEnd(facts);
  if (!end || end.getTime() > now.getTime()) return refuse('training-not-finished');
  const marked = new Set(facts.attendance.map((a) => a.sessionId));
  if (facts.sessions.some((s) => !marked.has(s.id))) return refuse('attendance-not-recorded');
  if (attendancePercent(facts) < facts.requiredAttendancePercent) return refuse('attendance-too-low');
  return ALLOWED;
}

/** "Godkänd" is set once the training is completed, not before (R7.7). */
export function canApprove(facts: Omit<TrainingFacts, 'approvedAt'>, now: Date): Verdict<CompletionRefusal> {
  return trainingCompleted(facts, now);
}

/** The certificate is issued only for a completed training with "Godkänd" set after its end (R8.8). */
export function canIssueCertificate(facts: TrainingFacts, now: Date): Verdict<CompletionRefusal | 'not-approved' | 'approved-before-end'> {
  const completed = trainingCompleted(facts, now);
  if (!completed.ok) return completed;
  if (!facts.approvedAt) return refuse('not-approved');
  if (facts.approvedAt.getTime() < lastSessionEnd(facts)!.getTime()) return refuse('approved-before-end');
  return ALLOWED;
}

/** A certificate stays valid only while what it certifies still holds ("Godkänd" withdrawn: not valid). */
export function certificateValidity(facts: TrainingFacts, issuedAt: Date): Verdict<CompletionRefusal | 'not-approved' | 'approved-before-end'> {
  return canIssueCertificate(facts, issuedAt);
}
