// The guide signs off a module (R5.4): an update on the parent's guidance workflow, which opens
// the next module. The workflow answers with the new module or a refusal code.
import type { Client } from '@temporalio/client';
import {
  signOffModuleUpdate,
  webCourseGuidanceWorkflowId,
  type SignOffInput,
  type SignOffResult,
} from '../../workflows/webCourseGuidance.messages';

/** `unavailable`: the workflow could not be reached or failed the update; nothing changed. */
export type SignOffOutcome = SignOffResult | { ok: false; code: 'unavailable' };

export async function signOffModule(temporal: Client, caseNumber: string, input: SignOffInput): Promise<SignOffOutcome> {
  try {
    return await temporal.workflow
      .getHandle(webCourseGuidanceWorkflowId(caseNumber))
      .executeUpdate(signOffModuleUpdate, { args: [input] });
  } catch (err) {
    console.warn(`[webCourse] sign-off for ${caseNumber} failed: ${(err as Error).name}: ${(err as Error).message}`);
    return { ok: false, code: 'unavailable' };
  }
}
