// The haproxy configuration is the LB's record: what is rendered reads back as the same rules, a file not ours is
// seen as such, and spec values that could reach the file or a script are refused before any round trip. Pure: no
// host involved (the packets are in lb.test.ts).
import { randomUUID } from 'node:crypto';
import type { LbRuleSpec } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../src/context';
import { checkLbSpec, type LbMember, parseConfig, renderConfig } from '../src/lb/config';
import { type LbHost, parseRuntime } from '../src/lb/haproxy';
import { memberChanges } from '../src/lb/runtime';
import { namesFor } from '../src/names';

const ctxAt = (stateDir: string) =>
  ({ names: namesFor('np'), stateRoot: `${stateDir}/np`, config: {} }) as unknown as Ctx;
const c = ctxAt('/run/netplane-vrouter');

function spec(over: Partial<LbRuleSpec> = {}): LbRuleSpec {
  return {
    ruleId: randomUUID(),
    vpcId: randomUUID(),
    networkId: randomUUID(),
    name: 'web',
    publicIp: '203.0.113.60',
    publicPort: 80,
    privatePort: 8080,
    protocol: 'tcp',
    algorithm: 'source',
    members: [
      { nicId: randomUUID(), ip: '10.0.1.11' },
      { nicId: randomUUID(), ip: '10.0.1.10' },
    ],
    ...over,
  };
}

describe('virtual router LB configuration', () => {
  it('reads back the rules it renders, and tells a file not ours', () => {
    const a = spec();
    const rules = [checkLbSpec(c, a), checkLbSpec(c, { ...spec(), vpcId: a.vpcId, members: [] })];
    const text = renderConfig(c, a.vpcId, rules);
    expect(text).toContain('hash-type consistent');
    expect(parseConfig(a.vpcId, text)).toEqual([...rules].sort((x, y) => x.ruleId.localeCompare(y.ruleId)));
    expect(parseConfig(randomUUID(), text)).toBe('foreign');
    expect(parseConfig(a.vpcId, null)).toBeNull();
  });

  it('refuses udp, unknown algorithms, bad members and a stateDir too long for the stats socket', () => {
    const bad: Partial<LbRuleSpec>[] = [
      { protocol: 'udp' },
      { algorithm: 'random' as LbRuleSpec['algorithm'] },
      { members: [{ nicId: 'x;reboot', ip: '10.0.1.10' }] },
      { members: [{ nicId: 'n1', ip: '10.0.1.10\nserver evil 1.2.3.4:1' }] },
      { publicPort: 0 },
      { publicIp: '203.0.113.60 ' },
    ];
    for (const over of bad) expect(() => checkLbSpec(c, spec(over))).toThrow(/Invalid|tcp only/);
    expect(() => checkLbSpec(ctxAt(`/${'d'.repeat(60)}`), spec())).toThrow(/stats socket/);
  });

  it('parses show backend and show servers state, leaving out servers not in service', () => {
    const out = [
      '# name',
      'r1',
      'r2',
      '',
      '1',
      '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port',
      '2 r1 1 n2 10.0.1.11 2 0 1 1 5 1 0 0 0 0 0 0 - 8080 - 0 0 - - 0',
      '2 r1 2 n1 10.0.1.10 2 0 1 1 5 1 0 0 0 0 0 0 - 8080 - 0 0 - - 0',
      '2 r1 3 n3 10.0.1.12 0 1 1 1 5 1 0 0 0 0 0 0 - 8080 - 0 0 - - 0',
      '',
    ].join('\n');
    expect(parseRuntime(out)?.backends).toEqual(
      new Map([
        ['r1', ['10.0.1.10:8080', '10.0.1.11:8080']],
        ['r2', []],
      ]),
    );
    expect(parseRuntime('')).toBeNull();
  });
});

describe('virtual router LB member changes', () => {
  const vpcId = randomUUID();
  const base = checkLbSpec(c, { ...spec(), vpcId, algorithm: 'roundrobin' });
  const [m1, m2] = base.members as [LbMember, LbMember];
  const running = (): LbHost => ({
    rules: [base],
    cfgText: renderConfig(c, vpcId, [base]),
    foreign: false,
    pid: 42,
    runtime: {
      backends: new Map([[base.ruleId, [m1, m2].map((x) => `${x.ip}:8080`).sort()]]),
      servers: new Map([[base.ruleId, new Set([m1.nicId, m2.nicId])]]),
    },
  });

  it('takes only member changes to the runtime API, everything else to a reload', () => {
    const m3 = { nicId: randomUUID(), ip: '10.0.1.12' };
    expect(memberChanges(c, vpcId, running(), [{ ...base, members: [m2, m3] }])).toEqual({
      add: [{ backend: base.ruleId, server: m3.nicId, addr: '10.0.1.12:8080' }],
      del: [{ backend: base.ruleId, server: m1.nicId }],
    });
    expect(memberChanges(c, vpcId, running(), [base])).toBeNull(); // nothing to do
    expect(memberChanges(c, vpcId, running(), [{ ...base, algorithm: 'leastconn' }])).toBeNull();
    expect(memberChanges(c, vpcId, running(), [{ ...base, privatePort: 9090 }])).toBeNull();
    expect(
      memberChanges(c, vpcId, running(), [{ ...base, members: [m1, { ...m2, ip: '10.0.1.99' }] }]),
    ).toBeNull();
    expect(memberChanges(c, vpcId, { ...running(), pid: null }, [{ ...base, members: [m1] }])).toBeNull();
    // A name still held by a server being drained: a reload starts clean.
    const draining = running();
    draining.runtime?.servers.get(base.ruleId)?.add(m3.nicId);
    expect(memberChanges(c, vpcId, draining, [{ ...base, members: [m1, m2, m3] }])).toBeNull();
  });
});
