// Every cookie Komet sets, for the cookie page (R1.4; the Electronic Communications Act allows
// cookies without consent only when they are necessary for the service the visitor asked for, and
// the visitor must still be told). test/web/aboutPages.test.ts fails when the app sets one not listed.
import { ABSOLUTE_MS, IDLE_MS } from '../security/session';
import { LANG_COOKIE, LANG_COOKIE_MAX_AGE } from '../layout/language';
import { LOGIN_COOKIE_NAMES, PENDING_EID_TTL_MS } from '../auth/loginCookies';
import { TRANSACTION_TTL_MS } from '../../lib/auth/oidc';

export interface CookieInfo {
  /** about.cookies.list.<key>.purpose / .lifetime */
  key: 'session' | 'csrf' | 'language' | 'chatKey' | 'chat' | 'chatClosed' | 'oidc' | 'eid';
  name: string;
  /** Behind https the browser is told the cookie came from this exact host over TLS. */
  securePrefix: '' | '__Host-' | '__Secure-';
  /** Values for the lifetime text, from the code that sets the cookie. */
  lifetime: Record<string, number>;
  /** Set only where e-legitimation login is configured (issue 15). */
  onlyWithEid?: true;
}

export const COOKIES: readonly CookieInfo[] = [
  { key: 'session', name: 'komet_session', securePrefix: '__Host-', lifetime: { hours: ABSOLUTE_MS / 3_600_000, minutes: IDLE_MS / 60_000 } },
  { key: 'csrf', name: 'komet_csrf', securePrefix: '', lifetime: {} },
  { key: 'language', name: LANG_COOKIE, securePrefix: '', lifetime: { days: LANG_COOKIE_MAX_AGE / 86_400 } },
  { key: 'chatKey', name: 'komet_chat_key', securePrefix: '__Secure-', lifetime: {} },
  { key: 'chat', name: 'komet_chat', securePrefix: '__Secure-', lifetime: {} },
  { key: 'chatClosed', name: 'komet_chat_closed', securePrefix: '__Secure-', lifetime: {} },
  { key: 'oidc', name: LOGIN_COOKIE_NAMES.transaction, securePrefix: '__Host-', lifetime: { minutes: TRANSACTION_TTL_MS / 60_000 }, onlyWithEid: true },
  { key: 'eid', name: LOGIN_COOKIE_NAMES.pendingEid, securePrefix: '__Host-', lifetime: { minutes: PENDING_EID_TTL_MS / 60_000 }, onlyWithEid: true },
];

/** The name a cookie has with this configuration (the prefix only behind https). */
export function cookieName(cookie: CookieInfo, secureCookies: boolean): string {
  return secureCookies ? cookie.securePrefix + cookie.name : cookie.name;
}
