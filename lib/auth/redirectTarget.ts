// Where a redirect may go when the target comes from input (`next` after login, `returnTo` after
// the reason gate): a path of this site, nothing else (issue 14, ASVS 5.1.5). The one function for
// it: every redirect whose target a request carries goes through here.
import { percentDecoded } from '../validation/formFields';

/** Parsed against a base no browser can reach: only a result on this base is a path of ours. */
const BASE = 'http://komet.invalid';
const MAX_LENGTH = 2000;
/**
 * Browsers drop tab and newline inside a URL and read a backslash as a slash, so `/\t/evil.example`
 * and `/\evil.example` lead to another site; a newline in a Location header is also refused by
 * Node (a 500). The other control characters have no place in a path of ours either, nor a raw space.
 */
const UNSAFE = /[\u0000-\u001F\u007F\\]/;

/**
 * `input` as a same-origin path (with its query and fragment), or `fallback`. Refused: anything not
 * starting with one `/`, `//host`, and tab, newline, backslash and control characters whether raw or
 * percent-encoded (`/%09/evil.example`, `/%5Cevil`, `/%2F/evil`), as a browser or a later decoding
 * step could turn them into a way off the site.
 */
export function safeRedirectTarget(input: unknown, fallback: string): string {
  if (typeof input !== 'string' || !input || input.length > MAX_LENGTH) return fallback;
  if (!input.startsWith('/') || input.startsWith('//') || UNSAFE.test(input) || input.includes(' ')) return fallback;
  const decoded = percentDecoded(input);
  if (decoded === null || decoded.startsWith('//') || UNSAFE.test(decoded)) return fallback;
  let url: URL;
  try {
    url = new URL(input, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  // What the parser read, so the header carries exactly the path that was checked.
  return `${url.pathname}${url.search}${url.hash}`;
}
