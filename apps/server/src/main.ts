// The CLI: `start` (default), `migrate`, `keys status`, `keys rotate`, `adapters list [--json]`,
// `adapters reload <id>` (the last two ask a running server with NETPLANE_TOKEN; adapters-remote.ts), and for adapter
// authors `adapter test` (the conformance kit) and `adapter new` (a scaffold).
import { adapterNew } from './adapter-new-cli';
import { adapterTest } from './adapter-test-cli';
import { adaptersList } from './adapters-cli';
import { adaptersReload, remoteOptions } from './adapters-remote';
import { openDatabase } from './database';
import { EnvError, isDebugLogging, loadEnv } from './env';
import { keysRotate, keysStatus } from './keys';
import { createLogger } from './logger';
import { installProcessGuards } from './process-guards';
import { startServer } from './start';
import { formatStartupFailure } from './startup-error';

const USAGE =
  'usage: netplane [start [--demo] | migrate | keys status | keys rotate | adapters list [--json] [--url U] |\n' +
  '                 adapters reload <id> [--url U] | adapter test [<dir>] [-- <command...>] |\n' +
  '                 adapter new <vendor> [--lang ts|python] [--dir D]]';

async function main(argv: string[]): Promise<number> {
  const [cmd = 'start', sub, ...rest] = argv;
  // The author's commands need no database, keys or data directory: they run before the server's environment.
  if (cmd === 'adapter' && sub === 'test') return adapterTest(rest);
  if (cmd === 'adapter' && sub === 'new') return adapterNew(rest);
  const env = loadEnv();
  if (cmd === 'start' && argv.includes('--demo')) env.demo = true;
  const logger = createLogger({ level: env.logLevel, nodeId: env.nodeId, format: env.logFormat });
  installProcessGuards(logger);
  switch (cmd) {
    case 'start':
      await startServer(env, logger);
      return -1; // keeps running until a signal
    case 'migrate': {
      const { db, applied } = await openDatabase(env);
      try {
        logger.info({ applied }, applied.length ? 'Migrations applied' : 'Database already up to date');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'keys':
      if (sub === 'status') return keysStatus(env);
      if (sub === 'rotate') return keysRotate(env);
      process.stderr.write(`${USAGE}\n`);
      return 2;
    case 'adapters':
      if (sub === 'list') return adaptersList(env, rest.includes('--json'), remoteOptions(rest, env));
      if (sub === 'reload') return adaptersReload(rest[0], remoteOptions(rest.slice(1), env));
      process.stderr.write(`${USAGE}\n`);
      return 2;
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`unknown command "${cmd}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    // Startup errors: the setting and the fix in one or two lines; the stack only at LOG_LEVEL=debug.
    if (err instanceof EnvError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(formatStartupFailure(err, isDebugLogging()));
    process.exit(1);
  },
);
