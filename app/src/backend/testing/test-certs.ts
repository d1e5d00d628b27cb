// Certificates for TLS tests, made with Debian's openssl the way "Protect the Docker daemon
// socket" makes them: a CA, a server certificate for 127.0.0.1 (SAN, serverAuth) and a client
// certificate (clientAuth), all signed by that CA. ECDSA P-256 keys: quick to make, accepted by
// Go's TLS (the docker CLI) and by Node's.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CertPair {
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA in `dir`: ca.pem and ca-key.pem. */
export function makeCa(dir: string, name: string): CertPair {
  mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', ...KEY, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return { cert: join(dir, 'ca.pem'), key: join(dir, 'ca-key.pem') };
}

/** A certificate signed by `ca`, written as <name>-cert.pem and <name>-key.pem in `dir`. */
export function issue(ca: CertPair, dir: string, name: string, use: 'server' | 'client'): CertPair {
  const cert = join(dir, `${name}-cert.pem`);
  const key = join(dir, `${name}-key.pem`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  openssl(['req', ...KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${use === 'server' ? '127.0.0.1' : name}`], dir);
  writeFileSync(ext, use === 'server'
    ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n'
    : 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`,
    '-days', '2', '-out', cert, '-extfile', ext], dir);
  return { cert, key };
}
