// One outage, few lines: the first failure, a repeat every 5 s with the suppressed count, and one recovery line.
import { describe, expect, it } from 'vitest';
import { OutageLog } from './outage-log';

describe('OutageLog', () => {
  it('logs the first failure, suppresses repeats for 5 s, and logs the recovery once', () => {
    const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
    const log = (level: string) => (obj: object, msg?: string) =>
      lines.push({ level, obj: obj as Record<string, unknown>, msg });
    let now = 1_000;
    const outage = new OutageLog(
      { info: log('info'), warn: log('warn'), error: log('error') },
      'Heartbeat',
      () => now,
    );
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    for (let i = 0; i < 10; i++) {
      outage.failed(lost);
      now += 600;
    }
    expect(outage.isFailing).toBe(true);
    outage.succeeded();
    outage.succeeded();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'Heartbeat failed; retrying'],
      ['warn', 'Heartbeat failed; retrying'],
      ['info', 'Heartbeat works again'],
    ]);
    expect(lines[1]?.obj).toMatchObject({ err: 'read ECONNRESET', suppressed: 8 });
    expect(lines[2]?.obj).toMatchObject({ failedForMs: 6_000 });
    expect(outage.isFailing).toBe(false);
  });
});
