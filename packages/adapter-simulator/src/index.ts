// @netplane/adapter-simulator: the simulator adapter (default export), its hub, and the standalone HTTP server.
import {
  AdapterError,
  type AdapterModule,
  type ControllerConnection,
  type NetworkElement,
} from '@netplane/adapter-sdk';
import { createSimulatorAdmin } from './admin/handlers';
import { SimulatorHub } from './core/hub';
import { createSimulatorElement, type SimTransport } from './element';
import {
  gatewayDeclineOf,
  SIMULATOR_VERSION,
  type SimulatorConfig,
  simulatorConfigSchema,
  simulatorManifest,
} from './manifest';
import { createHttpTransport } from './remote/http-client';

export { createSimulatorAdmin } from './admin/handlers';
export * from './admin/schema';
export type { CallMeta, CallRecord } from './core/call-log';
export type { SimCommand } from './core/commands';
export type { SimulatedController } from './core/controller';
export { SimulatorHub } from './core/hub';
export * from './core/types';
export { createSimulatorElement, type SimTransport } from './element';
export { SIMULATOR_VERSION, simulatorManifest } from './manifest';
export {
  createHttpTransport,
  createRemoteSimulatorControl,
  type RemoteSimulatorControl,
} from './remote/http-client';
export {
  type SimulatorServer,
  type SimulatorServerOptions,
  startSimulatorServer,
} from './remote/http-server';

/** The hub the default adapter module uses; a server that exposes simulator controls passes this one to the API. */
export const defaultSimulatorHub = new SimulatorHub(SIMULATOR_VERSION);

function hubTransport(hub: SimulatorHub, controllerId: string): SimTransport {
  const caller = `local/${process.pid}`;
  return {
    send: (cmd, ctx) =>
      hub.controller(controllerId).execute(cmd, ctx.signal, { caller, idempotencyKey: ctx.idempotencyKey }),
    watch: (listener) => hub.controller(controllerId).onChange(listener),
    close: async () => {},
  };
}

function failingTransport(error: AdapterError): SimTransport {
  return { send: async () => Promise.reject(error), close: async () => {} };
}

/** The simulator adapter bound to a hub: sim:// endpoints live in that hub, http(s):// ones in a remote simulator. */
export function createSimulatorAdapter(hub: SimulatorHub = defaultSimulatorHub): AdapterModule {
  return {
    manifest: simulatorManifest,
    // simulator.* in the API: profile, faults, stats and resource pages of this hub's (and remote) controllers.
    admin: createSimulatorAdmin(hub),
    createElement(connection: ControllerConnection): NetworkElement {
      const config = simulatorConfigSchema.safeParse(connection.config);
      return withGatewayModel(elementFor(connection), config.success ? config.data : {});
    },
  };

  function elementFor(connection: ControllerConnection): NetworkElement {
    const { endpoint, controllerId } = connection;
    if (endpoint.startsWith('sim://')) {
      if (!hub.has(controllerId)) {
        const config = simulatorConfigSchema.safeParse(connection.config);
        hub.controller(controllerId);
        if (config.success) {
          const { latencyMs, jitterMs } = config.data;
          void hub.setProfile(controllerId, {
            ...(latencyMs !== undefined && { latencyMs }),
            ...(jitterMs !== undefined && { jitterMs }),
          });
        }
      }
      return createSimulatorElement(hubTransport(hub, controllerId));
    }
    if (/^https?:\/\//.test(endpoint))
      return createSimulatorElement(createHttpTransport(endpoint, controllerId));
    return createSimulatorElement(
      failingTransport(
        new AdapterError(
          'INVALID_REQUEST',
          `Endpoint ${endpoint} is neither sim://<name> nor http://host:port`,
        ),
      ),
    );
  }
}

/** The gateway requirement is the element's own config, so it holds for in-process and remote controllers alike. */
function withGatewayModel(el: NetworkElement, config: SimulatorConfig): NetworkElement {
  if (!config.requireGatewayChassis) return el;
  return {
    ...el,
    canHandle: async (req, ctx) => {
      const reason = gatewayDeclineOf(config, req.service);
      return reason ? { canHandle: false, reason } : el.canHandle(req, ctx);
    },
  };
}

const simulatorAdapter: AdapterModule = createSimulatorAdapter();
export default simulatorAdapter;
