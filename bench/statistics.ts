// The statistics page (R9.1) over many cases: a bulk seed in a few set-based SQL statements
// (generate_series, no row-by-row round trips), and the page's latency measured as central sees it.
// The target: p99 under 300 ms with 100,000 cases. bench/run.ts wires these in:
//   await seedStatisticsCases(db, 100_000);   // db: the instance's database
//   const cookie = await loginParent(base, db, DEMO_STAFF.central);
//   report(await measureStatisticsPage(base, cookie));
import type { Db } from '../lib/db';
import { PARENT_CASE_STATUSES, type ParentCaseStatus } from '../rules/parentCase';
import { measure, type Result } from './measure';

/** How many in ten of the bench's parents end in each status, as a term ends (none is offered). */
const STATUS_WEIGHTS: Partial<Record<ParentCaseStatus, number>> = { submitted: 1, queued: 1, admitted: 2, completed: 3, notCompleted: 1, withdrawn: 1, closed: 1 };
const STATUS_MIX = PARENT_CASE_STATUSES.flatMap((status) => Array<ParentCaseStatus>(STATUS_WEIGHTS[status] ?? 0).fill(status));

const TIMEOUT_MS = 30_000;
/** Per district: one group course a term over the last four years, the newest starting soon. */
const COURSES_PER_DISTRICT = 8;
const LEADERS_PER_DISTRICT = 6;

/**
 * Adds `count` parent cases (persons and applications) on top of the demo data: spread over the
 * 13 districts' bench courses (one a term for four years, ten weekly sessions each) and the web
 * course, over every status; group leaders with and without certificates; and survey answers
 * (session and course evaluations, pre/post pairs) for the figures. Statements run one after
 * another on the given client (one connection is enough).
 */
export async function seedStatisticsCases(db: Db, count: number): Promise<void> {
  const run = `s${Date.now().toString(36)}`;
  const now = `(now() AT TIME ZONE 'UTC')`;

  // Courses and their sessions. The course's term number t: its first session is t half-years ago
  // (less three weeks, so t = 0 has not started yet).
  await db.$executeRawUnsafe(`
    INSERT INTO course (id, kind, title, district_id, capacity, language, status, description)
    SELECT gen_random_uuid(), 'groupCourse', 'Bänkkurs ${run} ' || t, d.id, 14, 'sv', 'closed', 'Bänkdata'
    FROM district d, generate_series(0, ${COURSES_PER_DISTRICT - 1}) AS t`);
  await db.$executeRawUnsafe(`
    INSERT INTO course_session (id, course_id, starts_at, ends_at)
    SELECT gen_random_uuid(), c.id,
      ${now} - make_interval(days => split_part(c.title, ' ', 3)::int * 182 - 21 - i * 7),
      ${now} - make_interval(days => split_part(c.title, ' ', 3)::int * 182 - 21 - i * 7) + interval '2 hours'
    FROM course c, generate_series(0, 9) AS i
    WHERE c.title LIKE 'Bänkkurs ${run} %'`);

  // Group leaders: each bench course gets one as its contact; two in three hold a certificate.
  await db.$executeRawUnsafe(`
    INSERT INTO person (id, email, name)
    SELECT gen_random_uuid(), 'bench-leader-${run}-' || d.slug || '-' || i || '@example.com', 'Bänk Ledare'
    FROM district d, generate_series(1, ${LEADERS_PER_DISTRICT}) AS i`);
  await db.$executeRawUnsafe(`
    INSERT INTO role_grant (id, person_id, role, district_id)
    SELECT gen_random_uuid(), p.id, 'groupLeader', d.id
    FROM person p JOIN district d ON p.email LIKE 'bench-leader-${run}-' || d.slug || '-%'`);
  await db.$executeRawUnsafe(`
    INSERT INTO course_contact (course_id, person_id)
    SELECT c.id, p.id FROM course c JOIN person p
      ON p.email = 'bench-leader-${run}-' || (SELECT slug FROM district WHERE id = c.district_id) || '-'
        || (split_part(c.title, ' ', 3)::int % ${LEADERS_PER_DISTRICT} + 1) || '@example.com'
    WHERE c.title LIKE 'Bänkkurs ${run} %'`);
  await db.$executeRawUnsafe(`
    WITH leaders AS (
      SELECT p.id, row_number() OVER (ORDER BY p.email) AS n FROM person p WHERE p.email LIKE 'bench-leader-${run}-%'
    ), training AS (SELECT id, title FROM course WHERE kind = 'training' ORDER BY created_at LIMIT 1),
    apps AS (
      INSERT INTO application (id, case_number, kind, person_id, course_id, status, answers, submitted_at, idempotency_key, workflow_id)
      SELECT gen_random_uuid(), 'BENCH-${run}-L' || l.n, 'training', l.id, training.id, 'completed', '{}', ${now} - interval '400 days',
        'bench-${run}-L' || l.n, 'bench-${run}-L' || l.n
      FROM leaders l, training WHERE l.n % 3 <> 0
      RETURNING id, person_id
    )
    INSERT INTO certificate (id, number, verification_code, application_id, holder_name, training_title)
    SELECT gen_random_uuid(), 'BENCH-${run}-C' || row_number() OVER (), 'BENCH-${run}-V' || row_number() OVER (), apps.id, 'Bänk Ledare', training.title FROM apps, training`);

  // Parents: one person and one application each. Seven in eight go to a bench group course,
  // the rest to the web course; statuses cycle through every outcome.
  await db.$executeRawUnsafe(`
    INSERT INTO person (id, email)
    SELECT gen_random_uuid(), 'bench-parent-${run}-' || i || '@example.com' FROM generate_series(1, ${count}) AS i`);
  await db.$executeRawUnsafe(`
    WITH courses AS (
      SELECT array_agg(c.id ORDER BY c.id) AS ids, array_agg(split_part(c.title, ' ', 3)::int ORDER BY c.id) AS ts
      FROM course c WHERE c.title LIKE 'Bänkkurs ${run} %'
    ), web AS (SELECT id FROM course WHERE kind = 'webCourse' ORDER BY created_at LIMIT 1),
    placed AS (
      SELECT i, p.id AS person_id,
        CASE WHEN i % 8 = 0 THEN web.id ELSE courses.ids[1 + i % cardinality(courses.ids)] END AS course_id,
        CASE WHEN i % 8 = 0 THEN 'webCourse' ELSE 'groupCourse' END AS kind,
        CASE WHEN i % 8 = 0 THEN (i / 8) % 8 ELSE courses.ts[1 + i % cardinality(courses.ids)] END AS t,
        (ARRAY[${STATUS_MIX.map((st) => `'${st}'`).join(', ')}])[i % ${STATUS_MIX.length} + 1] AS status
      FROM generate_series(1, ${count}) AS i
      CROSS JOIN courses CROSS JOIN web
      JOIN person p ON p.email = 'bench-parent-${run}-' || i || '@example.com'
    )
    INSERT INTO application (id, case_number, kind, person_id, course_id, status, answers, submitted_at, decided_at, idempotency_key, workflow_id)
    SELECT gen_random_uuid(), 'BENCH-${run}-' || i, kind::"CourseKind", person_id, course_id, status::"ApplicationStatus",
      '{"childAge": 7, "message": ""}',
      -- Within the 90 days before the course's first session (and never in the future).
      ${now} - make_interval(days => t * 182 + 1 + i % 90, mins => i % 1440),
      CASE WHEN status IN ('admitted', 'completed', 'notCompleted', 'queued')
        THEN least(${now}, ${now} - make_interval(days => t * 182 + 1 + i % 90, mins => i % 1440) + make_interval(days => i % 3)) END,
      'bench-${run}-' || i, 'bench-${run}-' || i
    FROM placed`);

  // Survey answers (no person link): a session evaluation for every second case, a course
  // evaluation for every tenth, and a pre/post pair for every tenth.
  const scale = (k: number) => `(1 + (i * ${k} + i / 7) % 5)`;
  // After the course, one step up for most parents (capped at 5), so the effect is not zero.
  const paired = (k: number) => `least(5, 1 + (i * ${k} + i / 7) % 5 + CASE WHEN m.shift = 1 AND i % 4 <> 0 THEN 1 ELSE 0 END)`;
  await db.$executeRawUnsafe(`
    WITH apps AS (
      SELECT a.course_id, substring(a.case_number FROM 'BENCH-${run}-(\\d+)$')::int AS i, a.submitted_at
      FROM application a WHERE a.case_number ~ '^BENCH-${run}-\\d+$'
    ), def AS (SELECT kind, id FROM survey_definition WHERE version = 1)
    INSERT INTO survey_response (id, survey_id, course_id, answers, pairing_code, answered_on)
    SELECT gen_random_uuid(), (SELECT id FROM def WHERE kind = 'sessionEvaluation'), course_id,
      jsonb_build_object('useful', ${scale(3)}, 'understood', ${scale(7)}, 'listenedTo', ${scale(11)}, 'willTry', ${scale(13)}),
      NULL, least((submitted_at + interval '30 days')::date, (${now})::date)
    FROM apps WHERE i % 2 = 0
    UNION ALL
    SELECT gen_random_uuid(), (SELECT id FROM def WHERE kind = 'courseEvaluation'), course_id,
      jsonb_build_object('overall', ${scale(3)}, 'support', ${scale(5)}, 'confident', ${scale(7)}, 'recommend', ${scale(11)}, 'helped', jsonb_build_array('praise')),
      NULL, least((submitted_at + interval '100 days')::date, (${now})::date)
    FROM apps WHERE i % 10 = 1
    UNION ALL
    SELECT gen_random_uuid(), (SELECT id FROM def WHERE kind = m.kind::"SurveyKind"), course_id,
      jsonb_build_object('childListens', ${paired(3)}, 'childCalms', ${paired(5)}, 'childGetsAlong', ${paired(7)}, 'parentPraises', ${paired(11)},
        'parentCalm', ${paired(13)}, 'parentConfident', ${paired(17)}, 'everydayWorks', ${paired(19)}),
      'B' || lpad(i::text, 7, '0'), least((submitted_at + m.days)::date, (${now})::date)
    FROM apps, (VALUES ('preMeasurement', interval '25 days', 0), ('postMeasurement', interval '95 days', 1)) AS m(kind, days, shift)
    WHERE i % 10 = 3`);
  await db.$executeRawUnsafe('ANALYZE');
}

/**
 * GET /personal/statistik (all districts, terms and kinds: the heaviest view) as central, with the
 * cookie of a logged-in central account (loginParent logs any address in); each call fails unless
 * 200 with the figures. One at a time by default: a handful of central staff use the page, and the
 * target is its latency (each page runs its few aggregates side by side on the pool already).
 */
export async function measureStatisticsPage(baseUrl: string, cookie: string, { n = 200, concurrency = 1, warmup = 10 } = {}): Promise<Result> {
  return measure(
    'statistics',
    n,
    concurrency,
    async () => {
      const res = await fetch(`${baseUrl}/personal/statistik`, { headers: { Cookie: cookie }, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET /personal/statistik: ${res.status}`);
      if (!body.includes('id="figure-participation"')) throw new Error('GET /personal/statistik: no participation figure');
    },
    { warmup },
  );
}
