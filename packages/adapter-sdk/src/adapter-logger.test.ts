import { describe, expect, it } from 'vitest';
import { toAdapterLogger } from './adapter-logger';

describe('toAdapterLogger', () => {
  it("passes every level to the host's, with the adapter and controller on each line", () => {
    const lines: [string, object, string | undefined][] = [];
    const at = (level: string) => (obj: object, msg?: string) => lines.push([level, obj, msg]);
    const log = toAdapterLogger(
      { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
      { adapterId: 'ovn', controllerId: 'c1' },
    );
    log.debug({ state: 'open' }, 'OVN NB connection');
    log.warn({ controllerId: 'other' }, 'w');
    expect(lines).toEqual([
      ['debug', { adapterId: 'ovn', controllerId: 'c1', state: 'open' }, 'OVN NB connection'],
      // The adapter's own fields win over the bound ones.
      ['warn', { adapterId: 'ovn', controllerId: 'other' }, 'w'],
    ]);
  });

  it('drops debug lines when the host has no debug', () => {
    const info: object[] = [];
    const log = toAdapterLogger(
      { info: (o) => info.push(o), warn: () => {}, error: () => {} },
      { adapterId: 'sim' },
    );
    expect(() => log.debug({ x: 1 })).not.toThrow();
    log.info({ x: 2 });
    expect(info).toEqual([{ adapterId: 'sim', x: 2 }]);
  });
});
