// npm run build: the production build in dist/. The web server and the worker are compiled from
// TypeScript to JavaScript (esbuild; our own code bundled per entry, packages left to node_modules),
// and the workflow code is bundled once for the workers (Temporal's bundler), so `npm run web` and
// `npm run worker` start plain Node with nothing to transpile or bundle. Views, assets and
// translations are read from the project tree (lib/projectRoot.ts), so nothing is copied.
// Type checking is `npm run typecheck` (CI runs it); this step only emits.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
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
    plugins: [fileSubpathsWithExtension],
    logLevel: 'warning',
  });
  const { code } = await bundleWorkflowCode({ workflowsPath: fromRoot('workflows', 'index.ts'), logger: quietLogger });
  writeFileSync(fromRoot('dist', 'workflow-bundle.js'), code);
  console.log(`Byggt / built in ${((Date.now() - started) / 1000).toFixed(1)} s: dist/web/server.js, dist/worker.js, dist/workflow-bundle.js`);
}

/**
 * Packages stay in node_modules, imported at run time by Node's ESM loader, which (unlike tsx and
 * bundlers) wants the file's extension on a deep import of a package without an exports map
 * (`@temporalio/common/lib/proto-utils`). Such imports get the extension of the file they name.
 */
const fileSubpathsWithExtension: Plugin = {
  name: 'file-subpaths-with-extension',
  setup(b) {
    b.onResolve({ filter: /^(@[^/]+\/[^/]+|[^@./][^/:]*)\/.+/ }, (args) => {
      if (/\.(c|m)?js$|\.json$/.test(args.path)) return undefined;
      let file: string;
      try {
        file = createRequire(join(args.resolveDir, 'index.js')).resolve(args.path);
      } catch {
        return undefined;
      }
      const name = /^(@[^/]+\/)?[^/]+/.exec(args.path)![0];
      const subpath = args.path.slice(name.length);
      const at = file.lastIndexOf(`/node_modules/${name}/`);
      if (at < 0) return undefined; // a Node built-in (node:fs/promises)
      const manifest = join(file.slice(0, at), 'node_modules', name, 'package.json');
      if (JSON.parse(readFileSync(manifest, 'utf8')).exports) return undefined; // its exports map resolves it (hono/cookie)
      if (file.endsWith(`${subpath}.js`)) return { path: `${args.path}.js`, external: true };
      if (file.endsWith(`${subpath}/index.js`)) return { path: `${args.path}/index.js`, external: true };
      return undefined;
    });
  },
};

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };

main().catch((err) => {
  console.error('Bygget misslyckades / build failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
