// The audit trail (R11.5): every staff look at a case writes exactly one entry with who, when, which
// case and why; central reviews the trail (filters, pages, CSV); nothing personal reaches the log.
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OWN_CASE_REASON, recordAudit } from '../../lib/audit/auditTrail';
import { DEMO_STAFF } from '../../prisma/seed';
import { requireStatedReason } from '../../web/audit/reasonGate';
import { createApp } from '../../web/app';
import { requireRole } from '../../web/security/guards';
import { eventually } from '../support/eventually';
import { nextPersonnummer } from '../support/personnummer';
import { startStack, type TestStack } from '../support/stack';
import { parentApplies } from '../support/parentApplies';
import { VALID_FORM, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let courseId: string;
let central: WebClient;
let leader: WebClient;
let centralId: string;
let leaderId: string;

/** A staff page behind the reason gate, as any case page outside one's own handling uses it. */
const GATED = '/personal/provsida';

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  app.get(`${GATED}/:caseNumber`, requireRole('central', 'admin'), async (c) => {
    const caseNumber = c.req.param('caseNumber');
    const found = await stack.deps.db.application.findUnique({ where: { caseNumber } });
    if (!found) return c.notFound();
    const gate = await requireStatedReason(c, { applicationId: found.id, caseNumber, returnTo: `${GATED}/${caseNumber}` });
    return gate ?? c.text(`opened ${caseNumber}`);
  });
  // An unexpected failure whose message quotes personal data, as a database error does.
  app.get('/personal/provfel', () => {
    throw new Error('Invalid `prisma.person.findUnique()` invocation: { where: { email: "hemlig.person@example.org" } }');
  });
  const course = await stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } });
  courseId = course.id;
  central = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.central);
  leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
  centralId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.central } })).id;
  leaderId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
});
afterAll(async () => stack?.stop());

interface Applied {
  caseNumber: string;
  email: string;
  form: typeof VALID_FORM;
}

const applyAsNewParent = (form: Partial<typeof VALID_FORM> = {}, email?: string): Promise<Applied> => parentApplies(stack, app, courseId, { form, email });

const entriesOf = (caseNumber: string) => stack.deps.db.auditEntry.findMany({ where: { caseNumber }, orderBy: { createdAt: 'asc' } });

function statePurpose(client: WebClient, caseNumber: string, purpose: string, detail: string) {
  return client.post('/personal/atkomst', { caseNumber, returnTo: `${GATED}/${caseNumber}`, purpose, detail });
}

describe('review page, before anything happened', () => {
  it('says the trail is empty', async () => {
    const res = await central.get('/personal/granskning');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Granskningsloggen är tom');
    expect(page).not.toContain('/personal/granskning/export');
  });
});

describe('the reason gate', () => {
  let applied: Applied;
  beforeAll(async () => {
    applied = await applyAsNewParent();
  });

  it('opening a case writes exactly one audit entry with the reason', async () => {
    const { caseNumber } = applied;
    const form = await central.get(`${GATED}/${caseNumber}`);
    expect(form.status).toBe(200);
    const formPage = await form.text();
    expect(formPage).toContain(`Ange skäl för att öppna ärende ${caseNumber}`);
    expect(formPage).not.toContain(applied.form.name);
    expect(await entriesOf(caseNumber)).toHaveLength(0);

    const stated = await statePurpose(central, caseNumber, 'supervision', 'Kontroll av väntetiden i kön');
    expect(stated.status).toBe(303);
    const location = stated.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${GATED}/${caseNumber}\\?atkomst=\\d+\\.[A-Za-z0-9_-]+$`));

    const entries = await entriesOf(caseNumber);
    expect(entries).toHaveLength(1);
    const app = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } });
    expect(entries[0]).toMatchObject({
      actorId: centralId,
      action: 'caseOpened',
      applicationId: app.id,
      caseNumber,
      reason: 'supervision: Kontroll av väntetiden i kön',
      searchTerms: null,
    });

    // Following the redirect and reloading with the pass writes nothing more.
    for (let i = 0; i < 3; i++) expect(await (await central.get(location)).text()).toBe(`opened ${caseNumber}`);
    expect(await entriesOf(caseNumber)).toHaveLength(1);
  });

  it('guards the inspector’s case page the same way: one entry, none on reload', async () => {
    const { caseNumber } = await applyAsNewParent();
    const path = `/personal/arenden/${caseNumber}`;
    const form = await central.get(path);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain(`Ange skäl för att öppna ärende ${caseNumber}`);
    expect(await entriesOf(caseNumber)).toHaveLength(0);

    const stated = await central.post('/personal/atkomst', { caseNumber, returnTo: path, purpose: 'supervision', detail: 'Ärendet har väntat länge' });
    expect(stated.status).toBe(303);
    const location = stated.headers.get('location')!;
    expect(location.startsWith(`${path}?atkomst=`)).toBe(true);
    for (let i = 0; i < 2; i++) {
      const page = await central.get(location);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain('Ange skäl för att öppna ärende');
      expect(html).toContain(caseNumber);
    }
    const entries = await entriesOf(caseNumber);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: centralId, action: 'caseOpened', reason: 'supervision: Ärendet har väntat länge' });
  });

  it('refuses a missing or too short reason beside the field and writes nothing', async () => {
    const { caseNumber } = applied;
    const before = await stack.deps.db.auditEntry.count();
    const short = await statePurpose(central, caseNumber, 'quality', 'kort');
    expect(short.status).toBe(422);
    const page = await short.text();
    expect(page).toMatch(/id="f-detail-error"><span class="visually-hidden">[^<]*<\/span>Beskriv skälet med minst 5 tecken\./);
    expect(page).toContain('>kort</textarea>');
    const noPurpose = await statePurpose(central, caseNumber, 'nyfikenhet', 'Vill bara se ärendet');
    expect(noPurpose.status).toBe(422);
    expect(await noPurpose.text()).toMatch(/id="f-purpose-error"><span class="visually-hidden">[^<]*<\/span>Välj ett syfte\./);
    expect(await stack.deps.db.auditEntry.count()).toBe(before);
  });

  it('asks again for a tampered, foreign or missing pass', async () => {
    const { caseNumber } = applied;
    const stated = await statePurpose(central, caseNumber, 'quality', 'Stickprov av handläggningen');
    const location = stated.headers.get('location')!;
    const pass = new URL(location, 'http://x').searchParams.get('atkomst')!;
    const [expires, mac] = pass.split('.');
    const tampered = [
      `${GATED}/${caseNumber}?atkomst=${Number(expires) + 3_600_000}.${mac}`,
      `${GATED}/${caseNumber}?atkomst=${expires}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${GATED}/${caseNumber}`,
    ];
    for (const path of tampered) expect(await (await central.get(path)).text()).toContain('Ange skäl för att öppna ärende');
    // Another staff session cannot use this session's pass.
    const colleague = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
    expect(await (await colleague.get(location)).text()).toContain('Ange skäl för att öppna ärende');
    // Nor does a pass for one case open another.
    const other = await applyAsNewParent();
    expect(await (await central.get(`${GATED}/${other.caseNumber}?atkomst=${encodeURIComponent(pass)}`)).text()).toContain('Ange skäl');
    expect(await entriesOf(other.caseNumber)).toHaveLength(0);
  });

  it('keeps citizens out and sends nobody to another site', async () => {
    const { caseNumber } = applied;
    const parent = await WebClient.loggedIn(app, stack.deps.db, `p-${randomUUID().slice(0, 8)}@example.org`);
    expect((await statePurpose(parent, caseNumber, 'quality', 'Jag vill se ärendet')).status).toBe(403);
    const before = await stack.deps.db.auditEntry.count();
    const away = await central.post('/personal/atkomst', { caseNumber, returnTo: '//evil.example/personal/x', purpose: 'quality', detail: 'Stickprov av ärendet' });
    expect(away.status).toBe(400);
    expect(await stack.deps.db.auditEntry.count()).toBe(before);
  });
});

describe('a group leader opening their own case', () => {
  it('writes exactly one caseOpened entry with the own-case reason per open', async () => {
    const { caseNumber } = await applyAsNewParent();
    const page = await leader.get(`/personal/ansokningar/${caseNumber}`);
    expect(page.status).toBe(200);
    let entries = await entriesOf(caseNumber);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: leaderId, action: 'caseOpened', caseNumber, reason: OWN_CASE_REASON });

    await leader.get(`/personal/ansokningar/${caseNumber}`);
    entries = await entriesOf(caseNumber);
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.actorId === leaderId && e.reason === OWN_CASE_REASON)).toBe(true);

    // Another district's leader gets 404, and nothing is written.
    const other = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderRinkeby);
    expect((await other.get(`/personal/ansokningar/${caseNumber}`)).status).toBe(404);
    expect(await entriesOf(caseNumber)).toHaveLength(2);
  });
});

describe('the review page', () => {
  let gated: string;
  let own: string;

  beforeAll(async () => {
    gated = (await applyAsNewParent()).caseNumber;
    own = (await applyAsNewParent()).caseNumber;
    await statePurpose(central, gated, 'citizenRequest', 'Föräldern begärde utdrag');
    await leader.get(`/personal/ansokningar/${own}`);
    await recordAudit(stack.deps.db, { actorId: centralId, action: 'personSearch', reason: 'citizenRequest: Begäran om registerutdrag', searchTerms: 'Sökt: Maja Sökbar' });
  });

  it('shows central who, when, what, which case and why, newest first', async () => {
    const res = await central.get('/personal/granskning');
    expect(res.status).toBe(200);
    const page = await res.text();
    const list = page.slice(page.indexOf('<tbody>'));
    const search = list.indexOf('Sökte på person');
    const gatedRow = list.indexOf(`href="/personal/arenden/${gated}"`);
    const ownRow = list.indexOf(`href="/personal/arenden/${own}"`);
    expect(search).toBeGreaterThan(-1);
    expect(ownRow).toBeGreaterThan(search); // newest first
    expect(gatedRow).toBeGreaterThan(ownRow);
    expect(page).toContain('Karin Ek');
    expect(page).toContain(DEMO_STAFF.central);
    expect(page).toContain('Sara Lind');
    expect(page).toContain('Begäran från den enskilde');
    expect(page).toContain('Föräldern begärde utdrag');
    expect(page).toContain('Egen handläggning');
    expect(page).not.toContain(OWN_CASE_REASON);
    expect(page).toContain('Sökt: Maja Sökbar');
    expect(page).toContain('href="/personal/granskning/export"');
  });

  it('filters by who, action, case number and dates', async () => {
    const byLeader = await (await central.get('/personal/granskning?who=Sara%20L')).text();
    expect(byLeader).toContain(own);
    expect(byLeader).not.toContain(gated);
    const byEmail = await (await central.get(`/personal/granskning?who=${encodeURIComponent('CENTRAL@komet')}`)).text();
    expect(byEmail).toContain(gated);
    expect(byEmail).not.toContain(own);
    const nobody = await (await central.get('/personal/granskning?who=finns-inte')).text();
    expect(nobody).toContain('Inga poster matchar filtret');

    const searches = await (await central.get('/personal/granskning?action=personSearch')).text();
    expect(searches).toContain('Visar 1 post.');
    expect(searches).toContain('Sökt: Maja Sökbar');

    const oneCase = await (await central.get(`/personal/granskning?caseNumber=${gated.toLowerCase()}`)).text();
    expect(oneCase).toContain(`href="/personal/arenden/${gated}"`);
    expect(oneCase).not.toContain(`href="/personal/arenden/${own}"`);
    expect(oneCase).toContain(`value="${gated}"`);

    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    expect(await (await central.get(`/personal/granskning?from=${today}&to=${today}`)).text()).toContain(gated);
    expect(await (await central.get('/personal/granskning?to=2000-01-01')).text()).toContain('Inga poster matchar filtret');
  });

  it('explains a bad filter beside the field, without a 500', async () => {
    const bad = await central.get('/personal/granskning?from=2026-02-30&caseNumber=123&action=raderat');
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('Skriv datumet som ÅÅÅÅ-MM-DD');
    expect(page).toContain('Skriv ärendenumret som KOM-ÅÅÅÅ-NNNNNN');
    expect(page).toContain('Välj en händelse i listan.');
    expect(page).toContain('id="f-from-error"');
    expect((await central.get('/personal/granskning?page=abc')).status).toBe(400);
    expect((await central.get(`/personal/granskning?who=${'x'.repeat(500)}`)).status).toBe(400);
    expect((await central.get('/personal/granskning?from=2026-03-02&to=2026-03-01')).status).toBe(400);
    // The export sends a bad filter back to the page that explains it.
    const exp = await central.get('/personal/granskning/export?from=igår');
    expect(exp.status).toBe(303);
    expect(exp.headers.get('location')).toContain('/personal/granskning?');
    // htmx swaps only 2xx: it gets the list part with the messages.
    const htmx = await central.get('/personal/granskning?from=igår', { 'hx-request': 'true', 'hx-target': 'audit-list' });
    expect(htmx.status).toBe(200);
    const fragment = await htmx.text();
    expect(fragment.trimStart()).toMatch(/^<div id="audit-list">/);
    expect(fragment).toContain('Skriv datumet som ÅÅÅÅ-MM-DD');
  });

  it('pages 50 entries at a time', async () => {
    const caseNumber = 'KOM-2020-000001';
    const base = Date.now() - 3_600_000;
    await stack.deps.db.auditEntry.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        actorId: centralId,
        action: 'caseOpened' as const,
        caseNumber,
        reason: `archive: Gallringsgenomgång nr ${String(i).padStart(2, '0')}`,
        createdAt: new Date(base + i * 1000),
      })),
    });
    const first = await (await central.get(`/personal/granskning?caseNumber=${caseNumber}`)).text();
    expect(first).toContain('Visar post 1–50 av 60.');
    expect(first.match(/Gallringsgenomgång nr/g)).toHaveLength(50);
    expect(first).toContain('Gallringsgenomgång nr 59'); // the newest
    expect(first).not.toContain('Gallringsgenomgång nr 09');
    expect(first).toContain(`href="/personal/granskning?caseNumber=${caseNumber}&amp;page=2"`);
    const second = await (await central.get(`/personal/granskning?caseNumber=${caseNumber}&page=2`)).text();
    expect(second).toContain('Visar post 51–60 av 60.');
    expect(second.match(/Gallringsgenomgång nr/g)).toHaveLength(10);
    expect(second).toContain('Gallringsgenomgång nr 00');
    expect(second).toContain('rel="prev"');
  });

  it('downloads the filtered entries as CSV', async () => {
    const res = await central.get(`/personal/granskning/export?caseNumber=${gated}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="granskningslogg-\d{4}-\d{2}-\d{2}\.csv"/);
    const csv = await res.text();
    expect(csv.startsWith('\uFEFF') || res.headers.get('content-type')!.includes('utf-8')).toBe(true);
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Tid;Namn;E-post;Händelse;Ärendenummer;Syfte;Skäl;Söktermer');
    expect(lines).toHaveLength(1 + (await entriesOf(gated)).length);
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2};Karin Ek;${DEMO_STAFF.central};Öppnade ärende;${gated};Begäran från den enskilde;Föräldern begärde utdrag;$`));

    const all = await (await central.get('/personal/granskning/export')).text();
    expect(all).toContain('Egen handläggning');
    expect(all).toContain(';Sökte på person;;Begäran från den enskilde;Begäran om registerutdrag;Sökt: Maja Sökbar');
    // Over several batches: every one of the 60 paged entries above.
    expect(all.match(/Gallringsgenomgång nr/g)).toHaveLength(60);
  });

  it('is for central only', async () => {
    const admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
    const parent = await WebClient.loggedIn(app, stack.deps.db, `p-${randomUUID().slice(0, 8)}@example.org`);
    for (const client of [leader, admin, parent]) {
      expect((await client.get('/personal/granskning')).status).toBe(403);
      expect((await client.get('/personal/granskning/export')).status).toBe(403);
    }
    const anonymous = await new WebClient(app).get('/personal/granskning');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/logga-in');
  });
});

/** Everything the process writes to the console, stdout and stderr while it runs. */
function captureOutput() {
  const seen: string[] = [];
  const text = (value: unknown) => (typeof value === 'string' ? value : value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : inspect(value, { depth: 6 }));
  const record = (...args: unknown[]) => {
    seen.push(args.map(text).join(' '));
  };
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m).mockImplementation(record)),
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => (record(chunk), true)) as typeof process.stdout.write),
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => (record(chunk), true)) as typeof process.stderr.write),
  ];
  return {
    output: () => seen.join('\n'),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}

describe('the application log', () => {
  it('holds nothing personal from applying, opening, searching and stating a reason', async () => {
    const capture = captureOutput();
    const personal = {
      name: 'Ingrid Loggfri',
      personnummer: nextPersonnummer(),
      email: `ingrid.loggfri-${randomUUID().slice(0, 6)}@example.org`,
      phone: '070-987 65 43',
      message: 'Vår son har svårt att sova efter skilsmässan',
      detail: 'Kontrollerar handläggningen efter klagomål',
      searchTerms: 'Ingrid Loggfri',
    };
    try {
      const applied = await applyAsNewParent(
        { name: personal.name, personnummer: personal.personnummer, phone: personal.phone, message: personal.message },
        personal.email,
      );
      // The leader opens and decides, so the workflow's activities run (notices, e-mail, SMS).
      expect((await leader.get(`/personal/ansokningar/${applied.caseNumber}`)).status).toBe(200);
      await leader.post(`/personal/ansokningar/${applied.caseNumber}/beslut`, { decision: 'queue' });
      await eventually(async () => expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: applied.caseNumber } })).status).toBe('queued'));
      // A person search, where the diarium offers one.
      const diarium = await central.get(`/personal/diarium?q=${encodeURIComponent(personal.searchTerms)}`);
      if (diarium.status !== 404) expect(diarium.status).toBeLessThan(500);
      // The reason gate, once refused and once accepted.
      expect((await statePurpose(central, applied.caseNumber, 'quality', 'kort')).status).toBe(422);
      expect((await statePurpose(central, applied.caseNumber, 'quality', personal.detail)).status).toBe(303);
      // An unexpected error whose message quotes personal data.
      expect((await central.get('/personal/provfel')).status).toBe(500);
      await eventually(async () => expect(await stack.deps.db.notification.count({ where: { recipient: personal.email } })).toBeGreaterThan(1));
    } finally {
      capture.restore();
    }
    const output = capture.output();
    expect(output).toContain('/personal/provfel'); // the capture works: the failure itself is logged
    const digits = personal.personnummer.replace(/\D/g, '');
    const forbidden = [
      personal.name,
      personal.personnummer,
      digits,
      digits.slice(2),
      personal.email,
      personal.phone,
      personal.phone.replace(/\D/g, ''),
      personal.phone.replace(/\D/g, '').replace(/^0/, '+46'),
      personal.message,
      personal.detail,
      `quality: ${personal.detail}`,
      'hemlig.person@example.org',
    ];
    for (const value of forbidden) expect(output, `the log holds "${value}"`).not.toContain(value);
  });
});
