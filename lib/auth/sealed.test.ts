// The sealed login cookies: readable only with the secret and purpose they were sealed for, unchanged, in time.
import { describe, expect, it } from 'vitest';
import { seal, unseal } from './sealed';

const SECRET = 'a-session-secret-that-is-long-enough-0123';

describe('sealed values', () => {
  it('come back as sealed', () => {
    expect(unseal(SECRET, 'transaction', seal(SECRET, 'transaction', { state: 's' }, 60_000))).toEqual({ state: 's' });
  });

  it('do not show their content', () => {
    expect(Buffer.from(seal(SECRET, 'pendingEid', { personnummer: '19900101-0017' }, 60_000), 'base64url').toString('latin1')).not.toContain('19900101');
  });

  it('are refused when changed, sealed for another purpose or another secret, expired, or not there', () => {
    const sealed = seal(SECRET, 'transaction', { state: 's' }, 60_000, 1_000);
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[flipped.length - 1] ^= 1;
    expect(unseal(SECRET, 'transaction', flipped.toString('base64url'), 2_000)).toBeNull();
    expect(unseal(SECRET, 'pendingEid', sealed, 2_000)).toBeNull();
    expect(unseal(`${SECRET}x`, 'transaction', sealed, 2_000)).toBeNull();
    expect(unseal(SECRET, 'transaction', sealed, 61_001)).toBeNull();
    expect(unseal(SECRET, 'transaction', undefined)).toBeNull();
    expect(unseal(SECRET, 'transaction', 'short')).toBeNull();
  });
});
