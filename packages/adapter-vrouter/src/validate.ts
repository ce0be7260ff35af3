// Every value of a spec that reaches a script on the router host is checked here first: ids, addresses, MACs, the
// DNS domain. A script line built from an unchecked value could carry a newline or a shell word (a dnsmasq option
// such as dhcp-script=, an `ip` command); bad input is INVALID_REQUEST before anything is sent.
import { isIPv4 } from 'node:net';
import {
  AdapterError,
  type NetworkSpec,
  type NicRef,
  type NicSpec,
  type VpcSpec,
} from '@netplane/adapter-sdk';

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;

function bad(what: string, value: unknown): never {
  throw new AdapterError('INVALID_REQUEST', `Invalid ${what}: ${JSON.stringify(value)?.slice(0, 80)}`);
}

export const checkId = (what: string, v: string): void => {
  if (typeof v !== 'string' || !ID.test(v)) bad(what, v);
};
const checkIp = (what: string, v: string) => {
  if (typeof v !== 'string' || !isIPv4(v)) bad(what, v);
};
function checkCidr(what: string, v: string): void {
  const [ip, plen, ...rest] = typeof v === 'string' ? v.split('/') : [];
  const n = Number(plen);
  if (rest.length > 0 || !ip || !isIPv4(ip) || !Number.isInteger(n) || n < 8 || n > 30) bad(what, v);
}

export function checkVpc(v: VpcSpec): void {
  checkId('vpcId', v.vpcId);
  checkCidr('VPC cidr', v.cidr);
}

export function checkNetwork(n: NetworkSpec): void {
  checkId('vpcId', n.vpcId);
  checkId('networkId', n.networkId);
  checkCidr('network cidr', n.cidr);
  checkIp('gateway', n.gateway);
  const seg = n.isolation?.segmentId;
  const max = n.isolation?.method === 'VLAN' ? 4094 : 16_777_215;
  if (!Number.isInteger(seg) || seg < 1 || seg > max) bad('segment id', seg);
  for (const dns of n.dhcp?.dnsServers ?? []) checkIp('DNS server', dns);
  if (n.dhcp?.dnsDomain != null && !DOMAIN.test(n.dhcp.dnsDomain)) bad('DNS domain', n.dhcp.dnsDomain);
  const mtu = n.dhcp?.physicalMtu;
  if (mtu !== undefined && (!Number.isInteger(mtu) || mtu < 1280 || mtu > 9216)) bad('physical MTU', mtu);
}

export function checkNicRef(nic: NicRef): void {
  checkId('nicId', nic.nicId);
  checkId('networkId', nic.networkId);
  checkId('vpcId', nic.vpcId);
}

export function checkNic(nic: NicSpec): void {
  checkNicRef(nic);
  if (typeof nic.mac !== 'string' || !MAC.test(nic.mac)) bad('MAC', nic.mac);
  checkIp('NIC IP', nic.ip);
}
