// The simulator's Realized model: everything it holds is realized, except what a write made while an `unrealized`
// fault was active (the controller accepted the change and never compiled it). Clearing the faults compiles the
// backlog, as a restarted ovn-northd would. NorthdNotRunning makes the whole controller's verdict False.
import type { ObservedResource, RealizedReport, RealizedResource, RealizeScope } from '@netplane/adapter-sdk';
import { REALIZED_REASONS } from '@netplane/domain';
import type { SimCommand } from './commands';
import type { SimStore } from './store';
import type { ActiveFault } from './types';

type Unrealized = Extract<ActiveFault, { kind: 'unrealized' }>;
type Mark = { reason: string; message: string };

/** The resources a write touches, in observe()'s kinds and ids (an ACL is `<networkId>/list`). */
function touched(cmd: SimCommand): { kind: ObservedResource['kind']; id: string }[] {
  switch (cmd.op) {
    case 'implementVpc':
      return [{ kind: 'vpc', id: cmd.vpc.vpcId }];
    case 'implementNetwork':
      return [{ kind: 'network', id: cmd.network.networkId }];
    case 'prepareNic':
      return [{ kind: 'nic', id: cmd.nic.nicId }];
    case 'prepareNics':
      return cmd.nics.map((n) => ({ kind: 'nic' as const, id: n.nicId }));
    case 'applyStaticNat':
      return [{ kind: 'nat', id: cmd.rule.ruleId }];
    case 'applyLbRule':
      return [{ kind: 'lb', id: cmd.rule.ruleId }];
    case 'applyPortForwarding':
      return [{ kind: 'pf', id: cmd.rule.ruleId }];
    case 'applyNetworkAcl':
      return [{ kind: 'acl', id: `${cmd.acl.networkId}/list` }];
    default:
      return [];
  }
}

const MESSAGES: Record<string, string> = {
  [REALIZED_REASONS.northdNotRunning]:
    'The controller did not compile the latest change (northd is not running)',
  [REALIZED_REASONS.notCompiled]: 'The change was accepted but has no compiled form',
  [REALIZED_REASONS.noGatewayChassis]: 'The router has no gateway chassis: NAT and load balancing are inert',
  [REALIZED_REASONS.portNotBound]: 'No hypervisor has claimed the port',
};

export class RealizedBook {
  private readonly marks = new Map<string, Mark>();
  /** True while the last write was made under a NorthdNotRunning fault and nothing compiled since. */
  private stalled: Mark | undefined;

  /**
   * After a successful write: what it touched is marked not realized when an `unrealized` fault scoped to it is
   * active (`draw` consumes it, and is only asked for writes); otherwise the write compiles it again, unless the
   * whole controller is stalled.
   */
  record(cmd: SimCommand, draw: () => Unrealized | undefined): void {
    const parts = touched(cmd);
    if (parts.length === 0) return;
    const fault = draw();
    if (!fault) {
      if (!this.stalled) for (const r of parts) this.marks.delete(`${r.kind}:${r.id}`);
      return;
    }
    const mark = { reason: fault.reason, message: fault.message ?? MESSAGES[fault.reason] ?? fault.reason };
    for (const r of parts) this.marks.set(`${r.kind}:${r.id}`, mark);
    if (fault.reason === REALIZED_REASONS.northdNotRunning) this.stalled = mark;
  }

  /** The faults are gone: the controller compiles its backlog. */
  clear(): void {
    this.marks.clear();
    this.stalled = undefined;
  }

  check(store: SimStore, scope: RealizeScope): RealizedReport {
    const resources: RealizedResource[] = [];
    for (const o of store.observe({
      vpcId: scope.vpcId,
      ...(scope.networkIds && { networkIds: scope.networkIds }),
    })) {
      const mark = this.marks.get(`${o.kind}:${o.id}`);
      // Stalled, the controller cannot vouch for anything: only what it knows to be off is named, and the overall
      // verdict covers the rest.
      if (!mark && this.stalled) continue;
      resources.push(
        mark
          ? {
              kind: o.kind,
              id: o.id,
              realized: false,
              ...mark,
              evidence: [`simulator: ${o.kind} ${o.name} written under an unrealized fault (${mark.reason})`],
            }
          : {
              kind: o.kind,
              id: o.id,
              realized: true,
              reason: REALIZED_REASONS.realized,
              message: 'Realized',
            },
      );
    }
    const overall = this.stalled
      ? { realized: false, ...this.stalled }
      : { realized: true, reason: REALIZED_REASONS.realized, message: 'Every change was compiled' };
    return { overall, resources };
  }
}
