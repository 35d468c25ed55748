// The citizen's anonymous chat (R10.1, R10.2).
import { Hono } from 'hono';
import type { AppEnv } from '../context';

export function chatRoutes() {
  return new Hono<AppEnv>();
}
