// Installed adapters import '@netplane/adapter-sdk' without bringing a copy: the server provides its own (a peer
// dependency, as a host provides it to its plugins), so there is one AdapterError class, one set of abort helpers, and
// the version the server checked is the one the adapter runs against. A module resolve hook maps the bare specifier to
// the server's SDK module; it runs off-thread (module.register), so it is plain JavaScript given as a data: URL.
import { register } from 'node:module';

const HOOKS = `
let sdkUrl;
export function initialize(data) { sdkUrl = data.sdkUrl; }
export async function resolve(specifier, context, next) {
  if (specifier === '@netplane/adapter-sdk') return { url: sdkUrl, shortCircuit: true };
  return next(specifier, context);
}`;

let registered = false;

/** Idempotent; call before importing any installed adapter. */
export function provideSdkToPlugins(sdkUrl: string): void {
  if (registered) return;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { sdkUrl } });
  registered = true;
}
