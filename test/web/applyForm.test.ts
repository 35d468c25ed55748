// The parent's apply form (R2.1–R2.3): every bad input re-renders with the message beside the
// field and stores nothing; a valid one gives a case number at once; a double submit is one case.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { VALID_FORM, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let courseId: string;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  courseId = (await stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } })).id;
});
afterAll(async () => stack?.stop());

async function parent(): Promise<WebClient> {
  const client = new WebClient(app);
  const res = await client.login(stack.deps.db, `parent-${randomUUID().slice(0, 8)}@example.org`);
  expect(res.status).toBe(303);
  return client;
}

const applications = () => stack.deps.db.application.count();

describe('apply form', () => {
  it('asks an anonymous visitor to log in first', async () => {
    const res = await new WebClient(app).get(`/kurser/${courseId}/ansok`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/logga-in?next=${encodeURIComponent(`/kurser/${courseId}/ansok`)}`);
  });

  it('shows a form that works without JavaScript: labels, hints and a submission key', async () => {
    const html = await (await (await parent()).get(`/kurser/${courseId}/ansok`)).text();
    expect(html).toContain('<form method="post" action="/kurser/');
    for (const label of ['Ditt namn', 'Personnummer', 'Mobilnummer', 'Barnets ålder']) expect(html).toContain(label);
    expect(html).toMatch(/name="submissionKey" value="[0-9a-f-]{36}"/);
  });

  const cases: [string, Record<string, string>, string, string][] = [
    // Each field and problem has its own message (issue 16), never a bare "Fyll i fältet.".
    ['empty name', { name: '' }, 'name', 'Skriv ditt för- och efternamn.'],
    ['a one-letter name', { name: 'M' }, 'name', 'Namnet ska ha minst 2 tecken.'],
    ['a name over 100 characters', { name: 'M'.repeat(101) }, 'name', 'Namnet får vara högst 100 tecken.'],
    ['empty personnummer', { personnummer: '' }, 'personnummer', 'Skriv ditt personnummer.'],
    ['personnummer of the wrong length', { personnummer: '1981121-9876' }, 'personnummer', 'Personnumret ska ha 10 eller 12 siffror'],
    ['personnummer with an impossible date', { personnummer: '19811332-9876' }, 'personnummer', 'Personnumret har inget giltigt födelsedatum'],
    ['personnummer with a wrong checksum', { personnummer: '19811218-9875' }, 'personnummer', 'Personnumret stämmer inte. Kontrollera de fyra sista siffrorna.'],
    ['an empty phone number', { phone: ' ' }, 'phone', 'Skriv ditt mobilnummer.'],
    ['a phone number with letters', { phone: '070-abc' }, 'phone', 'Skriv telefonnumret med siffror, till exempel 070-123 45 67.'],
    ['an empty child age', { childAge: '' }, 'childAge', 'Skriv barnets ålder.'],
    ['a child age over 18', { childAge: '25' }, 'childAge', 'Barnets ålder ska vara mellan 0 och 18 år.'],
    ['a child age that is not a number', { childAge: 'sju' }, 'childAge', 'Skriv barnets ålder i hela år med siffror, till exempel 7.'],
    ['a child age with decimals', { childAge: '7.5' }, 'childAge', 'Skriv barnets ålder i hela år med siffror'],
    ['free text over 1000 characters', { message: 'x'.repeat(1001) }, 'message', 'högst 1000 tecken'],
    ['no consent on the check page', { consent: '' }, 'consent', 'godkänna'],
  ];
  for (const [what, change, field, message] of cases) {
    it(`refuses ${what} with a message beside the field and stores nothing`, async () => {
      const client = await parent();
      const before = await applications();
      const res = await client.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, ...change, submissionKey: randomUUID() });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain('Formuläret innehåller fel');
      expect(html).toMatch(new RegExp(`id="f-${field}-error"[^>]*>.*${message}`, 's'));
      expect(html).toContain(`id="f-${field}"`);
      expect(await applications()).toBe(before);
    });
  }

  it('keeps what the parent typed when the form comes back with an error', async () => {
    const client = await parent();
    const res = await client.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, childAge: '99', name: 'Åsa Öberg', submissionKey: randomUUID() });
    expect(await res.text()).toContain('value="Åsa Öberg"');
  });

  it('gives a case number and the confirmation at once, and a double submit stays one case', async () => {
    const client = await parent();
    const submissionKey = randomUUID();
    const form = { ...VALID_FORM, personnummer: '19900101-0017', submissionKey };
    const [first, second] = await Promise.all([
      client.post(`/kurser/${courseId}/ansok`, form),
      client.post(`/kurser/${courseId}/ansok`, form),
    ]);
    expect(first.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const location = first.headers.get('location')!;
    expect(location).toMatch(/^\/mina-arenden\/KOM-\d{4}-\d{6}\?ny=1$/);

    const page = await (await client.get(location)).text();
    expect(page).toContain('Tack! Vi har tagit emot din anmälan');
    expect(page).toContain(location.slice('/mina-arenden/'.length, -'?ny=1'.length));
    expect(page).toContain('Vad händer nu?');

    // Back + resubmit: the form is fetched anew (new key) but the parent already has this case.
    const again = await client.post(`/kurser/${courseId}/ansok`, { ...form, submissionKey: randomUUID() });
    expect(again.headers.get('location')).toMatch(/\?redan=1$/);
    expect(await stack.deps.db.application.count({ where: { person: { personnummer: '19900101-0017' } } })).toBe(1);
  });

  it('refuses a personnummer that belongs to another account', async () => {
    const client = await parent();
    const res = await client.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, personnummer: '19900101-0017', submissionKey: randomUUID() });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('hör till ett annat konto');
  });

  it('answers 404 for a course that does not exist or is not open', async () => {
    const client = await parent();
    expect((await client.get(`/kurser/${randomUUID()}/ansok`)).status).toBe(404);
    expect((await client.get('/kurser/not-a-uuid/ansok')).status).toBe(404);
  });
});
