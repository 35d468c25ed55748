// The command client of a web-course parent's guidance (workflows/webCourseGuidance.ts).
import type { Client } from '@temporalio/client';
import {
  guidanceStatusQuery,
  parentActiveSignal,
  signOffModuleUpdate,
  webCourseGuidanceWorkflowId,
  type SignOffInput,
} from '../../workflows/webCourseGuidance.messages';
import { readQuery, sendSignal, sendUpdate } from './send';

export const signOff = (temporal: Client, caseNumber: string, input: SignOffInput) =>
  sendUpdate(temporal, webCourseGuidanceWorkflowId(caseNumber), signOffModuleUpdate, input);

export const parentActive = (temporal: Client, caseNumber: string) => sendSignal(temporal, webCourseGuidanceWorkflowId(caseNumber), parentActiveSignal);

export const status = (temporal: Client, caseNumber: string) => readQuery(temporal, webCourseGuidanceWorkflowId(caseNumber), guidanceStatusQuery);
