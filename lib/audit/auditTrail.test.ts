// The audit trail's pieces without a database: the stated reason, the entry written, and the
// access pass that opens a case for one session after the reason was recorded.
import { describe, expect, it, vi } from 'vitest';
import {
  ACCESS_PASS_MS,
  OWN_CASE_REASON,
  reasonText,
  recordAudit,
  signAccessPass,
  StatedReasonSchema,
  verifyAccessPass,
} from './auditTrail';

const SECRET = 'test-secret-that-is-long-enough-0123456789';
const SESSION = 'session-a';
const CASE = '6f1c2c55-8a55-4b8e-9a39-0d6b2f4c1e01';
const NOW = Date.UTC(2026, 2, 1, 10, 0, 0);

describe('access pass', () => {
  const pass = signAccessPass(SECRET, SESSION, CASE, NOW);

  it('opens the case for the same session until it expires', () => {
    expect(verifyAccessPass(SECRET, SESSION, CASE, pass, NOW)).toBe(true);
    expect(verifyAccessPass(SECRET, SESSION, CASE, pass, NOW + ACCESS_PASS_MS - 1)).toBe(true);
  });

  it('is refused once expired', () => {
    expect(verifyAccessPass(SECRET, SESSION, CASE, pass, NOW + ACCESS_PASS_MS + 1)).toBe(false);
  });

  it('is refused in another session', () => {
    expect(verifyAccessPass(SECRET, 'session-b', CASE, pass, NOW)).toBe(false);
  });

  it('is refused for another case', () => {
    expect(verifyAccessPass(SECRET, SESSION, '6f1c2c55-8a55-4b8e-9a39-0d6b2f4c1e02', pass, NOW)).toBe(false);
  });

  it('is refused with another secret', () => {
    expect(verifyAccessPass(`${SECRET}x`, SESSION, CASE, pass, NOW)).toBe(false);
  });

  it('is refused when tampered with', () => {
    const [expires, mac] = pass.split('.');
    // A later expiry with the old signature.
    expect(verifyAccessPass(SECRET, SESSION, CASE, `${Number(expires) + ACCESS_PASS_MS}.${mac}`, NOW)).toBe(false);
    // One character of the signature changed.
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    expect(verifyAccessPass(SECRET, SESSION, CASE, `${expires}.${flipped}`, NOW)).toBe(false);
    // Shortened, empty, missing or not a pass at all.
    expect(verifyAccessPass(SECRET, SESSION, CASE, `${expires}.${mac.slice(0, -2)}`, NOW)).toBe(false);
    expect(verifyAccessPass(SECRET, SESSION, CASE, '', NOW)).toBe(false);
    expect(verifyAccessPass(SECRET, SESSION, CASE, undefined, NOW)).toBe(false);
    expect(verifyAccessPass(SECRET, SESSION, CASE, `${expires}.${mac}; drop`, NOW)).toBe(false);
  });

  it('carries nothing but an expiry and a signature', () => {
    expect(pass).toMatch(/^\d+\.[A-Za-z0-9_-]+$/);
    expect(pass).not.toContain(SESSION);
    expect(pass).not.toContain(CASE);
  });
});

describe('stated reason', () => {
  it('accepts a purpose and a few words, trimmed', () => {
    const parsed = StatedReasonSchema.parse({ purpose: 'supervision', detail: '  Ärendet har stått still  ' });
    expect(reasonText(parsed)).toBe('supervision: Ärendet har stått still');
  });

  it('names the field and the translation key of what is wrong', () => {
    const issues = (input: unknown) => StatedReasonSchema.safeParse(input).error?.issues.map((i) => [i.path[0], i.message]);
    expect(issues({ purpose: 'curiosity', detail: 'Tittar bara lite' })).toEqual([['purpose', 'audit.errors.purpose']]);
    expect(issues({ purpose: 'quality', detail: ' abc ' })).toEqual([['detail', 'audit.errors.detail']]);
    expect(issues({ purpose: 'quality' })).toEqual([['detail', 'audit.errors.detail']]);
    expect(issues({ purpose: 'quality', detail: 'x'.repeat(301) })).toEqual([['detail', 'audit.errors.detailTooLong']]);
  });
});

describe('recordAudit', () => {
  it('writes one entry with empty optional fields as null', async () => {
    const create = vi.fn().mockResolvedValue({});
    await recordAudit({ auditEntry: { create } } as never, { actorId: 'a', action: 'caseOpened', caseNumber: 'KOM-2026-000001', reason: OWN_CASE_REASON });
    expect(create).toHaveBeenCalledTimes(1);
    expect(create.mock.calls[0][0]).toEqual({
      data: { actorId: 'a', action: 'caseOpened', applicationId: null, caseNumber: 'KOM-2026-000001', reason: OWN_CASE_REASON, searchTerms: null },
    });
  });
});
