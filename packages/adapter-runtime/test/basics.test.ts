// The runtime against a real child process: handshake, calls, errors, cancellation, watch, logs, info, start failures.
import { AdapterError } from '@netplane/adapter-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessAdapter } from '../src/index';
import { connection, ctx, env, nic, startToy, waitFor } from './support';

let running: ProcessAdapter | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('a well-behaved adapter process', () => {
  it('handshakes, serves calls with their results and AdapterErrors, and reports its process', async () => {
    const { started } = startToy();
    running = await started;
    expect(running.module.manifest.id).toBe('toy');
    const el = running.module.createElement(connection(), env);
    const batch = await el.prepareNics([nic(1), nic(2, 'conflict')], ctx());
    expect(batch[0]).toEqual({ nicId: 'nic-1', ok: true, result: { nicId: 'nic-1', adopted: false } });
    const failed = batch[1];
    expect(failed?.ok).toBe(false);
    if (failed?.ok === false) {
      expect(failed.error).toBeInstanceOf(AdapterError);
      expect(failed.error.category).toBe('RESOURCE_CONFLICT');
      expect(failed.error.vendorCode).toBe('E1');
    }
    expect((await el.prepareNic(nic(1), ctx())).adopted).toBe(true);
    expect(await el.releaseNic(nic(1), ctx())).toBeUndefined();
    const info = running.info();
    expect(info.kind).toBe('process');
    if (info.kind === 'process') {
      expect(info.state).toBe('running');
      expect(info.pid).toBeGreaterThan(0);
      expect(info.rssBytes).toBeGreaterThan(1_000_000);
      expect(info.protocolVersion).toBe(1);
      expect(info.command).not.toContain('hunter2');
    }
    await el.close();
  });

  it('the optional methods are those element.open answered', async () => {
    running = await startToy().started;
    const el = await running.openElement(connection(), env);
    expect(el.checkRealized).toBeUndefined();
    expect(el.trace).toBeUndefined();
    expect(el.applyStaticNat).toBeUndefined();
    expect(typeof el.watch).toBe('function');
  });

  it('an aborted signal rejects at once as TIMEOUT and cancels the call in the adapter', async () => {
    running = await startToy().started;
    const el = running.module.createElement(connection({ hang: true }), env);
    const ac = new AbortController();
    const call = el.prepareNic(nic(1), ctx(ac.signal));
    setTimeout(() => ac.abort(new Error('engine deadline')), 200);
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).category).toBe('TIMEOUT');
    // The process is fine and serves the next call.
    const other = running.module.createElement(connection(), env);
    expect((await other.prepareNic(nic(2), ctx())).nicId).toBe('nic-2');
  });

  it('watch events arrive as element.changed', async () => {
    running = await startToy().started;
    const el = running.module.createElement(connection(), env);
    const seen: string[][] = [];
    const off = el.watch?.((c) => seen.push([...c.vpcIds]));
    await waitFor(() => seen.length >= 2, 'two watch events');
    off?.();
    expect(seen[0]).toEqual(['vpc-watch']);
  });
});

describe('an adapter that cannot start', () => {
  it.each([
    ['factory-throws', /its factory threw: toy factory exploded/],
    ['exit-at-start', /exited with code 1 before its handshake: toy: refusing to start/],
    ['bad-manifest', /manifest.id is missing or malformed/],
  ])('%s rejects with one line naming why', async (mode, reason) => {
    const err = await startToy(mode).started.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(reason);
    expect((err as Error).message).not.toContain('\n');
  });

  it('no handshake within the deadline', async () => {
    const err = await startToy('silent', { handshakeTimeoutMs: 1_500 }).started.catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/no handshake within 1.5 s/);
  });
});
