// The counsellor's console (R10.3, R10.4): on and off duty, the queue, taking the next visitor,
// several conversations at once, messages live over Server-Sent Events, prepared texts and the
// guidelines beside the chat, hand-over to an on-duty colleague, closing, blocking an abusive
// visitor, and a report of concern (orosanmälan) that holds only what the counsellor writes. A
// conversation the counsellor took asks for its anonymous outcome once it has closed, and going off
// duty with outcomes missing shows them first (web/chat-console/outcomes.ts, issue 17).
// Counsellors only (403 for everyone else); a conversation is seen only by the counsellor it is
// assigned to (404 for anyone else). Messages are text: Eta escapes them, the script uses textContent.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { loadChatSettings } from '../../lib/chat/chatSettings';
import {
  blockVisitor,
  closeByCounsellor,
  CONCERN_REPORT_MAX,
  CONCERN_REPORT_MIN,
  conversationChannel,
  createConcernReport,
  handOver,
  messagesAfter,
  postMessage,
  setOnDuty,
  takeNext,
  type ChatMessageRow,
} from '../../lib/chat/conversations';
import { chatHub, QUEUE_CHANNEL } from '../../lib/chat/hub';
import { CHAT_MESSAGE_MAX, chatMessageText, chatTextProblemOf, normaliseChatText, type ChatTextProblem } from '../../lib/chat/messageText';
import { missingOutcomes } from '../../lib/chat/outcomes';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { flashCode } from '../admin/form';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { rateLimit } from '../security/rateLimit';
import { chatDepsOf, conversationCode, followPanel, onDutyColleagues, ownConversation, panelData, panelStamp, sentStamp, type ConversationRow } from './console';
import { CHAT_CONSOLE_PATH } from './paths';
import { concernIntakeRoutes } from './concernIntake';
import { asksForOutcome, outcomeFormData, outcomePath, outcomeRoutes, showMissingOutcomes } from './outcomes';
import { eventStream, lastEventId, messageSequence, SSE_PING_MS, watchChannels } from '../sse';

const BASE = CHAT_CONSOLE_PATH;
const REPORTS = `${BASE}/orosanmalan`;
/** How often an open stream re-reads the database even without a nudge: a safety net (see web/chat/routes.ts). */
const STREAM_REREAD_MS = 15_000;
/** Messages shown when a conversation page opens (the stream resumes after the last of them). */
const PAGE_MESSAGES = 1000;
const REPORTS_PER_PAGE = 20;

const HOME_FLASHES = ['on', 'off', 'closed', 'blocked', 'handedOver'] as const;
const HOME_ERRORS = ['empty', 'at-capacity', 'not-on-duty', 'not-active'] as const;
const CONVERSATION_ERRORS = ['colleague-full', 'colleague-off-duty', 'not-active', 'closed'] as const;

const MessageForm = z.object({ body: chatMessageText, clientKey: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'errors.stale') });
const textError = (problem: ChatTextProblem) => `chatConsole.errors.${problem}`;
const ConcernForm = z.object({
  body: z
    .string()
    .transform(normaliseChatText)
    .pipe(z.string().min(CONCERN_REPORT_MIN, 'chatConsole.concern.errors.short').max(CONCERN_REPORT_MAX, 'chatConsole.concern.errors.long')),
  formKey: z.uuid().optional().catch(undefined),
});

type Ctx = Context<AppEnv>;
const me = (c: Ctx) => c.get('user')!.id;
const wantsJson = (c: Ctx) => (c.req.header('accept') ?? '').includes('application/json');

/** A message as the console shows it (page and stream alike). */
function messageView(m: ChatMessageRow, counsellorId: string) {
  return { seq: m.seq, sender: m.sender, mine: m.sender === 'counsellor' && m.authorId === counsellorId, body: m.body, at: m.createdAt.toISOString() };
}

async function allMessages(c: Ctx, conversationId: string): Promise<ChatMessageRow[]> {
  return messagesAfter(c.get('deps').db, conversationId, 0, PAGE_MESSAGES);
}

async function showConversation(
  c: Ctx,
  conversation: ConversationRow,
  extra: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string } = {},
  status: 200 | 409 | 422 = 200,
) {
  const db = c.get('deps').db;
  const t = c.get('t');
  const asksOutcome = asksForOutcome(c, conversation);
  const [panel, messages, settings, colleagues, outcome] = await Promise.all([
    panelData(db, me(c)),
    allMessages(c, conversation.id),
    loadChatSettings(db),
    onDutyColleagues(db, me(c)),
    asksOutcome ? outcomeFormData(c, conversation) : null,
  ]);
  const textIndex = Number.parseInt(c.req.query('text') ?? '', 10);
  const prepared = Number.isInteger(textIndex) ? settings.preparedTexts[textIndex]?.body : undefined;
  return render(
    c,
    '/chat-console/views/conversation',
    {
      title: t('chatConsole.conversation.title', { code: conversationCode(conversation.id) }),
      conversation,
      code: conversationCode(conversation.id),
      panel,
      stamp: panelStamp(panel),
      current: conversation.id,
      messages: messages.map((m) => messageView(m, me(c))),
      lastSeq: messages.at(-1)?.seq ?? 0,
      guidelines: settings.guidelines,
      preparedTexts: settings.preparedTexts,
      colleagues,
      clientKey: randomUUID(),
      values: { body: prepared ?? '', ...extra.values },
      errors: extra.errors ?? {},
      notice: extra.notice ?? flashCode(c.req.query('fel'), CONVERSATION_ERRORS),
      messageMax: CHAT_MESSAGE_MAX,
      // Closed and still without its outcome: the form below the conversation.
      outcome,
      outcomePath: outcomePath(conversation.id),
    },
    Object.keys(extra.errors ?? {}).length ? 422 : status,
  );
}

/** A confirmation page for a destructive action, for browsers without the script's dialog. */
function confirmPage(c: Ctx, conversation: ConversationRow, action: 'close' | 'block' | 'handOver', fields: Record<string, string> = {}, colleague?: string) {
  const t = c.get('t');
  return render(c, '/chat-console/views/confirm', {
    title: t(`chatConsole.${action}.title`),
    action,
    question: t(`chatConsole.${action}.question`, { code: conversationCode(conversation.id), colleague: colleague ?? '' }),
    explanation: t(`chatConsole.${action}.explanation`),
    path: `${BASE}/samtal/${conversation.id}/${{ close: 'avsluta', block: 'blockera', handOver: 'overlamna' }[action]}`,
    back: `${BASE}/samtal/${conversation.id}`,
    fields,
  });
}

export function chatConsoleRoutes() {
  const app = new Hono<AppEnv>();
  app.use(BASE, requireArea('chatConsole'));
  app.use(`${BASE}/*`, requireArea('chatConsole'));
  app.route('/', concernIntakeRoutes());
  app.route('/', outcomeRoutes());

  // ---- the console's home: duty, queue, my conversations --------------------------------------

  app.get(BASE, async (c) => {
    const db = c.get('deps').db;
    const [panel, settings] = await Promise.all([panelData(db, me(c)), loadChatSettings(db)]);
    return render(c, '/chat-console/views/home', {
      openConcerns: await db.concernReport.count({ where: { status: 'new' } }),
      title: c.get('t')('chatConsole.title'),
      panel,
      stamp: panelStamp(panel),
      current: null,
      guidelines: settings.guidelines,
      flash: flashCode(c.req.query('klart'), HOME_FLASHES),
      problem: flashCode(c.req.query('fel'), HOME_ERRORS),
    });
  });

  /** The live panel alone (htmx refreshes it when the stream says something changed). */
  app.get(`${BASE}/panel`, async (c) => {
    const current = c.req.query('aktuell');
    const panel = await panelData(c.get('deps').db, me(c));
    return render(c, '/chat-console/views/panelPage', { title: c.get('t')('chatConsole.title'), panel, current: panel.mine.some((m) => m.id === current) ? current : null });
  });

  app.post(`${BASE}/tjanst`, async (c) => {
    const form = await c.req.parseBody();
    const onDuty = form.onDuty === '1';
    // The end of the working day: outcomes still missing are shown first, with a way to go anyway.
    if (!onDuty && form.confirm !== 'yes' && (await missingOutcomes(c.get('deps').db, me(c))).total > 0) return showMissingOutcomes(c, { reminder: true });
    await setOnDuty(chatDepsOf(c), me(c), onDuty);
    return c.redirect(`${BASE}?klart=${onDuty ? 'on' : 'off'}`, 303);
  });

  app.post(`${BASE}/ta-nasta`, async (c) => {
    const result = await takeNext(chatDepsOf(c), me(c));
    if (!result.ok) return c.redirect(`${BASE}?fel=${result.code}`, 303);
    return c.redirect(`${BASE}/samtal/${result.conversationId}`, 303);
  });

  /** The console's own stream: one `changed` event whenever the panel would look different. */
  app.get(`${BASE}/handelser`, (c) => {
    const panel = followPanel(c.get('deps').db, me(c), sentStamp(c.req.query('stamp')));
    return eventStream(c, async (out, signal) => {
      const watch = watchChannels(chatHub, signal);
      watch.follow([QUEUE_CHANNEL]);
      while (!signal.aborted) {
        const seen = await panel.refresh();
        if (seen?.changed) await out.send({ event: 'changed', data: JSON.stringify({ queue: seen.queue }) });
        else if (out.idleMs() >= SSE_PING_MS) await out.ping();
        watch.follow([QUEUE_CHANNEL, ...panel.mine().map(conversationChannel)]);
        await watch.wait(panel.waitMs(STREAM_REREAD_MS));
        const noted = watch.take();
        if (noted.changed.size || noted.messages.size) panel.markDirty();
        else panel.markStale();
      }
    });
  });

  // ---- one conversation ------------------------------------------------------------------------

  app.get(`${BASE}/samtal/:id`, async (c) => showConversation(c, await ownConversation(c)));

  /**
   * The conversation's stream: `message` events (id = sequence number, so a reconnect resumes
   * after the last one seen), a `status` event when it closes or moves to a colleague (then the
   * stream ends), and `changed` when the console panel would look different.
   */
  app.get(`${BASE}/samtal/:id/handelser`, async (c) => {
    const conversation = await ownConversation(c);
    const db = c.get('deps').db;
    const counsellorId = me(c);
    const own = conversationChannel(conversation.id);
    const panel = followPanel(db, counsellorId, sentStamp(c.req.query('stamp')));
    const after = lastEventId(c);
    return eventStream(c, async (out, signal) => {
      const messages = messageSequence(out, after, (m) => ({ event: 'message', id: String(m.seq), data: JSON.stringify(messageView(m, counsellorId)) }));
      // A message in this conversation is sent the moment it is stored, whatever the loop is doing.
      const watch = watchChannels(chatHub, signal, (channel, m) => channel === own && messages.offer(m));
      watch.follow([own, QUEUE_CHANNEL]);
      let readOwn = true;
      let readAt = 0;
      let looking: Promise<void> | null = null;
      while (!signal.aborted) {
        // This conversation's row only when it changed, a message did not follow on, or on the
        // periodic re-read (one query): its counter says whether there are messages to send (a
        // message and the counter commit together), and it shows a close or a hand-over.
        if (readOwn) {
          readAt = Date.now();
          const row = await db.chatConversation.findUnique({ where: { id: conversation.id }, select: { status: true, counsellorId: true, closedReason: true, lastSeq: true } });
          while (row && row.lastSeq > messages.last() && !signal.aborted) {
            const batch = await messagesAfter(db, conversation.id, messages.last());
            if (!batch.length || !messages.offerAll(batch)) break;
          }
          if (!row || row.counsellorId !== counsellorId) {
            await out.send({ event: 'status', data: JSON.stringify({ status: 'moved' }) });
            return;
          }
          if (row.status === 'closed') {
            await out.send({ event: 'status', data: JSON.stringify({ status: 'closed', reason: row.closedReason }) });
            return;
          }
        }
        // The panel is looked at beside the loop, so nothing waits for it.
        looking ??= panel
          .refresh()
          .then(async (seen) => {
            if (seen?.changed && !signal.aborted) await out.send({ event: 'changed', data: JSON.stringify({ queue: seen.queue }) });
          })
          .catch(() => panel.markStale()) // a failed look is tried again at the next one
          .finally(() => (looking = null));
        if (out.idleMs() >= SSE_PING_MS) await out.ping();
        // The panel also follows the counsellor's other conversations and the queue.
        watch.follow([own, QUEUE_CHANNEL, ...panel.mine().map(conversationChannel)]);
        await watch.wait(Math.min(panel.waitMs(STREAM_REREAD_MS), Math.max(0, readAt + STREAM_REREAD_MS - Date.now())));
        const noted = watch.take();
        const nudged = noted.changed.size > 0 || noted.messages.size > 0;
        readOwn = noted.changed.has(own) || !messages.offerAll(noted.messages.get(own)) || Date.now() - readAt >= STREAM_REREAD_MS;
        if (nudged) panel.markDirty();
        else panel.markStale();
      }
    });
  });

  app.post(`${BASE}/samtal/:id/meddelanden`, rateLimit('chat-console', 120, 60_000, (c) => c.get('user')?.id ?? 'anonymous'), async (c) => {
    const conversation = await ownConversation(c);
    const t = c.get('t');
    const body = await c.req.parseBody();
    const values = { body: typeof body.body === 'string' ? body.body : '', clientKey: typeof body.clientKey === 'string' ? body.clientKey : '' };
    const refuse = (status: 409 | 422, key: string) =>
      wantsJson(c)
        ? c.json({ ok: false, error: t(key) }, status)
        : status === 422
          ? showConversation(c, conversation, { values: { body: values.body }, errors: { body: key } })
          : c.redirect(`${BASE}/samtal/${conversation.id}?fel=closed`, 303);
    const parsed = MessageForm.safeParse(values);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      return refuse(422, errors.clientKey ?? textError(chatTextProblemOf(parsed.error)));
    }
    const result = await postMessage(chatDepsOf(c), { conversationId: conversation.id, sender: 'counsellor', authorId: me(c), ...parsed.data });
    if (!result.ok) {
      if (result.code === 'not-yours') throw new HTTPException(404);
      if (result.code === 'closed') return refuse(409, 'chatConsole.errors.closed');
      return refuse(422, textError(result.code));
    }
    if (wantsJson(c)) return c.json({ ok: true, message: messageView(result.message, me(c)) }, 201);
    return c.redirect(`${BASE}/samtal/${conversation.id}#senaste`, 303);
  });

  app.post(`${BASE}/samtal/:id/overlamna`, async (c) => {
    const conversation = await ownConversation(c);
    const form = await c.req.parseBody();
    if (conversation.status !== 'active') return c.redirect(`${BASE}/samtal/${conversation.id}?fel=not-active`, 303);
    const to = typeof form.to === 'string' ? form.to : '';
    const colleague = (await onDutyColleagues(c.get('deps').db, me(c))).find((p) => p.id === to);
    if (!colleague) return showConversation(c, conversation, { errors: { to: 'chatConsole.handOver.errors.colleague' } });
    if (form.confirm !== 'yes') return confirmPage(c, conversation, 'handOver', { to }, colleague.name ?? colleague.email);
    const result = await handOver(chatDepsOf(c), conversation.id, me(c), colleague.id);
    if (result.ok) return c.redirect(`${BASE}?klart=handedOver`, 303);
    if (result.code === 'not-yours') throw new HTTPException(404);
    const problem = { 'at-capacity': 'colleague-full', 'not-on-duty': 'colleague-off-duty', 'not-active': 'not-active' }[result.code];
    return c.redirect(`${BASE}/samtal/${conversation.id}?fel=${problem}`, 303);
  });

  app.post(`${BASE}/samtal/:id/avsluta`, async (c) => {
    const conversation = await ownConversation(c);
    const form = await c.req.parseBody();
    if (conversation.status === 'closed') return c.redirect(`${BASE}?klart=closed`, 303);
    if (form.confirm !== 'yes') return confirmPage(c, conversation, 'close');
    await closeByCounsellor(chatDepsOf(c), conversation.id, me(c));
    // Straight on to what the conversation was about, while it is fresh.
    return c.redirect(`${outcomePath(conversation.id)}?klart=closed`, 303);
  });

  app.post(`${BASE}/samtal/:id/blockera`, async (c) => {
    const conversation = await ownConversation(c);
    const form = await c.req.parseBody();
    if (conversation.status !== 'active') return c.redirect(`${BASE}/samtal/${conversation.id}?fel=not-active`, 303);
    if (form.confirm !== 'yes') return confirmPage(c, conversation, 'block');
    const result = await blockVisitor(chatDepsOf(c), conversation.id, me(c));
    if (!result.ok) return c.redirect(`${BASE}/samtal/${conversation.id}?fel=not-active`, 303);
    return c.redirect(`${outcomePath(conversation.id)}?klart=blocked`, 303);
  });

  // ---- reports of concern ----------------------------------------------------------------------

  async function showReports(c: Ctx, values: Record<string, string> = {}, errors: Record<string, string> = {}) {
    const db = c.get('deps').db;
    const where = { createdById: me(c) };
    const total = await db.concernReport.count({ where });
    const pages = Math.max(1, Math.ceil(total / REPORTS_PER_PAGE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('sida') ?? '1', 10) || 1));
    const reports = await db.concernReport.findMany({
      where,
      select: { caseNumber: true, createdAt: true, status: true },
      orderBy: { createdAt: 'desc' },
      skip: (page - 1) * REPORTS_PER_PAGE,
      take: REPORTS_PER_PAGE,
    });
    const created = c.req.query('skapad');
    const createdOk = created && CASE_NUMBER_PATTERN.test(created) && (await db.concernReport.count({ where: { caseNumber: created, createdById: me(c) } })) ? created : null;
    return render(
      c,
      '/chat-console/views/concern',
      {
        title: c.get('t')('chatConsole.concern.title'),
        reports,
        total,
        page,
        pages,
        // A re-shown form keeps its key, so sending it again still makes one report.
        values: { ...values, formKey: z.uuid().safeParse(values.formKey).success ? values.formKey : randomUUID() },
        errors,
        created: createdOk,
        min: CONCERN_REPORT_MIN,
        max: CONCERN_REPORT_MAX,
      },
      Object.keys(errors).length ? 422 : 200,
    );
  }

  app.get(REPORTS, (c) => showReports(c));

  app.post(REPORTS, async (c) => {
    const form = await c.req.parseBody();
    const values = { body: typeof form.body === 'string' ? form.body : '', formKey: typeof form.formKey === 'string' ? form.formKey : '' };
    const parsed = ConcernForm.safeParse(values);
    if (!parsed.success) return showReports(c, values, fieldErrors(parsed.error));
    const { caseNumber } = await createConcernReport(chatDepsOf(c), me(c), parsed.data.body, parsed.data.formKey);
    return c.redirect(`${REPORTS}?skapad=${caseNumber}`, 303);
  });

  return app;
}

