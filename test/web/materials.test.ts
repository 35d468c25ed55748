// Course material (R2.7, R3.3, R5.1, R5.4): staff upload checked files for their own courses only;
// an admitted parent sees a session's material from its start and a web-course module's material
// from reaching the module; everything else answers 404.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { ORIGIN, WebClient } from '../support/webClient';

const MAX_BYTES = 4096;
const PDF = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1'));
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let leader: WebClient;
let rinkebyLeader: WebClient;
let courseId: string;
let caseSeq = 0;

beforeAll(async () => {
  stack = await startStack({ MATERIAL_MAX_BYTES: MAX_BYTES });
  app = createApp(stack.deps);
  leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
  rinkebyLeader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderRinkeby);
  courseId = (await stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } })).id;
});
afterAll(async () => stack?.stop());

/** A multipart form post as a browser sends it (the WebClient only posts url-encoded forms). */
async function postMultipart(client: WebClient, path: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array; type?: string }) {
  const form = new FormData();
  form.set('_csrf', client.cookie('komet_csrf') ?? '');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new File([file.bytes], file.name, { type: file.type ?? 'application/octet-stream' }));
  const cookie = ['komet_session', 'komet_csrf'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; ');
  return app.request(path, { method: 'POST', body: form, headers: { cookie, origin: ORIGIN } });
}

const uploadTo = (client: WebClient, course: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array; type?: string }) =>
  postMultipart(client, `/personal/kurser/${course}/material`, fields, file);

const materialCount = (course: string) => stack.deps.db.material.count({ where: { courseId: course } });

async function uploaded(course: string, title: string) {
  return stack.deps.db.material.findFirstOrThrow({ where: { courseId: course, title }, select: { id: true } });
}

/** A logged-in parent with a case in the course, in the given state (set directly in the record). */
async function parentWithCase(course: string, status: 'admitted' | 'queued', currentModule: number | null = null) {
  const client = new WebClient(app);
  const email = `mat-${randomUUID().slice(0, 8)}@example.org`;
  await client.login(stack.deps.db, email);
  const person = await stack.deps.db.person.findUniqueOrThrow({ where: { email } });
  const { kind } = await stack.deps.db.course.findUniqueOrThrow({ where: { id: course } });
  const caseNumber = `KOM-2026-${String(900_000 + ++caseSeq)}`;
  const application = await stack.deps.db.application.create({
    data: {
      caseNumber,
      kind,
      personId: person.id,
      courseId: course,
      status,
      currentModule,
      answers: {},
      idempotencyKey: `test:${caseNumber}`,
      workflowId: `test-${caseNumber}`,
    },
  });
  return { client, caseNumber, applicationId: application.id };
}

describe('staff upload', () => {
  it('stores a checked file and lists it with its details', async () => {
    const session = await stack.deps.db.courseSession.findFirstOrThrow({ where: { courseId }, orderBy: { startsAt: 'asc' } });
    const res = await uploadTo(leader, courseId, { title: 'Övning vecka 1', sessionId: session.id }, { name: 'Övning vecka 1.pdf', bytes: PDF, type: 'application/pdf' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/personal/kurser/${courseId}/material?uppladdat=1`);

    const page = await (await leader.get(res.headers.get('location')!)).text();
    expect(page).toContain('Materialet är uppladdat.');
    expect(page).toContain('<th scope="row">Övning vecka 1</th>');
    expect(page).toContain('<td>Övning vecka 1.pdf</td>');
    expect(page).toContain('<td>PDF</td>');
    expect(page).toContain('Träffen ');
    const stored = await stack.deps.db.material.findFirstOrThrow({ where: { courseId, title: 'Övning vecka 1' } });
    expect(stored).toMatchObject({ mimeType: 'application/pdf', sizeBytes: PDF.length, sessionId: session.id, fileName: 'Övning vecka 1.pdf' });
    expect(Buffer.from(stored.content).equals(Buffer.from(PDF))).toBe(true);
    // The staff list of courses links to the page.
    expect(await (await leader.get('/personal/ansokningar')).text()).toContain(`/personal/kurser/${courseId}/material`);
  });

  it.each([
    ['an executable', { title: 'Program' }, { name: 'setup.exe', bytes: new Uint8Array(Buffer.from('MZ\x90\x00\x03\x00', 'latin1')) }, 'Filtypen är inte tillåten'],
    ['a text file renamed .pdf', { title: 'Fusk' }, { name: 'notes.pdf', bytes: new Uint8Array(Buffer.from('hello, not a pdf')), type: 'application/pdf' }, 'Filtypen är inte tillåten'],
    ['a PNG named .pdf', { title: 'Bild' }, { name: 'bild.pdf', bytes: PNG, type: 'application/pdf' }, 'Filens namn och innehåll stämmer inte överens'],
    ['a file over the limit', { title: 'Stor' }, { name: 'stor.pdf', bytes: new Uint8Array([...PDF, ...new Uint8Array(MAX_BYTES)]) }, 'Filen är för stor'],
    ['an empty file', { title: 'Tom' }, { name: 'tom.pdf', bytes: new Uint8Array(0) }, 'Filen är tom'],
    ['no file', { title: 'Ingen fil' }, { name: '', bytes: new Uint8Array(0) }, 'Välj en fil att ladda upp'],
    ['a missing title', { title: '  ' }, { name: 'ok.pdf', bytes: PDF }, 'Fyll i fältet'],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, { name: 'ok.pdf', bytes: PDF }, 'Titeln får vara högst 200 tecken'],
    ['a session of another course', { title: 'Fel träff', sessionId: randomUUID() }, { name: 'ok.pdf', bytes: PDF }, 'Välj en av kursens träffar'],
  ])('refuses %s with the message beside the field and stores nothing', async (_what, fields, file, message) => {
    const before = await materialCount(courseId);
    const res = await uploadTo(leader, courseId, fields, file);
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('class="error-summary"');
    expect(page).toContain(message);
    expect(page).toMatch(/aria-invalid="true"/);
    expect(await materialCount(courseId)).toBe(before);
  });

  it('keeps the typed title when the file is refused', async () => {
    const page = await (await uploadTo(leader, courseId, { title: 'Min titel' }, { name: 'x.pdf', bytes: new Uint8Array(0) })).text();
    expect(page).toContain('value="Min titel"');
  });

  it('refuses a body far over the limit before reading it, with the same message', async () => {
    const before = await materialCount(courseId);
    const res = await uploadTo(leader, courseId, { title: 'Jätte' }, { name: 'j.pdf', bytes: new Uint8Array([...PDF, ...new Uint8Array(200 * 1024)]) });
    expect(res.status).toBe(303);
    const page = await (await leader.get(res.headers.get('location')!)).text();
    expect(page).toContain('Filen är för stor');
    expect(await materialCount(courseId)).toBe(before);
  });

  it('still demands the CSRF token in a multipart form', async () => {
    const form = new FormData();
    form.set('title', 'Utan token');
    form.set('file', new File([PDF], 'a.pdf'));
    const cookie = `komet_session=${leader.cookie('komet_session')}; komet_csrf=${leader.cookie('komet_csrf')}`;
    const res = await app.request(`/personal/kurser/${courseId}/material`, { method: 'POST', body: form, headers: { cookie, origin: ORIGIN } });
    expect(res.status).toBe(403);
    expect(await stack.deps.db.material.count({ where: { title: 'Utan token' } })).toBe(0);
  });

  it('deletes only after confirmation', async () => {
    await uploadTo(leader, courseId, { title: 'Att ta bort' }, { name: 'bort.pdf', bytes: PDF });
    const { id } = await uploaded(courseId, 'Att ta bort');
    const path = `/personal/kurser/${courseId}/material/${id}/ta-bort`;

    const asked = await leader.post(path, {});
    expect(asked.status).toBe(200);
    const confirmPage = await asked.text();
    expect(confirmPage).toContain('Vill du ta bort ”Att ta bort” (bort.pdf)?');
    expect(confirmPage).toContain('name="confirm" value="yes"');
    expect(await stack.deps.db.material.count({ where: { id } })).toBe(1);
    expect((await leader.get(path)).status).toBe(200);

    const done = await leader.post(path, { confirm: 'yes' });
    expect(done.status).toBe(303);
    expect(await (await leader.get(done.headers.get('location')!)).text()).toContain('Materialet är borttaget.');
    expect(await stack.deps.db.material.count({ where: { id } })).toBe(0);
  });
});

describe('another district', () => {
  it('answers 404 to the page, the upload, the delete and the download', async () => {
    await uploadTo(leader, courseId, { title: 'Södermalms eget' }, { name: 'eget.pdf', bytes: PDF });
    const { id } = await uploaded(courseId, 'Södermalms eget');

    expect((await rinkebyLeader.get(`/personal/kurser/${courseId}/material`)).status).toBe(404);
    const before = await materialCount(courseId);
    expect((await uploadTo(rinkebyLeader, courseId, { title: 'Intrång' }, { name: 'i.pdf', bytes: PDF })).status).toBe(404);
    expect(await materialCount(courseId)).toBe(before);
    expect((await rinkebyLeader.post(`/personal/kurser/${courseId}/material/${id}/ta-bort`, { confirm: 'yes' })).status).toBe(404);
    expect(await stack.deps.db.material.count({ where: { id } })).toBe(1);
    expect((await rinkebyLeader.get(`/material/${id}`)).status).toBe(404);
    // The same as a file that does not exist.
    expect((await rinkebyLeader.get(`/material/${randomUUID()}`)).status).toBe(404);

    const admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
    expect((await admin.get(`/personal/kurser/${courseId}/material`)).status).toBe(200);
    expect((await admin.get(`/material/${id}`)).status).toBe(200);
  });
});

describe('group-course parent', () => {
  it('sees material from the start of its session, or of the first session, and downloads it', async () => {
    const db = stack.deps.db;
    const sessions = await db.courseSession.findMany({ where: { courseId }, orderBy: { startsAt: 'asc' } });
    await uploadTo(leader, courseId, { title: 'Hela kursen' }, { name: 'Föräldrahandbok åäö.pdf', bytes: PDF });
    await uploadTo(leader, courseId, { title: 'Träff två', sessionId: sessions[1].id }, { name: 'tva.png', bytes: PNG });
    const whole = await uploaded(courseId, 'Hela kursen');
    const second = await uploaded(courseId, 'Träff två');
    const { client, caseNumber } = await parentWithCase(courseId, 'admitted');

    // Before the course starts: an empty state, and the files do not exist for the parent.
    let page = await (await client.get(`/mina-arenden/${caseNumber}`)).text();
    expect(page).toContain('Material visas här när kursen eller träffen har börjat.');
    expect(page).not.toContain(`/material/${whole.id}`);
    expect((await client.get(`/material/${whole.id}`)).status).toBe(404);

    // The first session has been held: course-wide material opens, the second session's not yet.
    // (Moved whole, start and end: a room holds one session at a time, issue 13.)
    await db.courseSession.update({ where: { id: sessions[0].id }, data: { startsAt: new Date(Date.now() - 120_000), endsAt: new Date(Date.now() - 60_000) } });
    page = await (await client.get(`/mina-arenden/${caseNumber}`)).text();
    expect(page).toContain(`href="/material/${whole.id}"`);
    expect(page).toContain('Hela kursen');
    expect(page).not.toContain(`/material/${second.id}`);
    expect((await client.get(`/material/${second.id}`)).status).toBe(404);

    const file = await client.get(`/material/${whole.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="Foraldrahandbok aao.pdf"; filename*=UTF-8''F%C3%B6r%C3%A4ldrahandbok%20%C3%A5%C3%A4%C3%B6.pdf`,
    );
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(PDF))).toBe(true);

    // The second session starts.
    await db.courseSession.update({ where: { id: sessions[1].id }, data: { startsAt: new Date(Date.now() - 1000) } });
    page = await (await client.get(`/mina-arenden/${caseNumber}`)).text();
    expect(page).toContain(`href="/material/${second.id}"`);
    const image = await client.get(`/material/${second.id}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
  });

  it('gives a queued parent or a stranger nothing, even after the start', async () => {
    const db = stack.deps.db;
    const first = await db.courseSession.findFirstOrThrow({ where: { courseId }, orderBy: { startsAt: 'asc' } });
    await db.courseSession.update({ where: { id: first.id }, data: { startsAt: new Date(Date.now() - 180_000), endsAt: new Date(Date.now() - 150_000) } });
    await uploadTo(leader, courseId, { title: 'Bara för antagna' }, { name: 'antagna.pdf', bytes: PDF });
    const { id } = await uploaded(courseId, 'Bara för antagna');

    const queued = await parentWithCase(courseId, 'queued');
    const page = await (await queued.client.get(`/mina-arenden/${queued.caseNumber}`)).text();
    expect(page).not.toContain('Kursmaterial');
    expect((await queued.client.get(`/material/${id}`)).status).toBe(404);

    const otherCourse = await db.course.findFirstOrThrow({ where: { district: { slug: 'rinkeby-kista' } } });
    const elsewhere = await parentWithCase(otherCourse.id, 'admitted');
    expect((await elsewhere.client.get(`/material/${id}`)).status).toBe(404);
    // And staff pages stay closed to parents.
    expect((await elsewhere.client.get(`/personal/kurser/${courseId}/material`)).status).toBe(403);
  });
});

describe('web course', () => {
  it('opens module N’s material when the parent reaches module N, for the course’s guide only', async () => {
    const db = stack.deps.db;
    const course = await db.course.create({
      data: {
        kind: 'webCourse',
        title: 'Komet på webben',
        capacity: 20,
        modules: { create: [1, 2, 3].map((number) => ({ number, title: `Moment ${number}`, body: '' })) },
      },
    });
    const guideEmail = `guide-${randomUUID().slice(0, 8)}@komet.example`;
    const guidePerson = await db.person.create({ data: { email: guideEmail, name: 'Gun Guide' } });
    await db.roleGrant.create({ data: { personId: guidePerson.id, role: 'guide', courseId: course.id } });
    const guide = await WebClient.loggedIn(app, db, guideEmail);

    // The guide handles this course only.
    expect((await guide.get(`/personal/kurser/${courseId}/material`)).status).toBe(404);
    const form = await (await guide.get(`/personal/kurser/${course.id}/material`)).text();
    expect(form).toContain('Modul 3: Moment 3');
    expect(form).not.toContain('name="sessionId"');

    const refused = await uploadTo(guide, course.id, { title: 'Modul fyra', moduleNumber: '4' }, { name: 'm4.pdf', bytes: PDF });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Välj en av kursens moduler.');

    for (const [title, moduleNumber] of [['Välkommen', ''], ['Modul ett', '1'], ['Modul två', '2']]) {
      expect((await uploadTo(guide, course.id, { title, moduleNumber }, { name: `${title}.pdf`, bytes: PDF })).status).toBe(303);
    }
    const welcome = await uploaded(course.id, 'Välkommen');
    const one = await uploaded(course.id, 'Modul ett');
    const two = await uploaded(course.id, 'Modul två');
    expect((await guide.get(`/material/${two.id}`)).status).toBe(200);

    const parent = await parentWithCase(course.id, 'admitted', 1);
    let page = await (await parent.client.get(`/mina-arenden/${parent.caseNumber}`)).text();
    expect(page).toContain(`href="/material/${welcome.id}"`);
    expect(page).toContain(`href="/material/${one.id}"`);
    expect(page).not.toContain(`/material/${two.id}`);
    expect((await parent.client.get(`/material/${one.id}`)).status).toBe(200);
    expect((await parent.client.get(`/material/${two.id}`)).status).toBe(404);

    // The guide signs off module 1: the parent works on module 2 now.
    await db.application.update({ where: { id: parent.applicationId }, data: { currentModule: 2 } });
    page = await (await parent.client.get(`/mina-arenden/${parent.caseNumber}`)).text();
    expect(page).toContain(`href="/material/${two.id}"`);
    expect((await parent.client.get(`/material/${two.id}`)).status).toBe(200);

    // Finished the course: the material stays.
    await db.application.update({ where: { id: parent.applicationId }, data: { status: 'completed' } });
    expect((await parent.client.get(`/material/${two.id}`)).status).toBe(200);
  });
});
