// applyNetworkAcl and the tier's part of destroyNetwork: the VPC's whole table is rendered from the records of its
// tiers' lists and replaced in one `nft -f` transaction, then the tier's record is written (only after the kernel
// took the table, so a record never claims a list the kernel refused). Same record and a kernel that holds exactly
// its rules: adopted, nothing sent.
import { AdapterError, type NetworkAclSpec } from '@netplane/adapter-sdk';
import type { Ctx } from '../context';
import { lockPreamble, q, writeFile } from '../shell';
import { type AclRecord, checkAclSpec, recordOf, renderTable } from './render';
import { gatewayOf, issuesOf, networkAclDir, readAcl } from './state';

const EOF_MARK = 'NETPLANE_NFT';

/** The record goes, and the tier's directory with it when nothing else is left there (a tier without Dhcp). */
const rmRecord = (c: Ctx, networkId: string) =>
  `rm -f ${q(`${networkAclDir(c, networkId)}/acl.json`)}; rmdir ${q(networkAclDir(c, networkId))} 2>/dev/null || true`;

function nftScript(c: Ctx, vpcId: string, records: readonly AclRecord[]): string {
  return `ip netns exec ${q(c.names.routerNs(vpcId))} nft -f /dev/stdin <<'${EOF_MARK}'\n${renderTable(c.names, vpcId, records)}${EOF_MARK}`;
}

export async function applyNetworkAcl(
  c: Ctx,
  spec: NetworkAclSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  checkAclSpec(spec);
  const state = await readAcl(c, [spec.vpcId], spec, signal);
  if (!gatewayOf(state.gateway, spec.networkId)) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `Network ${spec.networkId} is not implemented in VPC ${spec.vpcId} on the router host: implementNetwork first`,
    );
  }
  const rec = recordOf(spec);
  const had = state.records.find((r) => r.networkId === spec.networkId);
  const table = state.tables.get(spec.vpcId);
  if (had && JSON.stringify(had) === JSON.stringify(rec) && issuesOf(rec, table).length === 0) {
    return { adopted: true };
  }
  const others = state.records.filter((r) => r.vpcId === spec.vpcId && r.networkId !== spec.networkId);
  const dir = networkAclDir(c, spec.networkId);
  await c.ssh.runOk(
    [
      lockPreamble(c.stateRoot),
      nftScript(c, spec.vpcId, [...others, rec]),
      `mkdir -p ${q(dir)}`,
      writeFile(`${dir}/acl.json`, JSON.stringify(rec)),
    ].join('\n'),
    signal,
    `Applying ACL list ${spec.listId} to network ${spec.networkId}`,
  );
  return { adopted: false };
}

/** After destroyNetwork: the tier's chains and jumps leave the VPC's table (the VPC's namespace may be gone). */
export async function removeTierAcl(
  c: Ctx,
  vpcId: string,
  networkId: string,
  signal: AbortSignal,
): Promise<void> {
  const state = await readAcl(c, [vpcId], null, signal);
  const table = state.tables.get(vpcId);
  const mine = state.records.some((r) => r.networkId === networkId);
  const inTable = [...(table?.get('forward') ?? [])].some((cm) =>
    cm.startsWith(`netplane:net=${networkId},`),
  );
  if (!mine && !inTable) return;
  const others = state.records.filter((r) => r.vpcId === vpcId && r.networkId !== networkId);
  await c.ssh.runOk(
    [
      lockPreamble(c.stateRoot),
      rmRecord(c, networkId),
      ...(table !== undefined && table !== null ? [nftScript(c, vpcId, others)] : []),
    ].join('\n'),
    signal,
    `Removing the ACL of network ${networkId}`,
  );
}

/** After destroyVpc: the records of its tiers' lists go (the table went with the namespace). */
export async function removeVpcAcl(c: Ctx, vpcId: string, signal: AbortSignal): Promise<void> {
  const state = await readAcl(c, [], null, signal);
  const stale = state.records.filter((r) => r.vpcId === vpcId);
  if (stale.length === 0) return;
  await c.ssh.runOk(
    [lockPreamble(c.stateRoot), ...stale.map((r) => rmRecord(c, r.networkId))].join('\n'),
    signal,
    `Removing the ACL records of VPC ${vpcId}`,
  );
}
