// Integration: ovsdb-server's inactivity probe (echo) is answered, so an idle client is never dropped.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsdbClient } from '../src';
import { findFreePort, type OvsdbServerHandle, startOvsdbServer } from '../src/testing';
import { waitFor } from './poll';

let server: OvsdbServerHandle;
let probedEndpoint: string;
let probedPort: number;

beforeAll(async () => {
  // A second remote, configured in the database, whose inactivity probe is 1 s instead of the default 5 s.
  server = await startOvsdbServer({ dbRemotes: true });
  probedPort = await findFreePort();
  await server.nbctl(['set-connection', `ptcp:${probedPort}:127.0.0.1`]);
  await server.nbctl(['set', 'connection', '.', 'inactivity_probe=1000']);
  probedEndpoint = `tcp:127.0.0.1:${probedPort}`;
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(probedPort, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
    (ok) => ok,
  );
});
afterAll(async () => {
  await server?.dispose();
});

describe('inactivity probe', () => {
  it('drops a silent peer that does not answer echo (the probe is really active)', async () => {
    const received: string[] = [];
    const closed = await new Promise<number>((resolve) => {
      const started = Date.now();
      const s = net.connect(probedPort, '127.0.0.1');
      s.on('data', (d) => received.push(d.toString()));
      s.on('close', () => resolve(Date.now() - started));
      s.on('error', () => {});
    });
    expect(received.join('')).toContain('"method":"echo"');
    expect(closed).toBeGreaterThan(1000);
  });

  it('keeps an idle client connected by answering the server echo requests', async () => {
    // Our own probe is off, so only the server's echo traffic crosses the idle connection.
    const client = await OvsdbClient.connect({ endpoint: probedEndpoint, probeIntervalMs: 0 });
    try {
      await waitFor(
        () => client.echoesAnswered,
        (n) => n >= 3,
        10_000,
      );
      expect(client.isConnected).toBe(true);
      expect(client.connectCount).toBe(1);
      expect(await client.listDbs()).toContain('OVN_Northbound');
    } finally {
      await client.close();
    }
  });
});

describe('client-side probe', () => {
  it('drops a session whose server stopped answering and reconnects once it answers again', async () => {
    const client = await OvsdbClient.connect({
      endpoint: server.tcpEndpoint,
      probeIntervalMs: 200,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    const pid = server.pid() as number;
    try {
      const m = await client.monitor('OVN_Northbound', { NB_Global: { columns: ['nb_cfg'] } });
      process.kill(pid, 'SIGSTOP');
      await waitFor(
        () => client.isConnected,
        (c) => !c,
      );
      process.kill(pid, 'SIGCONT');
      await waitFor(
        () => client.connectCount,
        (n) => n >= 2,
      );
      await m.ready;
      expect(m.cache.size('NB_Global')).toBe(1);
    } finally {
      process.kill(pid, 'SIGCONT');
      await client.close();
    }
  });
});
