// Builders for inventory tests: a zone → physical network → provider → controller chain through the real API.
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import type { Caller } from '../fixtures';
import { SIMULATOR_ADAPTER_ID } from '../fixtures';

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export async function makeChain(
  admin: Caller,
  opts: { tags?: string[]; vlan?: string[]; endpoint?: string; adapterId?: string; password?: string } = {},
) {
  const zone = await admin.zones.create({ name: unique('zone') });
  const pn = await admin.physicalNetworks.create({
    zoneId: zone.id,
    name: unique('pn'),
    isolationMethods: ['VLAN', 'VXLAN'],
    tags: opts.tags ?? ['gold'],
    vlanRanges: opts.vlan ?? [],
  });
  const provider = await admin.providers.create({
    physicalNetworkId: pn.id,
    adapterId: opts.adapterId ?? SIMULATOR_ADAPTER_ID,
  });
  const controller = await admin.controllers.create({
    providerId: provider.id,
    name: unique('ctl'),
    endpoint: opts.endpoint ?? `sim://${unique('sim')}`,
    credentials: { username: 'admin', password: opts.password ?? 'pw-not-a-canary' },
  });
  return { zone, pn, provider, controller };
}

/** Runs fn, expects a TRPCError, and returns it with our AppError code. */
export async function expectError(
  fn: () => Promise<unknown>,
  appCode: string,
): Promise<TRPCError & { appCode?: string; details?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TRPCError);
    const err = e as TRPCError;
    const cause = err.cause as
      | { code?: string; details?: Record<string, unknown>; name?: string }
      | undefined;
    const code = cause?.name === 'ZodError' ? 'BAD_INPUT' : cause?.code;
    expect(code, `${err.code}: ${err.message}`).toBe(appCode);
    return Object.assign(err, { appCode: code, details: cause?.details });
  }
  throw new Error(`expected ${appCode}`);
}
