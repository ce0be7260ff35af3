// Runs the standalone simulator: `npx tsx packages/adapter-simulator/src/bin/simulator-server.ts [--port N]`.
// Prints one JSON line {"url": ...} once listening, so a parent process can read the port; stops on SIGTERM/SIGINT.
import { startSimulatorServer } from '../remote/http-server';

function portArg(argv: string[]): number {
  const i = argv.indexOf('--port');
  const raw = i >= 0 ? argv[i + 1] : undefined;
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port ${raw}`);
  return port;
}

const server = await startSimulatorServer({ port: portArg(process.argv.slice(2)) });
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, pid: process.pid })}\n`);
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
