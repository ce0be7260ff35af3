import { describe, expect, it } from 'vitest';
import { checkPfForm, EMPTY_PF_FORM, FIELD_OF_REASON, portsLabel } from './pf-form';

const filled = {
  ...EMPTY_PF_FORM,
  publicIpId: 'ip-1',
  nicId: 'nic-1',
  publicPortStart: '2222',
  privatePortStart: '22',
};

describe('checkPfForm', () => {
  it('turns a single-port form (end ports left empty) into the API input', () => {
    expect(checkPfForm(filled)).toEqual({
      input: {
        publicIpId: 'ip-1',
        nicId: 'nic-1',
        protocol: 'tcp',
        publicPortStart: 2222,
        publicPortEnd: 2222,
        privatePortStart: 22,
        privatePortEnd: 22,
      },
    });
  });

  it('takes equal-length ranges and the udp protocol', () => {
    const r = checkPfForm({ ...filled, protocol: 'udp', publicPortEnd: '2224', privatePortEnd: ' 24 ' });
    expect(r.input).toMatchObject({ protocol: 'udp', publicPortEnd: 2224, privatePortEnd: 24 });
  });

  it('asks for the address and the NIC', () => {
    expect(checkPfForm({ ...filled, publicIpId: '', nicId: '' }).errors).toEqual({
      publicIpId: 'Choose an acquired public IP',
      nicId: 'Choose the NIC that receives the traffic',
    });
  });

  it('refuses ports outside 1-65535 and what is not a whole number, under the field', () => {
    for (const bad of ['', '0', '65536', '8.5', 'ssh']) {
      expect(checkPfForm({ ...filled, publicPortStart: bad }).errors?.publicPortStart).toBe(
        'A port from 1 to 65535',
      );
    }
  });

  it('refuses a reversed range and ranges of different lengths, saying which field', () => {
    expect(checkPfForm({ ...filled, publicPortEnd: '2000' }).errors).toEqual({
      publicPortEnd: 'must not be below the public start port',
    });
    expect(checkPfForm({ ...filled, publicPortEnd: '2224' }).errors?.privatePortEnd).toMatch(
      /private range has 1 port\(s\), the public range 3/,
    );
    expect(
      checkPfForm({
        ...filled,
        publicPortStart: '1',
        publicPortEnd: '2000',
        privatePortStart: '1',
        privatePortEnd: '2000',
      }).errors,
    ).toEqual({
      publicPortEnd: 'at most 1000 ports per rule',
    });
  });

  it('labels ranges and maps server reasons to fields', () => {
    expect(portsLabel(22, 22)).toBe('22');
    expect(portsLabel(22, 24)).toBe('22-24');
    expect(FIELD_OF_REASON.PORT_RANGE_OVERLAP).toBe('publicPortStart');
    expect(FIELD_OF_REASON.PUBLIC_IP_STATIC_NAT).toBe('publicIpId');
  });
});
