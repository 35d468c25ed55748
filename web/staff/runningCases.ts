// Running case workflows from Temporal visibility, newest first, a page at a time (R9.4): what supervisors see
// is the live process, not a copy. Search attributes carry ids and codes only.
import type { Deps } from '../../lib/deps';
import { CaseKindKey, CaseNumberKey, CaseStatusKey, DistrictKey } from '../../workflows/searchAttributes';

const PAGE_SIZE = 50;

export async function runningCases(deps: Pick<Deps, 'temporal' | 'config'>, pageToken?: string) {
  const res = await deps.temporal.workflowService.listWorkflowExecutions({
    namespace: deps.config.TEMPORAL_NAMESPACE,
    pageSize: PAGE_SIZE,
    nextPageToken: pageToken ? Buffer.from(pageToken, 'base64url') : undefined,
    query: `ExecutionStatus = 'Running' AND ${CaseKindKey.name} IS NOT NULL`,
  });
  const decode = (payload: { data?: Uint8Array | null } | undefined) =>
    payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as string) : null;
  const rows = (res.executions ?? []).map((e) => {
    const attrs = e.searchAttributes?.indexedFields ?? {};
    const started = e.startTime?.seconds ? Number(e.startTime.seconds) * 1000 : null;
    return {
      workflowId: e.execution?.workflowId ?? '',
      caseNumber: decode(attrs[CaseNumberKey.name]),
      kind: decode(attrs[CaseKindKey.name]),
      district: decode(attrs[DistrictKey.name]),
      status: decode(attrs[CaseStatusKey.name]),
      startedAt: started ? new Date(started) : null,
    };
  });
  const next = res.nextPageToken?.length ? Buffer.from(res.nextPageToken).toString('base64url') : null;
  return { rows, next };
}
