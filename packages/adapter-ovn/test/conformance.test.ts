// The adapter-sdk conformance kit against the OVN adapter on a real ovsdb-server (OVN Northbound schema).
import { describeConformance } from '@netplane/adapter-sdk/conformance';
import { harness, useOvnWorld } from './conformance-world';

useOvnWorld();

describeConformance('ovn (Geneve)', harness('GENEVE', {}));
describeConformance('ovn (VLAN localnet)', harness('VLAN', { localnetNetworkName: 'physnet1' }));
