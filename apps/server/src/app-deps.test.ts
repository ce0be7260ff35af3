// The logger the API and the engine hand adapters reaches pino: debug lines show at LOG_LEVEL=debug, not at info.
import { toAdapterLogger } from '@netplane/adapter-sdk';
import type { LoginLimiter } from '@netplane/api';
import type { DbHandle } from '@netplane/db';
import type { Keyring } from '@netplane/secrets';
import { describe, expect, it } from 'vitest';
import { buildApiDeps } from './app-deps';
import { createLogger } from './logger';

function adapterLines(level: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { level, nodeId: 'n1' },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  // Nothing here touches the database, the keyring or the limiter (the engine is built, never started): only the logger is under test.
  const deps = buildApiDeps({
    db: {} as DbHandle,
    logger,
    adapters: [],
    keyring: {} as Keyring,
    loginLimiter: {} as LoginLimiter,
    engineOptions: {},
  });
  const log = toAdapterLogger(deps.logger, { adapterId: 'ovn', controllerId: 'c1' });
  log.debug({ state: 'open' }, 'OVN NB connection');
  log.info({ state: 'ready' }, 'OVN NB ready');
  return lines;
}

describe('the adapters logger', () => {
  it("reaches pino's debug at LOG_LEVEL=debug, with the adapter and controller on the line", () => {
    const lines = adapterLines('debug');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [20, 'OVN NB connection'],
      [30, 'OVN NB ready'],
    ]);
    expect(lines[0]).toMatchObject({ adapterId: 'ovn', controllerId: 'c1', state: 'open', node: 'n1' });
  });

  it('keeps debug lines out at LOG_LEVEL=info', () => {
    expect(adapterLines('info').map((l) => l.msg)).toEqual(['OVN NB ready']);
  });
});
