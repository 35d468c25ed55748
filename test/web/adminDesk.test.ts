// The administrator's desk (R8.1, R8.4, R8.7): grants, message templates and room bookings.
// Admins only; every bad input is refused beside its field and nothing is stored.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSurveyInvitations } from '../../lib/surveys/invitations';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';
import { newVerificationCode } from '../../lib/certificates/verificationCode';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let admin: WebClient;
let leader: WebClient;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
  leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
});
afterAll(async () => stack?.stop());

const db = () => stack.deps.db;
const newEmail = () => `personal-${randomUUID().slice(0, 8)}@stockholm.example`;
const district = (slug: string) => db().district.findUniqueOrThrow({ where: { slug } });
const courseOfKind = (kind: 'groupCourse' | 'webCourse' | 'training') => db().course.findFirstOrThrow({ where: { kind } });

describe('admin desk access', () => {
  it('answers 403 to staff who are not admins, on every page and form', async () => {
    for (const path of ['/personal/admin', '/personal/admin/behorigheter', '/personal/admin/meddelanden', '/personal/admin/lokaler']) {
      expect((await leader.get(path)).status).toBe(403);
    }
    const res = await leader.post('/personal/admin/behorigheter', { email: newEmail(), role: 'admin', districtId: '', courseId: '' });
    expect(res.status).toBe(403);
    expect(await db().roleGrant.count({ where: { role: 'admin' } })).toBe(1);
  });

  it('shows the desk with links to every admin page', async () => {
    const page = await (await admin.get('/personal/admin')).text();
    for (const href of ['/personal/admin/behorigheter', '/personal/admin/meddelanden', '/personal/admin/lokaler', '/personal/installningar']) {
      expect(page).toContain(`href="${href}"`);
    }
  });
  it('shows no confirmation for a crafted ?klart= code, only for the ones the page sets', async () => {
    for (const path of ['/personal/admin/behorigheter', '/personal/admin/lokaler', '/personal/admin/meddelanden']) {
      const html = await (await admin.get(`${path}?klart=xyz`)).text();
      expect(html).not.toMatch(/admin\.[a-z]+\.flash\.xyz/);
    }
  });
});

describe('grants (R8.1)', () => {
  it('grants a group leader a district to a new person, lists it, and revokes it after confirmation', async () => {
    const email = newEmail();
    const rinkeby = await district('rinkeby-kista');
    const res = await admin.post('/personal/admin/behorigheter', { email, role: 'groupLeader', districtId: rinkeby.id, courseId: '' });
    expect(res.status).toBe(303);
    const person = await db().person.findUniqueOrThrow({ where: { email }, include: { grants: true } });
    expect(person.grants).toMatchObject([{ role: 'groupLeader', districtId: rinkeby.id, courseId: null }]);
    const page = await (await admin.get(res.headers.get('location')!)).text();
    expect(page).toContain('Behörigheten är given.');
    expect(page).toContain(email);

    const grantId = person.grants[0].id;
    const asked = await admin.post(`/personal/admin/behorigheter/${grantId}/ta-bort`, {});
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('name="confirm" value="yes"');
    expect(await db().roleGrant.count({ where: { id: grantId } })).toBe(1);
    const revoked = await admin.post(`/personal/admin/behorigheter/${grantId}/ta-bort`, { confirm: 'yes' });
    expect(revoked.status).toBe(303);
    expect(await db().roleGrant.count({ where: { id: grantId } })).toBe(0);
  });

  it('grants a guide a web course and an instructor a training', async () => {
    const web = await courseOfKind('webCourse');
    const guideEmail = newEmail();
    expect((await admin.post('/personal/admin/behorigheter', { email: guideEmail, role: 'guide', districtId: '', courseId: web.id })).status).toBe(303);
    expect(await db().roleGrant.count({ where: { person: { email: guideEmail }, role: 'guide', courseId: web.id } })).toBe(1);
    const training = await db().course.findFirst({ where: { kind: 'training' } });
    if (training) {
      const instructorEmail = newEmail();
      expect((await admin.post('/personal/admin/behorigheter', { email: instructorEmail, role: 'instructor', districtId: '', courseId: training.id })).status).toBe(303);
      expect(await db().roleGrant.count({ where: { person: { email: instructorEmail }, role: 'instructor' } })).toBe(1);
    }
  });

  it('refuses bad input beside the field and stores nothing', async () => {
    const group = await courseOfKind('groupCourse');
    const web = await courseOfKind('webCourse');
    const sodermalm = await district('sodermalm');
    const cases: [Record<string, string>, string][] = [
      [{ email: 'inte-en-adress', role: 'admin', districtId: '', courseId: '' }, 'Skriv en giltig e-postadress'],
      [{ email: newEmail(), role: 'guide', districtId: '', courseId: group.id }, 'En guide kan bara få en webbkurs.'],
      [{ email: newEmail(), role: 'groupLeader', districtId: '', courseId: '' }, 'En gruppledare behöver en stadsdel.'],
      [{ email: newEmail(), role: 'groupLeader', districtId: sodermalm.id, courseId: web.id }, 'En gruppledare kan bara få en föräldragrupp.'],
      [{ email: newEmail(), role: 'admin', districtId: sodermalm.id, courseId: '' }, 'Bara gruppledare får en stadsdel.'],
      [{ email: newEmail(), role: 'superuser', districtId: '', courseId: '' }, 'Välj en roll.'],
      [{ email: DEMO_STAFF.leaderSodermalm, role: 'groupLeader', districtId: sodermalm.id, courseId: '' }, 'Personen har redan den här behörigheten.'],
    ];
    const before = await db().roleGrant.count();
    const people = await db().person.count();
    for (const [form, message] of cases) {
      const res = await admin.post('/personal/admin/behorigheter', form);
      expect(res.status, message).toBe(422);
      const page = await res.text();
      expect(page).toContain(message);
      expect(page).toContain('class="error-text"');
    }
    expect(await db().roleGrant.count()).toBe(before);
    expect(await db().person.count()).toBe(people);
  });

  it('offers certified professionals as group-leader candidates with a quick district grant (R8.8)', async () => {
    const training = (await db().course.findFirst({ where: { kind: 'training' } })) ?? (await courseOfKind('groupCourse'));
    const email = newEmail();
    const person = await db().person.create({ data: { email, name: 'Lina Certifierad' } });
    const application = await db().application.create({
      data: { caseNumber: `KOM-2026-9${randomUUID().slice(0, 5).replace(/\D/g, '0')}`, kind: 'training', personId: person.id, courseId: training.id, status: 'completed', answers: {}, idempotencyKey: randomUUID(), workflowId: randomUUID() },
    });
    await db().certificate.create({ data: { number: `CERT-${randomUUID().slice(0, 6)}`, verificationCode: newVerificationCode(), applicationId: application.id, holderName: 'Lina Certifierad', trainingTitle: 'Komet-utbildning' } });
    const page = await (await admin.get('/personal/admin/behorigheter')).text();
    expect(page).toContain('Lina Certifierad');
    const rinkeby = await district('rinkeby-kista');
    expect((await admin.post('/personal/admin/behorigheter', { email, role: 'groupLeader', districtId: rinkeby.id })).status).toBe(303);
    expect(await db().roleGrant.count({ where: { personId: person.id, role: 'groupLeader', districtId: rinkeby.id } })).toBe(1);
    expect(await (await admin.get('/personal/admin/behorigheter')).text()).not.toContain('Lina Certifierad</th>');
  });
});

/** A case created straight in the database: the notice activity needs only its rows. */
async function caseWithSession() {
  const course = await courseOfKind('groupCourse');
  const session = await db().courseSession.create({
    data: { courseId: course.id, startsAt: new Date('2030-03-05T16:30:00Z'), endsAt: new Date('2030-03-05T19:00:00Z') },
  });
  const person = await db().person.create({ data: { email: newEmail(), phone: '+46701230000' } });
  const application = await db().application.create({
    data: { caseNumber: `KOM-2030-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, kind: 'groupCourse', personId: person.id, courseId: course.id, status: 'admitted', answers: {}, idempotencyKey: randomUUID(), workflowId: randomUUID() },
  });
  return { session, person, application };
}

describe('message templates (R8.4)', () => {
  const editor = '/personal/admin/meddelanden/sessionReminder/sv';

  it('lists every notice per language and shows the editor with a preview filled with sample values', async () => {
    const list = await (await admin.get('/personal/admin/meddelanden')).text();
    expect(list).toContain('href="/personal/admin/meddelanden/caseUpdate/en"');
    expect(list).toContain('href="/personal/admin/meddelanden/sessionReminder/sv"');
    const page = await (await admin.get(editor)).text();
    expect(page).toContain('{date}');
    expect(page).toMatch(/data-preview="sms">Påminnelse: du har en träff tisdag 3 mars 2026 kl. 17:30/);
    expect((await admin.get('/personal/admin/meddelanden/okand/sv')).status).toBe(404);
  });

  it('refuses an unknown placeholder and an SMS over 320 characters beside the field, storing nothing', async () => {
    const unknown = await admin.post(editor, { subject: 'Hej {namn}', body: 'Träff {date} {link}', sms: 'Träff {date}', action: 'save' });
    expect(unknown.status).toBe(422);
    const page = await unknown.text();
    expect(page).toContain('Okänd platshållare: {namn}');
    expect(page).toMatch(/id="f-subject-error"/);

    const tooLong = await admin.post(editor, { subject: 'Påminnelse', body: 'Träff {date} {link}', sms: `${'x'.repeat(300)} {link}`, action: 'save' });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toMatch(/id="f-sms-error"[^>]*>.*Sms-texten blir \d+ tecken/s);
    expect(await db().messageTemplate.count()).toBe(0);
  });

  it('previews without saving, then saves, and the reminder actually sent uses the edited text; reset restores the default', async () => {
    const edited = { subject: 'Dags för träff', body: 'Hej! Vi ses {date} kl. {time}. Läs mer: {link}', sms: 'Vi ses {date} kl. {time}: {link}' };
    const preview = await admin.post(editor, { ...edited, action: 'preview' });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('data-preview="sms">Vi ses tisdag 3 mars 2026 kl. 17:30');
    expect(await db().messageTemplate.count()).toBe(0);

    expect((await admin.post(editor, { ...edited, action: 'save' })).status).toBe(303);
    const { session, person, application } = await caseWithSession();
    const { createCaseNoticeActivities } = await import('../../activities/caseNotices');
    const activities = createCaseNoticeActivities(stack.deps);
    const key = `test:${randomUUID()}`;
    await activities.sendCaseNotice({ caseNumber: application.caseNumber, applicationId: application.id, notice: 'sessionReminder', details: { sessionId: session.id }, idempotencyKey: key });
    const mail = await db().notification.findUniqueOrThrow({ where: { idempotencyKey: key } });
    expect(mail.recipient).toBe(person.email);
    expect(mail.subject).toBe('Dags för träff');
    expect(mail.body).toBe(`Hej! Vi ses tisdag 5 mars 2030 kl. 17:30. Läs mer: ${stack.deps.config.publicUrl}/mina-arenden`);
    const sms = await db().notification.findUniqueOrThrow({ where: { idempotencyKey: `${key}:sms` } });
    expect(sms.body).toBe(`Vi ses tisdag 5 mars 2030 kl. 17:30: ${stack.deps.config.publicUrl}/mina-arenden`);

    // Reset asks first, then the default is back and used again.
    const asked = await admin.post(`${editor}/aterstall`, {});
    expect(await asked.text()).toContain('name="confirm" value="yes"');
    expect(await db().messageTemplate.count()).toBe(1);
    expect((await admin.post(`${editor}/aterstall`, { confirm: 'yes' })).status).toBe(303);
    expect(await db().messageTemplate.count()).toBe(0);
    // Another case: the first one has had its notice for this quiet period (issue 16).
    const other = await caseWithSession();
    const again = `test:${randomUUID()}`;
    await activities.sendCaseNotice({ caseNumber: other.application.caseNumber, applicationId: other.application.id, notice: 'sessionReminder', details: { sessionId: other.session.id }, idempotencyKey: again });
    expect((await db().notification.findUniqueOrThrow({ where: { idempotencyKey: again } })).subject).toBe('Påminnelse: du har en träff tisdag 5 mars 2030 kl. 17:30');
  });

  it('the edited "new decision" text is used by the admission notice', async () => {
    const res = await admin.post('/personal/admin/meddelanden/caseDecision/sv', { subject: 'Nytt i ditt ärende', body: 'Logga in: {link}', sms: 'Nytt meddelande: {link}', action: 'save' });
    expect(res.status).toBe(303);
    const { application } = await caseWithSession();
    const { createCaseNoticeActivities } = await import('../../activities/caseNotices');
    const key = `test:${randomUUID()}`;
    await createCaseNoticeActivities(stack.deps).sendCaseNotice({ caseNumber: application.caseNumber, applicationId: application.id, notice: 'admitted', idempotencyKey: key });
    const mail = await db().notification.findUniqueOrThrow({ where: { idempotencyKey: key } });
    expect(mail.subject).toBe('Nytt i ditt ärende');
    expect(mail.body).toBe(`Logga in: ${stack.deps.config.publicUrl}/mina-arenden`);
    await db().messageTemplate.deleteMany({});
  });
});

describe('rooms and bookings (R8.7)', () => {
  it('creates an own room with a district and an external one without, and edits a room', async () => {
    const sodermalm = await district('sodermalm');
    expect((await admin.post('/personal/admin/lokaler', { name: 'Sal 4', address: 'Ringvägen 1', districtId: sodermalm.id })).status).toBe(303);
    expect((await admin.post('/personal/admin/lokaler', { name: 'Konferens City', address: 'Sergels torg 1', districtId: '', external: 'on' })).status).toBe(303);
    const own = await db().room.findFirstOrThrow({ where: { name: 'Sal 4' } });
    expect(own).toMatchObject({ districtId: sodermalm.id, external: false });
    expect(await db().room.findFirstOrThrow({ where: { name: 'Konferens City' } })).toMatchObject({ districtId: null, external: true });

    const edited = await admin.post(`/personal/admin/lokaler/${own.id}`, { name: 'Sal 5', address: 'Ringvägen 1', districtId: sodermalm.id });
    expect(edited.status).toBe(303);
    expect((await db().room.findUniqueOrThrow({ where: { id: own.id } })).name).toBe('Sal 5');
    const list = await (await admin.get('/personal/admin/lokaler')).text();
    expect(list).toContain('Sal 5');
    expect(list).toContain('Konferens City');
  });

  it('refuses an own room without a district or with empty fields, storing nothing', async () => {
    const before = await db().room.count();
    const res = await admin.post('/personal/admin/lokaler', { name: 'Utan stadsdel', address: 'Gatan 1', districtId: '' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('En egen lokal behöver en stadsdel.');
    const empty = await admin.post('/personal/admin/lokaler', { name: '', address: '', districtId: '', external: 'on' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('id="f-name-error"');
    expect(await db().room.count()).toBe(before);
  });

  it('books a room for a session, refuses a double booking naming the other session, and shows both calendar views', async () => {
    const course = await courseOfKind('groupCourse');
    const room = await db().room.create({ data: { name: 'Bokningsrummet', address: 'Hornsgatan 2', external: true } });
    const first = await db().courseSession.create({ data: { courseId: course.id, startsAt: new Date('2031-02-04T16:00:00Z'), endsAt: new Date('2031-02-04T18:00:00Z') } });
    const overlapping = await db().courseSession.create({ data: { courseId: course.id, startsAt: new Date('2031-02-04T17:00:00Z'), endsAt: new Date('2031-02-04T19:00:00Z') } });
    const later = await db().courseSession.create({ data: { courseId: course.id, startsAt: new Date('2031-02-04T18:00:00Z'), endsAt: new Date('2031-02-04T20:00:00Z') } });

    expect((await admin.post(`/personal/admin/lokaler/bokningar/${first.id}`, { roomId: room.id })).status).toBe(303);
    expect((await db().courseSession.findUniqueOrThrow({ where: { id: first.id } })).roomId).toBe(room.id);

    const refused = await admin.post(`/personal/admin/lokaler/bokningar/${overlapping.id}`, { roomId: room.id });
    expect(refused.status).toBe(422);
    // The page lists upcoming sessions only from now on; the message names the other session.
    expect(await refused.text()).toContain(`Lokalen är redan bokad då: ${course.title}`);
    expect((await db().courseSession.findUniqueOrThrow({ where: { id: overlapping.id } })).roomId).toBeNull();

    // Back to back is not an overlap.
    expect((await admin.post(`/personal/admin/lokaler/bokningar/${later.id}`, { roomId: room.id })).status).toBe(303);

    // 16:00 UTC in February is 17:00 in Stockholm.
    const week = await (await admin.get('/personal/admin/lokaler/kalender?vy=vecka&datum=2031-02-05')).text();
    expect(week).toContain('Vecka 6');
    expect(week).toContain(`data-booking="${first.id}"`);
    expect(week).toContain('17:00–19:00');
    expect(week).toContain('datum=2031-01-27');
    const month = await (await admin.get('/personal/admin/lokaler/kalender?vy=manad&datum=2031-02-01')).text();
    expect(month).toContain('februari 2031');
    expect(month).toContain(`data-booking="${later.id}"`);
    expect(month).toContain('datum=2031-03-01');
    const otherMonth = await (await admin.get('/personal/admin/lokaler/kalender?vy=manad&datum=2031-03-01')).text();
    expect(otherMonth).not.toContain(`data-booking="${later.id}"`);

    // Freeing the room.
    expect((await admin.post(`/personal/admin/lokaler/bokningar/${first.id}`, { roomId: '' })).status).toBe(303);
    expect((await db().courseSession.findUniqueOrThrow({ where: { id: first.id } })).roomId).toBeNull();
    expect((await admin.post(`/personal/admin/lokaler/bokningar/${randomUUID()}`, { roomId: room.id })).status).toBe(404);
  });
});

describe('activating and closing courses (R8.2)', () => {
  it('closes an open course only after confirmation; a leader may not', async () => {
    const course = await db().course.create({ data: { kind: 'groupCourse', title: 'Komet att stänga', capacity: 5, status: 'open', districtId: (await district('sodermalm')).id } });
    const settings = await (await admin.get('/personal/installningar')).text();
    expect(settings).toContain(`/personal/installningar/kurser/${course.id}/stang`);
    expect((await leader.post(`/personal/installningar/kurser/${course.id}/stang`, { confirm: 'yes' })).status).toBe(403);

    const asked = await admin.post(`/personal/installningar/kurser/${course.id}/stang`, {});
    expect(await asked.text()).toContain('name="confirm" value="yes"');
    expect((await db().course.findUniqueOrThrow({ where: { id: course.id } })).status).toBe('open');
    const closed = await admin.post(`/personal/installningar/kurser/${course.id}/stang`, { confirm: 'yes' });
    expect(closed.headers.get('location')).toBe('/personal/installningar?stangd=1');
    expect((await db().course.findUniqueOrThrow({ where: { id: course.id } })).status).toBe('closed');
    // Closed, it is offered for opening again.
    expect(await (await admin.get('/personal/installningar')).text()).toContain(`/personal/installningar/kurser/${course.id}/oppna`);
  });
});

describe('survey versions', () => {
  const page = '/personal/admin/enkater/sessionEvaluation';
  // The builder's fields (web/admin/views/surveyEdit.eta): a scale question and an optional free text.
  const questions = {
    count: '2',
    q0_id: 'useful', q0_type: 'scale', q0_text: 'Hur användbar var träffen?', q0_required: 'yes', q0_anchors: 'amount', q0_tr: '', q0_optionCount: '0',
    q1_id: 'comment', q1_type: 'text', q1_text: 'Något mer?', q1_anchors: 'amount', q1_tr: '', q1_optionCount: '0',
  };

  it('refuses questions with a message beside the field, storing nothing', async () => {
    expect((await leader.get(page)).status).toBe(403);
    const before = await db().surveyDefinition.count();
    const noText = await admin.post(page, { title: 'Utvärdering', ...questions, q0_text: '  ', action: 'publish' });
    expect(noText.status).toBe(422);
    expect(await noText.text()).toMatch(/id="f-q0_text-error"[^>]*>.*Skriv frågan\./s);
    const noTitle = await admin.post(page, { title: ' ', ...questions, action: 'publish' });
    expect(noTitle.status).toBe(422);
    expect(await noTitle.text()).toContain('id="f-title-error"');
    expect(await db().surveyDefinition.count()).toBe(before);
  });

  it('publishes the next version; answers already given keep theirs and new invitations take the new one', async () => {
    const old = await db().surveyDefinition.findFirst({ where: { kind: 'sessionEvaluation' }, orderBy: { version: 'desc' } });
    const course = await courseOfKind('groupCourse');
    const response = old
      ? await db().surveyResponse.create({ data: { surveyId: old.id, courseId: course.id, answers: {}, answeredOn: new Date('2026-01-01') } })
      : null;
    const res = await admin.post(page, { title: 'Utvärdering av träffen (ny)', ...questions, action: 'publish' });
    expect(res.status).toBe(303);
    const next = (old?.version ?? 0) + 1;
    expect(res.headers.get('location')).toBe(`${page}?version=${next}`);
    const created = await db().surveyDefinition.findUniqueOrThrow({ where: { kind_version: { kind: 'sessionEvaluation', version: next } } });
    expect(created.title).toBe('Utvärdering av träffen (ny)');
    expect(created.questions).toMatchObject([{ id: 'useful', type: 'scale', required: true }, { id: 'comment', required: false }]);
    if (response) expect((await db().surveyResponse.findUniqueOrThrow({ where: { id: response.id } })).surveyId).toBe(old!.id);
    expect(await (await admin.get(`${page}?version=${next}`)).text()).toContain(`Version ${next} är publicerad.`);
    const { application } = await caseWithSession();
    const [invitation] = await openSurveyInvitations(db(), stack.deps.config.sessionSecret, { applicationId: application.id, courseId: application.courseId, kinds: ['sessionEvaluation'], dedupePrefix: `test:${randomUUID()}` });
    expect(invitation.surveyId).toBe(created.id);
  });
});

describe('admin desk in English', () => {
  it('renders every page with no untranslated key', async () => {
    const english = await WebClient.loggedIn(app, db(), DEMO_STAFF.admin);
    await english.get('/?lang=en');
    for (const path of ['/personal/admin', '/personal/admin/behorigheter', '/personal/admin/meddelanden', '/personal/admin/meddelanden/caseUpdate/en', '/personal/admin/lokaler', '/personal/admin/lokaler/kalender?vy=vecka', '/personal/admin/lokaler/kalender?vy=manad', '/personal/admin/enkater', '/personal/admin/enkater/progress', '/personal/installningar']) {
      const res = await english.get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain('lang="en"');
      expect(html, path).not.toMatch(/>\s*(admin|settings|errors)\.[a-zA-Z.]+\s*</);
    }
  });
});
