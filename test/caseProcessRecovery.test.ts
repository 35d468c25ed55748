// Nothing lost (issue 14): a case acknowledged while Temporal is unreachable gets its workflow when
// Temporal is back, from the reconciler, with exactly one confirmation; so does a case stored
// before the outbox existed, once the migration's repair has put its start on record.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../lib/apiKeys';
import { submitApplication } from '../lib/cases/submitApplication';
import { reconcileWorkflowStarts } from '../lib/outbox/reconciler';
import { parentApplicationWorkflowId } from '../workflows/parentApplication.messages';
import { createApp } from '../web/app';
import { createWorker } from '../worker';
import { insertCase } from './support/caseRows';
import { eventually } from './support/eventually';
import { createCitizen, startStack, VALID_DETAILS, type TestStack } from './support/stack';
import { startTemporal, workflowBundle } from './support/temporal';
import { VALID_FORM, WebClient } from './support/webClient';

let stack: TestStack;
let courseId: string;

beforeAll(async () => {
  stack = await startStack();
  courseId = (await stack.deps.db.course.findFirstOrThrow({ where: { kind: 'groupCourse', language: 'sv', district: { slug: 'sodermalm' } } })).id;
});
afterAll(async () => stack?.stop());

/** The confirmation e-mails of a case in the notification log: keyed by its workflow, so doubled only by a second one. */
function confirmationsOf(caseNumber: string) {
  return stack.deps.db.notification.count({ where: { idempotencyKey: `${parentApplicationWorkflowId(caseNumber)}:notice-confirmation` } });
}

function startOf(caseNumber: string) {
  return stack.deps.db.workflowStart.findFirst({ where: { application: { caseNumber } } });
}

describe('while Temporal is unreachable', () => {
  it('a submission is acknowledged (API 201, the form leads to the case page), and once Temporal is back the reconciler starts each case once', async () => {
    const { db, config } = stack.deps;
    const taskQueue = config.TEMPORAL_TASK_QUEUE;
    // A Temporal of its own, so that it can go away and come back on the same address.
    let server = await startTemporal();
    const connection = await Connection.connect({ address: server.address });
    const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const deps = { ...stack.deps, temporal };
    const app = createApp(deps);
    const apiKey = (await createApiKey(db, { name: 'portal', scopes: ['applications:write'] })).key;
    const parent = new WebClient(app);
    const parentEmail = `parent-${randomUUID().slice(0, 8)}@example.org`;
    expect((await parent.login(db, parentEmail)).status).toBe(303);
    const port = Number(server.address.split(':').pop());
    await server.teardown();

    const api = await app.request('/api/v1/applications', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ courseId, email: `api-${randomUUID().slice(0, 8)}@example.org`, ...VALID_DETAILS, personnummer: '19900101-0017' }),
    });
    expect(api.status).toBe(201);
    const apiCase = ((await api.json()) as { caseNumber: string }).caseNumber;

    const form = await parent.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, personnummer: '19850505-0008', submissionKey: randomUUID() });
    expect(form.status).toBe(303);
    const formCase = /\/mina-arenden\/(KOM-\d{4}-\d{6})\?ny=1$/.exec(form.headers.get('location') ?? '')?.[1];
    expect(formCase).toBeDefined();
    const page = await parent.get(form.headers.get('location')!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(formCase);

    // Stored, each with its start on record, waiting.
    for (const caseNumber of [apiCase, formCase!]) expect((await startOf(caseNumber))?.startedAt).toBeNull();
    const reconcilerDeps = { db, temporal, taskQueue };
    expect((await reconcileWorkflowStarts(reconcilerDeps, { waitMs: 1000 })).started).toBe(0);

    server = await startTemporal({ port });
    const worker = await createWorker({ deps: stack.deps, connection: server.nativeConnection, taskQueue, workflowBundle: workflowBundle() });
    const running = worker.run();
    try {
      // The client finds the server again on its own (gRPC reconnects with backoff).
      await eventually(
        async () => {
          await reconcileWorkflowStarts(reconcilerDeps, { waitMs: 2000 });
          for (const caseNumber of [apiCase, formCase!]) expect((await startOf(caseNumber))?.startedAt).toBeInstanceOf(Date);
        },
        90_000,
        1000,
      );
      for (const caseNumber of [apiCase, formCase!]) {
        await server.client.workflow.getHandle(parentApplicationWorkflowId(caseNumber)).describe();
        await eventually(async () => expect(await confirmationsOf(caseNumber)).toBe(1));
      }
      // Another pass (a second worker, the next minute) starts nothing twice.
      await db.workflowStart.updateMany({ where: { application: { caseNumber: { in: [apiCase, formCase!] } } }, data: { startedAt: null } });
      expect((await reconcileWorkflowStarts(reconcilerDeps)).started).toBe(2);
      for (const caseNumber of [apiCase, formCase!]) expect(await confirmationsOf(caseNumber)).toBe(1);
      await eventually(async () =>
        expect((await server.client.workflow.count(`KometCaseNumber IN ("${apiCase}", "${formCase}")`)).count).toBe(2),
      );
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      await server.teardown();
    }
  });
});

/** The hand-written repair of a migration, run again here as it ran on a database of that time. */
function repairStatement(): string {
  const sql = readFileSync('prisma/migrations/20261207100000_workflow_start_outbox/migration.sql', 'utf8');
  return sql.slice(sql.indexOf('INSERT INTO "workflow_start"'));
}

describe('cases stored before the outbox', () => {
  it('the migration puts the start of every open case on record; the reconciler starts the missing workflow, with one confirmation', async () => {
    const { db } = stack.deps;
    // As before the outbox: a stored case whose workflow never started (Temporal was down), one whose
    // workflow runs, and a closed one.
    const lost = await insertCase(db, { personId: (await createCitizen(stack.deps)).id, courseId, caseNumber: 'KOM-2026-900001' });
    const closed = await insertCase(db, { personId: (await createCitizen(stack.deps)).id, courseId, caseNumber: 'KOM-2026-900002', status: 'withdrawn' });
    const person = await createCitizen(stack.deps);
    const running = await submitApplication(
      { db, temporal: stack.deps.temporal, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE },
      { personId: person.id, courseId, details: { ...VALID_DETAILS, personnummer: '19790312-0009' }, idempotencyKey: randomUUID(), actor: person.id },
    );
    if (!running.ok) throw new Error(running.code);
    await eventually(async () => expect(await confirmationsOf(running.caseNumber)).toBe(1));
    await db.workflowStart.deleteMany({ where: { application: { caseNumber: { in: [running.caseNumber] } } } });
    expect(await db.workflowStart.count({ where: { applicationId: { in: [lost.id, closed.id] } } })).toBe(0);

    await db.$executeRawUnsafe(repairStatement());
    expect(await startOf(closed.caseNumber)).toBeNull();
    expect(await startOf(lost.caseNumber)).toMatchObject({
      workflowType: 'parentApplication',
      workflowId: parentApplicationWorkflowId(lost.caseNumber),
      args: { caseNumber: lost.caseNumber, applicationId: lost.id, courseId, districtSlug: 'sodermalm', kind: 'groupCourse' },
      startedAt: null,
    });

    const result = await reconcileWorkflowStarts({ db, temporal: stack.deps.temporal, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE });
    expect(result).toEqual({ started: 2, deferred: 0 });
    await eventually(async () => expect(await confirmationsOf(lost.caseNumber)).toBe(1));
    expect(await confirmationsOf(running.caseNumber)).toBe(1);
    for (const caseNumber of [lost.caseNumber, running.caseNumber]) expect((await startOf(caseNumber))?.startedAt).toBeInstanceOf(Date);
  });
});
