// Where the embedded PostgreSQL's Unix socket lives, and the URL that reaches it. Every process on
// the machine talks to the embedded server through the socket: a query over TCP loopback cost the
// web server about 70 µs of CPU more in its write call alone (bench: a third of "Mina ärenden").
// The server listens on 127.0.0.1 as well, for psql and the bench's own connections.
import { resolve } from 'node:path';

/** Linux's limit on a socket's path (sun_path), less its terminating NUL. */
const MAX_SOCKET_PATH = 107;

/** The cluster's own directory (owned by the server's user), or null when its path is too long for a socket. */
export function embeddedSocketDir(dataDir: string, port: number): string | null {
  const dir = resolve(dataDir, 'postgres');
  return `${dir}/.s.PGSQL.${port}`.length <= MAX_SOCKET_PATH ? dir : null;
}

export function embeddedDatabaseUrl(dataDir: string, port: number): string {
  const socketDir = embeddedSocketDir(dataDir, port);
  return socketDir
    ? `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}&port=${port}`
    : `postgresql://postgres@127.0.0.1:${port}/postgres`;
}
