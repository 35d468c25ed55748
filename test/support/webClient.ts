// A small browser stand-in for route tests: keeps cookies, sends the CSRF token and Origin like a
// browser's form post, and logs in through the real magic-link flow (token read from the outbox).
import type { Hono } from 'hono';
import type { AppEnv } from '../../web/context';
import type { Db } from '../../lib/db';

export const ORIGIN = 'http://localhost';

/** Each browser stand-in its own address, as each real browser has (limits are kept per address). */
let clients = 0;
const nextAddress = () => `10.${(++clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;

export interface WebClientOptions {
  /** The address the requests come from (the socket's peer); default: one of its own. */
  address?: string;
  /** Sent with every request, e.g. X-Forwarded-For. */
  headers?: Record<string, string>;
}

export class WebClient {
  private cookies = new Map<string, string>();
  private env: { incoming: { socket: { remoteAddress: string } } };
  private headers: Record<string, string>;
  constructor(
    private app: Hono<AppEnv>,
    options: WebClientOptions = {},
  ) {
    this.env = { incoming: { socket: { remoteAddress: options.address ?? nextAddress() } } };
    this.headers = options.headers ?? {};
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.store(await this.app.request(path, { headers: { ...this.headers, cookie: this.cookieHeader(), ...headers } }, this.env));
  }

  /** Any request with this browser's cookies (and address); the body and headers as given. */
  async send(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
    return this.store(await this.app.request(path, { ...init, headers: { ...this.headers, cookie: this.cookieHeader(), ...init.headers } }, this.env));
  }

  /** A form post as a browser sends it; `csrf: false` leaves the token out. */
  async post(path: string, form: Record<string, string>, opts: { csrf?: boolean; origin?: string } = {}): Promise<Response> {
    if (!this.cookies.has('komet_csrf')) await this.get('/');
    const body = new URLSearchParams({ ...(opts.csrf === false ? {} : { _csrf: this.cookies.get('komet_csrf') ?? '' }), ...form });
    return this.store(
      await this.app.request(
        path,
        {
          method: 'POST',
          body,
          headers: { ...this.headers, cookie: this.cookieHeader(), origin: opts.origin ?? ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        },
        this.env,
      ),
    );
  }

  /** A new browser of its own with `email` logged in through the e-mailed link. */
  static async loggedIn(app: Hono<AppEnv>, db: Db, email: string, options: WebClientOptions = {}): Promise<WebClient> {
    const client = new WebClient(app, options);
    await client.login(db, email);
    return client;
  }

  async login(db: Db, email: string): Promise<Response> {
    const sent = await this.post('/logga-in', { email, next: '/mina-arenden' });
    if (sent.status !== 200) throw new Error(`login form answered ${sent.status}`);
    const token = await latestLoginToken(db, email);
    return this.post('/logga-in/verifiera', { token, next: '' });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      const expired = attrs.some((a) => /max-age=0/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return res;
  }
}

export async function latestLoginToken(db: Db, email: string): Promise<string> {
  const mail = await db.notification.findFirstOrThrow({
    where: { recipient: email, idempotencyKey: { startsWith: 'login:' } },
    orderBy: { createdAt: 'desc' },
  });
  const match = /token=([^&\s]+)/.exec(mail.body);
  if (!match) throw new Error('no login link in the e-mail');
  return decodeURIComponent(match[1]);
}

/** The whole form as the check page sends it (issue 16): the answers, the consent, and `step=send`. */
export const VALID_FORM = {
  name: 'Maria Andersson',
  personnummer: '19811218-9876',
  phone: '070-123 45 67',
  childAge: '7',
  message: '',
  consent: 'on',
  step: 'send',
};

/** A valid training enrolment form (R6.1). */
export const VALID_ENROLMENT_FORM = {
  name: 'Lena Pedagog',
  phone: '070-765 43 21',
  workplace: 'Förskolan Solrosen',
  jobTitle: 'Förskollärare',
  managerName: 'Per Rektor',
  managerEmail: 'per.rektor@example.org',
  message: '',
  consent: 'on',
  step: 'send',
};
