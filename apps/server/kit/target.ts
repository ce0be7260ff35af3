// What `netplane adapter test` hands the kit's vitest run: the adapter to test and the controller to connect it to.
// It travels as one JSON environment variable of the run (set by the CLI before vitest forks its workers).

export const TARGET_ENV = 'NETPLANE_KIT_TARGET';

export type KitTarget =
  /** An out-of-process adapter: its command, started through the adapter runtime. */
  | {
      kind: 'process';
      command: string;
      args: string[];
      cwd: string;
      connection: KitConnection;
      hooks?: string;
    }
  /** An in-process JavaScript adapter package: its entry module, imported with the kit's own SDK. */
  | { kind: 'module'; entry: string; connection: KitConnection; hooks?: string };

/** The connection's endpoint and config; credentials are made from the manifest unless a file gives them. */
export type KitConnection = {
  endpoint: string;
  config: Record<string, unknown>;
  credentials?: Record<string, string>;
};

export function readTarget(): KitTarget {
  const raw = process.env[TARGET_ENV];
  if (!raw) throw new Error(`${TARGET_ENV} is not set: run the kit with \`netplane adapter test\``);
  return JSON.parse(raw) as KitTarget;
}

/**
 * A value for every credential field the manifest's JSON Schema declares (the kit's controller is the adapter's own
 * test double, so any non-empty string serves), honouring minLength.
 */
export function credentialsFor(schema: { properties?: Record<string, { minLength?: unknown }> }) {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const min = typeof field.minLength === 'number' ? field.minLength : 1;
    out[name] = `conformance-${name}`.padEnd(min, 'x');
  }
  return out;
}
