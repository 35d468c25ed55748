// Trainings for professionals (R6.1–R6.3): the public list, the enrolment form's checks (every bad
// input re-renders beside its field and stores nothing), and a valid enrolment: a case awaiting
// the manager's consent, its workflow started, a double submit still one case.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseKindKey, CaseStatusKey } from '../../workflows/searchAttributes';
import { PROFESSIONAL_ENROLMENT, professionalEnrolmentWorkflowId } from '../../workflows/professionalEnrolment.messages';
import { TRAINING_TITLE } from '../../prisma/seedTraining';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { WebClient, VALID_ENROLMENT_FORM } from '../support/webClient';
import { SUBMITTED_EVENT } from '../../rules/caseEvents';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let trainingId: string;
let parentCourseId: string;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  trainingId = (await stack.deps.db.course.findFirstOrThrow({ where: { kind: 'training' } })).id;
  parentCourseId = (await stack.deps.db.course.findFirstOrThrow({ where: { kind: 'groupCourse' } })).id;
});
afterAll(async () => stack?.stop());

async function professional(): Promise<{ client: WebClient; email: string }> {
  const client = new WebClient(app);
  const email = `pedagog-${randomUUID().slice(0, 8)}@example.org`;
  expect((await client.login(stack.deps.db, email)).status).toBe(303);
  return { client, email };
}

const VALID = VALID_ENROLMENT_FORM;

const applications = () => stack.deps.db.application.count();

describe('trainings list', () => {
  it('lists the open training publicly with dates, place, fee and seats', async () => {
    const res = await new WebClient(app).get('/utbildningar');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(TRAINING_TITLE);
    expect(html).toContain(`/utbildningar/${trainingId}`);
    expect(html).toContain('Utbildningslokalen, Hantverkargatan 2');
    expect(html).toMatch(/12\s000,00\skr/);
    expect(html).toContain('16 av 16');
  });

  it('shows one training with its outline, four sessions and the instructor, and 404 for a parents’ course', async () => {
    const html = await (await new WebClient(app).get(`/utbildningar/${trainingId}`)).text();
    expect(html).toContain('Dag 1');
    expect(html.match(/<tr><td>/g)).toHaveLength(4);
    expect(html).toContain('Nora Instruktör');
    expect(html).toContain(`/utbildningar/${trainingId}/anmal`);
    expect((await new WebClient(app).get(`/utbildningar/${parentCourseId}`)).status).toBe(404);
    expect((await new WebClient(app).get('/utbildningar/nope')).status).toBe(404);
  });
});

describe('enrolment form', () => {
  it('asks an anonymous visitor to log in first', async () => {
    const res = await new WebClient(app).get(`/utbildningar/${trainingId}/anmal`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/logga-in?next=${encodeURIComponent(`/utbildningar/${trainingId}/anmal`)}`);
  });

  it('shows the form with labels and a submission key', async () => {
    const { client } = await professional();
    const html = await (await client.get(`/utbildningar/${trainingId}/anmal`)).text();
    for (const label of ['Arbetsplats', 'Roll eller titel', 'Chefens namn', 'Chefens e-postadress']) expect(html).toContain(label);
    expect(html).toMatch(/name="submissionKey" value="[0-9a-f-]{36}"/);
  });

  const cases: [string, Record<string, string>, string, string][] = [
    ['an empty name', { name: '' }, 'name', 'Skriv ditt för- och efternamn'],
    ['a phone number with letters', { phone: '070-abc' }, 'phone', 'Skriv telefonnumret med siffror, till exempel 070-123 45 67.'],
    ['an empty workplace', { workplace: ' ' }, 'workplace', 'Skriv namnet på din arbetsplats.'],
    ['a workplace over 200 characters', { workplace: 'x'.repeat(201) }, 'workplace', 'Arbetsplatsen får vara högst 200 tecken.'],
    ['a role over 100 characters', { jobTitle: 'x'.repeat(101) }, 'jobTitle', 'Rollen eller titeln får vara högst 100 tecken.'],
    ['no manager name', { managerName: '' }, 'managerName', 'Skriv din chefs namn.'],
    ['no manager e-mail', { managerEmail: '' }, 'managerEmail', 'Skriv din chefs e-postadress.'],
    ['an invalid manager e-mail', { managerEmail: 'per.rektor' }, 'managerEmail', 'giltig e-postadress'],
    ['a message over 2000 characters', { message: 'x'.repeat(2001) }, 'message', 'högst 2000 tecken'],
    ['no consent', { consent: '' }, 'consent', 'godkänna'],
  ];
  for (const [what, change, field, message] of cases) {
    it(`refuses ${what} with a message beside the field and stores nothing`, async () => {
      const { client } = await professional();
      const before = await applications();
      const res = await client.post(`/utbildningar/${trainingId}/anmal`, { ...VALID, ...change, submissionKey: randomUUID() });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain('Formuläret innehåller fel');
      expect(html).toMatch(new RegExp(`id="f-${field}-error"[^>]*>.*${message}`, 's'));
      expect(await applications()).toBe(before);
    });
  }

  it('refuses the applicant’s own e-mail as the manager’s', async () => {
    const { client, email } = await professional();
    const before = await applications();
    const res = await client.post(`/utbildningar/${trainingId}/anmal`, { ...VALID, managerEmail: email.toUpperCase(), submissionKey: randomUUID() });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-managerEmail-error"[^>]*>.*inte din egen/s);
    expect(await applications()).toBe(before);
  });

  it('accepts an empty phone and role', async () => {
    const { client } = await professional();
    const res = await client.post(`/utbildningar/${trainingId}/anmal`, { ...VALID, phone: '', jobTitle: '', submissionKey: randomUUID() });
    expect(res.status).toBe(303);
  });

  it('stores the case awaiting consent, starts its workflow, and a double submit stays one case', async () => {
    const { client, email } = await professional();
    const form = { ...VALID, message: 'Jag leder redan föräldraträffar.', submissionKey: randomUUID() };
    const [first, second] = await Promise.all([
      client.post(`/utbildningar/${trainingId}/anmal`, form),
      client.post(`/utbildningar/${trainingId}/anmal`, form),
    ]);
    expect(first.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const location = first.headers.get('location')!;
    expect(location).toMatch(/^\/mina-arenden\/KOM-\d{4}-\d{6}\?ny=1$/);
    const caseNumber = location.slice('/mina-arenden/'.length, -'?ny=1'.length);

    const db = stack.deps.db;
    const stored = await db.application.findMany({ where: { person: { email } }, include: { person: true, events: true } });
    expect(stored).toHaveLength(1);
    const [app1] = stored;
    expect(app1).toMatchObject({ caseNumber, kind: 'training', status: 'awaitingConsent', courseId: trainingId });
    expect(app1.workflowId).toBe(professionalEnrolmentWorkflowId(caseNumber));
    expect(app1.answers).toEqual({
      workplace: VALID.workplace,
      jobTitle: VALID.jobTitle,
      managerName: VALID.managerName,
      managerEmail: VALID.managerEmail,
      message: form.message,
    });
    expect(app1.person).toMatchObject({ name: VALID.name, phone: '+46707654321' });
    expect(app1.events.map((e) => e.type)).toEqual([SUBMITTED_EVENT]);

    const described = await stack.deps.temporal.workflow.getHandle(app1.workflowId).describe();
    expect(described.type).toBe(PROFESSIONAL_ENROLMENT);
    expect(described.typedSearchAttributes.get(CaseKindKey)).toBe(PROFESSIONAL_ENROLMENT);
    expect(described.typedSearchAttributes.get(CaseStatusKey)).toBeDefined();

    // The case page in "Mina ärenden" shows the confirmation and what the case waits for.
    const page = await (await client.get(location)).text();
    expect(page).toContain(caseNumber);
    expect(page).toContain('Väntar på chefens samtycke');

    // Back + resubmit with a fresh form: the person already has this enrolment.
    const again = await client.post(`/utbildningar/${trainingId}/anmal`, { ...form, submissionKey: randomUUID() });
    expect(again.headers.get('location')).toBe(`/mina-arenden/${caseNumber}?redan=1`);
    expect(await db.application.count({ where: { person: { email } } })).toBe(1);
  });

  it('answers 404 for the enrolment form of a parents’ course', async () => {
    const { client } = await professional();
    expect((await client.get(`/utbildningar/${parentCourseId}/anmal`)).status).toBe(404);
    expect((await client.post(`/utbildningar/${parentCourseId}/anmal`, { ...VALID, submissionKey: randomUUID() })).status).toBe(404);
  });
});
