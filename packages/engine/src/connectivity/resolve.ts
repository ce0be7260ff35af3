// Turns a connectivity check asked by our ids into the adapter's TraceSpec: the VPC's tiers and public side read once
// (a matrix resolves hundreds of checks against one VpcScope), the NIC and public IP ids resolved to addresses.
// Unknown ids are NOT_FOUND (404); a NIC or public IP of another VPC is BAD_INPUT (400).
import { TRACE_SPEC_VERSION, type TraceEndpointSpec, type TraceSpec } from '@netplane/adapter-sdk';
import { networksRepo, nicsRepo, publicIpsRepo, vpcsRepo } from '@netplane/db';
import {
  AppError,
  type ConnectivityTraceInput,
  type TraceDestination,
  type TraceSource,
} from '@netplane/domain';
import type { EngineCore } from '../lifecycle/core';
import { publicNetworkOf } from '../lifecycle/specs';

export type VpcScope = {
  vpc: vpcsRepo.VpcRow;
  tiers: networksRepo.NetworkRow[];
  publicNetwork: TraceSpec['publicNetwork'];
};

export async function vpcScopeOf(core: EngineCore, vpcId: string): Promise<VpcScope> {
  const db = core.deps.db.db;
  const vpc = await vpcsRepo.getVpc(db, vpcId);
  if (!vpc) throw new AppError('NOT_FOUND', `VPC ${vpcId} does not exist`);
  const tiers = await networksRepo.listNetworksOfVpc(db, vpcId);
  const [pub, snat] = await Promise.all([publicNetworkOf(db, vpcId), publicIpsRepo.sourceNatOf(db, vpcId)]);
  return {
    vpc,
    tiers,
    publicNetwork: pub && snat ? { ...pub, sourceNatIp: snat.address } : undefined,
  };
}

/** A resolved check: the spec for the adapter and the tiers whose Connectivity element should trace it, in order. */
export type ResolvedTrace = { spec: TraceSpec; preferredTiers: string[] };

async function nicEndpoint(
  core: EngineCore,
  scope: VpcScope,
  nicId: string,
  nics?: ReadonlyMap<string, nicsRepo.NicRow>,
): Promise<Extract<TraceEndpointSpec, { kind: 'nic' }>> {
  const nic = nics?.get(nicId) ?? (await nicsRepo.getNic(core.deps.db.db, nicId));
  if (!nic) throw new AppError('NOT_FOUND', `NIC ${nicId} does not exist`);
  if (nic.vpcId !== scope.vpc.id)
    throw new AppError('BAD_INPUT', `NIC ${nic.vmName} (${nic.ip}) is not in VPC ${scope.vpc.name}`, {
      field: 'nicId',
      reason: 'NIC_OF_ANOTHER_VPC',
    });
  return { kind: 'nic', nicId: nic.id, networkId: nic.networkId, mac: nic.mac, ip: nic.ip };
}

async function sourceOf(
  core: EngineCore,
  scope: VpcScope,
  s: TraceSource,
  nics?: ReadonlyMap<string, nicsRepo.NicRow>,
): Promise<TraceEndpointSpec> {
  return s.kind === 'nic' ? nicEndpoint(core, scope, s.nicId, nics) : { kind: 'outside', ip: s.ip };
}

async function destinationOf(
  core: EngineCore,
  scope: VpcScope,
  d: TraceDestination,
  nics?: ReadonlyMap<string, nicsRepo.NicRow>,
): Promise<TraceEndpointSpec> {
  if (d.kind === 'nic') return nicEndpoint(core, scope, d.nicId, nics);
  if (d.kind === 'ip') return { kind: 'address', ip: d.ip };
  const ip = await publicIpsRepo.getPublicIp(core.deps.db.db, d.publicIpId);
  if (!ip) throw new AppError('NOT_FOUND', `Public IP ${d.publicIpId} does not exist`);
  if (ip.vpcId !== scope.vpc.id)
    throw new AppError('BAD_INPUT', `Public IP ${ip.address} is not acquired by VPC ${scope.vpc.name}`, {
      field: 'publicIpId',
      reason: 'PUBLIC_IP_OF_ANOTHER_VPC',
    });
  return { kind: 'address', ip: ip.address };
}

/** `nics`: NIC rows already read (the matrix), so each cell costs no NIC lookup. */
export async function resolveTrace(
  core: EngineCore,
  scope: VpcScope,
  input: ConnectivityTraceInput,
  nics?: ReadonlyMap<string, nicsRepo.NicRow>,
): Promise<ResolvedTrace> {
  const [source, destination] = await Promise.all([
    sourceOf(core, scope, input.source, nics),
    destinationOf(core, scope, input.destination, nics),
  ]);
  const preferredTiers = [source, destination].flatMap((e) => (e.kind === 'nic' ? [e.networkId] : []));
  return {
    spec: {
      version: TRACE_SPEC_VERSION,
      vpcId: scope.vpc.id,
      source,
      destination,
      flow: input.flow,
      tiers: scope.tiers.map((t) => ({ networkId: t.id, name: t.name, cidr: t.cidr, gateway: t.gateway })),
      ...(scope.publicNetwork && { publicNetwork: scope.publicNetwork }),
    },
    preferredTiers,
  };
}
