// Loads the built-in adapter packages and the installed ones (NETPLANE_ADAPTERS), checks each one's SDK range and
// module shape, and logs `Fully Loaded` or the one line that says why not. A bad adapter never stops the server.
import { pathToFileURL } from 'node:url';
import type { ProcessAdapter } from '@netplane/adapter-runtime';
import { type AdapterModule, toAdapterLogger } from '@netplane/adapter-sdk';
import type { AdapterRegistration } from '@netplane/api';
import { ADAPTER_PACKAGES, importAdapter, SDK_MODULE_URL, serveCommand } from './adapter-imports';
import { resolveAdapterModule } from './adapter-module';
import { processCommandOf, startAdapterProcess } from './adapter-process';
import { findPluginCandidates, type PluginCandidate } from './adapter-sources';
import { builtInId, runtimeOf } from './built-in-adapters';
import type { AdapterRuntimeKind, Env } from './env';
import type { Logger } from './logger';
import { entryOf, idFromPackageName, readPluginPackage, sdkMismatch } from './plugin-package';
import { provideSdkToPlugins } from './plugin-sdk';

export { validateAdapterModule } from './adapter-module';

/** An installed adapter whose import or factory never settles must not hold the server's start forever. */
export const LOAD_DEADLINE_MS = 30_000;

function withDeadline<T>(work: Promise<T>, ms: number, reason: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(reason), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

type Attempt = {
  id: string;
  version?: string;
  source: string;
  sdkRange: string | null;
  /** A process adapter whose range comes from its handshake: read live, since a reload may declare another. */
  liveSdkRange?: () => string | null;
  result: AdapterModule | ProcessAdapter | string;
};

export type RuntimeChoice = Readonly<Record<string, AdapterRuntimeKind>>;

const isProcess = (r: Attempt['result']): r is ProcessAdapter => typeof r === 'object' && 'reload' in r;

async function importBuiltIn(
  spec: string,
  importer: (spec: string) => Promise<unknown>,
  runtime: RuntimeChoice,
  logger: Logger,
): Promise<Attempt> {
  const base = { id: builtInId(spec), source: 'built-in', sdkRange: null };
  if (runtimeOf(base.id, runtime) === 'process') {
    const cmd = serveCommand(spec);
    if (!cmd) return { ...base, result: `${spec} has no serve script to run it out of process` };
    const log = toAdapterLogger(logger, { adapterId: base.id });
    const started = await startAdapterProcess(cmd, log, { checkHandshakeRange: false });
    return {
      ...base,
      source: 'built-in (process)',
      result: typeof started === 'string' ? started : started.adapter,
    };
  }
  try {
    return { ...base, result: await resolveAdapterModule(await importer(spec)) };
  } catch (e) {
    return { ...base, result: `cannot import ${spec}: ${firstLine(e)}` };
  }
}

async function importInstalled(
  c: PluginCandidate,
  deadlineMs: number,
  runtime: RuntimeChoice,
  logger: Logger,
): Promise<Attempt> {
  if (c.dir === null)
    return {
      id: idFromPackageName(c.spec),
      source: c.source,
      sdkRange: null,
      result: `${c.spec} ${c.reason}`,
    };
  let pkg: ReturnType<typeof readPluginPackage>;
  try {
    pkg = readPluginPackage(c.dir);
  } catch (e) {
    return {
      id: idFromPackageName(c.spec),
      source: c.source,
      sdkRange: null,
      result: `unreadable package.json: ${firstLine(e)}`,
    };
  }
  const base = {
    id: idFromPackageName(pkg.name),
    source: c.source,
    sdkRange: pkg.sdkRange ?? null,
    ...(pkg.version && { version: pkg.version }),
  };
  const asProcess = processCommandOf(pkg.raw, c.dir);
  if (typeof asProcess === 'string') return { ...base, result: asProcess };
  if (asProcess || runtime[base.id] === 'process') {
    // A process adapter may declare its SDK range in package.json or in its handshake (any language).
    const mismatch = pkg.sdkRange === undefined ? undefined : sdkMismatch(pkg.sdkRange);
    if (mismatch) return { ...base, result: mismatch };
    if (!asProcess)
      return {
        ...base,
        result: 'NETPLANE_ADAPTER_RUNTIME asks for a process, but its package.json has no netplane.command',
      };
    const log = toAdapterLogger(logger, { adapterId: base.id });
    const started = await startAdapterProcess(asProcess, log, {
      packageSdkRange: pkg.sdkRange,
      checkHandshakeRange: true,
    });
    if (typeof started === 'string') return { ...base, source: `${c.source} (process)`, result: started };
    // The range it was checked against: its package's, or the one its handshake declared.
    const adapter = started.adapter;
    return {
      ...base,
      sdkRange: started.sdkRange,
      ...(pkg.sdkRange === undefined && { liveSdkRange: () => adapter.sdkRange() }),
      source: `${c.source} (process)`,
      result: adapter,
    };
  }
  // Refused before any of its code runs: an adapter built for another SDK may not even link against this one.
  const mismatch = sdkMismatch(pkg.sdkRange);
  if (mismatch) return { ...base, result: mismatch };
  const entry = entryOf(c.dir, pkg.raw);
  if (!entry)
    return { ...base, result: `no entry module in ${c.dir} (package.json exports or main, or index.js)` };
  try {
    provideSdkToPlugins(SDK_MODULE_URL);
    const loading = import(pathToFileURL(entry).href).then(resolveAdapterModule);
    const late = `its import or factory did not finish within ${deadlineMs / 1000} s`;
    return { ...base, result: await withDeadline(loading, deadlineMs, late) };
  } catch (e) {
    return { ...base, result: `cannot import ${entry}: ${firstLine(e)}` };
  }
}

/** The installed adapters the environment names (NETPLANE_ADAPTERS, or every package of NETPLANE_ADAPTERS_DIR). */
export const installedAdapters = (env: Pick<Env, 'adapters'>) =>
  findPluginCandidates(env.adapters.entries, env.adapters.dir);

export async function loadAdapters(
  logger: Logger,
  packages: readonly string[] = ADAPTER_PACKAGES,
  importer: (spec: string) => Promise<unknown> = importAdapter,
  installed: readonly PluginCandidate[] = [],
  deadlineMs = LOAD_DEADLINE_MS,
  runtime: RuntimeChoice = {},
): Promise<AdapterRegistration[]> {
  const out: AdapterRegistration[] = [];
  const attempts = async function* () {
    for (const spec of packages) yield await importBuiltIn(spec, importer, runtime, logger);
    for (const c of installed) yield await importInstalled(c, deadlineMs, runtime, logger);
  };
  for await (const a of attempts()) {
    const origin = { source: a.source, sdkRange: a.sdkRange };
    if (typeof a.result === 'string') {
      const line = `Unable to load adapter ${a.id}${a.version ? ` ${a.version}` : ''}: ${a.result}`;
      logger.warn({ adapterId: a.id, source: a.source, reason: a.result }, line);
      out.push({
        id: a.id,
        status: 'Unable to load',
        reason: a.result,
        ...(a.version && { version: a.version }),
        ...origin,
      });
      continue;
    }
    const proc = isProcess(a.result) ? a.result : undefined;
    const module = isProcess(a.result) ? a.result.module : a.result;
    const { id, version } = module.manifest;
    const taken = out.find((r) => r.id === id);
    if (taken) {
      void proc?.stop();
      const reason = `duplicate adapter id (already loaded from ${taken.source ?? 'built-in'})`;
      logger.warn(
        { adapterId: id, source: a.source, reason },
        `Unable to load adapter ${id} ${version}: ${reason}`,
      );
      continue;
    }
    const pid = proc?.pid();
    logger.info(
      { adapterId: id, version, source: a.source, ...(proc && { pid }) },
      `Fully Loaded adapter ${id} ${version}${proc ? ` (process ${pid})` : ''}`,
    );
    const reg: AdapterRegistration = {
      id,
      status: 'Fully Loaded',
      module,
      ...(proc && { runtime: () => proc.info(), reload: () => proc.reload() }),
      ...origin,
    };
    const live = a.liveSdkRange;
    if (live) Object.defineProperty(reg, 'sdkRange', { get: live, enumerable: true });
    out.push(reg);
  }
  for (const id of Object.keys(runtime))
    if (!out.some((r) => r.id === id))
      logger.warn({ adapterId: id }, `NETPLANE_ADAPTER_RUNTIME names adapter ${id}, which is not loaded`);
  return out;
}
