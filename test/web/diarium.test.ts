// The diarium (R9.3, R11.5): central staff and the administrator search every case by case data;
// a search by person needs a reason and writes one audit entry; a case opens behind the reason
// gate; a closed case downloads as its archive package with a checksum that matches, an open one
// cannot be exported; nobody else gets in.
import { unzipSync } from 'fflate';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { insertCase, monthsAgo } from '../support/caseRows';
import { nextPersonnummer } from '../support/personnummer';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let central: WebClient;
let centralId: string;
const PERSON = { name: 'Karin Sökbar', email: `karin-${randomUUID().slice(0, 8)}@example.org`, personnummer: nextPersonnummer() };
let sodermalm: string;
let rinkeby: string;
let webCourse: string;
let closedCase: string;
let openCase: string;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  central = await WebClient.loggedIn(app, db, DEMO_STAFF.central);
  centralId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.central } })).id;
  sodermalm = (await db.course.findFirstOrThrow({ where: { kind: 'groupCourse', district: { slug: 'sodermalm' } } })).id;
  rinkeby = (await db.course.findFirstOrThrow({ where: { kind: 'groupCourse', district: { slug: 'rinkeby-kista' } } })).id;
  webCourse = (await db.course.findFirstOrThrow({ where: { kind: 'webCourse' } })).id;

  const other = await db.person.create({ data: { email: `annan-${randomUUID().slice(0, 8)}@example.org`, name: 'Annan Förälder' } });
  // 27 closed cases of 2025 in Södermalm, one a day from 1 March.
  for (let i = 1; i <= 27; i++) {
    await insertCase(db, {
      personId: other.id,
      courseId: sodermalm,
      caseNumber: `KOM-2025-${String(i).padStart(6, '0')}`,
      status: 'completed',
      submittedAt: new Date(Date.UTC(2025, 2, i, 9)),
      closedAt: new Date(Date.UTC(2025, 5, i, 9)),
    });
  }
  const karin = await db.person.create({ data: { ...PERSON, phone: '+46701234567' } });
  closedCase = 'KOM-2026-000001';
  openCase = 'KOM-2026-000002';
  await insertCase(db, { personId: karin.id, courseId: rinkeby, caseNumber: closedCase, status: 'withdrawn', submittedAt: monthsAgo(3), closedAt: monthsAgo(2), answers: { childAge: 9, message: 'Hellre kvällar' } });
  await insertCase(db, { personId: karin.id, courseId: rinkeby, caseNumber: openCase, status: 'queued', submittedAt: monthsAgo(1) });
  await insertCase(db, { personId: other.id, courseId: webCourse, kind: 'webCourse', caseNumber: 'KOM-2026-000003', status: 'admitted', submittedAt: monthsAgo(1) });
});
afterAll(async () => stack?.stop());

const caseNumbersIn = (page: string) => [...new Set(page.match(/KOM-\d{4}-\d{6}(?=<\/a>)/g) ?? [])];

describe('access', () => {
  it('lets central and the administrator in, and nobody else', async () => {
    expect((await central.get('/personal/diarium')).status).toBe(200);
    const admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
    expect((await admin.get('/personal/diarium')).status).toBe(200);
    const leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
    expect((await leader.get('/personal/diarium')).status).toBe(403);
    expect((await leader.get(`/personal/diarium/${closedCase}`)).status).toBe(403);
    expect((await leader.post('/personal/diarium/personsok', { term: PERSON.name, purpose: 'quality', detail: 'Kontroll av ärenden' })).status).toBe(403);
    const parent = await WebClient.loggedIn(app, stack.deps.db, PERSON.email);
    expect((await parent.get(`/personal/diarium/${closedCase}/arkivpaket.zip`)).status).toBe(403);
    const anonymous = await new WebClient(app).get('/personal/diarium');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/logga-in/);
  });
});

describe('case search', () => {
  it('lists every case newest first, 25 a page, with the case data and no personal data', async () => {
    const page = await (await central.get('/personal/diarium')).text();
    expect(page).toContain('30 ärenden. Visar 1–25.');
    const shown = caseNumbersIn(page);
    expect(shown).toHaveLength(25);
    expect(shown[0]).toBe('KOM-2026-000003');
    expect(page).toContain('Webbkurs med guide');
    expect(page).toContain('Ingen stadsdel (webbkurs, utbildning)');
    expect(page).toContain('Avslutad – genomförd');
    expect(page).not.toContain('Karin');
    expect(page).not.toContain('Annan Förälder');
    const second = await (await central.get('/personal/diarium?page=2')).text();
    expect(second).toContain('30 ärenden. Visar 26–30.');
    expect(caseNumbersIn(second)).toEqual(['KOM-2025-000005', 'KOM-2025-000004', 'KOM-2025-000003', 'KOM-2025-000002', 'KOM-2025-000001']);
    expect(second).toContain('aria-current="page">Sida 2<');
  });

  it('filters by case number (exact or its beginning), status, district, kind and dates', async () => {
    const get = async (q: string) => caseNumbersIn(await (await central.get(`/personal/diarium?${q}`)).text());
    expect(await get('nr=KOM-2026-')).toEqual(['KOM-2026-000003', 'KOM-2026-000002', 'KOM-2026-000001']);
    expect(await get('nr=kom-2025-000012')).toEqual(['KOM-2025-000012']);
    expect(await get('nr=KOM-2025-00002')).toEqual(['KOM-2025-000027', 'KOM-2025-000026', 'KOM-2025-000025', 'KOM-2025-000024', 'KOM-2025-000023', 'KOM-2025-000022', 'KOM-2025-000021', 'KOM-2025-000020']);
    expect(await get('status=queued')).toEqual([openCase]);
    expect(await get('district=rinkeby-kista')).toEqual([openCase, closedCase]);
    expect(await get('district=none')).toEqual(['KOM-2026-000003']);
    expect(await get('kind=webCourse')).toEqual(['KOM-2026-000003']);
    expect(await get('from=2025-03-10&to=2025-03-12')).toEqual(['KOM-2025-000012', 'KOM-2025-000011', 'KOM-2025-000010']);
    expect(await get('status=completed&district=sodermalm&from=2025-03-27')).toEqual(['KOM-2025-000027']);
  });

  it('says so when nothing matches, and explains a wrong filter beside its field', async () => {
    const none = await (await central.get('/personal/diarium?nr=KOM-2019-')).text();
    expect(none).toContain('Inga ärenden matchar sökningen.');
    const bad = await central.get('/personal/diarium?from=2025-02-30&nr=12345');
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('Skriv datumet som ÅÅÅÅ-MM-DD.');
    expect(page).toContain('Skriv ett ärendenummer som KOM-2026-000123');
    expect(page).toContain('aria-invalid="true"');
    const range = await (await central.get('/personal/diarium?from=2025-03-12&to=2025-03-10')).text();
    expect(range).toContain('Slutdatumet kan inte vara före startdatumet.');
  });

  it('answers the htmx filter form with the result list alone', async () => {
    const res = await central.get('/personal/diarium?status=queued', { 'hx-request': 'true', 'hx-target': 'diarium-results' });
    const html = await res.text();
    expect(html.trim().startsWith('<div id="diarium-results">')).toBe(true);
    expect(html).not.toContain('<html');
  });
});

describe('person search', () => {
  const searches = () => stack.deps.db.auditEntry.findMany({ where: { action: 'personSearch', actorId: centralId }, orderBy: { createdAt: 'asc' } });

  it('requires a reason: 422 with the errors beside the fields, and nothing logged', async () => {
    const res = await central.post('/personal/diarium/personsok', { term: PERSON.personnummer, purpose: '', detail: '' });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('Välj ett syfte.');
    expect(page).toContain('Beskriv skälet med minst 5 tecken.');
    expect(page).not.toContain(closedCase);
    const noTerm = await central.post('/personal/diarium/personsok', { term: ' ', purpose: 'quality', detail: 'Uppföljning av ärenden' });
    expect(noTerm.status).toBe(422);
    expect(await noTerm.text()).toContain('Skriv personnummer, e-post eller namn');
    expect(await searches()).toHaveLength(0);
  });

  it('finds the person’s cases by personnummer, e-mail or name, one audit entry per search', async () => {
    const byPnr = await central.post('/personal/diarium/personsok', { term: PERSON.personnummer.replace('-', ''), purpose: 'citizenRequest', detail: 'Begäran om utdrag' });
    expect(byPnr.status).toBe(200);
    expect(byPnr.headers.get('location')).toBeNull();
    const page = await byPnr.text();
    expect(caseNumbersIn(page)).toEqual([openCase, closedCase]);
    expect(page).toContain('Karin Sökbar');
    expect(page).toContain('Sökningen och ditt skäl har sparats i granskningsloggen.');
    // The term is in no link or address of the answer.
    expect(page).not.toContain(PERSON.personnummer.replace('-', ''));
    let entries = await searches();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'personSearch', reason: 'citizenRequest: Begäran om utdrag', searchTerms: PERSON.personnummer.replace('-', ''), applicationId: null });

    const byEmail = await (await central.post('/personal/diarium/personsok', { term: PERSON.email.slice(0, 12).toUpperCase() + PERSON.email.slice(12), purpose: 'quality', detail: 'Kvalitetskontroll' })).text();
    expect(caseNumbersIn(byEmail)).toEqual([openCase, closedCase]);
    const byName = await (await central.post('/personal/diarium/personsok', { term: 'sökbar', purpose: 'quality', detail: 'Kvalitetskontroll' })).text();
    expect(caseNumbersIn(byName)).toEqual([openCase, closedCase]);
    const nobody = await (await central.post('/personal/diarium/personsok', { term: 'Ingen Alls', purpose: 'quality', detail: 'Kvalitetskontroll' })).text();
    expect(nobody).toContain('Ingen person med ärenden matchar sökningen.');
    entries = await searches();
    expect(entries.map((e) => e.searchTerms)).toEqual([PERSON.personnummer.replace('-', ''), PERSON.email.slice(0, 12).toUpperCase() + PERSON.email.slice(12), 'sökbar', 'Ingen Alls']);
  });
});

describe('a case from the diarium', () => {
  let pass: string;

  async function open(caseNumber: string): Promise<string> {
    const gate = await central.get(`/personal/diarium/${caseNumber}`);
    expect(await gate.text()).toContain(`Ange skäl för att öppna ärende ${caseNumber}`);
    const stated = await central.post('/personal/atkomst', { caseNumber, returnTo: `/personal/diarium/${caseNumber}`, purpose: 'archive', detail: 'Arkivering av avslutat ärende' });
    expect(stated.status).toBe(303);
    const location = stated.headers.get('location')!;
    expect(location.startsWith(`/personal/diarium/${caseNumber}?atkomst=`)).toBe(true);
    return location;
  }

  it('opens behind the reason gate, once audited, read-only with records and events', async () => {
    const location = await open(closedCase);
    pass = new URL(location, 'http://x').searchParams.get('atkomst')!;
    const page = await (await central.get(location)).text();
    expect(page).toContain(`Ärende ${closedCase} i diariet`);
    expect(page).toContain('Karin Sökbar');
    expect(page).toContain(`${PERSON.personnummer.slice(0, 8)}-****`);
    expect(page).not.toContain(PERSON.personnummer);
    expect(page).toContain('Hellre kvällar');
    expect(page).toContain('Anmälan mottagen och registrerad');
    expect(page).toContain('Inget arkivpaket har skapats än.');
    expect(page).toContain('Exportera arkivpaket');
    await central.get(location); // a reload writes no second entry
    const opened = await stack.deps.db.auditEntry.findMany({ where: { caseNumber: closedCase, action: 'caseOpened' } });
    expect(opened).toHaveLength(1);
    expect(opened[0].reason).toBe('archive: Arkivering av avslutat ärende');
  });

  it('exports a closed case as a zip whose checksum header matches, stored and shown on the page', async () => {
    const res = await central.get(`/personal/diarium/${closedCase}/arkivpaket.zip?atkomst=${encodeURIComponent(pass)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="arkivpaket-${closedCase}.zip"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = Buffer.from(await res.arrayBuffer());
    const sha = createHash('sha256').update(body).digest('hex');
    expect(res.headers.get('x-checksum-sha256')).toBe(sha);
    expect(res.headers.get('digest')).toBe(`sha-256=${createHash('sha256').update(body).digest('base64')}`);
    const files = unzipSync(new Uint8Array(body));
    expect(Object.keys(files)).toContain(`komet-${closedCase}/representations/rep1/data/arende.pdf`);
    const record = JSON.parse(new TextDecoder().decode(files[`komet-${closedCase}/representations/rep1/data/arende.json`]));
    expect(record).toMatchObject({ caseNumber: closedCase, status: 'withdrawn', applicant: { name: 'Karin Sökbar' }, answers: { message: 'Hellre kvällar' } });

    const stored = await stack.deps.db.archivePackage.findFirstOrThrow({ where: { caseNumber: closedCase } });
    expect(stored).toMatchObject({ sha256: sha, createdBy: centralId, sizeBytes: body.length });
    const exported = await stack.deps.db.auditEntry.findMany({ where: { caseNumber: closedCase, action: 'caseExported' } });
    expect(exported).toHaveLength(1);
    expect(exported[0].actorId).toBe(centralId);

    const page = await (await central.get(`/personal/diarium/${closedCase}?atkomst=${encodeURIComponent(pass)}`)).text();
    expect(page).toContain(`data-sha256="${sha}"`);
    const sidecar = await central.get(`/personal/diarium/${closedCase}/arkivpaket.zip.sha256?atkomst=${encodeURIComponent(pass)}`);
    expect(await sidecar.text()).toBe(`${sha}  arkivpaket-${closedCase}.zip\n`);

    // The case is unchanged: a second download is the same package.
    const again = await central.get(`/personal/diarium/${closedCase}/arkivpaket.zip?atkomst=${encodeURIComponent(pass)}`);
    expect(again.headers.get('x-checksum-sha256')).toBe(sha);
    expect(await stack.deps.db.auditEntry.count({ where: { caseNumber: closedCase, action: 'caseExported' } })).toBe(2);
  });

  it('does not export without a stated reason', async () => {
    const other = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
    const res = await other.get(`/personal/diarium/${closedCase}/arkivpaket.zip`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain(`Ange skäl för att öppna ärende ${closedCase}`);
  });

  it('refuses to export an open case, with a clear message, and stores nothing', async () => {
    const location = await open(openCase);
    const page = await (await central.get(location)).text();
    expect(page).toContain('Ärendet pågår. Ett arkivpaket kan skapas först när ärendet är avslutat.');
    expect(page).not.toContain('Exportera arkivpaket');
    const res = await central.get(location.replace(`/personal/diarium/${openCase}?`, `/personal/diarium/${openCase}/arkivpaket.zip?`));
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`Ärende ${openCase} pågår fortfarande.`);
    expect(await stack.deps.db.archivePackage.count({ where: { caseNumber: openCase } })).toBe(0);
    expect(await stack.deps.db.auditEntry.count({ where: { caseNumber: openCase, action: 'caseExported' } })).toBe(0);
  });

  it('answers 404 for a case that does not exist or a malformed number', async () => {
    expect((await central.get('/personal/diarium/KOM-2026-999999')).status).toBe(404);
    expect((await central.get('/personal/diarium/nonsense')).status).toBe(404);
  });
});
