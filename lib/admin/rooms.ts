// Rooms (lokaler) and their bookings (R8.7): the city's own rooms belong to a district; external
// rooms may not. A session books one room; a room holds one session at a time, which the database
// itself enforces (an exclusion constraint), so no path and no race can book it twice.
import { z } from 'zod';
import { canBookRoom, type TimeSpan } from '../../rules/sessions';
import type { Db, DbTypes } from '../db';
import type { Translate } from '../i18n';
import { addDays, formatDateTime, formatTime, stockholmDateString, stockholmInstant } from '../time';
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

/** The course that holds a room at an overlapping time: what a refusal names. */
export interface RoomHolder {
  courseTitle: string;
  startsAt: Date;
  endsAt: Date;
}

export type PlaceResult = { ok: true } | { ok: false; code: 'room-booked'; holder: RoomHolder | null };

/** The room's other bookings that overlap the span (the query narrows, the rule decides). */
async function bookingsOverlapping(db: Db, roomId: string, span: TimeSpan, sessionId: string): Promise<(RoomHolder & TimeSpan)[]> {
  const rows = await db.courseSession.findMany({
    where: { roomId, id: { not: sessionId }, startsAt: { lt: span.endsAt }, endsAt: { gt: span.startsAt } },
    include: { course: { select: { title: true } } },
    orderBy: { startsAt: 'asc' },
  });
  return rows.map((s) => ({ courseTitle: s.course.title, startsAt: s.startsAt, endsAt: s.endsAt }));
}

/**
 * The database's own refusal of a double booking: the exclusion constraint on room and time
 * (migration 20261207170000_room_bookings_exclusive), SQLSTATE 23P01. A model query surfaces it as
 * the driver adapter's error; a raw one as P2010 carrying it.
 */
export function isDoubleBooking(err: unknown): boolean {
  const cause = driverCause(err);
  return cause?.originalCode === '23P01' && (cause.originalMessage ?? '').includes(ROOM_CONSTRAINT);
}

/**
 * Two writers that insert clashing bookings at the same instant may each find the other's entry
 * and wait for it: PostgreSQL then aborts one of them (SQLSTATE 40P01, execIndexing.c). That one
 * tries once more, and then meets the winner's booking like any later writer.
 */
function isDeadlock(err: unknown): boolean {
  return driverCause(err)?.originalCode === '40P01';
}

type DriverCause = { originalCode?: string; originalMessage?: string };
const ROOM_CONSTRAINT = 'course_session_room_no_overlap';

function driverCause(err: unknown): DriverCause | undefined {
  const e = err as { cause?: DriverCause; meta?: { driverAdapterError?: { cause?: DriverCause } } } | null;
  return e?.cause ?? e?.meta?.driverAdapterError?.cause;
}

/**
 * The one way a session gets its time and room (R2.6, R8.7): the admin's booking and the leader's
 * session edit both come here. A room another session holds at an overlapping time is refused
 * (rules/sessions.ts canBookRoom), naming the course that holds it. Two writers who both pass the
 * check at the same moment meet the database's exclusion constraint: one wins, and the other gets
 * the same refusal, never an error. Nothing is changed when refused.
 */
export async function placeSession(db: Db, sessionId: string, place: TimeSpan & { roomId: string | null }, attempt = 1): Promise<PlaceResult> {
  const span = { startsAt: place.startsAt, endsAt: place.endsAt };
  const { roomId } = place;
  if (roomId) {
    const others = await bookingsOverlapping(db, roomId, span, sessionId);
    if (!canBookRoom(span, others).ok) return { ok: false, code: 'room-booked', holder: others[0] };
  }
  try {
    await db.$transaction([
      db.courseSession.update({ where: { id: sessionId }, data: { ...span, roomId } }),
      // A session freed when double bookings were resolved is no task any more once it has a room.
      ...(roomId ? [db.roomRelease.deleteMany({ where: { sessionId } })] : []),
    ]);
  } catch (err) {
    if (roomId && attempt === 1 && isDeadlock(err)) return placeSession(db, sessionId, place, 2);
    if (!roomId || !isDoubleBooking(err)) throw err;
    // Another booking won between the check and the write: name it, if it still holds the room.
    const [holder] = await bookingsOverlapping(db, roomId, span, sessionId);
    return { ok: false, code: 'room-booked', holder: holder ?? null };
  }
  return { ok: true };
}

export type BookingResult = PlaceResult | { ok: false; code: 'no-room' };

/** Books the session in the room at its current time, or frees it (roomId null). */
export async function bookRoom(db: Db, sessionId: string, roomId: string | null): Promise<BookingResult> {
  const session = await db.courseSession.findUniqueOrThrow({ where: { id: sessionId } });
  if (roomId && !(await db.room.findUnique({ where: { id: roomId } }))) return { ok: false, code: 'no-room' };
  return placeSession(db, session.id, { startsAt: session.startsAt, endsAt: session.endsAt, roomId });
}

/** Upcoming sessions that lost their room when double bookings were resolved, and are still without one. */
export function releasedSessions(db: Db, where: DbTypes.Prisma.CourseSessionWhereInput = {}) {
  return db.roomRelease.findMany({
    where: { session: { AND: [where, { roomId: null, endsAt: { gte: new Date() } }] } },
    include: {
      session: { include: { course: { select: { id: true, title: true } } } },
      room: { select: { name: true } },
      heldBy: { include: { course: { select: { title: true } } } },
    },
    orderBy: { session: { startsAt: 'asc' } },
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

/**
 * What a refused booking says: the course that holds the room and when, in the page's language
 * (`key` has {course} and {when}); the plain refusal if the holder has gone meanwhile.
 */
export function roomBookedMessage(t: Translate, lang: string, holder: RoomHolder | null, key: string): string {
  if (!holder) return t('refusals.room-booked');
  return t(key, { course: holder.courseTitle, when: `${formatDateTime(holder.startsAt, lang)}–${formatTime(holder.endsAt, lang)}` });
}
