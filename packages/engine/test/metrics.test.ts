// Engine metrics on a Prometheus registry: calls per element and outcome, latency, queue depth, breaker state.
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { registerEngineMetrics } from '../src/index';
import { describeWorld } from './describe-world';
import { vpcWithTier, waitForJob } from './world';

describeWorld('engine metrics', {}, (world) => {
  it('counts calls per element and outcome and exposes breaker state and queue depth', async () => {
    const registry = new Registry();
    registerEngineMetrics(world.engine, registry);
    const { tier } = await vpcWithTier(world.w, world.engine, '10.90.0.0/16', '10.90.1.0/24');
    await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 't')).jobId);
    const text = await registry.metrics();
    expect(text).toMatch(
      /netplane_element_calls_total\{element="simulator",phase="implement",outcome="ok",category="none"\} 2/,
    );
    expect(text).toContain('netplane_element_call_duration_seconds_bucket');
    expect(text).toMatch(/netplane_jobs_queued \d+/);
    expect(text).toContain(`netplane_controller_breaker_state{controller="${world.w.controllerIds[0]}"} 0`);
  });
});
