// The group leader's working list (R3.3, R3.4): filters, search and pages over the courses they
// handle, CSV export of a filter, bulk decisions through each case's workflow, and removing a
// participant (R2.9). List tests seed rows directly; decisions use real workflows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTypes } from '../../lib/db';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { parentApplies } from '../support/parentApplies';
import { ORIGIN, WebClient } from '../support/webClient';
import { DECISION_STATUS } from '../../rules/caseStatus';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let leader: WebClient;
let rinkebyLeader: WebClient;
let svCourse: { id: string };
let enCourse: { id: string };
let rinkebyCourse: { id: string };

const SEEDED_PNR = '19700101-1234';

type Status = DbTypes.$Enums.ApplicationStatus;

/** One application row without a workflow: the list reads the database only. */
async function seedApplication(caseNumber: string, courseId: string, status: Status, submittedAt: Date, person: { email: string; name: string; phone?: string | null; personnummer?: string }) {
  const db = stack.deps.db;
  const applicant = await db.person.create({ data: { phone: null, ...person } });
  await db.application.create({
    data: {
      caseNumber,
      kind: 'groupCourse',
      personId: applicant.id,
      courseId,
      status,
      answers: { childAge: 5, message: '' },
      submittedAt,
      idempotencyKey: `seed:${caseNumber}`,
      workflowId: `seed-${caseNumber}`,
    },
  });
}

/** 24 applications in the Swedish course, 6 in the English one, 3 in Rinkeby; noon UTC on 1–24 March 2026. */
async function seedApplications() {
  const rows: { course: string; status: Status; day: number; name: string; email: string; phone: string | null }[] = [];
  for (let i = 1; i <= 24; i++) {
    const status = i <= 10 ? 'submitted' : i <= 16 ? 'queued' : i <= 22 ? 'admitted' : 'withdrawn';
    rows.push({ course: svCourse.id, status, day: i, name: `Förälder Nummer${i}`, email: `foralder${i}@example.org`, phone: '+46701110000' });
  }
  for (let i = 1; i <= 6; i++) rows.push({ course: enCourse.id, status: 'submitted', day: i, name: `Parent En${i}`, email: `en${i}@example.org`, phone: null });
  for (let i = 1; i <= 3; i++) rows.push({ course: rinkebyCourse.id, status: 'submitted', day: i, name: `Rinkeby Förälder${i}`, email: `rinkeby${i}@example.org`, phone: null });
  let serial = 900_000;
  for (const r of rows) {
    serial += 1;
    await seedApplication(`KOM-2026-${serial}`, r.course, r.status, new Date(Date.UTC(2026, 2, r.day, 12)), { email: r.email, name: r.name, phone: r.phone });
  }
  // Cells a spreadsheet would read as formulas or split, and a personnummer that must not leave.
  // 23:30 UTC on 10 March is 00:30 on 11 March in Stockholm (CET).
  await seedApplication('KOM-2026-950001', enCourse.id, 'queued', new Date(Date.UTC(2026, 2, 10, 23, 30)), {
    email: 'tricky@example.org',
    name: '=HYPERLINK("http://evil.example";"klicka")',
    phone: '+46709998877',
    personnummer: SEEDED_PNR,
  });
  // Summer time: 10:00 UTC is 12:00 in Stockholm.
  await seedApplication('KOM-2026-950002', enCourse.id, 'submitted', new Date(Date.UTC(2026, 6, 1, 10, 0)), { email: 'semi@example.org', name: '@Berg; "Eva"' });
}

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  svCourse = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } });
  enCourse = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'en' } });
  rinkebyCourse = await db.course.findFirstOrThrow({ where: { district: { slug: 'rinkeby-kista' }, language: 'sv' } });
  await seedApplications();
  leader = await WebClient.loggedIn(app, db, DEMO_STAFF.leaderSodermalm);
  rinkebyLeader = await WebClient.loggedIn(app, db, DEMO_STAFF.leaderRinkeby);
});
afterAll(async () => stack?.stop());

const caseNumbersIn = (html: string) => [...new Set([...html.matchAll(/id="row-(KOM-\d{4}-\d{6})"/g)].map((m) => m[1]))];

describe('working list', () => {
  it('filters by course and status and pages 25 at a time with the total and page links', async () => {
    const first = await (await leader.get(`/personal/ansokningar?status=all&course=${svCourse.id}`)).text();
    expect(first).toContain('24 anmälningar, visar 1–24');
    expect(first).not.toContain('aria-label="Sidor"');
    const all = await (await leader.get('/personal/ansokningar?status=all')).text();
    // 24 + 6 + 2 tricky ones in Södermalm; Rinkeby's 3 are not the leader's.
    expect(all).toContain('32 anmälningar, visar 1–25');
    expect(caseNumbersIn(all)).toHaveLength(25);
    expect(all).toContain('href="/personal/ansokningar?status=all&amp;page=2"');
    expect(all).toContain('<span aria-current="page">Sida 1</span>');
    const second = await (await leader.get('/personal/ansokningar?status=all&page=2')).text();
    expect(second).toContain('32 anmälningar, visar 26–32');
    expect(caseNumbersIn(second)).toHaveLength(7);
    expect(new Set([...caseNumbersIn(all), ...caseNumbersIn(second)]).size).toBe(32);
    expect(all + second).not.toContain('Rinkeby Förälder');

    const queued = await (await leader.get(`/personal/ansokningar?status=queued&course=${svCourse.id}`)).text();
    expect(caseNumbersIn(queued)).toHaveLength(6);
    expect(queued).not.toMatch(/badge-(submitted|admitted)/);
    const withdrawn = await (await leader.get('/personal/ansokningar?status=withdrawn')).text();
    expect(caseNumbersIn(withdrawn)).toHaveLength(2);
    expect(withdrawn).toContain('Återtagen');
    // The default is what waits for the leader: new and queued.
    const todo = await (await leader.get('/personal/ansokningar')).text();
    expect(todo).toContain('24 anmälningar');
  });

  it('filters by submitted date range in Stockholm days', async () => {
    const html = await (await leader.get(`/personal/ansokningar?status=all&course=${svCourse.id}&from=2026-03-05&to=2026-03-07`)).text();
    expect(caseNumbersIn(html)).toEqual(['KOM-2026-900005', 'KOM-2026-900006', 'KOM-2026-900007']);
    // 00:30 on 11 March Stockholm time belongs to the 11th, although it is still the 10th in UTC.
    const eleventh = await (await leader.get(`/personal/ansokningar?status=all&course=${enCourse.id}&from=2026-03-11&to=2026-03-11`)).text();
    expect(caseNumbersIn(eleventh)).toEqual(['KOM-2026-950001']);
  });

  it('searches case number, name and e-mail without regard to case', async () => {
    const byName = await (await leader.get('/personal/ansokningar?status=all&q=NUMMER12')).text();
    expect(caseNumbersIn(byName)).toEqual(['KOM-2026-900012']);
    const byEmail = await (await leader.get('/personal/ansokningar?status=all&q=EN3%40EXAMPLE')).text();
    expect(caseNumbersIn(byEmail)).toEqual(['KOM-2026-900027']);
    const byNumber = await (await leader.get('/personal/ansokningar?status=all&q=kom-2026-90002')).text();
    expect(caseNumbersIn(byNumber)).toHaveLength(10);
    // Another district's applicant is not found, however well the search matches.
    const other = await (await leader.get('/personal/ansokningar?status=all&q=rinkeby')).text();
    expect(other).toContain('Inga anmälningar matchar filtret.');
  });

  it('explains invalid filter values beside the field instead of failing', async () => {
    const badDate = await leader.get('/personal/ansokningar?from=2026-02-30');
    expect(badDate.status).toBe(400);
    const html = await badDate.text();
    expect(html).toContain('Skriv datumet som ÅÅÅÅ-MM-DD');
    expect(html).toMatch(/id="f-from"[^>]*aria-invalid="true"/);
    const range = await (await leader.get('/personal/ansokningar?from=2026-03-10&to=2026-03-01')).text();
    expect(range).toContain('Till-datumet kan inte vara före från-datumet.');
    for (const query of ['from=nonsense', 'to=31%2F12%2F2026', 'status=deleted', 'course=not-a-uuid', 'page=abc', `q=${'x'.repeat(101)}`]) {
      const res = await leader.get(`/personal/ansokningar?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text(), query).toContain('error-summary');
    }
    // A page past the end shows the last page.
    const past = await (await leader.get('/personal/ansokningar?status=all&page=99')).text();
    expect(past).toContain('visar 26–32');
  });

  it('swaps only the list for the htmx-upgraded filter form', async () => {
    const res = await leader.get('/personal/ansokningar?status=queued', { 'hx-request': 'true', 'hx-target': 'working-list' });
    const html = await res.text();
    expect(html.trimStart().startsWith('<div id="working-list">')).toBe(true);
    expect(html).not.toContain('<html');
    expect(html).toContain('badge-queued');
  });

  it('keeps the leader of another district out of the list', async () => {
    const html = await (await rinkebyLeader.get('/personal/ansokningar?status=all')).text();
    expect(caseNumbersIn(html)).toEqual(['KOM-2026-900031', 'KOM-2026-900032', 'KOM-2026-900033']);
    expect(html).not.toContain('Nummer1');
  });
});

describe('CSV export', () => {
  it('exports every page of the filter for Swedish Excel, defused against formulas, without personnummer', async () => {
    const res = await leader.get('/personal/ansokningar/export?status=all');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="anmalningar-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('Ärendenummer;Kurs;Stadsdel;Status;Inskickad;Namn;E-post;Telefon');
    expect(lines).toHaveLength(1 + 32);
    expect(text).not.toContain('Rinkeby');
    expect(text).not.toContain(SEEDED_PNR);
    expect(text).not.toContain('197001011234');

    const tricky = lines.find((l) => l.startsWith('KOM-2026-950001'))!;
    expect(tricky).toBe(
      `KOM-2026-950001;Komet på engelska;Södermalm;I kö;2026-03-11 00:30;"'=HYPERLINK(""http://evil.example"";""klicka"")";tricky@example.org;'+46709998877`,
    );
    const semi = lines.find((l) => l.startsWith('KOM-2026-950002'))!;
    expect(semi).toBe(`KOM-2026-950002;Komet på engelska;Södermalm;Mottagen;2026-07-01 12:00;"'@Berg; ""Eva""";semi@example.org;`);
    expect(lines.find((l) => l.startsWith('KOM-2026-900017'))).toContain(';Antagen;');
  });

  it('exports only the filtered rows', async () => {
    const text = await (await leader.get(`/personal/ansokningar/export?status=queued&course=${svCourse.id}`)).text();
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(1 + 6);
  });

  it('sends an invalid filter back to the list with the message', async () => {
    const res = await leader.get('/personal/ansokningar/export?from=nonsense');
    expect(res.status).toBe(303);
    const page = await leader.get(res.headers.get('location')!);
    expect(await page.text()).toContain('Skriv datumet som ÅÅÅÅ-MM-DD');
  });
});

/** A form post with repeated fields (checkboxes), as a browser sends it. */
async function postRepeated(client: WebClient, path: string, entries: [string, string][]) {
  const csrf = client.cookie('komet_csrf') ?? '';
  const cookie = `komet_session=${client.cookie('komet_session')}; komet_csrf=${csrf}`;
  return app.request(path, {
    method: 'POST',
    body: new URLSearchParams([['_csrf', csrf], ...entries]),
    headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const applyAsNewParent = async (courseId: string): Promise<string> => (await parentApplies(stack, app, courseId)).caseNumber;

describe('bulk decisions and removal', () => {
  let cases: string[] = [];
  const statusOf = async (caseNumber: string) => (await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status;

  beforeAll(async () => {
    // A fresh course of three seats, so the seeded rows do not count against it.
    const course = await stack.deps.db.course.create({
      data: { kind: 'groupCourse', title: 'Komet, kvällsgrupp', districtId: (await stack.deps.db.district.findUniqueOrThrow({ where: { slug: 'sodermalm' } })).id, capacity: 3 },
    });
    for (let i = 0; i < 4; i++) cases.push(await applyAsNewParent(course.id));
  });

  it('asks for confirmation first, then admits up to capacity one after another and sums up the rest', async () => {
    const picks = cases.map((n): [string, string] => ['cases', n]);
    const confirm = await postRepeated(leader, '/personal/ansokningar/massbeslut', [['decision', 'admit'], ['back', 'status=todo'], ...picks]);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain('Du håller på att anta 4 anmälningar');
    // The same capacity rule tells beforehand what will happen (R3.4).
    expect(page).toContain('Det finns plats för 3 av dem. 1 ställs i kö automatiskt');
    for (const n of cases) expect(page).toContain(`name="cases" value="${n}"`);
    for (const n of cases) expect(await statusOf(n)).toBe('submitted');

    const done = await postRepeated(leader, '/personal/ansokningar/massbeslut', [['decision', 'admit'], ['confirm', 'yes'], ['back', 'status=todo'], ...picks]);
    expect(done.status).toBe(200);
    const summary = /id="bulk-summary">([^<]*)</.exec(await done.text())![1];
    // The one who did not fit goes to the queue automatically, with the queue notice (R3.4).
    expect(summary).toBe(`3 antagna, 1 ställd i kö eftersom kursen blev full (${cases[3]})`);
    const { admit, queue } = DECISION_STATUS;
    expect(await Promise.all(cases.map(statusOf))).toEqual([admit, admit, admit, queue]);
    await eventually(async () =>
      expect(await stack.deps.db.caseEvent.count({ where: { application: { caseNumber: cases[3] }, type: 'notice.queued' } })).toBe(1),
    );
    const leaderId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
    expect(await stack.deps.db.caseEvent.count({ where: { type: 'decision.admitted', actor: leaderId } })).toBe(3);
  });

  it('reports cases outside the leader’s courses and refuses an empty selection', async () => {
    cases.push(await applyAsNewParent((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: cases[0] } })).courseId));
    const res = await postRepeated(leader, '/personal/ansokningar/massbeslut', [
      ['decision', 'queue'],
      ['confirm', 'yes'],
      ['cases', cases[4]],
      ['cases', 'KOM-2026-900031'], // Rinkeby
    ]);
    const summary = /id="bulk-summary">([^<]*)</.exec(await res.text())![1];
    expect(summary).toBe('1 ställd i kö, 1 finns inte bland dina anmälningar (KOM-2026-900031)');
    expect(await statusOf('KOM-2026-900031')).toBe('submitted');
    await eventually(async () => expect(await statusOf(cases[4])).toBe('queued'));

    const none = await postRepeated(leader, '/personal/ansokningar/massbeslut', [['decision', 'admit'], ['confirm', 'yes']]);
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('Du har inte markerat några anmälningar');
  });

  it('removes a participant after confirmation through the case workflow', async () => {
    const caseNumber = cases[0];
    const casePage = await (await leader.get(`/personal/ansokningar/${caseNumber}`)).text();
    expect(casePage).toContain(`href="/personal/ansokningar/${caseNumber}/ta-bort"`);
    const confirm = await (await leader.get(`/personal/ansokningar/${caseNumber}/ta-bort`)).text();
    expect(confirm).toContain(`Ta bort ${caseNumber} ur kursen?`);
    expect(await statusOf(caseNumber)).toBe('admitted');

    // Another district's leader cannot even see that the case exists.
    expect((await rinkebyLeader.post(`/personal/ansokningar/${caseNumber}/ta-bort`, {})).status).toBe(404);
    expect((await rinkebyLeader.get(`/personal/ansokningar/${caseNumber}/ta-bort`)).status).toBe(404);

    const res = await leader.post(`/personal/ansokningar/${caseNumber}/ta-bort`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/personal/ansokningar/${caseNumber}?borttagen=done`);
    await eventually(async () => expect(await statusOf(caseNumber)).toBe('withdrawn'));
  });
});
