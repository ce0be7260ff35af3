// Loads the built-in adapter packages and the installed ones (NETPLANE_ADAPTERS), checks each one's SDK range and
// module shape, and logs `Fully Loaded` or the one line that says why not. A bad adapter never stops the server.
import { pathToFileURL } from 'node:url';
import type { AdapterModule } from '@netplane/adapter-sdk';
import type { AdapterRegistration } from '@netplane/api';
import { ADAPTER_PACKAGES, importAdapter, SDK_MODULE_URL } from './adapter-imports';
import { resolveAdapterModule } from './adapter-module';
import { findPluginCandidates, type PluginCandidate } from './adapter-sources';
import type { Env } from './env';
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
  result: AdapterModule | string;
};

async function importBuiltIn(spec: string, importer: (spec: string) => Promise<unknown>): Promise<Attempt> {
  const base = { id: idFromPackageName(spec), source: 'built-in', sdkRange: null };
  try {
    return { ...base, result: await resolveAdapterModule(await importer(spec)) };
  } catch (e) {
    return { ...base, result: `cannot import ${spec}: ${firstLine(e)}` };
  }
}

async function importInstalled(c: PluginCandidate, deadlineMs: number): Promise<Attempt> {
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
): Promise<AdapterRegistration[]> {
  const out: AdapterRegistration[] = [];
  const attempts = async function* () {
    for (const spec of packages) yield await importBuiltIn(spec, importer);
    for (const c of installed) yield await importInstalled(c, deadlineMs);
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
    const { id, version } = a.result.manifest;
    const taken = out.find((r) => r.id === id);
    if (taken) {
      const reason = `duplicate adapter id (already loaded from ${taken.source ?? 'built-in'})`;
      logger.warn(
        { adapterId: id, source: a.source, reason },
        `Unable to load adapter ${id} ${version}: ${reason}`,
      );
      continue;
    }
    logger.info({ adapterId: id, version, source: a.source }, `Fully Loaded adapter ${id} ${version}`);
    out.push({ id, status: 'Fully Loaded', module: a.result, ...origin });
  }
  return out;
}
