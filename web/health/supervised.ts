// The web server under the embedded launcher (KOMET_SUPERVISED=1): the launcher hands it the
// listening socket (so the port never goes unanswered: while this process is down the launcher
// answers it) and tells it which parts are up. While the database is down or restarting, every
// page answers the friendly 503 at once instead of waiting for a connection that cannot come.
import type { MiddlewareHandler } from 'hono';
import type { Server } from 'node:net';
import type { PartName, PartState } from '../../lib/embedded/supervisor';
import { knownPartStates, setKnownPartStates } from '../../lib/embedded/partStates';
import type { AppEnv } from '../context';
import { ServiceRestarting } from '../errors';

export type PartStates = Partial<Record<PartName, PartState>>;
/** The launcher's latest word on its parts; null when not supervised. */
export type SupervisedStates = () => PartStates | null;

/** Launcher → web messages. */
export type LauncherMessage = { type: 'parts'; states: PartStates } | { type: 'listen' };

/** Parts without which no page can be served. */
const ESSENTIAL: PartName[] = ['database'];

export function restartGate(supervised: SupervisedStates): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const states = supervised();
    const down = states && ESSENTIAL.find((part) => states[part] !== undefined && states[part] !== 'up');
    if (down && c.req.path !== '/health' && !c.req.path.startsWith('/assets/')) throw new ServiceRestarting(down);
    await next();
  };
}

/**
 * Follows the launcher's messages: part states (kept in lib/embedded/partStates.ts, where the
 * commands read them too), and the listening socket to serve on, passed to `onListen`.
 */
export function followLauncher(onListen: (handle: Server) => void): SupervisedStates {
  process.on('message', (message: LauncherMessage, handle?: unknown) => {
    if (message?.type === 'parts') setKnownPartStates(message.states);
    if (message?.type === 'listen' && handle) onListen(handle as Server);
  });
  return knownPartStates;
}
