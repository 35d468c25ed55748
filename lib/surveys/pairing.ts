// Pre/post pairing without identity (R4.3, R4.4): after the pre-measurement the parent gets a random
// code to write down, and gives it again with the post-measurement. The code lives on the two
// responses only, so the answers pair up while no one can tell whose they are.
import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: easy to copy from paper. */
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_LENGTH = 8;

export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_LENGTH; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

/** "K7F4-29QM": grouped to read and write. */
export function formatPairingCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export type PairingInput = { ok: true; code: string | null } | { ok: false };

/** What the parent typed: any case, spaces or dashes; empty is fine (the answer just won't pair). */
export function parsePairingCode(raw: unknown): PairingInput {
  if (raw === undefined || raw === null) return { ok: true, code: null };
  if (typeof raw !== 'string') return { ok: false };
  const code = raw.toUpperCase().replace(/[\s-]/g, '');
  if (!code) return { ok: true, code: null };
  const valid = code.length === PAIRING_LENGTH && [...code].every((ch) => PAIRING_ALPHABET.includes(ch));
  return valid ? { ok: true, code } : { ok: false };
}
