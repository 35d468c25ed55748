// Recording workflow histories for the replay test (workflows/replay.test.ts):
// `RECORD_HISTORIES=1 npx vitest run workflows/` writes them under workflows/histories/. Record anew
// only when a change is meant to be incompatible (and then keep the old files: running cases still
// have those histories).
import { mkdirSync, writeFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = new URL('../../workflows/histories/', import.meta.url);

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(new URL(`${name}.json`, HISTORIES_DIR), historyToJSON(await handle.fetchHistory()));
}
