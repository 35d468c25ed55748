// Statistics for central follow-up (R9.1, R9.2). Filled in by the statistics work.
import { Hono } from 'hono';
import type { AppEnv } from '../context';

export function statisticsRoutes() {
  return new Hono<AppEnv>();
}
