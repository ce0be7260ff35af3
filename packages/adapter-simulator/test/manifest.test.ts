// The simulator's manifest is honest: it validates as capabilities, names its real version, and its schemas bite.
import { LB_ALGORITHMS, LB_PROTOCOLS, SERVICES, serviceCapabilitiesSchema } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import simulator, { simulatorManifest } from '../src/index';
import { simulatorConfigSchema, simulatorCredentialSchema } from '../src/manifest';

describe('simulator manifest', () => {
  it('is the default export with id simulator, vendor Netplane and the package version', () => {
    expect(simulator.manifest).toBe(simulatorManifest);
    expect(simulatorManifest).toMatchObject({
      id: 'simulator',
      vendor: 'Netplane',
      version: packageJson.version,
      protocol: 'SIMULATED',
      isolationMethods: ['VLAN', 'VXLAN', 'GENEVE'],
      supportsBatchPrepare: true,
      idempotentByKey: true,
    });
  });

  it('offers every service with capabilities the capability matrix accepts', () => {
    expect(Object.keys(simulatorManifest.services).sort()).toEqual([...SERVICES].sort());
    expect(serviceCapabilitiesSchema.safeParse(simulatorManifest.services).success).toBe(true);
    // Only what the simulated load balancer really does: the domain's algorithms and protocols, no stickiness.
    expect(simulatorManifest.services.Lb).toEqual({
      SupportedLbAlgorithms: [...LB_ALGORITHMS],
      SupportedProtocols: [...LB_PROTOCOLS],
    });
    expect(simulatorManifest.services.StaticNat).toEqual({});
    expect(simulatorManifest.services.SourceNat).toMatchObject({ RedundantRouter: false });
    expect(simulatorManifest.services.Connectivity).toMatchObject({
      DistributedRouter: true,
      StretchedL2Subnet: false,
    });
  });

  it('declares that NAT, port forwarding and load balancing need SourceNat', () => {
    const needs = Object.fromEntries(
      simulatorManifest.serviceDependencies.map((d) => [d.service, d.requires]),
    );
    expect(needs).toMatchObject({
      PortForwarding: ['SourceNat'],
      StaticNat: ['SourceNat'],
      Lb: ['SourceNat'],
    });
  });

  it('requires a username and password and rejects unknown config keys', () => {
    expect(simulatorCredentialSchema.safeParse({ username: 'a', password: 'b' }).success).toBe(true);
    expect(simulatorCredentialSchema.safeParse({ username: 'a' }).success).toBe(false);
    expect(simulatorConfigSchema.safeParse({ latencyMs: 20 }).success).toBe(true);
    expect(simulatorConfigSchema.safeParse({ nope: 1 }).success).toBe(false);
    // What crosses the boundary: JSON Schema, every credential field marked secret, unknown config keys refused.
    const { credentialSchema, configSchema } = simulatorManifest;
    expect(credentialSchema).toMatchObject({ type: 'object', required: ['username', 'password'] });
    expect(credentialSchema.properties?.password).toMatchObject({ type: 'string', writeOnly: true });
    expect(configSchema).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
