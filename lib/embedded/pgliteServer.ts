// Embedded PostgreSQL: PGlite with its data under ./data, served over the PostgreSQL wire protocol
// so Prisma and the CLI reach it like a real server. Runs as a child of the launcher and stops
// when the launcher goes (IPC disconnect), so it is never orphaned.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const [dataDir, portArg] = process.argv.slice(2);
mkdirSync(dataDir, { recursive: true });
// btree_gist: the exclusion constraint that keeps a room to one session at a time needs it
// (migration 20261207170000_room_bookings_exclusive); PGlite loads contrib extensions only when asked.
const db = await PGlite.create(dataDir, { extensions: { btree_gist } });
const server = new PGLiteSocketServer({ db, port: Number(portArg), host: '127.0.0.1', maxConnections: 20 });
await server.start();
process.send?.('ready');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('disconnect', stop);
