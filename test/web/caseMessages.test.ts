// Messages on a case (item 10): the parent in "Mina ärenden" and the case's staff write to each
// other; each message is a case event; the other side is told without the content; nobody else
// can read or write (404).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { eventually } from '../support/eventually';
import { startStack, TEST_PERSONNUMMER, type TestStack } from '../support/stack';
import { VALID_FORM, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let parent: WebClient;
let leader: WebClient;
let caseNumber: string;
let parentEmail: string;

const SECRET = 'Min son har svårt att sova <script>alert(1)</script>';

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  const course = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } });
  parent = new WebClient(app);
  parentEmail = `p-${randomUUID().slice(0, 8)}@example.org`;
  await parent.login(db, parentEmail);
  const res = await parent.post(`/kurser/${course.id}/ansok`, { ...VALID_FORM, personnummer: TEST_PERSONNUMMER[0], submissionKey: randomUUID() });
  caseNumber = /KOM-\d{4}-\d{6}/.exec(res.headers.get('location') ?? '')![0];
  leader = await WebClient.loggedIn(app, db, DEMO_STAFF.leaderSodermalm);
});
afterAll(async () => stack?.stop());

const messagesOf = (cn: string) => stack.deps.db.caseEvent.findMany({ where: { application: { caseNumber: cn }, type: 'message' }, orderBy: { createdAt: 'asc' } });
const notificationsFor = (key: string) => stack.deps.db.notification.findMany({ where: { idempotencyKey: { startsWith: key } } });

describe('messages between parent and staff', () => {
  it('stores the parent’s message as a case event and tells the course’s leader without the content', async () => {
    const res = await parent.post(`/mina-arenden/${caseNumber}/meddelanden`, { body: `  ${SECRET}\r\nRad två  ` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/mina-arenden/${caseNumber}?meddelande=skickat#meddelanden`);

    const [event] = await messagesOf(caseNumber);
    const parentId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: parentEmail } })).id;
    expect(event.actor).toBe(parentId);
    expect(event.data).toEqual({ body: `${SECRET}\nRad två`, from: 'parent' });

    // The course's contact person (the Södermalm leader) is told; the text stays in the case.
    const sent = await notificationsFor(`message:${event.id}`);
    expect(sent.map((n) => n.recipient)).toContain(DEMO_STAFF.leaderSodermalm);
    expect(sent.map((n) => n.recipient)).not.toContain(parentEmail);
    for (const n of sent) {
      expect(n.body + n.subject).not.toContain('svårt att sova');
      expect(n.body + n.subject).not.toContain('Rad två');
    }
    expect(sent.find((n) => n.channel === 'email')!.body).toContain(`/personal/ansokningar/${caseNumber}`);

    // The parent's page shows it escaped, lines kept by CSS, as "Du".
    const page = await (await parent.get(`/mina-arenden/${caseNumber}?meddelande=skickat`)).text();
    expect(page).toContain('Meddelandet är skickat.');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\nRad två');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toMatch(/<strong>Du<\/strong>/);
    // Messages are a thread, not lines of the timeline.
    expect(page).not.toContain('events.message');
  });

  it('lets the leader read and answer on the staff case page, and tells the parent without the content', async () => {
    const staffPage = await (await leader.get(`/personal/ansokningar/${caseNumber}`)).text();
    expect(staffPage).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(staffPage).toMatch(/<strong>Maria Andersson<\/strong> \(Förälder\)/);
    expect(staffPage).not.toContain('events.message');

    const res = await leader.post(`/personal/ansokningar/${caseNumber}/meddelanden`, { body: 'Tack! Vi pratar om sömn på träff 3.' });
    expect(res.status).toBe(303);
    const reply = (await messagesOf(caseNumber))[1];
    expect(reply.data).toEqual({ body: 'Tack! Vi pratar om sömn på träff 3.', from: 'staff' });

    const [mail] = (await notificationsFor(`message:${reply.id}`)).filter((n) => n.channel === 'email');
    expect(mail.recipient).toBe(parentEmail);
    expect(mail.idempotencyKey).toBe(`message:${reply.id}`);
    expect(mail.body + mail.subject).not.toContain('sömn');

    // Newest last, with who and when: the parent sees the leader's role and name.
    const page = await (await parent.get(`/mina-arenden/${caseNumber}`)).text();
    const thread = page.slice(page.indexOf('class="message-thread"'));
    expect(thread.indexOf('svårt att sova')).toBeLessThan(thread.indexOf('Vi pratar om sömn'));
    expect(thread).toMatch(/<strong>Sara Lind<\/strong> \(Gruppledare\)/);
    expect(thread).toMatch(/<time datetime="[^"]+">/);
  });

  it('refuses an empty, blank or too long message beside the field and stores nothing', async () => {
    const before = (await messagesOf(caseNumber)).length;
    const notificationsBefore = await stack.deps.db.notification.count();
    for (const [body, message] of [
      ['', 'Skriv ett meddelande.'],
      [' \n\t  \r\n', 'Skriv ett meddelande.'],
      ['a'.repeat(4001), 'Meddelandet får vara högst 4000 tecken.'],
    ]) {
      const res = await parent.post(`/mina-arenden/${caseNumber}/meddelanden`, { body });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(`<span class="visually-hidden">Fel: </span>${message}`);
      expect(html).toMatch(/<textarea id="f-body"[^>]*aria-invalid="true"/);
    }
    const staffRes = await leader.post(`/personal/ansokningar/${caseNumber}/meddelanden`, { body: '   ' });
    expect(staffRes.status).toBe(422);
    expect((await messagesOf(caseNumber)).length).toBe(before);
    expect(await stack.deps.db.notification.count()).toBe(notificationsBefore);

    // Exactly 4000 characters is fine.
    expect((await parent.post(`/mina-arenden/${caseNumber}/meddelanden`, { body: 'ö'.repeat(4000) })).status).toBe(303);
  });

  it('gives htmx the refused form as 200 so it can swap the thread section', async () => {
    const res = await app.request(`/mina-arenden/${caseNumber}/meddelanden`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: parent.cookie('komet_csrf')!, body: '' }),
      headers: {
        cookie: `komet_session=${parent.cookie('komet_session')}; komet_csrf=${parent.cookie('komet_csrf')}`,
        origin: 'http://localhost',
        'content-type': 'application/x-www-form-urlencoded',
        'hx-request': 'true',
      },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<section id="meddelanden"');
  });

  it('answers 404 to another parent and to another district’s leader, and stores nothing', async () => {
    const before = (await messagesOf(caseNumber)).length;
    const stranger = await WebClient.loggedIn(app, stack.deps.db, `s-${randomUUID().slice(0, 8)}@example.org`);
    expect((await stranger.get(`/mina-arenden/${caseNumber}`)).status).toBe(404);
    expect((await stranger.post(`/mina-arenden/${caseNumber}/meddelanden`, { body: 'Hej' })).status).toBe(404);

    const rinkeby = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderRinkeby);
    expect((await rinkeby.get(`/personal/ansokningar/${caseNumber}`)).status).toBe(404);
    expect((await rinkeby.post(`/personal/ansokningar/${caseNumber}/meddelanden`, { body: 'Hej' })).status).toBe(404);
    expect((await messagesOf(caseNumber)).length).toBe(before);
  });
});

describe('messages in a web course', () => {
  it('go between the parent and their guide only', async () => {
    const db = stack.deps.db;
    const guideEmail = `guide-${randomUUID().slice(0, 8)}@komet.example`;
    const guide = await db.person.create({ data: { email: guideEmail, name: 'Gunilla Guide', phone: null } });
    await db.roleGrant.create({ data: { personId: guide.id, role: 'guide' } });
    const course = await db.course.create({ data: { kind: 'webCourse', title: 'Komet på webben', capacity: 50 } });
    // A contact person of the course who is not this parent's guide must not be told.
    const other = await db.person.create({ data: { email: `annan-${randomUUID().slice(0, 8)}@komet.example`, name: 'Annan Guide' } });
    await db.courseContact.create({ data: { courseId: course.id, personId: other.id, title: 'Guide' } });
    const webParent = await db.person.create({ data: { email: 'webbforalder@example.org', name: 'Wera Webb', phone: null } });
    const cn = 'KOM-2026-990001';
    await db.application.create({
      data: {
        caseNumber: cn,
        kind: 'webCourse',
        personId: webParent.id,
        courseId: course.id,
        status: 'admitted',
        answers: { childAge: 9, message: '' },
        guideId: guide.id,
        idempotencyKey: 'seed:web',
        workflowId: 'seed-web',
      },
    });
    const parentClient = await WebClient.loggedIn(app, db, webParent.email);
    expect((await parentClient.post(`/mina-arenden/${cn}/meddelanden`, { body: 'Modul 2 var svår.' })).status).toBe(303);
    const [question] = await messagesOf(cn);
    const told = await notificationsFor(`message:${question.id}`);
    expect(told.map((n) => n.recipient)).toEqual([guideEmail]);

    const guideClient = await WebClient.loggedIn(app, db, guide.email);
    expect(await (await guideClient.get(`/personal/ansokningar/${cn}`)).text()).toContain('Modul 2 var svår.');
    expect((await guideClient.post(`/personal/ansokningar/${cn}/meddelanden`, { body: 'Vi tar det på fredag.' })).status).toBe(303);
    await eventually(async () => {
      const page = await (await parentClient.get(`/mina-arenden/${cn}`)).text();
      expect(page).toMatch(/<strong>Gunilla Guide<\/strong> \(Guide\)/);
    });
    // A guide sees only the parents they guide.
    expect((await guideClient.get(`/personal/ansokningar/${caseNumber}`)).status).toBe(404);
  });
});
