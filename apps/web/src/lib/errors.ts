// Turns whatever a tRPC call threw into words for people: the API's message, its appCode and field errors.
import { isTRPCClientError } from '@trpc/client';

export type ReadableError = {
  message: string;
  appCode: string | undefined;
  httpStatus: number | undefined;
  /** Field path → first error message, from the server's treeified zod issues. */
  fieldErrors: Record<string, string>;
  details: Record<string, unknown> | undefined;
};

type ZodTree = { errors?: string[]; properties?: Record<string, ZodTree>; items?: (ZodTree | undefined)[] };

function flattenTree(tree: ZodTree | undefined, prefix: string, out: Record<string, string>): void {
  if (!tree) return;
  const first = tree.errors?.[0];
  if (first && !(prefix in out)) out[prefix || '_'] = first;
  for (const [key, child] of Object.entries(tree.properties ?? {})) {
    flattenTree(child, prefix ? `${prefix}.${key}` : key, out);
  }
  tree.items?.forEach((child, i) => {
    flattenTree(child, prefix ? `${prefix}.${i}` : String(i), out);
  });
}

export function readError(error: unknown): ReadableError {
  if (isTRPCClientError(error)) {
    const data = (error.data ?? {}) as {
      appCode?: string;
      httpStatus?: number;
      zodIssues?: ZodTree;
      details?: Record<string, unknown>;
    };
    const fieldErrors: Record<string, string> = {};
    flattenTree(data.zodIssues, '', fieldErrors);
    const isNetwork = error.message === 'Failed to fetch' || error.message.startsWith('NetworkError');
    return {
      message: isNetwork ? 'The server cannot be reached. Check that Netplane is running.' : error.message,
      appCode: data.appCode,
      httpStatus: data.httpStatus,
      fieldErrors,
      details: data.details,
    };
  }
  const message = error instanceof Error ? error.message : 'Something went wrong';
  return { message, appCode: undefined, httpStatus: undefined, fieldErrors: {}, details: undefined };
}
