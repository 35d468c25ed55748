// Every automatic message is an editable template (issue 16, R8.3): the login e-mail and the
// notices to staff too, each in the recipient's language, e-mail-only ones without an SMS field,
// and none saved without the link its reader needs.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolmentActivities } from '../../activities/enrolments';
import { postCaseMessage } from '../../lib/cases/messages';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { latestLoginToken, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let admin: WebClient;
const db = () => stack.deps.db;
const page = (key: string, lang = 'sv') => `/personal/admin/meddelanden/${key}/${lang}`;
const lastMailTo = (email: string) => stack.resend.delivered.filter((m) => m.to.includes(email)).at(-1);

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  admin = await WebClient.loggedIn(app, db(), DEMO_STAFF.admin);
});
afterAll(async () => stack?.stop());
afterEach(async () => {
  await db().messageTemplate.deleteMany({});
});

describe('the template list', () => {
  it('groups the messages by who receives them, staff notices and the login e-mail among them', async () => {
    const html = await (await admin.get('/personal/admin/meddelanden')).text();
    for (const heading of ['Till sökande och deltagare', 'Till chefer', 'Till personal', 'Inloggning']) expect(html).toContain(heading);
    for (const key of ['loginLink', 'staffCaseMessage', 'staffNoConsent', 'staffConsentDeclined', 'caseDecision', 'caseOffer', 'caseBundle']) {
      expect(html).toContain(`href="${page(key)}"`);
      expect(html).toContain(`href="${page(key, 'en')}"`);
    }
  });
});

describe('the login e-mail', () => {
  it('has no SMS field, refuses a text without {link}, and the edited text is what a login sends', async () => {
    const editor = await (await admin.get(page('loginLink'))).text();
    expect(editor).not.toContain('name="sms"');
    expect(editor).toContain('Det här meddelandet skickas bara med e-post.');

    const noLink = await admin.post(page('loginLink'), { subject: 'Logga in', body: 'Klicka här inom {minutes} minuter.', action: 'save' });
    expect(noLink.status).toBe(422);
    expect(await noLink.text()).toMatch(/id="f-body-error"[^>]*>.*Texten måste innehålla \{link\}/s);
    expect(await db().messageTemplate.count()).toBe(0);

    const saved = await admin.post(page('loginLink'), { subject: 'Din länk till Mina ärenden', body: 'Logga in här: {link}\nLänken gäller i {minutes} minuter.', action: 'save' });
    expect(saved.status).toBe(303);

    const email = `login-${randomUUID().slice(0, 8)}@example.org`;
    const citizen = await WebClient.loggedIn(app, db(), email);
    const mail = lastMailTo(email)!;
    expect(mail.subject).toBe('Din länk till Mina ärenden');
    expect(mail.text).toMatch(/^Logga in här: http:\/\/\S+\/logga-in\/verifiera\?token=\S+\nLänken gäller i 15 minuter\.$/);
    // The edited link still logs in.
    expect(await latestLoginToken(db(), email)).toBeTruthy();
    expect((await citizen.get('/mina-arenden')).status).toBe(200);
  });

  it('goes out in the person’s language, else in the language of the page they asked from', async () => {
    const english = await db().person.create({ data: { email: `en-${randomUUID().slice(0, 8)}@example.org`, language: 'en' } });
    await new WebClient(app).post('/logga-in', { email: english.email, next: '' });
    expect(lastMailTo(english.email)!.subject).toBe('Your login link to the City of Stockholm');

    const newcomer = `new-${randomUUID().slice(0, 8)}@example.org`;
    await new WebClient(app).post('/logga-in?lang=en', { email: newcomer, next: '' });
    expect(lastMailTo(newcomer)!.subject).toBe('Your login link to the City of Stockholm');
    const swede = `ny-${randomUUID().slice(0, 8)}@example.org`;
    await new WebClient(app).post('/logga-in', { email: swede, next: '' });
    expect(lastMailTo(swede)!.subject).toBe('Din inloggningslänk till Stockholms stad');
  });
});

describe('notices to staff', () => {
  it('a parent’s message reaches the course’s contact with the admin’s edited text, in the staff member’s language', async () => {
    const saved = await admin.post(page('staffCaseMessage'), {
      subject: 'Föräldern har skrivit i {caseNumber}',
      body: 'Öppna ärendet: {link}',
      sms: 'Meddelande i {caseNumber}: {link}',
      action: 'save',
    });
    expect(saved.status).toBe(303);
    const course = await db().course.findFirstOrThrow({ where: { kind: 'groupCourse', contacts: { some: {} } }, include: { contacts: { include: { person: true } } } });
    const parent = await db().person.create({ data: { email: `p-${randomUUID().slice(0, 8)}@example.org` } });
    const application = await db().application.create({
      data: { caseNumber: `KOM-2032-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, kind: 'groupCourse', personId: parent.id, courseId: course.id, answers: {}, idempotencyKey: randomUUID(), workflowId: randomUUID() },
    });
    await postCaseMessage(stack.deps, { applicationId: application.id, authorId: parent.id, from: 'parent', body: 'Hej!' });
    const contact = course.contacts[0].person;
    const mail = lastMailTo(contact.email)!;
    expect(mail.subject).toBe(`Föräldern har skrivit i ${application.caseNumber}`);
    expect(mail.text).toBe(`Öppna ärendet: ${stack.deps.config.publicUrl}/personal/ansokningar/${application.caseNumber}#meddelanden`);
    // Nothing the parent wrote travels in the notice.
    expect(mail.text).not.toContain('Hej!');
  });

  it('the administrators are told of an enrolment closed without consent with the edited text', async () => {
    expect((await admin.post(page('staffNoConsent'), { subject: 'Inget svar: {caseNumber}', body: '{training} – chefen svarade inte. {link}', action: 'save' })).status).toBe(303);
    const training = await db().course.findFirstOrThrow({ where: { kind: 'training' } });
    const person = await db().person.create({ data: { email: `prof-${randomUUID().slice(0, 8)}@example.org` } });
    const application = await db().application.create({
      data: { caseNumber: `KOM-2032-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, kind: 'training', personId: person.id, courseId: training.id, status: 'noConsent', answers: {}, idempotencyKey: randomUUID(), workflowId: `professionalEnrolment-${randomUUID()}` },
    });
    await createEnrolmentActivities(stack.deps).sendEnrolmentNotice({ applicationId: application.id, notice: 'noConsent', idempotencyKey: `${application.workflowId}:notice-noConsent` });
    const mail = lastMailTo(DEMO_STAFF.admin)!;
    expect(mail.subject).toBe(`Inget svar: ${application.caseNumber}`);
    expect(mail.text).toBe(`${training.title} – chefen svarade inte. ${stack.deps.config.publicUrl}/personal/ansokningar/${application.caseNumber}`);
    // The participant got the discreet decision notice, not the staff text.
    expect(lastMailTo(person.email)!.subject).toBe('Det finns ett nytt besked om din anmälan');
  });
});
