// The conformance kit's entry for `netplane adapter test`: the SDK's describeConformance over the adapter named by
// NETPLANE_KIT_TARGET, either an adapter command started through the out-of-process runtime (one process for the
// run, a fresh element per case) or an in-process JavaScript package imported here. Not a *.test.ts file: the repo's
// own vitest run never collects it; the CLI runs it on its own (apps/server/src/adapter-test-cli.ts).
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { ProcessAdapter } from '@netplane/adapter-runtime';
import type {
  AdapterLogger,
  AdapterManifest,
  AdapterModule,
  ControllerConnection,
  NetworkElement,
} from '@netplane/adapter-sdk';
import { type ConformanceHarness, describeConformance } from '@netplane/adapter-sdk/conformance';
import { afterAll } from 'vitest';
import { credentialsFor, readTarget } from './target';

const target = readTarget();

// The adapter's warnings and errors (its stderr lines among them) go to the CLI's stderr; debug/info stay quiet.
const say =
  (level: string) =>
  (fields: object, msg?: string): void => {
    process.stderr.write(`[adapter ${level}] ${msg ?? ''} ${JSON.stringify(fields)}\n`);
  };
const quiet = () => {};
const logger: AdapterLogger = { debug: quiet, info: quiet, warn: say('warn'), error: say('error') };

let running: ProcessAdapter | undefined;
let module: AdapterModule;
if (target.kind === 'process') {
  const { startProcessAdapter } = await import('@netplane/adapter-runtime');
  const { validateAdapterModule } = await import('../src/adapter-module');
  const { sdkMismatch } = await import('../src/plugin-package');
  running = await startProcessAdapter({
    command: target.command,
    args: target.args,
    cwd: target.cwd,
    logger,
    // The server's own checks of a handshake, so the kit refuses what the server would refuse, with its reason.
    validate: (h) => {
      const problem = validateAdapterModule({ manifest: h.manifest, createElement: () => undefined });
      return typeof problem === 'string' ? problem : sdkMismatch(h.sdkRange ?? undefined);
    },
  });
  module = running.module;
} else {
  // The loader's own check, so the kit refuses what the server would refuse, with the same reason.
  const { resolveAdapterModule } = await import('../src/adapter-module');
  const resolved = await resolveAdapterModule(await import(pathToFileURL(target.entry).href));
  if (typeof resolved === 'string') throw new Error(`Unable to load ${target.entry}: ${resolved}`);
  module = resolved;
}
afterAll(async () => {
  await running?.stop();
});

const { manifest } = module;
const connection = {
  endpoint: target.connection.endpoint,
  config: target.connection.config,
  credentials: target.connection.credentials ?? credentialsFor(manifest.credentialSchema),
};

// --hooks: the vendor's module of harness hooks that act on its test controller from outside (plant a foreign
// network or NAT, slow calls down), so the cases that need them run instead of being skipped.
type HookFactory = (ctx: {
  connection: ControllerConnection;
  manifest: AdapterManifest;
  element: NetworkElement;
}) => Partial<Omit<ConformanceHarness, 'element' | 'manifest'>> | Promise<Partial<ConformanceHarness>>;
let hooks: HookFactory | undefined;
if (target.hooks) {
  const exported = (await import(pathToFileURL(target.hooks).href)) as { default?: unknown };
  if (typeof exported.default !== 'function')
    throw new Error(
      `--hooks ${target.hooks}: its default export must be a function returning the harness hooks`,
    );
  hooks = exported.default as HookFactory;
}

describeConformance(`${manifest.id} ${manifest.version}`, async () => {
  const c = { controllerId: randomUUID(), ...connection };
  // openElement answers once element.open did, so the element's optional calls are exactly the adapter's.
  const element = running ? await running.openElement(c, { logger }) : module.createElement(c, { logger });
  const extra = hooks ? await hooks({ connection: c, manifest, element }) : {};
  return {
    ...extra,
    element,
    manifest,
    cleanup: async () => {
      await extra.cleanup?.();
      await element.close();
    },
  };
});
