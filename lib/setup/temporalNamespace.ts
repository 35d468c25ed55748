// The Temporal side of a production setup: the namespace and Komet's search attributes (R9.4),
// each added only when missing, so the setup can run again at every deploy. A cluster run by
// others may refuse these calls (Temporal Cloud: namespaces and attributes are made in its console);
// then the error says which call was refused.
import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, type Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';

const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/** Registers the namespace unless it exists. True when it was created now. */
export async function ensureNamespace(connection: Connection, namespace: string, retentionDays: number): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== NOT_FOUND) throw err;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000),
    });
    return true;
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === ALREADY_EXISTS) return false; // another setup was quicker
    throw err;
  }
}

/**
 * Adds the search attributes the workflows write that the namespace lacks, and waits until the
 * server lists them all. A name registered with another type is an error: Komet would fail on it.
 * Returns the names added now.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, timeoutMs = 60_000): Promise<string[]> {
  const wanted = new Map(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]));
  const deadline = Date.now() + timeoutMs;
  // A namespace registered a moment ago reaches the frontend's cache within seconds: retry until then.
  const existing = await retryWhileNotFound(deadline, () => listCustom(connection, namespace));
  for (const [name, type] of wanted) {
    if (name in existing && existing[name] !== type) {
      throw new Error(`Search attribute ${name} exists with another type (${existing[name]}, expected ${type})`);
    }
  }
  const missing = Object.fromEntries([...wanted].filter(([name]) => !(name in existing)));
  if (Object.keys(missing).length) {
    await retryWhileNotFound(deadline, () => connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing }));
  }
  for (;;) {
    const now = await listCustom(connection, namespace);
    if ([...wanted.keys()].every((name) => name in now)) break;
    if (Date.now() > deadline) throw new Error('Search attributes were added but are not listed yet');
    await sleep(500);
  }
  return Object.keys(missing);
}

async function listCustom(connection: Connection, namespace: string): Promise<Record<string, number>> {
  const res = await connection.operatorService.listSearchAttributes({ namespace });
  return (res.customAttributes ?? {}) as Record<string, number>;
}

async function retryWhileNotFound<T>(deadline: number, call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!isGrpcServiceError(err) || err.code !== NOT_FOUND || Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}
