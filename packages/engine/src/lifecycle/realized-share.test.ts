// Realized checks that wait together share one call: joiners add their tiers until the call is announced, a later
// check asks anew, and a joiner whose leader stopped asks on its own.
import type { RealizedReport } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { type Share, sharedReport } from './realized-share';

const report = (tag: string): RealizedReport => ({
  overall: { realized: true, reason: 'Realized', message: tag },
  resources: [],
});

/** An ask that answers only when told to, recording each call's share. */
function controller() {
  const asked: { share: Share; answer(r: RealizedReport): void; fail(e: unknown): void }[] = [];
  const ask = (share: Share) =>
    new Promise<RealizedReport>((answer, fail) => {
      asked.push({ share, answer, fail });
    });
  return { asked, ask };
}

class Stopped extends Error {}
const leaderOnly = (e: unknown) => e instanceof Stopped;

describe('sharedReport', () => {
  it('sends one call for the checks that join before it is announced, with every tier in its scope', async () => {
    const owner = {};
    const c = controller();
    const a = sharedReport(owner, 'ctl:vpc', ['t1'], c.ask, leaderOnly);
    const b = sharedReport(owner, 'ctl:vpc', ['t2', 't1'], c.ask, leaderOnly);
    const other = sharedReport(owner, 'ctl:other-vpc', ['t9'], c.ask, leaderOnly);
    expect(c.asked).toHaveLength(2);
    expect(c.asked[0]?.share.networkIds).toEqual(['t1', 't2']);
    c.asked[0]?.share.close();
    // Announced: a check from now on is a new call.
    const late = sharedReport(owner, 'ctl:vpc', ['t3'], c.ask, leaderOnly);
    expect(c.asked).toHaveLength(3);
    expect(c.asked[2]?.share.networkIds).toEqual(['t3']);
    c.asked[0]?.answer(report('first'));
    c.asked[1]?.answer(report('other'));
    c.asked[2]?.answer(report('late'));
    expect((await a).overall.message).toBe('first');
    expect((await b).overall.message).toBe('first');
    expect((await other).overall.message).toBe('other');
    expect((await late).overall.message).toBe('late');
  });

  it("asks again for a joiner when the leader's call stopped, and passes the controller's failure on", async () => {
    const owner = {};
    const c = controller();
    const leader = sharedReport(owner, 'k', ['t1'], c.ask, leaderOnly);
    const joiner = sharedReport(owner, 'k', ['t2'], c.ask, leaderOnly);
    c.asked[0]?.fail(new Stopped('lease lost'));
    await expect(leader).rejects.toBeInstanceOf(Stopped);
    await new Promise((r) => setImmediate(r));
    expect(c.asked).toHaveLength(2);
    expect(c.asked[1]?.share.networkIds).toEqual(['t2']);
    const third = sharedReport(owner, 'k', ['t3'], c.ask, leaderOnly);
    c.asked[1]?.fail(new Error('controller unreachable'));
    await expect(joiner).rejects.toThrow('controller unreachable');
    await expect(third).rejects.toThrow('controller unreachable');
  });
});
