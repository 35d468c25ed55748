// The sessions behind the calendars (R2.6): a course's, and a parent's private feed listing every
// course they are admitted to. The feed URL carries a random token; only its SHA-256 is stored,
// and renewing replaces it, so the old address stops working at once.
import { randomToken, sha256 } from '../crypto';
import type { Db } from '../db';
import type { CalendarEvent } from './ics';

/** randomToken(32): 43 base64url characters. */
export const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface CalendarSession {
  id: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  /** 1-based position in its course, and the course's number of sessions. */
  number: number;
  count: number;
}

/** Creates the person's feed, or renews it: the new token replaces the old one's hash. */
export async function issueCalendarFeed(db: Db, personId: string): Promise<string> {
  const token = randomToken(32);
  const tokenHash = sha256(token);
  await db.calendarFeed.upsert({
    where: { personId },
    create: { personId, tokenHash },
    update: { tokenHash, createdAt: new Date() },
  });
  return token;
}

export async function removeCalendarFeed(db: Db, personId: string): Promise<void> {
  await db.calendarFeed.deleteMany({ where: { personId } });
}

export function calendarFeedOf(db: Db, personId: string) {
  return db.calendarFeed.findUnique({ where: { personId }, select: { createdAt: true } });
}

/** The feed's owner, or null for an unknown (or renewed-away) token. */
export async function feedOwner(db: Db, token: string): Promise<string | null> {
  if (!FEED_TOKEN_PATTERN.test(token)) return null;
  const feed = await db.calendarFeed.findUnique({ where: { tokenHash: sha256(token) }, select: { personId: true } });
  return feed?.personId ?? null;
}

const withSessions = { sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } } } as const;

type CourseWithSessions = {
  sessions: { id: string; startsAt: Date; endsAt: Date; room: { name: string; address: string } | null }[];
};

function numbered(course: CourseWithSessions): CalendarSession[] {
  return course.sessions.map((s, i) => ({
    id: s.id,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    place: s.room ? `${s.room.name}, ${s.room.address}` : null,
    number: i + 1,
    count: course.sessions.length,
  }));
}

/** A published course's sessions (drafts do not exist for the public); null when there is none. */
export async function courseSessions(db: Db, courseId: string): Promise<CalendarSession[] | null> {
  const course = await db.course.findFirst({ where: { id: courseId, status: { not: 'draft' } }, include: withSessions });
  return course ? numbered(course) : null;
}

/** Every session of every course the person is admitted to, in time order. */
export async function admittedSessions(db: Db, personId: string): Promise<CalendarSession[]> {
  const courses = await db.course.findMany({
    where: { applications: { some: { personId, status: 'admitted' } } },
    include: withSessions,
  });
  return courses.flatMap(numbered).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

export interface EventWording {
  /** The discreet title: a calendar may be seen by others, so never the programme or course. */
  summary(session: CalendarSession): string;
  description: string;
  /** Host part of the UIDs, e.g. the public URL's host. */
  host: string;
}

export function sessionEvents(sessions: CalendarSession[], wording: EventWording): CalendarEvent[] {
  return sessions.map((s) => ({
    uid: `session-${s.id}@${wording.host}`,
    start: s.startsAt,
    end: s.endsAt,
    summary: wording.summary(s),
    location: s.place,
    description: wording.description,
  }));
}
