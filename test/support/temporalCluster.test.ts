import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { spawnWithLog } from './temporalCluster';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

it('a process that closes its stdout and writes to stderr afterwards has both in its log, and nothing is thrown in the test run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'komet-log-'));
  dirs.push(dir);
  const logFile = join(dir, 'server.log');
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    const child = spawnWithLog('sh', ['-c', 'echo early; exec 1>&-; sleep 0.3; echo late >&2'], logFile);
    await new Promise((r) => child.once('close', r));
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  expect(uncaught).toEqual([]);
  expect(readFileSync(logFile, 'utf8')).toBe('early\nlate\n');
});
