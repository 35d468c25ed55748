// A browser stand-in over real HTTP, for tests of separate Komet processes: one cookie jar for the
// site, whichever web process (`base`) a request goes to, as behind a load balancer; the CSRF token
// and Origin as a browser's form post; its own client address in X-Forwarded-For (TRUST_PROXY=1).
let browsers = 0;

export class HttpBrowser {
  private cookies = new Map<string, string>();
  readonly address = `10.77.${(++browsers >> 8) & 255}.${browsers & 255}`;

  /** `base`: the web process the next requests go to (changed when one goes down). */
  constructor(public base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.store(await fetch(this.base + path, { redirect: 'manual', headers: { ...this.common(), ...headers } }));
  }

  /** A form post as a browser sends it. */
  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    if (!this.cookies.has('komet_csrf')) await this.get('/');
    const body = new URLSearchParams({ _csrf: this.cookies.get('komet_csrf') ?? '', ...form });
    return this.store(
      await fetch(this.base + path, {
        method: 'POST',
        body,
        redirect: 'manual',
        headers: { ...this.common(), origin: this.base, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }),
    );
  }

  /** A streamed GET (Server-Sent Events); the caller reads and aborts it. */
  stream(path: string, signal: AbortSignal): Promise<Response> {
    return fetch(this.base + path, { signal, headers: { ...this.common(), accept: 'text/event-stream' } });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private common(): Record<string, string> {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': this.address };
  }

  private store(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      if (attrs.some((a) => /max-age=0/i.test(a)) || value === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return res;
  }
}
