// The element's ovn-trace daemon (src/trace/daemon.ts, tracer.ts) on a real ovn-northd: a change that flips a verdict
// (an ACL list rule deny → allow) is seen by the next trace once northd compiled it (the freshness barrier replaces the
// daemon, whose snapshot predates it), a daemon killed with SIGKILL is replaced and reaped, concurrent traces share one
// daemon start, a daemon that runs out of --ct=new states is replaced, and close() leaves no process and no directory.
// Verdicts are compared with ovn-trace run directly, as in trace.test.ts.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseTrace } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SbDatabase } from '../src/realized/southbound';
import { OvnTracer, tracerOf } from '../src/trace';
import { aclRule, aclSpec } from './fixtures';
import { createElement, ctx, silentLogger, waitFor } from './support';
import {
  agreement,
  direct,
  fromNic,
  nicEndpoint,
  startTraceWorld,
  type TraceWorld,
  tcp,
  traced,
  traceSpec,
} from './trace-world';

let w: TraceWorld;
beforeAll(async () => {
  w = await startTraceWorld();
}, 60_000);
afterAll(async () => {
  await w?.dispose();
});

const stats = () => ({
  ...(tracerOf(w.el)?.stats ?? { daemonStarts: -1, daemonTraces: -1, oneShotRuns: -1 }),
});
/** Gone means reaped: a zombie still has its /proc entry. */
const gone = (pid: number) => !existsSync(`/proc/${pid}`);
const daemonDirs = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('netplane-ovn-traced-'));
/** Processes whose command line names this directory: the daemon and its lifeline. */
async function processesOf(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    if ((await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '')).includes(dir)) pids.push(Number(p));
  }
  return pids;
}

describe('the ovn-trace daemon', () => {
  it('answers a change that flips the verdict (deny → allow) once northd compiled it', async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    const spec = traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(5432));
    const denied = await traced(w, spec);
    expect(denied).toMatchObject({ outcome: 'dropped', reason: 'AclDenied' });
    const first = tracerOf(w.el)?.daemonPid;
    expect(first).toBeGreaterThan(0);
    const before = stats();
    // The same list with rule 20 allowing 5432 from web: the daemon's snapshot still has the deny.
    const everywhere = ['0.0.0.0/0'];
    const rules = [
      aclRule(10, { portStart: 80, portEnd: 80, cidrs: everywhere }),
      aclRule(20, { portStart: 5432, portEnd: 5432, cidrs: [w.web.cidr] }),
      aclRule(30, { portStart: 22, portEnd: 22, cidrs: everywhere }),
      aclRule(40, { portStart: 8080, portEnd: 8080, cidrs: everywhere }),
    ];
    await w.el.applyNetworkAcl?.(aclSpec(w.app, rules, 'app-acl'), ctx());
    // traced() waits for northd to have compiled it (nb_cfg → SB_Global.nb_cfg), then asks at once.
    const allowed = await traced(w, spec);
    expect(allowed, allowed.tool.output).toMatchObject({
      outcome: 'delivered',
      deliveredTo: { nicId: app1.nicId, port: 5432 },
    });
    // Answered by a new daemon, not by a one-shot run.
    expect(stats()).toMatchObject({
      daemonStarts: before.daemonStarts + 1,
      daemonTraces: before.daemonTraces + 1,
      oneShotRuns: before.oneShotRuns,
    });
    expect(tracerOf(w.el)?.daemonPid).not.toBe(first);
    await waitFor(() => gone(first as number), Boolean);
    const a = agreement(allowed, await direct(w, fromNic(web1, app1.ip, 5432)));
    expect(a.product).toEqual(a.direct);
    // Nothing changed since: the next trace asks the same daemon.
    await traced(w, traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(22)));
    expect(stats().daemonStarts).toBe(before.daemonStarts + 1);
  });

  it('replaces a daemon killed with SIGKILL, and reaps it', async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    await traced(w, traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(80)));
    const pid = tracerOf(w.el)?.daemonPid as number;
    expect(pid).toBeGreaterThan(0);
    const before = stats();
    process.kill(pid, 'SIGKILL');
    const r = await traced(w, traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(80)));
    expect(r).toMatchObject({ outcome: 'delivered', deliveredTo: { nicId: app1.nicId, port: 80 } });
    expect(stats()).toMatchObject({ daemonStarts: before.daemonStarts + 1, oneShotRuns: before.oneShotRuns });
    expect(tracerOf(w.el)?.daemonPid).not.toBe(pid);
    await waitFor(() => gone(pid), Boolean);
  });

  it('starts one daemon for concurrent traces, in a private directory that close() removes with every process', async () => {
    const el = createElement(w.nb.unixEndpoint, {
      gatewayChassis: 'gw1',
      southboundEndpoint: w.northd.sb.unixEndpoint,
    });
    const [web1, web2] = w.webNics;
    const [app1] = w.appNics;
    const dirsBefore = await daemonDirs();
    let dir = '';
    let pid = 0;
    try {
      await w.northd.sync();
      // 3306: no rule of app's list admits it.
      const ports = [80, 3306, 22, 8080];
      const results = await Promise.all(
        ports.map((p) => el.trace?.(traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(p)), ctx())),
      );
      expect(results.map((r) => r?.outcome)).toEqual(['delivered', 'dropped', 'delivered', 'delivered']);
      expect(tracerOf(el)?.stats).toEqual({ daemonStarts: 1, daemonTraces: 4, oneShotRuns: 0 });
      const within = await el.trace?.(traceSpec(w, nicEndpoint(web1), nicEndpoint(web2), tcp(80)), ctx());
      expect(within?.outcome).toBe('delivered');
      pid = tracerOf(el)?.daemonPid as number;
      // Other test files of the package start daemons of their own meanwhile (files run side by side): this
      // element's directory is the new one whose pidfile names its daemon.
      const added = (await daemonDirs()).filter((d) => !dirsBefore.includes(d));
      const ours = [];
      for (const d of added) {
        const pidText = await readFile(`${tmpdir()}/${d}/ovn-trace.pid`, 'utf8').catch(() => '');
        if (Number(pidText.trim()) === pid) ours.push(d);
      }
      expect(ours).toHaveLength(1);
      dir = `${tmpdir()}/${ours[0]}`;
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect((await readdir(dir)).sort()).toEqual(['ovn-trace.ctl', 'ovn-trace.log', 'ovn-trace.pid']);
      expect(await processesOf(dir)).toContain(pid);
    } finally {
      await el.close();
    }
    expect(gone(pid)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(await processesOf(dir)).toEqual([]);
  });

  it('replaces a daemon that ran out of --ct=new states rather than answer trk,est', async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    await w.northd.sync();
    const sb = new SbDatabase(w.northd.sb.unixEndpoint, {});
    // 5 states: this trace makes 2 lookups (ls_in_pre_stateful's ct_next, ls_in_lb's ct_lb), so the third runs out.
    const tracer = new OvnTracer(
      { endpoint: w.northd.sb.unixEndpoint, credentials: {} },
      sb.client,
      silentLogger,
      5,
    );
    try {
      const packet = fromNic(web1, app1.ip, 80);
      const want = await direct(w, packet);
      for (let i = 0; i < 6; i++) {
        const run = await tracer.run(packet, undefined, AbortSignal.timeout(30_000));
        if (!run.ok) throw new Error(JSON.stringify(run));
        expect(run.stdout).not.toContain('use --ct to customize');
        expect(parseTrace(run.stdout).delivered).toEqual(want.delivered);
      }
      expect(tracer.stats.daemonStarts).toBeGreaterThan(1);
      expect(tracer.stats.oneShotRuns).toBe(0);
    } finally {
      await tracer.close();
      await sb.close();
    }
  });
});
