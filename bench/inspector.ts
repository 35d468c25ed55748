// The case inspector's list page at scale (R9.4): many open case workflows in Temporal visibility,
// then GET /personal/arenden as a supervisor, plain and filtered. The open workflows are started on
// a task queue no worker polls, so they stay open and cost nothing but their visibility rows; their
// search attributes look like real cases (district, status, waiting-for and since, course).
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import { DEMO_STAFF, DISTRICTS } from '../prisma/seed';
import { PARENT_APPLICATION, type ParentApplicationInput } from '../workflows/parentApplication.messages';
import {
  CaseKindKey,
  CaseNumberKey,
  CaseStatusKey,
  CourseKey,
  DistrictKey,
  WaitingForKey,
  WaitingSinceKey,
} from '../workflows/searchAttributes';
import { loginParent } from './komet';
import { measure, type Result } from './measure';

const START_BATCH = 100;
const CALL_TIMEOUT_MS = 30_000;
/**
 * Supervisors are a handful of central staff, so two at once. The embedded dev server answers
 * visibility queries from SQLite one at a time: at higher concurrency the calls queue there.
 */
export const INSPECTOR_LIST = { n: 500, concurrency: 2, warmup: 20 };
/** The filtered variant: a district, a status and "waiting longer than 7 days". */
export const INSPECTOR_FILTER = `district=${DISTRICTS[7].slug}&status=submitted&waitingDays=7`;

/** Where open cases stand, roughly as in a busy term: most wait for a decision. */
const STAGES = [
  ...Array<{ status: string; waitingFor: string }>(6).fill({ status: 'submitted', waitingFor: 'decision' }),
  { status: 'queued', waitingFor: 'decision' },
  { status: 'queued', waitingFor: 'decision' },
  { status: 'admitted', waitingFor: 'nextSession' },
  { status: 'offered', waitingFor: 'offerAnswer' },
];

/**
 * Starts `count` parentApplication workflows that stay open (no worker polls `taskQueue`), in
 * parallel batches. Case numbers `KOM-<year>-9xxxxx` keep clear of a fresh instance's own; the
 * course ids are the given ones (e.g. the seeded courses) or random.
 */
export async function startOpenWorkflows(temporal: Client, count: number, taskQueue: string, courseIds: string[] = []): Promise<string[]> {
  const run = randomUUID().slice(0, 8);
  const year = new Date().getUTCFullYear();
  const courses = courseIds.length ? courseIds : Array.from({ length: 20 }, () => randomUUID());
  const now = Date.now();
  const ids: string[] = [];
  for (let from = 0; from < count; from += START_BATCH) {
    const batch = Array.from({ length: Math.min(START_BATCH, count - from) }, (_, k) => from + k);
    await Promise.all(
      batch.map(async (i) => {
        const caseNumber = `KOM-${year}-${String(900_000 + (i % 100_000)).padStart(6, '0')}`;
        const district = DISTRICTS[i % DISTRICTS.length].slug;
        const courseId = courses[i % courses.length];
        const stage = STAGES[i % STAGES.length];
        // Spread over the last 90 days, so "waiting longer than N days" selects a share.
        const waitingSince = new Date(now - ((i * 7919) % 90) * 86_400_000 - (i % 86_400) * 1000);
        const workflowId = `${PARENT_APPLICATION}-bench-${run}-${i}`;
        const input: ParentApplicationInput = { caseNumber, applicationId: randomUUID(), courseId, districtSlug: district, kind: 'groupCourse' };
        await temporal.withDeadline(Date.now() + CALL_TIMEOUT_MS, () =>
          temporal.workflow.start(PARENT_APPLICATION, {
            workflowId,
            taskQueue,
            args: [input],
            typedSearchAttributes: [
              { key: CaseNumberKey, value: caseNumber },
              { key: CaseKindKey, value: PARENT_APPLICATION },
              { key: DistrictKey, value: district },
              { key: CaseStatusKey, value: stage.status },
              { key: CourseKey, value: courseId },
              { key: WaitingForKey, value: stage.waitingFor },
              { key: WaitingSinceKey, value: waitingSince },
            ],
          }),
        );
        ids.push(workflowId);
      }),
    );
  }
  return ids;
}

/** Waits until visibility counts at least `count` open case workflows (it indexes shortly after the starts). */
export async function waitForOpenWorkflows(temporal: Client, count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { count: open } = await temporal.workflow.count(`${CaseKindKey.name} = '${PARENT_APPLICATION}' AND ExecutionStatus = 'Running'`);
    if (open >= count) return;
    if (Date.now() > deadline) throw new Error(`Only ${open} of ${count} open workflows visible after ${timeoutMs / 1000} s`);
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

/** The supervisor's session cookie (the demo central account, logged in by its e-mail link). */
export function loginCentral(baseUrl: string, db: Db): Promise<string> {
  return loginParent(baseUrl, db, DEMO_STAFF.central);
}

async function getList(url: string, cookie: string): Promise<string> {
  const res = await fetch(url, { headers: { Cookie: cookie }, redirect: 'manual', signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${new URL(url).pathname}: ${res.status}`);
  return body;
}

/**
 * GET /personal/arenden as central staff: calls alternate between the unfiltered first page and
 * the filtered one (INSPECTOR_FILTER), so the percentiles cover both. Throws first if either
 * page lists no case, since fast empty pages would prove nothing.
 */
export async function measureInspectorList(baseUrl: string, cookie: string): Promise<Result> {
  const urls = [`${baseUrl}/personal/arenden`, `${baseUrl}/personal/arenden?${INSPECTOR_FILTER}`];
  for (const url of urls) {
    if (!/KOM-\d{4}-\d{6}/.test(await getList(url, cookie))) throw new Error(`${new URL(url).pathname}${new URL(url).search} lists no case`);
  }
  let call = 0;
  return measure('inspectorList', INSPECTOR_LIST.n, INSPECTOR_LIST.concurrency, () => getList(urls[call++ % 2], cookie).then(() => {}), {
    warmup: INSPECTOR_LIST.warmup,
  });
}
