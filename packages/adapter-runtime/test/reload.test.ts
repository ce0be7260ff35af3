// reload(): a new process takes new calls while the old one finishes its in-flight calls, then exits; a reload to a
// version that cannot start, or is another adapter, keeps the old one serving and says why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessAdapter } from '../src/index';
import { connection, ctx, env, isAlive, nic, startToy, waitFor } from './support';

let running: ProcessAdapter | undefined;
let dir: string;
let modeFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'np-reload-'));
  modeFile = join(dir, 'mode');
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const setMode = (mode: string, version: string) => writeFileSync(modeFile, `${mode} ${version}`);
const pidOf = (a: ProcessAdapter) => a.pid() as number;
/** The pid that served a call: the toy reports it in observe's attributes. */
const servedBy = async (el: ReturnType<ProcessAdapter['module']['createElement']>) => {
  await el.prepareNic(nic(999), ctx());
  const seen = await el.observe({}, ctx());
  return Number(seen.resources[0]?.attributes.pid);
};

describe('reload', () => {
  it('under 240 calls in flight: none fails, new calls land on the new pid, the old pid exits', async () => {
    setMode('ok', '1.0.0');
    const { started } = startToy(`@${modeFile}`);
    running = await started;
    const oldPid = pidOf(running);
    const el = running.module.createElement(connection({ prepareDelayMs: 2_500 }), env);
    expect(await servedBy(el)).toBe(oldPid);
    // Each takes 2.5 s in the adapter: they are still running on the old process while the new one starts.
    const inflight = Array.from({ length: 240 }, (_, i) => el.prepareNic(nic(i), ctx()));
    setMode('ok', '1.1.0');
    const result = await running.reload();
    expect(result).toEqual({ ok: true, previousVersion: '1.0.0', version: '1.1.0' });
    const newPid = pidOf(running);
    expect(newPid).not.toBe(oldPid);
    expect(running.module.manifest.version).toBe('1.1.0');
    // New calls, on an element opened before the reload, go to the new process.
    const after = Array.from({ length: 20 }, (_, i) => el.prepareNic(nic(1000 + i), ctx()));
    const settled = await Promise.allSettled([...inflight, ...after]);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    expect(await servedBy(el)).toBe(newPid);
    await waitFor(() => !isAlive(oldPid), 'the old process exits once its calls are done');
    const info = running.info();
    expect(info.kind === 'process' && info.restarts).toBe(0);
  });

  it('a version whose command now exits 1 is refused with the reason, and the old one keeps serving', async () => {
    setMode('ok', '1.0.0');
    running = await startToy(`@${modeFile}`).started;
    const oldPid = pidOf(running);
    const el = running.module.createElement(connection(), env);
    setMode('exit-at-start', '2.0.0');
    const result = await running.reload();
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.reason).toMatch(/exited with code 1 before its handshake.*version 1.0.0 keeps running/);
    expect(pidOf(running)).toBe(oldPid);
    expect(await servedBy(el)).toBe(oldPid);
    expect(running.module.manifest.version).toBe('1.0.0');
  });

  it.each([
    ['bad-manifest', /manifest.id is missing or malformed/],
    ['other-id', /the new version is adapter other, not toy/],
    ['factory-throws', /its factory threw/],
  ])('a reload to %s keeps the old one', async (mode, reason) => {
    setMode('ok', '1.0.0');
    running = await startToy(`@${modeFile}`).started;
    const oldPid = pidOf(running);
    setMode(mode, '2.0.0');
    const result = await running.reload();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
    expect(pidOf(running)).toBe(oldPid);
  });

  it('a reload to a version with more services changes the manifest and the elements opened before it', async () => {
    setMode('ok', '1.0.0');
    running = await startToy(`@${modeFile}`).started;
    const module = running.module;
    const el = module.createElement(connection(), env);
    expect(await servedBy(el)).toBeGreaterThan(0);
    expect(el.applyStaticNat).toBeUndefined();
    setMode('ok', '2.0.0');
    expect(await running.reload()).toMatchObject({ ok: true, version: '2.0.0' });
    // The same module object the server registered at start: its manifest reads through to the new process.
    expect(module.manifest.version).toBe('2.0.0');
    expect(Object.keys(module.manifest.services).sort()).toEqual(['Dhcp', 'StaticNat']);
    const rule = { ruleId: 'r1', vpcId: 'vpc-1', publicIp: '203.0.113.5', privateIp: '10.0.0.2' };
    expect(await el.applyStaticNat?.(rule as never, ctx())).toEqual({ adopted: false });
    setMode('ok', '1.5.0');
    expect(await running.reload()).toMatchObject({ ok: true, previousVersion: '2.0.0', version: '1.5.0' });
    expect(Object.keys(module.manifest.services)).toEqual(['Dhcp']);
    expect(el.applyStaticNat).toBeUndefined();
  });
});
