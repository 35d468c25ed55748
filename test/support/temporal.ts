// The real Temporal dev server (the CLI built by `go install`, see .ci/run), one per test file.
import { resolve } from 'node:path';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';

export const TEMPORAL_CLI = resolve(process.env.TEMPORAL_CLI ?? '.temporal/bin/temporal');

/** A fresh dev server; `port` brings one back where an earlier one was (an outage and its end). */
export async function startTemporal(options: { port?: number } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: TEMPORAL_CLI },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      ...(options.port ? { port: options.port } : {}),
    },
  });
}

/** The workflow bundle built once in globalSetup, so each worker starts in milliseconds. */
export function workflowBundle(): { codePath: string } {
  return { codePath: inject('workflowBundlePath') };
}
