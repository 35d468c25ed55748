// e-ID login through OpenID Connect (issue 15) against a real oidc-provider: a citizen's
// e-legitimation fills in and locks the application's personnummer and is the same person next
// time; staff are matched to their grants by e-mail; a bad state, a replayed code, a token for
// another audience, an expired token, a missing personnummer and an unknown staff address are each
// refused with a page that says why, and no session is created.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginConfig, type Env } from '../../lib/config';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { PNR_CLAIM, startOidcProvider, type TestOidcProvider } from '../support/oidcProvider';
import { startStack, type TestStack } from '../support/stack';
import { latestLoginToken, VALID_FORM, WebClient } from '../support/webClient';

const PUBLIC_URL = 'http://localhost:3000';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let broker: TestOidcProvider;
let cityIdp: TestOidcProvider;
let courseId: string;

beforeAll(async () => {
  [broker, cityIdp] = await Promise.all([startOidcProvider(PUBLIC_URL, 'eid'), startOidcProvider(PUBLIC_URL, 'staff-oidc')]);
  const env = {
    OIDC_ISSUER: broker.issuer,
    OIDC_CLIENT_ID: broker.clientId,
    OIDC_CLIENT_SECRET: broker.clientSecret,
    OIDC_SCOPES: 'openid profile https://id.oidc.se/scope/naturalPersonNumber',
    OIDC_PERSONNUMMER_CLAIM: PNR_CLAIM,
    OIDC_STAFF_ISSUER: cityIdp.issuer,
    OIDC_STAFF_CLIENT_ID: cityIdp.clientId,
    OIDC_STAFF_CLIENT_SECRET: cityIdp.clientSecret,
    OIDC_STAFF_SCOPES: 'openid email profile',
    OIDC_STAFF_EMAIL_CLAIM: 'email',
  } as Env;
  stack = await startStack({ publicUrl: PUBLIC_URL, login: loginConfig(env, true) });
  app = createApp(stack.deps);
  courseId = (await stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } })).id;
});
afterAll(async () => {
  await stack?.stop();
  await broker?.close();
  await cityIdp?.close();
});

let serial = 0;
/** A citizen at the broker, with a personnummer in the claim as the Swedish profile gives it (12 digits). */
function citizenAccount(personnummer: string | null, extra: Record<string, unknown> = {}): string {
  const sub = `citizen-${++serial}-${randomUUID().slice(0, 6)}`;
  broker.accounts.set(sub, { given_name: 'Maria', family_name: 'Andersson', ...(personnummer ? { [PNR_CLAIM]: personnummer.replace('-', '') } : {}), ...extra });
  return sub;
}

/** Starts the login at Komet, signs in at the provider: the callback address the provider sends back to. */
async function throughProvider(client: WebClient, provider: TestOidcProvider, startPath: string, account: string): Promise<string> {
  const start = await client.get(startPath);
  expect(start.status).toBe(303);
  const location = start.headers.get('location')!;
  expect(location.startsWith(provider.issuer)).toBe(true);
  const auth = new URL(location);
  // PKCE (S256), state and nonce travel with every authorization request.
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  expect(auth.searchParams.get('code_challenge')).toBeTruthy();
  expect(auth.searchParams.get('state')).toBeTruthy();
  expect(auth.searchParams.get('nonce')).toBeTruthy();
  return provider.signIn(location, account);
}

const sessions = () => stack.deps.db.webSession.count();

/** Whose "Mina ärenden" the browser sees: the person of its newest session. */
async function sessionPerson(client: WebClient): Promise<string | null> {
  if (!client.cookie('komet_session') || (await client.get('/mina-arenden')).status !== 200) return null;
  const newest = await stack.deps.db.webSession.findFirst({ orderBy: { createdAt: 'desc' }, select: { personId: true } });
  return newest?.personId ?? null;
}

/** A refusal page: a clear 4xx page saying why, no session cookie, no new session row. */
async function expectRefused(client: WebClient, callback: string, reason: string, status = 400) {
  const before = await sessions();
  const res = await client.get(callback);
  const html = await res.text();
  expect(res.status).toBe(status);
  expect(html).toContain(`data-reason="${reason}"`);
  expect(html).toContain('Inloggningen gick inte igenom');
  expect(client.cookie('komet_session')).toBeUndefined();
  expect(await sessions()).toBe(before);
}

describe('the login page', () => {
  it('offers e-legitimation, the e-mail link and the city login for staff', async () => {
    const html = await (await new WebClient(app).get('/logga-in')).text();
    expect(html).toContain('Logga in med e-legitimation');
    expect(html).toContain('href="/logga-in/e-legitimation"');
    expect(html).toContain('href="/logga-in/medarbetare"');
    expect(html).toContain('action="/logga-in"');
  });
});

describe('a citizen with e-legitimation', () => {
  const personnummer = '19900101-0017';
  let account: string;
  let personId: string;

  it('first time: gives an e-mail address, confirms it by link, and lands in Mina ärenden', async () => {
    account = citizenAccount(personnummer);
    const client = new WebClient(app);
    const callback = await throughProvider(client, broker, '/logga-in/e-legitimation', account);
    const back = await client.get(callback);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/logga-in/e-legitimation/e-post');
    expect(client.cookie('komet_session')).toBeUndefined();

    const ask = await client.get('/logga-in/e-legitimation/e-post');
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Hej Maria Andersson!');
    const email = `eid-${randomUUID().slice(0, 8)}@example.org`;
    expect((await client.post('/logga-in/e-legitimation/e-post', { email: 'inte en adress' })).status).toBe(422);
    expect((await client.post('/logga-in/e-legitimation/e-post', { email })).status).toBe(200);
    const token = await latestLoginToken(stack.deps.db, email);
    const verified = await client.post('/logga-in/verifiera', { token, next: '' });
    expect(verified.status).toBe(303);
    expect(verified.headers.get('location')).toBe('/mina-arenden');

    const person = await stack.deps.db.person.findUniqueOrThrow({ where: { email } });
    expect(person.personnummer).toBe(personnummer);
    expect(person.personnummerVerifiedAt).not.toBeNull();
    expect(person.name).toBe('Maria Andersson');
    personId = person.id;
    const session = await stack.deps.db.webSession.findFirstOrThrow({ where: { personId } });
    expect(session.oidcProvider).toBe('eid');
  });

  it('finds the personnummer filled in and locked in the application, and a posted other one is ignored', async () => {
    const client = new WebClient(app);
    const back = await client.get(await throughProvider(client, broker, `/logga-in/e-legitimation?next=${encodeURIComponent(`/kurser/${courseId}/ansok`)}`, account));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`/kurser/${courseId}/ansok`);
    const form = await (await client.get(`/kurser/${courseId}/ansok`)).text();
    expect(form).toMatch(new RegExp(`name="personnummer" type="text" value="${personnummer}"[^>]*readonly`));
    expect(form).toContain('Hämtat från din e-legitimation');

    const sent = await client.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, personnummer: '19811218-9876', submissionKey: randomUUID() });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^\/mina-arenden\/KOM-/);
    const person = await stack.deps.db.person.findUniqueOrThrow({ where: { id: personId } });
    expect(person.personnummer).toBe(personnummer);
    expect(await stack.deps.db.person.count({ where: { personnummer: '19811218-9876' } })).toBe(0);
  });

  it('is the same person at the next login, straight into Mina ärenden', async () => {
    const client = new WebClient(app);
    const back = await client.get(await throughProvider(client, broker, '/logga-in/e-legitimation', account));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/mina-arenden');
    expect(await sessionPerson(client)).toBe(personId);
    expect(await stack.deps.db.person.count({ where: { personnummer } })).toBe(1);
  });

  it('logs out of Komet and of the broker', async () => {
    const client = new WebClient(app);
    await client.get(await throughProvider(client, broker, '/logga-in/e-legitimation', account));
    const before = await stack.deps.db.webSession.count({ where: { personId } });
    const out = await client.post('/logga-ut', {});
    expect(out.status).toBe(303);
    const end = new URL(out.headers.get('location')!);
    expect(end.origin).toBe(broker.issuer);
    expect(end.pathname).toBe('/session/end');
    expect(end.searchParams.get('id_token_hint')).toBeTruthy();
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/logga-ut/klar`);
    expect(await stack.deps.db.webSession.count({ where: { personId } })).toBe(before - 1);
    expect(client.cookie('komet_session')).toBeUndefined();
    expect((await client.get('/logga-ut/klar')).status).toBe(200);
  });
});

describe('refused citizen logins: a clear page, no session', () => {
  it('a state that does not match the login begun in this browser', async () => {
    const client = new WebClient(app);
    const callback = await throughProvider(client, broker, '/logga-in/e-legitimation', citizenAccount('19850505-0008'));
    const url = new URL(callback, PUBLIC_URL);
    url.searchParams.set('state', 'forged-state');
    await expectRefused(client, url.pathname + url.search, 'state');
  });

  it('a return without a login begun in this browser', async () => {
    const callback = await throughProvider(new WebClient(app), broker, '/logga-in/e-legitimation', citizenAccount('19850505-0008'));
    await expectRefused(new WebClient(app), callback, 'state');
  });

  it('a replayed code, even with the browser’s transaction copied', async () => {
    const first = new WebClient(app);
    const callback = await throughProvider(first, broker, '/logga-in/e-legitimation', citizenAccount('19790312-0009'));
    const transaction = first.cookie('komet_oidc')!;
    expect((await first.get(callback)).status).toBe(303);
    const errorsBefore = broker.tokenErrors;
    const before = await sessions();
    const replay = await new WebClient(app).send(callback, { headers: { cookie: `komet_oidc=${transaction}` } });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('data-reason="token"');
    expect(broker.tokenErrors).toBe(errorsBefore + 1); // the provider itself refused the used code
    expect(await sessions()).toBe(before);
  });

  it('an ID token for another audience', async () => {
    const client = new WebClient(app);
    const callback = await throughProvider(client, broker, '/logga-in/e-legitimation', citizenAccount('19920228-0005'));
    broker.tamper = (payload) => ({ ...payload, aud: 'someone-else' });
    await expectRefused(client, callback, 'token');
  });

  it('an expired ID token', async () => {
    const client = new WebClient(app);
    const callback = await throughProvider(client, broker, '/logga-in/e-legitimation', citizenAccount('19880808-0009'));
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    broker.tamper = (payload) => ({ ...payload, iat: hourAgo - 600, exp: hourAgo });
    await expectRefused(client, callback, 'token');
  });

  it('an ID token without a personnummer claim', async () => {
    const client = new WebClient(app);
    const callback = await throughProvider(client, broker, '/logga-in/e-legitimation', citizenAccount(null));
    await expectRefused(client, callback, 'noPersonnummer');
  });

  it('the person cancelling at the broker', async () => {
    const client = new WebClient(app);
    const state = new URL((await client.get('/logga-in/e-legitimation')).headers.get('location')!).searchParams.get('state');
    await expectRefused(client, `/logga-in/e-legitimation/klar?error=access_denied&state=${state}`, 'cancelled');
  });
});

describe('a personnummer typed earlier into another account', () => {
  it('is not taken over by a new account: refused with a page, no session', async () => {
    const typed = '19750615-0007';
    const holder = await stack.deps.db.person.create({ data: { email: `typed-${randomUUID().slice(0, 8)}@example.org`, personnummer: typed } });
    const client = new WebClient(app);
    expect((await client.get(await throughProvider(client, broker, '/logga-in/e-legitimation', citizenAccount(typed)))).headers.get('location')).toBe(
      '/logga-in/e-legitimation/e-post',
    );
    const email = `new-${randomUUID().slice(0, 8)}@example.org`;
    await client.post('/logga-in/e-legitimation/e-post', { email });
    const before = await sessions();
    const res = await client.post('/logga-in/verifiera', { token: await latestLoginToken(stack.deps.db, email), next: '' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('data-reason="taken"');
    expect(await sessions()).toBe(before);
    expect((await stack.deps.db.person.findUniqueOrThrow({ where: { id: holder.id } })).personnummerVerifiedAt).toBeNull();
    expect((await stack.deps.db.person.findUniqueOrThrow({ where: { email } })).personnummer).toBeNull();
  });

  it('is proved when its own account confirms the e-mail address', async () => {
    const typed = '19811218-9876';
    const holder = await stack.deps.db.person.create({ data: { email: `own-${randomUUID().slice(0, 8)}@example.org`, personnummer: typed } });
    const client = new WebClient(app);
    await client.get(await throughProvider(client, broker, '/logga-in/e-legitimation', citizenAccount(typed)));
    await client.post('/logga-in/e-legitimation/e-post', { email: holder.email });
    const res = await client.post('/logga-in/verifiera', { token: await latestLoginToken(stack.deps.db, holder.email), next: '' });
    expect(res.status).toBe(303);
    expect((await stack.deps.db.person.findUniqueOrThrow({ where: { id: holder.id } })).personnummerVerifiedAt).not.toBeNull();
  });
});

describe('staff through the city identity provider', () => {
  function staffAccount(email: string, extra: Record<string, unknown> = {}): string {
    const sub = `staff-${++serial}`;
    cityIdp.accounts.set(sub, { email, email_verified: true, name: 'Medarbetare', ...extra });
    return sub;
  }

  it('are matched to their grants by e-mail and land on their page', async () => {
    const client = new WebClient(app);
    const back = await client.get(await throughProvider(client, cityIdp, '/logga-in/medarbetare', staffAccount(DEMO_STAFF.admin.toUpperCase())));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/personal');
    expect((await client.get('/personal/admin')).status).toBe(200);
    const admin = await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.admin } });
    expect(await stack.deps.db.webSession.count({ where: { personId: admin.id, oidcProvider: 'staff-oidc' } })).toBe(1);
  });

  it('an unknown e-mail address is refused', async () => {
    const client = new WebClient(app);
    await expectRefused(client, await throughProvider(client, cityIdp, '/logga-in/medarbetare', staffAccount('okand@stockholm.se')), 'noGrant', 403);
    expect(await stack.deps.db.person.count({ where: { email: 'okand@stockholm.se' } })).toBe(0);
  });

  it('an address the provider says is unverified is refused', async () => {
    const client = new WebClient(app);
    const account = staffAccount(DEMO_STAFF.central, { email_verified: false });
    await expectRefused(client, await throughProvider(client, cityIdp, '/logga-in/medarbetare', account), 'noEmail');
  });

  it('cannot log in by e-mail link while the city login is configured', async () => {
    const client = new WebClient(app);
    const before = await sessions();
    const res = await client.login(stack.deps.db, DEMO_STAFF.central);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('data-reason="staffUseOidc"');
    expect(await sessions()).toBe(before);
  });
});

describe('with the e-mail link switched off (LOGIN_METHODS=eid,staff-oidc)', () => {
  let eidOnly: ReturnType<typeof createApp>;
  beforeAll(() => {
    const { config } = stack.deps;
    eidOnly = createApp({ ...stack.deps, config: { ...config, login: { ...config.login, emailLink: false, staffEmailLink: false } } });
  });

  it('offers no e-mail form and refuses a login link', async () => {
    const client = new WebClient(eidOnly);
    const html = await (await client.get('/logga-in')).text();
    expect(html).toContain('Logga in med e-legitimation');
    expect(html).not.toContain('action="/logga-in"');
    expect((await client.post('/logga-in', { email: 'someone@example.org' })).status).toBe(404);
    const email = `old-${randomUUID().slice(0, 8)}@example.org`;
    await new WebClient(app).post('/logga-in', { email }); // a link sent while the method was still on
    const before = await sessions();
    const res = await client.post('/logga-in/verifiera', { token: await latestLoginToken(stack.deps.db, email), next: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('data-reason="emailOff"');
    expect(await sessions()).toBe(before);
  });

  it('still confirms a new e-ID citizen’s e-mail address', async () => {
    const client = new WebClient(eidOnly);
    await client.get(await throughProvider(client, broker, '/logga-in/e-legitimation', citizenAccount('19850505-0008')));
    const email = `eidonly-${randomUUID().slice(0, 8)}@example.org`;
    expect((await client.post('/logga-in/e-legitimation/e-post', { email })).status).toBe(200);
    const res = await client.post('/logga-in/verifiera', { token: await latestLoginToken(stack.deps.db, email), next: '' });
    expect(res.status).toBe(303);
    expect((await stack.deps.db.person.findUniqueOrThrow({ where: { email } })).personnummer).toBe('19850505-0008');
  });
});
