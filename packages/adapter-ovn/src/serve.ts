// The OVN adapter as its own process (docs/adapter-protocol.md): NETPLANE_ADAPTER_RUNTIME=ovn=process.
import { serveAdapter } from '@netplane/adapter-sdk/serve';
import ovnAdapter from './index';

void serveAdapter(ovnAdapter);
