// Fault injection with real processes (issue 14 point 10, issue 15 point 1): the embedded launcher
// runs PostgreSQL, the Temporal dev server, the worker and the web server as supervised children.
// While parents submit applications through the API and a group leader decides cases through the
// web pages, each part in turn is killed with SIGKILL mid-flight. Meanwhile /health must name the
// part that is down and no request may answer 500 or hang; afterwards, without anyone touching
// anything, pages answer again, and every acknowledged case is stored, has its workflow running
// and got exactly one confirmation (by its idempotency key, at the Resend stand-in).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../../lib/apiKeys';
import { createDb, type Db } from '../../lib/db';
import type { PartName } from '../../lib/embedded/supervisor';
import { parentApplicationWorkflowId } from '../../workflows/parentApplication.messages';
import { eventually } from '../support/eventually';
import { nextPersonnummer } from '../support/personnummer';
import { startResendStandIn, type ResendStandIn } from '../support/resendStandIn';
import { startLauncher, type LauncherProcess } from './launcherProcess';

/** The stated time within which pages answer again after a part was killed, with no one acting. */
const RECOVERY_LIMIT_MS = 60_000;
/** A request that has not answered in this time counts as hanging: longer than any wait a page allows
 * itself (a command waits 10 s at most for its workflow, lib/commands/send.ts), far shorter than a hang. */
const HANG_LIMIT_MS = 15_000;

let launcher: LauncherProcess;
let resend: ResendStandIn;
let db: Db;
let apiKey: string;
let courseId: string;
const started = Date.now();
const measured: Record<string, number> = {};

beforeAll(async () => {
  resend = await startResendStandIn();
  launcher = await startLauncher({
    RESEND_API_KEY: 're_test_key',
    RESEND_BASE_URL: resend.url,
    // The test run's bundle: no bundling at each worker start on a busy machine.
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
  });
  await eventually(async () => expect((await fetch(`${launcher.baseUrl}/health`)).status).toBe(200), 180_000, 500).catch((err) => {
    throw new Error(`${(err as Error).message}\n--- launcher ---\n${launcher.output.slice(-40).join('\n')}`);
  });
  measured.startMs = Date.now() - started;
  db = createDb(launcher.databaseUrl, 2);
  apiKey = (await createApiKey(db, { name: 'faults', scopes: ['applications:write'] })).key;
  courseId = (await db.course.findFirstOrThrow({ where: { kind: 'groupCourse', language: 'sv', district: { slug: 'sodermalm' } } })).id;
}, 200_000);

afterAll(async () => {
  if (process.env.FAULTS_DEBUG) console.log(launcher?.output.join('\n'));
  await db?.$disconnect();
  await launcher?.stop();
  await resend?.close();
  console.log(`[faults] measured: ${JSON.stringify(measured)}`);
});

/** What the load saw: acknowledged cases, and any answer that was neither a success nor a 503. */
interface Load {
  acknowledged: { caseNumber: string; email: string }[];
  refused503: number;
  /** Requests whose connection the killed web server took with it (only while the web server is killed). */
  dropped: number;
  bad: string[];
  staffActions: number;
}

async function timed(url: string, init: RequestInit = {}): Promise<Response> {
  const sent = Date.now();
  return fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(HANG_LIMIT_MS) }).catch((err: Error) => {
    throw Object.assign(err, { afterMs: Date.now() - sent });
  });
}

/** Parents applying through the API, one after the other, until stopped. */
async function submitUntil(stop: { done: boolean }, load: Load): Promise<void> {
  while (!stop.done) {
    const email = `fault-${randomUUID().slice(0, 8)}@example.org`;
    const body = { courseId, email, name: 'Maria Andersson', personnummer: nextPersonnummer(), phone: '070-111 22 33', childAge: 7, message: '' };
    const res = await timed(`${launcher.baseUrl}/api/v1/applications`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}`, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify(body),
    }).catch((err: Error) => err);
    if (res instanceof Error) failed('POST application', res);
    else if (res.status === 201) load.acknowledged.push({ caseNumber: ((await res.json()) as { caseNumber: string }).caseNumber, email });
    else if (res.status === 503) (await res.arrayBuffer(), load.refused503++, await new Promise((r) => setTimeout(r, 300))); // as Retry-After asks, sooner
    else load.bad.push(`POST application: ${res.status} ${await res.text()}`);
  }
}

/** A browser with cookies against the real server: the leader's staff actions go through it. */
class Browser {
  private cookies = new Map<string, string>();
  async get(path: string) {
    return this.keep(await timed(launcher.baseUrl + path, { headers: { cookie: this.cookie() } }));
  }
  async post(path: string, form: Record<string, string>) {
    if (!this.cookies.has('komet_csrf')) await (await this.get('/')).arrayBuffer();
    const body = new URLSearchParams({ _csrf: this.cookies.get('komet_csrf') ?? '', ...form });
    return this.keep(
      await timed(launcher.baseUrl + path, {
        method: 'POST',
        body,
        headers: { cookie: this.cookie(), origin: launcher.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }
  private cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    return res;
  }
}

async function loginLeader(): Promise<Browser> {
  const leader = new Browser();
  const email = 'gruppledare.sodermalm@komet.example';
  expect((await leader.post('/logga-in', { email, next: '/personal' })).status).toBe(200);
  const mail = await db.notification.findFirstOrThrow({ where: { recipient: email, idempotencyKey: { startsWith: 'login:' } }, orderBy: { createdAt: 'desc' } });
  const token = decodeURIComponent(/token=([^&\s]+)/.exec(mail.body)![1]);
  expect((await leader.post('/logga-in/verifiera', { token, next: '' })).status).toBe(303);
  return leader;
}

/** The leader admits acknowledged cases one by one; a 303 (decided, or told why not) or a 503 is fine. */
async function decideUntil(stop: { done: boolean }, load: Load, leader: Browser): Promise<void> {
  let next = 0;
  while (!stop.done) {
    const target = load.acknowledged[next];
    if (!target) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const res = await leader.post(`/personal/ansokningar/${target.caseNumber}/beslut`, { decision: 'admit' }).catch((err: Error) => err);
    if (res instanceof Error) failed('POST beslut', res);
    else if (res.status === 303) (await res.arrayBuffer(), load.staffActions++, next++);
    else if (res.status === 503) (await res.arrayBuffer(), load.staffActions++, await new Promise((r) => setTimeout(r, 500)));
    else load.bad.push(`POST beslut: ${res.status}`);
  }
}

interface Health {
  status: string;
  failing?: string[];
}

async function health(): Promise<{ status: number; body: Health | null }> {
  const res = await timed(`${launcher.baseUrl}/health`).catch(() => null);
  if (!res) return { status: 0, body: null };
  return { status: res.status, body: (await res.json().catch(() => null)) as Health | null };
}

const load: Load = { acknowledged: [], refused503: 0, dropped: 0, bad: [], staffActions: 0 };
/** The part being killed now: a connection cut by the web server's death is no error of the others. */
let killing: PartName | null = null;
const failed = (what: string, err: Error) =>
  killing === 'web' && err.name === 'TypeError' ? load.dropped++ : load.bad.push(`${what}: ${err.name} after ${(err as { afterMs?: number }).afterMs} ms`);
let leader: Browser;

describe('the embedded launcher supervises what it starts', () => {
  it.each<PartName>(['temporal', 'database', 'worker', 'web'])(
    'kill -9 of the %s mid-flight: /health names it while it is down, nothing answers 500 or hangs, pages answer again on their own',
    async (part) => {
      leader ??= await loginLeader();
      const stop = { done: false };
      const before = load.acknowledged.length;
      const running = [submitUntil(stop, load), submitUntil(stop, load), decideUntil(stop, load, leader)];
      try {
        // Mid-flight: submissions are being acknowledged when the part dies.
        await eventually(() => expect(load.acknowledged.length).toBeGreaterThanOrEqual(before + 2), 60_000);
        const pid = launcher.pidOf(part);
        expect(pid, `${part} runs under the launcher`).not.toBeNull();
        // /health is watched on its own, closely: a part may be back within a second.
        let named = false;
        const watching = { done: false };
        const watcher = (async () => {
          while (!watching.done && !named) {
            if ((await health()).body?.failing?.includes(part)) named = true;
            await new Promise((r) => setTimeout(r, 20));
          }
        })();
        const killedAt = Date.now();
        killing = part;
        if (part === 'temporal') {
          // The dev server is back within a second of a kill, before /health can see it gone; so
          // it hangs first (a fault of its own: nothing may wait on it), and is killed once named.
          process.kill(pid!, 'SIGSTOP');
          await eventually(() => expect(named, '/health named the hung temporal').toBe(true), 30_000);
        }
        process.kill(pid!, 'SIGKILL');

        // While it is down, /health says which part; pages answer (503 "restarting" or the page), never 500.
        await eventually(
          async () => {
            const now = await health();
            const page = await timed(`${launcher.baseUrl}/kurser`).catch((err: Error) => err);
            if (page instanceof Error) failed('GET /kurser', page);
            else {
              const text = await page.text();
              if (page.status === 503) expect(text).toContain('Tjänsten startar om');
              else expect(page.status, `GET /kurser while the ${part} is down`).toBe(200);
            }
            expect(named, `/health named the ${part}`).toBe(true);
            expect(now.status).toBe(200);
            expect(launcher.pidOf(part)).not.toBe(pid);
          },
          RECOVERY_LIMIT_MS,
          100,
        ).finally(() => {
          watching.done = true;
          return watcher;
        });
        measured[`${part}RecoveryMs`] = Date.now() - killedAt;
        expect((await timed(`${launcher.baseUrl}/kurser`)).status).toBe(200);
        // And work goes on: the next submissions are acknowledged.
        const after = load.acknowledged.length;
        await eventually(() => expect(load.acknowledged.length).toBeGreaterThan(after), 30_000);
      } finally {
        stop.done = true;
        await Promise.all(running);
        killing = null;
      }
      expect(load.bad).toEqual([]);
    },
    120_000,
  );

  it('every acknowledged case is stored, runs its workflow and got exactly one confirmation', async () => {
    expect(load.acknowledged.length).toBeGreaterThan(8);
    expect(load.staffActions).toBeGreaterThan(0);
    const caseNumbers = load.acknowledged.map((a) => a.caseNumber);
    expect(await db.application.count({ where: { caseNumber: { in: caseNumbers } } })).toBe(caseNumbers.length);

    const connection = await Connection.connect({ address: launcher.temporalAddress });
    const temporal = new Client({ connection });
    try {
      await eventually(
        async () => {
          for (const { caseNumber } of load.acknowledged) {
            const described = await temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber)).describe();
            expect(described.status.name, caseNumber).toBe('RUNNING');
          }
        },
        60_000,
        1_000,
      );
    } finally {
      await connection.close();
    }

    await eventually(
      async () => {
        for (const { caseNumber, email } of load.acknowledged) {
          const key = `${parentApplicationWorkflowId(caseNumber)}:notice-confirmation`;
          const delivered = resend.delivered.filter((d) => d.idempotencyKey === key);
          expect(delivered, caseNumber).toHaveLength(1);
          expect(delivered[0].to).toContain(email);
          // Logged once too: a second confirmation would be a second row under its key.
          expect(await db.notification.count({ where: { idempotencyKey: key } })).toBe(1);
        }
      },
      60_000,
      500,
    );
    measured.acknowledged = load.acknowledged.length;
    measured.refused503 = load.refused503;
    measured.droppedAtWebKill = load.dropped;
    measured.staffActions = load.staffActions;
  }, 150_000);

  it('runs the worker below the web server in CPU priority, every thread of it, also after its restart', () => {
    const nice = (pid: number, tid: number | string = pid) => Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    const worker = launcher.pidOf('worker')!;
    const web = launcher.pidOf('web')!;
    const threads = readdirSync(`/proc/${worker}/task`);
    expect(threads.length).toBeGreaterThan(1);
    expect(threads.map((tid) => nice(worker, tid))).toEqual(threads.map(() => 10));
    expect(nice(web)).toBe(0);
  });

});
