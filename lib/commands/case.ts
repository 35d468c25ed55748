// Commands every case kind takes (workflows/case.messages.ts): withdraw, requeue, move a deadline.
import type { Client } from '@temporalio/client';
import {
  changeDeadlineUpdate,
  moveToQueueUpdate,
  withdrawUpdate,
  type ChangeDeadlineInput,
  type MoveToQueueInput,
  type WithdrawInput,
} from '../../workflows/case.messages';
import { sendUpdate } from './send';

export const withdraw = (temporal: Client, workflowId: string, input: WithdrawInput) => sendUpdate(temporal, workflowId, withdrawUpdate, input);

export const moveToQueue = (temporal: Client, workflowId: string, input: MoveToQueueInput) => sendUpdate(temporal, workflowId, moveToQueueUpdate, input);

export const changeDeadline = (temporal: Client, workflowId: string, input: ChangeDeadlineInput) =>
  sendUpdate(temporal, workflowId, changeDeadlineUpdate, input);
