// ovn-trace's stages → hops named by our objects. OVN 23.03's stage names: ls_in_check_port_sec/ls_in_apply_port_sec
// (older: ls_in_port_sec_*), ls_in_acl/ls_out_acl (newer: *_acl_eval), lr_in_ip_routing, lr_in_dnat (ct_dnat* for
// static NAT, ct_lb* for load balancers and port forwarding), ls_in_lb (a tier's own load balancer), lr_out_snat. An ACL
// flow is the NB row's match behind a conntrack guard (`reg0[N] == 1 && (match)`) at the row's priority + 1000, which
// names the row without the Southbound database. Flows of OVN's own (default allow, hairpin...) make no hop.
import type { TraceHop, TraceHopRef, TraceResult, TraceSpec } from '@netplane/adapter-sdk';
import type { TracePacket, TraceStage, TraceVerdict } from '@netplane/ovsdb';
import { names } from '../names';
import { deliveryOf } from './deliver';
import { aclSummary, evidence } from './describe';
import type { VpcView } from './view';

const ACL_STAGE = /^ls_(in|out)_acl(_eval|_after_lb|_after_lb_eval)?$/;
const PORT_SEC_STAGE = /^ls_(in|out)_(check_port_sec|apply_port_sec|port_sec_\w+)$/;
const FLOW_GUARD = /^reg0\[\d+\] == 1 && \((.*)\)$/;
/** northd puts an ACL's flows this far above the row's priority. */
const ACL_PRIORITY_OFFSET = 1000;
const DNAT = /^ct_dnat(?:_in_czone)?\(([^),]+)/;
const SNAT = /^ct_snat(?:_in_czone)?\(([^),]+)/;
const LB = /^ct_lb(?:_mark)?\(backends=([^;)]*)/;
const BARE_LB = /^ct_lb(?:_mark)?;$/;

const isDrop = (s: TraceStage) => s.actions.some((a) => a === 'drop;' || a.startsWith('/* drop'));
const firstArg = (s: TraceStage, re: RegExp) =>
  s.actions.map((a) => re.exec(a)?.[1]).find((v): v is string => v !== undefined);

export function hopsOf(
  spec: TraceSpec,
  view: VpcView,
  built: { packet: TracePacket; lbDst?: string },
  verdict: TraceVerdict,
): Pick<TraceResult, 'outcome' | 'reason' | 'message' | 'hops' | 'deliveredTo'> {
  const { stages } = verdict;
  const vpcId = spec.vpcId;
  const tierName = (id: string) => spec.tiers.find((t) => t.networkId === id)?.name ?? id;
  const explicit = stages.findIndex(isDrop);
  const dropIndex = verdict.delivered.length > 0 ? -1 : explicit >= 0 ? explicit : stages.length - 1;
  let src = 'ip4Src' in built.packet ? built.packet.ip4Src : '';
  let dst = 'ip4Dst' in built.packet ? built.packet.ip4Dst : '';
  let port: number | null = spec.flow.protocol === 'icmp' ? null : spec.flow.port;
  const hops: TraceHop[] = [];
  let dropHop: { hop: TraceHop; reason: string } | undefined;
  const router: TraceHop['at'] = { type: 'router', id: vpcId, name: 'VPC router' };
  const gateway: TraceHop['at'] = { type: 'gateway', id: vpcId, name: 'VPC gateway' };

  const atOf = (s: TraceStage): TraceHop['at'] => {
    if (s.stage.startsWith('lr_')) return router;
    const place = view.place(s.pipeline === 'egress' ? (s.outport ?? s.inport) : s.inport);
    if (place?.kind === 'tier') return { type: 'tier', id: place.networkId, name: tierName(place.networkId) };
    if (place?.kind === 'external') return gateway;
    return { type: 'tier', id: null, name: s.datapath };
  };
  const add = (
    i: number,
    hop: Omit<TraceHop, 'evidence' | 'at'> & { at?: TraceHop['at'] },
    reason = 'Dropped',
  ) => {
    const s = stages[i] as TraceStage;
    const full: TraceHop = { at: atOf(s), ...hop, evidence: [evidence(s)] };
    hops.push(full);
    if (i === dropIndex || full.verdict === 'drop') dropHop ??= { hop: full, reason };
  };

  stages.forEach((s, i) => {
    const dropped = i === dropIndex;
    if (PORT_SEC_STAGE.test(s.stage)) {
      const place = view.place(s.pipeline === 'egress' ? (s.outport ?? '') : s.inport);
      const nic = place?.kind === 'tier' && place.nicId ? `NIC ${place.nicId}` : 'the port';
      if (dropped)
        add(
          i,
          {
            kind: 'portSecurity',
            verdict: 'drop',
            summary:
              s.pipeline === 'ingress'
                ? `port security of ${nic} dropped it: MAC ${built.packet.ethSrc} and IP ${src} are not the NIC's own`
                : `port security of ${nic} dropped it on delivery: the NIC takes only its own MAC and IP`,
          },
          'PortSecurityDenied',
        );
      else if (
        s.stage === 'ls_in_check_port_sec' &&
        spec.source.kind === 'nic' &&
        s.inport === names.nicPort(spec.source.nicId) &&
        !PORT_SEC_STAGE.test(stages[dropIndex]?.stage ?? '')
      )
        add(i, {
          kind: 'portSecurity',
          verdict: 'pass',
          summary: `port security of ${nic} passed it: MAC ${built.packet.ethSrc} and IP ${src} are the NIC's own`,
        });
      return;
    }
    const acl = ACL_STAGE.exec(s.stage);
    if (acl) {
      const inner = FLOW_GUARD.exec(s.match)?.[1] ?? s.match;
      const direction = acl[1] === 'in' ? 'from-lport' : 'to-lport';
      const o = view.acl(direction, s.priority - ACL_PRIORITY_OFFSET, inner);
      if (o) {
        const drop = dropped || o.action === 'deny';
        const ref: TraceHopRef = {
          type: 'aclRule',
          listId: o.listId,
          ruleId: o.rule?.ruleId ?? null,
          number: o.rule?.number ?? null,
          action: o.action,
          trafficType: o.trafficType,
        };
        const at = { type: 'tier' as const, id: o.networkId, name: tierName(o.networkId) };
        add(
          i,
          {
            kind: 'acl',
            verdict: drop ? 'drop' : 'pass',
            at,
            summary: aclSummary(o, at.name, drop),
            ref,
          },
          'AclDenied',
        );
      } else if (dropped)
        add(
          i,
          { kind: 'acl', verdict: 'drop', summary: `an ACL Netplane did not make dropped it (${inner})` },
          'AclDenied',
        );
      return;
    }
    if (s.stage === 'lr_in_ip_routing' || (dropped && s.stage === 'lr_in_ip_routing_pre')) {
      const out = s.actions.map((a) => /^outport = "([^"]+)";$/.exec(a)?.[1]).find(Boolean);
      if (dropped || !out) {
        add(i, { kind: 'route', verdict: 'drop', summary: `the router has no route to ${dst}` }, 'NoRoute');
        return;
      }
      const hop = s.actions.map((a) => /^reg0 = (\d+\.\d+\.\d+\.\d+);$/.exec(a)?.[1]).find(Boolean);
      const via = hop ? ` via ${hop}` : '';
      const summary =
        out === names.gatewayPort(vpcId)
          ? `the router routes ${dst} to the public network${via}`
          : `the router routes ${dst} to tier ${tierName(out.replace(/^netplane-lrp-/, ''))}`;
      add(i, { kind: 'route', verdict: 'pass', summary });
      return;
    }
    const natAt = s.stage.startsWith('lr_') ? gateway : atOf(s);
    const vip = `${dst}:${port ?? ''}`;
    const lb = view.lb(vip);
    // A bare ct_lb stands for the conntrack entry's DNAT; ovn-trace applies --lb-dst there, before the ct_lb with
    // backends of ls_in_lb/lr_in_dnat could: when it did (the VIP's backend), that is where the LB chose.
    const bare =
      built.lbDst !== undefined &&
      lb?.backends.includes(built.lbDst) &&
      s.actions.some((a) => BARE_LB.test(a));
    const backends = bare ? lb?.backends.join(',') : firstArg(s, LB);
    if (backends !== undefined && (bare || s.stage === 'lr_in_dnat' || s.stage === 'ls_in_lb')) {
      const list = backends.split(',').filter(Boolean);
      const chosen = list.find((b) => b === built.lbDst) ?? list[0] ?? '';
      const [ip = chosen, p] = chosen.split(':');
      const rewrite = { field: 'ip4.dst' as const, from: dst, to: ip };
      const lbName = lb
        ? `load balancer rule ${lb.name ?? lb.ruleId}`
        : 'a load balancer Netplane did not make';
      if (lb?.portForwarding)
        add(i, {
          kind: 'nat',
          verdict: 'pass',
          at: natAt,
          summary: `port forwarding rule ${lb.ruleId} sends ${vip} to ${chosen}`,
          ref: { type: 'portForwarding', ruleId: lb.ruleId },
          rewrite,
        });
      else
        add(i, {
          kind: 'lb',
          verdict: 'pass',
          at: natAt,
          summary:
            list.length > 1
              ? `${lbName} on ${vip} chooses among ${list.length} backends by source-address hash; this trace follows ${chosen}`
              : `${lbName} on ${vip} sends it to ${chosen}`,
          ...(lb ? { ref: { type: 'lbRule', ruleId: lb.ruleId, backend: chosen } } : {}),
          rewrite,
        });
      dst = ip;
      if (p !== undefined) port = Number(p);
      return;
    }
    const dnat = s.stage === 'lr_in_dnat' ? firstArg(s, DNAT) : undefined;
    if (dnat) {
      const nat = view.natByExternalIp(dst, ['dnat_and_snat', 'dnat']);
      add(i, {
        kind: 'nat',
        verdict: 'pass',
        at: natAt,
        summary: `static NAT${nat?.ruleId ? ` rule ${nat.ruleId}` : ''} rewrites the destination ${dst} to ${dnat}`,
        ...(nat?.ruleId ? { ref: { type: 'staticNat', ruleId: nat.ruleId } } : {}),
        rewrite: { field: 'ip4.dst', from: dst, to: dnat },
      });
      dst = dnat;
      return;
    }
    const snat = s.stage.startsWith('lr_out_') && s.stage.includes('snat') ? firstArg(s, SNAT) : undefined;
    if (snat) {
      const nat = view.natByExternalIp(snat, ['snat', 'dnat_and_snat']);
      const ref: TraceHopRef =
        nat?.type === 'dnat_and_snat' && nat.ruleId
          ? { type: 'staticNat', ruleId: nat.ruleId }
          : { type: 'sourceNat', publicIp: snat };
      add(i, {
        kind: 'nat',
        verdict: 'pass',
        at: natAt,
        summary: `${ref.type === 'staticNat' ? 'static NAT' : 'source NAT'} rewrites the source ${src} to ${snat}`,
        ref,
        rewrite: { field: 'ip4.src', from: src, to: snat },
      });
      src = snat;
      return;
    }
    if (dropped)
      add(
        i,
        {
          kind: s.stage.startsWith('lr_') ? 'route' : 'switch',
          verdict: 'drop',
          summary: `dropped at ${s.stage}: ${verdict.dropped?.why ?? 'no flow forwarded it'}`,
        },
        s.stage.startsWith('lr_in_ip_routing') ? 'NoRoute' : 'Dropped',
      );
  });

  if (dropHop) {
    return {
      outcome: 'dropped',
      reason: dropHop.reason,
      message: dropHop.hop.summary,
      hops,
      deliveredTo: null,
    };
  }
  return deliveryOf(verdict, view, { dst, port, tierName, atOf, hops });
}
