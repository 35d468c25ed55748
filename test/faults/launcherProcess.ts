// The real embedded launcher (`npm start`) as a test's child process: its own data directory and
// free ports, the Resend stand-in as its mailer, and the pids of the parts it supervises, so a
// test can kill -9 one of them. Stopped with SIGTERM, then SIGKILL to its whole process group.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PartName } from '../../lib/embedded/supervisor';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface LauncherProcess {
  baseUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  /** The pid of a part the launcher runs now (a fresh one after each restart). */
  pidOf(part: PartName): number | null;
  output: string[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

/** How each part's process is recognised among the launcher's children. */
const COMMAND: Record<PartName, RegExp> = {
  database: /\/bin\/postgres -D /,
  temporal: /temporal server start-dev/,
  worker: /worker\.ts$/,
  web: /web\/server\.ts$/,
};

export async function startLauncher(env: NodeJS.ProcessEnv): Promise<LauncherProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'komet-faults-'));
  const [web, pg, temporal, ui] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(web),
    HOST: '127.0.0.1',
    EMBEDDED_PG_PORT: String(pg),
    EMBEDDED_TEMPORAL_PORT: String(temporal),
    EMBEDDED_TEMPORAL_UI_PORT: String(ui),
    DATA_DIR: dataDir,
    ...env,
  };
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PUBLIC_URL', 'SESSION_SECRET']) delete childEnv[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'launcher.ts'], { cwd: ROOT, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', (line) => output.push(line));
  const killGroup = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killGroup);
  let stopping: Promise<void> | undefined;
  return {
    baseUrl: `http://127.0.0.1:${web}`,
    databaseUrl: `postgresql://postgres@127.0.0.1:${pg}/postgres`,
    temporalAddress: `127.0.0.1:${temporal}`,
    output,
    pidOf: (part) => childrenOf(child.pid!).find((c) => COMMAND[part].test(c.command))?.pid ?? null,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((ok) => child.once('exit', ok));
          const timer = setTimeout(killGroup, 20_000);
          child.kill('SIGTERM');
          await exited;
          clearTimeout(timer);
        }
        killGroup();
        process.off('exit', killGroup);
        rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}

function childrenOf(pid: number): { pid: number; command: string }[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ pid: Number(m[1]), command: m[2].trim() }));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
