// What this process last heard from the embedded launcher about its parts (web/health/supervised.ts
// keeps it current). Commands read it to fail fast: an update or query cannot be answered while
// the worker or the Temporal server is being restarted, so the page says "try again" at once
// instead of waiting out the full command deadline. Empty (nothing known) outside the launcher.
import type { PartName, PartState } from './supervisor';

let known: Partial<Record<PartName, PartState>> = {};

export function setKnownPartStates(states: Partial<Record<PartName, PartState>>): void {
  known = states;
}

export function knownPartStates(): Partial<Record<PartName, PartState>> {
  return known;
}

/** The launcher says this part is not running now. */
export function knownDown(part: PartName): boolean {
  return known[part] !== undefined && known[part] !== 'up';
}
