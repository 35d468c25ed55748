// The command client of a parent's case (workflows/parentApplication.ts). Shared case commands
// (withdraw, requeue, deadlines) are in ./case.ts.
import type { Client } from '@temporalio/client';
import {
  answerOfferUpdate,
  decideUpdate,
  scheduleChangedSignal,
  statusQuery,
  surveyAnsweredSignal,
  type AnswerOfferInput,
  type DecideInput,
  type ScheduleChangedSignal,
  type SurveyAnsweredSignal,
} from '../../workflows/parentApplication.messages';
import { readQuery, sendSignal, sendUpdate } from './send';

export const decide = (temporal: Client, workflowId: string, input: DecideInput) => sendUpdate(temporal, workflowId, decideUpdate, input);

export const answerOffer = (temporal: Client, workflowId: string, input: AnswerOfferInput) => sendUpdate(temporal, workflowId, answerOfferUpdate, input);

export const scheduleChanged = (temporal: Client, workflowId: string, input: ScheduleChangedSignal) =>
  sendSignal(temporal, workflowId, scheduleChangedSignal, input);

export const surveyAnswered = (temporal: Client, workflowId: string, input: SurveyAnsweredSignal) =>
  sendSignal(temporal, workflowId, surveyAnsweredSignal, input);

export const status = (temporal: Client, workflowId: string) => readQuery(temporal, workflowId, statusQuery);
