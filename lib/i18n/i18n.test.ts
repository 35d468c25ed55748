// Every page's text lives in the translation files (R1.3): English is complete, and every key a
// view asks for exists in Swedish.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictionaries, keysOf, translator } from './index';

function viewFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? viewFiles(path) : path.endsWith('.eta') ? [path] : [];
  });
}

describe('translations', () => {
  it('English has exactly the keys Swedish has', () => {
    expect(keysOf(dictionaries.en).sort()).toEqual(keysOf(dictionaries.sv).sort());
  });

  it('every literal key used in a view exists', () => {
    const keys = new Set(keysOf(dictionaries.sv));
    const missing: string[] = [];
    for (const file of viewFiles('web')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/it\.t\('([a-zA-Z.-]+)'\s*[,)]/g)) if (!keys.has(m[1])) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('fills in parameters and falls back to Swedish', () => {
    expect(translator('en')('myCases.queuePosition', { position: 3 })).toBe('Your place in the queue: 3');
    expect(translator('sv')('no.such.key')).toBe('no.such.key');
  });
});
