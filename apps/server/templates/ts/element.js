// @ts-check
// The NetworkElement of one __DISPLAY__ controller: every call idempotent by our ids (a repeat adopts what an earlier
// try made), an object in the way that is not ours is RESOURCE_CONFLICT and stays untouched, a batch answers per NIC,
// and an aborted signal rejects as TIMEOUT before anything changes.
import { AdapterError, sleep, throwIfAborted } from '@netplane/adapter-sdk';
import { controllerFor, nameOf, OURS } from './controller.js';

/** @typedef {import('@netplane/adapter-sdk').NetworkElement} NetworkElement */
/** @typedef {import('@netplane/adapter-sdk').CallContext} CallContext */

const ISOLATION = ['VLAN', 'VXLAN'];
const SERVICES = ['Connectivity', 'Dhcp'];

/** @param {string} resource @param {string} name @param {string} owner @param {string} message */
const conflict = (resource, name, owner, message) =>
  new AdapterError('RESOURCE_CONFLICT', message, {
    vendorCode: 'E_EXISTS',
    conflict: { resource, name, owner },
  });

/**
 * @param {import('@netplane/adapter-sdk').ControllerConnection} connection
 * @param {import('@netplane/adapter-sdk').AdapterEnv} env
 * @returns {NetworkElement}
 */
export function element(connection, env) {
  if (!connection.credentials.token) throw new AdapterError('AUTH_FAILED', 'the controller needs a token');
  const c = controllerFor(connection.endpoint);
  const latencyMs = Number(connection.config.latencyMs ?? 0);
  /** One round trip to the controller: a real adapter sends its request here, with ctx.signal. */
  const call = async (/** @type {CallContext} */ ctx) => {
    throwIfAborted(ctx.signal);
    if (latencyMs > 0) await sleep(latencyMs, ctx.signal);
  };

  /** @param {import('@netplane/adapter-sdk').NicSpec} nic */
  const prepare = (nic) => {
    const name = nameOf('port', nic.nicId);
    const sw = c.switches.get(nameOf('net', nic.networkId));
    if (!sw || sw.owner !== OURS)
      throw new AdapterError('INVALID_REQUEST', `network ${nic.networkId} is not implemented`);
    const port = c.ports.get(name);
    if (port) {
      if (port.owner !== OURS || port.mac !== nic.mac || port.ip !== nic.ip)
        throw conflict('port', name, port.owner, `port ${name} exists with MAC ${port.mac} / IP ${port.ip}`);
      return { nicId: nic.nicId, adopted: true };
    }
    c.ports.set(name, {
      owner: OURS,
      vpcId: nic.vpcId,
      id: nic.nicId,
      switch: nameOf('net', nic.networkId),
      mac: nic.mac,
      ip: nic.ip,
      vm: nic.vmName,
    });
    return { nicId: nic.nicId, adopted: false };
  };

  return {
    async canHandle({ service, network }) {
      if (!SERVICES.includes(service))
        return { canHandle: false, reason: `${service} is not offered by __DISPLAY__` };
      if (!ISOLATION.includes(network.isolation.method))
        return { canHandle: false, reason: `isolation ${network.isolation.method} is not supported` };
      return { canHandle: true };
    },
    async implementVpc(vpc, ctx) {
      await call(ctx);
      const name = nameOf('vpc', vpc.vpcId);
      const router = c.routers.get(name);
      if (router) {
        if (router.owner !== OURS)
          throw conflict('router', name, router.owner, `router ${name} already exists`);
        return { adopted: true };
      }
      c.routers.set(name, { owner: OURS, vpcId: vpc.vpcId, id: vpc.vpcId, cidr: vpc.cidr });
      return { adopted: false };
    },
    async destroyVpc(vpc, ctx) {
      await call(ctx);
      const name = nameOf('vpc', vpc.vpcId);
      if (c.routers.get(name)?.owner !== OURS) return;
      for (const [swName, sw] of c.switches)
        if (sw.owner === OURS && sw.vpcId === vpc.vpcId) c.removeSwitch(swName);
      c.routers.delete(name);
    },
    async implementNetwork(net, ctx) {
      await call(ctx);
      const { method, segmentId } = net.isolation;
      if (!ISOLATION.includes(method))
        throw new AdapterError('INVALID_REQUEST', `isolation ${method} is not supported`);
      const name = nameOf('net', net.networkId);
      const segment = `${method.toLowerCase()}:${segmentId}`;
      const broadcastUri = `${method.toLowerCase()}://${segmentId}`;
      const sw = c.switches.get(name);
      if (sw && sw.owner !== OURS) throw conflict('switch', name, sw.owner, `switch ${name} already exists`);
      const holder = c.segments.get(segment);
      if (holder !== undefined && holder !== name)
        throw conflict(
          'segment',
          segment,
          c.switches.get(holder)?.owner ?? 'unknown',
          `${segment} is used by ${holder}`,
        );
      if (sw) {
        if (sw.cidr !== net.cidr || sw.broadcastUri !== broadcastUri)
          throw conflict('switch', name, OURS, `switch ${name} exists with other settings`);
        return { broadcastUri, adopted: true };
      }
      c.switches.set(name, {
        owner: OURS,
        vpcId: net.vpcId,
        id: net.networkId,
        cidr: net.cidr,
        gateway: net.gateway,
        segment,
        broadcastUri,
        dhcp: net.services.includes('Dhcp'),
      });
      c.segments.set(segment, name);
      return { broadcastUri, adopted: false };
    },
    async prepareNic(nic, ctx) {
      await call(ctx);
      return prepare(nic);
    },
    async prepareNics(nics, ctx) {
      await call(ctx);
      return nics.map((nic) => {
        throwIfAborted(ctx.signal);
        try {
          return { nicId: nic.nicId, ok: /** @type {const} */ (true), result: prepare(nic) };
        } catch (e) {
          if (!(e instanceof AdapterError)) throw e;
          return { nicId: nic.nicId, ok: /** @type {const} */ (false), error: e };
        }
      });
    },
    async releaseNic(nic, ctx) {
      await call(ctx);
      const name = nameOf('port', nic.nicId);
      if (c.ports.get(name)?.owner === OURS) c.ports.delete(name);
    },
    async shutdownNetwork(net, ctx) {
      await call(ctx);
      const sw = nameOf('net', net.networkId);
      for (const [name, port] of c.ports) if (port.switch === sw && port.owner === OURS) c.ports.delete(name);
    },
    async destroyNetwork(net, ctx) {
      await call(ctx);
      const name = nameOf('net', net.networkId);
      if (c.switches.get(name)?.owner === OURS) c.removeSwitch(name);
    },
    async observe(scope, ctx) {
      await call(ctx);
      /** @type {import('@netplane/adapter-sdk').ObservedResource[]} */
      const resources = [];
      const router = scope.vpcId && !scope.networkIds ? c.routers.get(nameOf('vpc', scope.vpcId)) : undefined;
      if (router?.owner === OURS)
        resources.push({
          kind: 'vpc',
          id: router.id,
          name: nameOf('vpc', router.id),
          attributes: { cidr: router.cidr },
        });
      for (const [swName, sw] of [...c.switches].sort(([a], [b]) => a.localeCompare(b))) {
        if (sw.owner !== OURS) continue;
        if (scope.vpcId && sw.vpcId !== scope.vpcId) continue;
        if (scope.networkIds && !scope.networkIds.includes(sw.id)) continue;
        const attributes = { cidr: sw.cidr, gateway: sw.gateway, segment: sw.broadcastUri };
        resources.push({ kind: 'network', id: sw.id, name: swName, attributes });
        if (sw.dhcp)
          resources.push({ kind: 'dhcp', id: sw.id, name: swName, attributes: { router: sw.gateway } });
        for (const [portName, port] of c.ports)
          if (port.switch === swName && port.owner === OURS)
            resources.push({
              kind: 'nic',
              id: port.id,
              name: portName,
              attributes: { mac: port.mac, ip: port.ip },
            });
      }
      return { resources };
    },
    async healthCheck(ctx) {
      const started = performance.now();
      await call(ctx);
      return { ok: true, latencyMs: performance.now() - started };
    },
    async close() {
      env.logger.debug({ endpoint: connection.endpoint }, 'element closed');
    },
  };
}
