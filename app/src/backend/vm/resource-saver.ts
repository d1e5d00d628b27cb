// Resource saver, in the forwarder: when no container has run for N minutes the VM is powered off
// cleanly (as `berth vm stop` does) while the forwarder keeps the socket; the next connection
// boots the same VM again (qemu-launch.ts, same resources and accelerator) and is then served.
// Event streams (`GET /events`, which the desktop app keeps open) neither keep the VM awake nor
// wake it: while it sleeps they are held open with no events (none can happen), and ended when it
// wakes so their clients reconnect to the real stream.
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { processAlive, waitExit } from '../engine-process-helpers.ts';
import { askAgent } from './agent-dial.ts';
import type { AgentTarget } from './clock-sync.ts';
import { engineGetJson } from './engine-probe.ts';
import { launchQemu } from './qemu-launch.ts';
import { qmpCommand } from './qmp.ts';
import { existingDisk } from './vm-disk.ts';
import { readState, writeState, type VmHome } from './vm-home.ts';
import { findAssets, findQemu } from './vm-host.ts';
import { resolveShares, shareProblem } from './vm-shares.ts';

const resolveSharesLeniently = (paths: readonly string[]) => resolveShares(paths.filter((path) => shareProblem(path) === undefined));

const EVENTS = /^GET \/(?:v[\d.]+\/)?events(?:[?\s])/;
const EMPTY_EVENTS = 'HTTP/1.1 200 OK\r\nApi-Version: 1.47\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';

/** The first bytes of a paused client, put back for whoever reads next. */
function peekRequestLine(client: Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const done = (line: string) => {
      clearTimeout(timer);
      client.off('data', onData).off('end', onEnd).off('close', onEnd);
      resolve(line);
    };
    const onData = (chunk: Buffer) => {
      client.pause();
      client.unshift(chunk);
      done(chunk.toString('latin1').split('\r\n')[0]);
    };
    const onEnd = () => done('');
    // A client that speaks first is HTTP; one that waits for us is not, and is just forwarded.
    const timer = setTimeout(() => {
      client.pause();
      done('');
    }, timeoutMs);
    client.on('data', onData).once('end', onEnd).once('close', onEnd);
    client.resume();
  });
}

export class ResourceSaver {
  private lastActive = Date.now();
  private busy = new Set<Socket>();
  private heldStreams = new Set<Socket>();
  private passiveStreams = new Set<Socket>();
  private asleep = false;
  private transition: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;

  private readonly home: VmHome;
  /** The forwarder's target: a wake-up gives it the new boot's port and secret. */
  private readonly target: AgentTarget;
  private readonly idleMs: number;
  private readonly log: (line: string) => void;

  constructor(home: VmHome, target: AgentTarget, idleMs: number, log: (line: string) => void, checkMs = Math.min(60_000, Math.max(5_000, idleMs / 4))) {
    this.home = home;
    this.target = target;
    this.idleMs = idleMs;
    this.log = log;
    this.timer = setInterval(() => void this.check(), checkMs);
    this.timer.unref();
  }

  /** The VM is up (the clock sync and other helpers skip their work otherwise). */
  get awake(): boolean {
    return !this.asleep && this.transition === undefined;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Before a client connection is forwarded: true to forward it (the VM is up by then), false
   * when it was answered here (an event stream while the VM sleeps). */
  async admit(client: Socket): Promise<boolean> {
    const line = await peekRequestLine(client, 1_000);
    const events = EVENTS.test(line);
    if (events && this.asleep) {
      this.heldStreams.add(client);
      client.once('close', () => this.heldStreams.delete(client));
      client.on('error', () => client.destroy());
      client.write(EMPTY_EVENTS);
      client.resume();
      return false;
    }
    await this.wake();
    // A connection is activity while it is open (a `docker logs -f`, an attach), not by having
    // been made: `docker ps` or a status poll every few seconds must not keep an idle VM up.
    const set = events ? this.passiveStreams : this.busy;
    set.add(client);
    client.once('close', () => set.delete(client));
    return true;
  }

  private async check(): Promise<void> {
    if (!this.awake) return;
    try {
      const running = (await engineGetJson(this.target, '/containers/json')) as unknown[];
      if (running.length > 0 || this.busy.size > 0) this.lastActive = Date.now();
    } catch (error) {
      // An engine that does not answer is not idle: leave it be.
      this.log(`resource saver: could not list containers: ${(error as Error).message}`);
      this.lastActive = Date.now();
      return;
    }
    if (Date.now() - this.lastActive >= this.idleMs && this.awake) await this.sleep();
  }

  private sleep(): Promise<void> {
    this.transition = (async () => {
      const state = readState(this.home);
      if (!state) return;
      this.log(`resource saver: no container ran for ${Math.round(this.idleMs / 1000)} s: powering the VM off`);
      this.asleep = true;
      writeState(this.home, { ...state, asleepSince: Date.now() });
      const pressed = await qmpCommand(this.home.qmpSocket, 'system_powerdown').then(() => true, () => false);
      if (!pressed) await askAgent(this.target.port, this.target.secret, 'poweroff').catch(() => '');
      if (!(await waitExit(state.qemuPid, 120_000))) {
        this.log('resource saver: the VM did not power off in time; QEMU killed');
        process.kill(state.qemuPid, 'SIGKILL');
      }
      for (const stream of this.passiveStreams) stream.destroy();
      this.log('resource saver: VM powered off; the next connection boots it');
    })().finally(() => {
      this.transition = undefined;
    });
    return this.transition;
  }

  /** Boots the VM again if it sleeps; every connection waiting meanwhile shares one boot. */
  private async wake(): Promise<void> {
    while (this.transition) await this.transition;
    if (!this.asleep) return;
    this.transition = this.boot().finally(() => {
      this.transition = undefined;
    });
    await this.transition;
  }

  private async boot(): Promise<void> {
    const began = Date.now();
    const state = readState(this.home);
    const disk = existingDisk(this.home);
    if (!state || !disk) throw new Error('resource saver: no VM state or data disk to boot from');
    const fresh = await launchQemu(this.home, {
      qemu: findQemu(state.arch), arch: state.arch, accel: state.accel, why: state.accelWhy, resources: state.resources,
      assetsDir: findAssets(state.arch), disk, log: (line) => this.log(`resource saver: ${line}`),
      // The same folders as the boot it wakes from (they were checked then; one gone since is dropped).
      shares: resolveSharesLeniently(state.shares ?? []),
      ...(state.insecureRegistry ? { insecureRegistry: state.insecureRegistry } : {}),
      ...(state.resourceSaverMinutes ? { resourceSaverMinutes: state.resourceSaverMinutes } : {}),
    });
    fresh.forwarderPid = process.pid;
    writeState(this.home, fresh);
    this.target.port = fresh.agentPort;
    this.target.secret = readFileSync(this.home.secret, 'utf8').trim();
    await this.waitEngine(fresh.qemuPid);
    this.asleep = false;
    this.lastActive = Date.now();
    this.log(`resource saver: VM woke in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    // Their clients reconnect to the engine's own stream.
    for (const stream of this.heldStreams) stream.end('0\r\n\r\n');
  }

  private async waitEngine(qemuPid: number): Promise<void> {
    for (;;) {
      if (!processAlive(qemuPid)) throw new Error(`resource saver: QEMU exited while booting (${this.home.qemuLog})`);
      const status = await askAgent(this.target.port, this.target.secret, 'status', 3_000).catch(() => '');
      if (status.startsWith('{') && (JSON.parse(status) as { engine?: { up?: boolean } }).engine?.up) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The forwarder's resource saver when the state asks for one (BERTH_VM_RESOURCE_SAVER_SECONDS
 * overrides the minutes, for tests). */
export function startResourceSaver(home: VmHome, target: AgentTarget, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): ResourceSaver | undefined {
  const seconds = Number(env.BERTH_VM_RESOURCE_SAVER_SECONDS);
  const minutes = readState(home)?.resourceSaverMinutes;
  const idleMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : minutes ? minutes * 60_000 : 0;
  if (!idleMs) return undefined;
  log(`resource saver: on, after ${idleMs / 1000} s without a running container`);
  return new ResourceSaver(home, target, idleMs, log);
}
