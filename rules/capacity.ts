// Capacity, as one rule for every path (R2.5, R2.9, R3.4, R7.3): the seats of a course are taken by
// admitted participants and held by pending seat offers; together they never exceed the capacity.
// Every path that admits or offers counts under the course's row lock (lib/courses/seats.ts) and
// asks here.
import { ALLOWED, refuse, type Verdict } from './refusals';

export interface SeatCount {
  capacity: number;
  /** Participants admitted to the course. */
  admitted: number;
  /** Seats held by pending offers. */
  held: number;
  /** Only an open course gives seats. */
  open: boolean;
}

export function freeSeats(c: SeatCount): number {
  return c.open ? Math.max(0, c.capacity - c.admitted - c.held) : 0;
}

export function isFull(c: SeatCount): boolean {
  return freeSeats(c) === 0;
}

/** The invariant every state of the database keeps. */
export function withinCapacity(c: Pick<SeatCount, 'capacity' | 'admitted' | 'held'>): boolean {
  return c.admitted + c.held <= c.capacity;
}

/** A leader or instructor admits into a free seat: not one an open offer holds. */
export function canAdmit(c: SeatCount): Verdict<'course-full'> {
  return freeSeats(c) > 0 ? ALLOWED : refuse('course-full');
}

/**
 * Accepting an offer turns its held seat into an admitted one, so the sum stays; it is checked
 * again all the same, so that no earlier inconsistency can push the course over (`held` includes
 * this offer).
 */
export function canAcceptOffer(c: SeatCount): Verdict<'course-full'> {
  return c.open && c.held > 0 && withinCapacity(c) ? ALLOWED : refuse('course-full');
}

/**
 * Bulk admission (R3.4): the first `free` cases (in the order given: first come, first served) are
 * admitted, the others go to the queue automatically.
 */
export function planBulkAdmission<T>(c: SeatCount, cases: readonly T[]): { admit: T[]; queue: T[] } {
  const free = freeSeats(c);
  return { admit: cases.slice(0, free), queue: cases.slice(free) };
}
