// Checks of the static NAT and LB forms, with the domain's own schemas (the API checks the same again).
import { ipInCidr, portSchema, publicIpSchema } from '@netplane/domain';

/** A public IPv4 address that is not inside the VPC's own CIDR. */
export function checkPublicIp(value: string, vpcCidr: string): string | undefined {
  const ip = publicIpSchema.safeParse(value.trim());
  if (!ip.success) return 'Enter an IPv4 address, e.g. 203.0.113.10';
  if (ipInCidr(ip.data, vpcCidr)) return `This address is inside the VPC's CIDR ${vpcCidr}; use a public one`;
  return undefined;
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
