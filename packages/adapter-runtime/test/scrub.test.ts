// Credentials an adapter process prints on its own (stderr, `log` notifications, error messages) never reach the
// host's log or the errors it returns: the host scrubs every value it sent in element.open, and their base64 forms.
import { randomUUID } from 'node:crypto';
import { AdapterError } from '@netplane/adapter-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessAdapter } from '../src/index';
import { SecretScrubber } from '../src/scrub';
import { ctx, nic, recordingLogger, startToy, waitFor } from './support';

let running: ProcessAdapter | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('secrets an adapter prints', () => {
  it('are scrubbed from stderr lines, log notifications and error messages', async () => {
    const canary = `canary-${randomUUID()}`;
    const forms = [
      canary,
      Buffer.from(canary).toString('base64'),
      Buffer.from(`admin:${canary}`).toString('base64'),
    ];
    const { started, lines } = startToy();
    running = await started;
    const elementLog = recordingLogger();
    const el = running.module.createElement(
      {
        controllerId: randomUUID(),
        endpoint: 'toy://x',
        credentials: { username: 'admin', password: canary },
        config: { leakCredentials: true },
      },
      elementLog,
    );
    const error = await el.prepareNic(nic(1), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).message).toBe('the controller refused password [REDACTED]');
    const stderr = () => lines.filter((l) => (l.obj as { stream?: string }).stream === 'stderr');
    await waitFor(() => stderr().length >= 2, 'both stderr lines logged');
    expect(stderr().map((l) => l.msg)).toEqual([
      'toy: logging in with [REDACTED] (basic [REDACTED])',
      'toy: token [REDACTED]',
    ]);
    const logged = elementLog.lines.find((l) => l.msg?.startsWith('log line with'));
    expect(logged?.msg).toBe('log line with [REDACTED]');
    expect(logged?.obj).toMatchObject({ password: '[REDACTED]', detail: { note: 'pw=[REDACTED]' } });
    const everything = JSON.stringify({
      host: lines,
      element: elementLog.lines,
      error: { ...(error as AdapterError), message: (error as Error).message, stack: (error as Error).stack },
    });
    for (const f of forms) expect(everything).not.toContain(f);
  });

  it('replaces the longest value first and leaves short values alone', () => {
    const s = new SecretScrubber();
    s.add({ a: 'secret', b: 'secret-longer', c: 'ab' });
    expect(s.scrub('secret-longer and secret and ab')).toBe('[REDACTED] and [REDACTED] and ab');
    expect(s.scrub('a.b*c')).toBe('a.b*c');
  });
});
