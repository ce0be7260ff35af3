// Downloads a VPC's support bundle (JSON, secrets redacted by the server) as a file.
import type { QueryClient } from '@tanstack/react-query';
import type { useToast } from '../../components/toasts';
import type { useTRPC } from '../../lib/trpc';

export async function downloadBundle(
  queryClient: QueryClient,
  trpc: ReturnType<typeof useTRPC>,
  vpcId: string,
  name: string,
  toast: ReturnType<typeof useToast>,
): Promise<void> {
  try {
    const bundle = await queryClient.fetchQuery({
      ...trpc.support.bundle.queryOptions({ vpcId }),
      staleTime: 0,
    });
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = `netplane-support-${name}.json`;
    a.click();
    URL.revokeObjectURL(url);
    toast.success('Support bundle downloaded (secrets redacted)');
  } catch (e) {
    toast.error(e);
  }
}
