// The administrator's desk (R8): grants, message templates, rooms and bookings, and a link to the
// settings page that opens and closes courses. Admins only; anyone else gets 403.
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { toolsFor } from '../staff/tools';
import { grantRoutes } from './grants';
import { templateRoutes } from './templates';
import { roomRoutes } from './rooms';
import { surveyEditorRoutes } from './surveys';

export function adminRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/personal/admin', requireArea('administration'));
  app.use('/personal/admin/*', requireArea('administration'));
  // Every administration tool, from the one list the start page and the menu use.
  app.get('/personal/admin', (c) =>
    render(c, '/admin/views/desk', { title: c.get('t')('admin.title'), tools: toolsFor(c.get('user')).filter((t) => t.group === 'admin' && t.id !== 'adminDesk') }),
  );
  app.route('/', grantRoutes());
  app.route('/', templateRoutes());
  app.route('/', roomRoutes());
  app.route('/', surveyEditorRoutes());
  return app;
}
