// npm run build: the production build in dist/. The web server and the worker are compiled from
// TypeScript to JavaScript (esbuild; our own code bundled per entry, packages left to node_modules),
// and the workflow code is bundled once for the workers (Temporal's bundler), so `npm run web` and
// `npm run worker` start plain Node with nothing to transpile or bundle. Views, assets and
// translations are read from the project tree (lib/projectRoot.ts), so nothing is copied.
// Type checking is `npm run typecheck` (CI runs it); this step only emits.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleWorkflowCode } from '@temporalio/worker';
import { fromRoot } from '../lib/projectRoot';

const OUT = fromRoot('dist');

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await build({
    absWorkingDir: fromRoot(),
    entryPoints: { 'web/server': 'web/server.ts', worker: 'worker.ts' },
    outdir: OUT,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  const { code } = await bundleWorkflowCode({ workflowsPath: fromRoot('workflows', 'index.ts'), logger: quietLogger });
  writeFileSync(fromRoot('dist', 'workflow-bundle.js'), code);
  console.log(`Byggt / built in ${((Date.now() - started) / 1000).toFixed(1)} s: dist/web/server.js, dist/worker.js, dist/workflow-bundle.js`);
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };

main().catch((err) => {
  console.error('Bygget misslyckades / build failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
