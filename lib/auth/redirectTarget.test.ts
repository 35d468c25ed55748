// Issue 14, finding 4: `next=/%09/evil.example` passed the old check, and the browser read the
// resulting `Location: /\t/evil.example` as http://evil.example/. Every way off the site falls back.
import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from './redirectTarget';

const FALLBACK = '/mina-arenden';

describe('safeRedirectTarget', () => {
  it.each([
    '/mina-arenden',
    '/personal/diarium?page=2',
    '/personal/arenden/KOM-2026-000001?atkomst=abc%2Bdef',
    '/kurser/3f1c0c1e-8d7b-4c1a-9a55-0d6f3b3e2a10/ansok',
    '/personal/diarium?q=%C3%A5sa#resultat',
  ])('keeps the path of this site %s', (path) => {
    expect(safeRedirectTarget(path, FALLBACK)).toBe(path);
  });

  it.each([
    ['tab, encoded', '/%09/evil.example'],
    ['tab, raw', '/\t/evil.example'],
    ['newline, raw', '/\n/evil.example'],
    ['newline, encoded', '/mina-arenden%0d%0aSet-Cookie:x=1'],
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with path', '//evil.example/x'],
    ['backslash', '/\\evil.example'],
    ['two backslashes', '/\\\\evil.example'],
    ['backslash, encoded', '/%5Cevil.example'],
    ['slashes, encoded', '%2F%2Fevil.example'],
    ['slash then encoded slash', '/%2F/evil.example'],
    ['double-encoded slash', '/%252F/evil.example'],
    ['double-encoded tab', '/%2509/evil.example'],
    ['absolute URL', 'https://evil.example/'],
    ['scheme', 'javascript:alert(1)'],
    ['relative', 'evil.example'],
    ['broken encoding', '/%E0%A4%A'],
    ['NUL', '/mina-arenden%00'],
    ['space', '/ /evil.example'],
    ['empty', ''],
  ])('falls back for %s', (_what, target) => {
    expect(safeRedirectTarget(target, FALLBACK)).toBe(FALLBACK);
  });

  it('falls back for anything that is not a string', () => {
    expect(safeRedirectTarget(undefined, FALLBACK)).toBe(FALLBACK);
    expect(safeRedirectTarget(['/mina-arenden'], FALLBACK)).toBe(FALLBACK);
  });

  it('gives the path as parsed, so dot segments cannot climb anywhere', () => {
    expect(safeRedirectTarget('/personal/../mina-arenden', FALLBACK)).toBe('/mina-arenden');
  });
});
