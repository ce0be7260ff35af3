// What a drawn fault does to a call: throw the error a real controller would answer with, or plant a foreign resource
// (a router, VLAN, port or public IP) where the call needs its own.
import { AdapterError } from '@netplane/adapter-sdk';
import type { SimCommand } from './commands';
import type { SimStore } from './store';
import { type ActiveFault, DEFAULT_RETRY_AFTER_MS } from './types';

type Call = Exclude<SimCommand, { op: 'canHandle' }>;

export function applyFault(store: SimStore, fault: ActiveFault, cmd: Call): void {
  switch (fault.kind) {
    case 'timeout':
    case 'slowness':
    case 'unrealized':
      return;
    case 'connectionReset':
      throw new AdapterError('UNREACHABLE', 'Connection reset by the controller', {
        vendorCode: 'ECONNRESET',
      });
    case 'authFailure':
      throw new AdapterError('AUTH_FAILED', 'The controller rejected the credentials', {
        vendorCode: 'HTTP_401',
        vendorMessage: 'Unauthorized',
      });
    case 'capacityExhausted':
      throw new AdapterError('CAPACITY_EXHAUSTED', 'The controller has no capacity left', {
        vendorCode: 'INSUFFICIENT_RESOURCES',
        vendorMessage: 'no capacity left for this request',
      });
    case 'vendorError':
      throw new AdapterError('VENDOR_ERROR', `Controller error ${fault.code}: ${fault.message}`, {
        vendorCode: fault.code,
        vendorMessage: fault.message,
      });
    case 'rateLimited': {
      const retryAfterMs = fault.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      throw new AdapterError('RATE_LIMITED', 'Too many requests: the controller is throttling Netplane', {
        vendorCode: 'HTTP_429',
        vendorMessage: 'Too Many Requests',
        retryAfterMs,
      });
    }
    case 'foreignOwner':
      plantForFault(store, fault.owner ?? 'foreign-system', cmd);
      return;
  }
}

/** Puts a foreign resource exactly where this call needs ours, so the call itself meets the conflict. */
function plantForFault(store: SimStore, owner: string, cmd: Call): void {
  const s = store;
  switch (cmd.op) {
    case 'implementVpc':
      s.plantForeign('vpc', cmd.vpc.vpcId, owner, true);
      return;
    case 'implementNetwork':
      s.plantSegment(cmd.network.isolation.method, cmd.network.isolation.segmentId, owner, true);
      return;
    case 'prepareNic':
      s.plantForeign('nic', cmd.nic.nicId, owner, true);
      return;
    case 'prepareNics':
      if (cmd.nics[0]) s.plantForeign('nic', cmd.nics[0].nicId, owner, true);
      return;
    case 'applyStaticNat':
      s.plantAddress({ ip: cmd.rule.publicIp, vpcId: cmd.rule.vpcId, owner, plantedByFault: true });
      return;
    case 'applyLbRule': {
      const { publicIp: ip, publicPort: port, protocol, vpcId } = cmd.rule;
      s.plantAddress({ ip, vip: { port, protocol }, vpcId, owner, plantedByFault: true });
      return;
    }
    case 'applyPortForwarding': {
      const { publicIp: ip, publicPortStart: port, protocol, vpcId } = cmd.rule;
      s.plantAddress({ ip, vip: { port, protocol }, vpcId, owner, plantedByFault: true });
      return;
    }
    default:
      throw new AdapterError('RESOURCE_CONFLICT', `The resource is held by ${owner}`, {
        vendorCode: 'OWNED_BY_OTHER',
        conflict: { resource: cmd.op, name: cmd.op, owner },
      });
  }
}
