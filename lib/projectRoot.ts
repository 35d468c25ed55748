// Where the files that ship beside the code live (views, assets, translations, workflow sources):
// the project root, found the same way from the TypeScript sources (tsx) and from the compiled
// bundles in dist/ (whose import.meta.url is the bundle, not the module the code came from).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `fromRoot('web', 'assets')`. */
export const fromRoot = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
