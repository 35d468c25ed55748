// One step of the model-based test: run a command as its user does, and when the system refuses
// it, prove that the refusal changed nothing; after every step the invariants must hold.
import type { AsyncCommand } from 'fast-check';
import { expect } from 'vitest';
import { settled, snapshot } from '../invariants';
import type { Model, World } from '../world';

/** How the system answered: it did the thing, it refused (and must have changed nothing), or either (no promise). */
export type Outcome = 'done' | 'refused' | 'unknown';

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
      if (outcome === 'refused') expect(await snapshot(w, m), `${this} was refused and must change nothing`).toEqual(before);
    } catch (err) {
      // Which step broke what: the sequence alone does not say.
      if (err instanceof Error) err.message = `after ${this} (${outcome}): ${err.message}`;
      throw err;
    } finally {
      if (process.env.MODEL_VERBOSE) console.log(`[model]   ${this} → ${outcome} (${Date.now() - started} ms)`);
    }
  }
}

export const locationOf = (res: Response) => res.headers.get('location') ?? '';

/** A page answered with a refusal or an error status; a 500 is never an answer. */
export function refusedBy(res: Response, refusalStatuses: number[]): boolean {
  if (res.status >= 500) throw new Error(`answered ${res.status}`);
  return refusalStatuses.includes(res.status);
}
