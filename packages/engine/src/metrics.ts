// Prometheus metrics of the engine: calls per element and outcome, call latency, queue depth, running jobs and
// breaker state per controller. The server registers them on its shared registry.
import { jobsRepo } from '@netplane/db';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Engine } from './engine';

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as const;

export function registerEngineMetrics(engine: Engine, registry: Registry): void {
  const calls = new Counter({
    name: 'netplane_element_calls_total',
    help: 'Adapter calls (attempts) by element, phase, outcome and error category',
    labelNames: ['element', 'phase', 'outcome', 'category'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'netplane_element_call_duration_seconds',
    help: 'Adapter call duration by element and phase',
    labelNames: ['element', 'phase'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  engine.onCall((c) => {
    calls.inc({
      element: c.adapterId,
      phase: c.phase,
      outcome: c.outcome,
      category: c.errorCategory ?? 'none',
    });
    latency.observe({ element: c.adapterId, phase: c.phase }, c.durationMs / 1000);
  });
  new Gauge({
    name: 'netplane_jobs_queued',
    help: 'Jobs waiting for a node (cluster-wide)',
    registers: [registry],
    async collect() {
      this.set((await jobsRepo.listJobs(engine.deps.db.db, { state: 'queued', limit: 10_000 })).length);
    },
  });
  new Gauge({
    name: 'netplane_jobs_running_here',
    help: 'Jobs this node runs now',
    registers: [registry],
    collect() {
      this.set(engine.runningJobs.length);
    },
  });
  new Gauge({
    name: 'netplane_controller_breaker_state',
    help: 'Circuit breaker per controller on this node: 0 closed, 1 half-open, 2 open, 3 isolated',
    labelNames: ['controller'] as const,
    registers: [registry],
    collect() {
      for (const id of engine.guardedControllers()) {
        this.set({ controller: id }, BREAKER_VALUE[engine.guardStats(id).breaker]);
      }
    },
  });
  new Gauge({
    name: 'netplane_controller_calls_queued',
    help: 'Calls of this node waiting for a controller slot',
    labelNames: ['controller'] as const,
    registers: [registry],
    collect() {
      for (const id of engine.guardedControllers())
        this.set({ controller: id }, engine.guardStats(id).queued);
    },
  });
}
