// A local stand-in for Resend's HTTP API: records deliveries and, like Resend, answers a repeated
// Idempotency-Key with the first result instead of sending again. It can lose its first answer
// (deliver, then reply 500) to prove that a retried activity sends one e-mail.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInEmail {
  to: string[];
  subject: string;
  text: string;
  idempotencyKey: string | null;
}

export interface ResendStandIn {
  url: string;
  delivered: StandInEmail[];
  requests: { idempotencyKey: string | null }[];
  /** Deliver the first e-mail to this recipient but answer 500, as if the response was lost. */
  loseFirstResponseTo(recipient: string): void;
  close(): Promise<void>;
}

export async function startResendStandIn(): Promise<ResendStandIn> {
  const delivered: StandInEmail[] = [];
  const requests: { idempotencyKey: string | null }[] = [];
  const byKey = new Map<string, string>();
  const toLose = new Set<string>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/emails') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"name":"not_found"}');
        return;
      }
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      requests.push({ idempotencyKey: key });
      const payload = JSON.parse(body);
      let id = key ? byKey.get(key) : undefined;
      if (!id) {
        id = `stand-in-${delivered.length + 1}`;
        delivered.push({ to: payload.to, subject: payload.subject, text: payload.text, idempotencyKey: key });
        if (key) byKey.set(key, id);
      }
      const recipient = String(payload.to?.[0] ?? '');
      if (toLose.has(recipient)) {
        toLose.delete(recipient);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ name: 'internal_server_error', message: 'lost response', statusCode: 500 }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delivered,
    requests,
    loseFirstResponseTo: (recipient) => toLose.add(recipient),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
