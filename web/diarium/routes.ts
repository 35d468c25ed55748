// The diarium: case search and archive packages (R9.3). Filled in by the archive work.
import { Hono } from 'hono';
import type { AppEnv } from '../context';

export function diariumRoutes() {
  return new Hono<AppEnv>();
}
