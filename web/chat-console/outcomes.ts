// A closed conversation's anonymous outcome (issue 17), under the counsellor's console and its
// guard: the form that asks what the conversation was about, the visitor's age band if they said it
// and what it led to; the list of the counsellor's conversations still without one; and that list
// as the reminder when they go off duty with outcomes missing. Only the counsellor who held the
// conversation when it closed records it (lib/policy); anyone else gets 404, as for a missing one.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { loadOutcomeChoices, missingOutcomes, OutcomeForm, recordOutcome } from '../../lib/chat/outcomes';
import { mayRecordChatOutcome } from '../../lib/policy';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { needsOutcome, OUTCOME_FIELDS } from '../../rules/chatOutcome';
import { flashCode, formValues } from '../admin/form';
import type { AppEnv } from '../context';
import { invalidFormStatus } from '../messages/panel';
import { render } from '../render';
import { conversationCode, ownConversation, type ConversationRow } from './console';
import { CHAT_CONSOLE_PATH } from './paths';

/** The counsellor's conversations whose outcome is missing. */
export const OUTCOMES_PATH = `${CHAT_CONSOLE_PATH}/utfall`;
/** One conversation's outcome form: fields topic, ageBand ('' = not said) and result, each a choice's id. */
export const outcomePath = (conversationId: string) => `${CHAT_CONSOLE_PATH}/samtal/${conversationId}/utfall`;

const LIST_FLASHES = ['saved', 'already'] as const;
/** How the conversation just closed, when the console sends the counsellor straight to its form. */
const FORM_FLASHES = ['closed', 'blocked'] as const;

type Ctx = Context<AppEnv>;
type Values = Record<(typeof OUTCOME_FIELDS)[number], string>;
const EMPTY: Values = { topic: '', ageBand: '', result: '' };

/** What the form (on its own page, or below a closed conversation) needs. */
export async function outcomeFormData(c: Ctx, conversation: Pick<ConversationRow, 'id'>, values: Values = EMPTY, errors: Record<string, string> = {}) {
  return { choices: await loadOutcomeChoices(c.get('deps').db), values, errors, action: outcomePath(conversation.id) };
}

/** Whether the conversation page should ask for the outcome below the closed conversation. */
export function asksForOutcome(c: Ctx, conversation: ConversationRow): boolean {
  return needsOutcome(conversation) && mayRecordChatOutcome(c.get('user'), conversation);
}

/** The list of missing outcomes; as the reminder (with "go off duty anyway") when going off duty. */
export async function showMissingOutcomes(c: Ctx, options: { reminder?: boolean } = {}) {
  const db = c.get('deps').db;
  const me = c.get('user')!.id;
  const [missing, duty] = await Promise.all([missingOutcomes(db, me), db.chatDuty.findUnique({ where: { personId: me } })]);
  const t = c.get('t');
  return render(c, '/chat-console/views/outcomes', {
    title: t(options.reminder ? 'chatConsole.outcomes.reminderTitle' : 'chatConsole.outcomes.title'),
    missing: { ...missing, rows: missing.rows.map((m) => ({ ...m, code: conversationCode(m.id), path: outcomePath(m.id) })) },
    reminder: !!options.reminder,
    onDuty: !!duty,
    flash: flashCode(c.req.query('klart'), LIST_FLASHES),
  });
}

/** The counsellor's own conversation, if they may record its outcome; 404 otherwise. */
async function recordable(c: Ctx): Promise<ConversationRow> {
  const conversation = await ownConversation(c);
  if (!mayRecordChatOutcome(c.get('user'), conversation)) throw new HTTPException(404);
  return conversation;
}

async function showOutcome(c: Ctx, conversation: ConversationRow, form: { values?: Values; errors?: Record<string, string> } = {}, status: 200 | 409 | 422 = 200) {
  const t = c.get('t');
  const code = conversationCode(conversation.id);
  const state = needsOutcome(conversation) ? 'form' : conversation.status === 'closed' ? 'recorded' : 'open';
  return render(
    c,
    '/chat-console/views/outcome',
    {
      title: t('chatConsole.outcome.title', { code }),
      conversation,
      code,
      state,
      outcome: await outcomeFormData(c, conversation, form.values, form.errors),
      errors: form.errors ?? {},
      flash: flashCode(c.req.query('klart'), FORM_FLASHES),
    },
    status,
  );
}

/** htmx follows the answer with HX-Redirect; a plain form with 303. */
function goTo(c: Ctx, target: string) {
  if (c.req.header('hx-request') === 'true') {
    c.header('HX-Redirect', target);
    return c.body(null, 204);
  }
  return c.redirect(target, 303);
}

export function outcomeRoutes() {
  const app = new Hono<AppEnv>();

  app.get(OUTCOMES_PATH, (c) => showMissingOutcomes(c));

  app.get(`${CHAT_CONSOLE_PATH}/samtal/:id/utfall`, async (c) => showOutcome(c, await recordable(c)));

  app.post(`${CHAT_CONSOLE_PATH}/samtal/:id/utfall`, async (c) => {
    const conversation = await recordable(c);
    const values = formValues(await c.req.parseBody(), OUTCOME_FIELDS);
    const parsed = OutcomeForm.safeParse(values);
    if (!parsed.success) return showOutcome(c, conversation, { values, errors: fieldErrors(parsed.error) }, invalidFormStatus(c));
    const result = await recordOutcome(c.get('deps').db, { conversationId: conversation.id, counsellorId: c.get('user')!.id, ...parsed.data });
    if (!result.ok) {
      if (result.code === 'not-yours') throw new HTTPException(404);
      if (result.code === 'invalid') return showOutcome(c, conversation, { values, errors: result.errors }, invalidFormStatus(c));
      // Not closed (yet): the page says so, and records nothing.
      if (result.code === 'not-closed') return showOutcome(c, conversation, {}, c.req.header('hx-request') === 'true' ? 200 : 409);
    }
    // The same form again (a double submit, a second tab) lands where the first did: recorded once.
    return goTo(c, `${OUTCOMES_PATH}?klart=${result.ok ? 'saved' : 'already'}`);
  });

  return app;
}
