// The embedded launcher's supervision (issue 14 point 10): every part it starts (database,
// Temporal server, worker, web server) is a child process; one that dies is logged and started
// again after a backoff that grows while it keeps failing, and resets once it has run a while.
// Listeners hear every change of state, so the web server can say what is down meanwhile.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

export type PartName = 'database' | 'temporal' | 'worker' | 'web';
/** starting: first start or a restart under way; down: died, waiting for its restart. */
export type PartState = 'starting' | 'up' | 'down' | 'stopped';

export interface Backoff {
  initialMs: number;
  factor: number;
  maxMs: number;
  /** A part that ran this long before it died starts again after initialMs. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, factor: 2, maxMs: 15_000, stableMs: 30_000 };

/** The wait before a restart, after `failuresInRow` deaths or failed starts in a row (≥ 1). */
export function restartDelay(failuresInRow: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, failuresInRow - 1));
}

export interface Part {
  name: PartName;
  /** Starts the process and resolves once it is ready; on failure it leaves no process behind. */
  start(): Promise<ChildProcess>;
  /** Graceful stop (defaults to SIGTERM, SIGKILL after 10 s). */
  stop?(child: ChildProcess): Promise<void>;
}

export interface SupervisorOptions {
  backoff?: Backoff;
  log?: (line: string) => void;
  now?: () => number;
}

interface Running {
  part: Part;
  state: PartState;
  child: ChildProcess | null;
  upSince: number;
  failuresInRow: number;
  timer: NodeJS.Timeout | null;
}

export interface RestartPlanned {
  part: PartName;
  attempt: number;
  delayMs: number;
  reason: string;
}

export class Supervisor extends EventEmitter<{ change: [Record<PartName, PartState>]; restartPlanned: [RestartPlanned]; restarted: [PartName] }> {
  private readonly parts = new Map<PartName, Running>();
  private readonly backoff: Backoff;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private stopping = false;

  constructor(parts: Part[], options: SupervisorOptions = {}) {
    super();
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.log = options.log ?? ((line) => console.log(line));
    this.now = options.now ?? Date.now;
    for (const part of parts) this.parts.set(part.name, { part, state: 'stopped', child: null, upSince: 0, failuresInRow: 0, timer: null });
  }

  /** Starts the parts in order, each once the one before is ready. A first start that fails throws. */
  async startAll(): Promise<void> {
    for (const running of this.parts.values()) {
      if (this.stopping) return;
      this.setState(running, 'starting');
      const child = await running.part.start();
      this.adopt(running, child);
    }
  }

  /** Starts one more part after the others (the launcher's migrations run in between). */
  async startPart(name: PartName): Promise<void> {
    const running = this.get(name);
    this.setState(running, 'starting');
    this.adopt(running, await running.part.start());
  }

  states(): Record<PartName, PartState> {
    return Object.fromEntries([...this.parts].map(([name, r]) => [name, r.state])) as Record<PartName, PartState>;
  }

  /** The parts not running now (dead, or being started again). */
  down(): PartName[] {
    return [...this.parts].filter(([, r]) => r.state === 'down' || (r.state === 'starting' && r.upSince > 0)).map(([name]) => name);
  }

  child(name: PartName): ChildProcess | null {
    return this.get(name).child;
  }

  /** Stops every part, the last started first; no restarts after this. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const running of [...this.parts.values()].reverse()) {
      if (running.timer) clearTimeout(running.timer);
      const child = running.child;
      running.child = null;
      if (child) await (running.part.stop ?? stopProcess)(child).catch(() => {});
      this.setState(running, 'stopped');
    }
  }

  private get(name: PartName): Running {
    const running = this.parts.get(name);
    if (!running) throw new Error(`no part ${name}`);
    return running;
  }

  private adopt(running: Running, child: ChildProcess): void {
    if (this.stopping) {
      void (running.part.stop ?? stopProcess)(child);
      return;
    }
    running.child = child;
    running.upSince = this.now();
    this.setState(running, 'up');
    child.once('exit', (code, signal) => {
      if (running.child !== child || this.stopping) return;
      running.child = null;
      // A part that ran a while before it died is not failing in a row: its backoff starts over.
      running.failuresInRow = this.now() - running.upSince >= this.backoff.stableMs ? 1 : running.failuresInRow + 1;
      this.setState(running, 'down');
      this.planRestart(running, signal ? `signal ${signal}` : `exit ${code}`);
    });
  }

  private planRestart(running: Running, reason: string): void {
    const delayMs = restartDelay(running.failuresInRow, this.backoff);
    const name = running.part.name;
    this.log(`[komet] ${LABEL[name]} stoppade (${reason}); startar om om ${(delayMs / 1000).toLocaleString('sv-SE')} s (försök ${running.failuresInRow})`);
    this.emit('restartPlanned', { part: name, attempt: running.failuresInRow, delayMs, reason });
    running.timer = setTimeout(() => void this.restart(running), delayMs);
  }

  private async restart(running: Running): Promise<void> {
    running.timer = null;
    if (this.stopping) return;
    this.setState(running, 'starting');
    try {
      const child = await running.part.start();
      this.log(`[komet] ${LABEL[running.part.name]} körs igen`);
      this.adopt(running, child);
      this.emit('restarted', running.part.name);
    } catch (err) {
      if (this.stopping) return;
      running.failuresInRow += 1;
      this.setState(running, 'down');
      this.planRestart(running, `start misslyckades: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }

  private setState(running: Running, state: PartState): void {
    if (running.state === state) return;
    running.state = state;
    this.emit('change', this.states());
  }
}

const LABEL: Record<PartName, string> = { database: 'Databasen', temporal: 'Temporal-servern', worker: 'Workern', web: 'Webbservern' };

/** SIGTERM (or the given signal), then SIGKILL if the process has not gone within the grace time. */
export function stopProcess(child: ChildProcess, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    child.kill(signal);
  });
}
