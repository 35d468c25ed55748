// The chat's conversations on the real Temporal dev server and real PostgreSQL (R10.3–R10.5):
// queue order, two counsellors racing for one visitor, the capacity limit, duty, hand-over,
// messages numbered without loss or duplicates, inactivity (asked, then closed; an answer resets
// the clock), blocking, and the retention deletion. Timings are seconds, from the chat settings.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomToken, sha256 } from '../lib/crypto';
import { saveChatSettings, WEEKDAYS, type ChatSettings } from '../lib/chat/chatSettings';
import { CHAT_SYSTEM_TEXTS } from '../lib/chat/chatStore';
import {
  blockVisitor,
  closeByCounsellor,
  conversationChannel,
  createConcernReport,
  endByVisitor,
  handOver,
  messagesAfter,
  postMessage,
  queueInfo,
  setOnDuty,
  startConversation,
  takeNext,
  visitorConversation,
  waitingQueue,
  type ChatDeps,
} from '../lib/chat/conversations';
import { chatHub, type NudgedMessage } from '../lib/chat/hub';
import { CHAT_MESSAGE_MAX } from '../lib/chat/messageText';
import { CASE_NUMBER_PATTERN } from '../lib/cases/caseNumber';
import { eventually } from '../test/support/eventually';
import { recordHistory } from '../test/support/histories';
import { startStack, type TestStack } from '../test/support/stack';
import { assignUpdate, CHAT_CONVERSATION, chatConversationWorkflowId, chatStateQuery, type ChatConversationInput } from './chatConversation.messages';

let stack: TestStack;
let chat: ChatDeps;
let c1: string;
let c2: string;
let c3: string;

/** Everything a visitor typed or held in this file: none of it may reach the console or Temporal. */
const secrets = new Set<string>();
const output: string[] = [];

const weekly = (ranges: () => ChatSettings['weekly']['mon']) => Object.fromEntries(WEEKDAYS.map((d) => [d, ranges()])) as ChatSettings['weekly'];
const OPEN_ALL_DAY = weekly(() => [{ from: '00:00', to: '23:59' }]);
const CALM: Partial<ChatSettings> = {
  weekly: OPEN_ALL_DAY,
  exceptions: [],
  retentionMs: 0,
  inactivityAskMs: 60 * 60_000,
  inactivityCloseMs: 60 * 60_000,
  maxPerCounsellor: 2,
};

function captureOutput() {
  const keep = (chunk: unknown) => output.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      args.forEach(keep);
      original(...args);
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return original(chunk, ...rest);
    }) as typeof stream.write);
  }
}

beforeAll(async () => {
  captureOutput();
  stack = await startStack();
  const { db, temporal, config } = stack.deps;
  chat = { db, temporal, config, hub: chatHub };
  const counsellor = async (n: number) =>
    (
      await db.person.create({
        data: { email: `radgivare-${n}-${randomUUID().slice(0, 6)}@komet.example`, name: `Rådgivare ${n}`, grants: { create: { role: 'counsellor' } } },
      })
    ).id;
  [c1, c2, c3] = [await counsellor(1), await counsellor(2), await counsellor(3)];
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.stop();
});

beforeEach(async () => {
  // Each test starts with an empty queue, nobody on duty and calm timings.
  const open = await stack.deps.db.chatConversation.findMany({ where: { status: { not: 'closed' } }, select: { id: true } });
  await Promise.all(open.map(({ id }) => endByVisitor(chat, id)));
  await stack.deps.db.chatDuty.deleteMany({});
  await saveChatSettings(stack.deps.db, CALM, null);
});

async function visitor() {
  const key = randomToken();
  secrets.add(key);
  const started = await startConversation(chat, key);
  if (!started.ok) throw new Error(`start refused: ${started.code}`);
  return { key, id: started.conversationId };
}

async function say(conversationId: string, body: string, sender: 'visitor' | 'counsellor' = 'visitor', authorId?: string) {
  if (sender === 'visitor') secrets.add(body);
  return postMessage(chat, { conversationId, sender, authorId, body, clientKey: randomUUID() });
}

const handle = (id: string) => stack.deps.temporal.workflow.getHandle(chatConversationWorkflowId(id));
const row = (id: string) => stack.deps.db.chatConversation.findUniqueOrThrow({ where: { id } });

/** Every payload in a history as text: what the Temporal server holds. */
function payloadText(node: unknown): string {
  if (node instanceof Uint8Array) return Buffer.from(node).toString('utf8');
  if (Array.isArray(node)) return node.map(payloadText).join(' ');
  if (node && typeof node === 'object') return Object.values(node).map(payloadText).join(' ');
  return '';
}

describe('the queue', () => {
  it('serves the oldest visitor first and tells each their place honestly', async () => {
    await saveChatSettings(stack.deps.db, { maxPerCounsellor: 3 }, null);
    const v1 = await visitor();
    const v2 = await visitor();
    const v3 = await visitor();
    expect((await waitingQueue(stack.deps.db)).map((c) => c.id)).toEqual([v1.id, v2.id, v3.id]);
    expect(await queueInfo(chat, v1.id)).toEqual({ position: 1, estimateMinutes: null, onDuty: 0 });
    expect(await queueInfo(chat, v3.id)).toEqual({ position: 3, estimateMinutes: null, onDuty: 0 });
    // The same browser starting again resumes its place instead of queueing twice.
    expect(await startConversation(chat, v2.key)).toEqual({ ok: true, conversationId: v2.id });

    await setOnDuty(chat, c1, true);
    expect(await queueInfo(chat, v3.id)).toEqual({ position: 3, estimateMinutes: 0, onDuty: 1 }); // three free places
    await saveChatSettings(stack.deps.db, { maxPerCounsellor: 1 }, null);
    // One place, no closed conversations yet: 10 minutes per conversation ahead of the visitor.
    expect(await queueInfo(chat, v3.id)).toEqual({ position: 3, estimateMinutes: 20, onDuty: 1 });
    await saveChatSettings(stack.deps.db, { maxPerCounsellor: 3 }, null);

    expect(await takeNext(chat, c1)).toEqual({ ok: true, conversationId: v1.id });
    expect(await queueInfo(chat, v1.id)).toBeNull(); // taken: no longer in the queue
    expect(await queueInfo(chat, v2.id)).toMatchObject({ position: 1 });
    expect(await takeNext(chat, c1)).toEqual({ ok: true, conversationId: v2.id });
    expect(await takeNext(chat, c1)).toEqual({ ok: true, conversationId: v3.id });
    expect(await takeNext(chat, c1)).toEqual({ ok: false, code: 'at-capacity' });
    await saveChatSettings(stack.deps.db, { maxPerCounsellor: 4 }, null);
    expect(await takeNext(chat, c1)).toEqual({ ok: false, code: 'empty' });

    const assigned = await row(v1.id);
    expect(assigned).toMatchObject({ status: 'active', counsellorId: c1 });
    expect(Math.abs(assigned.assignedAt!.getTime() - Date.now())).toBeLessThan(10_000); // stored as UTC
    expect(await handle(v1.id).query(chatStateQuery)).toMatchObject({ status: 'active', counsellorId: c1, askedAt: null });
  });

  it('two counsellors taking the same visitor at once: exactly one gets them', async () => {
    await setOnDuty(chat, c1, true);
    await setOnDuty(chat, c2, true);
    const v = await visitor();
    const results = await Promise.all([takeNext(chat, c1), takeNext(chat, c2)]);
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, conversationId: v.id }]);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, code: 'empty' }]);
    const winner = results[0].ok ? c1 : c2;
    expect(await row(v.id)).toMatchObject({ status: 'active', counsellorId: winner });

    // The same race straight at the workflow's update.
    const w = await visitor();
    const direct = await Promise.all(
      [c1, c2].map((counsellorId) => handle(w.id).executeUpdate(assignUpdate, { args: [{ counsellorId }] })),
    );
    expect(direct.filter((r) => r.ok)).toHaveLength(1);
    expect(direct.filter((r) => !r.ok)).toEqual([{ ok: false, code: 'not-waiting' }]);
  });

  it('keeps each counsellor within the limit, even when they click several times at once', async () => {
    await setOnDuty(chat, c1, true);
    const visitors = [await visitor(), await visitor(), await visitor()];
    const results = await Promise.all([takeNext(chat, c1), takeNext(chat, c1), takeNext(chat, c1)]);
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, code: 'at-capacity' }]);
    expect(await stack.deps.db.chatConversation.count({ where: { counsellorId: c1, status: 'active' } })).toBe(2);
    expect(await takeNext(chat, c1)).toEqual({ ok: false, code: 'at-capacity' });
    // The workflow's own check refuses too.
    const third = visitors.find((v) => !results.some((r) => r.ok && r.conversationId === v.id))!;
    expect(await handle(third.id).executeUpdate(assignUpdate, { args: [{ counsellorId: c1 }] })).toEqual({ ok: false, code: 'at-capacity' });
  });

  it('offers nothing to a counsellor who is not on duty', async () => {
    const v = await visitor();
    expect(await takeNext(chat, c3)).toEqual({ ok: false, code: 'not-on-duty' });
    expect(await handle(v.id).executeUpdate(assignUpdate, { args: [{ counsellorId: c3 }] })).toEqual({ ok: false, code: 'not-on-duty' });
    await setOnDuty(chat, c3, true);
    await setOnDuty(chat, c3, false);
    expect(await takeNext(chat, c3)).toEqual({ ok: false, code: 'not-on-duty' });
    expect(await row(v.id)).toMatchObject({ status: 'waiting', counsellorId: null });
  });

  it('is closed outside opening hours; an open conversation stays open', async () => {
    const v = await visitor();
    await saveChatSettings(stack.deps.db, { weekly: weekly(() => []) }, null);
    expect(await startConversation(chat, randomToken())).toEqual({ ok: false, code: 'closed' });
    expect(await startConversation(chat, v.key)).toEqual({ ok: true, conversationId: v.id });
  });
});

describe('hand-over', () => {
  it('passes an active conversation to a colleague on duty below the limit, and tells the visitor', async () => {
    await setOnDuty(chat, c1, true);
    await setOnDuty(chat, c2, true);
    const v = await visitor();
    expect(await takeNext(chat, c1)).toEqual({ ok: true, conversationId: v.id });

    expect(await handOver(chat, v.id, c1, c3)).toEqual({ ok: false, code: 'not-on-duty' });
    expect(await handOver(chat, v.id, c2, c1)).toEqual({ ok: false, code: 'not-yours' });
    expect(await handOver(chat, v.id, c1, c1)).toEqual({ ok: false, code: 'not-yours' });
    expect(await handOver(chat, v.id, c1, c2)).toEqual({ ok: true });
    expect(await row(v.id)).toMatchObject({ status: 'active', counsellorId: c2 });
    expect(await handle(v.id).query(chatStateQuery)).toMatchObject({ counsellorId: c2 });
    const messages = await messagesAfter(stack.deps.db, v.id, 0);
    expect(messages.map((m) => [m.sender, m.body])).toEqual([['system', CHAT_SYSTEM_TEXTS.handedOver]]);
    // Only the counsellor who holds it now may write.
    expect(await say(v.id, 'Jag tar över nu.', 'counsellor', c1)).toEqual({ ok: false, code: 'not-yours' });
    expect(await say(v.id, 'Hej, jag heter Sam.', 'counsellor', c2)).toMatchObject({ ok: true });

    // A colleague at the limit cannot take more.
    await saveChatSettings(stack.deps.db, { maxPerCounsellor: 1 }, null);
    const w = await visitor();
    expect(await takeNext(chat, c1)).toEqual({ ok: true, conversationId: w.id });
    expect(await handOver(chat, w.id, c1, c2)).toEqual({ ok: false, code: 'at-capacity' });
    // A waiting conversation cannot be handed over.
    const x = await visitor();
    expect(await handOver(chat, x.id, c1, c2)).toEqual({ ok: false, code: 'not-active' });
  });
});

describe('a long conversation', () => {
  it('starts afresh when its history grows long, keeping its state: hand-overs and the close still work', async () => {
    await setOnDuty(chat, c1, true);
    await setOnDuty(chat, c2, true);
    const key = randomToken();
    secrets.add(key);
    const { id } = await stack.deps.db.chatConversation.create({ data: { visitorKeyHash: sha256(key) }, select: { id: true } });
    const input: ChatConversationInput = { conversationId: id, historyLimit: 12 };
    const first = await stack.deps.temporal.workflow.start(CHAT_CONVERSATION, {
      workflowId: chatConversationWorkflowId(id),
      taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE,
      args: [input],
    });
    expect(await takeNext(chat, c1)).toEqual({ ok: true, conversationId: id });
    for (const [from, to] of [[c1, c2], [c2, c1], [c1, c2], [c2, c1]]) expect(await handOver(chat, id, from, to)).toEqual({ ok: true });

    await eventually(async () => expect((await handle(id).describe()).runId).not.toBe(first.firstExecutionRunId));
    expect(await handle(id).query(chatStateQuery)).toMatchObject({ conversationId: id, status: 'active', counsellorId: c1 });
    expect(await row(id)).toMatchObject({ status: 'active', counsellorId: c1 });
    expect((await messagesAfter(stack.deps.db, id, 0)).map((m) => m.body)).toEqual(Array(4).fill(CHAT_SYSTEM_TEXTS.handedOver));

    await endByVisitor(chat, id);
    expect(await row(id)).toMatchObject({ status: 'closed', closedReason: 'visitor' });
    await eventually(async () => expect((await handle(id).describe()).status.name).toBe('COMPLETED'));
  });
});

describe('messages', () => {
  it('numbers messages 1…n without gaps, stores a re-sent message once, and refuses bad input storing nothing', async () => {
    await setOnDuty(chat, c1, true);
    const v = await visitor();
    const first = await say(v.id, 'Hej, jag behöver prata med någon.');
    expect(first).toMatchObject({ ok: true, message: { seq: 1, sender: 'visitor', authorId: null } });
    expect(Math.abs((first.ok ? first.message.createdAt : new Date(0)).getTime() - Date.now())).toBeLessThan(10_000);

    const many = await Promise.all(Array.from({ length: 10 }, (_, i) => say(v.id, `Rad ${i}`)));
    expect(many.map((r) => (r.ok ? r.message.seq : 0)).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    const clientKey = randomUUID();
    const body = 'Jag mår inte bra & vet inte vad jag ska göra <3';
    secrets.add(body);
    const retry = await Promise.all([1, 2, 3].map(() => postMessage(chat, { conversationId: v.id, sender: 'visitor', body, clientKey })));
    const ids = new Set(retry.map((r) => (r.ok ? r.message.id : 'refused')));
    expect(ids.size).toBe(1);
    expect(retry[0]).toMatchObject({ ok: true, message: { seq: 12, body } }); // stored as plain text
    expect(await postMessage(chat, { conversationId: v.id, sender: 'visitor', body: 'annan text', clientKey })).toMatchObject({ ok: true, message: { seq: 12 } });

    expect(await say(v.id, '   \n\t ')).toEqual({ ok: false, code: 'empty' });
    expect(await say(v.id, 'x'.repeat(CHAT_MESSAGE_MAX + 1))).toEqual({ ok: false, code: 'tooLong' });
    expect(await say(v.id, '<script>alert("x")</script>')).toEqual({ ok: false, code: 'markup' });
    expect(await say(v.id, 'Se <a href="https://example.com">här</a>')).toEqual({ ok: false, code: 'markup' });
    expect(await say(v.id, `  ${'y'.repeat(CHAT_MESSAGE_MAX)}  `)).toMatchObject({ ok: true, message: { seq: 13 } });
    expect(await say(v.id, 'noll\u0000tecken')).toMatchObject({ ok: true, message: { seq: 14, body: 'nolltecken' } });
    expect(await say(v.id, 'Hej från fel rådgivare', 'counsellor', c1)).toEqual({ ok: false, code: 'not-yours' });

    const all = await messagesAfter(stack.deps.db, v.id, 0);
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect((await messagesAfter(stack.deps.db, v.id, 11)).map((m) => m.seq)).toEqual([12, 13, 14]);
    expect(await messagesAfter(stack.deps.db, v.id, 11, 2)).toHaveLength(2);
    expect((await row(v.id)).lastSeq).toBe(14);

    // Another browser's key sees nothing of it.
    expect(await visitorConversation(chat, randomToken(), v.id)).toBeNull();
    expect(await visitorConversation(chat, v.key, v.id)).toMatchObject({ id: v.id });
    expect(await visitorConversation(chat, v.key, 'not-a-uuid')).toBeNull();

    // The streams are woken at once, and the stored message rides along with the nudge.
    const woken = new Promise<NudgedMessage | undefined>((resolve) => {
      const stop = chatHub.subscribe(conversationChannel(v.id), (message) => (stop(), resolve(message)));
    });
    const sent = await say(v.id, 'Väck strömmen');
    expect(sent.ok && (await woken)).toEqual(sent.ok && sent.message);
  });

  it('refuses messages to a closed conversation and stores nothing', async () => {
    await saveChatSettings(stack.deps.db, { retentionMs: 60_000 }, null);
    const v = await visitor();
    await say(v.id, 'Jag går nu.');
    await endByVisitor(chat, v.id);
    expect(await row(v.id)).toMatchObject({ status: 'closed', closedReason: 'visitor', lastSeq: 1 });
    expect(await say(v.id, 'Är ni där?')).toEqual({ ok: false, code: 'closed' });
    expect((await row(v.id)).lastSeq).toBe(1);
    expect(await stack.deps.db.chatMessage.count({ where: { conversationId: v.id } })).toBe(1);
    await endByVisitor(chat, v.id); // a second end (another tab) changes nothing
    expect(await handle(v.id).query(chatStateQuery)).toMatchObject({ status: 'closed', closedReason: 'visitor', transcriptDeleted: false });
  });
});

describe('closing', () => {
  it('the counsellor closes their own conversation; a block closes it and keeps the key out for a day', async () => {
    await setOnDuty(chat, c1, true);
    await setOnDuty(chat, c2, true);
    const v = await visitor();
    const w = await visitor();
    expect(await takeNext(chat, c1)).toMatchObject({ ok: true, conversationId: v.id });
    expect(await takeNext(chat, c1)).toMatchObject({ ok: true, conversationId: w.id });

    expect(await closeByCounsellor(chat, v.id, c2)).toEqual({ ok: false });
    expect(await closeByCounsellor(chat, v.id, c1)).toEqual({ ok: true });
    expect(await row(v.id)).toMatchObject({ status: 'closed', closedReason: 'counsellor' });
    expect(await closeByCounsellor(chat, v.id, c1)).toEqual({ ok: false });

    expect(await blockVisitor(chat, w.id, c2)).toEqual({ ok: false });
    expect(await blockVisitor(chat, w.id, c1)).toEqual({ ok: true });
    expect(await row(w.id)).toMatchObject({ status: 'closed', closedReason: 'blocked' });
    const block = await stack.deps.db.chatBlock.findFirstOrThrow({ where: { blockedById: c1 } });
    expect(block.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(block.visitorKeyHash).not.toBe(w.key);
    expect(await startConversation(chat, w.key)).toEqual({ ok: false, code: 'blocked' });
    expect(await startConversation(chat, v.key)).toMatchObject({ ok: true });
  });

  it('deletes the transcript at close when the retention period is 0, and the workflow ends', async () => {
    const v = await visitor();
    await say(v.id, 'Det här ska inte sparas.');
    await endByVisitor(chat, v.id);
    const result = await handle(v.id).result();
    expect(result).toMatchObject({ status: 'closed', closedReason: 'visitor', transcriptDeleted: true, counsellorId: null });
    expect(await stack.deps.db.chatMessage.count({ where: { conversationId: v.id } })).toBe(0);
    expect((await row(v.id)).transcriptDeletedAt).not.toBeNull();
    // Ending a conversation whose workflow has finished is harmless; nothing else can happen to it.
    await endByVisitor(chat, v.id);
    expect(await handOver(chat, v.id, c1, c2)).toEqual({ ok: false, code: 'not-active' });
    expect(await closeByCounsellor(chat, v.id, c1)).toEqual({ ok: false });
  });
});

describe('inactivity and retention', () => {
  it('asks a silent visitor, closes if they stay silent (an answer resets the clock), and deletes the transcript after the retention period', async () => {
    await saveChatSettings(stack.deps.db, { inactivityAskMs: 1_500, inactivityCloseMs: 1_500, retentionMs: 2_500 }, null);
    await setOnDuty(chat, c1, true);
    const v = await visitor();
    expect(await takeNext(chat, c1)).toMatchObject({ ok: true, conversationId: v.id });
    await say(v.id, 'Hej. Jag vet inte riktigt hur jag ska börja.');
    await say(v.id, 'Ta den tid du behöver.', 'counsellor', c1);

    const bodies = async () => (await messagesAfter(stack.deps.db, v.id, 0)).map((m) => `${m.sender}:${m.body}`);
    const firstAsk = await eventually(async () => {
      const messages = await messagesAfter(stack.deps.db, v.id, 0);
      const ask = messages.find((m) => m.sender === 'system');
      expect(ask?.body).toBe(CHAT_SYSTEM_TEXTS.stillThere);
      return ask!;
    }, 10_000);
    expect(await handle(v.id).query(chatStateQuery)).toMatchObject({ status: 'active', askedAt: firstAsk.createdAt.toISOString() });
    await say(v.id, 'Ja, jag är kvar.');
    // Past the moment the unanswered question would have closed it: still open.
    await new Promise((r) => setTimeout(r, Math.max(0, firstAsk.createdAt.getTime() + 1_500 + 700 - Date.now())));
    expect((await row(v.id)).status).toBe('active');

    const closed = await eventually(async () => {
      const current = await row(v.id);
      expect(current.status).toBe('closed');
      return current;
    }, 15_000);
    expect(closed.closedReason).toBe('inactivity');
    expect(await bodies()).toEqual([
      'visitor:Hej. Jag vet inte riktigt hur jag ska börja.',
      'counsellor:Ta den tid du behöver.',
      `system:${CHAT_SYSTEM_TEXTS.stillThere}`,
      'visitor:Ja, jag är kvar.',
      `system:${CHAT_SYSTEM_TEXTS.stillThere}`,
      `system:${CHAT_SYSTEM_TEXTS.closedByInactivity}`,
    ]);
    const messages = await messagesAfter(stack.deps.db, v.id, 0);
    const secondAsk = messages[4].createdAt.getTime();
    expect(secondAsk - messages[3].createdAt.getTime()).toBeGreaterThanOrEqual(1_500);
    expect(closed.closedAt!.getTime() - secondAsk).toBeGreaterThanOrEqual(1_500);

    // Kept for the retention period, then deleted; the workflow ends.
    expect(await stack.deps.db.chatMessage.count({ where: { conversationId: v.id } })).toBe(6);
    const result = await handle(v.id).result();
    expect(result).toMatchObject({ status: 'closed', closedReason: 'inactivity', transcriptDeleted: true });
    const after = await row(v.id);
    expect(after.transcriptDeletedAt!.getTime() - closed.closedAt!.getTime()).toBeGreaterThanOrEqual(2_500);
    expect(await stack.deps.db.chatMessage.count({ where: { conversationId: v.id } })).toBe(0);

    // Temporal holds ids, times and codes only.
    const history = payloadText(await handle(v.id).fetchHistory());
    expect(history).toContain(v.id);
    for (const secret of secrets) expect(history).not.toContain(secret);
    expect(history).not.toContain('Är du kvar');
    await recordHistory(handle(v.id), 'chatConversation-closedByInactivity');
  });
});

describe('reports of concern', () => {
  it('become cases of their own with a number from the yearly series, holding only the counsellor’s text', async () => {
    const text = 'Barnet berättar om våld i hemmet. Ålder cirka 12 år.';
    const { caseNumber } = await createConcernReport(chat, c1, `  ${text}  `);
    expect(caseNumber).toMatch(CASE_NUMBER_PATTERN);
    expect(await stack.deps.db.concernReport.findUniqueOrThrow({ where: { caseNumber } })).toMatchObject({ body: text, createdById: c1 });
    const next = await createConcernReport(chat, c1, 'Ytterligare en anmälan.');
    expect(Number(next.caseNumber.slice(-6))).toBe(Number(caseNumber.slice(-6)) + 1);
    await expect(createConcernReport(chat, c1, 'kort')).rejects.toThrow();
  });
});

describe('privacy', () => {
  it('never wrote a message or a visitor key to the console', () => {
    expect(secrets.size).toBeGreaterThan(10);
    const text = output.join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
