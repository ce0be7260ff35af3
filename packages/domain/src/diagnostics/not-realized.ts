// NOT_REALIZED: a VPC Netplane implemented and found Synced, whose controller did not put (parts of) it into effect.
// Not an Error, so it gets its own diagnosis built from the Realized check's report: every part's reason and the
// controller's evidence, and a remediation per reason (the reasons of connectivity/realized.ts; others get the
// category's general advice).
import { REALIZED_REASONS } from '../connectivity/realized';
import { remediationOf, titleOf } from './categories';
import type { Diagnosis, DiagnosisTarget, NotRealizedPart } from './types';

const WORD: Record<NotRealizedPart['entity'], string> = {
  vpc: 'VPC',
  network: 'tier',
  nic: 'NIC',
  job: 'job',
  staticNat: 'static NAT',
  lbRule: 'LB rule',
  portForward: 'port forwarding rule',
  aclList: 'ACL list',
};

/** What to do about one reason, naming the controller. */
export function realizedRemediation(reason: string, where: string): string {
  switch (reason) {
    case REALIZED_REASONS.northdNotRunning:
      return `Start ovn-northd for ${where} and check its connection to both the Northbound and the Southbound database (ovn-appctl -t ovn-northd status, its log): nothing Netplane wrote is compiled until it runs.`;
    case REALIZED_REASONS.notCompiled:
      return `ovn-northd of ${where} did not compile these parts: read its log for errors on them (a rejected logical flow, a database it cannot write), fix the cause, then reconcile the VPC.`;
    case REALIZED_REASONS.noGatewayChassis:
      return `Set gatewayChassis in the configuration of ${where} (Infrastructure › Controllers › Edit) to a chassis that runs ovn-controller with access to the public network: NAT and load balancing on a router without a gateway chassis are accepted but inert. Then reconcile the VPC.`;
    case REALIZED_REASONS.portNotBound:
      return `No hypervisor has claimed these ports on ${where}: check that the VM is running on a chassis whose ovn-controller is connected, and that its interface's iface-id is the NIC's port name (virtual router: that the hypervisor took the NIC's veth peer and set it up). The NIC becomes realized once it is bound.`;
    case REALIZED_REASONS.missingOnHost:
      return `Parts of the VPC are missing on the router host of ${where} (deleted by hand, or the host rebooted): reconcile the VPC, which implements its tiers again and re-applies what is missing.`;
    case REALIZED_REASONS.portDown:
      return `The NICs' ports on ${where} were set down on the router host: reconcile the VPC (preparing the NICs again sets them up) and find who changed them.`;
    case REALIZED_REASONS.dhcpNotRunning:
      return `The tier's dnsmasq does not run on the router host of ${where}: reconcile the VPC (implementing the tier again restarts it); if it dies again, read the host's log for dnsmasq errors.`;
    case REALIZED_REASONS.dhcpEntryNotLoaded:
      return `The tier's dnsmasq on ${where} has not loaded the NICs' leases: reconcile the VPC, or send dnsmasq a SIGHUP on the router host.`;
    case REALIZED_REASONS.rulesDiffer:
      return `The nftables rules in the VPC's router namespace on ${where} differ from what Netplane applied (edited or flushed by hand): reconcile the VPC, which re-applies the ACL lists and NAT rules.`;
    default:
      return remediationOf('NOT_REALIZED', where);
  }
}

const describePart = (p: NotRealizedPart) => `${WORD[p.entity]} ${p.name ?? p.id}`;

/** The diagnosis of a VPC whose Realized condition is False; `parts` are the parts reported not realized. */
export function diagnoseNotRealized(
  target: DiagnosisTarget,
  controller: { id?: string; name?: string },
  parts: readonly NotRealizedPart[],
): Diagnosis {
  const where = controller.name ? `controller ${controller.name}` : 'the controller';
  const reasons = [...new Set(parts.map((p) => p.reason))];
  const shown = parts.slice(0, 5).map((p) => `${describePart(p)} (${p.reason})`);
  const more = parts.length > shown.length ? ` and ${parts.length - shown.length} more` : '';
  const name = target.name ?? target.id;
  return {
    category: 'NOT_REALIZED',
    title: titleOf('NOT_REALIZED'),
    sentence: `VPC ${name} is implemented and in sync, but ${where} has not put ${parts.length === 1 ? 'one part' : `${parts.length} parts`} of it into effect: ${shown.join(', ')}${more}.`,
    evidence: {
      notRealized: parts.slice(0, 50).map((p) => ({ ...p, evidence: p.evidence.slice(0, 10) })),
      message: parts[0]?.message ?? '',
      ...(controller.id !== undefined && {
        controller: { id: controller.id, ...(controller.name !== undefined && { name: controller.name }) },
      }),
    },
    remediation: reasons.map((r) => realizedRemediation(r, where)).join(' '),
    actions: controller.id !== undefined ? ['open-controller'] : [],
  };
}
