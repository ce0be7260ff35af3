// The getting-started checklist's model: the inventory steps in the order a first VPC needs them, each done once its
// object exists. Pure, so the order and the "what next" rule are unit-tested without a browser.

export type InventoryFacts = {
  zones: number;
  physicalNetworks: number;
  enabledProviders: number;
  controllers: number;
  vpcOfferings: number;
  networkOfferings: number;
  vpcs: number;
};

export type ChecklistStep = {
  id: string;
  title: string;
  hint: string;
  to: string;
  done: boolean;
  next: boolean;
};

export function checklist(f: InventoryFacts): ChecklistStep[] {
  const steps = [
    {
      id: 'zone',
      title: 'Create a zone',
      hint: 'Where networks live, with its DNS servers.',
      to: '/infrastructure',
      done: f.zones > 0,
    },
    {
      id: 'physical-network',
      title: 'Add a physical network',
      hint: 'Its isolation (VLAN, VXLAN, GENEVE), ranges and traffic labels; tags match offerings to it.',
      to: '/infrastructure',
      done: f.physicalNetworks > 0,
    },
    {
      id: 'provider',
      title: 'Enable a provider',
      hint: 'An adapter on the physical network (the simulator, OVN…) with the services it gives.',
      to: '/infrastructure',
      done: f.enabledProviders > 0,
    },
    {
      id: 'controller',
      title: 'Connect a controller',
      hint: 'The endpoint and credentials (encrypted at rest) the provider drives.',
      to: '/infrastructure',
      done: f.controllers > 0,
    },
    {
      id: 'offerings',
      title: 'Create a VPC offering and a tier offering',
      hint: 'Which provider gives each service; the builder checks them against the providers.',
      to: '/offerings',
      done: f.vpcOfferings > 0 && f.networkOfferings > 0,
    },
    {
      id: 'vpc',
      title: 'Create a VPC',
      hint: 'Then add tiers, implement them and prepare NICs.',
      to: '/vpcs',
      done: f.vpcs > 0,
    },
  ];
  const firstOpen = steps.findIndex((s) => !s.done);
  return steps.map((s, i) => ({ ...s, next: i === firstOpen }));
}
