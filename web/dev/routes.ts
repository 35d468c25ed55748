// The dev inbox (embedded mode only; not mounted in production): every e-mail and SMS the system
// would have sent, newest first, so a newcomer can log in with the magic link.
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { render } from '../render';

export function devRoutes() {
  return new Hono<AppEnv>().get('/dev/inbox', async (c) => {
    const messages = await c.get('deps').db.notification.findMany({ orderBy: { createdAt: 'desc' }, take: 50 });
    return render(c, '/dev/views/inbox', { title: c.get('t')('inbox.title'), messages });
  });
}
