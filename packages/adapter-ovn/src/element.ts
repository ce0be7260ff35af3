// The OVN NetworkElement: one per controller, one reconnecting OVSDB connection, every call mapped to AdapterError.
import {
  type AdapterEnv,
  AdapterError,
  type CallContext,
  type ControllerConnection,
  type NetworkElement,
  type RealizeScope,
  type TraceSpec,
  throwIfAborted,
} from '@netplane/adapter-sdk';
import type { TlsOptions } from '@netplane/ovsdb';
import { applyNetworkAcl } from './acl-list';
import { mapOvsdbError } from './errors';
import { gatewayPlanOf, needsGateway } from './gateway';
import { isolationUnsupported } from './isolation';
import { applyLbRule, revokeLbRule } from './lb';
import { type OvnConfig, ovnConfigSchema, ovnManifest } from './manifest';
import { NB_DB, NbDatabase } from './nb';
import { implementNetwork } from './network';
import { destroyNetwork, shutdownNetwork } from './network-teardown';
import { prepareNics, releaseNic } from './nics';
import { observe } from './observe';
import { applyPortForwarding, revokePortForwarding } from './port-forwarding';
import { checkRealized } from './realized/check';
import { SbDatabase } from './realized/southbound';
import { applyStaticNat, revokeStaticNat } from './static-nat';
import { OvnTracer, registerTracer, traceOvn } from './trace';
import { destroyVpc, implementVpc } from './vpc';
import { NbWatch } from './watch';

function tlsFrom(credentials: Record<string, string>): TlsOptions | undefined {
  const { privateKey, certificate, caCertificate } = credentials;
  if (!privateKey && !certificate && !caCertificate) return undefined;
  return {
    ...(privateKey ? { key: privateKey } : {}),
    ...(certificate ? { cert: certificate } : {}),
    ...(caCertificate ? { ca: caCertificate } : {}),
  };
}

type Opened =
  | { config: OvnConfig; db: NbDatabase; sb: SbDatabase | undefined }
  | { config: OvnConfig; error: AdapterError };

/** A bad endpoint or config fails every call with INVALID_REQUEST rather than the element's construction. */
function open(connection: ControllerConnection): Opened {
  const parsed = ovnConfigSchema.safeParse(connection.config ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    return {
      config: {},
      error: new AdapterError('INVALID_REQUEST', `Invalid OVN controller config: ${detail}`),
    };
  }
  const config = parsed.data;
  const tls = tlsFrom(connection.credentials ?? {});
  const options = {
    ...(tls ? { tls } : {}),
    ...(config.probeIntervalMs !== undefined ? { probeIntervalMs: config.probeIntervalMs } : {}),
    ...(config.connectTimeoutMs !== undefined ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
  };
  try {
    const db = new NbDatabase(connection.endpoint, options);
    // The Southbound takes the same TLS credentials; its client connects on the first Realized check.
    const sb = config.southboundEndpoint ? new SbDatabase(config.southboundEndpoint, options) : undefined;
    return { config, db, sb };
  } catch (e) {
    return { config, error: new AdapterError('INVALID_REQUEST', (e as Error).message) };
  }
}

export function createOvnElement(connection: ControllerConnection, env: AdapterEnv): NetworkElement {
  const opened = open(connection);
  const { config } = opened;
  if ('db' in opened) {
    opened.db.client.onStateChange((state, error) => {
      // Only the endpoint and the socket error: never credentials.
      env.logger.debug(
        { controllerId: connection.controllerId, state, error: error?.message },
        'OVN NB connection',
      );
    });
  }

  const sb = 'db' in opened ? opened.sb : undefined;
  const watcher = 'db' in opened ? new NbWatch(opened.db, env.logger) : undefined;
  // ovn-trace reads the Southbound database with the same TLS credentials as the Northbound connection; its daemon's
  // freshness barrier counts changes on the Realized check's Southbound connection.
  const tracer =
    config.southboundEndpoint && sb
      ? new OvnTracer(
          { endpoint: config.southboundEndpoint, credentials: connection.credentials ?? {} },
          sb.client,
          env.logger,
        )
      : undefined;

  const call = async <T>(
    ctx: CallContext,
    fn: (db: NbDatabase, signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    throwIfAborted(ctx.signal);
    if ('error' in opened) throw opened.error;
    try {
      return await fn(opened.db, ctx.signal);
    } catch (e) {
      throw mapOvsdbError(e);
    }
  };

  const element: NetworkElement = {
    async canHandle(req) {
      const service = ovnManifest.services[req.service];
      if ('error' in opened) return { canHandle: false, reason: opened.error.message };
      if (!service) return { canHandle: false, reason: `OVN adapter does not offer ${req.service}` };
      const { method, segmentId } = req.network.isolation;
      const unsupported = isolationUnsupported(method, segmentId, config);
      if (unsupported) return { canHandle: false, reason: unsupported };
      // SourceNat, StaticNat, Lb and PortForwarding run on the VPC's gateway: without everything it is built from, DECLINED here
      // rather than a tier implemented without the way out.
      if (needsGateway([req.service])) {
        const plan = gatewayPlanOf(req.network, config);
        if ('reason' in plan) return { canHandle: false, reason: `${req.service} ${plan.reason}` };
      }
      return { canHandle: true };
    },
    implementVpc: (vpc, ctx) => call(ctx, (db, s) => implementVpc(db, vpc, s)),
    destroyVpc: (vpc, ctx) => call(ctx, (db, s) => destroyVpc(db, vpc.vpcId, s)),
    implementNetwork: (n, ctx) => call(ctx, (db, s) => implementNetwork(db, n, config, s)),
    prepareNic: (nic, ctx) =>
      call(ctx, async (db, s) => {
        const [r] = await prepareNics(db, [nic], s);
        if (!r) throw new AdapterError('VENDOR_ERROR', 'no result for the NIC');
        if (!r.ok) throw r.error;
        return r.result;
      }),
    prepareNics: (nics, ctx) => call(ctx, (db, s) => prepareNics(db, nics, s)),
    releaseNic: (nic, ctx) => call(ctx, (db, s) => releaseNic(db, nic, s)),
    shutdownNetwork: (n, ctx) => call(ctx, (db, s) => shutdownNetwork(db, n, s)),
    destroyNetwork: (n, ctx) => call(ctx, (db, s) => destroyNetwork(db, n, s)),
    applyStaticNat: (rule, ctx) => call(ctx, (db, s) => applyStaticNat(db, rule, s)),
    revokeStaticNat: (rule, ctx) => call(ctx, (db, s) => revokeStaticNat(db, rule, s)),
    applyLbRule: (rule, ctx) => call(ctx, (db, s) => applyLbRule(db, rule, s)),
    revokeLbRule: (rule, ctx) => call(ctx, (db, s) => revokeLbRule(db, rule, s)),
    applyPortForwarding: (rule, ctx) => call(ctx, (db, s) => applyPortForwarding(db, rule, s)),
    revokePortForwarding: (rule, ctx) => call(ctx, (db, s) => revokePortForwarding(db, rule, s)),
    applyNetworkAcl: (acl, ctx) => call(ctx, (db, s) => applyNetworkAcl(db, acl, s)),
    observe: (scope, ctx) => call(ctx, async (db, s) => ({ resources: await observe(db, scope, s) })),
    healthCheck: (ctx) =>
      call(ctx, async (db, s) => {
        const started = performance.now();
        const dbs = await db.client.listDbs({ signal: s });
        const latencyMs = Math.round(performance.now() - started);
        if (!dbs.includes(NB_DB)) {
          return {
            ok: false,
            latencyMs,
            detail: `no ${NB_DB} database at ${connection.endpoint} (has ${dbs.join(', ')})`,
          };
        }
        const version = await db.schemaVersion(s);
        return { ok: true, latencyMs, version: `${NB_DB} ${version}`, detail: connection.endpoint };
      }),
    // Only with a Southbound to read: without it the engine reports Realized Unknown (CheckUnsupported).
    ...(sb
      ? {
          checkRealized: (scope: RealizeScope, ctx: CallContext) =>
            call(ctx, (db, s) => checkRealized(db, sb, scope, s)),
        }
      : {}),
    // Only with a Southbound database to trace against: without one the engine says the check is not available.
    ...(tracer
      ? {
          trace: (spec: TraceSpec, ctx: CallContext) => call(ctx, (db, s) => traceOvn(db, tracer, spec, s)),
        }
      : {}),
    // No watch on a bad endpoint or config: there is nothing to monitor, and every call already says why.
    ...(watcher
      ? { watch: (listener: Parameters<NbWatch['subscribe']>[0]) => watcher.subscribe(listener) }
      : {}),
    close: async () => {
      watcher?.close();
      // The daemon first: its barrier's monitor is on the Southbound connection.
      await tracer?.close();
      if ('db' in opened) await Promise.all([opened.db.close(), opened.sb?.close()]);
    },
  };
  if (tracer) registerTracer(element, tracer);
  return element;
}
