// The real Temporal dev server (the CLI built by `go install`, see .ci/run), one per test file.
import { resolve } from 'node:path';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';

export const TEMPORAL_CLI = resolve(process.env.TEMPORAL_CLI ?? '.temporal/bin/temporal');

export async function startTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: TEMPORAL_CLI },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
    },
  });
}

/** The workflow bundle built once in globalSetup, so each worker starts in milliseconds. */
export function workflowBundle(): { codePath: string } {
  return { codePath: inject('workflowBundlePath') };
}
