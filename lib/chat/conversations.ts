// The chat's operations (R10): what the visitor's pages, the counsellor's console and the bench
// call. Each conversation's lifecycle belongs to its chatConversation workflow (queue, assignment,
// hand-over, inactivity, retention); messages are rows numbered per conversation, stored here and
// announced through the hub. Nothing here logs a message, a visitor key or anything a visitor wrote.
//
// Flooding is refused at the web layer (web/security/rateLimit.ts, per visitor key).
// CONTRACT (the lead's): the signatures below are fixed; the bodies are the chat-domain helper's.
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db, DbTypes } from '../db';
import type { ChatHub } from './hub';
import type { HandOverResult } from '../../workflows/chatConversation.messages';

export interface ChatDeps {
  db: Db;
  temporal: Client;
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_NAMESPACE'>;
  hub: ChatHub;
}

/** Longest message a visitor or counsellor may send (characters, after trimming). */
export const CHAT_MESSAGE_MAX = 2000;

export type ChatMessageRow = DbTypes.ChatMessage;
export type ChatConversationRow = DbTypes.ChatConversation;

/** The channel a conversation's streams wait on (hub.wait / hub.nudge). */
export const conversationChannel = (conversationId: string) => `chat:${conversationId}`;

// ---- the visitor ----------------------------------------------------------------------------

/** Opens a conversation in the queue and starts its workflow; refused outside opening hours or for a blocked key. */
export async function startConversation(
  deps: ChatDeps,
  visitorKey: string,
): Promise<{ ok: true; conversationId: string } | { ok: false; code: 'closed' | 'blocked' }> {
  void deps, visitorKey;
  throw new Error('not implemented');
}

/** The visitor's conversation, if this key owns it (else null: another key sees nothing). */
export async function visitorConversation(deps: Pick<ChatDeps, 'db'>, visitorKey: string, conversationId: string): Promise<ChatConversationRow | null> {
  void deps, visitorKey, conversationId;
  throw new Error('not implemented');
}

/** Place in the queue (1 = next), an honest estimate in minutes (null when no one is on duty), and how many are on duty. */
export async function queueInfo(
  deps: Pick<ChatDeps, 'db'>,
  conversationId: string,
): Promise<{ position: number; estimateMinutes: number | null; onDuty: number } | null> {
  void deps, conversationId;
  throw new Error('not implemented');
}

export type PostMessageResult =
  | { ok: true; message: ChatMessageRow }
  | { ok: false; code: 'empty' | 'too-long' | 'closed' | 'not-yours' };

/**
 * Stores a message with the next sequence number (a retried post with the same clientKey returns
 * the stored one), moves the visitor's inactivity clock, and nudges the conversation's streams.
 * A counsellor may post only in a conversation assigned to them.
 */
export async function postMessage(
  deps: ChatDeps,
  input: { conversationId: string; sender: 'visitor' | 'counsellor'; authorId?: string; body: string; clientKey: string },
): Promise<PostMessageResult> {
  void deps, input;
  throw new Error('not implemented');
}

/** Messages after a sequence number, oldest first (for streams that resume with Last-Event-ID). */
export async function messagesAfter(db: Db, conversationId: string, afterSeq: number, limit = 200): Promise<ChatMessageRow[]> {
  void db, conversationId, afterSeq, limit;
  throw new Error('not implemented');
}

/** The visitor ends the chat (also the quick exit). */
export async function endByVisitor(deps: ChatDeps, conversationId: string): Promise<void> {
  void deps, conversationId;
  throw new Error('not implemented');
}

// ---- the counsellor ------------------------------------------------------------------------

export async function setOnDuty(deps: ChatDeps, counsellorId: string, onDuty: boolean): Promise<void> {
  void deps, counsellorId, onDuty;
  throw new Error('not implemented');
}

/** Waiting conversations, oldest first (the queue). */
export async function waitingQueue(db: Db): Promise<Pick<ChatConversationRow, 'id' | 'createdAt'>[]> {
  void db;
  throw new Error('not implemented');
}

/** The counsellor takes the oldest waiting visitor (through the workflow's assign update). */
export async function takeNext(
  deps: ChatDeps,
  counsellorId: string,
): Promise<{ ok: true; conversationId: string } | { ok: false; code: 'empty' | 'at-capacity' | 'not-on-duty' }> {
  void deps, counsellorId;
  throw new Error('not implemented');
}

export async function handOver(deps: ChatDeps, conversationId: string, fromCounsellorId: string, toCounsellorId: string): Promise<HandOverResult> {
  void deps, conversationId, fromCounsellorId, toCounsellorId;
  throw new Error('not implemented');
}

export async function closeByCounsellor(deps: ChatDeps, conversationId: string, counsellorId: string): Promise<{ ok: boolean }> {
  void deps, conversationId, counsellorId;
  throw new Error('not implemented');
}

/** Closes the conversation and blocks the visitor's key for a day (abuse). */
export async function blockVisitor(deps: ChatDeps, conversationId: string, counsellorId: string): Promise<{ ok: boolean }> {
  void deps, conversationId, counsellorId;
  throw new Error('not implemented');
}

/** A report of concern: a new case with its own case number, holding only the counsellor's text. */
export async function createConcernReport(deps: Pick<ChatDeps, 'db'>, counsellorId: string, body: string): Promise<{ caseNumber: string }> {
  void deps, counsellorId, body;
  throw new Error('not implemented');
}
