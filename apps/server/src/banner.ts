// The start banner: where the console is, which database it runs on, which adapters loaded, and how to get in (the
// first-run setup token, the admin made from NETPLANE_ADMIN_PASSWORD, or sign in). Written to stdout directly, never
// through the logger: the setup token must not reach shipped logs. The database is named without its password.
import type { AdapterRegistration, FirstRun } from '@netplane/api';

export type StartBannerInfo = {
  port: number;
  /** The address the server listens on (loopback by default). */
  host: string;
  databaseUrl: string;
  adapters: readonly AdapterRegistration[];
  firstRun: FirstRun;
  /** The generated password of the demo admin (`--demo` on a database with no user). */
  demoPassword?: string;
  /** `--demo`: loading, or why not. */
  demo?: string;
};

/** "SQLite /data/netplane.db" or "MariaDB/MySQL root@127.0.0.1:3306/netplane": never the password. */
export function describeDatabase(url: string): string {
  if (/^(sqlite|file):/.test(url)) return `SQLite ${url.replace(/^(sqlite|file):(\/\/)?/, '')}`;
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `MariaDB/MySQL ${user}${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'MariaDB/MySQL (unparsable DATABASE_URL)';
  }
}

const adapterLine = (a: AdapterRegistration) =>
  a.status === 'Fully Loaded'
    ? `${a.id} ${a.module.manifest.version} Fully Loaded`
    : `${a.id} Unable to load: ${a.reason}`;

export function startBannerLines(info: StartBannerInfo): string[] {
  // A wildcard bind is reached through localhost from this machine; a specific address is what clients use.
  const where = info.host === '0.0.0.0' || info.host === '::' ? 'localhost' : info.host;
  const url = `http://${where.includes(':') ? `[${where}]` : where}:${info.port}`;
  const lines = [
    `Netplane is running at ${url}`,
    `  Database  ${describeDatabase(info.databaseUrl)}`,
    ...info.adapters.map((a, i) => `  ${i === 0 ? 'Adapters' : '        '}  ${adapterLine(a)}`),
  ];
  if (info.demo)
    lines.push(`  Demo      ${info.demo === 'loading' ? 'loading (see the dashboard)' : info.demo}`);
  if (info.demoPassword) lines.push(`  Sign in   ${url} as admin with the password ${info.demoPassword}`);
  else if (info.firstRun.kind === 'token')
    lines.push(
      `Netplane setup: open http://localhost:${info.port}/setup and enter the token ${info.firstRun.token}`,
    );
  else if (info.firstRun.kind === 'admin-created')
    lines.push(`  Sign in   ${url} as ${info.firstRun.username} (the password of NETPLANE_ADMIN_PASSWORD)`);
  else lines.push(`  Sign in   ${url}`);
  return lines;
}

export function printStartBanner(info: StartBannerInfo): void {
  const lines = startBannerLines(info);
  const bar = '='.repeat(Math.max(...lines.map((l) => l.length)));
  process.stdout.write(`\n${bar}\n${lines.join('\n')}\n${bar}\n\n`);
}
