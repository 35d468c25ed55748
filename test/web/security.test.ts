// Security of the pages (R11.5, DESIGN.md): CSRF, login links, sessions, access per record.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_CASE_REASON } from '../../lib/audit/auditTrail';
import { sha256 } from '../../lib/crypto';
import { createApp } from '../../web/app';
import { DEMO_STAFF } from '../../prisma/seed';
import { startStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';
import { latestLoginToken, VALID_FORM, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let caseNumber: string;
let owner: WebClient;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  owner = await WebClient.loggedIn(app, stack.deps.db, 'owner@example.org');
  const course = await stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } });
  const res = await owner.post(`/kurser/${course.id}/ansok`, { ...VALID_FORM, submissionKey: randomUUID() });
  caseNumber = /KOM-\d{4}-\d{6}/.exec(res.headers.get('location') ?? '')![0];
});
afterAll(async () => stack?.stop());

const email = () => `p-${randomUUID().slice(0, 8)}@example.org`;

describe('CSRF', () => {
  it('refuses a form post without the token and changes nothing', async () => {
    const client = new WebClient(app);
    const before = await stack.deps.db.loginToken.count();
    const res = await client.post('/logga-in', { email: email() }, { csrf: false });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Formuläret har gått ut');
    expect(await stack.deps.db.loginToken.count()).toBe(before);
  });

  it('refuses a form post from another site', async () => {
    const res = await new WebClient(app).post('/logga-in', { email: email() }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('refuses a decision posted without the token', async () => {
    const leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
    const res = await leader.post(`/personal/ansokningar/${caseNumber}/beslut`, { decision: 'admit' }, { csrf: false });
    expect(res.status).toBe(403);
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status).toBe('submitted');
  });
});

describe('login links', () => {
  it('logs in once with a valid link, with a new session each time', async () => {
    const client = new WebClient(app);
    const address = email();
    await client.post('/logga-in', { email: address, next: '/mina-arenden' });
    const token = await latestLoginToken(stack.deps.db, address);
    expect((await client.get(`/logga-in/verifiera?token=${token}`)).status).toBe(200);
    const res = await client.post('/logga-in/verifiera', { token, next: '/mina-arenden' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/mina-arenden');
    expect((await client.get('/mina-arenden')).status).toBe(200);
    // Used link: refused with a clear page, no second session.
    const sessions = await stack.deps.db.webSession.count();
    const again = await new WebClient(app).post('/logga-in/verifiera', { token });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('redan använts');
    expect(await stack.deps.db.webSession.count()).toBe(sessions);
  });

  it('refuses an unknown link and an expired one', async () => {
    const client = new WebClient(app);
    const bad = await client.get('/logga-in/verifiera?token=not-a-real-token');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('inte giltig');

    const address = email();
    await client.post('/logga-in', { email: address });
    const token = await latestLoginToken(stack.deps.db, address);
    await stack.deps.db.loginToken.update({ where: { tokenHash: sha256(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await client.post('/logga-in/verifiera', { token });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('har gått ut');
    expect(client.cookie('komet_session')).toBeUndefined();
  });

  it('stores only the hash of a login token, and never redirects to another site', async () => {
    const client = new WebClient(app);
    const address = email();
    await client.post('/logga-in', { email: address });
    const token = await latestLoginToken(stack.deps.db, address);
    expect(await stack.deps.db.loginToken.count({ where: { tokenHash: token } })).toBe(0);
    const res = await client.post('/logga-in/verifiera', { token, next: '//evil.example/x' });
    expect(res.headers.get('location')).toBe('/mina-arenden');
  });

  it('refuses a malformed e-mail address with a message beside the field', async () => {
    const res = await new WebClient(app).post('/logga-in', { email: 'inte-en-adress' });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-email-error"[^>]*>.*giltig e-postadress/s);
  });

  it('limits how many links one address can be sent', async () => {
    const client = new WebClient(app);
    const address = email();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.post('/logga-in', { email: address })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(429);
  });
});

describe('sessions', () => {
  it('redirects an unauthenticated visitor of Mina ärenden to the login', async () => {
    const res = await new WebClient(app).get('/mina-arenden');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/logga-in?next=%2Fmina-arenden');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const client = new WebClient(app);
    const address = email();
    await client.post('/logga-in', { email: address });
    const res = await client.post('/logga-in/verifiera', { token: await latestLoginToken(stack.deps.db, address) });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('komet_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('ends a session after 30 idle minutes and at logout', async () => {
    const client = await WebClient.loggedIn(app, stack.deps.db, email());
    expect((await client.get('/mina-arenden')).status).toBe(200);
    await client.post('/logga-ut', {});
    expect((await client.get('/mina-arenden')).status).toBe(303);

    const idle = new WebClient(app);
    const address = email();
    await idle.login(stack.deps.db, address);
    await stack.deps.db.webSession.updateMany({
      where: { person: { email: address } },
      data: { lastSeenAt: new Date(Date.now() - 31 * 60 * 1000) },
    });
    expect((await idle.get('/mina-arenden')).status).toBe(303);
  });
});

describe('access per record', () => {
  it('shows a parent their own case and nobody else’s', async () => {
    expect((await owner.get(`/mina-arenden/${caseNumber}`)).status).toBe(200);
    const other = await WebClient.loggedIn(app, stack.deps.db, email());
    expect((await other.get(`/mina-arenden/${caseNumber}`)).status).toBe(404);
    expect((await other.get(`/mina-arenden/${caseNumber}/status`)).status).toBe(404);
  });

  it('gives a group leader of another district 404 on the case and its decision', async () => {
    const leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderRinkeby);
    expect((await leader.get(`/personal/ansokningar/${caseNumber}`)).status).toBe(404);
    const decide = await leader.post(`/personal/ansokningar/${caseNumber}/beslut`, { decision: 'admit' });
    expect(decide.status).toBe(404);
    const list = await (await leader.get('/personal/ansokningar?status=all')).text();
    expect(list).not.toContain(caseNumber);
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status).toBe('submitted');
  });

  it('keeps parents out of the staff pages', async () => {
    expect((await owner.get('/personal/ansokningar')).status).toBe(403);
    expect((await owner.get('/personal/arenden')).status).toBe(403);
  });

  it('writes a staff member’s look at a case to the audit trail, hidden from the parent', async () => {
    const leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
    // The audit trail (R11.5), not the case's own history: one entry per open, the own handling as reason.
    const leaderId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
    const opened = { caseNumber, actorId: leaderId, action: 'caseOpened' as const, reason: OWN_CASE_REASON };
    const before = await stack.deps.db.auditEntry.count({ where: opened });
    const page = await (await leader.get(`/personal/ansokningar/${caseNumber}`)).text();
    expect(page).toContain('Maria Andersson');
    expect(await stack.deps.db.auditEntry.count({ where: opened })).toBe(before + 1);
    expect(await stack.deps.db.caseEvent.count({ where: { application: { caseNumber }, type: { startsWith: 'access.' } } })).toBe(0);
    await eventually(async () => expect(await (await owner.get(`/mina-arenden/${caseNumber}/status`)).text()).not.toContain('Personal öppnade'));
  });
});

describe('headers and modes', () => {
  it('sends a strict Content-Security-Policy and no-store on pages', async () => {
    const res = await new WebClient(app).get('/');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('has no dev inbox in production mode', async () => {
    const production = createApp({ ...stack.deps, config: { ...stack.deps.config, embedded: false } });
    expect((await production.request('/dev/inbox')).status).toBe(404);
    expect((await app.request('/dev/inbox')).status).toBe(200);
  });
});
