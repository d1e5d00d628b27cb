// The environment a docker CLI (stack deploy/rm) or Compose CLI run needs to reach the engine the
// backend talks to now, whatever its kind. The URL alone is not enough:
// - tcp:// with TLS: the CLIs read the DOCKER_CERT_PATH layout (ca.pem, cert.pem, key.pem) and
//   DOCKER_TLS_VERIFY (or DOCKER_TLS: encrypt without checking the engine). The backend holds the
//   material as PEM text (a context's or DOCKER_CERT_PATH's, read once), so it is written for the
//   run into a private temp folder, removed afterwards.
// - ssh://: the CLIs run `ssh` from PATH; when the backend dials with another ssh program or
//   extra options (an ssh_config of its own), a wrapper named `ssh` first on PATH adds them.
// Everything from the user's environment that would point the CLI elsewhere is dropped.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { endpointUrl, type DialOptions, type EndpointTarget } from '../engine-connection.ts';

export interface CliEngineEnv {
  env: NodeJS.ProcessEnv;
  /** Removes the files written for the run; call once the CLI has exited. */
  dispose(): void;
}

const POINTING_ELSEWHERE = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH'];

/** POSIX shell single quotes: the wrapper passes each argument through unchanged. */
function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function cliEngineEnv(connection: { target: EndpointTarget; dial: DialOptions }, base: NodeJS.ProcessEnv = process.env): CliEngineEnv {
  const { target, dial } = connection;
  const env: NodeJS.ProcessEnv = { ...base, DOCKER_CLI_HINTS: 'false' };
  for (const key of POINTING_ELSEWHERE) delete env[key];
  env.DOCKER_HOST = endpointUrl(target);
  let dir: string | undefined;
  const privateDir = () => (dir ??= mkdtempSync(join(tmpdir(), 'berth-cli-engine-')));
  const tls = target.kind === 'tcp' ? target.tls ?? dial.tls : undefined;
  try {
    if (tls) {
      // mkdtemp makes the folder 0700; the key is 0600 inside it as well.
      const certs = join(privateDir(), 'certs');
      mkdirSync(certs, { mode: 0o700 });
      // Without verification (DOCKER_TLS) the docker CLI still loads ca.pem and fails when it is
      // missing; it never checks against it then, so any certificate stands in for it.
      const ca = tls.ca ?? (tls.verify ? undefined : tls.cert);
      for (const [name, pem] of [['ca.pem', ca], ['cert.pem', tls.cert], ['key.pem', tls.key]] as const) {
        if (pem !== undefined) writeFileSync(join(certs, name), pem, { mode: 0o600 });
      }
      env.DOCKER_CERT_PATH = certs;
      // Python's requests (Debian's docker-compose 1.29) lets these replace the CA it is given,
      // so the engine's certificate would be checked against the system's CAs and refused.
      delete env.REQUESTS_CA_BUNDLE;
      delete env.CURL_CA_BUNDLE;
      if (tls.verify) env.DOCKER_TLS_VERIFY = '1';
      else env.DOCKER_TLS = '1';
    }
    const ssh = target.kind === 'ssh' ? dial.ssh : undefined;
    if (ssh && (ssh.sshPath || ssh.extraArgs?.length)) {
      const bin = join(privateDir(), 'bin');
      mkdirSync(bin, { mode: 0o700 });
      const command = [ssh.sshPath ?? 'ssh', ...(ssh.extraArgs ?? [])].map(shellQuote).join(' ');
      // A bare `ssh` in the wrapper must not find the wrapper itself: it runs with the PATH the
      // CLI was given, minus the wrapper's folder.
      writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nPATH=${shellQuote(env.PATH ?? '')}\nexec ${command} "$@"\n`, { mode: 0o700 });
      env.PATH = [bin, env.PATH].filter(Boolean).join(delimiter);
    }
  } catch (error) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    env,
    dispose: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
