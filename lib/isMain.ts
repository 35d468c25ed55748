// Whether a module is the script Node was started with (`node dist/worker.js`, `tsx worker.ts`).
// Node loads the entry by its real path, so a release directory reached through a symlink
// (/srv/komet/current → /srv/komet/releases/42) must be compared by real path too.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
}
