// One operation of the reference: a disclosure row (verb, path, summary) that opens onto its parameters, request and
// response schemas and a curl example.
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { cx } from '../../lib/cx';
import {
  curlOf,
  type Op,
  type OpenApiDoc,
  requestSchema,
  resolve,
  responseSchema,
  type Schema,
  typeOf,
} from './openapi';

const METHOD_LOOK: Record<string, string> = {
  get: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  post: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  put: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  patch: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  delete: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={cx(
        'inline-block w-16 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold uppercase',
        METHOD_LOOK[method],
      )}
    >
      {method}
    </span>
  );
}

/** A schema as a nested list of fields: name, type, required; objects and arrays of objects open further. */
function SchemaTree({
  doc,
  schema,
  depth = 0,
}: {
  doc: OpenApiDoc;
  schema: Schema | undefined;
  depth?: number;
}) {
  const s = resolve(doc, schema);
  const target = s?.type === 'array' ? resolve(doc, s.items) : s;
  const props = target?.properties;
  if (!props || depth > 5) return <code className="text-xs">{typeOf(doc, schema)}</code>;
  return (
    <ul
      className={cx(
        'space-y-1 text-xs',
        depth > 0 && 'mt-1 border-l border-slate-200 pl-3 dark:border-slate-700',
      )}
    >
      {s?.type === 'array' && depth === 0 && (
        <li className="text-slate-600 dark:text-slate-300">An array of:</li>
      )}
      {Object.entries(props).map(([name, child]) => {
        const c = resolve(doc, child);
        const nested = c?.properties || resolve(doc, c?.items)?.properties;
        return (
          <li key={name}>
            <code className="font-semibold">{name}</code>
            {target?.required?.includes(name) ? (
              <span className="ml-1 text-red-700 dark:text-red-400">required</span>
            ) : null}{' '}
            <code className="text-slate-600 dark:text-slate-300">{typeOf(doc, child)}</code>
            {c?.description && (
              <span className="ml-1 text-slate-600 dark:text-slate-300">— {c.description}</span>
            )}
            {nested && <SchemaTree doc={doc} schema={child} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="secondary"
      size="sm"
      aria-label={label}
      icon={copied ? <Check aria-hidden className="size-4" /> : <Copy aria-hidden className="size-4" />}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}

export function OperationView({ doc, entry }: { doc: OpenApiDoc; entry: Op }) {
  const { method, path, op } = entry;
  const params = op.parameters ?? [];
  const body = requestSchema(op);
  const curl = curlOf(doc, window.location.origin, entry);
  return (
    <details className="group rounded-md border border-slate-200 dark:border-slate-700">
      <summary className="flex cursor-pointer flex-wrap items-center gap-3 px-3 py-2 hover:bg-slate-50 dark:hover:bg-slate-800">
        <MethodBadge method={method} />
        <code className="text-sm font-medium">{path}</code>
        <span className="text-sm text-slate-600 dark:text-slate-300">{op.summary}</span>
      </summary>
      <div className="space-y-4 border-t border-slate-200 px-3 py-3 dark:border-slate-700">
        {op.security?.length ? (
          <p className="text-xs text-slate-600 dark:text-slate-300">
            Needs a token (<code>Authorization: Bearer …</code>) or a console session; the role rules of the
            console apply.
          </p>
        ) : null}
        {params.length > 0 && (
          <div>
            <h4 className="mb-1 text-xs font-semibold uppercase text-slate-600 dark:text-slate-300">
              Parameters
            </h4>
            <table className="w-full text-left text-xs">
              <thead>
                <tr className="text-slate-600 dark:text-slate-300">
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Name
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    In
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Type
                  </th>
                </tr>
              </thead>
              <tbody>
                {params.map((p) => (
                  <tr key={`${p.in}:${p.name}`} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1 pr-3">
                      <code className="font-semibold">{p.name}</code>
                      {p.required && <span className="ml-1 text-red-700 dark:text-red-400">required</span>}
                    </td>
                    <td className="py-1 pr-3">{p.in}</td>
                    <td className="py-1">
                      <code>{typeOf(doc, p.schema)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {body && (
          <div>
            <h4 className="mb-1 text-xs font-semibold uppercase text-slate-600 dark:text-slate-300">
              Request body (JSON)
            </h4>
            <SchemaTree doc={doc} schema={body} />
          </div>
        )}
        <div>
          <h4 className="mb-1 text-xs font-semibold uppercase text-slate-600 dark:text-slate-300">
            Response 200
          </h4>
          <SchemaTree doc={doc} schema={responseSchema(op)} />
        </div>
        <div>
          <div className="mb-1 flex items-center justify-between gap-2">
            <h4 className="text-xs font-semibold uppercase text-slate-600 dark:text-slate-300">Example</h4>
            <CopyButton text={curl} label={`Copy the curl example of ${method.toUpperCase()} ${path}`} />
          </div>
          <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{curl}</pre>
        </div>
      </div>
    </details>
  );
}
