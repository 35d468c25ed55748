// Which Temporal CLI `npm start` runs (issue 15 point 6): TEMPORAL_CLI, then `temporal` on the PATH,
// then the SDK's download (skipped at once when its server cannot be reached), then the Go build;
// a candidate that does not run is passed over; with none, one line says what to install.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverTemporalCli, NO_CLI_MESSAGE, type DiscoveryOptions } from './temporalCli';

let root: string;
let closedUrl: string;

/** An executable script: `--version` succeeds (or fails, for a broken install). */
function cli(dir: string, name = 'temporal', works = true): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${works ? 'echo "temporal version 1.5.1"' : 'exit 1'}\n`);
  chmodSync(path, 0o755);
  return path;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'komet-cli-'));
  // A port nothing listens on: the download probe fails at once, as offline.
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  closedUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise((ok) => probe.close(ok));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function setup(name: string) {
  const dir = join(root, name);
  const lines: string[] = [];
  const downloads: string[] = [];
  const options = (env: NodeJS.ProcessEnv, extra: Partial<DiscoveryOptions> = {}): DiscoveryOptions => ({
    env: { PATH: join(dir, 'empty'), ...env },
    toolDir: join(dir, '.temporal'),
    downloadProbeUrl: closedUrl,
    sdkDownload: async (into) => void downloads.push(into),
    log: (l) => lines.push(l),
    ...extra,
  });
  return { dir, lines, downloads, options };
}

describe('discoverTemporalCli', () => {
  it('takes TEMPORAL_CLI first, even with another on the PATH and a Go build', async () => {
    const { dir, lines, options } = setup('env-first');
    const chosen = cli(join(dir, 'chosen'));
    cli(join(dir, 'bin'));
    cli(join(dir, '.temporal/bin'));
    expect(await discoverTemporalCli(options({ TEMPORAL_CLI: chosen, PATH: join(dir, 'bin') }))).toEqual({ path: chosen, source: 'TEMPORAL_CLI' });
    expect(lines.at(-1)).toBe(`Temporal CLI: ${chosen} (TEMPORAL_CLI)`);
  });

  it('passes over a TEMPORAL_CLI that does not run and takes `temporal` on the PATH', async () => {
    const { dir, lines, options } = setup('path-second');
    const broken = cli(join(dir, 'broken'), 'temporal', false);
    const onPath = cli(join(dir, 'bin'));
    cli(join(dir, '.temporal/bin'));
    expect(await discoverTemporalCli(options({ TEMPORAL_CLI: broken, PATH: `${join(dir, 'nothing')}:${join(dir, 'bin')}` }))).toEqual({ path: onPath, source: 'PATH' });
    expect(lines).toContain(`Temporal CLI (TEMPORAL_CLI): ${broken} går inte att köra; provar nästa`);
  });

  it('uses a CLI the SDK downloaded earlier before the Go build, without asking the network', async () => {
    const { dir, downloads, options } = setup('sdk-kept');
    const kept = cli(join(dir, '.temporal/sdk-download'), 'temporal-sdk-typescript-1.24.0');
    cli(join(dir, '.temporal/bin'));
    expect(await discoverTemporalCli(options({}))).toEqual({ path: kept, source: 'sdk-download' });
    expect(downloads).toEqual([]);
  });

  it('asks the SDK to download where its server answers, and uses what it downloaded', async () => {
    const { dir, options } = setup('sdk-download');
    const server = createHttpServer((_, res) => res.end());
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const reachable = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const found = await discoverTemporalCli(
        options({}, { downloadProbeUrl: reachable, sdkDownload: async (into) => void cli(into, 'temporal-cli-downloaded') }),
      );
      expect(found).toEqual({ path: join(dir, '.temporal/sdk-download/temporal-cli-downloaded'), source: 'sdk-download' });
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
  });

  it('offline, moves past the download at once and takes the Go build', async () => {
    const { dir, lines, downloads, options } = setup('go-build');
    const built = cli(join(dir, '.temporal/bin'));
    expect(await discoverTemporalCli(options({}))).toEqual({ path: built, source: 'go-build' });
    expect(downloads).toEqual([]);
    expect(lines).toContain('Temporal CLI: 127.0.0.1 går inte att nå, så SDK:ns nedladdning hoppas över');
  });

  it('with none and no Go, says in one line what to install', async () => {
    const { options } = setup('none');
    const err = await discoverTemporalCli(options({})).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(NO_CLI_MESSAGE);
    expect(NO_CLI_MESSAGE).not.toContain('\n');
    expect(NO_CLI_MESSAGE).toMatch(/installera/);
  });
});
