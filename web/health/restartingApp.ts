// What the embedded launcher answers on the web port while the web server process is down or
// starting: /health names the parts that are not up, every page is the friendly 503 "Tjänsten
// startar om" (in the visitor's language) with Retry-After, and the stylesheet is served so the
// page looks like the rest. Nothing here touches the database or Temporal.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../lib/config';
import type { Deps } from '../../lib/deps';
import type { AppEnv } from '../context';
import { restartingResponse } from '../errors';
import { resolveLanguage } from '../layout/language';
import type { PartStates } from './supervised';

const ASSETS_ROOT = relative(process.cwd(), fileURLToPath(new URL('../assets', import.meta.url)));

export function createRestartingApp(config: Config, states: () => PartStates): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('deps', { config } as Deps); // the language cookie reads config only
    c.set('user', null);
    // No keep-alive: the next request should reach the web server once it is back.
    c.header('Connection', 'close');
    await next();
  });
  app.use(resolveLanguage);
  app.get('/health', (c) => {
    const now = states();
    const failing = ['web', ...Object.keys(now).filter((k) => k !== 'web' && now[k as keyof PartStates] !== 'up')];
    return c.json({ status: 'unavailable', failing, restarting: failing }, 503);
  });
  app.use('/assets/*', serveStatic({ root: ASSETS_ROOT, rewriteRequestPath: (p) => p.replace(/^\/assets/, '') }));
  app.all('*', (c) => restartingResponse(c));
  return app;
}
