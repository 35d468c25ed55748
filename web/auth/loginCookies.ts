// The two short-lived login cookies, sealed (lib/auth/sealed): the OpenID transaction between the
// start of a login and the provider's answer, and an e-ID identity waiting for its e-mail address.
// Bound to this browser; SameSite=Lax still sends them on the provider's top-level redirect back.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { seal, unseal } from '../../lib/auth/sealed';
import { TRANSACTION_TTL_MS, type OidcTransaction } from '../../lib/auth/oidc';
import type { AppEnv } from '../context';

/** A citizen whose e-legitimation Komet has checked, but who has no account with that number yet. */
export interface PendingEid {
  personnummer: string;
  name: string | null;
  idToken: string;
  next: string;
}

export const PENDING_EID_TTL_MS = 20 * 60 * 1000;

const NAMES = { transaction: 'komet_oidc', pendingEid: 'komet_eid' } as const;
type Kind = keyof typeof NAMES;

const nameOf = (c: Context<AppEnv>, kind: Kind) => (c.get('deps').config.secureCookies ? `__Host-${NAMES[kind]}` : NAMES[kind]);

function put(c: Context<AppEnv>, kind: Kind, value: unknown, ttlMs: number): void {
  const { config } = c.get('deps');
  setCookie(c, nameOf(c, kind), seal(config.sessionSecret, kind, value, ttlMs), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.secureCookies,
    maxAge: Math.floor(ttlMs / 1000),
  });
}

function read<T>(c: Context<AppEnv>, kind: Kind): T | null {
  return unseal<T>(c.get('deps').config.sessionSecret, kind, getCookie(c, nameOf(c, kind)));
}

function drop(c: Context<AppEnv>, kind: Kind): void {
  if (getCookie(c, nameOf(c, kind)) !== undefined) deleteCookie(c, nameOf(c, kind), { path: '/', secure: c.get('deps').config.secureCookies });
}

export const keepTransaction = (c: Context<AppEnv>, tx: OidcTransaction) => put(c, 'transaction', tx, TRANSACTION_TTL_MS);
/** The transaction, used once: it is gone whatever the answer, so a replayed return finds none. */
export function takeTransaction(c: Context<AppEnv>): OidcTransaction | null {
  const tx = read<OidcTransaction>(c, 'transaction');
  drop(c, 'transaction');
  return tx;
}

export const keepPendingEid = (c: Context<AppEnv>, pending: PendingEid) => put(c, 'pendingEid', pending, PENDING_EID_TTL_MS);
export const readPendingEid = (c: Context<AppEnv>) => read<PendingEid>(c, 'pendingEid');
export const dropPendingEid = (c: Context<AppEnv>) => drop(c, 'pendingEid');
