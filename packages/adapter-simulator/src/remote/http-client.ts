// Talks to a standalone simulator over HTTP: the element's transport (fetch with the call's AbortSignal, statuses and
// network failures mapped to AdapterErrors) and a remote control client with the hub's control surface.
import { hostname } from 'node:os';
import { AdapterError, abortError, type CallContext } from '@netplane/adapter-sdk';
import type { CallRecord } from '../core/call-log';
import type { SimCommand } from '../core/commands';
import type {
  ActiveFault,
  FaultSpec,
  ForeignPlant,
  SimResourcePage,
  SimulatorControl,
  SimulatorProfile,
  SimulatorProfilePatch,
  SimulatorState,
  SimulatorSummary,
  TamperSpec,
} from '../core/types';
import type { SimTransport } from '../element';
import { batchFromWire, fromWire, isWireError, parseRetryAfter, type WireBatchItem } from './wire';

function networkError(e: unknown, url: string): AdapterError {
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code ?? 'ECONNRESET';
  return new AdapterError(
    'UNREACHABLE',
    `Cannot reach the simulator at ${url}: ${cause?.message ?? String(e)}`,
    {
      vendorCode: code,
      cause: e,
    },
  );
}

async function errorFrom(res: Response): Promise<AdapterError> {
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  const body = (await res.json().catch(() => null)) as { error?: unknown; message?: unknown } | null;
  if (isWireError(body?.error)) {
    const err = fromWire(body.error);
    if (err.category === 'RATE_LIMITED' && err.retryAfterMs === undefined && retryAfterMs !== undefined) {
      return new AdapterError('RATE_LIMITED', err.message, { ...err, retryAfterMs });
    }
    return err;
  }
  const message = typeof body?.message === 'string' ? body.message : res.statusText;
  if (res.status === 429 || res.status === 503) {
    return new AdapterError('RATE_LIMITED', `Controller answered ${res.status}: ${message}`, {
      vendorCode: `HTTP_${res.status}`,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (res.status === 401 || res.status === 403) {
    return new AdapterError('AUTH_FAILED', `Controller answered ${res.status}`, {
      vendorCode: `HTTP_${res.status}`,
    });
  }
  return new AdapterError('VENDOR_ERROR', `Controller answered ${res.status}: ${message}`, {
    vendorCode: `HTTP_${res.status}`,
    vendorMessage: message,
    retryable: res.status >= 500,
  });
}

async function request(url: string, init: RequestInit & { signal?: AbortSignal }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (init.signal?.aborted) throw abortError(init.signal);
    throw networkError(e, url);
  }
}

/** Identifies this Netplane process to the simulator's call log (fencing tests look for calls by a dead node). */
const CALLER = `${hostname()}/${process.pid}`;

export function createHttpTransport(baseUrl: string, controllerId: string): SimTransport {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/controllers/${encodeURIComponent(controllerId)}/call`;
  return {
    async send(cmd: SimCommand, ctx: CallContext): Promise<unknown> {
      const res = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': ctx.idempotencyKey,
          'x-netplane-caller': CALLER,
        },
        body: JSON.stringify(cmd),
        signal: ctx.signal,
      });
      if (!res.ok) throw await errorFrom(res);
      const body = (await res.json().catch((e: unknown) => {
        if (ctx.signal.aborted) throw abortError(ctx.signal);
        throw networkError(e, url);
      })) as { result: unknown };
      return cmd.op === 'prepareNics' ? batchFromWire(body.result as WireBatchItem[]) : body.result;
    },
    close: async () => {},
  };
}

export type RemoteSimulatorControl = SimulatorControl & {
  tamper(controllerId: string, spec: TamperSpec): Promise<void>;
  plantForeign(controllerId: string, plant: ForeignPlant): Promise<void>;
  removeForeign(controllerId: string, plant: ForeignPlant): Promise<void>;
  /** Calls that arrived at or after `since` (epoch ms), oldest first. */
  calls(controllerId: string, since?: number): Promise<CallRecord[]>;
};

/** The control surface of a remote simulator, e.g. for a cluster test that shares one controller between servers. */
export function createRemoteSimulatorControl(baseUrl: string): RemoteSimulatorControl {
  const base = baseUrl.replace(/\/+$/, '');
  const call = async (
    method: string,
    controllerId: string,
    path: string,
    body?: unknown,
  ): Promise<Response> => {
    const url = `${base}/v1/controllers/${encodeURIComponent(controllerId)}/${path}`;
    const res = await request(url, {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    if (!res.ok && res.status !== 404) throw await errorFrom(res);
    return res;
  };
  return {
    async getState(id) {
      const res = await call('GET', id, 'state');
      return res.status === 404 ? null : ((await res.json()) as SimulatorState);
    },
    async getSummary(id) {
      const res = await call('GET', id, 'summary');
      return res.status === 404 ? null : ((await res.json()) as SimulatorSummary);
    },
    async listResources(id, query) {
      const params = new URLSearchParams({ kind: query.kind, limit: String(query.limit) });
      if (query.networkId !== undefined) params.set('networkId', query.networkId);
      if (query.cursor !== undefined) params.set('cursor', query.cursor);
      const res = await call('GET', id, `resources?${params}`);
      return res.status === 404
        ? { items: [], nextCursor: null, total: 0 }
        : ((await res.json()) as SimResourcePage);
    },
    async setProfile(id, patch: SimulatorProfilePatch) {
      return (await (await call('PATCH', id, 'profile', patch)).json()) as SimulatorProfile;
    },
    async injectFault(id, fault: FaultSpec) {
      return (await (await call('POST', id, 'faults', fault)).json()) as ActiveFault;
    },
    async clearFaults(id) {
      await call('DELETE', id, 'faults');
    },
    async resetStats(id) {
      await call('POST', id, 'stats/reset');
    },
    async tamper(id, spec) {
      await call('POST', id, 'tamper', spec);
    },
    async plantForeign(id, plant) {
      await call('POST', id, 'foreign', plant);
    },
    async removeForeign(id, plant) {
      await call('POST', id, 'foreign/remove', plant);
    },
    async calls(id, since = 0) {
      const res = await call('GET', id, `calls?since=${since}`);
      return res.status === 404 ? [] : ((await res.json()) as { calls: CallRecord[] }).calls;
    },
  };
}
