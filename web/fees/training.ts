// The training named in the path (:courseId), for the admin's fee and certificate desks.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { training } from '../../lib/invoices/desk';
import type { AppEnv } from '../context';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A missing course, or one that is not a training, answers 404. */
export async function trainingOf(c: Context<AppEnv>) {
  const courseId = c.req.param('courseId') ?? '';
  const found = UUID.test(courseId) ? await training(c.get('deps').db, courseId) : null;
  if (!found) throw new HTTPException(404);
  return found;
}
