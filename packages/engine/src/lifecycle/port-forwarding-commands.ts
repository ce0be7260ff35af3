// The port forwarding commands behind portForwarding.*: create (the NIC, its tier's PortForwarding provider and
// protocol, the acquired address and its free ports (rule-addresses.ts, publicIpUseRepo.conflictOn); then the rule row in Add and its apply job in one transaction),
// delete and retry (the shared rule-table commands), and the VPC's paged list.
import { nicsRepo, type Page, portForwardingRepo } from '@netplane/db';
import { AppError, type CreatePortForwardingInput, type PortForwardingView } from '@netplane/domain';
import type { JobRef } from '../jobs/kinds';
import type { EngineCore } from './core';
import { checkPublicIp } from './rule-addresses';
import { asList, insertNicRule, requireService, type SubmitRuleJob, tierOf } from './rule-commands';
import { type RuleTable, ruleCommand } from './rule-table';
import { ruleViewBase } from './rule-views';
import { PORT_FORWARD, portForwardTerms, portsText } from './rules';

export const portForwardingView = (r: portForwardingRepo.PortForwardingListed): PortForwardingView => ({
  ...ruleViewBase(r),
  ...portForwardTerms(r),
  publicIpId: r.publicIpId,
  vmName: r.vmName,
});

export const PORT_FORWARDING_TABLE: RuleTable<portForwardingRepo.PortForwardingRow> = {
  ops: PORT_FORWARD,
  jobs: 'portForwarding',
  missing: (id) => `Port forwarding rule ${id} does not exist`,
  notRetriable: (rule) => `The port forwarding rule is ${rule.state}; only a rule in Error is retried`,
  changed: 'The port forwarding rule changed meanwhile; look again',
};

export class PortForwardingCommands {
  constructor(
    private readonly core: EngineCore,
    private readonly submit: SubmitRuleJob,
  ) {}

  async create(
    input: CreatePortForwardingInput,
    actor: string,
  ): Promise<{ rule: PortForwardingView; jobId: string }> {
    const core = this.core;
    const db = core.deps.db.db;
    const nic = await nicsRepo.getNic(db, input.nicId);
    if (!nic) throw new AppError('NOT_FOUND', `NIC ${input.nicId} does not exist`);
    const { network, vpc } = await tierOf(core, nic.networkId);
    const option = await requireService(core, network, 'PortForwarding');
    const supported = asList(option.capabilities.SupportedProtocols);
    const listed = option.capabilities.SupportedProtocols !== undefined;
    if (listed && !supported.some((p) => p.toLowerCase() === input.protocol)) {
      throw new AppError(
        'BAD_INPUT',
        `Provider ${option.providerName} does not forward ${input.protocol}; it supports ${supported.join(', ')}`,
        { reason: 'CAPABILITY_MISSING', capability: 'SupportedProtocols', supported },
      );
    }
    if (nic.state !== 'Reserved') {
      throw new AppError(
        'INVALID_STATE',
        `NIC ${nic.vmName} (${nic.ip}) is ${nic.state}; it must be Reserved`,
        {
          state: nic.state,
        },
      );
    }
    const want = {
      kind: 'portForward',
      protocol: input.protocol,
      start: input.publicPortStart,
      end: input.publicPortEnd,
    } as const;
    // Acquired by the NIC's VPC, and no rule on the ports (checked again inside the insert, the address locked).
    const ip = await checkPublicIp(core, vpc, input.publicIpId, want);
    const fields = {
      vpcId: vpc.id,
      networkId: network.id,
      nicId: nic.id,
      zoneId: vpc.zoneId,
      publicIpId: ip.id,
      publicIp: ip.address,
      privateIp: nic.ip,
      protocol: input.protocol,
      publicPortStart: input.publicPortStart,
      publicPortEnd: input.publicPortEnd,
      privatePortStart: input.privatePortStart,
      privatePortEnd: input.privatePortEnd,
    };
    const row = await insertNicRule(core, this.submit, {
      targetType: 'portForward',
      kind: 'portForwarding.apply',
      vpcId: vpc.id,
      actor,
      conflict: `${ip.address}:${portsText(want.start, want.end)}/${want.protocol} was taken meanwhile`,
      ip,
      want,
      fields,
      insertRow: portForwardingRepo.insertPortForwarding,
    });
    return {
      rule: portForwardingView({ ...row, networkName: network.name, vmName: nic.vmName }),
      jobId: row.jobId,
    };
  }

  delete(id: string, actor: string): Promise<JobRef> {
    return ruleCommand(this.core, this.submit, PORT_FORWARDING_TABLE, 'revoke', id, actor);
  }

  /** Repeats the failed operation (apply, or revoke) of a rule in Error. */
  retry(id: string, actor: string): Promise<JobRef> {
    return ruleCommand(this.core, this.submit, PORT_FORWARDING_TABLE, 'retry', id, actor);
  }

  async list(q: { vpcId: string; limit: number; cursor?: string }): Promise<Page<PortForwardingView>> {
    const page = await portForwardingRepo.pageOfVpc(this.core.deps.db.db, q);
    return { ...page, items: page.items.map(portForwardingView) };
  }
}
