// The standalone simulator as a real child process, killable and restartable (empty) on the same port: a controller
// that crashed and came back without its state.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type SimulatorProcess = { url: string; port: number; proc: ChildProcess; kill(): Promise<void> };

/** `simulator-server.ts --port <port>` (0: any free port); resolves once it printed its URL. */
export async function startSimulator(port = 0): Promise<SimulatorProcess> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'packages/adapter-simulator/src/bin/simulator-server.ts'),
      '--port',
      String(port),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stderr?.on('data', (d) => {
    out += String(d);
  });
  const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${out}`)), 30_000);
    proc.stdout?.on('data', (d) => {
      out += String(d);
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; port: number });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code}:\n${out}`));
    });
  });
  return {
    ...started,
    proc,
    // SIGKILL: a crash, not a clean stop; whatever it held in memory is gone.
    kill: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
