// The baseline page: a bare Hono route rendering one static Eta template (a copy of the real
// /mina-arenden HTML, so the size matches) — no sessions, no database, no middleware.
// Runs in a worker thread of the bench process: on the bench's own event loop the load-generating
// client would eat the server's time and make the baseline look slower than it is.
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { Eta } from 'eta';
import { Hono } from 'hono';

const { viewsDir } = workerData as { viewsDir: string };
// Cached like the app's renderer in production (web/render.ts).
const eta = new Eta({ views: viewsDir, cache: true, autoEscape: true });

const app = new Hono();
app.get('/', (c) => c.html(eta.render('/page', {})));

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => parentPort?.postMessage({ port: info.port }));
