// Rooms (lokaler) and their bookings (R8.7): the city's own rooms belong to a district; external
// rooms may not. A session books one room; a room holds one session at a time.
import { z } from 'zod';
import type { Db } from '../db';
import { addDays, stockholmDateString, stockholmInstant } from '../time';
import { fieldErrors } from '../validation/fieldErrors';

export const RoomForm = z
  .object({
    name: z.string().trim().min(1, 'errors.required').max(120, 'errors.tooLong'),
    address: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
    districtId: z
      .string()
      .trim()
      .transform((v) => v || null)
      .pipe(z.uuid('errors.invalid').nullable()),
    external: z.string().transform((v) => v === 'on' || v === 'true'),
  })
  .refine((r) => r.external || r.districtId, { path: ['districtId'], message: 'admin.rooms.errors.districtRequired' });

export type RoomResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

export async function saveRoom(db: Db, id: string | null, raw: Record<string, string>): Promise<RoomResult> {
  const parsed = RoomForm.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: fieldErrors(parsed.error) };
  }
  const data = parsed.data;
  if (data.districtId && !(await db.district.findUnique({ where: { id: data.districtId } }))) return { ok: false, errors: { districtId: 'errors.invalid' } };
  const room = id ? await db.room.update({ where: { id }, data }) : await db.room.create({ data });
  return { ok: true, id: room.id };
}

export type BookingResult =
  | { ok: true }
  | { ok: false; reason: 'noRoom' }
  | { ok: false; reason: 'doubleBooked'; other: { courseTitle: string; startsAt: Date; endsAt: Date } };

/**
 * Books the session in the room, or frees it (roomId null). Refuses a room another session holds
 * at an overlapping time; the per-room lock makes two admins booking at once see each other.
 */
export async function bookRoom(db: Db, sessionId: string, roomId: string | null): Promise<BookingResult> {
  return db.$transaction(async (tx) => {
    const session = await tx.courseSession.findUniqueOrThrow({ where: { id: sessionId } });
    if (roomId) {
      if (!(await tx.room.findUnique({ where: { id: roomId } }))) return { ok: false, reason: 'noRoom' } as const;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`room:${roomId}`}))`;
      const other = await tx.courseSession.findFirst({
        where: { roomId, id: { not: session.id }, startsAt: { lt: session.endsAt }, endsAt: { gt: session.startsAt } },
        include: { course: { select: { title: true } } },
        orderBy: { startsAt: 'asc' },
      });
      if (other) return { ok: false, reason: 'doubleBooked', other: { courseTitle: other.course.title, startsAt: other.startsAt, endsAt: other.endsAt } } as const;
    }
    await tx.courseSession.update({ where: { id: session.id }, data: { roomId } });
    return { ok: true } as const;
  });
}

export interface Booking {
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
  day: string;
  courseTitle: string;
  room: { name: string; external: boolean };
}

/** Booked sessions between two Stockholm dates (from inclusive, to exclusive), by start time. */
export async function bookingsBetween(db: Db, fromDate: string, toDate: string): Promise<Booking[]> {
  const rows = await db.courseSession.findMany({
    where: { roomId: { not: null }, startsAt: { gte: stockholmInstant(fromDate, '00:00'), lt: stockholmInstant(toDate, '00:00') } },
    include: { course: { select: { title: true } }, room: { select: { name: true, external: true } } },
    orderBy: { startsAt: 'asc' },
  });
  return rows.map((s) => ({ sessionId: s.id, startsAt: s.startsAt, endsAt: s.endsAt, day: stockholmDateString(s.startsAt), courseTitle: s.course.title, room: s.room! }));
}

/** Monday (YYYY-MM-DD) of the week a date lies in. */
export function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -weekday);
}

/** ISO 8601 week number, as Swedish calendars show it. */
export function isoWeek(date: string): number {
  const thursday = addDays(mondayOf(date), 3);
  const jan1 = `${thursday.slice(0, 4)}-01-01`;
  const days = Math.round((Date.parse(`${thursday}T12:00:00Z`) - Date.parse(`${jan1}T12:00:00Z`)) / 86_400_000);
  return Math.floor(days / 7) + 1;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The weeks (Monday to Sunday) that cover a month, each a list of seven dates. */
export function monthGrid(month: string): string[][] {
  const first = `${month}-01`;
  const next = `${addMonths(month, 1)}-01`;
  const weeks: string[][] = [];
  for (let monday = mondayOf(first); monday < next; monday = addDays(monday, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, i) => addDays(monday, i)));
  }
  return weeks;
}
