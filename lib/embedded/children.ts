// Starting and stopping the embedded parts as child processes, with readiness checks.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_SEARCH_ATTRIBUTES, cliSearchAttributeType } from '../../workflows/searchAttributes';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export function startPglite(dataDir: string, port: number): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL('./pgliteServer.ts', import.meta.url)), [resolve(dataDir, 'pglite'), String(port)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((ok, fail) => {
    child.once('message', (m) => (m === 'ready' ? ok(child) : fail(new Error(`PGlite: ${String(m)}`))));
    child.once('exit', (code) => fail(new Error(`PGlite stopped at start (exit ${code}). Is port ${port} taken?`)));
  });
}

export async function ensureTemporalCli(cliPath: string): Promise<void> {
  if (existsSync(cliPath)) return;
  console.log(`Temporal CLI saknas: bygger ${TEMPORAL_CLI_VERSION} med Go (första gången tar det några minuter) …`);
  const gobin = resolve(cliPath, '..');
  mkdirSync(gobin, { recursive: true });
  await run('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], { ...process.env, GOBIN: gobin });
}

export async function startTemporalDevServer(opts: {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
}): Promise<ChildProcess> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--ui-port', String(opts.uiPort),
    '--db-filename', resolve(opts.dataDir, 'temporal.db'),
    '--namespace', opts.namespace,
    '--log-level', 'error',
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=NORMAL',
    ...ALL_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${cliSearchAttributeType(k)}`]),
  ];
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(opts.port, child, 'Temporal');
  return child;
}

export function waitForPort(port: number, child: ChildProcess, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((ok, fail) => {
    const onExit = (code: number | null) => fail(new Error(`${name} stopped at start (exit ${code}). Is port ${port} taken?`));
    child.once('exit', onExit);
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        child.off('exit', onExit);
        ok();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) fail(new Error(`${name} did not open port ${port} in time`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args[0]} exited with ${code}`))));
  });
}

/** SIGTERM, then SIGKILL if the child has not gone within the grace time. */
export function stopChild(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    child.kill('SIGTERM');
  });
}
