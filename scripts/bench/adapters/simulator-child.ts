// The simulator as an out-of-process adapter for the adapters bench: its hub behind the wire protocol on stdio, and
// the same hub's control surface (profile, stats, call log) on a loopback HTTP port, written to the file named by
// `--control-file` (stdout carries protocol messages only). `node --import tsx simulator-child.ts --control-file F`.
import { writeFileSync } from 'node:fs';
import { serveAdapter } from '@netplane/adapter-sdk/serve';
import { createSimulatorAdapter, SimulatorHub, startSimulatorServer } from '@netplane/adapter-simulator';

const i = process.argv.indexOf('--control-file');
const file = i >= 0 ? process.argv[i + 1] : undefined;
const hub = new SimulatorHub('bench');
const control = await startSimulatorServer({ hub, port: 0 });
if (file) writeFileSync(file, control.url);
await serveAdapter(createSimulatorAdapter(hub));
await control.close();
