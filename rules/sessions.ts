// The rules of a course's sessions and the rooms they book (R2.6, R7.5, R8.7).
import { ALLOWED, refuse, type Verdict } from './refusals';

export interface TimeSpan {
  startsAt: Date;
  endsAt: Date;
}

/** Half-open spans [start, end): a session ending at 18:00 does not overlap one starting at 18:00. */
export function overlaps(a: TimeSpan, b: TimeSpan): boolean {
  return a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();
}

/** Attendance is registered for a session that has started, never ahead of time (R7.5). */
export function canMarkAttendance(session: Pick<TimeSpan, 'startsAt'>, now: Date): Verdict<'session-not-started'> {
  return session.startsAt.getTime() <= now.getTime() ? ALLOWED : refuse('session-not-started');
}

/**
 * A session is moved to a time that ends after it starts and has not begun yet: participants are
 * told and reminded ahead of it (R2.6), which a time in the past cannot give them.
 */
export function canScheduleSession(span: TimeSpan, now: Date): Verdict<'end-before-start' | 'session-in-past'> {
  if (span.endsAt.getTime() <= span.startsAt.getTime()) return refuse('end-before-start');
  if (span.startsAt.getTime() <= now.getTime()) return refuse('session-in-past');
  return ALLOWED;
}

/** A room holds one session at a time; `others` are the room's other bookings. */
export function canBookRoom(span: TimeSpan, others: readonly TimeSpan[]): Verdict<'room-booked'> {
  return others.some((o) => overlaps(span, o)) ? refuse('room-booked') : ALLOWED;
}
