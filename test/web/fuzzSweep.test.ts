// A fuzz sweep over every form route and API endpoint (issue 14), in the style of the page sweep:
// the routes are read from the app itself (Hono's app.routes), so a new route is swept without
// being listed here. Each gets malformed bodies as an anonymous visitor, a logged-in citizen and
// staff: broken multipart, a body over the limit, NUL bytes, bytes that are not UTF-8, duplicated
// fields, fields as arrays, odd values, wrong content types. It must show no 5xx at all, the
// malformed bodies must be refused (400/413/422) on every route, and a refused request must
// leave no row behind.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../lib/apiKeys';
import { consentLinkPath, consentTokenFor } from '../../lib/enrolments/consentLink';
import { openSurveyInvitations } from '../../lib/surveys/invitations';
import { SURVEY_KINDS } from '../../lib/admin/surveyVersions';
import { TEMPLATE_KEYS } from '../../lib/templates/messageTemplates';
import { DEMO_STAFF } from '../../prisma/seed';
import { TRAINING_TITLE } from '../../prisma/seedTraining';
import { WEB_COURSE_TITLE } from '../../prisma/seedWebCourse';
import { createApp } from '../../web/app';
import { isMaterialUpload } from '../../web/materials/routes';
import { FORM_MAX_BYTES } from '../../web/security/requestBody';
import { eventually } from '../support/eventually';
import { nextPersonnummer } from '../support/personnummer';
import { startStack, type TestStack } from '../support/stack';
import { ORIGIN, VALID_ENROLMENT_FORM, VALID_FORM, WebClient } from '../support/webClient';

type Identity = 'anonymous' | 'citizen' | 'admin' | 'central' | 'counsellor' | 'guide';
const IDENTITIES: Identity[] = ['anonymous', 'citizen', 'admin', 'central', 'counsellor', 'guide'];
/** The malformed bodies are refused before any route logic: three identities show it for each route. */
const REFUSAL_IDENTITIES: Identity[] = ['anonymous', 'citizen', 'admin'];

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// ---- the routes and their fields, read from the app and its views ---------------------------

interface Route {
  method: string;
  path: string;
}

function formRoutes(app: ReturnType<typeof createApp>): Route[] {
  const seen = new Map<string, Route>();
  for (const r of app.routes) if (WITH_BODY.has(r.method)) seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  // Logging out ends the identity's session: last.
  return [...seen.values()].sort((a, b) => Number(a.path === '/logga-ut') - Number(b.path === '/logga-ut'));
}

/** Every field name the pages' forms and the routes read: the sweep sends each of them. */
function fieldNames(): string[] {
  const root = fileURLToPath(new URL('../../web', import.meta.url));
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(eta|ts)$/.test(entry) && !entry.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const pattern of [/name="([A-Za-z][\w-]*)"/g, /\bf\('([A-Za-z]\w*)'/g, /\b(?:form|body|values)\.([A-Za-z]\w*)\b/g, /\b(?:form|body)\[['"]([A-Za-z]\w*)['"]\]/g]) {
          for (const [, name] of text.matchAll(pattern)) names.add(name);
        }
      }
    }
  };
  walk(root);
  names.delete('_csrf');
  return [...names].sort();
}

// ---- the bodies -------------------------------------------------------------------------------

interface Body {
  name: string;
  contentType?: string;
  body: string | Uint8Array | null;
  /** Statuses a route must answer with; unset: anything below 500. */
  expect?: number[];
}

const BAD_UTF8 = new Uint8Array([...Buffer.from('name=Bj'), 0xf6, 0xfe, ...Buffer.from('rn&message=caf'), 0xe9]);
/**
 * Past the route's limit (uploads have a larger one), as one buffer or streamed in pieces without
 * a length; `body: OVER_LIMIT` marks these, the buffer is made for the route when it is sent.
 */
const OVER_LIMIT = new Uint8Array(0);
const overLimitBuffers = new Map<number, Uint8Array>();
function overLimit(route: Route): Uint8Array {
  const bytes = (isMaterialUpload(route.path.replace(/:\w+/g, 'x')) ? stack.deps.config.MATERIAL_MAX_BYTES + 64 * 1024 : FORM_MAX_BYTES) + 64 * 1024;
  if (!overLimitBuffers.has(bytes)) overLimitBuffers.set(bytes, new Uint8Array(bytes).fill(0x61));
  return overLimitBuffers.get(bytes)!;
}
const streamed = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      controller.close();
    },
  });
const ODD_VALUES = ['', ' ', '-1', '0', '9'.repeat(400), 'x'.repeat(20_000), '1e309', 'NaN', '<script>alert(1)</script>', '=cmd|/c calc', '2026-02-30', '../../etc/passwd', '{"a":1}', 'null', '\u202Eevil', '🙂'.repeat(50), 'ja', 'on'];

function formBodies(fields: string[]): Body[] {
  const form = (entries: [string, string][]) => entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const multipart = (boundary: string, parts: [string, string][]) =>
    parts.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') + `--${boundary}--\r\n`;
  const URLENCODED = 'application/x-www-form-urlencoded';
  return [
    { name: 'multipart without a boundary', contentType: 'multipart/form-data', body: form([['name', 'x']]), expect: [400] },
    { name: 'multipart that never ends', contentType: 'multipart/form-data; boundary=b0und', body: '--b0und\r\nContent-Disposition: form-data; name="name"\r\n\r\nx', expect: [400] },
    { name: 'multipart of garbage', contentType: 'multipart/form-data; boundary=zz', body: '\u0000\u0001garbage--zz\r\n\r\n--', expect: [400] },
    { name: 'a NUL byte in every field', contentType: URLENCODED, body: form(fields.map((f) => [f, `a\u0000b`])), expect: [422] },
    { name: 'a NUL byte in multipart', contentType: 'multipart/form-data; boundary=nul', body: multipart('nul', fields.map((f) => [f, 'a\u0000b'])), expect: [422] },
    { name: 'bytes that are not UTF-8', contentType: URLENCODED, body: BAD_UTF8, expect: [400] },
    { name: 'a broken %-escape', contentType: URLENCODED, body: 'name=%E0%A4%A&message=%', expect: [400] },
    { name: 'a body over the limit', contentType: URLENCODED, body: OVER_LIMIT, expect: [413] },
    { name: 'a body over the limit, streamed', contentType: URLENCODED, body: OVER_LIMIT, expect: [413] },
    // Below: well-formed bodies the routes themselves must refuse or take, never with a 5xx.
    { name: 'every field twice', contentType: URLENCODED, body: form(fields.flatMap((f) => [[f, 'x'], [f, 'y']] as [string, string][])) },
    { name: 'every field as an array', contentType: URLENCODED, body: form(fields.map((f) => [`${f}[]`, 'x'])) },
    // Odd values, a different one in each field, in three rotations: every field gets several.
    ...[0, 5, 11].map((shift): Body => ({ name: `odd values (rotation ${shift})`, contentType: URLENCODED, body: form(fields.map((f, i) => [f, ODD_VALUES[(i + shift) % ODD_VALUES.length]])) })),
    { name: 'multipart with a file in every field', contentType: 'multipart/form-data; boundary=f', body: fields.map((f) => `--f\r\nContent-Disposition: form-data; name="${f}"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n`).join('') + '--f--\r\n' },
    { name: 'JSON', contentType: 'application/json', body: JSON.stringify(Object.fromEntries(fields.map((f) => [f, [1, { a: null }]]))) },
    { name: 'plain text', contentType: 'text/plain', body: 'name=x' },
    { name: 'no content type', body: 'name=x' },
    { name: 'no body', contentType: URLENCODED, body: null },
  ];
}

function apiBodies(valid: Record<string, unknown>): Body[] {
  const JSON_TYPE = 'application/json';
  const every = (value: unknown) => JSON.stringify(Object.fromEntries(Object.keys(valid).map((k) => [k, value])));
  return [
    { name: 'a NUL escape in a string', contentType: JSON_TYPE, body: JSON.stringify({ ...valid, name: 'A\u0000B' }), expect: [422] },
    { name: 'a NUL escape in every string', contentType: JSON_TYPE, body: every('a\u0000b'), expect: [401, 422] },
    { name: 'bytes that are not UTF-8', contentType: JSON_TYPE, body: new Uint8Array([...Buffer.from('{"name":"Bj'), 0xf6, ...Buffer.from('rn"}')]), expect: [400] },
    { name: 'a body over the limit', contentType: JSON_TYPE, body: OVER_LIMIT, expect: [413] },
    { name: 'a body over the limit, streamed', contentType: JSON_TYPE, body: OVER_LIMIT, expect: [413] },
    { name: 'broken JSON', contentType: JSON_TYPE, body: '{"name": "x",', expect: [400] },
    { name: 'an array', contentType: JSON_TYPE, body: '[1,2,3]', expect: [400] },
    { name: 'a string', contentType: JSON_TYPE, body: '"x"', expect: [400] },
    { name: 'null', contentType: JSON_TYPE, body: 'null', expect: [400] },
    { name: 'every field a number', contentType: JSON_TYPE, body: every(12), expect: [400, 422] },
    { name: 'every field an array', contentType: JSON_TYPE, body: every(['x']), expect: [400, 422] },
    { name: 'every field an object', contentType: JSON_TYPE, body: every({ $gt: '' }), expect: [400, 422] },
    { name: 'every field null', contentType: JSON_TYPE, body: every(null), expect: [400, 422] },
    { name: 'every field huge', contentType: JSON_TYPE, body: every('x'.repeat(2000)), expect: [400, 413, 422] },
    { name: 'keys twice', contentType: JSON_TYPE, body: JSON.stringify(valid).replace(/^\{/, '{"email":"ett@example.org","name":["x"],') },
    { name: 'a form body', contentType: 'application/x-www-form-urlencoded', body: 'name=x&email=a@b.se', expect: [400] },
    { name: 'bad multipart', contentType: 'multipart/form-data; boundary=x', body: '--x\r\n\r\n', expect: [400] },
    { name: 'plain text', contentType: 'text/plain', body: '{}', expect: [400] },
  ];
}

// ---- the app, the identities and real ids for the routes' parameters ------------------------

let stack: TestStack;
let app: ReturnType<typeof createApp>;
const clients = new Map<Identity, WebClient>();
let apiKey: string;
let params: (route: Route) => string;
let validApplication: Record<string, unknown>;

/** The main tables, counted in one statement (the "no partial rows" check). */
const TABLES = [
  'person', 'role_grant', 'room', 'course', 'course_session', 'application', 'login_token', 'api_key', 'setting', 'material',
  'diary_note', 'survey_definition', 'survey_response', 'calendar_feed', 'attendance', 'supervision_group', 'invoice',
  'certificate', 'message_template', 'chat_block', 'chat_survey_answer', 'concern_report', 'chat_outcome_choice', 'chat_outcome',
];
/** Also written by workflows, in the background: counted only around the refusals of phase 1. */
const BACKGROUND_TABLES = ['case_event', 'notification', 'consent_request', 'seat_offer', 'survey_invitation', 'chat_conversation', 'chat_message', 'audit_entry'];

async function rowCounts(tables: string[]): Promise<Record<string, number>> {
  const [row] = await stack.deps.db.$queryRawUnsafe<Record<string, bigint>[]>(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t}) AS "${t}"`).join(', ')}`);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  const secret = stack.deps.config.sessionSecret;
  const citizenEmail = `fuzz-${randomUUID().slice(0, 8)}@example.org`;
  for (const who of IDENTITIES) {
    const client = new WebClient(app, { address: `192.0.2.${IDENTITIES.indexOf(who) + 1}` });
    await client.get('/');
    if (who === 'citizen') await client.login(db, citizenEmail);
    else if (who !== 'anonymous') await client.login(db, DEMO_STAFF[who]);
    clients.set(who, client);
  }

  const course = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, kind: 'groupCourse', status: 'open' }, include: { sessions: true } });
  const training = await db.course.findFirstOrThrow({ where: { title: TRAINING_TITLE, kind: 'training' }, include: { sessions: true } });
  const webCourse = await db.course.findFirstOrThrow({ where: { title: WEB_COURSE_TITLE, kind: 'webCourse' } });
  const room = await db.room.findFirstOrThrow();
  const citizen = clients.get('citizen')!;
  const applied = await citizen.post(`/kurser/${course.id}/ansok`, { ...VALID_FORM, personnummer: nextPersonnummer(), submissionKey: randomUUID() });
  const caseNumber = /KOM-\d{4}-\d{6}/.exec(applied.headers.get('location') ?? '')![0];
  const application = await db.application.findUniqueOrThrow({ where: { caseNumber } });
  const enrolled = await citizen.post(`/utbildningar/${training.id}/anmal`, { ...VALID_ENROLMENT_FORM, submissionKey: randomUUID() });
  const enrolmentCase = /KOM-\d{4}-\d{6}/.exec(enrolled.headers.get('location') ?? '')![0];
  const enrolment = await db.application.findUniqueOrThrow({ where: { caseNumber: enrolmentCase } });
  const consent = await eventually(async () => {
    const request = await db.consentRequest.findUniqueOrThrow({ where: { applicationId: enrolment.id } });
    expect(request.tokenHash).not.toMatch(/^pending:/);
    return request;
  });
  const [invitation] = await openSurveyInvitations(db, secret, { applicationId: application.id, courseId: course.id, kinds: ['courseEvaluation'], dedupePrefix: `fuzz:${randomUUID()}` });
  // A grant of its own, so that a sweep of its removal takes nobody's access away.
  const grantee = await db.person.create({ data: { email: `fuzz-grant-${randomUUID().slice(0, 8)}@komet.example` } });
  const grant = await db.roleGrant.create({ data: { personId: grantee.id, role: 'central' } });
  apiKey = (await createApiKey(db, { name: 'fuzz', scopes: ['applications:write', 'cases:read'] })).key;
  validApplication = { courseId: course.id, email: `fuzz-api-${randomUUID().slice(0, 8)}@example.org`, name: 'Fuzz Person', personnummer: nextPersonnummer(), phone: '+46701112233', childAge: 7, message: '' };

  const consentPath = consentLinkPath(secret, { requestId: consent.id, token: consentTokenFor(secret, consent.id).token, expiresAt: consent.expiresAt });
  const byName: Record<string, (path: string) => string> = {
    id: (p) => (p.startsWith('/utbildningar') ? training.id : p.startsWith('/kurser') ? course.id : p.includes('/lokaler/') ? room.id : p.includes('/behorigheter/') ? grant.id : randomUUID()),
    courseId: (p) => (/^\/(instruktor|personal\/(avgifter|intyg))/.test(p) ? training.id : p.includes('/webbkurs') ? webCourse.id : course.id),
    caseNumber: (p) => (p.startsWith('/instruktor') ? enrolmentCase : caseNumber),
    sessionId: (p) => (p.startsWith('/instruktor') ? training.sessions[0].id : course.sessions[0].id),
    applicationId: () => enrolment.id,
    requestId: () => consent.id,
    token: () => invitation.token,
    key: () => TEMPLATE_KEYS[0],
    lang: () => 'sv',
    kind: () => SURVEY_KINDS[0],
    date: () => '2026-12-24',
    index: () => '0',
    number: () => 'KOMF-2026-00001',
  };
  params = (route) => {
    if (route.path === '/samtycke/:requestId') return consentPath;
    return route.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent((byName[name] ?? (() => randomUUID()))(route.path)));
  };
});
afterAll(async () => stack?.stop());

async function send(who: Identity, route: Route, body: Body): Promise<Response> {
  const client = clients.get(who)!;
  const path = params(route);
  const headers: Record<string, string> = { origin: ORIGIN };
  if (body.contentType) headers['content-type'] = body.contentType;
  if (route.path.startsWith('/api/')) headers.authorization = `Bearer ${apiKey}`;
  // The token in the header, as htmx sends it: the route is reached whatever the body holds.
  else headers['x-csrf-token'] = client.cookie('komet_csrf') ?? '';
  const isStreamed = body.body === OVER_LIMIT && body.name.includes('streamed');
  return client.send(path, {
    method: route.method,
    headers,
    body: body.body === OVER_LIMIT ? (isStreamed ? streamed(overLimit(route)) : overLimit(route)) : body.body,
    ...(isStreamed ? { duplex: 'half' } : {}),
  } as RequestInit & { headers: Record<string, string> });
}

describe('the fuzz sweep', () => {
  it('finds the form routes and the API endpoints in the app', () => {
    const routes = formRoutes(app).map((r) => r.path);
    expect(routes.length).toBeGreaterThan(50);
    for (const known of ['/logga-in', '/kurser/:id/ansok', '/personal/kurser/:courseId/material', '/chatt/starta', '/api/v1/applications', '/enkat/:token']) {
      expect(routes).toContain(known);
    }
    expect(fieldNames().length).toBeGreaterThan(40);
  });

  // Timeouts for a loaded machine: alone, each phase takes seconds.
  it('refuses every malformed body on every route (400/413/422) and leaves no row behind', { timeout: 300_000 }, async () => {
    const fields = fieldNames();
    const refusals = formBodies(fields).filter((b) => b.expect);
    const apiRefusals = apiBodies(validApplication).filter((b) => b.expect);
    const before = await rowCounts([...TABLES, ...BACKGROUND_TABLES]);
    const problems: string[] = [];
    // The identities side by side: nothing here may write, so the counts hold for all of them at once.
    await Promise.all(
      REFUSAL_IDENTITIES.map(async (who) => {
        for (const route of formRoutes(app)) {
          if (route.path.startsWith('/api/') && who !== 'anonymous') continue;
          for (const body of route.path.startsWith('/api/') ? apiRefusals : refusals) {
            const res = await send(who, route, body);
            await res.arrayBuffer();
            const expected = isMaterialUpload(params(route)) && body.body === OVER_LIMIT ? [303, 413] : body.expect!; // the upload's own limit sends back to its form
            if (!expected.includes(res.status)) problems.push(`${route.method} ${route.path} as ${who}, ${body.name}: ${res.status}, expected ${expected.join('/')}`);
          }
        }
      }),
    );
    expect(problems).toEqual([]);
    expect(await rowCounts([...TABLES, ...BACKGROUND_TABLES])).toEqual(before);
  });

  it('answers every other odd body on every route below 500, and a refusal stores nothing', { timeout: 300_000 }, async () => {
    const fields = fieldNames();
    const bodies = formBodies(fields).filter((b) => !b.expect);
    const apiOdd = apiBodies(validApplication).filter((b) => !b.expect);
    const problems: string[] = [];
    let counts = await rowCounts(TABLES);
    let requests = 0;
    for (const who of IDENTITIES) {
      for (const route of formRoutes(app)) {
        if (route.path.startsWith('/api/') && who !== 'anonymous') continue;
        // One route's bodies, then the counts: where every one was refused, nothing may have been written.
        let accepted = false;
        for (const body of route.path.startsWith('/api/') ? apiOdd : bodies) {
          const res = await send(who, route, body);
          await res.arrayBuffer();
          requests++;
          if (res.status >= 500) problems.push(`${route.method} ${route.path} as ${who}, ${body.name}: ${res.status}`);
          if (res.status < 400) accepted = true;
          // Kept out by the route's guard, which answers before the body is read: so will every other body.
          if (res.status === 403 || (res.status === 303 && res.headers.get('location')?.startsWith('/logga-in'))) break;
        }
        const after = await rowCounts(TABLES);
        const changed = TABLES.filter((t) => after[t] !== counts[t]);
        if (!accepted && changed.length) problems.push(`${route.method} ${route.path} as ${who}: every body refused, but rows were written to ${changed.join(', ')}`);
        counts = after;
      }
    }
    expect(problems).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
  });
});
