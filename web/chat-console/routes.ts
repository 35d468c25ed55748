// The counsellor's console (R10.3, R10.4).
import { Hono } from 'hono';
import type { AppEnv } from '../context';

export function chatConsoleRoutes() {
  return new Hono<AppEnv>();
}
