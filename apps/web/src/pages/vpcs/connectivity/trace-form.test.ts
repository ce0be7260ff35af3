import { describe, expect, it } from 'vitest';
import {
  emptyTraceForm,
  endNames,
  endsOfInput,
  flowText,
  parseTraceForm,
  type TraceForm,
} from './trace-form';

const VPC = '6f1d2c3b-0000-4000-8000-000000000001';
const N1 = '6f1d2c3b-0000-4000-8000-0000000000a1';
const N2 = '6f1d2c3b-0000-4000-8000-0000000000a2';
const nics = [
  { id: N1, tierName: 'web', vmName: 'web-1', ip: '10.1.1.5' },
  { id: N2, tierName: 'db', vmName: 'db-1', ip: '10.1.2.5' },
];
const form = (over: Partial<TraceForm>): TraceForm => ({ ...emptyTraceForm(), ...over });

describe('parseTraceForm', () => {
  it("turns NIC → NIC tcp/5432 into the API's input", () => {
    const r = parseTraceForm(VPC, form({ source: `nic:${N1}`, destination: `nic:${N2}`, port: '5432' }));
    expect(r).toEqual({
      input: {
        vpcId: VPC,
        source: { kind: 'nic', nicId: N1 },
        destination: { kind: 'nic', nicId: N2 },
        flow: { protocol: 'tcp', port: 5432 },
      },
    });
  });

  it('takes icmp without a port and outside with an address', () => {
    const r = parseTraceForm(
      VPC,
      form({ source: 'outside', sourceIp: ' 203.0.113.7 ', destination: `nic:${N2}`, protocol: 'icmp' }),
    );
    expect(r).toMatchObject({
      input: {
        source: { kind: 'outside', ip: '203.0.113.7' },
        flow: { protocol: 'icmp', icmpType: 8, icmpCode: 0 },
      },
    });
  });

  it('puts each problem under its field, in words', () => {
    const r = parseTraceForm(
      VPC,
      form({
        source: 'outside',
        sourceIp: '300.1.1.1',
        destination: 'ip',
        destinationIp: 'x',
        port: '70000',
      }),
    );
    expect(r).toEqual({
      errors: {
        sourceIp: 'An IPv4 address, e.g. 203.0.113.7',
        destinationIp: 'An IPv4 address, e.g. 203.0.113.7',
        port: 'A port from 1 to 65535',
      },
    });
    expect(parseTraceForm(VPC, form({}))).toMatchObject({
      errors: { source: 'Pick where the packet starts', destination: 'Pick where it goes' },
    });
    expect(
      parseTraceForm(VPC, form({ source: `nic:${N1}`, destination: `nic:${N1}`, port: '22' })),
    ).toMatchObject({
      errors: { destination: 'Pick another NIC than the source' },
    });
  });
});

describe('endNames and flowText', () => {
  it('names the ends by VM and IP, a public address by itself, outside by the address typed', () => {
    const pub = [{ id: 'P1', address: '203.0.113.11' }];
    expect(endNames(form({ source: `nic:${N1}`, destination: `nic:${N2}` }), nics, pub)).toEqual({
      source: 'web-1 10.1.1.5',
      destination: 'db-1 10.1.2.5',
    });
    expect(
      endNames(form({ source: 'outside', sourceIp: '198.51.100.4', destination: 'publicIp:P1' }), nics, pub),
    ).toEqual({
      source: '198.51.100.4',
      destination: '203.0.113.11',
    });
    expect(flowText({ protocol: 'udp', port: 53 })).toBe('udp/53');
    expect(flowText({ protocol: 'icmp', icmpType: 8, icmpCode: 0 })).toBe('icmp');
  });
});

describe('endsOfInput', () => {
  it('names a recorded check by its NICs, or by a short id when the NIC is gone', () => {
    const input = {
      vpcId: VPC,
      source: { kind: 'nic' as const, nicId: N1 },
      destination: { kind: 'nic' as const, nicId: '6f1d2c3b-0000-4000-8000-0000000000ff' },
      flow: { protocol: 'tcp' as const, port: 22 },
    };
    expect(endsOfInput(input, nics, [])).toEqual({ source: 'web-1 10.1.1.5', destination: 'NIC 6f1d2c3b' });
    expect(
      endsOfInput(
        {
          ...input,
          source: { kind: 'outside', ip: '198.51.100.4' },
          destination: { kind: 'ip', ip: '8.8.8.8' },
        },
        nics,
        [],
      ),
    ).toEqual({ source: '198.51.100.4', destination: '8.8.8.8' });
  });
});
