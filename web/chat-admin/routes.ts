// The admin's chat settings: opening hours, retention, guidelines, prepared texts (R10.2, R10.4).
import { Hono } from 'hono';
import type { AppEnv } from '../context';

export function chatAdminRoutes() {
  return new Hono<AppEnv>();
}
