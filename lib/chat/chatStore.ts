// The chat's rows as the conversation workflow's activities change them (R10.3–R10.5): message
// numbering, assignment and hand-over under row locks (two counsellors can never both take one
// visitor, nobody passes the capacity limit), closing, the inactivity questions and the retention
// deletion. Each operation is idempotent, because Temporal retries activities. Nothing here logs.
import { randomUUID } from 'node:crypto';
import { DbTypes, type Db } from '../db';
import type { AssignResult, ChatCloseReason, HandOverResult } from '../../workflows/chatConversation.messages';
import { loadChatSettings } from './chatSettings';
import { CHAT_WAITING_LIMIT_MS, inactivityStep, type InactivityFacts, type InactivityStep } from './inactivity';

type Runner = Pick<DbTypes.Prisma.TransactionClient, '$queryRaw'>;
type Message = DbTypes.ChatMessage;

const sql = DbTypes.Prisma.sql;
/** The database's clock as the UTC wall time the `timestamp(3)` columns hold (as Prisma writes them). */
const NOW = sql`(now() AT TIME ZONE 'UTC')`;
const MESSAGE_COLUMNS = sql`id, conversation_id AS "conversationId", seq, sender, author_id AS "authorId", body,
  client_key AS "clientKey", created_at AS "createdAt"`;

/** What the system itself says in a conversation (stored as messages, shown as they are). */
export const CHAT_SYSTEM_TEXTS = {
  stillThere: 'Är du kvar? Chatten avslutas om en stund om du inte svarar.',
  closedByInactivity: 'Chatten avslutades eftersom det var tyst en stund. Du är välkommen att skriva igen när chatten är öppen.',
  closedWhileWaiting: 'Chatten avslutades eftersom ingen rådgivare kunde svara i tid. Du är välkommen att skriva igen när chatten är öppen.',
  handedOver: 'En annan rådgivare tar nu över samtalet.',
} as const;

export interface NewMessage {
  conversationId: string;
  sender: 'visitor' | 'counsellor' | 'system';
  /** The counsellor who writes; a counsellor's message is stored only in their own active conversation. */
  authorId: string | null;
  body: string;
  clientKey: string | null;
}

/**
 * Stores a message with the conversation's next sequence number in one statement: the counter's
 * row lock orders concurrent posts, so sequence numbers commit in order and never repeat. Null
 * when the conversation is closed, unknown, or (for a counsellor) not theirs. A visitor's message
 * moves the inactivity clock. A clientKey already stored makes the statement fail whole (the
 * counter included); the caller then looks the stored message up.
 */
export async function insertMessage(db: Runner, m: NewMessage): Promise<Message | null> {
  const rows = await db.$queryRaw<Message[]>`
    WITH conv AS (
      UPDATE chat_conversation
         SET last_seq = last_seq + 1,
             last_visitor_at = CASE WHEN ${m.sender} = 'visitor' THEN ${NOW} ELSE last_visitor_at END
       WHERE id = ${m.conversationId}::uuid AND status <> 'closed'
         AND (${m.sender} <> 'counsellor' OR (status = 'active' AND counsellor_id = ${m.authorId}::uuid))
       RETURNING id, last_seq
    )
    INSERT INTO chat_message (id, conversation_id, seq, sender, author_id, body, client_key, created_at)
    SELECT ${randomUUID()}::uuid, conv.id, conv.last_seq, ${m.sender}, ${m.authorId}::uuid, ${m.body}, ${m.clientKey}, ${NOW}
      FROM conv
    RETURNING ${MESSAGE_COLUMNS}`;
  return rows[0] ?? null;
}

export async function messageByClientKey(db: Runner, conversationId: string, clientKey: string): Promise<Message | null> {
  const rows = await db.$queryRaw<Message[]>`
    SELECT ${MESSAGE_COLUMNS} FROM chat_message WHERE conversation_id = ${conversationId}::uuid AND client_key = ${clientKey}`;
  return rows[0] ?? null;
}

interface ConversationFacts extends InactivityFacts {
  counsellorId: string | null;
  closedAt: Date | null;
  now: Date;
}

/** The conversation's lifecycle facts and the database's clock; `lock` takes the row for the transaction. */
async function conversationFacts(db: Runner, conversationId: string, lock = false): Promise<ConversationFacts | null> {
  const rows = await db.$queryRaw<ConversationFacts[]>`
    SELECT c.status::text AS status, c.counsellor_id AS "counsellorId", c.last_visitor_at AS "lastVisitorAt",
           c.assigned_at AS "assignedAt", c.closed_at AS "closedAt",
           (SELECT max(m.created_at) FROM chat_message m WHERE m.conversation_id = c.id AND m.sender = 'counsellor') AS "lastCounsellorAt",
           ${NOW} AS now
      FROM chat_conversation c
     WHERE c.id = ${conversationId}::uuid
    ${lock ? sql`FOR UPDATE OF c` : DbTypes.Prisma.empty}`;
  return rows[0] ?? null;
}

/** Locks the counsellor's duty row (serialising their capacity check); false when they are off duty. */
async function lockDuty(db: Runner, counsellorId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ person_id: string }[]>`SELECT person_id FROM chat_duty WHERE person_id = ${counsellorId}::uuid FOR UPDATE`;
  return rows.length > 0;
}

async function activeCount(db: Runner, counsellorId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM chat_conversation WHERE counsellor_id = ${counsellorId}::uuid AND status = 'active'`;
  return row.n;
}

/** Waiting → active for an on-duty counsellor below the limit; a retry after success answers ok again. */
export async function assignConversation(db: Db, input: { conversationId: string; counsellorId: string }): Promise<AssignResult> {
  const { maxPerCounsellor } = await loadChatSettings(db);
  return db.$transaction(async (tx): Promise<AssignResult> => {
    const onDuty = await lockDuty(tx, input.counsellorId);
    const conv = await conversationFacts(tx, input.conversationId, true);
    if (conv?.status === 'active' && conv.counsellorId === input.counsellorId) return { ok: true };
    if (!conv || conv.status !== 'waiting') return { ok: false, code: 'not-waiting' };
    if (!onDuty) return { ok: false, code: 'not-on-duty' };
    if ((await activeCount(tx, input.counsellorId)) >= maxPerCounsellor) return { ok: false, code: 'at-capacity' };
    await tx.$queryRaw`
      UPDATE chat_conversation SET status = 'active', counsellor_id = ${input.counsellorId}::uuid, assigned_at = ${NOW}
       WHERE id = ${input.conversationId}::uuid AND status = 'waiting'`;
    return { ok: true };
  });
}

/** Active conversation from one counsellor to an on-duty colleague below the limit; the visitor is told. */
export async function handOverConversation(
  db: Db,
  input: { conversationId: string; fromCounsellorId: string; toCounsellorId: string; key: string },
): Promise<HandOverResult> {
  const { maxPerCounsellor } = await loadChatSettings(db);
  return db.$transaction(async (tx): Promise<HandOverResult> => {
    if (input.fromCounsellorId === input.toCounsellorId) return { ok: false, code: 'not-yours' };
    const onDuty = await lockDuty(tx, input.toCounsellorId);
    const conv = await conversationFacts(tx, input.conversationId, true);
    if (conv?.status === 'active' && conv.counsellorId === input.toCounsellorId) return { ok: true };
    if (!conv || conv.status !== 'active') return { ok: false, code: 'not-active' };
    if (conv.counsellorId !== input.fromCounsellorId) return { ok: false, code: 'not-yours' };
    if (!onDuty) return { ok: false, code: 'not-on-duty' };
    if ((await activeCount(tx, input.toCounsellorId)) >= maxPerCounsellor) return { ok: false, code: 'at-capacity' };
    await tx.$queryRaw`UPDATE chat_conversation SET counsellor_id = ${input.toCounsellorId}::uuid WHERE id = ${input.conversationId}::uuid`;
    await insertMessage(tx, {
      conversationId: input.conversationId,
      sender: 'system',
      authorId: null,
      body: CHAT_SYSTEM_TEXTS.handedOver,
      clientKey: `system:handover:${input.key}`,
    });
    return { ok: true };
  });
}

/** Closes the conversation (the visitor, the counsellor or a block); closing a closed one changes nothing. */
export async function closeConversation(db: Runner, input: { conversationId: string; reason: Exclude<ChatCloseReason, 'inactivity'> }): Promise<void> {
  await db.$queryRaw`
    UPDATE chat_conversation SET status = 'closed', closed_at = ${NOW}, closed_reason = ${input.reason}
     WHERE id = ${input.conversationId}::uuid AND status <> 'closed'`;
}

async function inactivityTimings(db: Db) {
  const settings = await loadChatSettings(db);
  return { inactivityAskMs: settings.inactivityAskMs, inactivityCloseMs: settings.inactivityCloseMs, waitingLimitMs: CHAT_WAITING_LIMIT_MS };
}

/** What the workflow's inactivity watch does next, read from the row and the settings now. */
export async function inactivityStepNow(db: Db, input: { conversationId: string; askedAt: string | null }): Promise<InactivityStep> {
  const [timings, facts] = await Promise.all([inactivityTimings(db), conversationFacts(db, input.conversationId)]);
  if (!facts) return { action: 'none' };
  return inactivityStep(facts, timings, input.askedAt ? new Date(input.askedAt) : null, facts.now);
}

/** Posts "are you still there?" if the visitor is (still) silent; its time is the new askedAt. */
export async function askStillThere(db: Db, input: { conversationId: string; key: string }): Promise<{ askedAt: string | null }> {
  const timings = await inactivityTimings(db);
  const clientKey = `system:ask:${input.key}`;
  return db.$transaction(async (tx) => {
    const facts = await conversationFacts(tx, input.conversationId, true);
    const asked = await messageByClientKey(tx, input.conversationId, clientKey);
    if (asked) return { askedAt: asked.createdAt.toISOString() };
    if (!facts || inactivityStep(facts, timings, null, facts.now).action !== 'ask') return { askedAt: null };
    const message = await insertMessage(tx, { conversationId: input.conversationId, sender: 'system', authorId: null, body: CHAT_SYSTEM_TEXTS.stillThere, clientKey });
    return { askedAt: message ? message.createdAt.toISOString() : null };
  });
}

/** Closes for inactivity if the rule still says so under the row lock (the visitor may just have written). */
export async function closeForInactivity(db: Db, input: { conversationId: string; askedAt: string | null }): Promise<{ closed: boolean }> {
  const timings = await inactivityTimings(db);
  return db.$transaction(async (tx) => {
    const facts = await conversationFacts(tx, input.conversationId, true);
    if (!facts) return { closed: false };
    if (facts.status === 'closed') return { closed: true }; // a retry after the close committed
    if (inactivityStep(facts, timings, input.askedAt ? new Date(input.askedAt) : null, facts.now).action !== 'close') return { closed: false };
    await insertMessage(tx, {
      conversationId: input.conversationId,
      sender: 'system',
      authorId: null,
      body: facts.status === 'waiting' ? CHAT_SYSTEM_TEXTS.closedWhileWaiting : CHAT_SYSTEM_TEXTS.closedByInactivity,
      clientKey: 'system:closed',
    });
    await tx.$queryRaw`
      UPDATE chat_conversation SET status = 'closed', closed_at = ${NOW}, closed_reason = 'inactivity'
       WHERE id = ${input.conversationId}::uuid AND status <> 'closed'`;
    return { closed: true };
  });
}

/** How long until the closed conversation's transcript is deleted (the retention setting now, from the close). */
export async function retentionDueIn(db: Db, input: { conversationId: string }): Promise<{ deleteInMs: number }> {
  const [{ retentionMs }, facts] = await Promise.all([loadChatSettings(db), conversationFacts(db, input.conversationId)]);
  if (!facts?.closedAt) return { deleteInMs: 0 };
  return { deleteInMs: Math.max(0, facts.closedAt.getTime() + retentionMs - facts.now.getTime()) };
}

/** Deletes every message of the conversation and notes when; the row keeps only times and codes. */
export async function deleteTranscript(db: Db, input: { conversationId: string }): Promise<{ deleted: number }> {
  return db.$transaction(async (tx) => {
    const deleted = await tx.chatMessage.deleteMany({ where: { conversationId: input.conversationId } });
    await tx.$queryRaw`
      UPDATE chat_conversation SET transcript_deleted_at = ${NOW}
       WHERE id = ${input.conversationId}::uuid AND transcript_deleted_at IS NULL`;
    return { deleted: deleted.count };
  });
}
