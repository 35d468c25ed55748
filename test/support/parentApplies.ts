// A parent applies through the form, as any parent does, and the case's workflow is waiting for the
// leader's decision when this returns. The one way the route tests make a case through the web.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { expect } from 'vitest';
import type { createApp } from '../../web/app';
import type { ParentCaseWaiting } from '../../rules/parentCase';
import { parentApplicationWorkflowId, statusQuery } from '../../workflows/parentApplication.messages';
import { eventually } from './eventually';
import { nextPersonnummer } from './personnummer';
import type { TestStack } from './stack';
import { VALID_FORM, WebClient } from './webClient';

export interface ParentAppliesOptions {
  /** A new parent's login (default: an address of their own). */
  email?: string;
  /** Answers that differ from VALID_FORM (default: a new personnummer). */
  form?: Partial<typeof VALID_FORM>;
}

/** A new parent logs in and applies. */
export async function parentApplies(stack: TestStack, app: ReturnType<typeof createApp>, courseId: string, opts: ParentAppliesOptions = {}) {
  const email = opts.email ?? `p-${randomUUID().slice(0, 8)}@example.org`;
  const client = await WebClient.loggedIn(app, stack.deps.db, email);
  return { email, ...(await appliesWith(stack, client, courseId, opts.form)) };
}

/** A parent already logged in on `client` applies. */
export async function appliesWith(stack: TestStack, client: WebClient, courseId: string, answers: Partial<typeof VALID_FORM> = {}) {
  const form = { ...VALID_FORM, personnummer: nextPersonnummer(), ...answers };
  const res = await client.post(`/kurser/${courseId}/ansok`, { ...form, submissionKey: randomUUID() });
  expect(res.status).toBe(303);
  const caseNumber = /KOM-\d{4}-\d{6}/.exec(res.headers.get('location') ?? '')![0];
  const workflowId = parentApplicationWorkflowId(caseNumber);
  const handle = stack.deps.temporal.workflow.getHandle(workflowId);
  await untilWaitingFor(handle, 'decision');
  return { client, form, caseNumber, workflowId, handle };
}

/** Waits until the case's workflow says it is waiting for `step`. */
export async function untilWaitingFor(handle: WorkflowHandle, step: ParentCaseWaiting): Promise<void> {
  await eventually(async () => expect((await handle.query(statusQuery)).waitingFor).toBe(step));
}
