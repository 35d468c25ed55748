// Issue 14 ("Nothing lost, nothing doubled, nobody in"): one test per finding of the attack run
// that this branch fixes, each through the real app, database and workflows. Each failed before
// its fix: the redirect, the plus-address, the cookie-jar chat starts, the plain survey tokens,
// the per-process rate limits, the unbounded form body and the NUL byte.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChatSettings, saveChatSettings, WEEKDAYS, type ChatSettings } from '../../lib/chat/chatSettings';
import { openingState } from '../../lib/chat/openingHours';
import { createApiKey } from '../../lib/apiKeys';
import { sha256 } from '../../lib/crypto';
import { createDb } from '../../lib/db';
import { openSurveyInvitations, surveyToken } from '../../lib/surveys/invitations';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { FORM_MAX_BYTES } from '../../web/security/requestBody';
import { nextPersonnummer } from '../support/personnummer';
import { html, sv } from '../support/text';
import { startStack, type TestStack } from '../support/stack';
import { latestLoginToken, ORIGIN, VALID_ENROLMENT_FORM, VALID_FORM, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
});
afterAll(async () => stack?.stop());

const db = () => stack.deps.db;
const newEmail = (prefix = 'p') => `${prefix}-${randomUUID().slice(0, 8)}@example.org`;

describe('finding 4: redirects after login go only to this site', () => {
  const VARIANTS = [
    '/%09/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/mina-arenden\r\nSet-Cookie: x=1',
    '//evil.example',
    '/\\evil.example',
    '/\\\\evil.example',
    '%2F%2Fevil.example',
    '/%2F/evil.example',
    '/%5Cevil.example',
    'https://evil.example/',
  ];

  it.each(VARIANTS)('lands on the default page for next=%j, never on another site and never a 500', async (next) => {
    const client = new WebClient(app);
    const email = newEmail();
    const asked = await client.post('/logga-in', { email, next });
    expect(asked.status).toBe(200);
    const token = await latestLoginToken(db(), email);
    // The e-mailed link carries no hostile `next` on to the verification page …
    const mail = await db().notification.findFirstOrThrow({ where: { recipient: email }, orderBy: { createdAt: 'desc' } });
    expect(mail.body).not.toMatch(/evil|%09|%0A|%5C/i);
    // … and a `next` posted straight to the verification falls back too.
    const res = await client.post('/logga-in/verifiera', { token, next });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/mina-arenden');
  });

  it('keeps a genuine page of this site', async () => {
    const client = new WebClient(app);
    const email = newEmail();
    await client.post('/logga-in', { email });
    const res = await client.post('/logga-in/verifiera', { token: await latestLoginToken(db(), email), next: '/kalender?vy=vecka' });
    expect(res.headers.get('location')).toBe('/kalender?vy=vecka');
  });
});

describe('finding 5: a professional cannot approve their own enrolment', () => {
  let trainingId: string;
  beforeAll(async () => {
    trainingId = (await db().course.findFirstOrThrow({ where: { kind: 'training' } })).id;
  });

  async function professional(email: string) {
    const client = new WebClient(app);
    expect((await client.login(db(), email)).status).toBe(303);
    return client;
  }
  const enrol = (client: WebClient, managerEmail: string) =>
    client.post(`/utbildningar/${trainingId}/anmal`, { ...VALID_ENROLMENT_FORM, managerEmail, submissionKey: randomUUID() });

  it.each([
    ['a plus-address of one’s own', (local: string) => `${local}+chef@example.org`],
    ['one’s own in capitals', (local: string) => `${local.toUpperCase()}@EXAMPLE.ORG`],
    ['a plus-address in capitals', (local: string) => `${local.toUpperCase()}+Boss@Example.Org`],
  ])('refuses %s beside the field and stores nothing', async (_what, variant) => {
    const local = `pedagog-${randomUUID().slice(0, 8)}`;
    const client = await professional(`${local}@example.org`);
    const before = await db().application.count();
    const res = await enrol(client, variant(local));
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(new RegExp(`id="f-managerEmail-error"[^>]*>.*${escapeRegExp(html(sv('trainings.errors.ownEmail')))}`, 's'));
    expect(await db().application.count()).toBe(before);
  });

  it('holds the manager to the employer domains the admin set, and says which', async () => {
    const admin = await WebClient.loggedIn(app, db(), DEMO_STAFF.admin);
    const saved = await admin.post('/personal/installningar/chefsdomaner', { managerEmailDomains: '@Stockholm.se\nutbildning.example' });
    expect(saved.status).toBe(303);
    const settingsPage = await (await admin.get('/personal/installningar')).text();
    expect(settingsPage).toContain('stockholm.se\nutbildning.example');
    expect((await admin.post('/personal/installningar/chefsdomaner', { managerEmailDomains: 'inte en domän' })).status).toBe(422);

    try {
      const client = await professional(newEmail('pedagog'));
      const form = await (await client.get(`/utbildningar/${trainingId}/anmal`)).text();
      expect(form).toContain(html(sv('trainings.form.hints.managerDomains', { domains: '@stockholm.se, @utbildning.example' })));
      const before = await db().application.count();
      const refused = await enrol(client, 'per.rektor@example.org');
      expect(refused.status).toBe(422);
      expect(await refused.text()).toMatch(new RegExp(`id="f-managerEmail-error"[^>]*>.*${escapeRegExp(html(sv('trainings.errors.managerDomain')))}`, 's'));
      // A look-alike is not under the domain.
      expect((await enrol(client, 'per@evilstockholm.se')).status).toBe(422);
      expect(await db().application.count()).toBe(before);
      // At the domain, or under it: accepted.
      expect((await enrol(client, 'per.rektor@edu.stockholm.se')).status).toBe(303);
      expect(await db().application.count()).toBe(before + 1);
    } finally {
      await admin.post('/personal/installningar/chefsdomaner', { managerEmailDomains: '' });
    }
  });
});

describe('finding 6: the chat’s start limit holds against fresh cookies', () => {
  const allWeek = (ranges: ChatSettings['weekly']['mon']) => Object.fromEntries(WEEKDAYS.map((d) => [d, ranges])) as ChatSettings['weekly'];
  beforeAll(async () => {
    // Room in the queue for every start here: its cap is tested on its own below.
    const settings = await saveChatSettings(db(), { weekly: allWeek([{ from: '00:00', to: '23:59' }]), exceptions: [], maxQueue: 1000 }, null);
    // The one closed minute of the day (23:59–24:00 Stockholm): wait it out rather than fail.
    if (!openingState(settings).open) await new Promise((r) => setTimeout(r, 61_000));
  });

  /** A fresh browser (new cookie jar) that opens the chat and presses start. */
  async function startFrom(target: ReturnType<typeof createApp>, options: ConstructorParameters<typeof WebClient>[1]) {
    const visitor = new WebClient(target, options);
    await visitor.get('/chatt');
    return visitor.post('/chatt/starta', {});
  }
  const conversations = () => db().chatConversation.count();

  it('starts no more than the address’s allowance from 12 cookie jars at one address', async () => {
    const { startsPerAddress } = await loadChatSettings(db());
    expect(startsPerAddress).toBeLessThan(12);
    const before = await conversations();
    const statuses: number[] = [];
    let refusal = '';
    for (let i = 0; i < 12; i++) {
      const res = await startFrom(app, { address: '198.51.100.7' });
      statuses.push(res.status);
      if (res.status === 429) refusal = await res.text();
    }
    expect(statuses.filter((s) => s === 303)).toHaveLength(startsPerAddress);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - startsPerAddress);
    expect(await conversations()).toBe(before + startsPerAddress);
    // The chat's own page: the quick exit and where else to turn.
    expect(refusal).toContain(html(sv('chat.busy.rateLimited.title')));
    expect(refusal).toContain('action="/chatt/snabbavslut"');
    expect(refusal).toContain(html(sv('chat.closed.call112')));
    // Another address is not held back by this one.
    expect((await startFrom(app, { address: '198.51.100.8' })).status).toBe(303);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says how many proxies to trust', async () => {
    const { startsPerAddress } = await loadChatSettings(db());
    const balancer = '10.0.0.2';
    // Without TRUST_PROXY: every request comes from the balancer, whatever the header says.
    const statuses: number[] = [];
    for (let i = 0; i < startsPerAddress + 1; i++) {
      statuses.push((await startFrom(app, { address: balancer, headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } })).status);
    }
    expect(statuses.at(-1)).toBe(429);

    // Behind one trusted proxy: the address it saw counts, so other clients are not held back …
    const behindProxy = createApp({ ...stack.deps, config: { ...stack.deps.config, TRUST_PROXY: 1 } });
    for (let i = 0; i < startsPerAddress + 1; i++) {
      expect((await startFrom(behindProxy, { address: balancer, headers: { 'x-forwarded-for': `203.0.114.${i + 1}` } })).status).toBe(303);
    }
    // … and what a client writes further left in the header changes nothing.
    const spoofed: number[] = [];
    for (let i = 0; i < startsPerAddress + 1; i++) {
      spoofed.push((await startFrom(behindProxy, { address: balancer, headers: { 'x-forwarded-for': `192.0.2.${i + 1}, 203.0.115.9` } })).status);
    }
    expect(spoofed.at(-1)).toBe(429);
  });

  it('tells the visitor honestly when the queue is full, and where else to turn', async () => {
    const waiting = await db().chatConversation.count({ where: { status: 'waiting' } });
    await saveChatSettings(db(), { maxQueue: waiting + 1 }, null);
    try {
      expect((await startFrom(app, { address: '198.51.100.20' })).status).toBe(303);
      const before = await conversations();
      const full = await startFrom(app, { address: '198.51.100.21' });
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toBeTruthy();
      const page = await full.text();
      expect(page).toContain(html(sv('chat.busy.full.title')));
      expect(page).toContain(html(sv('chat.closed.socialjouren')));
      expect(await conversations()).toBe(before);
    } finally {
      await saveChatSettings(db(), { maxQueue: 1000 }, null);
    }
  });
});

describe('finding 10: survey invitation tokens are stored hashed', () => {
  async function parentCase() {
    const parent = new WebClient(app);
    const email = newEmail('enkat');
    await parent.login(db(), email);
    const course = await db().course.findFirstOrThrow({ where: { kind: 'groupCourse', district: { slug: 'sodermalm' } } });
    const res = await parent.post(`/kurser/${course.id}/ansok`, { ...VALID_FORM, personnummer: nextPersonnummer(), submissionKey: randomUUID() });
    expect(res.status).toBe(303);
    const caseNumber = /KOM-\d{4}-\d{6}/.exec(res.headers.get('location')!)![0];
    return { parent, caseNumber, application: await db().application.findUniqueOrThrow({ where: { caseNumber } }) };
  }

  it('keeps no usable token in the database, and the link still works', async () => {
    const { parent, caseNumber, application } = await parentCase();
    const [invitation] = await openSurveyInvitations(db(), stack.deps.config.sessionSecret, {
      applicationId: application.id,
      courseId: application.courseId,
      kinds: ['courseEvaluation'],
      dedupePrefix: `test:${randomUUID()}`,
    });
    const row = await db().surveyInvitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.tokenHash).toBe(sha256(invitation.token));
    // No column of the row holds the token.
    const [stored] = await db().$queryRaw<{ row: string }[]>`SELECT row_to_json(i)::text AS row FROM survey_invitation i WHERE id = ${invitation.id}::uuid`;
    expect(stored.row).not.toContain(invitation.token);
    // What the database holds opens nothing.
    expect((await new WebClient(app).get(`/enkat/${row.tokenHash}`)).status).toBe(404);
    // The parent's link in Mina ärenden is the token, and it opens the survey.
    const casePage = await (await parent.get(`/mina-arenden/${caseNumber}`)).text();
    expect(casePage).toContain(`href="/enkat/${invitation.token}"`);
    expect((await new WebClient(app).get(`/enkat/${invitation.token}`)).status).toBe(200);
  });

  it('keeps a link from before the migration working, and re-keys it to a derived token', async () => {
    const { parent, caseNumber, application } = await parentCase();
    const survey = await db().surveyDefinition.findFirstOrThrow({ where: { kind: 'courseEvaluation' }, orderBy: { version: 'desc' } });
    const legacy = randomUUID().replace(/-/g, '').slice(0, 32); // a token of the old shape (32 base64url characters)
    // As the migration leaves an old row: its plain token hashed in SQL with the built-in sha256.
    const [{ hash }] = await db().$queryRaw<{ hash: string }[]>`SELECT encode(sha256(convert_to(${legacy}, 'UTF8')), 'hex') AS hash`;
    expect(hash).toBe(sha256(legacy));
    const row = await db().surveyInvitation.create({
      data: { surveyId: survey.id, applicationId: application.id, courseId: application.courseId, tokenHash: hash, dedupeKey: `legacy:${randomUUID()}` },
    });
    expect((await new WebClient(app).get(`/enkat/${legacy}`)).status).toBe(200);
    // Mina ärenden shows the derived link, which opens the same survey.
    const derived = surveyToken(stack.deps.config.sessionSecret, row.id);
    expect(await (await parent.get(`/mina-arenden/${caseNumber}`)).text()).toContain(`href="/enkat/${derived}"`);
    expect((await new WebClient(app).get(`/enkat/${derived}`)).status).toBe(200);
  });
});

describe('finding 11: rate limits are shared by every web process', () => {
  it('counts a login address’s links across two app instances on one database', async () => {
    // Two web processes: each its own app and its own connection pool, one database.
    const secondDb = createDb(stack.database.url, 2);
    try {
      const other = createApp({ ...stack.deps, db: secondDb });
      const email = newEmail('delad');
      const clients = [new WebClient(app), new WebClient(other)];
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await clients[i % 2].post('/logga-in', { email })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect(await db().loginToken.count({ where: { person: { email } } })).toBe(5);
    } finally {
      await secondDb.$disconnect();
    }
  });

  it('stores no address or e-mail in the limits table', async () => {
    const email = newEmail('spar');
    await new WebClient(app, { address: '192.0.2.55' }).post('/logga-in', { email });
    const rows = await db().$queryRaw<{ key: string }[]>`SELECT key FROM rate_limit`;
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) expect(key).not.toMatch(/192\.0\.2\.55|@|unknown/);
  });
});

describe('finding 3: a form body over the limit is refused while it is read', () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: createApp(stack.deps).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A login form's cookies and token, from the real server. */
  async function formSession() {
    const page = await fetch(`http://127.0.0.1:${port}/logga-in`);
    const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = cookies.find((c) => c.startsWith('komet_csrf='))!.slice('komet_csrf='.length);
    return { cookie: cookies.join('; '), csrf };
  }

  /**
   * Posts a login form of `totalBytes` (a valid form whose last field is padding), in 64 kB chunks
   * without a length (chunked) or with a declared Content-Length; resolves with the status and how
   * much was sent before the server answered.
   */
  function postHuge(session: { cookie: string; csrf: string }, email: string, totalBytes: number, declareLength: boolean) {
    return new Promise<{ status: number; sentBytes: number }>((resolve, reject) => {
      const head = Buffer.from(`_csrf=${session.csrf}&email=${encodeURIComponent(email)}&pad=`);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/logga-in',
        headers: {
          cookie: session.cookie,
          origin: `http://127.0.0.1:${port}`,
          'content-type': 'application/x-www-form-urlencoded',
          ...(declareLength ? { 'content-length': String(totalBytes) } : {}),
        },
      });
      let sent = 0;
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentBytes: sent });
        req.destroy();
      });
      req.on('error', (err) => (answered ? undefined : reject(err)));
      req.write(head);
      sent += head.length;
      const pump = () => {
        while (!answered && sent < totalBytes) {
          const piece = sent + chunk.length > totalBytes ? chunk.subarray(0, totalBytes - sent) : chunk;
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  }

  it.each([
    ['streamed without a length', false],
    ['with a declared Content-Length', true],
  ])('answers 413 to a 200 MB form %s, without reaching the route or holding the body', async (_how, declareLength) => {
    const session = await formSession();
    const email = newEmail('stor');
    const tokensBefore = await db().loginToken.count();
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const { status, sentBytes } = await postHuge(session, email, 200 * 1024 * 1024, declareLength);
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(status).toBe(413);
    // Refused long before the end: the server stopped reading near the limit (or, with a declared
    // length, before reading at all), so the process never held anything near the body's size.
    expect(sentBytes).toBeLessThan(200 * 1024 * 1024);
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);
    // The route never ran: no person, no login link.
    expect(await db().person.count({ where: { email } })).toBe(0);
    expect(await db().loginToken.count()).toBe(tokensBefore);
  });

  it('still takes a form just under the limit', async () => {
    const session = await formSession();
    const email = newEmail('nastan');
    const { status } = await postHuge(session, email, FORM_MAX_BYTES - 1024, false);
    expect(status).toBe(200);
    expect(await db().person.count({ where: { email } })).toBe(1);
  });
});

describe('finding 8: NUL bytes and malformed bodies are refused, never a 500', () => {
  it('answers 422 to a NUL byte in a text field, with a page that says why, and stores nothing', async () => {
    const parent = await WebClient.loggedIn(app, db(), newEmail('nul'));
    const course = await db().course.findFirstOrThrow({ where: { kind: 'groupCourse', district: { slug: 'sodermalm' } } });
    const before = await db().application.count();
    const res = await parent.post(`/kurser/${course.id}/ansok`, { ...VALID_FORM, message: 'Hej\u0000då', submissionKey: randomUUID() });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(html(sv('httpErrors.controlCharacters.title')));
    expect(await db().application.count()).toBe(before);

    const login = await new WebClient(app).post('/logga-in', { email: 'a\u0000b@example.org' });
    expect(login.status).toBe(422);
  });

  it('answers 400 to a NUL byte in the query or the path', async () => {
    const central = await WebClient.loggedIn(app, db(), DEMO_STAFF.central);
    expect((await central.get('/personal/diarium?nummer=KOM%00')).status).toBe(400);
    expect((await central.get('/personal/diarium/KOM-2026-%00')).status).toBe(400);
  });

  it('answers 400 to malformed multipart and to a body that is not UTF-8', async () => {
    const client = new WebClient(app);
    await client.get('/');
    const headers = { origin: ORIGIN, 'x-csrf-token': client.cookie('komet_csrf')! };
    const noBoundary = await client.send('/logga-in', { method: 'POST', body: 'email=a@b.se', headers: { ...headers, 'content-type': 'multipart/form-data' } });
    expect(noBoundary.status).toBe(400);
    expect(await noBoundary.text()).toContain(html(sv('httpErrors.badRequest.title')));
    const garbage = await client.send('/logga-in', {
      method: 'POST',
      body: '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.se',
      headers: { ...headers, 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(garbage.status).toBe(400);
    const latin1 = await client.send('/logga-in', {
      method: 'POST',
      body: new Uint8Array([...Buffer.from('email=g'), 0xf6, ...Buffer.from('ran@example.org')]),
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(latin1.status).toBe(400);
    const brokenEscape = await client.send('/logga-in', { method: 'POST', body: 'email=%E0%A4%A', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(brokenEscape.status).toBe(400);
  });

  it('answers the API’s JSON with a NUL escape 422 naming the field', async () => {
    const { key } = await createApiKey(db(), { name: 'hardening', scopes: ['applications:write'] });
    const course = await db().course.findFirstOrThrow({ where: { kind: 'groupCourse', status: 'open' } });
    const before = await db().application.count();
    const res = await app.request('/api/v1/applications', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ courseId: course.id, email: newEmail('api'), name: 'Nu\u0000ll Person', personnummer: nextPersonnummer(), phone: '+46701112233', childAge: 7 }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('name');
    expect(await db().application.count()).toBe(before);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

