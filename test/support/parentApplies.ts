// A new parent applies through the form, as any parent does, and the case's workflow is waiting for
// the leader's decision when this returns.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { createApp } from '../../web/app';
import { parentApplicationWorkflowId, statusQuery } from '../../workflows/parentApplication.messages';
import { eventually } from './eventually';
import { nextPersonnummer } from './personnummer';
import type { TestStack } from './stack';
import { VALID_FORM, WebClient } from './webClient';

export async function parentApplies(stack: TestStack, app: ReturnType<typeof createApp>, courseId: string) {
  const client = new WebClient(app);
  await client.login(stack.deps.db, `p-${randomUUID().slice(0, 8)}@example.org`);
  const res = await client.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, personnummer: nextPersonnummer(), submissionKey: randomUUID() });
  const caseNumber = /KOM-\d{4}-\d{6}/.exec(res.headers.get('location') ?? '')![0];
  const workflowId = parentApplicationWorkflowId(caseNumber);
  await eventually(async () => expect((await stack.deps.temporal.workflow.getHandle(workflowId).query(statusQuery)).waitingFor).toBe('decision'));
  return { client, caseNumber, workflowId };
}
