// `netplane adapter test [<package dir>] [--endpoint E] [--config JSON] [--credentials-file F] [--hooks M]
// [-- <command...>]`:
// runs the SDK's conformance kit against any adapter, for a vendor's CI. With `-- <command...>` the adapter is that
// command, started through the out-of-process runtime (wire protocol v1) in the current directory; with a package
// directory, its package.json decides: `netplane.runtime: "process"` runs its `netplane.command` there, anything else
// is imported in process like the server's loader does. Prints each case and exits 1 on any failure.
//
// Why vitest: the kit is the SDK's vitest suite (describeConformance), the same cases the built-in adapters run, so the
// CLI runs it with vitest's Node API on its own entry file (kit/conformance.kit.ts) rather than re-implementing
// describe/it/expect. It therefore needs vitest installed (the SDK declares it as the kit's peer dependency).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KitConnection, type KitTarget, TARGET_ENV } from '../kit/target';
import { KitReporter } from './kit-reporter';
import { entryOf } from './plugin-package';

// apps/server/kit, from src/ (tsx, vitest) and from dist/ (the bundle) alike.
const KIT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'kit');
const SDK_INDEX = join(KIT_DIR, '..', '..', '..', 'packages', 'adapter-sdk', 'src', 'index.ts');

export const ADAPTER_TEST_USAGE =
  'usage: netplane adapter test [<package dir>] [--endpoint E] [--config JSON] [--credentials-file F] [--hooks M]\n' +
  '                             [-- <command...>]';

export class AdapterTestUsageError extends Error {
  override readonly name = 'AdapterTestUsageError';
}

type Connection = KitConnection;
type Target = KitTarget;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonObject(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new AdapterTestUsageError(`${what} is not JSON`);
  }
  if (!isObject(v)) throw new AdapterTestUsageError(`${what} must be a JSON object`);
  return v;
}

/** The adapter the arguments name, or a usage error that says what is wrong. */
export function parseAdapterTestArgs(argv: readonly string[], cwd = process.cwd()): Target {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? [...argv] : argv.slice(0, dash);
  const command = dash === -1 ? [] : argv.slice(dash + 1);
  const connection: Connection = { endpoint: 'memory://conformance', config: {} };
  let dir: string | undefined;
  let hooks: string | undefined;
  for (let i = 0; i < own.length; i++) {
    const arg = own[i] as string;
    const value = () => {
      const v = own[++i];
      if (v === undefined) throw new AdapterTestUsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--endpoint') connection.endpoint = value();
    else if (arg === '--hooks') {
      hooks = resolve(cwd, value());
      if (!existsSync(hooks)) throw new AdapterTestUsageError(`--hooks ${hooks} does not exist`);
    } else if (arg === '--config') connection.config = jsonObject(value(), '--config');
    else if (arg === '--credentials-file') {
      // A file, not argv: a CI's secret store writes it; argv is visible to every user of the machine.
      const file = value();
      if (!existsSync(file)) throw new AdapterTestUsageError(`--credentials-file ${file} does not exist`);
      const creds = jsonObject(readFileSync(file, 'utf8'), `--credentials-file ${file}`);
      if (!Object.values(creds).every((v) => typeof v === 'string'))
        throw new AdapterTestUsageError('--credentials-file must hold an object of strings');
      connection.credentials = creds as Record<string, string>;
    } else if (arg.startsWith('-')) throw new AdapterTestUsageError(`unknown option ${arg}`);
    else if (dir === undefined) dir = resolve(cwd, arg);
    else throw new AdapterTestUsageError(`unexpected argument ${arg}`);
  }
  if (command.length > 0) {
    const [cmd, ...args] = command as [string, ...string[]];
    return { kind: 'process', command: cmd, args, cwd: dir ?? cwd, connection, ...(hooks && { hooks }) };
  }
  if (dir === undefined)
    throw new AdapterTestUsageError('name an adapter: a package directory or -- <command...>');
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) throw new AdapterTestUsageError(`${dir} has no package.json`);
  const pkg = jsonObject(readFileSync(pkgFile, 'utf8'), pkgFile);
  const np = isObject(pkg.netplane) ? pkg.netplane : {};
  if (np.runtime === 'process') {
    const cmd = np.command;
    if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((c) => typeof c === 'string'))
      throw new AdapterTestUsageError(`${pkgFile}: netplane.command must be a non-empty array of strings`);
    return {
      kind: 'process',
      command: cmd[0] as string,
      args: cmd.slice(1),
      cwd: dir,
      connection,
      ...(hooks && { hooks }),
    };
  }
  const entry = entryOf(dir, pkg);
  if (!entry)
    throw new AdapterTestUsageError(`${dir} has no entry module (package.json exports or main, or index.js)`);
  return { kind: 'module', entry, connection, ...(hooks && { hooks }) };
}

const describeTarget = (t: Target) => (t.kind === 'process' ? [t.command, ...t.args].join(' ') : t.entry);

export async function adapterTest(argv: readonly string[]): Promise<number> {
  let target: Target;
  try {
    target = parseAdapterTestArgs(argv);
  } catch (e) {
    if (!(e instanceof AdapterTestUsageError)) throw e;
    process.stderr.write(`netplane adapter test: ${e.message}\n${ADAPTER_TEST_USAGE}\n`);
    return 2;
  }
  let startVitest: typeof import('vitest/node').startVitest;
  try {
    ({ startVitest } = await import('vitest/node'));
  } catch {
    process.stderr.write('netplane adapter test needs vitest installed (npm install -D vitest@^4)\n');
    return 2;
  }
  const write = (line: string) => process.stdout.write(`${line}\n`);
  write(`netplane adapter test: ${describeTarget(target)}`);
  // The workers vitest forks inherit the environment: that is how the kit's entry learns its target.
  process.env[TARGET_ENV] = JSON.stringify(target);
  const reporter = new KitReporter(write);
  const vitest = await startVitest(
    'test',
    [],
    {
      root: KIT_DIR,
      config: false,
      include: ['conformance.kit.ts'],
      watch: false,
      reporters: [reporter],
      hookTimeout: 60_000,
    },
    // An in-process package imports '@netplane/adapter-sdk' without a copy of its own, as the server provides it: here
    // the kit's SDK, so its AdapterError is the one the kit checks for.
    { resolve: { alias: [{ find: /^@netplane\/adapter-sdk$/, replacement: SDK_INDEX }] } },
  );
  await vitest.close();
  process.exitCode = 0; // vitest sets it on failure; the totals decide
  const t = reporter.totals;
  return t.failed > 0 || t.errors > 0 || t.passed === 0 ? 1 : 0;
}
