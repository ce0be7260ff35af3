// @ts-check
// An in-memory stand-in for the __DISPLAY__ controller: routers, switches, ports and a segment table, each object with
// an owner and external ids, as a real controller holds them. One per endpoint, shared by its elements. Delete it
// once element.js calls the real API.

export const OURS = 'netplane';

/** @param {string} kind @param {string} id */
export const nameOf = (kind, id) => `np-${kind}-${id}`;

/**
 * @typedef {{ owner: string, vpcId: string, id: string, cidr: string }} Router
 * @typedef {{ owner: string, vpcId: string, id: string, cidr: string, gateway: string, segment: string,
 *   broadcastUri: string, dhcp: boolean }} Switch
 * @typedef {{ owner: string, vpcId: string, id: string, switch: string, mac: string, ip: string, vm: string }} Port
 */
export class Controller {
  /** @type {Map<string, Router>} */ routers = new Map();
  /** @type {Map<string, Switch>} */ switches = new Map();
  /** @type {Map<string, string>} segment key -> switch name */ segments = new Map();
  /** @type {Map<string, Port>} */ ports = new Map();

  /** @param {string} name */
  removeSwitch(name) {
    const sw = this.switches.get(name);
    if (!sw) return;
    if (this.segments.get(sw.segment) === name) this.segments.delete(sw.segment);
    this.switches.delete(name);
    for (const [portName, port] of this.ports) if (port.switch === name) this.ports.delete(portName);
  }
}

/** @type {Map<string, Controller>} */
const controllers = new Map();

/** @param {string} endpoint */
export function controllerFor(endpoint) {
  let c = controllers.get(endpoint);
  if (!c) {
    c = new Controller();
    controllers.set(endpoint, c);
  }
  return c;
}
