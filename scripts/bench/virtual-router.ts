// Virtual router boot storm (issue 14 point 5), end to end: one `nics.prepareBulk` of N NICs on one tier through the
// whole stack — HTTP tRPC → job → engine (SQLite or MariaDB) → the virtual-router adapter → a throw-away sshd on
// loopback → this machine as the router host — then every NIC's peer moved into its own "VM" namespace and busybox
// udhcpc in each asking for its lease from the tier's dnsmasq, timed from the job's submit to its end and to the
// last lease; against the same NIC work done one SSH command per NIC (a sample, scaled). Needs root.
// `npm run bench -- virtual-router [--nics 500] [--db sqlite|mysql] [--baseline-sample 50] [--spawners 8] [--nice N] [--no-leases]`
import { mkdtemp, rm } from 'node:fs/promises';
import { getPriority, loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterModule, NicSpec } from '@netplane/adapter-sdk';
import vrouterAdapter, { namesFor, type VrouterElement } from '@netplane/adapter-vrouter';
import { cleanupHost, linksOf, startSshd, testPrefix } from '@netplane/adapter-vrouter/testing';
import { argValue, dialectArg } from './lib/args';
import { jobEnds } from './ovn/job-ends';
import { startStack } from './ovn/stack';
import { perNicBaseline } from './vrouter/baseline';
import { registerVrouterTier } from './vrouter/inventory';
import { attachVms, createVms, deleteLinks, removeVms, serveLeases, type Vm } from './vrouter/vms';

const round = (n: number) => Math.round(n);
type Nic = { id: string; networkId: string; vpcId: string; vmName: string; mac: string; ip: string };

/** The adapter as the server would load it, keeping its elements (round trips) and the time of each prepareNics. */
function watched(elements: VrouterElement[], calls: { ms: number; nics: number }[]): AdapterModule {
  return {
    manifest: vrouterAdapter.manifest,
    createElement(connection, env) {
      const el = vrouterAdapter.createElement(connection, env) as VrouterElement;
      elements.push(el);
      const prepareNics = el.prepareNics.bind(el);
      el.prepareNics = async (nics, ctx) => {
        const t0 = performance.now();
        try {
          return await prepareNics(nics, ctx);
        } finally {
          calls.push({ ms: performance.now() - t0, nics: nics.length });
        }
      };
      return el;
    },
  };
}

export async function run(args: string[]): Promise<void> {
  const nicCount = Number(argValue(args, '--nics') ?? 500);
  const sample = Number(argValue(args, '--baseline-sample') ?? 50);
  const dialect = dialectArg(args);
  const leases = !args.includes('--no-leases');
  const spawners = Number(argValue(args, '--spawners') ?? 8);
  // On a machine shared with other work: the bench and all it starts (sshd and its scripts, dnsmasq, the VMs'
  // udhcpc inherit it) at another niceness, e.g. -10, so that the figures are less the other work's.
  const nice = argValue(args, '--nice');
  if (nice !== undefined) setPriority(Number(nice));
  if (!Number.isInteger(nicCount) || nicCount < 1 || nicCount > 1000)
    throw new Error('--nics must be 1..1000');
  const sshd = await startSshd();
  const prefix = testPrefix();
  const names = namesFor(prefix);
  const work = await mkdtemp(join(tmpdir(), `np-vrouter-bench-${prefix}-`));
  const stateDir = join(work, 'state');
  const elements: VrouterElement[] = [];
  const adapterCalls: { ms: number; nics: number }[] = [];
  const stack = await startStack(
    dialect,
    undefined,
    {},
    {
      adapters: [
        {
          id: 'virtual-router',
          status: 'Fully Loaded',
          source: 'bench',
          module: watched(elements, adapterCalls),
        },
      ],
      needs: 'virtual-router',
    },
  );
  const ends = jobEnds(stack);
  let vms: Vm[] = [];
  try {
    const vlan = 100 + (process.pid % 3000);
    const inv = await registerVrouterTier(stack.api, {
      endpoint: `ssh://root@127.0.0.1:${sshd.port}`,
      privateKey: sshd.privateKey,
      config: { hostKey: sshd.hostKey, namePrefix: prefix, stateDir },
      vlan,
    });
    const implemented = await ends.wait([inv.implementJobId]);
    if (implemented.states[0] !== 'succeeded') throw new Error(`implement: ${implemented.states[0]}`);
    await inv.waitBaseline();
    const baseTier = await stack.api.query<{ segmentId: number }>('tiers.get', { id: inv.baselineTierId });
    // The VMs are booting before the storm: their namespaces exist, each waits for its NIC.
    const vmNs = Array.from({ length: nicCount }, (_, i) => `${prefix}-vm-${i}`);
    const tVms = performance.now();
    await createVms(vmNs.map((ns) => ({ ns, ifname: '', ip: '' })));
    const vmCreateMs = performance.now() - tVms;
    vms = vmNs.map((ns) => ({ ns, ifname: '', ip: '' }));

    const trips0 = elements.reduce((n, e) => n + e.roundTrips(), 0);
    const t0 = performance.now();
    const epoch0 = Date.now();
    const request = Array.from({ length: nicCount }, (_, n) => ({ vmName: `storm-${n}` }));
    const submitted = await stack.api.mutate<{ jobId: string; nics: Nic[] }>('nics.prepareBulk', {
      tierId: inv.tierId,
      nics: request,
    });
    const acceptedMs = performance.now() - t0;
    const prepared = await ends.wait([submitted.jobId]);
    const jobMs = prepared.lastAt - t0;
    const roundTrips = elements.reduce((n, e) => n + e.roundTrips(), 0) - trips0;
    vms = submitted.nics.map((nic, i) => ({
      ns: vmNs[i] as string,
      ifname: names.nicPeer(nic.id),
      ip: nic.ip,
    }));

    let served: Record<string, unknown> = { leases: 'skipped (--no-leases)' };
    let allLeasesMs: number | null = null;
    let leasesOk = 0;
    if (leases && prepared.states[0] === 'succeeded') {
      const tAttach = performance.now();
      await attachVms(vms);
      const attachMs = performance.now() - tAttach;
      const r = await serveLeases(vms, work, spawners);
      leasesOk = r.ok;
      allLeasesMs = r.ok === vms.length ? r.lastLeaseAt - epoch0 : null;
      served = {
        leasesOk: r.ok,
        attachMs: round(attachMs),
        udhcpcSpawners: spawners,
        udhcpcSpawnMs: round(r.allSpawnedAt - r.firstSpawnAt),
        firstSpawnToLastLeaseMs: round(r.lastLeaseAt - r.firstSpawnAt),
        vmSideCpuMs: r.cpu,
        leaseFailures: r.failures.slice(0, 5),
      };
    }

    const baseSpecs: NicSpec[] = submitted.nics.slice(0, Math.min(sample, nicCount)).map((n, i) => ({
      nicId: `${n.id.slice(0, -12)}${(0xb0000000000 + i).toString(16).padStart(12, '0')}`,
      networkId: inv.baselineTierId,
      vpcId: n.vpcId,
      mac: `02:bb:${n.mac.slice(6)}`,
      ip: n.ip,
      vmName: n.vmName,
    }));
    const baseline = await perNicBaseline(
      sshd,
      prefix,
      stateDir,
      { networkId: inv.baselineTierId, vpcId: inv.vpcId, vlan: baseTier.segmentId },
      baseSpecs,
    );
    const perNicMs = baseline.ms / baseSpecs.length;
    const scaledMs = perNicMs * nicCount;
    const line = {
      bench: 'virtual-router',
      transport: 'http',
      db: dialect,
      nics: nicCount,
      jobState: prepared.states[0],
      requestAcceptedMs: round(acceptedMs),
      jobMs: round(jobMs),
      jobMsFrom: 'nics.prepareBulk sent -> job ended (engine event)',
      allLeasesMs: allLeasesMs === null ? null : round(allLeasesMs),
      allLeasesMsFrom:
        'nics.prepareBulk sent -> last udhcpc bound its lease (job, VMs attached, every udhcpc)',
      adapterCalls: adapterCalls.map((c) => ({ ms: round(c.ms), nics: c.nics })),
      sshRoundTrips: roundTrips,
      ...served,
      vmNamespacesCreateMs: round(vmCreateMs),
      baselineSample: baseSpecs.length,
      baselinePerNicMs: round(perNicMs),
      baselineScaledMs: round(scaledMs),
      baselineRoundTrips: nicCount,
      ratioBaselineToJob: Math.round((scaledMs / jobMs) * 10) / 10,
      nice: getPriority(),
      goalUnder10s: allLeasesMs !== null && allLeasesMs < 10_000 && jobMs < 10_000,
      load: loadavg().map((l) => Math.round(l * 10) / 10),
    };
    console.log(JSON.stringify(line));
    if (prepared.states[0] !== 'succeeded' || (leases && leasesOk !== nicCount)) process.exitCode = 1;
  } finally {
    ends.off();
    // Each step on its own: a failing one must not leave 500 namespaces, 1000 veths and two dnsmasq behind.
    const step = (what: string, p: Promise<unknown>) =>
      p.catch((e: unknown) => console.error(`clean-up: ${what}: ${(e as Error).message}`));
    await step('VM namespaces', removeVms(vms));
    // The NICs' veths in one kernel operation (the clean-up below deletes what is left one by one).
    await step(
      'NIC veths',
      linksOf(prefix).then((ls) => deleteLinks(ls.filter((l) => l.startsWith(`${prefix}n`)))),
    );
    await step('stack', stack.close());
    await step('host', cleanupHost(prefix, stateDir));
    await step('sshd', sshd.stop());
    await step('work dir', rm(work, { recursive: true, force: true }));
  }
}
