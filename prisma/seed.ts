// Demo data for the embedded system, loaded on first start only: the reference data (districts,
// surveys; prisma/referenceData.ts, which production loads with `npm run setup`), then a few courses
// with sessions, rooms and contact persons, and one staff account per role.
import type { Db } from '../lib/db';
import { addDays, stockholmDateString, stockholmInstant } from '../lib/time';
import { seedReferenceData } from './referenceData';
import { seedTraining } from './seedTraining';
import { seedWebCourse } from './seedWebCourse';

export { DISTRICTS } from './referenceData';

export const DEMO_STAFF = {
  leaderSodermalm: 'gruppledare.sodermalm@komet.example',
  leaderRinkeby: 'gruppledare.rinkeby@komet.example',
  admin: 'admin@komet.example',
  central: 'central@komet.example',
  guide: 'guide@komet.example',
  instructor: 'instruktor@komet.example',
  counsellor: 'radgivare@komet.example',
} as const;

interface CourseSeed {
  district: string;
  title: string;
  language: string;
  capacity: number;
  weekday: number; // days after the next Monday
  startTime: string;
  endTime: string;
  room: { name: string; address: string };
  leader: keyof typeof DEMO_STAFF;
}

const COURSES: CourseSeed[] = [
  {
    district: 'sodermalm',
    title: 'Komet för föräldrar till barn 3–11 år',
    language: 'sv',
    capacity: 12,
    weekday: 1,
    startTime: '17:30',
    endTime: '20:00',
    room: { name: 'Familjecentralen Södermalm', address: 'Götgatan 67, 116 21 Stockholm' },
    leader: 'leaderSodermalm',
  },
  {
    district: 'sodermalm',
    title: 'Komet på engelska',
    language: 'en',
    capacity: 10,
    weekday: 3,
    startTime: '18:00',
    endTime: '20:30',
    room: { name: 'Medborgarhuset, sal 2', address: 'Medborgarplatsen 4, 118 26 Stockholm' },
    leader: 'leaderSodermalm',
  },
  {
    district: 'rinkeby-kista',
    title: 'Komet för föräldrar till barn 3–11 år',
    language: 'sv',
    capacity: 12,
    weekday: 2,
    startTime: '17:00',
    endTime: '19:30',
    room: { name: 'Rinkeby Folkets hus', address: 'Rinkebytorget 1, 163 73 Spånga' },
    leader: 'leaderRinkeby',
  },
  {
    district: 'rinkeby-kista',
    title: 'Komet på arabiska',
    language: 'ar',
    capacity: 10,
    weekday: 4,
    startTime: '17:30',
    endTime: '20:00',
    room: { name: 'Kista Träff', address: 'Kista Allé 9, 164 55 Kista' },
    leader: 'leaderRinkeby',
  },
];

const SESSIONS_PER_COURSE = 10;

export async function isSeeded(db: Db): Promise<boolean> {
  return (await db.district.count()) > 0;
}

export async function seedDemoData(db: Db, today = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    await seedReferenceData(tx);
    const districts = new Map((await tx.district.findMany({ select: { slug: true, id: true } })).map((d) => [d.slug, d.id]));
    const staff = new Map<string, string>();
    const staffDefs: [keyof typeof DEMO_STAFF, string, string, 'groupLeader' | 'admin' | 'central' | 'counsellor', string | null][] = [
      ['leaderSodermalm', 'Sara Lind', '+46701234501', 'groupLeader', 'sodermalm'],
      ['leaderRinkeby', 'Ahmed Yusuf', '+46701234502', 'groupLeader', 'rinkeby-kista'],
      ['admin', 'Eva Berg', '+46701234503', 'admin', null],
      ['central', 'Karin Ek', '+46701234504', 'central', null],
      ['counsellor', 'Maja Holm', '+46701234507', 'counsellor', null],
    ];
    for (const [key, name, phone, role, district] of staffDefs) {
      const person = await tx.person.create({ data: { email: DEMO_STAFF[key], name, phone } });
      await tx.roleGrant.create({
        data: { personId: person.id, role, districtId: district ? districts.get(district) : null },
      });
      staff.set(key, person.id);
    }
    // Courses start on the Monday at least two weeks ahead, one session a week.
    const base = nextMonday(addDays(stockholmDateString(today), 14));
    for (const c of COURSES) {
      const districtId = districts.get(c.district)!;
      const room = await tx.room.create({ data: { ...c.room, districtId } });
      const course = await tx.course.create({
        data: {
          kind: 'groupCourse',
          title: c.title,
          districtId,
          capacity: c.capacity,
          language: c.language,
          status: 'open',
          description:
            'Tio träffar i grupp där du får verktyg för att stärka relationen till ditt barn och hantera konflikter i vardagen.',
        },
      });
      for (let i = 0; i < SESSIONS_PER_COURSE; i++) {
        const day = addDays(base, c.weekday + i * 7);
        await tx.courseSession.create({
          data: {
            courseId: course.id,
            startsAt: stockholmInstant(day, c.startTime),
            endsAt: stockholmInstant(day, c.endTime),
            roomId: room.id,
          },
        });
      }
      await tx.courseContact.create({ data: { courseId: course.id, personId: staff.get(c.leader)! } });
    }
    await seedWebCourse(tx, DEMO_STAFF.guide);
    await seedTraining(tx, DEMO_STAFF.instructor, base);
    // One transaction: all demo data or none. Generous timeout: a busy machine (CI) is slow.
  }, { timeout: 60_000, maxWait: 30_000 });
}

function nextMonday(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, (8 - weekday) % 7 || 7);
}
