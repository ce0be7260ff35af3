// SIGTERM/SIGINT: stop accepting, let in-flight requests finish (up to a deadline), run drain hooks, close, exit 0.
import type { Server } from 'node:http';
import { runDrainHooks } from './drain';
import type { Logger } from './logger';

export function installShutdown(opts: {
  server: Server;
  state: { draining: boolean };
  logger: Logger;
  drainMs: number;
  close(): Promise<void>;
}): void {
  const { server, logger } = opts;
  let started = false;
  const shutdown = async (signal: string) => {
    if (started) return;
    started = true;
    opts.state.draining = true;
    const t0 = Date.now();
    logger.info(
      { signal, deadlineMs: opts.drainMs },
      'Draining: no new connections, finishing in-flight requests',
    );
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      logger.warn({}, 'Drain deadline reached: closing the remaining connections');
      server.closeAllConnections();
    }, opts.drainMs);
    await closed;
    clearTimeout(timer);
    const failures = await runDrainHooks(Math.max(1000, opts.drainMs - (Date.now() - t0)));
    for (const f of failures) logger.error({ hook: f.name, err: f.error }, 'A drain hook failed');
    try {
      await opts.close();
    } catch (err) {
      logger.error({ err }, 'Error while closing');
    }
    logger.info({ ms: Date.now() - t0 }, 'Stopped');
    process.exit(failures.length === 0 ? 0 : 1);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
