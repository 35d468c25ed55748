// The session cookie's signature: what we sign reads back, anything changed reads as no cookie, and
// cookies Hono signed before this module (sessions alive at an upgrade) still read.
import { Hono } from 'hono';
import { setSignedCookie } from 'hono/cookie';
import { describe, expect, it } from 'vitest';
import { readSignedCookie, writeSignedCookie } from './signedCookie';

const SECRET = 'a-session-secret-that-is-long-enough-0123';

function app() {
  const a = new Hono();
  a.get('/ours', (c) => (writeSignedCookie(c, 's', 'abc.def_123', SECRET, { path: '/', httpOnly: true }), c.text('ok')));
  a.get('/hono', async (c) => (await setSignedCookie(c, 's', 'abc.def_123', SECRET, { path: '/' }), c.text('ok')));
  a.get('/read', (c) => c.text(readSignedCookie(c, SECRET, 's') ?? '(none)'));
  return a;
}

async function cookieFrom(path: string): Promise<string> {
  const res = await app().request(path);
  return res.headers.get('set-cookie')!.split(';')[0].slice('s='.length);
}
const read = async (value: string) => (await app().request('/read', { headers: { cookie: `s=${value}` } })).text();

describe('signed cookies', () => {
  it('reads back what it signed, and what Hono signed', async () => {
    expect(await read(await cookieFrom('/ours'))).toBe('abc.def_123');
    expect(await cookieFrom('/ours')).toBe(await cookieFrom('/hono'));
  });

  it('reads a changed value, a changed or cut signature, another secret or no signature as no cookie', async () => {
    const good = decodeURIComponent(await cookieFrom('/ours'));
    const dot = good.lastIndexOf('.');
    const [value, signature] = [good.slice(0, dot), good.slice(dot + 1)];
    const otherSecret = new Hono().get('/', (c) => c.text(readSignedCookie(c, `${SECRET}x`, 's') ?? '(none)'));
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    for (const forged of [`abc.def_124.${signature}`, `${value}.${flipped}`, `${value}.${signature.slice(0, 43)}`, value, '', `.${signature}`]) {
      expect(await read(encodeURIComponent(forged))).toBe('(none)');
    }
    expect(await (await otherSecret.request('/', { headers: { cookie: `s=${encodeURIComponent(good)}` } })).text()).toBe('(none)');
  });
});
