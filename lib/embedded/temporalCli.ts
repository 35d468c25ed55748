// Which Temporal CLI runs the embedded dev server (issue 15 point 6), in this order:
//   1. TEMPORAL_CLI;
//   2. `temporal` on the PATH (Homebrew, the install script);
//   3. the CLI the Temporal SDK's test server downloads (@temporalio/testing), where
//      temporal.download answers: a quick probe first, so an offline machine moves on at once;
//   4. a Go build into .temporal/bin (an earlier build is used as it is).
// A candidate counts once `<cli> --version` succeeds. `npm start` says which one it uses, and
// where none works, says in one line what to install.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export type CliSource = 'TEMPORAL_CLI' | 'PATH' | 'sdk-download' | 'go-build';

export interface FoundCli {
  path: string;
  source: CliSource;
}

export interface DiscoveryOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the Go build goes and the SDK's download is kept (default ./.temporal). */
  toolDir?: string;
  /** The address probed before the SDK is asked to download (default https://temporal.download). */
  downloadProbeUrl?: string;
  probeTimeoutMs?: number;
  /** Downloads the CLI into the directory (default: through the SDK's test server). */
  sdkDownload?: (dir: string) => Promise<void>;
  log?: (line: string) => void;
}

export const SOURCE_LABEL: Record<CliSource, string> = {
  TEMPORAL_CLI: 'TEMPORAL_CLI',
  PATH: 'PATH',
  'sdk-download': 'nedladdad av Temporal-SDK:ns testserver',
  'go-build': 'byggd med Go',
};

export const NO_CLI_MESSAGE =
  'Ingen Temporal CLI hittades: installera den (brew install temporal, eller curl -sSf https://temporal.download/cli.sh | sh) ' +
  `eller Go (så bygger npm start ${TEMPORAL_CLI_VERSION}), eller peka ut den med TEMPORAL_CLI.`;

export async function discoverTemporalCli(options: DiscoveryOptions = {}): Promise<FoundCli> {
  const env = options.env ?? process.env;
  const toolDir = resolve(options.toolDir ?? '.temporal');
  const log = options.log ?? ((line: string) => console.log(line));
  const steps: { source: CliSource; locate: () => Promise<string | null> }[] = [
    { source: 'TEMPORAL_CLI', locate: async () => (env.TEMPORAL_CLI ? resolve(env.TEMPORAL_CLI) : null) },
    { source: 'PATH', locate: async () => onPath('temporal', env.PATH ?? '') },
    { source: 'sdk-download', locate: () => sdkDownloaded(toolDir, options, log) },
    { source: 'go-build', locate: () => goBuild(toolDir, env, log) },
  ];
  for (const step of steps) {
    const path = await step.locate().catch((err: Error) => {
      log(`Temporal CLI (${SOURCE_LABEL[step.source]}): ${err.message.split('\n')[0]}`);
      return null;
    });
    if (!path) continue;
    if (await works(path, env)) {
      log(`Temporal CLI: ${path} (${SOURCE_LABEL[step.source]})`);
      return { path, source: step.source };
    }
    log(`Temporal CLI (${SOURCE_LABEL[step.source]}): ${path} går inte att köra; provar nästa`);
  }
  throw new Error(NO_CLI_MESSAGE);
}

function onPath(name: string, pathVar: string): string | null {
  for (const dir of pathVar.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function works(path: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((ok) => {
    execFile(path, ['--version'], { env, timeout: 15_000 }, (err) => ok(!err));
  });
}

/** The SDK keeps its download in .temporal/sdk-download; a kept one is used without asking the network. */
async function sdkDownloaded(toolDir: string, options: DiscoveryOptions, log: (line: string) => void): Promise<string | null> {
  const dir = join(toolDir, 'sdk-download');
  const kept = executableIn(dir);
  if (kept) return kept;
  const probeUrl = options.downloadProbeUrl ?? 'https://temporal.download';
  const reachable = await fetch(probeUrl, { method: 'HEAD', signal: AbortSignal.timeout(options.probeTimeoutMs ?? 3_000) }).then(
    () => true,
    () => false,
  );
  if (!reachable) {
    log(`Temporal CLI: ${new URL(probeUrl).hostname} går inte att nå, så SDK:ns nedladdning hoppas över`);
    return null;
  }
  mkdirSync(dir, { recursive: true });
  log('Temporal CLI: laddar ned den via Temporal-SDK:ns testserver …');
  await (options.sdkDownload ?? downloadWithSdk)(dir);
  return executableIn(dir);
}

function executableIn(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const found = readdirSync(dir)
    .filter((name) => name.startsWith('temporal'))
    .map((name) => join(dir, name))
    .find(isExecutable);
  return found ?? null;
}

/** The SDK downloads the CLI when it starts a local test server; the server is stopped at once. */
async function downloadWithSdk(dir: string): Promise<void> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir: dir } } });
  await env.teardown();
}

async function goBuild(toolDir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string | null> {
  const bin = join(toolDir, 'bin');
  const cli = join(bin, 'temporal');
  if (isExecutable(cli)) return cli;
  const go = onPath('go', env.PATH ?? '');
  if (!go) return null;
  log(`Temporal CLI saknas: bygger ${TEMPORAL_CLI_VERSION} med Go (första gången tar det några minuter) …`);
  mkdirSync(bin, { recursive: true });
  await new Promise<void>((ok, fail) => {
    const child = spawn(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], { env: { ...env, GOBIN: bin }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`go install avslutades med ${code}`))));
  });
  return cli;
}
