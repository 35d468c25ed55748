// The administrator's desk (R8): grants, message templates, rooms and bookings, and a link to the
// settings page that opens and closes courses. Admins only; anyone else gets 403.
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { grantRoutes } from './grants';
import { templateRoutes } from './templates';
import { roomRoutes } from './rooms';
import { surveyEditorRoutes } from './surveys';

export function adminRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/personal/admin', requireArea('administration'));
  app.use('/personal/admin/*', requireArea('administration'));
  app.get('/personal/admin', (c) => render(c, '/admin/views/desk', { title: c.get('t')('admin.title') }));
  app.route('/', grantRoutes());
  app.route('/', templateRoutes());
  app.route('/', roomRoutes());
  app.route('/', surveyEditorRoutes());
  return app;
}
