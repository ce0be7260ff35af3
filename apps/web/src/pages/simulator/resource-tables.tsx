// The switches and ports a simulated controller holds, a page at a time from the server (simulator.listSwitches /
// listPorts): at 100k NICs the console never loads them all. "Ports" on a switch narrows the ports to it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button } from '../../components/button';
import { Card } from '../../components/page';
import { type ServerColumn, ServerTable } from '../../components/server-table';
import { ErrorState, LoadingCards } from '../../components/states';
import type { Outputs } from '../../lib/api-types';
import { useServerPaging } from '../../lib/server-paging';
import { useTRPC } from '../../lib/trpc';

type Row = Outputs['simulator']['listSwitches']['items'][number];
const SORTS = ['name'] as const;
const DEFAULT_SORT = { key: 'name', dir: 'asc' } as const;

const ownerCell = (r: Row) => (r.owner === 'netplane' ? 'Netplane' : `foreign (${r.owner})`);

export function ResourceTables({ controllerId }: { controllerId: string }) {
  const trpc = useTRPC();
  const switchPaging = useServerPaging(SORTS, { sort: 'name', dir: 'asc' }, 20, 'sw.');
  const portPaging = useServerPaging(SORTS, { sort: 'name', dir: 'asc' }, 50, 'port.');
  const networkId = portPaging.filter('networkId');
  const pageOf = (cursor: string | undefined, limit: number) => ({ limit, ...(cursor ? { cursor } : {}) });
  const switches = useQuery(
    trpc.simulator.listSwitches.queryOptions(
      { controllerId, ...pageOf(switchPaging.cursor, switchPaging.limit) },
      { placeholderData: keepPreviousData },
    ),
  );
  const ports = useQuery(
    trpc.simulator.listPorts.queryOptions(
      { controllerId, ...pageOf(portPaging.cursor, portPaging.limit), ...(networkId ? { networkId } : {}) },
      { placeholderData: keepPreviousData },
    ),
  );

  const switchColumns: ServerColumn<Row, 'name'>[] = [
    { key: 'name', header: 'Switch', render: (r) => <span className="font-mono text-xs">{r.name}</span> },
    { key: 'cidr', header: 'CIDR', render: (r) => r.attributes.cidr ?? '—' },
    { key: 'vpc', header: 'VPC', render: (r) => <span className="font-mono text-xs">{r.vpcId ?? '—'}</span> },
    { key: 'owner', header: 'Owner', render: ownerCell },
    {
      key: 'ports',
      header: 'Ports',
      render: (r) =>
        r.networkId && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => portPaging.setFilter('networkId', r.networkId ?? '')}
          >
            Show ports
          </Button>
        ),
    },
  ];
  const portColumns: ServerColumn<Row, 'name'>[] = [
    { key: 'name', header: 'Port', render: (r) => <span className="font-mono text-xs">{r.name}</span> },
    { key: 'ip', header: 'IP', render: (r) => r.attributes.ip ?? '—' },
    {
      key: 'mac',
      header: 'MAC',
      render: (r) => <span className="font-mono text-xs">{r.attributes.mac ?? '—'}</span>,
    },
    {
      key: 'switch',
      header: 'Switch',
      render: (r) => <span className="font-mono text-xs">{r.networkId ?? '—'}</span>,
    },
    { key: 'owner', header: 'Owner', render: ownerCell },
  ];

  return (
    <div className="grid gap-4">
      <Card title="Switches">
        {switches.isPending ? (
          <LoadingCards />
        ) : switches.error ? (
          <ErrorState error={switches.error} onRetry={() => void switches.refetch()} />
        ) : (
          <ServerTable
            caption="Switches"
            columns={switchColumns}
            page={switches.data}
            rowKey={(r) => r.name}
            paging={switchPaging}
            defaultSort={DEFAULT_SORT}
            isFetching={switches.isFetching}
          />
        )}
      </Card>
      <Card
        title={networkId ? `Ports of switch ${networkId}` : 'Ports'}
        actions={
          networkId && (
            <Button size="sm" variant="ghost" onClick={() => portPaging.setFilter('networkId', '')}>
              All ports
            </Button>
          )
        }
      >
        {ports.isPending ? (
          <LoadingCards />
        ) : ports.error ? (
          <ErrorState error={ports.error} onRetry={() => void ports.refetch()} />
        ) : (
          <ServerTable
            caption="Ports"
            columns={portColumns}
            page={ports.data}
            rowKey={(r) => r.name}
            paging={portPaging}
            defaultSort={DEFAULT_SORT}
            isFetching={ports.isFetching}
          />
        )}
      </Card>
    </div>
  );
}
