// Throw-away PKI for TLS tests: a CA, a server certificate for 127.0.0.1 and a client certificate (openssl CLI).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type TlsMaterial = {
  caCertPath: string;
  serverKeyPath: string;
  serverCertPath: string;
  /** PEM strings a client passes as TlsOptions. */
  client: { key: string; cert: string; ca: string };
};

async function issue(dir: string, name: string, subject: string, ext: string | undefined): Promise<void> {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  await run('openssl', ['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
  const args = [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    path.join(dir, 'ca.crt'),
    '-CAkey',
    path.join(dir, 'ca.key'),
  ];
  args.push('-CAcreateserial', '-days', '2', '-out', path.join(dir, `${name}.crt`));
  if (ext) {
    const extPath = path.join(dir, `${name}.ext`);
    await writeFile(extPath, ext);
    args.push('-extfile', extPath);
  }
  await run('openssl', args);
}

export async function createTlsMaterial(dir: string): Promise<TlsMaterial> {
  const caKey = path.join(dir, 'ca.key');
  await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', caKey]);
  await run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-subj',
    '/CN=netplane-test-ca',
    '-days',
    '2',
    '-out',
    path.join(dir, 'ca.crt'),
  ]);
  await issue(dir, 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  await issue(dir, 'client', '/CN=netplane-client', undefined);
  const [key, cert, ca] = await Promise.all(
    ['client.key', 'client.crt', 'ca.crt'].map((f) => readFile(path.join(dir, f), 'utf8')),
  );
  return {
    caCertPath: path.join(dir, 'ca.crt'),
    serverKeyPath: path.join(dir, 'server.key'),
    serverCertPath: path.join(dir, 'server.crt'),
    client: { key: key as string, cert: cert as string, ca: ca as string },
  };
}
