// `netplane adapter new <vendor> [--lang ts|python] [--dir D]`: writes a working adapter package from the templates
// under apps/server/templates/<lang>/ (placeholders __ID__, __DISPLAY__, __SDK_RANGE__; a .tmpl suffix is dropped). The Python scaffold also
// takes the protocol and in-memory controller files of the reference adapter (examples/python-adapter) verbatim, so
// there is one copy of them to fix. The package passes `netplane adapter test` as written and loads with
// NETPLANE_ADAPTERS=D; the author then replaces the in-memory controller with calls to the real one.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTER_SDK_VERSION } from '@netplane/adapter-sdk';
import semver from 'semver';

const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATES = join(SERVER_DIR, 'templates');
const PYTHON_REFERENCE = join(SERVER_DIR, '..', '..', 'examples', 'python-adapter');
const PYTHON_SHARED = ['adapter.py', 'rpc.py', 'element.py', 'controller.py', 'test_adapter.py'];

export const LANGS = ['ts', 'python'] as const;
export type Lang = (typeof LANGS)[number];

export const ADAPTER_NEW_USAGE = 'usage: netplane adapter new <vendor> [--lang ts|python] [--dir D]';

/** Bad input to `adapter new`: the message says what is wrong and what is allowed. */
export class AdapterScaffoldError extends Error {
  override readonly name = 'AdapterScaffoldError';
}

// The id becomes the adapter id, the package name (netplane-adapter-<id>) and a Python/JS string: keep it plain.
const VENDOR = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

export function validateVendor(vendor: string | undefined): string {
  if (vendor === undefined || vendor === '' || vendor.startsWith('-'))
    throw new AdapterScaffoldError('name the vendor: netplane adapter new <vendor>');
  if (!VENDOR.test(vendor) || vendor.includes('--'))
    throw new AdapterScaffoldError(
      `invalid vendor name "${vendor.slice(0, 64)}": use 2-32 lowercase letters, digits and single hyphens, ` +
        'starting with a letter (e.g. acme or acme-fabric)',
    );
  return vendor;
}

const displayOf = (id: string) =>
  id
    .split('-')
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join(' ');

export type ScaffoldOptions = { vendor: string; lang: Lang; dir: string };

export function parseAdapterNewArgs(argv: readonly string[], cwd = process.cwd()): ScaffoldOptions {
  let vendor: string | undefined;
  let lang: string = 'ts';
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new AdapterScaffoldError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--lang') lang = value();
    else if (arg === '--dir') dir = resolve(cwd, value());
    else if (arg.startsWith('--')) throw new AdapterScaffoldError(`unknown option ${arg}`);
    else if (vendor === undefined) vendor = arg;
    else throw new AdapterScaffoldError(`unexpected argument ${arg}`);
  }
  const id = validateVendor(vendor);
  if (!(LANGS as readonly string[]).includes(lang))
    throw new AdapterScaffoldError(`unknown language "${lang.slice(0, 32)}": use --lang ts or --lang python`);
  return { vendor: id, lang: lang as Lang, dir: dir ?? resolve(cwd, `netplane-adapter-${id}`) };
}

/** Writes the package; refuses a directory that already holds anything. Returns the files written. */
export function scaffoldAdapter({ vendor, lang, dir }: ScaffoldOptions): string[] {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new AdapterScaffoldError(`${dir} is not empty: choose a new --dir (nothing was written)`);
  const values: Record<string, string> = {
    __ID__: vendor,
    __DISPLAY__: displayOf(vendor),
    __SDK_RANGE__: `^${semver.major(ADAPTER_SDK_VERSION)}.0.0`,
  };
  const fill = (text: string) => text.replace(/__ID__|__DISPLAY__|__SDK_RANGE__/g, (k) => values[k] ?? k);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const from = join(TEMPLATES, lang);
  for (const file of readdirSync(from).sort()) {
    // A template the repo's own tools must not pick up (vitest would collect a *.test.js) ends in .tmpl.
    const name = file.replace(/\.tmpl$/, '');
    writeFileSync(join(dir, name), fill(readFileSync(join(from, file), 'utf8')));
    written.push(name);
  }
  if (lang === 'python')
    for (const name of PYTHON_SHARED) {
      copyFileSync(join(PYTHON_REFERENCE, name), join(dir, name));
      written.push(name);
    }
  return written.sort();
}

export async function adapterNew(argv: readonly string[]): Promise<number> {
  try {
    const options = parseAdapterNewArgs(argv);
    const files = scaffoldAdapter(options);
    const lines = [
      `Wrote adapter ${options.vendor} (${options.lang}) to ${options.dir}:`,
      ...files.map((f) => `  ${f}`),
      'Next: implement element against your controller, then',
      `  netplane adapter test ${options.dir}`,
      `  NETPLANE_ADAPTERS=${options.dir} netplane adapters list`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof AdapterScaffoldError)) throw e;
    process.stderr.write(`netplane adapter new: ${e.message}\n${ADAPTER_NEW_USAGE}\n`);
    return 2;
  }
}
