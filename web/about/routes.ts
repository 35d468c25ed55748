// The pages every Swedish public e-service must have, linked from every page's footer in every
// language (R1.4, issue 16): the accessibility statement (DOS law, Digg's structure), how personal
// data is processed (GDPR art. 13, with the retention periods the archive run actually uses), and
// the cookies the service sets.
import { Hono } from 'hono';
import { loadArchiveRetention, retentionMonthsFor } from '../../lib/archive/retention';
import { loadChatSettings } from '../../lib/chat/chatSettings';
import type { AppEnv } from '../context';
import { render } from '../render';
import { COOKIES, cookieName } from './cookies';
import { ACCESSIBILITY_STATEMENT, IMY_URL, KOMET_CONTACT } from './statement';

const CASE_KINDS = ['groupCourse', 'webCourse', 'training'] as const;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A chat transcript's retention as the page words it: at once, or whole days, or hours. */
function chatRetention(ms: number): { key: string; n: number; plural: boolean } {
  if (ms === 0) return { key: 'about.privacy.retention.chatAtOnce', n: 0, plural: false };
  if (ms % DAY_MS === 0) return { key: 'about.privacy.retention.chatDays', n: ms / DAY_MS, plural: true };
  return { key: 'about.privacy.retention.chatHours', n: Math.max(1, Math.round(ms / HOUR_MS)), plural: true };
}

export function aboutRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/om/tillganglighet', (c) =>
    render(c, '/about/views/accessibility', { title: c.get('t')('about.accessibility.title'), statement: ACCESSIBILITY_STATEMENT, contact: KOMET_CONTACT }),
  );

  app.get('/om/personuppgifter', async (c) => {
    const db = c.get('deps').db;
    const [retention, chat] = await Promise.all([loadArchiveRetention(db), loadChatSettings(db)]);
    return render(c, '/about/views/privacy', {
      title: c.get('t')('about.privacy.title'),
      retention: CASE_KINDS.map((kind) => ({ kind, months: retentionMonthsFor(retention, kind) })),
      chatRetention: chatRetention(chat.retentionMs),
      contact: KOMET_CONTACT,
      imyUrl: IMY_URL,
    });
  });

  app.get('/om/kakor', (c) => {
    const secure = c.get('deps').config.secureCookies;
    return render(c, '/about/views/cookies', {
      title: c.get('t')('about.cookies.title'),
      cookies: COOKIES.map((cookie) => ({ ...cookie, name: cookieName(cookie, secure) })),
    });
  });

  return app;
}
