// Makes the lab's own PKI with the openssl CLI: a CA, a serving certificate for 127.0.0.1, client
// certificates for the admin and the DCS controller, and the service-account signing key pair.
// Private keys are written with mode 0600 and never logged.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, OpensslMissingError } from './errors';

export interface CertPair {
  readonly certPath: string;
  readonly keyPath: string;
}

export interface LabCerts {
  readonly caCertPath: string;
  readonly serving: CertPair;
  readonly admin: CertPair;
  readonly controller: CertPair;
  readonly serviceAccountKeyPath: string;
  readonly serviceAccountPublicKeyPath: string;
}

/** Client identities; the API server takes the user from CN and the groups from O. */
export const ADMIN_USER = { commonName: 'capi-dcs-admin', organization: 'system:masters' } as const;
export const CONTROLLER_USER = { commonName: 'capi-dcs-controller' } as const;

const VALID_DAYS = '365';

// Our own config, so the result does not depend on the system's openssl.cnf.
const opensslConfig = (subjectAltName: string): string => `
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${subjectAltName}
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;
const OPENSSL_CONFIG = opensslConfig('IP:127.0.0.1,DNS:localhost');

export async function makeLabCerts(dir: string): Promise<LabCerts> {
  const config = join(dir, 'openssl.cnf');
  await writeFile(config, OPENSSL_CONFIG);
  const pair = (name: string): CertPair => ({ certPath: join(dir, `${name}.crt`), keyPath: join(dir, `${name}.key`) });
  const ca = pair('ca');
  await issue(config, ca, '/CN=capi-dcs-lab-ca', 'ca', undefined);
  const certs: LabCerts = {
    caCertPath: ca.certPath,
    serving: pair('apiserver'),
    admin: pair('admin'),
    controller: pair('controller'),
    serviceAccountKeyPath: join(dir, 'sa.key'),
    serviceAccountPublicKeyPath: join(dir, 'sa.pub'),
  };
  await Promise.all([
    issue(config, certs.serving, '/CN=kube-apiserver', 'server', ca),
    issue(config, certs.admin, `/O=${ADMIN_USER.organization}/CN=${ADMIN_USER.commonName}`, 'client', ca),
    issue(config, certs.controller, `/CN=${CONTROLLER_USER.commonName}`, 'client', ca),
    writeServiceAccountKeys(certs),
  ]);
  return certs;
}

/** A CA of its own and a serving certificate for 127.0.0.1 signed by it (webhook servers of the lab). */
export async function makeServingCerts(dir: string, commonName: string): Promise<{ caCertPath: string; serving: CertPair }> {
  const config = join(dir, 'openssl.cnf');
  await writeFile(config, OPENSSL_CONFIG);
  const ca: CertPair = { certPath: join(dir, 'ca.crt'), keyPath: join(dir, 'ca.key') };
  const serving: CertPair = { certPath: join(dir, 'tls.crt'), keyPath: join(dir, 'tls.key') };
  await issue(config, ca, `/CN=${commonName}-ca`, 'ca', undefined);
  await issue(config, serving, `/CN=${commonName}`, 'server', ca);
  return { caCertPath: ca.certPath, serving };
}

/**
 * A certificate signed by someone else's CA (a workload cluster's, from its bootstrap data): a serving
 * certificate for the given loopback IPs, or a client certificate (`ips` empty). Files `<dir>/<name>.crt|key`.
 */
export async function issueWithCa(dir: string, name: string, ca: CertPair, subject: string, ips: readonly string[]): Promise<CertPair> {
  const config = join(dir, `${name}.cnf`);
  await writeFile(config, opensslConfig(['DNS:localhost', ...ips.map((ip) => `IP:${ip}`)].join(',')));
  const out: CertPair = { certPath: join(dir, `${name}.crt`), keyPath: join(dir, `${name}.key`) };
  await issue(config, out, subject, ips.length > 0 ? 'server' : 'client', ca);
  return out;
}

/** PEM text of a pair, for kubeconfigs and HTTPS clients. */
export async function readPair(pair: CertPair): Promise<{ cert: string; key: string }> {
  const [cert, key] = await Promise.all([readFile(pair.certPath, 'utf8'), readFile(pair.keyPath, 'utf8')]);
  return { cert, key };
}

async function issue(config: string, out: CertPair, subject: string, extensions: string, ca: CertPair | undefined): Promise<void> {
  const signer = ca ? ['-CA', ca.certPath, '-CAkey', ca.keyPath] : [];
  await openssl([
    'req', '-x509', '-config', config, '-extensions', extensions, ...signer,
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', out.keyPath, '-out', out.certPath, '-days', VALID_DAYS, '-subj', subject,
  ]);
}

async function writeServiceAccountKeys(certs: LabCerts): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await writeFile(certs.serviceAccountKeyPath, privateKey, { mode: 0o600 });
  await writeFile(certs.serviceAccountPublicKeyPath, publicKey);
}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // umask-independent: openssl creates -keyout files 0600 itself.
    execFile('openssl', args, { encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (!err) {
        resolve();
      } else if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new OpensslMissingError());
      } else {
        reject(new LabError(`openssl ${args.slice(0, 2).join(' ')} failed: ${stderr.trim()}`));
      }
    });
  });
}
