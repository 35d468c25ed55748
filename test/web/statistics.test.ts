// Statistics for central (R9.1, R9.2): a small data set seeded by hand below, every figure on the
// page and in the CSV checked against numbers counted by hand here. Groups with fewer than five
// answers are hidden in table, chart and CSV. Only central may look; a bad filter is never a 500.
// The page reads the database only, so no Temporal server is started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import type { Db, DbTypes } from '../../lib/db';
import { createMailer } from '../../lib/mail/mailer';
import { createSmsSender } from '../../lib/sms/smsSender';
import { stockholmDateString } from '../../lib/time';
import { DEMO_STAFF, seedDemoData } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { WebClient } from '../support/webClient';
import { csvRows, figureTable } from '../support/statisticsPage';
import { newVerificationCode } from '../../lib/certificates/verificationCode';

let database: TestDatabase;
let app: ReturnType<typeof createApp>;
let central: WebClient;

type Status = DbTypes.$Enums.ApplicationStatus;
const DAY = 24 * 3600 * 1000;
const now = Date.now();
const ago = (days: number) => new Date(now - days * DAY);

let serial = 0;
async function person(db: Db, name = 'Testperson') {
  serial += 1;
  return db.person.create({ data: { email: `statistik-${serial}@example.org`, name } });
}

async function course(db: Db, kind: 'groupCourse' | 'webCourse', districtSlug: string | null, title: string, sessions: Date[]) {
  const district = districtSlug ? await db.district.findUniqueOrThrow({ where: { slug: districtSlug } }) : null;
  return db.course.create({
    data: {
      kind,
      title,
      districtId: district?.id ?? null,
      capacity: 12,
      status: 'closed',
      sessions: { create: sessions.map((startsAt) => ({ startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600 * 1000) })) },
    },
  });
}

async function application(db: Db, courseId: string, kind: 'groupCourse' | 'webCourse' | 'training', status: Status, submittedAt: string, decidedAt?: string, personId?: string) {
  serial += 1;
  const who = personId ?? (await person(db)).id;
  return db.application.create({
    data: {
      caseNumber: `KOM-2025-${String(800_000 + serial)}`,
      kind,
      personId: who,
      courseId,
      status,
      answers: { childAge: 6, message: '' },
      submittedAt: new Date(submittedAt),
      decidedAt: decidedAt ? new Date(decidedAt) : null,
      idempotencyKey: `statistik:${serial}`,
      workflowId: `statistik-${serial}`,
    },
  });
}

async function certificate(db: Db, personId: string, trainingTitle: string) {
  const training = await db.course.findFirstOrThrow({ where: { kind: 'training' } });
  const app = await application(db, training.id, 'training', 'completed', '2024-09-01T10:00:00Z', undefined, personId);
  await db.certificate.create({ data: { number: `INT-${app.caseNumber}`, verificationCode: newVerificationCode(), applicationId: app.id, holderName: 'Ledare', trainingTitle } });
}

async function leader(db: Db, grant: { districtSlug?: string; courseId?: string }) {
  const p = await person(db, 'Gruppledare');
  const district = grant.districtSlug ? await db.district.findUniqueOrThrow({ where: { slug: grant.districtSlug } }) : null;
  await db.roleGrant.create({ data: { personId: p.id, role: 'groupLeader', districtId: district?.id ?? null, courseId: grant.courseId ?? null } });
  return p;
}

async function responses(db: Db, kind: DbTypes.$Enums.SurveyKind, courseId: string, answeredOn: string, answers: Record<string, unknown>[], codes?: string[]) {
  const survey = await db.surveyDefinition.findFirstOrThrow({ where: { kind, version: 1 } });
  await db.surveyResponse.createMany({
    data: answers.map((a, i) => ({
      surveyId: survey.id,
      courseId,
      answers: a as DbTypes.Prisma.InputJsonValue,
      pairingCode: codes?.[i] ?? null,
      answeredOn: new Date(`${answeredOn}T00:00:00Z`),
    })),
  });
}

/**
 * The data set. Parents (hand count, waiting = whole days from application to start):
 *   S1 Södermalm group course, first session 2025-04-07 17:30 (15:30 UTC):
 *     completed 03-07 (31 d), completed 03-17 (21 d), notCompleted 03-27 (11 d), admitted 04-01 (6 d),
 *     queued, withdrawn                          → applied 6, started 4, completed 2
 *   R1 Rinkeby-Kista group course, first session 2025-10-06 17:00 (15:00 UTC):
 *     completed 09-01 (35 d), admitted 09-26 (10 d), notCompleted 09-30 (6 d) → 3, 3, 1
 *   The demo Södermalm course (sessions still ahead): admitted, submitted → 2, 0, 0
 *   The web course (starts at admission): admitted 05-05 → 05-08 (3 d), completed 08-11 → 08-21 (10 d),
 *     queued 2025-06-30 22:30 UTC (= 1 July in Stockholm: HT)          → 3, 2, 1
 */
async function seed(db: Db) {
  const s1 = await course(db, 'groupCourse', 'sodermalm', 'S1', [new Date('2025-04-07T15:30:00Z'), new Date('2025-04-14T15:30:00Z')]);
  const r1 = await course(db, 'groupCourse', 'rinkeby-kista', 'R1', [new Date('2025-10-06T15:00:00Z'), new Date('2025-10-13T15:00:00Z')]);
  const ahead = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv', kind: 'groupCourse', title: { not: 'S1' } } });
  const web = await db.course.findFirstOrThrow({ where: { kind: 'webCourse' } });

  await application(db, s1.id, 'groupCourse', 'completed', '2025-03-07T12:00:00Z');
  await application(db, s1.id, 'groupCourse', 'completed', '2025-03-17T12:00:00Z');
  await application(db, s1.id, 'groupCourse', 'notCompleted', '2025-03-27T12:00:00Z');
  await application(db, s1.id, 'groupCourse', 'admitted', '2025-04-01T12:00:00Z');
  await application(db, s1.id, 'groupCourse', 'queued', '2025-03-20T12:00:00Z');
  await application(db, s1.id, 'groupCourse', 'withdrawn', '2025-02-10T12:00:00Z');
  await application(db, r1.id, 'groupCourse', 'completed', '2025-09-01T10:00:00Z');
  await application(db, r1.id, 'groupCourse', 'admitted', '2025-09-26T10:00:00Z');
  await application(db, r1.id, 'groupCourse', 'notCompleted', '2025-09-30T10:00:00Z');
  await application(db, ahead.id, 'groupCourse', 'admitted', '2025-11-03T12:00:00Z');
  await application(db, ahead.id, 'groupCourse', 'submitted', '2025-11-04T12:00:00Z');
  await application(db, web.id, 'webCourse', 'admitted', '2025-05-05T08:00:00Z', '2025-05-08T09:00:00Z');
  await application(db, web.id, 'webCourse', 'completed', '2025-08-11T08:00:00Z', '2025-08-21T08:00:00Z');
  await application(db, web.id, 'webCourse', 'queued', '2025-06-30T22:30:00Z');

  // Group leaders: the demo's two (contacts of courses that have not started) and four more.
  const activeSodermalm = await course(db, 'groupCourse', 'sodermalm', 'Aktiv i Södermalm', [ago(30)]);
  const activeRinkeby = await course(db, 'groupCourse', 'rinkeby-kista', 'Aktiv i Rinkeby', [ago(100)]);
  const longAgo = await course(db, 'groupCourse', 'rinkeby-kista', 'För länge sedan', [ago(400)]);
  const notYet = await course(db, 'groupCourse', 'sodermalm', 'Inte börjat', [ago(-10)]);
  const l1 = await leader(db, { districtSlug: 'sodermalm' });
  await db.courseContact.create({ data: { courseId: activeSodermalm.id, personId: l1.id } });
  await certificate(db, l1.id, 'Komet gruppledarutbildning');
  const l2 = await leader(db, { courseId: activeRinkeby.id }); // leads through a grant scoped to the course
  await certificate(db, l2.id, 'Komet gruppledarutbildning');
  await certificate(db, l2.id, 'Komet för tonårsföräldrar');
  const l3 = await leader(db, { districtSlug: 'rinkeby-kista' });
  await db.courseContact.create({ data: { courseId: longAgo.id, personId: l3.id } });
  const l4 = await leader(db, { districtSlug: 'sodermalm' });
  await db.courseContact.create({ data: { courseId: notYet.id, personId: l4.id } });
  await certificate(db, l4.id, 'Komet för tonårsföräldrar');
  // A certificate holder who leads no group is not counted.
  await certificate(db, (await person(db)).id, 'Komet gruppledarutbildning');

  // Feedback. S1: six course evaluations (support 5 4 4 3 5 3; overall the same; recommend 5 5 5 4 4 4)
  // and five session evaluations (20 scale answers summing to 82). R1: four course evaluations
  // (support 1 2 1 2, overall 2 2 2 2, recommend 1 1 1 1): too few to show.
  const support = [5, 4, 4, 3, 5, 3];
  const recommend = [5, 5, 5, 4, 4, 4];
  await responses(db, 'courseEvaluation', s1.id, '2025-06-10', support.map((s, i) => ({ overall: s, support: s, confident: 1, recommend: recommend[i], comments: 'Bra' })));
  await responses(db, 'sessionEvaluation', s1.id, '2025-04-07', [
    [5, 5, 5, 5],
    [4, 4, 4, 4],
    [3, 4, 5, 4],
    [5, 4, 3, 2],
    [4, 4, 4, 4],
  ].map(([useful, understood, listenedTo, willTry]) => ({ useful, understood, listenedTo, willTry, best: 'Allt' })));
  await responses(db, 'courseEvaluation', r1.id, '2025-12-01', [1, 2, 1, 2].map((s) => ({ overall: 2, support: s, confident: 5, recommend: 1 })));

  // Pre/post pairs. S1: six codes answer childListens both times (pre 2 3 2 1 3 2, post 4 4 3 2 3 4),
  // four of them parentCalm too; P7 gave two pre-measurements (ambiguous: no pair), P8 no post.
  // R1: one pair Q1 (childListens 1 → 5), and a post with code P1 that must not pair with S1's P1.
  const pre = [2, 3, 2, 1, 3, 2];
  const post = [4, 4, 3, 2, 3, 4];
  const calmPre = [3, 3, 2, 2];
  const calmPost = [4, 3, 4, 3];
  const codes = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
  await responses(db, 'preMeasurement', s1.id, '2025-03-10', [...pre.map((v, i) => ({ childListens: v, ...(i < 4 ? { parentCalm: calmPre[i] } : {}) })), { childListens: 1 }, { childListens: 1 }, { childListens: 1 }], [...codes, 'P7', 'P7', 'P8']);
  await responses(db, 'postMeasurement', s1.id, '2025-06-10', [...post.map((v, i) => ({ childListens: v, ...(i < 4 ? { parentCalm: calmPost[i] } : {}) })), { childListens: 5 }], [...codes, 'P7']);
  await responses(db, 'preMeasurement', r1.id, '2025-09-10', [{ childListens: 1 }], ['Q1']);
  await responses(db, 'postMeasurement', r1.id, '2025-12-01', [{ childListens: 5 }, { childListens: 5 }], ['Q1', 'P1']);
}

/** Central's view of a figure: its CSV file and its data table (test/support/statisticsPage.ts). */
const csv = (path: string) => csvRows(central, path);
const table = figureTable;

let districtId: (slug: string) => string;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await seedDemoData(db);
  await seed(db);
  const districts = await db.district.findMany();
  districtId = (slug) => districts.find((d) => d.slug === slug)!.id;
  const config = loadConfig({}, { databaseUrl: database.url, sessionSecret: 'test-secret-that-is-long-enough-0123456789' });
  // No Temporal: the statistics read the database only (the client is never touched).
  app = createApp({ config, db, temporal: {} as never, mailer: createMailer(config), sms: createSmsSender(config), chatRelay: null });
  central = await WebClient.loggedIn(app, db, DEMO_STAFF.central);
});

afterAll(async () => {
  await database?.drop();
});

describe('statistics page', () => {
  it('is for central only', async () => {
    for (const email of [DEMO_STAFF.admin, DEMO_STAFF.leaderSodermalm, 'foralder.statistik@example.org']) {
      const other = await WebClient.loggedIn(app, database.db, email);
      expect((await other.get('/personal/statistik')).status).toBe(403);
      expect((await other.get('/personal/statistik.csv?figure=participation')).status).toBe(403);
    }
    const anonymous = await new WebClient(app).get('/personal/statistik');
    expect(anonymous.status).toBe(303);
  });

  it('shows every figure as a chart with a data table and a CSV link', async () => {
    const res = await central.get('/personal/statistik');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const id of ['leaders', 'orientation', 'participation', 'completion', 'waiting', 'delivery', 'quality', 'fidelity', 'effect']) {
      expect(html).toContain(`id="figure-${id}"`);
      expect(html).toMatch(new RegExp(`<svg class="chart" role="img" aria-labelledby="chart-${id}-title chart-${id}-desc"`));
      expect(html).toContain(`<title id="chart-${id}-title">`);
      expect(html).toContain(`href="/personal/statistik.csv?figure=${id}"`);
    }
    // Definitions stand on the page.
    expect(html).toContain('de senaste 12 månaderna');
    expect(html).toContain('Hela dygn från anmälan');
  });

  it('counts group leaders, active leaders and their training as counted by hand', async () => {
    const html = await (await central.get('/personal/statistik')).text();
    expect(table(html, 'leaders')).toEqual(new Map([['leaders', ['6']], ['active', ['2']]]));
    const orientation = await csv('/personal/statistik.csv?figure=orientation');
    expect(orientation).toEqual([
      ['Utbildning', 'Gruppledare', 'Aktiva'],
      ['Komet för tonårsföräldrar', '2', '1'],
      ['Komet gruppledarutbildning', '2', '2'],
      ['Ingen registrerad utbildning', '3', '0'],
    ]);
    // Södermalm: the demo leader, L1 (active) and L4; Rinkeby-Kista: the demo leader, L2 (active, by course) and L3.
    expect(await csv('/personal/statistik.csv?figure=leaders&district=sodermalm')).toEqual([['Gruppledare', 'Antal'], ['Gruppledare', '3'], ['Aktiva gruppledare', '1']]);
    expect(await csv('/personal/statistik.csv?figure=leaders&district=rinkeby-kista')).toEqual([['Gruppledare', 'Antal'], ['Gruppledare', '3'], ['Aktiva gruppledare', '1']]);
  });

  it('counts parents per district: applied, started, completed, rate and waiting time', async () => {
    const html = await (await central.get('/personal/statistik')).text();
    const rows = table(html, 'participation');
    expect(rows.get(districtId('sodermalm'))).toEqual(['8', '4', '2']);
    expect(rows.get(districtId('rinkeby-kista'))).toEqual(['3', '3', '1']);
    expect(rows.get('none')).toEqual(['3', '2', '1']);
    expect(rows.get('total')).toEqual(['14', '9', '4']);

    expect(await csv('/personal/statistik.csv?figure=participation')).toEqual([
      ['Stadsdel', 'Anmälda', 'Påbörjade', 'Fullföljda'],
      ['Rinkeby-Kista', '3', '3', '1'],
      ['Södermalm', '8', '4', '2'],
      ['Ingen stadsdel (webbkurs)', '3', '2', '1'],
      ['Totalt', '14', '9', '4'],
    ]);
    expect(await csv('/personal/statistik.csv?figure=completion')).toEqual([
      ['Stadsdel', 'Påbörjade', 'Fullföljda', 'Andel fullföljda'],
      ['Rinkeby-Kista', '3', '1', '33,3'],
      ['Södermalm', '4', '2', '50,0'],
      ['Ingen stadsdel (webbkurs)', '2', '1', '50,0'],
      ['Totalt', '9', '4', '44,4'],
    ]);
    // Waits: Rinkeby 35 10 6; Södermalm 31 21 11 6; web 3 10; all nine: median 10, mean 133 / 9.
    expect(await csv('/personal/statistik.csv?figure=waiting')).toEqual([
      ['Stadsdel', 'Påbörjade', 'Median (dygn)', 'Medelvärde (dygn)'],
      ['Rinkeby-Kista', '3', '10,00', '17,00'],
      ['Södermalm', '4', '16,00', '17,25'],
      ['Ingen stadsdel (webbkurs)', '2', '6,50', '6,50'],
      ['Totalt', '9', '10,00', '14,78'],
    ]);
  });

  it('breaks down by term (Stockholm time) and course kind, and filters', async () => {
    // VT 2025: S1's six and the web course's May case; HT 2025: the rest (the web case of 30 June 22:30 UTC included).
    expect(await csv('/personal/statistik.csv?figure=participation&by=term')).toEqual([
      ['Termin', 'Anmälda', 'Påbörjade', 'Fullföljda'],
      ['VT 2025', '7', '5', '2'],
      ['HT 2025', '7', '4', '2'],
      ['Totalt', '14', '9', '4'],
    ]);
    expect(await csv('/personal/statistik.csv?figure=waiting&by=term')).toEqual([
      ['Termin', 'Påbörjade', 'Median (dygn)', 'Medelvärde (dygn)'],
      ['VT 2025', '5', '11,00', '14,40'],
      ['HT 2025', '4', '10,00', '15,25'],
      ['Totalt', '9', '10,00', '14,78'],
    ]);
    expect(await csv('/personal/statistik.csv?figure=participation&by=kind')).toEqual([
      ['Kursform', 'Anmälda', 'Påbörjade', 'Fullföljda'],
      ['Föräldragrupp i stadsdel', '11', '7', '3'],
      ['Webbkurs med guide', '3', '2', '1'],
      ['Totalt', '14', '9', '4'],
    ]);
    expect(await csv('/personal/statistik.csv?figure=participation&term=VT2025&kind=groupCourse')).toEqual([
      ['Stadsdel', 'Anmälda', 'Påbörjade', 'Fullföljda'],
      ['Södermalm', '6', '4', '2'],
      ['Totalt', '6', '4', '2'],
    ]);
    const page = await (await central.get('/personal/statistik?district=rinkeby-kista&kind=webCourse')).text();
    expect(page).toContain('Det finns inga anmälningar i urvalet.');
    expect(page).toContain('Det finns inga enkätsvar i urvalet.');
  });

  it('shows feedback per district and hides the group with four answers everywhere', async () => {
    const html = await (await central.get('/personal/statistik')).text();
    const delivery = table(html, 'delivery');
    expect(delivery.get(districtId('sodermalm'))).toEqual(['6', '4,0']);
    expect(delivery.get('total')).toEqual(['10', '3,0']);
    // Rinkeby-Kista's four answers: one cell saying so, no numbers, and a note instead of a bar.
    const rinkebyRow = new RegExp(`<tr data-row="${districtId('rinkeby-kista')}">\\s*<th scope="row">Rinkeby-Kista</th>\\s*<td colspan="2" data-hidden>För få svar för att visas</td>`);
    expect(html.slice(html.indexOf('data-figure="delivery"'))).toMatch(rinkebyRow);
    const chart = html.slice(html.indexOf('id="chart-delivery-title"'), html.indexOf('</svg>', html.indexOf('id="chart-delivery-title"')));
    expect(chart).toContain('Rinkeby-Kista</text>');
    expect(chart).toContain('För få svar</text>');
    expect(chart).not.toContain('>1,5<');

    expect(await csv('/personal/statistik.csv?figure=delivery')).toEqual([
      ['Stadsdel', 'Antal svar', 'Medelvärde (1–5)'],
      ['Rinkeby-Kista', 'För få svar för att visas', 'För få svar för att visas'],
      ['Södermalm', '6', '4,00'],
      ['Totalt', '10', '3,00'],
    ]);
    // Quality: Södermalm (24 + 27) / 12; all (24 + 27 + 8 + 4) / 20.
    expect(await csv('/personal/statistik.csv?figure=quality')).toEqual([
      ['Stadsdel', 'Antal svar', 'Medelvärde (1–5)'],
      ['Rinkeby-Kista', 'För få svar för att visas', 'För få svar för att visas'],
      ['Södermalm', '6', '4,25'],
      ['Totalt', '10', '3,15'],
    ]);
    // Fidelity: Södermalm's five session evaluations, 82 / 20; Rinkeby-Kista has none.
    expect(await csv('/personal/statistik.csv?figure=fidelity')).toEqual([
      ['Stadsdel', 'Antal svar', 'Medelvärde (1–5)'],
      ['Södermalm', '5', '4,10'],
      ['Totalt', '5', '4,10'],
    ]);
    // HT 2025 holds only Rinkeby-Kista's four: the total is too small as well.
    expect(await csv('/personal/statistik.csv?figure=delivery&term=HT2025')).toEqual([
      ['Stadsdel', 'Antal svar', 'Medelvärde (1–5)'],
      ['Rinkeby-Kista', 'För få svar för att visas', 'För få svar för att visas'],
      ['Totalt', 'För få svar för att visas', 'För få svar för att visas'],
    ]);
  });

  it('shows the pre/post effect over pairs, and hides a question with four pairs', async () => {
    // childListens over seven pairs (S1's six and R1's Q1): before 14 / 7, after 25 / 7, change 11 / 7.
    expect(await csv('/personal/statistik.csv?figure=effect')).toEqual([
      ['Fråga', 'Antal par', 'Före (1–5)', 'Efter (1–5)', 'Förändring'],
      ['1. Mitt barn gör oftast som jag ber om utan långa diskussioner.', '7', '2,00', '3,57', '1,57'],
      ['5. Jag kan hålla mig lugn när mitt barn är argt eller trotsigt.', 'För få svar för att visas', 'För få svar för att visas', 'För få svar för att visas', 'För få svar för att visas'],
    ]);
    const html = await (await central.get('/personal/statistik?district=sodermalm')).text();
    expect(table(html, 'effect').get('childListens')).toEqual(['6', '2,2', '3,3', '+1,17']);
    // Rinkeby-Kista has one pair: the figure is hidden.
    const rinkeby = await (await central.get('/personal/statistik?district=rinkeby-kista')).text();
    expect(rinkeby).toContain('För få par för att visas (färre än 5).');
    expect(rinkeby).not.toContain('data-figure="effect"');
    expect(await csv('/personal/statistik.csv?figure=effect&district=rinkeby-kista')).toEqual([
      ['Fråga', 'Antal par', 'Före (1–5)', 'Efter (1–5)', 'Förändring'],
      ['För få par för att visas (färre än 5).'],
    ]);
  });

  it('answers a bad filter with the form and its message, never a 500', async () => {
    for (const query of ['district=atlantis', 'term=HT20', 'kind=training', 'by=person', 'term=%3Cscript%3E', 'district=S%C3%B6dermalm']) {
      const res = await central.get(`/personal/statistik?${query}`);
      expect(res.status, query).toBe(400);
      const html = await res.text();
      expect(html).toContain('Rätta urvalet ovan för att se statistiken.');
      expect(html).not.toContain('<script>');
    }
    const both = await (await central.get('/personal/statistik?district=atlantis&term=HT20')).text();
    expect(both).toContain('Välj en stadsdel i listan.');
    expect(both).toContain('Välj en termin i listan, till exempel VT 2026.');
    const csvRes = await central.get('/personal/statistik.csv?figure=participation&term=XX');
    expect(csvRes.status).toBe(303);
    expect((await central.get('/personal/statistik.csv?figure=nothing')).status).toBe(400);
    expect((await central.get('/personal/statistik.csv')).status).toBe(400);
  });

  it('offers the terms from the first application to now', async () => {
    const html = await (await central.get('/personal/statistik')).text();
    expect(html).toContain('<option value="VT2025" >VT 2025</option>');
    const today = stockholmDateString(new Date());
    const current = `${Number(today.slice(5, 7)) > 6 ? 'HT' : 'VT'}${today.slice(0, 4)}`;
    expect(html).toContain(`<option value="${current}" >`);
    expect(html).not.toContain('value="HT2024"');
  });
});
