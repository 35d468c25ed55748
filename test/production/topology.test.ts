// The production topology (issue 15): a real Temporal server on PostgreSQL (not the dev server),
// set up by `npm run setup`, and Komet from its compiled build as two web processes and two workers.
// A chat message crosses the web processes; a parent's case runs end to end while the worker that
// ran it is killed with kill -9 and the other one finishes it, no notice doubled; a web process is
// killed and the other keeps serving.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { saveChatSettings, WEEKDAYS, type ChatSettings } from '../../lib/chat/chatSettings';
import { openingState } from '../../lib/chat/openingHours';
import { createDb, type Db } from '../../lib/db';
import { saveCaseTimings } from '../../lib/settings';
import { parentApplicationWorkflowId } from '../../workflows/parentApplication.messages';
import { adminQuery, databaseUrl } from '../support/database';
import { eventually } from '../support/eventually';
import { HttpBrowser } from '../support/httpBrowser';
import { startKometProcess, type KometProcess } from '../support/kometProcesses';
import { nextPersonnummer } from '../support/personnummer';
import { startResendStandIn, type ResendStandIn } from '../support/resendStandIn';
import { sseFrames, type SseEvent } from '../support/sseFrames';
import { ensureServerBinaries, freePorts, startTemporalCluster, type TemporalCluster } from '../support/temporalCluster';
import { VALID_FORM } from '../support/webClient';

const run = promisify(execFile);
const prefix = `komet_topo_${randomBytes(4).toString('hex')}`;
const kometDb = `${prefix}_komet`;
const ADMIN = 'forsta.admin@stockholm.se';
const LEADER = 'gruppledare.topologi@stockholm.se';
const COUNSELLOR = 'radgivare.topologi@stockholm.se';

let cluster: TemporalCluster | undefined;
let resend: ResendStandIn;
let db: Db;
let temporal: Client;
const processes: KometProcess[] = [];
let webA: KometProcess, webB: KometProcess, worker1: KometProcess, worker2: KometProcess;
let baseA: string, baseB: string;
let courseId: string;
const timings: Record<string, number> = {};

async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await step();
  } finally {
    timings[name] = Math.round((Date.now() - started) / 100) / 10;
  }
}

beforeAll(async () => {
  const go = await timed('go build of server and sql (s)', ensureServerBinaries);
  if (go.built) console.log(`Built the Temporal server and sql tool in ${go.seconds} s`);
  await timed('npm run build (s)', () => run('npm', ['run', 'build']));
  await adminQuery(`CREATE DATABASE ${kometDb}`);
  cluster = await timed('Temporal server schema and start (s)', () => startTemporalCluster(prefix));
  resend = await startResendStandIn();
  const url = databaseUrl(kometDb);
  const [portA, portB] = await freePorts(2);
  const env = {
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: cluster.address,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    RESEND_API_KEY: 're_test_key',
    RESEND_BASE_URL: resend.url,
    PUBLIC_URL: 'http://komet.test',
    TRUST_PROXY: '1',
    DATABASE_POOL_SIZE: '4',
    NODE_ENV: 'production',
  };
  await timed('npm run setup (s)', () => run('npm', ['run', 'setup', '--', '--admin', ADMIN], { env: { ...process.env, ...env } }));

  // What the admin would do at /personal/admin after the setup: a course, a group leader, a counsellor.
  db = createDb(url, 2);
  const district = await db.district.findUniqueOrThrow({ where: { slug: 'sodermalm' } });
  const week = 7 * 86_400_000;
  courseId = (
    await db.course.create({
      data: {
        kind: 'groupCourse',
        title: 'Kvällsgrupp i produktion',
        districtId: district.id,
        capacity: 1,
        sessions: { create: [{ startsAt: new Date(Date.now() + week), endsAt: new Date(Date.now() + week + 9_000_000) }] },
      },
    })
  ).id;
  await db.person.create({ data: { email: LEADER, grants: { create: { role: 'groupLeader', districtId: district.id } } } });
  await db.person.create({ data: { email: COUNSELLOR, grants: { create: { role: 'counsellor' } } } });
  // Every notice at once (no quiet period), so each one the case causes is an e-mail to count.
  await saveCaseTimings(db, { noticeQuietMs: 0 }, null);
  const settings = await saveChatSettings(db, { weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '23:59' }]])) as ChatSettings['weekly'], exceptions: [] }, null);
  if (!openingState(settings).open) await new Promise((r) => setTimeout(r, 61_000)); // the one closed minute of the day

  await timed('two web processes and two workers start (s)', async () => {
    [webA, webB, worker1, worker2] = await Promise.all([
      startKometProcess('web A', 'web', { ...env, PORT: String(portA) }),
      startKometProcess('web B', 'web', { ...env, PORT: String(portB) }),
      startKometProcess('worker 1', 'worker', env),
      startKometProcess('worker 2', 'worker', env),
    ]);
  });
  processes.push(webA, webB, worker1, worker2);
  baseA = `http://127.0.0.1:${portA}`;
  baseB = `http://127.0.0.1:${portB}`;
  temporal = new Client({ connection: await Connection.connect({ address: cluster.address }) });
}, 45 * 60_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await temporal?.connection.close();
  await db?.$disconnect();
  await resend?.close();
  await cluster?.stop();
  await adminQuery(`DROP DATABASE IF EXISTS ${kometDb} WITH (FORCE)`);
  console.log('Timings:', JSON.stringify(timings));
}, 120_000);

/** Logs in through the e-mailed link (delivered through the Resend stand-in). */
async function login(browser: HttpBrowser, email: string): Promise<void> {
  const before = resend.delivered.length;
  expect((await browser.post('/logga-in', { email, next: '/mina-arenden' })).status).toBe(200);
  const mail = await eventually(() => {
    const found = resend.delivered.slice(before).find((m) => m.to.includes(email) && /token=/.test(m.text));
    expect(found).toBeDefined();
    return found!;
  });
  const token = decodeURIComponent(/token=([^&\s]+)/.exec(mail.text)![1]);
  expect((await browser.post('/logga-in/verifiera', { token, next: '' })).status).toBe(303);
}

async function applies(browser: HttpBrowser): Promise<string> {
  const res = await browser.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, personnummer: nextPersonnummer(), submissionKey: randomUUID() });
  expect(res.status).toBe(303);
  return /KOM-\d{4}-\d{6}/.exec(res.headers.get('location') ?? '')![0];
}

const statusOf = async (caseNumber: string) => (await db.application.findUniqueOrThrow({ where: { caseNumber } })).status;

/** The pid in the identity of the worker that ran the case's latest workflow task (`pid@host`). */
async function workerPidOf(caseNumber: string): Promise<number> {
  const history = await temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber)).fetchHistory();
  const started = (history.events ?? []).filter((e) => e.workflowTaskStartedEventAttributes).at(-1)!;
  return Number(started.workflowTaskStartedEventAttributes!.identity!.split('@')[0]);
}

/** Posts a command until the case shows the status (a page answers "try again" while the dead worker's tasks time out). */
async function until(caseNumber: string, status: string, send: () => Promise<Response>): Promise<void> {
  await eventually(async () => {
    if ((await statusOf(caseNumber)) !== status) expect((await send()).status).toBe(303);
    expect(await statusOf(caseNumber)).toBe(status);
  }, 180_000, 2_000);
}

describe('Komet on a Temporal server and PostgreSQL, two web processes and two workers', () => {
  it('a chat message written on one web process reaches the counsellor on the other, and the answer comes back', async () => {
    const visitor = new HttpBrowser(baseA);
    expect((await visitor.get('/chatt')).status).toBe(200);
    expect((await visitor.post('/chatt/starta', {})).status).toBe(303);
    const counsellor = new HttpBrowser(baseB);
    await login(counsellor, COUNSELLOR);
    expect((await counsellor.post('/radgivare/tjanst', { onDuty: '1' })).status).toBe(303);
    const taken = await counsellor.post('/radgivare/ta-nasta', {});
    const conversation = /\/radgivare\/samtal\/([0-9a-f-]{36})/.exec(taken.headers.get('location') ?? '')![1];

    const heardByCounsellor = listen(counsellor, `/radgivare/samtal/${conversation}/handelser`);
    const heardByVisitor = listen(visitor, '/chatt/handelser');
    const question = `Hej från webbprocess A ${randomUUID().slice(0, 6)}`;
    const sent = await visitor.post('/chatt/meddelande', { body: question, clientKey: randomUUID() }, { accept: 'application/json' });
    expect(sent.status).toBe(200);
    await heardByCounsellor.until((e) => e.event === 'message' && e.data.includes(question));
    const answer = `Hej från webbprocess B ${randomUUID().slice(0, 6)}`;
    const replied = await counsellor.post(`/radgivare/samtal/${conversation}/meddelanden`, { body: answer, clientKey: randomUUID() }, { accept: 'application/json' });
    expect(replied.status).toBe(201);
    await heardByVisitor.until((e) => e.event === 'message' && e.data.includes(answer));
    heardByCounsellor.stop();
    heardByVisitor.stop();
  });

  it('a parent’s case runs end to end (apply, decide, offer, withdraw) while the worker that ran it is killed -9: the other finishes it, no notice doubled', async () => {
    const leader = new HttpBrowser(baseA);
    await login(leader, LEADER);
    const first = new HttpBrowser(baseA);
    await login(first, `forsta-${randomUUID().slice(0, 6)}@example.org`);
    const firstCase = await applies(first);
    await eventually(() => expect(db.workflowStart.count({ where: { application: { caseNumber: firstCase }, startedAt: { not: null } } })).resolves.toBe(1), 60_000);
    await until(firstCase, 'admitted', () => leader.post(`/personal/ansokningar/${firstCase}/beslut`, { decision: 'admit' }));

    // The second parent, on the other web process, waits for the only seat.
    const second = new HttpBrowser(baseB);
    const secondEmail = `andra-${randomUUID().slice(0, 6)}@example.org`;
    await login(second, secondEmail);
    const secondCase = await applies(second);
    await eventually(async () => expect(await workerPidOf(secondCase)).toBeGreaterThan(0), 60_000);

    // kill -9 the worker that ran the case's last step; the other one must take over from here.
    const pid = await workerPidOf(secondCase);
    const [dead, survivor] = pid === worker1.pid ? [worker1, worker2] : [worker2, worker1];
    expect(dead.pid).toBe(pid);
    await dead.crash();

    await until(secondCase, 'queued', () => leader.post(`/personal/ansokningar/${secondCase}/beslut`, { decision: 'queue' }));
    // The first parent withdraws (through web B now): the seat is offered to the second.
    first.base = baseB;
    await until(firstCase, 'withdrawn', () => first.post(`/mina-arenden/${firstCase}/aterta`, {}));
    await eventually(async () => expect(await statusOf(secondCase)).toBe('offered'), 180_000, 1_000);
    await until(secondCase, 'admitted', () => second.post(`/mina-arenden/${secondCase}/erbjudande`, { answer: 'accept' }));
    await until(secondCase, 'withdrawn', () => second.post(`/mina-arenden/${secondCase}/aterta`, {}));
    expect(await workerPidOf(secondCase)).toBe(survivor.pid);

    // No notice doubled: the second parent was told five things (received, a decision: queued, the
    // offer, a decision: admitted, the withdrawal), each delivered once: an e-mail per delivery,
    // whether the bundling of a quiet period joined two of them or not. The workflow tells the
    // withdrawal a moment after the row says withdrawn.
    const app = await db.application.findUniqueOrThrow({ where: { caseNumber: secondCase } });
    const workflowId = parentApplicationWorkflowId(secondCase);
    const notices = await eventually(async () => {
      const rows = await db.caseNotice.findMany({ where: { applicationId: app.id }, orderBy: { createdAt: 'asc' } });
      expect(rows.map((n) => n.category)).toEqual(['receipt', 'decision', 'offer', 'decision', 'decision']);
      expect(rows.every((n) => n.deliveryKey)).toBe(true);
      return rows;
    }, 60_000, 1_000);
    expect(notices[0].key).toBe(`${workflowId}:notice-confirmation`);
    expect(notices[4].key).toBe(`${workflowId}:notice-withdraw`);
    const deliveries = [...new Set(notices.map((n) => n.deliveryKey!))];
    await eventually(() => {
      const delivered = resend.delivered.filter((m) => m.to.includes(secondEmail) && !m.idempotencyKey?.startsWith('login:'));
      expect(delivered.map((m) => m.idempotencyKey)).toEqual(deliveries);
    }, 60_000);
    expect(await db.notification.count({ where: { recipient: secondEmail, channel: 'email', idempotencyKey: { startsWith: workflowId } } })).toBe(deliveries.length);
  });

  it('a web process killed -9: the other keeps serving the same sessions, and new cases', async () => {
    const parent = new HttpBrowser(baseA);
    await login(parent, `tredje-${randomUUID().slice(0, 6)}@example.org`);
    await webA.crash();
    await expect(fetch(`${baseA}/health`)).rejects.toThrow();

    parent.base = baseB;
    const health = await fetch(`${baseB}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const list = await parent.get('/mina-arenden');
    expect(list.status).toBe(200); // the session made on A holds on B: sessions live in PostgreSQL
    const caseNumber = await applies(parent);
    await eventually(async () => expect((await (await parent.get(`/mina-arenden/${caseNumber}`)).text())).toContain(caseNumber), 60_000);
    await eventually(() => expect(db.workflowStart.count({ where: { application: { caseNumber }, startedAt: { not: null } } })).resolves.toBe(1), 60_000);
  });
});

/** Follows an event stream; `until` resolves at the first event that matches. */
function listen(browser: HttpBrowser, path: string) {
  const abort = new AbortController();
  const events: SseEvent[] = [];
  const waiting: { match: (e: SseEvent) => boolean; resolve: () => void }[] = [];
  const feed = sseFrames((e) => {
    events.push(e);
    for (const w of waiting.filter((w) => w.match(e))) w.resolve();
  });
  void browser.stream(path, abort.signal).then(async (res) => {
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) feed(decoder.decode(chunk, { stream: true }));
  }).catch(() => {});
  return {
    until: (match: (e: SseEvent) => boolean) =>
      events.some(match) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ match, resolve })),
    stop: () => abort.abort(),
  };
}
