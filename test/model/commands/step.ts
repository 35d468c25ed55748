// One step of the model-based test: run a command as its user does, and when the system refuses
// it, prove that the refusal changed nothing; after every step the invariants must hold.
import type { AsyncCommand } from 'fast-check';
import { settled, snapshot } from '../invariants';
import type { Model, World } from '../world';

/** How the system answered: it did the thing, it refused (and must have changed nothing), or either (no promise). */
export type Outcome = 'done' | 'refused' | 'unknown';

/** How often each kind of step ended how, over the whole test: printed, to see what the runs reached. */
export const tally = new Map<string, Record<string, number>>();

export abstract class Step implements AsyncCommand<Model, World> {
  abstract check(m: Readonly<Model>): boolean;
  abstract toString(): string;
  protected abstract act(m: Model, w: World): Promise<Outcome>;

  async run(m: Model, w: World): Promise<void> {
    const started = Date.now();
    const before = await snapshot(w, m);
    let outcome: Outcome | 'failed' = 'failed';
    try {
      outcome = await this.act(m, w);
      await settled(w, m);
      if (outcome === 'refused') unchanged(before, await snapshot(w, m));
    } catch (err) {
      // Which step broke what: the sequence alone does not say.
      if (err instanceof Error) err.message = `after ${this} (${outcome}): ${err.message}`;
      throw err;
    } finally {
      const counts = tally.get(this.constructor.name) ?? {};
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      tally.set(this.constructor.name, counts);
      if (process.env.MODEL_VERBOSE) console.log(`[model]   ${this} → ${outcome} (${Date.now() - started} ms)`);
    }
  }
}

/** A refused command changed nothing: names the records that did change, before and after. */
function unchanged(before: Record<string, unknown>, after: Record<string, unknown>): void {
  const changed = Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (changed.length) {
    const show = (v: unknown) => JSON.stringify(v).slice(0, 1500);
    throw new Error(`refused, yet changed ${changed.map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`).join('; ')}`);
  }
}

export const locationOf = (res: Response) => res.headers.get('location') ?? '';

/** A page answered with a refusal or an error status; a 500 is never an answer. */
export function refusedBy(res: Response, refusalStatuses: number[]): boolean {
  if (res.status >= 500) throw new Error(`answered ${res.status}`);
  return refusalStatuses.includes(res.status);
}
