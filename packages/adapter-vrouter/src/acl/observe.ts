// The lists the tiers hold, as observe() reports them: kind acl, id `<networkId>/list`, attributes aclList,
// aclListName and aclRules (the digest of the record's rules), with an issue for each part the kernel misses (a table
// flushed by hand, a chain edited): drift the engine repairs by applying the list again.
import { aclListResourceId, type ObservedResource, type ObserveScope } from '@netplane/adapter-sdk';
import type { Ctx } from '../context';
import { issuesOf, readAcl } from './state';

export async function observeAcl(
  c: Ctx,
  scope: ObserveScope,
  signal: AbortSignal,
): Promise<ObservedResource[]> {
  const wanted = scope.networkIds ? new Set(scope.networkIds) : null;
  const state = await readAcl(c, scope.vpcId ? [scope.vpcId] : 'all', null, signal);
  return state.records
    .filter((r) => (!scope.vpcId || r.vpcId === scope.vpcId) && (!wanted || wanted.has(r.networkId)))
    .map((r) => {
      const issues = issuesOf(r, state.tables.get(r.vpcId));
      return {
        kind: 'acl' as const,
        id: aclListResourceId(r.networkId),
        name: r.listName,
        attributes: {
          aclList: r.listId,
          aclListName: r.listName,
          aclRules: r.digest,
          networkId: r.networkId,
        },
        ...(issues.length > 0 ? { issues } : {}),
      };
    });
}
