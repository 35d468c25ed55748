// A course's seats as the records hold them: admitted participants and pending offers. The rule
// that decides with these counts is rules/capacity.ts; every path that admits or offers counts
// with `lockSeats` inside its transaction, so parallel steps see each other.
import type { Db, DbTypes } from '../db';
import type { SeatCount } from '../../rules/capacity';

type Tx = DbTypes.Prisma.TransactionClient;

/** The select that gives a course's seat count in a listing (no lock). */
export const SEAT_COUNT_SELECT = {
  capacity: true,
  status: true,
  _count: { select: { applications: { where: { status: 'admitted' } }, seatOffers: { where: { status: 'pending' } } } },
} as const satisfies DbTypes.Prisma.CourseSelect;

export function seatCountOf(row: { capacity: number; status: string; _count: { applications: number; seatOffers: number } }): SeatCount {
  return { capacity: row.capacity, admitted: row._count.applications, held: row._count.seatOffers, open: row.status === 'open' };
}

/** Locks the course row for the rest of the transaction and counts its seats. */
export async function lockSeats(tx: Tx, courseId: string): Promise<SeatCount> {
  await tx.$queryRaw`SELECT id FROM course WHERE id = ${courseId}::uuid FOR UPDATE`;
  return seatCountOf(await tx.course.findUniqueOrThrow({ where: { id: courseId }, select: SEAT_COUNT_SELECT }));
}

/** Seat counts of a course, for pages (not locked: a decision counts again under the lock). */
export async function seatCount(db: Db | Tx, courseId: string): Promise<SeatCount | null> {
  const row = await db.course.findUnique({ where: { id: courseId }, select: SEAT_COUNT_SELECT });
  return row ? seatCountOf(row) : null;
}
