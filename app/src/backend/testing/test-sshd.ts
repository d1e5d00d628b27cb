// A private OpenSSH server for ssh:// engine tests: Debian's /usr/sbin/sshd on 127.0.0.1:<port>
// with its own host key, sshd_config and authorized key, in the foreground (-D) so the test owns
// the process. SetEnv gives the remote session the PATH and DOCKER_HOST that make
// `docker system dial-stdio` reach the test's berthd. The client side gets its own ssh_config
// (used with -F): the test's key, the server's host key as the only known one, no agent.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { exited, waitExit } from '../../../../engine/test/support/child-exit.ts';
import { freePort } from '../../../../engine/test/support/free-port.ts';

export interface TestSshd {
  port: number;
  user: string;
  /** ssh_config for the client side: pass as `-F <path>`. */
  clientConfig: string;
  /** The ssh:// URL of the engine behind this sshd. */
  url: string;
  stderr(): string;
  stop(): Promise<void>;
}

export interface TestSshdOptions {
  dir: string;
  /** Environment of the remote session (sshd SetEnv): PATH, DOCKER_HOST, DOCKER_CONFIG… */
  remoteEnv: Record<string, string>;
}

function keygen(path: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { stdio: 'ignore' });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export async function startTestSshd(options: TestSshdOptions): Promise<TestSshd> {
  const { dir } = options;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  keygen(hostKey, 'berth-test-host');
  keygen(clientKey, 'berth-test-client');
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  const port = await freePort();
  const user = userInfo().username;
  const setEnv = Object.entries(options.remoteEnv).map(([k, v]) => `${k}=${v}`).join(' ');
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorized}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    'X11Forwarding no',
    'PrintMotd no',
    `SetEnv ${setEnv}`,
    '',
  ].join('\n'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  const clientConfig = join(dir, 'ssh_config');
  writeFileSync(clientConfig, [
    'Host *',
    `  IdentityFile ${clientKey}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  LogLevel ERROR',
    '',
  ].join('\n'), { mode: 0o600 });
  // sshd refuses to start without its privilege-separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  let errTail = '';
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => { errTail = (errTail + d.toString()).slice(-8000); });
  const stop = async () => {
    if (exited(child)) return;
    child.kill('SIGTERM');
    if (!(await waitExit(child, 5_000))) {
      child.kill('SIGKILL');
      await waitExit(child, 5_000);
    }
  };
  for (const deadline = Date.now() + 15_000; !(await listening(port));) {
    if (exited(child) || Date.now() > deadline) {
      await stop();
      throw new Error(`sshd did not start on 127.0.0.1:${port}:\n${errTail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, user, clientConfig, url: `ssh://${user}@127.0.0.1:${port}`, stderr: () => errTail, stop };
}
