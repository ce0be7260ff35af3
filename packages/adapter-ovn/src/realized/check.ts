// checkRealized(): what ovn-northd made of a VPC's rows. Bump nb_cfg and snapshot our rows (compile-wait.ts), wait
// (bounded, event-driven) for northd to reach that nb_cfg in the Southbound, then judge each resource observe() would
// report from the Southbound's datapaths, port bindings and logical flows (verdicts.ts).
import type { RealizedReport, RealizedResource, RealizeScope } from '@netplane/adapter-sdk';
import { REALIZED_REASONS as R } from '@netplane/domain';
import type { NbDatabase } from '../nb';
import { observeRows } from '../observe';
import { bumpAndSnapshot } from './compile-wait';
import { readSouthbound } from './sb-facts';
import type { SbDatabase } from './southbound';
import { verdictOf } from './verdicts';
import { VpcRows } from './vpc-rows';

export async function checkRealized(
  nb: NbDatabase,
  sb: SbDatabase,
  scope: RealizeScope,
  signal: AbortSignal,
): Promise<RealizedReport> {
  const { nbCfg, sbCfg, snapshot } = await bumpAndSnapshot(nb, scope.vpcId, signal);
  const resources = observeRows(snapshot, {
    vpcId: scope.vpcId,
    ...(scope.networkIds ? { networkIds: scope.networkIds } : {}),
  });
  if (nbCfg === undefined) {
    return notCompiled(
      resources,
      'the Northbound database has no NB_Global row: ovn-northd has never run against it',
    );
  }
  const waited = await sb.waitNbCfg(nbCfg, scope.waitMs, signal);
  if (!waited.reached) {
    return notCompiled(
      resources,
      `ovn-northd did not compile within ${scope.waitMs} ms: NB_Global.nb_cfg is ${nbCfg}, NB_Global.sb_cfg was ` +
        `${sbCfg ?? 'unset'} and SB_Global.nb_cfg is ${waited.seen ?? 'unset (no SB_Global row)'}`,
    );
  }
  const rows = new VpcRows(snapshot, scope.vpcId);
  const facts = await readSouthbound(sb, rows.wants(resources), signal);
  return {
    overall: {
      realized: true,
      reason: R.realized,
      message: `ovn-northd compiled the Northbound database up to nb_cfg ${nbCfg}`,
    },
    resources: resources.map((r) => verdictOf(r, rows, facts)),
  };
}

/** Northd did not answer: nothing of the change is known compiled, so every resource waits on it. */
function notCompiled(resources: ReturnType<typeof observeRows>, message: string): RealizedReport {
  const each: RealizedResource[] = resources.map((r) => ({
    kind: r.kind,
    id: r.id,
    realized: false,
    reason: R.northdNotRunning,
    message,
  }));
  return { overall: { realized: false, reason: R.northdNotRunning, message }, resources: each };
}
