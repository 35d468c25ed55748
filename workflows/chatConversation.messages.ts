// Messages of the chatConversation workflow (R10.3–R10.5), shared with the chat's web side. One
// workflow per conversation owns its queueing, assignment, hand-over, inactivity and retention.
// Messages themselves never pass through it: they are rows in the database, delivered in real time
// by the web server; the workflow knows ids and codes only (the visitor is anonymous).
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const CHAT_CONVERSATION = 'chatConversation';

export function chatConversationWorkflowId(conversationId: string): string {
  return `${CHAT_CONVERSATION}-${conversationId}`;
}

export interface ChatConversationInput {
  conversationId: string;
  /** Carried over by continueAsNew. */
  state?: ChatConversationState;
  /** Events after which the run starts afresh (default CHAT_HISTORY_LIMIT; tests set it low). */
  historyLimit?: number;
}

export type ChatStatus = 'waiting' | 'active' | 'closed';
export type ChatCloseReason = 'visitor' | 'counsellor' | 'inactivity' | 'blocked';

export interface ChatConversationState {
  conversationId: string;
  status: ChatStatus;
  counsellorId: string | null;
  /** When the silent visitor was asked whether they are still there (ISO), until they answer. */
  askedAt: string | null;
  closedReason: ChatCloseReason | null;
  /** The transcript was deleted under the retention rule (R10.4). */
  transcriptDeleted: boolean;
  updatedAt: string;
}

export type AssignResult = { ok: true } | { ok: false; code: 'not-waiting' | 'at-capacity' | 'not-on-duty' };
export type HandOverResult = { ok: true } | { ok: false; code: 'not-yours' | 'not-active' | 'at-capacity' | 'not-on-duty' };
export type CloseResult = { ok: true } | { ok: false; code: 'already-closed' };

export const chatStateQuery = defineQuery<ChatConversationState>('chatState');
/** A counsellor takes the conversation from the queue; refused if someone else already did. */
export const assignUpdate = defineUpdate<AssignResult, [{ counsellorId: string }]>('assign');
/** The counsellor hands the conversation to an on-duty colleague. */
export const handOverUpdate = defineUpdate<HandOverResult, [{ fromCounsellorId: string; toCounsellorId: string }]>('handOver');
/** The visitor ends the chat, the counsellor closes it, or the counsellor blocks an abusive visitor. */
export const closeUpdate = defineUpdate<CloseResult, [{ by: Exclude<ChatCloseReason, 'inactivity'>; actorId?: string }]>('close');
