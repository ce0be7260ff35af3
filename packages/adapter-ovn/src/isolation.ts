// Which isolation methods this controller can implement: Geneve always, VLAN only with a localnet network name.
import type { IsolationMethod } from '@netplane/domain';
import type { OvnConfig } from './manifest';

/** Undefined when supported, else the reason (shown in negotiation traces and INVALID_REQUEST errors). */
export function isolationUnsupported(
  method: IsolationMethod,
  segmentId: number,
  config: OvnConfig,
): string | undefined {
  switch (method) {
    case 'GENEVE':
      return segmentId >= 1 && segmentId <= 16_777_215
        ? undefined
        : `Geneve VNI ${segmentId} is outside 1-16777215`;
    case 'VLAN':
      if (!config.localnetNetworkName) {
        return 'VLAN tiers need localnetNetworkName (the ovn-bridge-mappings name) in the controller configuration';
      }
      return segmentId >= 1 && segmentId <= 4094 ? undefined : `VLAN id ${segmentId} is outside 1-4094`;
    case 'VXLAN':
    case 'GRE':
    case 'STT':
      return `OVN tiers are Geneve overlays or VLAN localnet networks; ${method} is not implemented`;
  }
}
