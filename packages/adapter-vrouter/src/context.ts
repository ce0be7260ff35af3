// What every operation of one element shares: the SSH host, the names, where the tiers' files live, the logger.
import type { AdapterLogger } from '@netplane/adapter-sdk';
import { AdapterError } from '@netplane/adapter-sdk';
import type { VrouterConfig } from './config';
import type { Link } from './host-state';
import { type Names, namesFor, parseTag } from './names';
import type { SshHost } from './ssh';

export type Ctx = {
  ssh: SshHost;
  names: Names;
  config: VrouterConfig;
  /** `<stateDir>/<prefix>`: one directory per tier below it. */
  stateRoot: string;
  logger: AdapterLogger;
};

export function makeCtx(ssh: SshHost, config: VrouterConfig, logger: AdapterLogger): Ctx {
  return {
    ssh,
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
