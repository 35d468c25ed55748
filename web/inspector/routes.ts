// The case inspector for supervisors (R9.4). Filled in by the inspector work.
import { Hono } from 'hono';
import type { AppEnv } from '../context';

export function inspectorRoutes() {
  return new Hono<AppEnv>();
}
