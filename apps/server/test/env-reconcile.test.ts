// The reconcile and drift-watch settings: the scheduled reconcile is on by default (5 min), 0 turns it off, and the
// drift debounce passes through only when set (the engine's default otherwise).
import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '../src/env';

describe('reconcile settings', () => {
  it('schedules a reconcile every 300 s by default and leaves the drift debounce to the engine', () => {
    const env = loadEnv({});
    expect(env.engineOptions?.reconcileIntervalMs).toBe(300_000);
    expect(env.engineOptions).not.toHaveProperty('driftDebounceMs');
  });

  it('reads NETPLANE_RECONCILE_INTERVAL_S (0 disables) and NETPLANE_DRIFT_DEBOUNCE_MS', () => {
    expect(loadEnv({ NETPLANE_RECONCILE_INTERVAL_S: '0' }).engineOptions?.reconcileIntervalMs).toBe(0);
    const env = loadEnv({ NETPLANE_RECONCILE_INTERVAL_S: '60', NETPLANE_DRIFT_DEBOUNCE_MS: '0' });
    expect(env.engineOptions).toMatchObject({ reconcileIntervalMs: 60_000, driftDebounceMs: 0 });
    expect(() => loadEnv({ NETPLANE_RECONCILE_INTERVAL_S: '-1' })).toThrow(EnvError);
  });

  it('passes NETPLANE_REALIZED_WAIT_MS through only when set, and refuses a negative one', () => {
    expect(loadEnv({}).engineOptions).not.toHaveProperty('realizedWaitMs');
    expect(loadEnv({ NETPLANE_REALIZED_WAIT_MS: '2500' }).engineOptions).toMatchObject({
      realizedWaitMs: 2500,
    });
    expect(() => loadEnv({ NETPLANE_REALIZED_WAIT_MS: '-1' })).toThrow(EnvError);
  });
});
