// The launcher's restart logic, on real child processes: a part that dies is started again, its
// wait grows while it keeps failing and starts over once it ran a while; a stopped supervisor
// restarts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/eventually';
import { restartDelay, Supervisor, type Backoff, type RestartPlanned } from './supervisor';

const BACKOFF: Backoff = { initialMs: 20, factor: 2, maxMs: 160, stableMs: 60_000 };

/** A real process that runs until killed, or exits at once with a failure. */
function sleeper(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return new Promise((ok, fail) => {
    child.once('spawn', () => ok(child));
    child.once('error', fail);
  });
}
function crasher(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
  return new Promise((ok) => child.once('spawn', () => ok(child)));
}

describe('restartDelay', () => {
  it('doubles from the initial wait with each failure in a row, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => restartDelay(n, BACKOFF))).toEqual([20, 40, 80, 160, 160, 160]);
  });
});

describe('Supervisor', () => {
  it('starts a killed part again, logs it and reports it down meanwhile', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor([{ name: 'worker', start: sleeper }], { backoff: BACKOFF, log: (l) => lines.push(l) });
    const downSeen: string[][] = [];
    supervisor.on('change', () => downSeen.push(supervisor.down()));
    await supervisor.startAll();
    const first = supervisor.child('worker')!;
    expect(supervisor.states()).toEqual({ worker: 'up' });
    try {
      first.kill('SIGKILL');
      await eventually(() => {
        expect(supervisor.child('worker')?.pid).not.toBe(first.pid);
        expect(supervisor.states().worker).toBe('up');
      });
      expect(supervisor.child('worker')!.pid).toBeDefined();
      expect(downSeen).toContainEqual(['worker']);
      expect(lines[0]).toMatch(/Workern stoppade \(signal SIGKILL\); startar om om 0,02 s \(försök 1\)/);
      expect(lines[1]).toMatch(/Workern körs igen/);
    } finally {
      await supervisor.stopAll();
    }
    expect(supervisor.states()).toEqual({ worker: 'stopped' });
  });

  it('waits longer after each death in a row, and starts over after the part ran stably', async () => {
    let now = 0;
    let starts = 0;
    const planned: RestartPlanned[] = [];
    // Up at the first start, then three quick deaths, then it stays up.
    const start = () => (++starts >= 2 && starts <= 4 ? crasher() : sleeper());
    const supervisor = new Supervisor([{ name: 'database', start }], { backoff: BACKOFF, log: () => {}, now: () => now });
    supervisor.on('restartPlanned', (p) => planned.push(p));
    await supervisor.startAll();
    try {
      supervisor.child('database')!.kill('SIGKILL');
      await eventually(() => expect(starts).toBe(5));
      await eventually(() => expect(supervisor.states().database).toBe('up'));
      expect(planned.map((p) => [p.attempt, p.delayMs])).toEqual([
        [1, 20],
        [2, 40],
        [3, 80],
        [4, 160],
      ]);
      expect(planned.slice(1).map((p) => p.reason)).toEqual(['exit 3', 'exit 3', 'exit 3']);

      // Up for longer than stableMs: its next death is a first failure again.
      now += BACKOFF.stableMs;
      supervisor.child('database')!.kill('SIGKILL');
      await eventually(() => expect(planned).toHaveLength(5));
      expect(planned[4]).toMatchObject({ attempt: 1, delayMs: 20 });
    } finally {
      await supervisor.stopAll();
    }
  });

  it('keeps trying when a restart itself fails, and restarts nothing once stopped', async () => {
    let refuse = 2;
    const planned: RestartPlanned[] = [];
    const start = async () => {
      if (starts++ > 0 && refuse-- > 0) throw new Error('port taken');
      return sleeper();
    };
    let starts = 0;
    const supervisor = new Supervisor([{ name: 'temporal', start }], { backoff: BACKOFF, log: () => {} });
    supervisor.on('restartPlanned', (p) => planned.push(p));
    await supervisor.startAll();
    const first = supervisor.child('temporal')!;
    first.kill('SIGKILL');
    await eventually(() => {
      expect(supervisor.child('temporal')?.pid).not.toBe(first.pid);
      expect(supervisor.states().temporal).toBe('up');
    });
    expect(planned.map((p) => p.reason)).toEqual(['signal SIGKILL', 'start misslyckades: port taken', 'start misslyckades: port taken']);
    const last = supervisor.child('temporal')!;
    await supervisor.stopAll();
    expect(last.signalCode ?? last.exitCode).not.toBeNull();
    expect(supervisor.child('temporal')).toBeNull();
    expect(planned).toHaveLength(3);
  });
});
