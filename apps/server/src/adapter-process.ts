// Adapters that run out of process (docs/adapter-protocol.md): a built-in one named in NETPLANE_ADAPTER_RUNTIME, or
// an installed package whose package.json says `"netplane": { "runtime": "process", "command": [...] }` (a Python
// adapter has no JS entry). Started through @netplane/adapter-runtime, handshaken and checked like an in-process
// module; every process started here is stopped at shutdown (stopProcessAdapters).
import {
  type ProcessAdapter,
  ProcessAdapterStartError,
  startProcessAdapter,
} from '@netplane/adapter-runtime';
import type { AdapterLogger } from '@netplane/adapter-sdk';
import { validateAdapterModule } from './adapter-module';
import { sdkMismatch } from './plugin-package';

/** The server's version, sent in the handshake (host.version). */
const HOST_VERSION = '0.1.0';

export type ProcessCommand = { command: string; args: string[]; cwd: string };

const started = new Set<ProcessAdapter>();

/** The process runtime an installed package asks for, a problem with how it asks, or undefined (in process). */
export function processCommandOf(raw: unknown, dir: string): ProcessCommand | string | undefined {
  const np = typeof raw === 'object' && raw !== null ? (raw as { netplane?: unknown }).netplane : undefined;
  if (typeof np !== 'object' || np === null) return undefined;
  const { runtime, command } = np as { runtime?: unknown; command?: unknown };
  if (runtime === undefined || runtime === 'in-process') return undefined;
  if (runtime !== 'process')
    return `package.json netplane.runtime "${String(runtime)}" is neither process nor in-process`;
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    !command.every((c) => typeof c === 'string' && c !== '')
  )
    return 'package.json netplane.command must be a non-empty list of strings (e.g. ["python3", "adapter.py"])';
  const [cmd, ...args] = command as string[];
  return { command: cmd as string, args, cwd: dir };
}

/**
 * Starts the adapter process and handshakes. The manifest is checked exactly like an in-process module's; the SDK
 * range comes from the package (already checked) or, when it declares none, from the handshake.
 */
export async function startAdapterProcess(
  cmd: ProcessCommand,
  logger: AdapterLogger,
  opts: { packageSdkRange?: string | undefined; checkHandshakeRange: boolean },
): Promise<ProcessAdapter | string> {
  try {
    const adapter = await startProcessAdapter({
      ...cmd,
      logger,
      hostVersion: HOST_VERSION,
      validate: (h) => {
        const module = validateAdapterModule({ manifest: h.manifest, createElement: () => undefined });
        if (typeof module === 'string') return module;
        if (opts.checkHandshakeRange && opts.packageSdkRange === undefined)
          return sdkMismatch(h.sdkRange ?? undefined);
        return undefined;
      },
    });
    started.add(adapter);
    return adapter;
  } catch (e) {
    // The loader's line names the adapter already: the bare reason.
    return e instanceof ProcessAdapterStartError ? e.reason : e instanceof Error ? e.message : String(e);
  }
}

/** Stops every adapter process this server started (shutdown, and the CLI once it has listed them). */
export async function stopProcessAdapters(): Promise<void> {
  const all = [...started];
  started.clear();
  await Promise.allSettled(all.map((a) => a.stop()));
}
