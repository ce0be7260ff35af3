// `--sql-profile`: counts and times the database statements the stack runs, by kind and table, through a Kysely
// plugin (a query's time runs from compilation to its result, so it includes waiting for the connection).
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

type Entry = { count: number; ms: number };

export class SqlProfile implements KyselyPlugin {
  private readonly started = new WeakMap<object, { key: string; at: number }>();
  private stats = new Map<string, Entry>();
  private recording = false;

  start(): void {
    this.stats = new Map();
    this.recording = true;
  }

  stop(): Record<string, Entry> {
    this.recording = false;
    const sorted = [...this.stats].sort((a, b) => b[1].count - a[1].count);
    return Object.fromEntries(sorted.map(([k, v]) => [k, { count: v.count, ms: Math.round(v.ms) }]));
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.recording) this.started.set(args.queryId, { key: keyOf(args.node), at: performance.now() });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const s = this.started.get(args.queryId);
    if (s && this.recording) {
      const e = this.stats.get(s.key) ?? { count: 0, ms: 0 };
      e.count += 1;
      e.ms += performance.now() - s.at;
      this.stats.set(s.key, e);
    }
    return args.result;
  }
}

function keyOf(node: RootOperationNode): string {
  const kind = node.kind.replace(/QueryNode$/, '').toLowerCase();
  const n = node as { from?: { froms?: unknown[] }; into?: unknown; table?: unknown };
  const table =
    tableName(n.from?.froms?.[0]) ??
    tableName(n.into) ??
    tableName(n.table) ??
    (kind === 'raw' ? 'sql' : '?');
  return `${kind} ${table}`;
}

function tableName(node: unknown): string | undefined {
  const t = node as { table?: { identifier?: { name?: string } }; kind?: string } | undefined;
  return t?.table?.identifier?.name;
}
