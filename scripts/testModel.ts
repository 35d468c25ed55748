// Runs the model-based test of the case process (test/model/caseProcess.model.test.ts) with more
// runs, longer sequences, or the seed of a failure to replay it:
//   npm run test:model -- --runs 20 --steps 30 --seed 12345 [--verbose] [--shrink]
// The options reach the test file as MODEL_RUNS, MODEL_STEPS, MODEL_SEED, MODEL_VERBOSE, MODEL_SHRINK.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    steps: { type: 'string' },
    seed: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    shrink: { type: 'boolean', default: false },
  },
});
for (const [name, value] of Object.entries({ runs: values.runs, steps: values.steps, seed: values.seed })) {
  if (value !== undefined && !/^-?\d+$/.test(value)) {
    console.error(`--${name} takes a whole number, not "${value}"`);
    process.exit(2);
  }
}
const seed = values.seed ?? String((Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0);
console.log(`[model] ${values.runs} runs, seed ${seed}${values.steps ? `, up to ${values.steps} steps` : ''}`);
const env = {
  ...process.env,
  MODEL_RUNS: values.runs,
  MODEL_SEED: seed,
  ...(values.steps ? { MODEL_STEPS: values.steps } : {}),
  ...(values.verbose ? { MODEL_VERBOSE: '1' } : {}),
  ...(values.shrink ? { MODEL_SHRINK: '1' } : {}),
};
const run = spawnSync('npx', ['vitest', 'run', 'test/model/caseProcess.model.test.ts'], { env, stdio: 'inherit' });
if (run.status !== 0) console.error(`[model] failed: replay with npm run test:model -- --runs ${values.runs} --seed ${seed}${values.steps ? ` --steps ${values.steps}` : ''}`);
process.exit(run.status ?? 1);
