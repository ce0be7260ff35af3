// The controller's settings (config), its secrets (credentials) and its endpoint, parsed once per element. A bad
// value never throws out of createElement: the element answers every call INVALID_REQUEST with the reason.
import { AdapterError } from '@netplane/adapter-sdk';
import { z } from 'zod';

/** The router host's public key as `ssh-keygen` or `ssh-keyscan` prints it, or its `SHA256:` fingerprint. */
const hostKey = z
  .string()
  .trim()
  .regex(
    /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]{20,2000}( \S{0,200})?$|^SHA256:[A-Za-z0-9+/]{43}=?$/,
    'must be the host public key ("ssh-ed25519 AAAA...") or its fingerprint ("SHA256:...")',
  )
  // contentMediaType: the console shows a key as a multi-line, monospace field (docs/adapters.md, "Forms").
  .meta({
    title: 'Host key (pinned)',
    description:
      "The router host's public key line (ssh-keyscan, /etc/ssh/ssh_host_ed25519_key.pub) or its SHA256: fingerprint. Any other key is refused.",
    contentMediaType: 'text/plain',
  });

export const vrouterConfigSchema = z
  .object({
    /** The pinned host key: a router host presenting any other key is refused (AUTH_FAILED), never trusted on first use. */
    hostKey,
    /** Starts every interface and namespace name (≤ 4 characters, so names fit Linux's 15 bytes). */
    namePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,3}$/, 'must be 1-4 lowercase letters or digits, starting with a letter')
      .default('np')
      .meta({
        title: 'Name prefix',
        description: 'Starts every interface and namespace name (1-4 characters).',
      }),
    /** Where dnsmasq's configuration, hosts and leases of each tier live on the router host. */
    stateDir: z
      .string()
      .regex(/^\/[A-Za-z0-9._/-]{1,200}$/, 'must be an absolute path of letters, digits, ".", "_", "-", "/"')
      .default('/run/netplane-vrouter')
      .meta({ title: 'State directory', description: "dnsmasq's files of each tier on the router host." }),
    /** Run the scripts through `sudo -n` (a login user other than root with passwordless sudo). */
    sudo: z
      .boolean()
      .default(false)
      .meta({ title: 'Use sudo', description: 'A login user other than root, with passwordless sudo.' }),
    connectTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(120_000)
      .default(10_000)
      .meta({ title: 'Connect timeout (ms)' }),
    keepaliveIntervalMs: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(15_000)
      .meta({ title: 'Keepalive interval (ms)' }),
    /** VXLAN underlay: the local address the VXLAN devices send from, the remote VTEPs flooded to, the UDP port. */
    vxlanLocalIp: z
      .ipv4()
      .optional()
      .meta({ title: 'VXLAN local IP', description: 'The address the VXLAN devices send from.' }),
    vxlanRemotes: z
      .array(z.ipv4())
      .max(64)
      .default([])
      .meta({ title: 'VXLAN remotes', description: "The hypervisors' VTEP addresses, flooded to." }),
    vxlanPort: z.number().int().min(1).max(65_535).default(4789).meta({ title: 'VXLAN UDP port' }),
    /**
     * The host bridge of the public network: each VPC's router namespace gets a veth on it holding the source-NAT
     * address and the static NATs' public IPs. Without it, SourceNat and StaticNat are declined.
     */
    publicBridge: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,15}$/, 'must be a Linux interface name (1-15 letters, digits, "_", ".", "-")')
      .optional()
      .meta({
        title: 'Public bridge',
        description:
          'The host bridge of the public network. Without it, SourceNat and StaticNat are declined.',
      }),
    /**
     * The host's interface carrying tagged public traffic. A public range with a VLAN needs it: on a kernel with 802.1Q
     * the adapter makes `<uplink>.<vlan>` the port of the VLAN's public bridge `<prefix>u<vlan>`; without 802.1Q the
     * bridge alone is made (the uplink is not touched). ≤ 10 characters, so `<uplink>.<vlan>` fits Linux's 15 bytes.
     */
    publicUplink: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,10}$/, 'must be a Linux interface name of 1-10 letters, digits, "_", "-"')
      .optional()
      .meta({
        title: 'Public uplink',
        description:
          'The interface carrying tagged public traffic: public VLAN <vlan> is its sub-interface <uplink>.<vlan>. Without it, public ranges with a VLAN are declined.',
      }),
  })
  .strict();
export type VrouterConfig = z.infer<typeof vrouterConfigSchema>;

export const vrouterCredentialSchema = z
  .object({
    /** The login key (OpenSSH or PEM). A secret: stored encrypted, never logged. */
    privateKey: z.string().trim().min(1).max(20_000).meta({
      title: 'Private key',
      description: "The login key, OpenSSH or PEM; its public key in the login user's authorized_keys.",
      contentMediaType: 'application/x-pem-file',
    }),
    passphrase: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .meta({ title: 'Passphrase', description: 'Only for an encrypted private key.' }),
  })
  .strict();
export type VrouterCredentials = z.infer<typeof vrouterCredentialSchema>;

export type SshEndpoint = { username: string; host: string; port: number };

/** `ssh://user@host:port`, `user@host:port` or `host`; the user defaults to root, the port to 22. */
export function parseEndpoint(endpoint: string): SshEndpoint {
  const m =
    /^(?:ssh:\/\/)?(?:([a-z_][a-z0-9_.-]{0,31})@)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]{1,253})(?::(\d{1,5}))?\/?$/.exec(
      endpoint.trim(),
    );
  const port = Number(m?.[3] ?? 22);
  if (!m?.[2] || port < 1 || port > 65_535) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `Endpoint must be ssh://user@host:port (got "${endpoint.slice(0, 100)}")`,
    );
  }
  return { username: m[1] ?? 'root', host: m[2].replace(/^\[|\]$/g, ''), port };
}

export type ParsedConnection = {
  endpoint: SshEndpoint;
  config: VrouterConfig;
  credentials: VrouterCredentials;
};

/** Only field names and messages reach the error, never a value: credentials are secrets. */
function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function parseConnection(
  endpoint: string,
  config: Record<string, unknown>,
  credentials: Record<string, string>,
): ParsedConnection {
  const c = vrouterConfigSchema.safeParse(config);
  if (!c.success)
    throw new AdapterError('INVALID_REQUEST', `Invalid virtual router config: ${problems(c.error)}`);
  const k = vrouterCredentialSchema.safeParse(credentials);
  if (!k.success) {
    throw new AdapterError('INVALID_REQUEST', `Invalid virtual router credentials: ${problems(k.error)}`);
  }
  return { endpoint: parseEndpoint(endpoint), config: c.data, credentials: k.data };
}
