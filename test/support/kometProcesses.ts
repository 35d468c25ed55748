// Komet's production roles as separate processes from the compiled build (`npm run build`):
// `node dist/web/server.js` and `node dist/worker.js`, each with its own environment and log.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { stopProcess } from './temporalCluster';

export interface KometProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Everything it printed. */
  output(): string;
  /** kill -9: no shutdown of any kind. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startKometProcess(name: string, role: 'web' | 'worker', env: Record<string, string>): Promise<KometProcess> {
  const script = resolve(role === 'web' ? 'dist/web/server.js' : 'dist/worker.js');
  const child = spawn(process.execPath, ['--enable-source-maps', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const ready = role === 'web' ? 'Komet web listening' : 'Komet worker polling';
  await new Promise<void>((ok, fail) => {
    const check = () => {
      if (out.includes(ready)) return ok();
      if (child.exitCode !== null) return fail(new Error(`${name} exited (${child.exitCode}):\n${out}`));
      setTimeout(check, 100);
    };
    check();
  });
  const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  return {
    name,
    child,
    pid: child.pid!,
    output: () => out,
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    stop: () => stopProcess(child),
  };
}
