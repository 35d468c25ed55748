// The public course catalogue (R1.1, R1.2): open courses with sessions, place, language,
// contact persons and free seats. One query for the pages and the API.
import type { Db } from '../db';
import { freeSeats } from '../../rules/capacity';
import { SEAT_COUNT_SELECT, seatCountOf } from './seats';

export interface CatalogFilter {
  district?: string;
  kind?: 'groupCourse' | 'webCourse' | 'training';
  language?: string;
  /** YYYY-MM-DD: courses whose first session is on or after this day. */
  startsFrom?: Date;
}

export async function listOpenCourses(db: Db, filter: CatalogFilter = {}) {
  const courses = await db.course.findMany({
    where: {
      status: 'open',
      ...(filter.district ? { district: { slug: filter.district } } : {}),
      // Without a kind: the parents' courses; trainings for professionals are listed on their own.
      kind: filter.kind ?? { in: ['groupCourse', 'webCourse'] },
      ...(filter.language ? { language: filter.language } : {}),
    },
    include: {
      district: true,
      sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } },
      contacts: { include: { person: { select: { name: true, email: true, phone: true } } } },
      _count: SEAT_COUNT_SELECT._count,
    },
    orderBy: [{ createdAt: 'asc' }],
  });
  return courses
    .map((c) => ({
      id: c.id,
      kind: c.kind,
      title: c.title,
      description: c.description,
      language: c.language,
      capacity: c.capacity,
      // Seats held by open offers are not free (rules/capacity.ts).
      freeSeats: freeSeats(seatCountOf(c)),
      district: c.district ? { slug: c.district.slug, name: c.district.name } : null,
      sessions: c.sessions.map((s) => ({
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        place: s.room ? `${s.room.name}, ${s.room.address}` : null,
      })),
      contacts: c.contacts.map((k) => ({ title: k.title, name: k.person.name, email: k.person.email, phone: k.person.phone })),
    }))
    .filter((c) => !filter.startsFrom || (c.sessions[0] && c.sessions[0].startsAt >= filter.startsFrom))
    .sort((a, b) => (a.sessions[0]?.startsAt.getTime() ?? 0) - (b.sessions[0]?.startsAt.getTime() ?? 0));
}

export type CatalogCourse = Awaited<ReturnType<typeof listOpenCourses>>[number];

export async function getOpenCourse(db: Db, id: string): Promise<CatalogCourse | null> {
  const course = await db.course.findUnique({ where: { id }, select: { id: true, status: true, kind: true } });
  if (!course || course.status !== 'open') return null;
  const [found] = (await listOpenCourses(db, { kind: course.kind })).filter((c) => c.id === id);
  return found ?? null;
}

/**
 * Why a published course takes no applications (issue 16): "closed" by the administrator, or
 * "past" once its last session has ended. A draft, or an id that is no course, is not there at all.
 */
export type CourseUnavailable = { reason: 'closed' | 'past'; id: string; title: string; kind: 'groupCourse' | 'webCourse' | 'training' };

export async function unavailableCourse(db: Db, id: string, now = new Date()): Promise<CourseUnavailable | null> {
  const course = await db.course.findUnique({
    where: { id },
    select: { id: true, title: true, kind: true, status: true, sessions: { select: { endsAt: true }, orderBy: { endsAt: 'desc' }, take: 1 } },
  });
  if (!course || course.status === 'draft') return null;
  const base = { id: course.id, title: course.title, kind: course.kind };
  if (course.status === 'closed') return { ...base, reason: 'closed' };
  const last = course.sessions[0];
  return last && last.endsAt < now ? { ...base, reason: 'past' } : null;
}
