// Applies the Prisma migrations that are not yet in the database (`prisma migrate deploy`): the
// schema engine runs as WebAssembly through prisma.config.ts, so nothing is downloaded. Applied
// migrations are skipped, which is what makes a second run change nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fromRoot } from '../projectRoot';

const run = promisify(execFile);

/** What was done, in one line: nothing pending, or the migrations applied now. */
export async function applyMigrations(databaseUrl: string): Promise<string> {
  try {
    const { stdout } = await run(fromRoot('node_modules', '.bin', 'prisma'), ['migrate', 'deploy'], {
      cwd: fromRoot(),
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    if (/No pending migrations/.test(stdout)) return 'No pending migrations to apply.';
    const applied = stdout.split('\n').filter((l) => l.includes('└─ ')).map((l) => l.split('└─ ')[1].replace(/\/$/, '').trim())
      .filter((name) => /^\d+_/.test(name)); // the folders, not their migration.sql
    return `${applied.length} migration(s) applied: ${applied.join(', ')}`;
  } catch (err) {
    // Prisma's output names the failing migration; the URL (which may hold a password) is not in it.
    const out = (err as { stdout?: string; stderr?: string }).stderr || (err as { stdout?: string }).stdout || '';
    throw new Error(`prisma migrate deploy failed:\n${out.trim()}`);
  }
}
