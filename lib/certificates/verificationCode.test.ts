// Verification codes (issue 14 item 7): long enough that no one guesses one, URL-safe, different
// every time, with every bit as often set as not (the CSPRNG's bytes, not a counter or a clock).
import { describe, expect, it } from 'vitest';
import { newVerificationCode, VERIFICATION_CODE_PATTERN, verificationUrl } from './verificationCode';

describe('newVerificationCode', () => {
  const codes = Array.from({ length: 4000 }, newVerificationCode);

  it('is 24 URL-safe characters that carry 144 bits', () => {
    for (const code of codes.slice(0, 100)) {
      expect(code).toMatch(VERIFICATION_CODE_PATTERN);
      expect(encodeURIComponent(code)).toBe(code);
      expect(Buffer.from(code, 'base64url').length * 8).toBe(144);
    }
  });

  it('never repeats and shares no prefix structure', () => {
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes.map((c) => c.slice(0, 4))).size).toBeGreaterThan(3900);
  });

  it('sets each of its 144 bits about half the time', () => {
    const counts = Array<number>(144).fill(0);
    for (const code of codes) {
      const bytes = Buffer.from(code, 'base64url');
      for (let bit = 0; bit < 144; bit++) if (bytes[bit >> 3] & (0x80 >> (bit & 7))) counts[bit]++;
    }
    // 4000 draws: a fair bit is set 2000 ± 32 (one standard deviation) times; ±300 is over 9 sigma.
    for (const count of counts) expect(Math.abs(count - 2000)).toBeLessThan(300);
  });

  it('makes the public address of a certificate', () => {
    expect(verificationUrl('https://komet.example', 'abc')).toBe('https://komet.example/intyg/abc');
  });
});
