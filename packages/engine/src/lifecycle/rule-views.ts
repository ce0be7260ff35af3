// The console's views of static NAT and LB rule rows.
import type { lbRulesRepo, staticNatRepo } from '@netplane/db';
import {
  type LbAlgorithm,
  type LbProtocol,
  type LbRuleView,
  parseConditions,
  type StaticNatView,
} from '@netplane/domain';

export const staticNatView = (r: staticNatRepo.StaticNatListed): StaticNatView => ({
  id: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  networkName: r.networkName,
  nicId: r.nicId,
  vmName: r.vmName,
  publicIp: r.publicIp,
  publicIpId: r.publicIpId,
  privateIp: r.privateIp,
  state: r.state,
  lastError: r.lastError,
  conditions: parseConditions(r.conditions),
  jobId: r.jobId,
  createdAt: r.createdAt,
});

/** An LB rule's own terms (name, VIP, private port, protocol, algorithm), shared by its view and its adapter spec. */
export const lbTerms = (r: lbRulesRepo.LbRuleRow) => ({
  name: r.name,
  publicIp: r.publicIp,
  publicPort: r.publicPort,
  privatePort: r.privatePort,
  protocol: r.protocol as LbProtocol,
  algorithm: r.algorithm as LbAlgorithm,
});

export const lbRuleView = (r: lbRulesRepo.LbRuleListed): LbRuleView => ({
  id: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  networkName: r.networkName,
  ...lbTerms(r),
  publicIpId: r.publicIpId,
  members: r.members.map((m) => ({ nicId: m.nicId, vmName: m.vmName, ip: m.ip })),
  state: r.state,
  lastError: r.lastError,
  conditions: parseConditions(r.conditions),
  jobId: r.jobId,
  createdAt: r.createdAt,
});
