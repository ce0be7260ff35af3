// The console's views of rule rows (static NAT and LB here, port forwarding in port-forwarding-commands.ts).
import type { lbRulesRepo, staticNatRepo } from '@netplane/db';
import {
  type LbAlgorithm,
  type LbProtocol,
  type LbRuleView,
  parseConditions,
  type RuleState,
  type StaticNatView,
} from '@netplane/domain';

/** What the view of a rule of any kind shows: where it is, its state, conditions and last job. */
export const ruleViewBase = (r: {
  id: string;
  vpcId: string;
  networkId: string;
  networkName: string;
  state: RuleState;
  lastError: string | null;
  conditions: string;
  jobId: string | null;
  createdAt: number;
}) => ({
  id: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  networkName: r.networkName,
  state: r.state,
  lastError: r.lastError,
  conditions: parseConditions(r.conditions),
  jobId: r.jobId,
  createdAt: r.createdAt,
});

export const staticNatView = (r: staticNatRepo.StaticNatListed): StaticNatView => ({
  ...ruleViewBase(r),
  nicId: r.nicId,
  vmName: r.vmName,
  publicIp: r.publicIp,
  publicIpId: r.publicIpId,
  privateIp: r.privateIp,
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
  ...ruleViewBase(r),
  ...lbTerms(r),
  publicIpId: r.publicIpId,
  members: r.members.map((m) => ({ nicId: m.nicId, vmName: m.vmName, ip: m.ip })),
});
