// The DOCKER_CERT_PATH layout (docker CLI "Protect the Docker daemon socket"): ca.pem, cert.pem
// and key.pem in one folder, the same names a docker context's TLS folder uses. Read into PEM
// text so an endpoint carries its material, not paths that may move.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest } from '../backend-error.ts';
import type { TlsMaterial } from '../engine-connection.ts';

async function optional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw badRequest(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** `verify` as DOCKER_TLS_VERIFY: check the server against ca.pem (the CLI's --tlsverify). A
 * client certificate without its key (or the reverse) is refused here, not at the handshake. */
export async function readTlsFolder(dir: string, verify = true): Promise<TlsMaterial> {
  const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((name) => optional(join(dir, name))));
  if ((cert === undefined) !== (key === undefined)) {
    throw badRequest(`${dir} has ${cert ? 'cert.pem but no key.pem' : 'key.pem but no cert.pem'}: a client certificate needs both`);
  }
  if (verify && ca === undefined) throw badRequest(`${dir} has no ca.pem: verifying the engine needs the CA that signed its certificate`);
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), verify };
}
