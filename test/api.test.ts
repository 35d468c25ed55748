// The integration API v1 (R11.4) against the whole back end: real Temporal, PostgreSQL and worker.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../lib/apiKeys';
import { parentApplicationWorkflowId, statusQuery } from '../workflows/parentApplication.messages';
import { createApp } from '../web/app';
import { eventually } from './support/eventually';
import { createCitizen, startStack, TEST_PERSONNUMMER, type TestStack } from './support/stack';
import { noticeEvent, SUBMITTED_EVENT } from '../rules/caseEvents';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let writeKey: string;
let readKey: string;
let bothKey: string;
let courseId: string;
let otherCourseId: string;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  writeKey = (await createApiKey(db, { name: 'portal', scopes: ['applications:write'] })).key;
  readKey = (await createApiKey(db, { name: 'reader', scopes: ['cases:read'] })).key;
  bothKey = (await createApiKey(db, { name: 'both', scopes: ['applications:write', 'cases:read'] })).key;
  const courses = await db.course.findMany({ where: { status: 'open' }, orderBy: { title: 'asc' } });
  courseId = courses.find((c) => c.language === 'sv')!.id;
  otherCourseId = courses.find((c) => c.language === 'en')!.id;
});

afterAll(async () => {
  await stack?.stop();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

function post(body: unknown, headers: Record<string, string> = {}, key = writeKey) {
  return app.request('/api/v1/applications', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...auth(key), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function applicant(personnummer: string, overrides: Record<string, unknown> = {}) {
  return {
    courseId,
    email: `api-${randomUUID().slice(0, 8)}@example.org`,
    name: 'Maria Andersson',
    personnummer,
    phone: '070-111 22 33',
    childAge: 7,
    message: 'Vi bor nära.',
    ...overrides,
  };
}

const counts = async () => ({
  applications: await stack.deps.db.application.count(),
  persons: await stack.deps.db.person.count(),
});

describe('GET /api/v1/courses', () => {
  it('is public and shows free seats (capacity minus admitted)', async () => {
    const db = stack.deps.db;
    const arabic = await db.course.findFirstOrThrow({ where: { language: 'ar' } });
    const person = await createCitizen(stack.deps);
    await db.application.create({
      data: {
        caseNumber: 'KOM-1999-000001',
        kind: 'groupCourse',
        personId: person.id,
        courseId: arabic.id,
        status: 'admitted',
        answers: {},
        idempotencyKey: `seed:${randomUUID()}`,
        workflowId: `seed-${randomUUID()}`,
      },
    });

    const res = await app.request('/api/v1/courses');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const { courses } = (await res.json()) as { courses: any[] };
    expect(courses.length).toBe(await db.course.count({ where: { status: 'open', kind: { not: 'training' } } }));
    const listed = courses.find((c) => c.id === arabic.id);
    expect(listed).toMatchObject({ capacity: 10, freeSeats: 9, status: 'open', language: 'ar', district: { slug: 'rinkeby-kista' } });
    expect(listed.sessions).toHaveLength(10);
    expect(listed.firstSession).toBe(listed.sessions[0].startsAt);
    expect(listed.sessions[0].place).toContain('Kista Träff');
    expect(listed.contacts[0]).toMatchObject({ name: 'Ahmed Yusuf', email: expect.stringContaining('@'), phone: expect.any(String) });
    expect(courses.find((c) => c.id === courseId).freeSeats).toBe(12);
  });

  it('filters by district, kind and language', async () => {
    const bySlug = (await (await app.request('/api/v1/courses?district=sodermalm')).json()) as { courses: any[] };
    expect(bySlug.courses.length).toBeGreaterThan(0);
    expect(bySlug.courses.every((c) => c.district.slug === 'sodermalm')).toBe(true);
    const byLang = (await (await app.request('/api/v1/courses?language=en')).json()) as { courses: any[] };
    expect(byLang.courses.map((c) => c.id)).toContain(otherCourseId);
    expect(byLang.courses.every((c) => c.language === 'en')).toBe(true);
    const byKind = (await (await app.request('/api/v1/courses?kind=webCourse')).json()) as { courses: any[] };
    expect(byKind.courses.every((c) => c.kind === 'webCourse')).toBe(true);
    const none = (await (await app.request('/api/v1/courses?district=no-such-district')).json()) as { courses: any[] };
    expect(none.courses).toEqual([]);
    const bad = await app.request('/api/v1/courses?kind=training');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('bad_request');
  });
});

describe('authentication', () => {
  it('refuses a request without a key with 401 and nothing stored', async () => {
    const before = await counts();
    const res = await app.request('/api/v1/applications', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(applicant(TEST_PERSONNUMMER[6])),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(await counts()).toEqual(before);
  });

  it('refuses unknown and revoked keys with 401', async () => {
    expect((await post(applicant(TEST_PERSONNUMMER[6]), {}, 'komet_not-a-real-key')).status).toBe(401);
    const revoked = await createApiKey(stack.deps.db, { name: 'old', scopes: ['applications:write'] });
    await revokeApiKey(stack.deps.db, revoked.id);
    expect((await post(applicant(TEST_PERSONNUMMER[6]), {}, revoked.key)).status).toBe(401);
  });

  it('refuses a key without the scope with 403', async () => {
    const res = await post(applicant(TEST_PERSONNUMMER[6]), {}, readKey);
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe('forbidden');
    const read = await app.request('/api/v1/cases/KOM-2025-000001', { headers: auth(writeKey) });
    expect(read.status).toBe(403);
  });

  it('stores only the hash of a key', async () => {
    const created = await createApiKey(stack.deps.db, { name: 'hash-check', scopes: ['cases:read'] });
    expect(created.key).toMatch(/^komet_[\w-]{43}$/);
    const row = await stack.deps.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.keyHash).not.toContain(created.key);
    await expect(createApiKey(stack.deps.db, { name: 'x', scopes: ['cases:write'] })).rejects.toThrow(/Unknown scope/);
  });
});

describe('POST /api/v1/applications: validation', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a bad personnummer checksum', { personnummer: '19811218-9877' }, 'personnummer'],
    ['a personnummer written YYMMDD-NNNN', { personnummer: '811218-9876' }, 'personnummer'],
    ['a bad phone number', { phone: '12ab' }, 'phone'],
    ['a bad e-mail address', { email: 'not-an-email' }, 'email'],
    ['a child aged 25', { childAge: 25 }, 'childAge'],
    ['a child age of null (not coerced to 0)', { childAge: null }, 'childAge'],
    ['a message over 1000 characters', { message: 'x'.repeat(1001) }, 'message'],
    ['a course id that is no uuid', { courseId: 'abc' }, 'courseId'],
  ];

  it.each(cases)('answers 422 for %s, names the field and stores nothing', async (_, override, field) => {
    const before = await counts();
    const res = await post(applicant(TEST_PERSONNUMMER[6], override));
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as any;
    expect(error.code).toBe('invalid');
    expect(Object.keys(error.fields)).toEqual([field]);
    expect(error.fields[field]).not.toMatch(/^errors\./); // translated, not a raw key
    expect(await counts()).toEqual(before);
  });

  it('answers 422 naming every missing field', async () => {
    const before = await counts();
    const res = await post({});
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as any;
    expect(Object.keys(error.fields).sort()).toEqual(['childAge', 'courseId', 'email', 'name', 'personnummer', 'phone']);
    expect(await counts()).toEqual(before);
  });

  it('gives English field messages on request', async () => {
    const res = await post(applicant(TEST_PERSONNUMMER[6], { childAge: 25 }), { 'Accept-Language': 'en-GB,en;q=0.9' });
    const { error } = (await res.json()) as any;
    expect(error.fields.childAge).not.toMatch(/^errors\./);
  });

  it('answers 400 for malformed JSON, a non-object body, a wrong content type and an overlong Idempotency-Key', async () => {
    const before = await counts();
    for (const res of [
      await post('{"courseId": '),
      await post('[1, 2]'),
      await post(JSON.stringify(applicant(TEST_PERSONNUMMER[6])), { 'Content-Type': 'text/plain' }),
      await post(applicant(TEST_PERSONNUMMER[6]), { 'Idempotency-Key': 'k'.repeat(201) }),
    ]) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error.code).toBe('bad_request');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('POST /api/v1/applications: submitting', () => {
  let caseNumber: string;
  let email: string;

  it('answers 201 with the case number and starts the case workflow', async () => {
    const body = applicant(TEST_PERSONNUMMER[0]);
    email = body.email;
    const res = await post(body);
    expect(res.status).toBe(201);
    const json = (await res.json()) as any;
    expect(json.caseNumber).toMatch(/^KOM-\d{4}-\d{6}$/);
    expect(json).toEqual({ caseNumber: json.caseNumber, status: 'submitted', links: { self: `/api/v1/cases/${json.caseNumber}` } });
    expect(res.headers.get('location')).toBe(json.links.self);
    caseNumber = json.caseNumber;

    const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
    await eventually(async () => expect((await handle.query(statusQuery)).noticesSent).toContain('confirmation'));

    const stored = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber }, include: { person: true, events: true } });
    expect(stored.person).toMatchObject({ email, personnummer: TEST_PERSONNUMMER[0], phone: '+46701112233', name: 'Maria Andersson' });
    expect(stored.events.find((e) => e.type === 'submitted')?.actor).toBe('api:portal');
  });

  it('returns the same case for a repeated Idempotency-Key', async () => {
    const body = applicant(TEST_PERSONNUMMER[1]);
    const key = randomUUID();
    const first = await post(body, { 'Idempotency-Key': key });
    const second = await post(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const [a, b] = [(await first.json()) as any, (await second.json()) as any];
    expect(b.caseNumber).toBe(a.caseNumber);
    const person = await stack.deps.db.person.findUniqueOrThrow({ where: { personnummer: TEST_PERSONNUMMER[1] } });
    expect(await stack.deps.db.application.count({ where: { personId: person.id } })).toBe(1);
  });

  it('scopes Idempotency-Keys per API key', async () => {
    const key = randomUUID();
    const a = (await (await post(applicant(TEST_PERSONNUMMER[2]), { 'Idempotency-Key': key })).json()) as any;
    const res = await post(applicant(TEST_PERSONNUMMER[3]), { 'Idempotency-Key': key }, bothKey);
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).caseNumber).not.toBe(a.caseNumber);
  });

  it('answers 409 already_applied for a second active application to the same course', async () => {
    const res = await post(applicant(TEST_PERSONNUMMER[0], { email }));
    expect(res.status).toBe(409);
    expect(((await res.json()) as any).error.code).toBe('already_applied');
  });

  it('answers 409 conflict when the e-mail belongs to a person with another personnummer', async () => {
    const before = await counts();
    const res = await post(applicant(TEST_PERSONNUMMER[4], { email, courseId: otherCourseId }));
    expect(res.status).toBe(409);
    expect(((await res.json()) as any).error.code).toBe('conflict');
    expect(await counts()).toEqual(before);
  });

  it('uses the person who logged in with the e-mail before', async () => {
    // An ASCII address: the API's e-mail check (z.email) refuses createCitizen's default "forälder-…".
    const citizen = await createCitizen(stack.deps, `citizen-${randomUUID().slice(0, 8)}@example.org`);
    const res = await post(applicant(TEST_PERSONNUMMER[4], { email: citizen.email.toUpperCase() }));
    expect(res.status).toBe(201);
    const stored = await stack.deps.db.person.findUniqueOrThrow({ where: { id: citizen.id } });
    expect(stored.personnummer).toBe(TEST_PERSONNUMMER[4]);
  });

  it('answers 422 course_not_open for a closed course and leaves no person behind', async () => {
    const db = stack.deps.db;
    const district = await db.district.findFirstOrThrow();
    const closed = await db.course.create({ data: { kind: 'groupCourse', title: 'Stängd kurs', districtId: district.id, capacity: 5, status: 'closed' } });
    const before = await counts();
    const res = await post(applicant(TEST_PERSONNUMMER[5], { courseId: closed.id }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).error.code).toBe('course_not_open');
    expect(await counts()).toEqual(before);
    const unknown = await post(applicant(TEST_PERSONNUMMER[5], { courseId: randomUUID() }));
    expect(((await unknown.json()) as any).error.code).toBe('course_not_open');
  });

  describe('GET /api/v1/cases/{caseNumber}', () => {
    it('answers the status and events without personal data', async () => {
      const res = await app.request(`/api/v1/cases/${caseNumber}`, { headers: auth(readKey) });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const text = await res.text();
      const json = JSON.parse(text);
      expect(json).toMatchObject({
        caseNumber,
        kind: 'groupCourse',
        status: 'submitted',
        submittedAt: expect.any(String),
        course: { id: courseId, title: expect.any(String), district: { slug: expect.any(String), name: expect.any(String) } },
        queuePosition: null,
        workflow: { caseNumber, status: 'submitted', noticesSent: ['confirmation'] },
      });
      expect(json.events.map((e: any) => e.type)).toEqual([SUBMITTED_EVENT, noticeEvent('confirmation')]);
      for (const e of json.events) expect(Object.keys(e).sort()).toEqual(['at', 'type']);
      for (const secret of [TEST_PERSONNUMMER[0], TEST_PERSONNUMMER[0].replace('-', ''), email, 'Maria', 'Andersson', 'Vi bor nära', '+46701112233']) {
        expect(text).not.toContain(secret);
      }
    });

    it('answers 404 for an unknown or malformed case number', async () => {
      for (const number of ['KOM-2020-999999', 'abc', 'KOM-2025-1']) {
        const res = await app.request(`/api/v1/cases/${number}`, { headers: auth(readKey) });
        expect(res.status).toBe(404);
        expect(((await res.json()) as any).error.code).toBe('not_found');
      }
    });

    it('answers 401 without a key', async () => {
      expect((await app.request(`/api/v1/cases/${caseNumber}`)).status).toBe(401);
    });
  });
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document listing the three endpoints', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/courses', '/api/v1/applications', '/api/v1/cases/{caseNumber}']));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const body = doc.components.schemas.ApplicationRequest;
    expect(body.required).toEqual(expect.arrayContaining(['courseId', 'email', 'name', 'personnummer', 'phone', 'childAge']));
    expect(body.properties.childAge).toMatchObject({ minimum: 0, maximum: 18 });
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
  });
});

describe('npm run apikey', () => {
  const run = promisify(execFile);
  const script = (args: string[], extra: Record<string, string> = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: stack.database.url, ...extra };
    delete env.SESSION_SECRET; // production mode without a session secret: the script needs none
    return run('npx', ['tsx', 'scripts/apikey.ts', ...args], { env });
  };

  it('prints a working key once', async () => {
    const { stdout } = await script(['--scopes', 'cases:read', '--name', 'cli']);
    const key = /komet_[\w-]{43}/.exec(stdout)?.[0];
    expect(key).toBeDefined();
    expect(stdout).toMatch(/cannot be shown again/);
    const res = await app.request('/api/v1/cases/KOM-2020-999999', { headers: auth(key!) });
    expect(res.status).toBe(404); // authenticated and authorised, the case just does not exist
  });

  it('exits non-zero on an unknown scope', async () => {
    await expect(script(['--scopes', 'cases:write'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown scope/) });
  });

  it('exits non-zero when the database cannot be reached', async () => {
    const nowhere = 'postgresql://postgres:secret@127.0.0.1:1/komet';
    const failure = await script(['--scopes', 'cases:read'], { DATABASE_URL: nowhere }).catch((err) => err);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot reach the database at 127\.0\.0\.1:1/) });
    expect(failure.stderr).not.toContain('secret');
  });
});
