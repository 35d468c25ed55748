// Talking to the bench instance as its users do: the integration API with a bearer key, and a
// parent's real e-mail-link login over HTTP (the link is read from the notification log).
import { createApiKey } from '../lib/apiKeys';
import type { Db } from '../lib/db';

const TIMEOUT_MS = 30_000;
/** A fixed birth date; the 3-digit serial varies, so there are 1000 distinct numbers. */
const BIRTH_DATE = '19870615';

/** A valid personnummer `YYYYMMDD-NNNN`: Luhn over YYMMDDNNN (weights 2,1,2,…) gives the last digit. */
export function personnummer(serial: number, birthDate = BIRTH_DATE): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > 999) throw new Error(`personnummer serial out of range: ${serial}`);
  const nine = `${birthDate.slice(2)}${String(serial).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    const n = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += n > 9 ? n - 9 : n;
  }
  return `${birthDate}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`;
}

/** Distinct personnummer for any number of applicants: a new birth date every thousand. */
export function applicantPersonnummer(i: number): string {
  const day = 1 + Math.floor(i / 1000);
  if (day > 28) throw new Error(`applicant ${i}: more than 28,000 applicants in one run`);
  return personnummer(i % 1000, `198702${String(day).padStart(2, '0')}`);
}

export async function createBenchApiKey(db: Db): Promise<string> {
  const { key } = await createApiKey(db, { name: 'bench', scopes: ['applications:write', 'cases:read'] });
  return key;
}

/** The seeded open group courses (capacity does not matter for submitting). */
export async function openGroupCourseIds(baseUrl: string): Promise<string[]> {
  const res = await fetch(`${baseUrl}/api/v1/courses?kind=groupCourse`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.status !== 200) throw new Error(`GET /api/v1/courses: ${res.status} ${await res.text()}`);
  const { courses } = (await res.json()) as { courses: { id: string; status: string }[] };
  const ids = courses.filter((c) => c.status === 'open').map((c) => c.id);
  if (ids.length === 0) throw new Error('No open group course in the seeded data');
  return ids;
}

export interface Applicant {
  email: string;
  personnummer: string;
}

/** POST /api/v1/applications; resolves with the case number, throws unless 201. */
export async function submitViaApi(baseUrl: string, apiKey: string, courseId: string, who: Applicant): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/applications`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      courseId,
      email: who.email,
      name: 'Bänk Testsson',
      personnummer: who.personnummer,
      phone: '070-123 45 67',
      childAge: 7,
      message: 'bench',
    }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { caseNumber: string }).caseNumber;
}

/**
 * The parent's login as a browser does it: the form with its CSRF token, the link from the e-mail
 * (read from the notification log), the confirmation POST. Returns the Cookie header to send.
 */
export async function loginParent(baseUrl: string, db: Db, email: string): Promise<string> {
  const jar = new CookieJar();
  const origin = new URL(baseUrl).origin;

  const form = await fetch(`${baseUrl}/logga-in`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  jar.take(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (form.status !== 200 || !csrf) throw new Error(`GET /logga-in: ${form.status}, CSRF token ${csrf ? 'found' : 'missing'}`);

  await postForm(`${baseUrl}/logga-in`, jar, origin, { _csrf: csrf, email, next: '/mina-arenden' }, 200);

  const notice = await db.notification.findFirst({ where: { recipient: email }, orderBy: { createdAt: 'desc' } });
  const link = notice && /\/logga-in\/verifiera\?token=([^&\s]+)&next=(\S+)/.exec(notice.body);
  if (!link) throw new Error(`No login link in the notification log for ${email}`);
  const [token, next] = [decodeURIComponent(link[1]), decodeURIComponent(link[2])];

  await postForm(`${baseUrl}/logga-in/verifiera`, jar, origin, { _csrf: csrf, token, next }, 303);
  if (!jar.has('komet_session')) throw new Error('The verification answered without a komet_session cookie');
  return jar.header();
}

/** A form POST as a browser sends it (Origin for Hono's csrf()), with a jar or a fixed Cookie header. */
export async function postForm(url: string, jar: CookieJar | string, origin: string, fields: Record<string, string>, expected: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    // Hono's csrf() compares Origin with the server's own origin on form posts.
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: typeof jar === 'string' ? jar : jar.header(), Origin: origin },
    body: new URLSearchParams(fields),
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (typeof jar !== 'string') jar.take(res);
  const text = await res.text();
  if (res.status !== expected) throw new Error(`POST ${new URL(url).pathname}: ${res.status} (expected ${expected}) ${text.slice(0, 200)}`);
}

/** Just enough of a cookie jar for one origin: name → value, removals honoured. */
export class CookieJar {
  private cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const removed = !value || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (removed) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }

  get(name: string): string {
    return this.cookies.get(name) ?? '';
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
