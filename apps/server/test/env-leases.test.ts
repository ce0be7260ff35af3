// Job lease settings: 8 s leases renewed every 2 s by default (a dead node's jobs are taken over within ~8 s), the
// renewal a quarter of a lease set alone, and a renewal interval longer than half the lease refused at startup.
import { DEFAULT_OPTIONS } from '@netplane/engine';
import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '../src/env';

describe('job lease settings', () => {
  it('uses the engine default lease and renews it four times per lease', () => {
    const env = loadEnv({});
    expect(env.engineOptions).toMatchObject({ leaseMs: DEFAULT_OPTIONS.leaseMs, heartbeatMs: 2_000 });
    expect(DEFAULT_OPTIONS.heartbeatMs * 4).toBe(DEFAULT_OPTIONS.leaseMs);
  });

  it('derives the renewal from a lease set alone and takes an explicit one', () => {
    expect(loadEnv({ NETPLANE_JOB_LEASE_MS: '3000' }).engineOptions).toMatchObject({
      leaseMs: 3_000,
      heartbeatMs: 750,
    });
    expect(
      loadEnv({ NETPLANE_JOB_LEASE_MS: '3000', NETPLANE_JOB_HEARTBEAT_MS: '500' }).engineOptions,
    ).toMatchObject({ leaseMs: 3_000, heartbeatMs: 500 });
  });

  it('refuses a renewal interval longer than half the lease, naming the variable', () => {
    expect(() => loadEnv({ NETPLANE_JOB_HEARTBEAT_MS: '5000' })).toThrow(EnvError);
    expect(() => loadEnv({ NETPLANE_JOB_HEARTBEAT_MS: '5000' })).toThrow(/NETPLANE_JOB_HEARTBEAT_MS/);
  });
});
