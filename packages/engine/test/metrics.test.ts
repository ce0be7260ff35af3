// Engine metrics on a Prometheus registry: calls per element and outcome, latency, queue depth, breaker state.
import { testDialects } from '@netplane/db/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, registerEngineMetrics } from '../src/index';
import { startWorld, vpcWithTier, type World, waitForJob } from './world';

describe.each(testDialects())('engine metrics on %s', (dialect) => {
  let w: World;
  let engine: Engine;
  beforeAll(async () => ({ w, engine } = await startWorld(dialect)));
  afterAll(() => w.cleanup());

  it('counts calls per element and outcome and exposes breaker state and queue depth', async () => {
    const registry = new Registry();
    registerEngineMetrics(engine, registry);
    const { tier } = await vpcWithTier(w, engine, '10.90.0.0/16', '10.90.1.0/24');
    await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId);
    const text = await registry.metrics();
    expect(text).toMatch(
      /netplane_element_calls_total\{element="simulator",phase="implement",outcome="ok",category="none"\} 2/,
    );
    expect(text).toContain('netplane_element_call_duration_seconds_bucket');
    expect(text).toMatch(/netplane_jobs_queued \d+/);
    expect(text).toContain(`netplane_controller_breaker_state{controller="${w.controllerIds[0]}"} 0`);
  });
});
