// A local stand-in for 46elks' SMS API (POST /a1/sms, form-encoded, HTTP Basic auth): records
// what it delivers and answers {id}. It can refuse the next message to a number with a given
// status, without delivering it, to prove retries (5xx) and permanent refusals (4xx).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInSms {
  from: string;
  to: string;
  message: string;
  /** The Basic auth user name the request carried. */
  username: string | null;
}

export interface SmsStandIn {
  url: string;
  username: string;
  password: string;
  delivered: StandInSms[];
  /** Every request, refused or not. */
  requests: { to: string; status: number }[];
  /** Answer the next message to this number with `status` and deliver nothing. */
  refuseNextTo(to: string, status: number): void;
  close(): Promise<void>;
}

export async function startSmsStandIn(): Promise<SmsStandIn> {
  const username = 'u_stand_in';
  const password = 'stand-in-password';
  const delivered: StandInSms[] = [];
  const requests: { to: string; status: number }[] = [];
  const toRefuse = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const answer = (status: number, text: string, type = 'text/plain') => res.writeHead(status, { 'content-type': type }).end(text);
      if (req.method !== 'POST' || req.url !== '/a1/sms') return answer(404, 'Not found');
      const [user, pass] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
      if (user !== username || pass !== password) return answer(401, 'Invalid authentication');
      const form = new URLSearchParams(body);
      const to = form.get('to') ?? '';
      const refused = toRefuse.get(to);
      if (refused) {
        toRefuse.delete(to);
        requests.push({ to, status: refused });
        return answer(refused, refused < 500 ? 'Invalid to number' : 'Service unavailable');
      }
      if (!/^\+\d{7,15}$/.test(to) || !form.get('message')) {
        requests.push({ to, status: 400 });
        return answer(400, 'Invalid to number');
      }
      requests.push({ to, status: 200 });
      delivered.push({ from: form.get('from') ?? '', to, message: form.get('message') ?? '', username: user ?? null });
      const id = `s${delivered.length.toString(16).padStart(32, '0')}`;
      answer(200, JSON.stringify({ status: 'created', direction: 'outgoing', from: form.get('from'), to, message: form.get('message'), parts: 1, id }), 'application/json');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    username,
    password,
    delivered,
    requests,
    refuseNextTo: (to, status) => toRefuse.set(to, status),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
