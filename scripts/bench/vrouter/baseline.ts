// The naive way the storm is compared with: the same NIC work (veth, alias, bridge port, hosts line, dnsmasq reload)
// one SSH command per NIC, on one open connection, timed on a sample of NICs and scaled.
import type { NicSpec } from '@netplane/adapter-sdk';
import { namesFor, parseConnection, SshHost } from '@netplane/adapter-vrouter';
import type { Sshd } from '@netplane/adapter-vrouter/testing';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export async function perNicBaseline(
  sshd: Sshd,
  prefix: string,
  stateDir: string,
  tier: { networkId: string; vpcId: string; vlan: number },
  nics: NicSpec[],
): Promise<{ ms: number; roundTrips: number }> {
  const conn = parseConnection(
    `ssh://root@127.0.0.1:${sshd.port}`,
    { hostKey: sshd.hostKey, namePrefix: prefix, stateDir },
    { privateKey: sshd.privateKey },
  );
  const ssh = new SshHost(conn, silent);
  const names = namesFor(prefix);
  const dir = `${stateDir}/${prefix}/${tier.networkId}`;
  const bridge = names.bridge('VLAN', tier.vlan);
  try {
    await ssh.runOk('true', AbortSignal.timeout(30_000), 'connect');
    const trips0 = ssh.roundTrips;
    const t0 = performance.now();
    for (const nic of nics) {
      const [port, peer] = [names.nicPort(nic.nicId), names.nicPeer(nic.nicId)];
      await ssh.runOk(
        [
          `ip link add name ${port} type veth peer name ${peer} address ${nic.mac}`,
          `ip link set dev ${port} alias netplane:kind=nic,nic=${nic.nicId},net=${tier.networkId},vpc=${tier.vpcId},mac=${nic.mac},ip=${nic.ip}`,
          `ip link set dev ${port} master ${bridge} up`,
          `echo '${nic.mac},set:${nic.nicId},${nic.ip}' >> ${dir}/hosts`,
          `kill -HUP $(cat ${dir}/pid)`,
        ].join('\n'),
        AbortSignal.timeout(30_000),
        'per-NIC baseline',
      );
    }
    return { ms: performance.now() - t0, roundTrips: ssh.roundTrips - trips0 };
  } finally {
    ssh.close();
  }
}
