// The reason gate (R11.5): a case outside one's own handling opens only after the staff member
// has said why. The stated reason becomes one audit entry; a signed pass then opens the case for
// this session for a while, so a reload neither asks again nor writes a second entry.
import type { Context } from 'hono';
import { signAccessPass, verifyAccessPass } from '../../lib/audit/auditTrail';
import type { AppEnv } from '../context';
import { render } from '../render';

export const PASS_PARAM = 'atkomst';

/** Where a pass may send the staff member back to: a staff page of this site, nothing else. */
export const RETURN_TO_PATTERN = /^\/personal\/[A-Za-z0-9\-/]{1,120}$/;

export interface GatedCase {
  applicationId: string;
  caseNumber: string;
  /** The page to open once the reason is recorded (a path under /personal/). */
  returnTo: string;
}

/** The reason form, or null when this session holds a valid pass for the case. */
export async function requireStatedReason(c: Context<AppEnv>, target: GatedCase): Promise<Response | null> {
  const user = c.get('user')!;
  const secret = c.get('deps').config.sessionSecret;
  if (verifyAccessPass(secret, user.sessionId, target.applicationId, c.req.query(PASS_PARAM))) return null;
  return render(c, '/audit/views/reasonForm', reasonFormData(c, target));
}

export function reasonFormData(c: Context<AppEnv>, target: Pick<GatedCase, 'caseNumber' | 'returnTo'>, extra: Record<string, unknown> = {}) {
  return { title: c.get('t')('audit.reasonForm.title', { caseNumber: target.caseNumber }), ...target, errors: {}, values: {}, ...extra };
}

/** The case page's address with a fresh pass, after the reason was recorded. */
export function withPass(c: Context<AppEnv>, target: GatedCase): string {
  const user = c.get('user')!;
  const pass = signAccessPass(c.get('deps').config.sessionSecret, user.sessionId, target.applicationId);
  return `${target.returnTo}?${PASS_PARAM}=${encodeURIComponent(pass)}`;
}
