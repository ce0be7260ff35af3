// Placeholder for a page whose API area is not on this server yet: says so instead of inventing data.
import { Construction } from 'lucide-react';
import { PageHeader } from './page';
import { EmptyState } from './states';

export function PendingApi({
  title,
  area,
  description,
}: {
  title: string;
  area: string;
  description: string;
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState
        title={`The ${area} API is not available on this server`}
        icon={<Construction className="size-8" />}
      >
        This page reads <code className="font-mono">{area}.*</code>; it will show data once that part of the
        server is installed.
      </EmptyState>
    </>
  );
}
