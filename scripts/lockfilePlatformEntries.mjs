// The npm registry reachable here has no tarballs for some of @swc/core's optional platform builds
// (darwin, win32, rare linux), so npm cannot record them and `npm ci` then rejects the lock file.
// This adds them as optional, platform-only entries, which `npm ci` skips on Linux without fetching.
// Run after any `npm install` that rewrites package-lock.json: `node scripts/lockfilePlatformEntries.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const core = lock.packages['node_modules/@swc/core'];
const platforms = {
  'darwin-arm64': ['darwin', 'arm64'],
  'darwin-x64': ['darwin', 'x64'],
  'linux-arm-gnueabihf': ['linux', 'arm'],
  'linux-arm64-gnu': ['linux', 'arm64'],
  'linux-arm64-musl': ['linux', 'arm64'],
  'linux-ppc64-gnu': ['linux', 'ppc64'],
  'linux-s390x-gnu': ['linux', 's390x'],
  'linux-x64-gnu': ['linux', 'x64'],
  'linux-x64-musl': ['linux', 'x64'],
  'win32-arm64-msvc': ['win32', 'arm64'],
  'win32-ia32-msvc': ['win32', 'ia32'],
  'win32-x64-msvc': ['win32', 'x64'],
};
let added = 0;
for (const [name, version] of Object.entries(core.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const [os, cpu] = platforms[name.replace('@swc/core-', '')] ?? [];
  if (!os || (os === process.platform && cpu === process.arch)) throw new Error(`${name} is missing from the lock and is needed on this platform`);
  lock.packages[key] = { version, cpu: [cpu], license: 'Apache-2.0 AND MIT', optional: true, os: [os], engines: { node: '>=10' } };
  added++;
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform-only entries added`);
