// The small world one run of the model-based test plays in: a district of its own with two group
// courses of two seats each (the queue is per district and kind, so both share it), two rooms,
// two trainings (one that took place, one under way) and the seeded web course. Small on purpose:
// seats, rooms and deadlines collide often.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Deps } from '../../lib/deps';
import type { ApplicationStatus } from '../../rules/caseStatus';
import { DEMO_STAFF } from '../../prisma/seed';
import { WEB_COURSE_TITLE } from '../../prisma/seedWebCourse';
import type { AppEnv } from '../../web/context';
import { WebClient } from '../support/webClient';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ParentCase {
  caseNumber: string;
  workflowId: string;
  /** The parent's own browser, logged in. */
  client: WebClient;
  course: 'group' | 'web';
}

export interface ProfessionalCase {
  caseNumber: string;
  workflowId: string;
  applicationId: string;
  trainingId: string;
}

export interface Training {
  id: string;
  groupId: string;
  sessionIds: string[];
}

export interface World {
  deps: Deps;
  app: Hono<AppEnv>;
  admin: WebClient;
  adminId: string;
  /** The web course's guides by person id, each logged in (the workflow picks the less busy one). */
  guides: Map<string, WebClient>;
  groupCourseIds: string[];
  /** The group courses' sessions (the ones moved and booked). */
  sessions: { id: string; courseId: string }[];
  roomIds: string[];
  trainings: Training[];
  webCourseId: string;
}

/** What the model knows: the cases it made. The system under test decides everything else. */
export interface Model {
  parents: ParentCase[];
  professionals: ProfessionalCase[];
}

/** Logged-in staff are shared by the runs (logging in is not what is tested). */
let staff: Pick<World, 'admin' | 'adminId' | 'guides'> | null = null;

export async function buildWorld(deps: Deps, app: Hono<AppEnv>): Promise<World> {
  const db = deps.db;
  staff ??= await logInStaff(deps, app);
  const slug = `model-${randomUUID().slice(0, 8)}`;
  const district = await db.district.create({ data: { slug, name: `Stadsdel ${slug}`, latitude: 59.3, longitude: 18.0 } });
  const rooms = await Promise.all(
    ['Rum A', 'Rum B'].map((name) => db.room.create({ data: { name: `${name} ${slug}`, address: 'Modellgatan 1', districtId: district.id } })),
  );
  const groupCourseIds: string[] = [];
  const sessions: World['sessions'] = [];
  for (const [i, title] of ['Kvällsgrupp', 'Helggrupp'].entries()) {
    const start = Date.now() + (10 + i) * DAY;
    const course = await db.course.create({
      data: {
        kind: 'groupCourse',
        title: `${title} ${slug}`,
        districtId: district.id,
        capacity: 2,
        sessions: {
          create: [
            { startsAt: new Date(start), endsAt: new Date(start + 2 * HOUR) },
            { startsAt: new Date(start + 7 * DAY), endsAt: new Date(start + 7 * DAY + 2 * HOUR) },
          ],
        },
      },
      include: { sessions: true },
    });
    groupCourseIds.push(course.id);
    sessions.push(...course.sessions.map((s) => ({ id: s.id, courseId: course.id })));
  }
  const trainings: Training[] = [];
  // One that took place (its sessions ended: certificates possible), one under way (its first
  // session has started, the second is ahead: attendance for it and "Godkänd" are refused).
  for (const [title, spans] of [
    // One session only: the chain to a certificate (admit, attendance, "Godkänd", issue) stays short enough to reach.
    ['Genomförd utbildning', [[-3 * DAY, -3 * DAY + 3 * HOUR]]],
    ['Pågående utbildning', [[-HOUR, 2 * HOUR], [14 * DAY, 14 * DAY + 3 * HOUR]]],
  ] as const) {
    const now = Date.now();
    const training = await db.course.create({
      data: {
        kind: 'training',
        title: `${title} ${slug}`,
        capacity: 2,
        sessions: { create: spans.map(([from, to]) => ({ startsAt: new Date(now + from), endsAt: new Date(now + to) })) },
      },
      include: { sessions: { orderBy: { startsAt: 'asc' } } },
    });
    const group = await db.supervisionGroup.create({ data: { courseId: training.id, name: 'Grupp 1' } });
    trainings.push({ id: training.id, groupId: group.id, sessionIds: training.sessions.map((s) => s.id) });
  }
  const webCourseId = (await db.course.findFirstOrThrow({ where: { title: WEB_COURSE_TITLE, kind: 'webCourse' } })).id;
  return { deps, app, ...staff, groupCourseIds, sessions, roomIds: rooms.map((r) => r.id), trainings, webCourseId };
}

async function logInStaff(deps: Deps, app: Hono<AppEnv>) {
  const db = deps.db;
  const admin = await WebClient.loggedIn(app, db, DEMO_STAFF.admin);
  const adminId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.admin } })).id;
  const webCourse = await db.course.findFirstOrThrow({ where: { title: WEB_COURSE_TITLE, kind: 'webCourse' } });
  const grants = await db.roleGrant.findMany({ where: { role: 'guide', courseId: webCourse.id }, include: { person: true } });
  const guides = new Map<string, WebClient>();
  for (const g of grants) {
    const client = await WebClient.loggedIn(app, db, g.person.email);
    guides.set(g.personId, client);
  }
  return { admin, adminId, guides };
}

/**
 * The cases staff would pick from their working list: those whose stored status is `wanted` (one
 * status, or a list the rules give), or all cases when none is. Staff pick from lists; a random
 * case also meets refusals.
 */
export async function listed<T extends { caseNumber: string }>(
  world: World,
  cases: readonly T[],
  wanted: ApplicationStatus | readonly ApplicationStatus[] | null,
): Promise<T[]> {
  if (!wanted) return [...cases];
  const statuses: readonly string[] = typeof wanted === 'string' ? [wanted] : wanted;
  const rows = await world.deps.db.application.findMany({ where: { caseNumber: { in: cases.map((c) => c.caseNumber) } }, select: { caseNumber: true, status: true } });
  const hit = new Set(rows.filter((r) => statuses.includes(r.status)).map((r) => r.caseNumber));
  const found = cases.filter((c) => hit.has(c.caseNumber));
  return found.length ? found : [...cases];
}

/** Picks the n-th of a list, wrapping around (commands carry a random index, the list grows). */
export function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length];
}
