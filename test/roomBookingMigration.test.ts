// The upgrade that makes the database refuse double bookings (issue 13, R8.7) on a database that
// already holds some: in each room the session that starts first keeps it, a later overlapping one
// loses its room (recorded in room_release), nothing else changes, and the constraint then holds.
// The migrations are applied as Prisma's runner does (adapter-pg cuts the script at every semicolon).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, databaseUrl } from './support/database';

const MIGRATIONS = new URL('../prisma/migrations/', import.meta.url);
const ROOMS = '20261207170000_room_bookings_exclusive';

const name = `komet_m_${randomBytes(6).toString('hex')}`;
let client: pg.Client;

/** As @prisma/adapter-pg's executeScript: one statement per semicolon. */
async function applyLikePrisma(migration: string) {
  const script = readFileSync(new URL(`${migration}/migration.sql`, MIGRATIONS), 'utf8');
  for (const statement of script.split(';').map((s) => s.trim()).filter(Boolean)) await client.query(statement);
}

beforeAll(async () => {
  await adminQuery(`CREATE DATABASE ${name}`);
  client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  const before = readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name < ROOMS)
    .map((d) => d.name)
    .sort();
  for (const migration of before) await applyLikePrisma(migration);
});
afterAll(async () => {
  await client?.end();
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

// Ids chosen so that an equal start is decided by the id, as the migration says.
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (hhmm: string) => `2027-01-12 ${hhmm}:00`; // UTC, as Prisma stores it

describe('resolving stored double bookings before the constraint', () => {
  it('keeps the room for the session that starts first, frees the later overlapping ones, records them, and then refuses a clash', async () => {
    await client.query(`INSERT INTO district (id, slug, name, latitude, longitude) VALUES ('${id(1)}', 'sodermalm', 'Södermalm', 59.3, 18.07)`);
    await client.query(`INSERT INTO room (id, district_id, name, address) VALUES
      ('${id(11)}', '${id(1)}', 'Familjecentralen Södermalm', 'Götgatan 1'),
      ('${id(12)}', '${id(1)}', 'Stora salen', 'Götgatan 1'),
      ('${id(13)}', NULL, 'Externa rummet', 'Ringvägen 1')`);
    await client.query(`INSERT INTO course (id, kind, title, district_id, capacity, status) VALUES
      ('${id(21)}', 'groupCourse', 'Komet tisdag', '${id(1)}', 10, 'open'),
      ('${id(22)}', 'groupCourse', 'Komet på engelska', '${id(1)}', 10, 'open')`);
    const sessions: [number, string, string, number | null][] = [
      // Familjecentralen: the trial's clash (17:30–20:00 held, 18:00–20:00 moved in), then back to back.
      [31, '16:30', '19:00', 11],
      [32, '17:00', '19:00', 11], // overlaps 31: freed
      [33, '19:00', '20:00', 11], // back to back with 31, overlaps only 32: kept once 32 is freed
      [34, '19:00', '19:30', 11], // same start as 33, higher id: freed
      // Stora salen: a chain, where freeing the middle one leaves the last one its room.
      [41, '08:00', '10:00', 12],
      [42, '09:00', '11:00', 12], // freed
      [43, '10:30', '12:00', 12], // overlaps only 42: kept
      [44, '08:30', '09:00', 12], // inside 41: freed
      // No clash at all, and sessions without a room, which never clash.
      [51, '08:00', '20:00', 13],
      [52, '08:00', '20:00', null],
      [53, '08:00', '20:00', null],
    ];
    for (const [n, from, to, room] of sessions) {
      await client.query('INSERT INTO course_session (id, course_id, starts_at, ends_at, room_id) VALUES ($1, $2, $3, $4, $5)', [
        id(n),
        id(n % 2 ? 21 : 22),
        at(from),
        at(to),
        room ? id(room) : null,
      ]);
    }

    await applyLikePrisma(ROOMS);

    const released = await client.query<{ session_id: string; room_id: string; held_by_id: string }>(
      'SELECT session_id, room_id, held_by_id FROM room_release ORDER BY session_id',
    );
    expect(released.rows).toEqual([
      { session_id: id(32), room_id: id(11), held_by_id: id(31) },
      { session_id: id(34), room_id: id(11), held_by_id: id(33) },
      { session_id: id(42), room_id: id(12), held_by_id: id(41) },
      { session_id: id(44), room_id: id(12), held_by_id: id(41) },
    ]);
    const rooms = await client.query<{ id: string; room_id: string | null; starts_at: string }>('SELECT id, room_id, starts_at::text FROM course_session ORDER BY id');
    const roomOf = Object.fromEntries(rooms.rows.map((r) => [r.id, r.room_id]));
    expect(roomOf).toEqual({
      [id(31)]: id(11),
      [id(32)]: null,
      [id(33)]: id(11),
      [id(34)]: null,
      [id(41)]: id(12),
      [id(42)]: null,
      [id(43)]: id(12),
      [id(44)]: null,
      [id(51)]: id(13),
      [id(52)]: null,
      [id(53)]: null,
    });
    // Only rooms changed: every time is as it was.
    expect(rooms.rows.find((r) => r.id === id(32))!.starts_at).toBe(at('17:00'));

    // From now on the database refuses a clash itself, and keeps back to back.
    const clash = await client.query(`UPDATE course_session SET room_id = '${id(11)}' WHERE id = '${id(32)}'`).catch((err: { code?: string }) => err);
    expect(clash).toMatchObject({ code: '23P01' });
    await client.query(`UPDATE course_session SET room_id = '${id(11)}', starts_at = '${at('20:00')}', ends_at = '${at('21:00')}' WHERE id = '${id(32)}'`);
  });
});
