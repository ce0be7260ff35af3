// The virtual router adapter as its own process (docs/adapter-protocol.md), the way the server runs it by default:
// its SSH connections, ssh2 (with its optional native bindings) and the scripts' output live outside the server's
// process. NETPLANE_ADAPTER_RUNTIME=virtual-router=in-process loads it into the server instead.
import { serveAdapter } from '@netplane/adapter-sdk/serve';
import vrouterAdapter from './index';

void serveAdapter(vrouterAdapter);
