// Starting the embedded parts as child processes, each resolved once it is ready, and leaving no
// process behind when a start fails. The supervisor (supervisor.ts) restarts them.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { ALL_SEARCH_ATTRIBUTES, cliSearchAttributeType } from '../../workflows/searchAttributes';

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
  await killOnFailure(child, waitForPort(opts.port, child, 'Temporal'));
  return child;
}

/** Messages between the launcher and its Node children (web/server.ts, worker.ts). */
export type RoleMessage = { type: 'ready' } | { type: 'listening' };

/**
 * Forks a Node role (worker.ts, web/server.ts) under tsx with an IPC channel; ready when it says
 * so. The child ends itself when the channel closes (the launcher went), so it is never orphaned.
 */
export async function startNodeRole(script: string, env: NodeJS.ProcessEnv, name: string, timeoutMs = 120_000): Promise<ChildProcess> {
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await killOnFailure(child, nextMessage(child, 'ready', name, timeoutMs));
  return child;
}

/** Resolves on the child's next message of this type; rejects if it exits first or takes too long. */
export function nextMessage(child: ChildProcess, type: RoleMessage['type'], name: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => done(new Error(`${name} blev inte redo inom ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (m: unknown) => (m as RoleMessage | null)?.type === type && done();
    const onExit = (code: number | null, signal: string | null) => done(new Error(`${name} stoppade vid start (${signal ?? `exit ${code}`})`));
    const done = (err?: Error) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) fail(err);
      else ok();
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function killOnFailure(child: ChildProcess, ready: Promise<void>): Promise<void> {
  try {
    await ready;
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw err;
  }
}

export function waitForPort(port: number, child: ChildProcess, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((ok, fail) => {
    let exited = false;
    const onExit = (code: number | null) => {
      exited = true;
      fail(new Error(`${name} stoppade vid start (exit ${code}). Är porten ${port} upptagen?`));
    };
    child.once('exit', onExit);
    const attempt = () => {
      if (exited) return;
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        child.off('exit', onExit);
        ok();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) fail(new Error(`${name} öppnade inte port ${port} i tid`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args[0]} avslutades med ${code}`))));
  });
}
