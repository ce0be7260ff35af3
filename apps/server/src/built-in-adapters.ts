// What the server knows of its built-in adapters before loading them: the manifest id of a package whose name does not
// say it, and how each one runs when NETPLANE_ADAPTER_RUNTIME does not name it.
import type { AdapterRuntimeKind } from './env';
import { idFromPackageName } from './plugin-package';

/** Built-in packages whose manifest id is not their name's tail (@netplane/adapter-<id>). */
const IDS: Readonly<Record<string, string>> = { '@netplane/adapter-vrouter': 'virtual-router' };

/** The adapter id a built-in package loads as, known before its import (NETPLANE_ADAPTER_RUNTIME is keyed by it). */
export const builtInId = (spec: string): string => IDS[spec] ?? idFromPackageName(spec);

/**
 * Built-ins that run out of process unless NETPLANE_ADAPTER_RUNTIME says otherwise. The virtual router holds SSH
 * connections and ssh2 (with optional native bindings): a hang or crash of it stays in its own process, which the
 * runtime restarts. The others run in process by default.
 */
export const DEFAULT_RUNTIME: Readonly<Record<string, AdapterRuntimeKind>> = { 'virtual-router': 'process' };

/** How a built-in adapter runs: NETPLANE_ADAPTER_RUNTIME's choice, else its default, else in process. */
export const runtimeOf = (
  id: string,
  chosen: Readonly<Record<string, AdapterRuntimeKind>>,
): AdapterRuntimeKind => chosen[id] ?? DEFAULT_RUNTIME[id] ?? 'in-process';
