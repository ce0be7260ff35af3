// The seam for an adapter's own admin procedures (the simulator's fault injection, say): the adapter describes each
// procedure (kind, who may call it, zod input and output) and implements it; the API mounts the description under
// the adapter's id (`<adapterId>.<name>`) with its roles, validation and audit, and knows nothing else of the adapter.
import { z } from 'zod';

/** Who may call: `read` every role (viewer up), `control` admin and operator; the API maps these to its roles. */
export type AdminAccess = 'read' | 'control';

export type AdminProcedureSpec = {
  type: 'query' | 'mutation';
  access: AdminAccess;
  /** Absent: the procedure takes no input. */
  input?: z.ZodType;
  output: z.ZodType;
};

/** Name -> procedure; names are camelCase and become `<adapterId>.<name>` in the API. */
export type AdminSchema = Readonly<Record<string, AdminProcedureSpec>>;

/** A registered controller as an admin procedure may need it (never its credentials). */
export type AdminControllerRecord = {
  id: string;
  providerId: string;
  protocol: string;
  endpoint: string;
  config: Record<string, unknown>;
};

/** What the API hands an admin procedure: the caller, the inventory it may read, and the audit log. */
export type AdminContext = {
  /** The caller's username. */
  actor: string;
  /** The registered controller with this id, or null. */
  controller(id: string): Promise<AdminControllerRecord | null>;
  /**
   * Records one audit entry for this call, action `<adapterId>.<procedure name>`; mutations should, with what
   * changed (the API redacts secrets as for every entry).
   */
  audit(entry: { target: { type: string; id: string }; before: unknown; after: unknown }): Promise<void>;
};

/** The validated input of a procedure (undefined when it takes none). */
export type AdminInput<P extends AdminProcedureSpec> = P['input'] extends z.ZodType
  ? z.output<P['input']>
  : undefined;

export type AdminHandlers<S extends AdminSchema> = {
  [K in keyof S]: (input: AdminInput<S[K]>, ctx: AdminContext) => Promise<z.input<S[K]['output']>>;
};

/** The erased form an AdapterModule carries: its schema and one dispatcher (typed by defineAdapterAdmin). */
export type AdapterAdmin = {
  readonly schema: AdminSchema;
  /** Runs procedure `name` with an input the API has already validated against schema[name].input. */
  call(name: string, input: unknown, ctx: AdminContext): Promise<unknown>;
};

/** Keeps the literal types of a schema (for the API's typed mount) while checking its shape. */
export function defineAdminSchema<const S extends AdminSchema>(schema: S): S {
  for (const [name, spec] of Object.entries(schema)) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(name)) throw new Error(`Admin procedure name ${name} is not camelCase`);
    if (
      (spec.input !== undefined && !(spec.input instanceof z.ZodType)) ||
      !(spec.output instanceof z.ZodType)
    )
      throw new Error(`Admin procedure ${name} needs zod input and output schemas`);
  }
  return schema;
}

/** Binds handlers to a schema, type-checked procedure by procedure, into what AdapterModule.admin holds. */
export function defineAdapterAdmin<const S extends AdminSchema>(
  schema: S,
  handlers: AdminHandlers<S>,
): AdapterAdmin {
  return {
    schema,
    call(name, input, ctx) {
      const handler = Object.hasOwn(handlers, name) ? handlers[name as keyof S] : undefined;
      if (!handler) return Promise.reject(new Error(`No admin procedure ${name}`));
      return handler(input as never, ctx);
    },
  };
}
