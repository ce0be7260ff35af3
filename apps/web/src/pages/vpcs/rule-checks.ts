// Checks of the static NAT and LB forms, with the domain's own schemas (the API checks the same again).
import { isFreeForLb, isFreeForStaticNat, portSchema, type RuleAddress } from '@netplane/domain';

/** An address of the VPC as a rule dialog's select offers it. */
export type AddressChoice = { value: string; label: string };

const addressName = (a: RuleAddress) => `${a.address}${a.purpose === 'SourceNat' ? ' (source NAT)' : ''}`;

/** The VPC's addresses a new static NAT may take: its own, not the source-NAT one, and no rule on it yet. */
export function staticNatChoices(addresses: readonly RuleAddress[]): AddressChoice[] {
  return addresses.filter(isFreeForStaticNat).map((a) => ({ value: a.id, label: a.address }));
}

/** Does a rule on an address hold this port (an LB rule its one port, a port forward every port of its range)? */
const holdsPort = (u: RuleAddress['usedBy'][number], port: number, protocol: string) =>
  u.protocol === protocol && u.port !== null && u.port <= port && port <= (u.portEnd ?? u.port);

/**
 * The VPC's addresses a new LB rule may take on this port and protocol: any without a static NAT and without an LB
 * rule on the same VIP; an address LB rules already use on other ports says which.
 */
export function lbChoices(
  addresses: readonly RuleAddress[],
  port: number,
  protocol: string,
): AddressChoice[] {
  return addresses
    .filter((a) => isFreeForLb(a) && !a.usedBy.some((u) => holdsPort(u, port, protocol)))
    .map((a) => {
      const names = a.usedBy.map((u) => u.label.replace(/ \(.*\)$/, '')).join(', ');
      return { value: a.id, label: names ? `${addressName(a)} · shared with ${names}` : addressName(a) };
    });
}

/** What holds an address, in words: the rules on it, or that it is free. */
export function addressUseText(a: RuleAddress): string {
  if (a.usedBy.length === 0) return a.purpose === 'SourceNat' ? 'Source NAT of the VPC' : 'Free';
  return a.usedBy.map((u) => u.label).join(', ');
}

/** A whole port number 1..65535 typed into a text field. */
export function checkPort(value: string): string | undefined {
  return value.trim() !== '' && portSchema.safeParse(Number(value)).success
    ? undefined
    : 'A port from 1 to 65535';
}

/** Why a tier cannot offer the service, in words: not implemented yet, or its offering lacks it. */
export function whyNotOffered(
  tier: { name: string; state: string; offeringId: string },
  service: 'StaticNat' | 'Lb' | 'PortForwarding',
  offeringName: (id: string) => string,
): string {
  if (tier.state !== 'Implemented')
    return `Tier ${tier.name} is ${tier.state}: its ${service} provider is chosen when it is implemented.`;
  return `Tier ${tier.name}'s offering ${offeringName(tier.offeringId)} has no ${service} service.`;
}
