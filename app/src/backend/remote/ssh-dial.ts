// ssh://[user@]host[:port] engines the way the docker CLI reaches them (cli/connhelper): the
// system `ssh` binary, so the user's ~/.ssh/config, keys and agent apply, running
// `docker system dial-stdio` on the remote, whose stdin/stdout then carry one HTTP connection to
// the remote engine's socket. One ssh process per connection, handed to node:http (and so to
// dockerode/docker-modem) through an Agent's createConnection; hijacked requests (attach, exec)
// get the same pipe as their raw stream.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, type AgentOptions } from 'node:http';
import { Duplex } from 'node:stream';
import { BackendError } from '../backend-error.ts';

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
}

export interface SshDialOptions {
  /** The ssh binary; default `ssh` on PATH, as the docker CLI runs it. */
  sshPath?: string;
  /** Extra ssh arguments placed before the CLI's own (tests give `-F their_config`). */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

export function sshUrl(target: SshTarget): string {
  return `ssh://${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
}

/** The docker CLI's argv (connhelper/ssh: `-l user`, `-p port`, `--`, host; newer CLIs add
 * ConnectTimeout=30 and -T). BatchMode=yes is Berth's: there is no terminal to type a password
 * or accept a host key into, so ssh must fail with its message instead of waiting on a prompt. */
export function sshArgs(target: SshTarget, extraArgs: string[] = []): string[] {
  return [
    ...extraArgs,
    '-o', 'ConnectTimeout=30',
    '-o', 'BatchMode=yes',
    '-T',
    ...(target.user ? ['-l', target.user] : []),
    ...(target.port ? ['-p', String(target.port)] : []),
    '--', target.host,
    'docker', 'system', 'dial-stdio',
  ];
}

/** One connection = one ssh process; writes go to its stdin, its stdout is what we read. Looks
 * enough like a net.Socket for node:http's client and Agent (timeouts, ref/unref, keep-alive). */
class SshConnection extends Duplex {
  private readonly child: ChildProcess;
  private stderr = '';
  private exited = false;
  private timer: NodeJS.Timeout | undefined;
  timeout = 0;
  readonly remoteAddress: string;

  constructor(target: SshTarget, options: SshDialOptions) {
    super({ allowHalfOpen: true });
    this.remoteAddress = target.host;
    const args = sshArgs(target, options.extraArgs);
    this.child = spawn(options.sshPath ?? 'ssh', args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const { stdin, stdout, stderr } = this.child;
    stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += chunk.toString();
    });
    stdout!.on('data', (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) stdout!.pause();
    });
    // A write after the remote went away fails on stdin; the exit below reports why.
    stdin!.on('error', () => undefined);
    this.child.once('error', (error: NodeJS.ErrnoException) => {
      this.exited = true;
      const message = error.code === 'ENOENT'
        ? `cannot reach ${sshUrl(target)}: the ssh program was not found (install OpenSSH's client)`
        : `cannot reach ${sshUrl(target)}: starting ssh failed: ${error.message}`;
      this.destroy(Object.assign(new BackendError(503, message), { code: 'ESSH' }));
    });
    // 'close': the process exited and its pipes are drained, so stderr is complete.
    this.child.once('close', (code, signal) => {
      this.exited = true;
      if (code === 0 || this.destroyed) {
        this.push(null);
        return;
      }
      const why = this.stderr.trim() || 'ssh printed nothing';
      const status = code !== null ? `exit status ${code}` : `signal ${signal}`;
      const error = new BackendError(503, `The engine at ${sshUrl(target)} is not reachable: ssh ${args.join(' ')} exited with ${status}: ${why}`);
      this.destroy(Object.assign(error, { code: 'ESSH', sshStderr: this.stderr }));
    });
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    this.child.stdin!.write(chunk, encoding, () => callback());
  }

  /** Half-close, as dial-stdio expects: the remote side sees EOF and closes its write end. */
  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin!.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    if (!this.exited) this.child.kill('SIGTERM');
    callback(error);
  }

  setTimeout(ms: number, listener?: () => void): this {
    this.timeout = ms;
    if (listener) this.once('timeout', listener);
    this.touch();
    return this;
  }

  private touch(): void {
    clearTimeout(this.timer);
    this.timer = this.timeout > 0 ? setTimeout(() => this.emit('timeout'), this.timeout) : undefined;
    this.timer?.unref();
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  /** An idle kept-alive connection must not keep the process running. */
  ref(): this {
    this.child.ref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as unknown as { ref?: () => void } | null)?.ref?.();
    return this;
  }

  unref(): this {
    this.child.unref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as unknown as { unref?: () => void } | null)?.unref?.();
    return this;
  }
}

/** An http Agent whose connections are ssh processes; idle ones are kept a little (the CLI
 * reuses its connection too), then their ssh exits. */
export function sshAgent(target: SshTarget, options: SshDialOptions = {}): Agent {
  const agentOptions: AgentOptions = { keepAlive: true, maxFreeSockets: 2, timeout: 30_000 };
  const agent = new Agent(agentOptions);
  agent.createConnection = () => new SshConnection(target, options) as unknown as ReturnType<Agent['createConnection']>;
  return agent;
}
