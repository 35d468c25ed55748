// The chat's operations (R10): what the visitor's pages, the counsellor's console and the bench
// call. Each conversation's lifecycle belongs to its chatConversation workflow (queue, assignment,
// hand-over, inactivity, retention); messages are rows numbered per conversation, stored here and
// announced through the hub. Nothing here logs a message, a visitor key or anything a visitor wrote.
//
// Flooding is refused at the web layer (web/security/rateLimit.ts: starts per visitor key and per
// client address, messages per visitor key); the waiting queue has a cap (startConversation).
// CONTRACT (the lead's): the signatures below are fixed; the bodies are the chat-domain helper's.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { DbTypes, type Db } from '../db';
import { QUEUE_CHANNEL, type ChatHub } from './hub';
import {
  assignUpdate,
  CHAT_CONVERSATION,
  chatConversationWorkflowId,
  closeUpdate,
  handOverUpdate,
  type ChatConversationInput,
  type CloseResult,
  type HandOverResult,
} from '../../workflows/chatConversation.messages';
import { sha256 } from '../crypto';
import { startWorkflowOnce } from '../temporal';
import { nextCaseNumberSql } from '../cases/caseNumber';
import { loadChatSettings } from './chatSettings';
import { openingState } from './openingHours';
import { closeConversation, insertMessage, messageByClientKey } from './chatStore';
import { chatTextProblem, normaliseChatText, type ChatTextProblem } from './messageText';

export interface ChatDeps {
  db: Db;
  temporal: Client;
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_NAMESPACE'>;
  hub: ChatHub;
}

export type ChatMessageRow = DbTypes.ChatMessage;
export type ChatConversationRow = DbTypes.ChatConversation;

/** The channel a conversation's streams wait on (hub.wait / hub.nudge). */
export const conversationChannel = (conversationId: string) => `chat:${conversationId}`;

/** How long a counsellor's block keeps a visitor key out. */
export const CHAT_BLOCK_MS = 24 * 60 * 60_000;
/** A report of concern's text, in characters after trimming (the console validates the same). */
export const CONCERN_REPORT_MIN = 10;
export const CONCERN_REPORT_MAX = 5000;
/** Longest client key kept (a UUID is 36); longer ones are cut, an empty one means "no key". */
const CLIENT_KEY_MAX = 100;
/** How long a page waits for the workflow to answer an update (the worker may be restarting). */
const UPDATE_TIMEOUT_MS = 15_000;
/** The queue estimate's handling time when no conversation has closed lately. */
const DEFAULT_HANDLING_MS = 10 * 60_000;
/** Conversations the handling-time average is taken over (the latest closed ones, of the last 30 days). */
const HANDLING_SAMPLE = 50;
/** How old a shared queue snapshot may be for a stream's periodic look (a nudge always gets a newer one). */
const SHARED_QUEUE_MAX_AGE_MS = 1_000;
/** Waiting conversations takeNext tries before it gives up for this click. */
const TAKE_ATTEMPTS = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

function workflowHandle(deps: Pick<ChatDeps, 'temporal'>, conversationId: string) {
  return deps.temporal.workflow.getHandle(chatConversationWorkflowId(conversationId));
}

/** Runs an update against the conversation's workflow; null when the workflow no longer runs. */
async function update<T>(deps: Pick<ChatDeps, 'temporal'>, run: () => Promise<T>): Promise<T | null> {
  try {
    return await deps.temporal.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, run);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

function nudgeConversation(deps: Pick<ChatDeps, 'hub'>, conversationId: string, queue = false): void {
  deps.hub.nudge(conversationChannel(conversationId));
  if (queue) deps.hub.nudge(QUEUE_CHANNEL);
}

// ---- the visitor ----------------------------------------------------------------------------

/** Opens a conversation in the queue and starts its workflow; refused outside opening hours, for a blocked key or when the queue is full. */
export async function startConversation(
  deps: ChatDeps,
  visitorKey: string,
): Promise<{ ok: true; conversationId: string } | { ok: false; code: 'closed' | 'blocked' | 'full' }> {
  const visitorKeyHash = sha256(visitorKey);
  const [settings, block, open] = await Promise.all([
    loadChatSettings(deps.db),
    deps.db.chatBlock.findUnique({ where: { visitorKeyHash } }),
    deps.db.chatConversation.findFirst({
      where: { visitorKeyHash, status: { in: ['waiting', 'active'] } },
      orderBy: { createdAt: 'desc' },
      select: { id: true },
    }),
  ]);
  if (block && block.expiresAt.getTime() > Date.now()) return { ok: false, code: 'blocked' };
  // A second start from the same browser (a double click, another tab) resumes its open conversation.
  if (open) return { ok: true, conversationId: open.id };
  if (!openingState(settings).open) return { ok: false, code: 'closed' };
  // The queue's cap (issue 14), counted and joined under one lock so that starts at the same
  // moment cannot each see the last free place.
  const row = await deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('chat:queue'))`;
    if ((await tx.chatConversation.count({ where: { status: 'waiting' } })) >= settings.maxQueue) return null;
    return tx.chatConversation.create({ data: { visitorKeyHash }, select: { id: true } });
  });
  if (!row) return { ok: false, code: 'full' };
  const input: ChatConversationInput = { conversationId: row.id };
  try {
    await startWorkflowOnce(deps.temporal, CHAT_CONVERSATION, {
      workflowId: chatConversationWorkflowId(row.id),
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [input],
    });
  } catch (err) {
    // No conversation without its workflow: nobody could take it, nothing would ever close it.
    await deps.db.chatConversation.delete({ where: { id: row.id } }).catch(() => undefined);
    throw err;
  }
  deps.hub.nudge(QUEUE_CHANNEL);
  return { ok: true, conversationId: row.id };
}

/** The visitor's conversation, if this key owns it (else null: another key sees nothing). */
export async function visitorConversation(deps: Pick<ChatDeps, 'db'>, visitorKey: string, conversationId: string): Promise<ChatConversationRow | null> {
  if (!isUuid(conversationId)) return null;
  return deps.db.chatConversation.findFirst({ where: { id: conversationId, visitorKeyHash: sha256(visitorKey) } });
}

/** The queue as a whole: what every waiting visitor's place and estimate are read from. */
export interface QueueSnapshot {
  /** The waiting conversations' ids, first in line first. */
  waiting: string[];
  onDuty: number;
  /** Active conversations of the counsellors on duty. */
  busy: number;
  /** The average conversation of late (ms); null without any. */
  handlingMs: number | null;
  maxPerCounsellor: number;
}

export interface QueuePlace {
  /** 1 = next. */
  position: number;
  /** An honest estimate in minutes; null when no one is on duty. */
  estimateMinutes: number | null;
  onDuty: number;
}

/** The queue in one query (and the settings when someone is on duty). */
export async function loadQueueSnapshot(db: Db): Promise<QueueSnapshot> {
  const [row] = await db.$queryRaw<{ waiting: string[]; on_duty: number; busy: number; handling_ms: number | null }[]>`
    SELECT
      coalesce((SELECT array_agg(w.id::text ORDER BY w.created_at, w.id) FROM chat_conversation w WHERE w.status = 'waiting'), '{}') AS waiting,
      (SELECT count(*)::int FROM chat_duty) AS on_duty,
      (SELECT count(*)::int FROM chat_conversation a JOIN chat_duty d ON d.person_id = a.counsellor_id
        WHERE a.status = 'active') AS busy,
      (SELECT (avg(EXTRACT(EPOCH FROM (r.closed_at - r.assigned_at))) * 1000)::float8 FROM (
         SELECT closed_at, assigned_at FROM chat_conversation
          WHERE status = 'closed' AND assigned_at IS NOT NULL
            AND closed_at > (now() AT TIME ZONE 'UTC') - interval '30 days'
          ORDER BY closed_at DESC LIMIT ${HANDLING_SAMPLE}) r) AS handling_ms`;
  const maxPerCounsellor = row.on_duty > 0 ? (await loadChatSettings(db)).maxPerCounsellor : 1;
  return { waiting: row.waiting, onDuty: row.on_duty, busy: row.busy, handlingMs: row.handling_ms, maxPerCounsellor };
}

/** A waiting conversation's place in the snapshot; null when it is not waiting there (taken, closed, unknown). */
export function placeInQueue(queue: QueueSnapshot, conversationId: string): QueuePlace | null {
  const index = queue.waiting.indexOf(conversationId);
  if (index < 0) return null;
  const position = index + 1;
  if (queue.onDuty === 0) return { position, estimateMinutes: null, onDuty: 0 };
  // Counsellors on duty work through the queue in parallel, each up to the limit: a free place
  // means a counsellor can take the visitor now; behind that, every place frees up once per
  // average conversation.
  const places = queue.onDuty * queue.maxPerCounsellor;
  const free = Math.max(0, places - queue.busy);
  if (position <= free) return { position, estimateMinutes: 0, onDuty: queue.onDuty };
  const handlingMs = queue.handlingMs && queue.handlingMs > 0 ? queue.handlingMs : DEFAULT_HANDLING_MS;
  const estimateMinutes = Math.max(1, Math.ceil(((position - free) * handlingMs) / places / 60_000));
  return { position, estimateMinutes, onDuty: queue.onDuty };
}

/** Place in the queue (1 = next), an honest estimate in minutes (null when no one is on duty), and how many are on duty. */
export async function queueInfo(deps: Pick<ChatDeps, 'db'>, conversationId: string): Promise<QueuePlace | null> {
  if (!isUuid(conversationId)) return null;
  return placeInQueue(await loadQueueSnapshot(deps.db), conversationId);
}

/**
 * The queue shared by every waiting visitor's stream in this process. A take or a new visitor
 * nudges all of them at once: each reading the queue for itself cost a query per waiting visitor
 * per change (hundreds of queries for one take in a long queue). Each `snapshot()` is built after
 * the latest queue nudge this process heard, so it shows that change; the streams woken by the same
 * nudge share one build, and a periodic look takes one under a second old.
 */
export function sharedQueue(hub: ChatHub, db: Db) {
  let nudges = 0;
  hub.subscribe(QUEUE_CHANNEL, () => void nudges++);
  let latest: { nudges: number; at: number; snapshot: Promise<QueueSnapshot> } | null = null;
  return {
    /** The queue as of after the latest nudge this process heard, built within the last second. */
    snapshot(): Promise<QueueSnapshot> {
      if (latest && latest.nudges === nudges && Date.now() - latest.at < SHARED_QUEUE_MAX_AGE_MS) return latest.snapshot;
      const build = { nudges, at: Date.now(), snapshot: loadQueueSnapshot(db) };
      latest = build;
      build.snapshot.catch(() => latest === build && (latest = null));
      return build.snapshot;
    },
  };
}

export type PostMessageResult =
  | { ok: true; message: ChatMessageRow }
  | { ok: false; code: ChatTextProblem | 'closed' | 'not-yours' };

/**
 * Stores a message (checked again here: lib/chat/messageText.ts) with the next sequence number (a
 * retried post with the same clientKey returns the stored one), moves the visitor's inactivity
 * clock, and nudges the conversation's streams. A counsellor may post only in a conversation
 * assigned to them.
 */
export async function postMessage(
  deps: ChatDeps,
  input: { conversationId: string; sender: 'visitor' | 'counsellor'; authorId?: string; body: string; clientKey: string },
): Promise<PostMessageResult> {
  const body = normaliseChatText(typeof input.body === 'string' ? input.body : '');
  const problem = chatTextProblem(body);
  if (problem) return { ok: false, code: problem };
  const { conversationId, sender } = input;
  const authorId = sender === 'counsellor' ? (input.authorId ?? null) : null;
  if (!isUuid(conversationId) || (sender === 'counsellor' && !isUuid(authorId))) return { ok: false, code: 'not-yours' };
  const clientKey = (input.clientKey ?? '').trim().slice(0, CLIENT_KEY_MAX) || null;

  const stored = async (): Promise<PostMessageResult | null> => {
    if (!clientKey) return null;
    const message = await messageByClientKey(deps.db, conversationId, clientKey);
    if (!message) return null;
    // The same key from the other side is not this sender's message.
    if (message.sender !== sender || message.authorId !== authorId) return { ok: false, code: 'not-yours' };
    return { ok: true, message };
  };
  // Insert first (one query on the usual path); a retried key makes the insert fail or, in a
  // conversation closed since, find nothing to number: then the stored message is the answer.
  let message: ChatMessageRow | null;
  try {
    message = await insertMessage(deps.db, { conversationId, sender, authorId, body, clientKey });
  } catch (err) {
    // The key is stored already (a retry, or the same post twice at once): this statement rolled back whole.
    const retried = await stored();
    if (retried) return retried;
    throw err;
  }
  if (!message) {
    const retried = await stored();
    if (retried) return retried;
    const conversation = await deps.db.chatConversation.findUnique({ where: { id: conversationId }, select: { status: true } });
    return { ok: false, code: conversation?.status === 'closed' ? 'closed' : 'not-yours' };
  }
  deps.hub.nudge(conversationChannel(conversationId), message);
  return { ok: true, message };
}

/** Messages after a sequence number, oldest first (for streams that resume with Last-Event-ID). */
export async function messagesAfter(db: Db, conversationId: string, afterSeq: number, limit = 200): Promise<ChatMessageRow[]> {
  if (!isUuid(conversationId)) return [];
  const after = Number.isFinite(afterSeq) ? Math.max(0, Math.floor(afterSeq)) : 0;
  const take = Math.min(Math.max(1, Math.floor(limit) || 1), 1000);
  return db.chatMessage.findMany({ where: { conversationId, seq: { gt: after } }, orderBy: { seq: 'asc' }, take });
}

/** The visitor ends the chat (also the quick exit). */
export async function endByVisitor(deps: ChatDeps, conversationId: string): Promise<void> {
  if (!isUuid(conversationId)) return;
  const row = await deps.db.chatConversation.findUnique({ where: { id: conversationId }, select: { status: true } });
  if (!row || row.status === 'closed') return;
  const result = await update(deps, () => workflowHandle(deps, conversationId).executeUpdate(closeUpdate, { args: [{ by: 'visitor' }] }));
  // Without its workflow (never expected) the row is closed directly, so the visitor is let go.
  if (result === null) await closeConversation(deps.db, { conversationId, reason: 'visitor' });
  nudgeConversation(deps, conversationId, true);
}

/**
 * The quick exit: unlinks the chat from the visitor's key, then ends it, so this browser can never
 * open it again, even if its cookies outlive the exit (the page leaves at once; the answer that
 * deletes the cookies may come after the next page has loaded, or never). Unlinked first: the end
 * goes through Temporal and can fail or take time, and until then the chat must not be on show.
 */
export async function quickExit(deps: ChatDeps, conversationId: string): Promise<void> {
  if (!isUuid(conversationId)) return;
  await deps.db.chatConversation.updateMany({ where: { id: conversationId }, data: { visitorKeyHash: sha256(randomUUID()) } });
  await endByVisitor(deps, conversationId);
}

// ---- the counsellor ------------------------------------------------------------------------

export async function setOnDuty(deps: ChatDeps, counsellorId: string, onDuty: boolean): Promise<void> {
  if (onDuty) {
    await deps.db.chatDuty.upsert({ where: { personId: counsellorId }, create: { personId: counsellorId }, update: {} });
  } else {
    await deps.db.chatDuty.deleteMany({ where: { personId: counsellorId } });
  }
  deps.hub.nudge(QUEUE_CHANNEL);
}

/** Waiting conversations, oldest first (the queue). */
export async function waitingQueue(db: Db): Promise<Pick<ChatConversationRow, 'id' | 'createdAt'>[]> {
  return db.chatConversation.findMany({
    where: { status: 'waiting' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, createdAt: true },
  });
}

/** The counsellor takes the oldest waiting visitor (through the workflow's assign update). */
export async function takeNext(
  deps: ChatDeps,
  counsellorId: string,
): Promise<{ ok: true; conversationId: string } | { ok: false; code: 'empty' | 'at-capacity' | 'not-on-duty' }> {
  if (!isUuid(counsellorId)) return { ok: false, code: 'not-on-duty' };
  const [duty, active, settings] = await Promise.all([
    deps.db.chatDuty.findUnique({ where: { personId: counsellorId } }),
    deps.db.chatConversation.count({ where: { counsellorId, status: 'active' } }),
    loadChatSettings(deps.db),
  ]);
  if (!duty) return { ok: false, code: 'not-on-duty' };
  if (active >= settings.maxPerCounsellor) return { ok: false, code: 'at-capacity' };
  const waiting = await deps.db.chatConversation.findMany({
    where: { status: 'waiting' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
    take: TAKE_ATTEMPTS,
  });
  for (const { id } of waiting) {
    // The workflow decides: a colleague who clicked at the same moment gets 'not-waiting' and the next one.
    const result = await update(deps, () => workflowHandle(deps, id).executeUpdate(assignUpdate, { args: [{ counsellorId }] }));
    if (result === null) continue;
    if (!result.ok) {
      if (result.code === 'not-waiting') continue;
      return { ok: false, code: result.code };
    }
    nudgeConversation(deps, id, true);
    return { ok: true, conversationId: id };
  }
  return { ok: false, code: 'empty' };
}

export async function handOver(deps: ChatDeps, conversationId: string, fromCounsellorId: string, toCounsellorId: string): Promise<HandOverResult> {
  if (!isUuid(conversationId)) return { ok: false, code: 'not-active' };
  if (!isUuid(fromCounsellorId) || fromCounsellorId === toCounsellorId) return { ok: false, code: 'not-yours' };
  if (!isUuid(toCounsellorId)) return { ok: false, code: 'not-on-duty' };
  const result = await update(deps, () =>
    workflowHandle(deps, conversationId).executeUpdate(handOverUpdate, { args: [{ fromCounsellorId, toCounsellorId }] }),
  );
  if (result === null) return { ok: false, code: 'not-active' };
  if (result.ok) nudgeConversation(deps, conversationId, true);
  return result;
}

/** Closes through the workflow if the conversation is this counsellor's and active. */
async function closeOwn(deps: ChatDeps, conversationId: string, counsellorId: string, by: 'counsellor' | 'blocked', before?: (visitorKeyHash: string) => Promise<unknown>) {
  if (!isUuid(conversationId) || !isUuid(counsellorId)) return { ok: false };
  const row = await deps.db.chatConversation.findUnique({ where: { id: conversationId }, select: { status: true, counsellorId: true, visitorKeyHash: true } });
  if (!row || row.status !== 'active' || row.counsellorId !== counsellorId) return { ok: false };
  await before?.(row.visitorKeyHash);
  const result: CloseResult | null = await update(deps, () =>
    workflowHandle(deps, conversationId).executeUpdate(closeUpdate, { args: [{ by, actorId: counsellorId }] }),
  );
  if (result === null) await closeConversation(deps.db, { conversationId, reason: by });
  nudgeConversation(deps, conversationId, true);
  return { ok: result === null || result.ok || by === 'blocked' };
}

export async function closeByCounsellor(deps: ChatDeps, conversationId: string, counsellorId: string): Promise<{ ok: boolean }> {
  return closeOwn(deps, conversationId, counsellorId, 'counsellor');
}

/** Closes the conversation and blocks the visitor's key for a day (abuse). */
export async function blockVisitor(deps: ChatDeps, conversationId: string, counsellorId: string): Promise<{ ok: boolean }> {
  return closeOwn(deps, conversationId, counsellorId, 'blocked', async (visitorKeyHash) => {
    const expiresAt = new Date(Date.now() + CHAT_BLOCK_MS);
    await deps.db.chatBlock.upsert({
      where: { visitorKeyHash },
      create: { visitorKeyHash, blockedById: counsellorId, expiresAt },
      update: { blockedById: counsellorId, expiresAt },
    });
  });
}

/**
 * A report of concern: a new case with its own case number, holding only the counsellor's text.
 * The same form key again (a double click, a retry) returns the report it already made.
 */
export async function createConcernReport(deps: Pick<ChatDeps, 'db'>, counsellorId: string, body: string, formKey?: string): Promise<{ caseNumber: string }> {
  const text = normaliseChatText(body);
  if (text.length < CONCERN_REPORT_MIN || text.length > CONCERN_REPORT_MAX) throw new RangeError('concern report length');
  if (!isUuid(counsellorId)) throw new TypeError('counsellor id');
  const key = isUuid(formKey) ? formKey : null;
  const already = async () =>
    key ? deps.db.concernReport.findFirst({ where: { formKey: key, createdById: counsellorId }, select: { caseNumber: true } }) : null;
  const made = await already();
  if (made) return made;
  const createdAt = new Date();
  try {
    const [row] = await deps.db.$queryRaw<{ case_number: string }[]>`
      WITH numbered AS (${nextCaseNumberSql(createdAt)})
      INSERT INTO concern_report (id, case_number, body, created_by_id, created_at, form_key)
      SELECT ${randomUUID()}::uuid, n.case_number, ${text}, ${counsellorId}::uuid, (now() AT TIME ZONE 'UTC'), ${key}::uuid
        FROM numbered n
      RETURNING case_number`;
    return { caseNumber: row.case_number };
  } catch (err) {
    // The same form at the same moment: the other request made it (this statement, its number
    // included, rolled back whole).
    const raced = await already();
    if (raced) return raced;
    throw err;
  }
}
