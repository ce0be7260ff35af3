// The simulator adapter as its own process (docs/adapter-protocol.md): NETPLANE_ADAPTER_RUNTIME=simulator=process.
// Its sim:// controllers live in this process's hub; http:// endpoints reach a standalone simulator as always.
import { serveAdapter } from '@netplane/adapter-sdk/serve';
import simulatorAdapter from './index';

void serveAdapter(simulatorAdapter);
