// The message thread and form on a case page (item 10): the same panel for the parent in
// "Mina ärenden" and for the case's staff; the routes decide who may see which case.
import type { Context } from 'hono';
import { CaseMessageForm, loadMessageThread, postCaseMessage, type MessageSender } from '../../lib/cases/messages';
import type { AppEnv } from '../context';

/** What the thread partial needs besides the case: the messages, where to post, a sent flash. */
export async function messagePanelData(c: Context<AppEnv>, applicationId: string, action: string, viewer: MessageSender) {
  return {
    thread: await loadMessageThread(c.get('deps').db, applicationId),
    messageAction: action,
    messageViewer: viewer,
    messageSent: c.req.query('meddelande') === 'skickat',
  };
}

export type PostedMessage = { ok: true } | { ok: false; errors: Record<string, string>; value: string };

/** Validates the form and stores the message; an invalid one stores nothing. */
export async function postMessageFromForm(c: Context<AppEnv>, applicationId: string, from: MessageSender): Promise<PostedMessage> {
  const form = await c.req.parseBody();
  const parsed = CaseMessageForm.safeParse(form);
  if (!parsed.success) {
    return { ok: false, errors: { body: parsed.error.issues[0].message }, value: typeof form.body === 'string' ? form.body : '' };
  }
  await postCaseMessage(c.get('deps'), { applicationId, authorId: c.get('user')!.id, from, body: parsed.data.body });
  return { ok: true };
}

/** htmx swaps only 2xx answers: it gets the re-rendered form as 200, a plain browser 422. */
export function invalidFormStatus(c: Context<AppEnv>): 200 | 422 {
  return c.req.header('hx-request') === 'true' ? 200 : 422;
}
