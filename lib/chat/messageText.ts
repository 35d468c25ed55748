// What a chat message may be (R10, safety): plain text of 1 to CHAT_MESSAGE_MAX characters with no
// HTML in it. Messages are always shown as text, so markup could never run; it is still refused
// with a clear message, as nobody has a reason to send tags to social services and a stored tag
// would travel on into transcripts and reports. Both sides' forms and postMessage use this one check.
import { z } from 'zod';

/** Longest message a visitor or counsellor may send (characters, after trimming). */
export const CHAT_MESSAGE_MAX = 2000;

export type ChatTextProblem = 'empty' | 'tooLong' | 'markup';

/**
 * An HTML tag (`<b>`, `</p>`, `<img src=x …>`, `<!-- … -->`) or an unclosed script/style/iframe
 * opening. "<3", "a < b" and "5 > 3" stay allowed: a tag starts with a letter, `/` or `!`.
 */
const MARKUP = /<\s*[/!]?\s*[a-z][^<>]*>|<!--|<\s*(script|style|iframe|svg|object|embed)\b/i;

/** Text as stored: line ends unified, control characters (NUL included) dropped, trimmed. */
export function normaliseChatText(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .trim();
}

/** Why the (normalised) text cannot be sent, or null when it can. */
export function chatTextProblem(text: string): ChatTextProblem | null {
  if (!text) return 'empty';
  if (text.length > CHAT_MESSAGE_MAX) return 'tooLong';
  if (MARKUP.test(text)) return 'markup';
  return null;
}

/** A form's message field: normalised, then checked; the issue's message is the problem's code. */
export const chatMessageText = z
  .string()
  .transform(normaliseChatText)
  .superRefine((text, ctx) => {
    const problem = chatTextProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The problem a failed chatMessageText parse reported. */
export function chatTextProblemOf(error: z.ZodError): ChatTextProblem {
  const code = error.issues[0]?.message;
  return code === 'tooLong' || code === 'markup' ? code : 'empty';
}
