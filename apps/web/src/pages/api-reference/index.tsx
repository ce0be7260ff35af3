// API reference: the REST API's OpenAPI document (/api/openapi.json) rendered as tags → operations, each with its
// parameters, request and response schemas and a curl example. Hand-written rather than a bundled viewer: the
// document is small, the page stays within the console's CSP (no inline scripts, no CDN fonts), and it matches the
// console's look and keyboard behaviour (native disclosures).
import { useQuery } from '@tanstack/react-query';
import { BookOpen } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Card, PageHeader } from '../../components/page';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { groupByTag, type OpenApiDoc } from './openapi';
import { OperationView } from './operation';

const DOC_URL = '/api/openapi.json';

async function loadDocument(): Promise<OpenApiDoc> {
  const res = await fetch(DOC_URL, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`The API document could not be loaded (HTTP ${res.status})`);
  return (await res.json()) as OpenApiDoc;
}

const slug = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

export function ApiReferencePage() {
  const doc = useQuery({ queryKey: ['openapi-document'], queryFn: loadDocument, staleTime: 5 * 60_000 });
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    if (!doc.data) return [];
    const f = filter.trim().toLowerCase();
    return groupByTag(doc.data)
      .map((g) => ({
        ...g,
        ops: g.ops.filter(
          (o) => !f || `${o.method} ${o.path} ${o.op.summary ?? ''} ${g.tag}`.toLowerCase().includes(f),
        ),
      }))
      .filter((g) => g.ops.length > 0);
  }, [doc.data, filter]);

  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            The REST API for scripts under <code>/api/v1</code>, generated from the same schemas as the
            console's own calls. Authenticate with a token from{' '}
            <Link className="underline" to="/tokens">
              API tokens
            </Link>{' '}
            (<code>Authorization: Bearer …</code>); errors are <code>{'{ code, message, details }'}</code>.
            The OpenAPI 3.1 document is at{' '}
            <a className="underline" href={DOC_URL}>
              {DOC_URL}
            </a>
            .
          </>
        }
      />
      {doc.isPending ? (
        <LoadingRows rows={8} label="Loading the API document" />
      ) : doc.isError ? (
        <ErrorState error={doc.error} onRetry={() => void doc.refetch()} />
      ) : (
        <div className="space-y-4">
          <div className="text-sm">
            <label htmlFor="api-filter" className="block font-medium">
              Filter operations
            </label>
            <input
              id="api-filter"
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder="e.g. vpcs, DELETE, implement"
              className="mt-1 w-full max-w-md rounded-md border border-slate-300 bg-white px-3 py-1.5 dark:border-slate-600 dark:bg-slate-800"
            />
          </div>
          <nav aria-label="API sections" className="flex flex-wrap gap-2 text-sm">
            {groups.map((g) => (
              <a
                key={g.tag}
                href={`#${slug(g.tag)}`}
                className="rounded bg-slate-100 px-2 py-0.5 hover:underline dark:bg-slate-800"
              >
                {g.tag} ({g.ops.length})
              </a>
            ))}
          </nav>
          {groups.length === 0 ? (
            <EmptyState title="No operation matches" icon={<BookOpen className="size-8" />}>
              Nothing in the API matches “{filter}”.
            </EmptyState>
          ) : (
            groups.map((g) => (
              <Card key={g.tag} title={<span id={slug(g.tag)}>{g.tag}</span>}>
                <div className="space-y-2">
                  {g.ops.map((o) => (
                    <OperationView key={`${o.method} ${o.path}`} doc={doc.data} entry={o} />
                  ))}
                </div>
              </Card>
            ))
          )}
        </div>
      )}
    </>
  );
}
