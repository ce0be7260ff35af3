// What every operation of one element shares: the SSH host, the names, where the tiers' files live, the logger.
import type { AdapterLogger } from '@netplane/adapter-sdk';
import { AdapterError } from '@netplane/adapter-sdk';
import type { VrouterConfig } from './config';
import type { Link } from './host-state';
import { type Names, namesFor, parseTag } from './names';
import { type HostRunner, withHostLock } from './session';
import type { SshHost } from './ssh';

export type Ctx = {
  /** Where scripts run: the connection (no lock held), or a session holding the host lock (see `locked`). */
  ssh: HostRunner;
  /** The element's one SSH connection. */
  host: SshHost;
  /** Set in a ctx whose `ssh` is a session holding the host lock. */
  inSession?: true;
  names: Names;
  config: VrouterConfig;
  /** `<stateDir>/<prefix>`: one directory per tier below it. */
  stateRoot: string;
  logger: AdapterLogger;
};

export function makeCtx(ssh: SshHost, config: VrouterConfig, logger: AdapterLogger): Ctx {
  return {
    ssh,
    host: ssh,
    config,
    logger,
    names: namesFor(config.namePrefix),
    stateRoot: `${config.stateDir}/${config.namePrefix}`,
  };
}

/** An object with our name that is not ours (no tag, or another resource's): left alone, and the call refused. */
export function conflict(resource: string, name: string, link: Link | undefined, what: string): AdapterError {
  const tag = parseTag(link?.ifalias);
  const owner = tag
    ? `Netplane ${tag.kind ?? 'object'} ${tag.net ?? tag.nic ?? tag.vpc ?? ''}`.trim()
    : 'not Netplane';
  return new AdapterError(
    'RESOURCE_CONFLICT',
    `${what}: ${resource} ${name} already exists on the router host (${owner})`,
    {
      conflict: { resource, name, owner },
    },
  );
}

/**
 * Runs fn with its reads and writes in one session holding the host lock (session.ts): what it plans from its read
 * is still true when it writes. Never wait for an in-process mutex inside fn (lock order: mutex, then host lock).
 */
export const locked = <T>(c: Ctx, signal: AbortSignal, fn: (c: Ctx) => Promise<T>): Promise<T> =>
  // Inside a session already: the same one (a second would wait for the lock its own first session holds).
  c.inSession
    ? fn(c)
    : withHostLock(c.host, c.stateRoot, signal, (ssh) => fn({ ...c, ssh, inSession: true }));
