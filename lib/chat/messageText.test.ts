// What a chat message may be: the one check both sides' forms and postMessage share.
import { describe, expect, it } from 'vitest';
import { CHAT_MESSAGE_MAX, chatMessageText, chatTextProblem, chatTextProblemOf, normaliseChatText } from './messageText';

describe('chat message text', () => {
  it.each([
    '<script>alert(1)</script>',
    '<SCRIPT src=//evil>',
    '< script>',
    '<script',
    'hej <b>du</b>',
    '<img src=x onerror=alert(1)>',
    '</p>',
    '<!-- dolt -->',
    'klicka <a href="javascript:alert(1)">här</a>',
    '<svg/onload=alert(1)>',
  ])('refuses markup: %s', (text) => {
    expect(chatTextProblem(normaliseChatText(text))).toBe('markup');
  });

  it.each(['Tack <3', '2 < 5 och 7 > 3', 'a<b', '<<< >>>', 'Jag är 16 år & rädd', ':-> <- ->'])('keeps ordinary text: %s', (text) => {
    expect(chatTextProblem(normaliseChatText(text))).toBeNull();
  });

  it('refuses empty and oversized text after normalising', () => {
    expect(chatTextProblem(normaliseChatText(' \n\t\u0000 '))).toBe('empty');
    expect(chatTextProblem('x'.repeat(CHAT_MESSAGE_MAX + 1))).toBe('tooLong');
    expect(chatTextProblem('x'.repeat(CHAT_MESSAGE_MAX))).toBeNull();
  });

  it('parses a form field to the stored text, or names the problem', () => {
    expect(chatMessageText.parse('  hej\r\ndu \u0007 ')).toBe('hej\ndu');
    const failed = chatMessageText.safeParse('<b>x</b>');
    expect(failed.success).toBe(false);
    if (!failed.success) expect(chatTextProblemOf(failed.error)).toBe('markup');
  });
});
