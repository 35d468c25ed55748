// The pages' own words for assertions: Swedish text by key, and that text as Eta prints it.
import { dictionaries } from '../../lib/i18n';

/** Swedish text by key, with {params}; a missing key fails the test instead of matching the key. */
export function sv(key: string, params: Record<string, string | number> = {}): string {
  let node: unknown = dictionaries.sv;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'string') throw new Error(`sv.json has no text for ${key}`);
  return node.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** As Eta prints text: HTML-escaped. */
export const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
