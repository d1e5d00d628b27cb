// The Runtime role (core/interfaces.ts) on runc + conmon. Each container gets its own daemonized
// conmon, which holds the stdio, the tty, the log and the exit status, so containers survive an
// engine crash. All state is files under stateDir and runc's --root: a new LinuxRuntime on the
// same dirs sees (re-adopts) every container a previous engine left running.
import { mkdir, readFile, readlink, rename, rm, rmdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, EngineError, invalid, systemError } from '../../../core/errors.ts';
import type {
  AttachSession,
  ExecRequest,
  ExitInfo,
  ProcessHandle,
  Runtime,
  RuntimeCreateRequest,
  RuntimeState,
} from '../../../core/interfaces.ts';
import { openAttach } from './attach.ts';
import { readCgroupPids } from './cgroup-pids.ts';
import { ConmonProcess } from './conmon.ts';
import { resizeViaCtl } from './ctl.ts';
import { runExec } from './exec.ts';
import { signalInit } from './signal-init.ts';
import { ExitWatcher } from './exit-watcher.ts';
import { startViaExecFifo } from './fast-start.ts';
import { checkId, RuntimePaths, shortUuid } from './paths.ts';
import { RuncCli, runcErrorMessage } from './runc.ts';
import { isCgroupV2 } from '../oci-spec/host.ts';
import { specToJson } from '../oci-spec/process-env.ts';

export interface LinuxRuntimeOptions {
  /** e.g. <exec-root>/runtime */
  stateDir: string;
  runcPath: string;
  conmonPath: string;
  /** runc --root, per engine, e.g. <exec-root>/runc */
  runcRoot: string;
  /** berth-native, for the SOCK_SEQPACKET attach relay */
  nativeHelperPath: string;
}

/** Files conmon (and we) put into a bundle; delete removes these, then the bundle if empty. */
const BUNDLE_FILES = ['config.json', 'ctl', 'winsz', 'attach', 'oom'];

/** conmon's -t and the spec's process.terminal must agree, or runc waits on a console socket
 * nobody offers (or conmon waits for a pty that never comes). */
function withTerminal(spec: object, tty: boolean): object {
  const process = (spec as { process?: object }).process ?? {};
  return { ...spec, process: { ...process, terminal: tty } };
}

const isNotFound = (error: unknown) => error instanceof EngineError && error.kind === 'not-found';

export class LinuxRuntime implements Runtime {
  private readonly options: LinuxRuntimeOptions;
  private readonly paths: RuntimePaths;
  private readonly runc: RuncCli;
  private readonly exits: ExitWatcher;
  private dirsReady: Promise<void> | undefined;
  private cgroupV2: boolean | undefined;

  constructor(options: LinuxRuntimeOptions) {
    this.options = options;
    this.paths = new RuntimePaths(options.stateDir);
    this.runc = new RuncCli(options.runcPath, options.runcRoot);
    this.exits = new ExitWatcher(this.paths.exitDir, (id) => this.exitOf(id), (id) => this.lostMonitorExit(id));
  }

  private ensureDirs(): Promise<void> {
    this.dirsReady ??= Promise.all([
      mkdir(this.paths.exitDir, { recursive: true }),
      mkdir(this.paths.socketDir, { recursive: true }),
      mkdir(this.options.runcRoot, { recursive: true }),
    ]).then(() => undefined);
    return this.dirsReady;
  }

  async create(request: RuntimeCreateRequest): Promise<{ pid: number }> {
    const { id, bundleDir } = request;
    checkId(id, 'container id');
    // conmon splits `-l driver:path` at every ':' (strtok), so such a path would be cut short.
    if (request.logPath?.includes(':')) throw invalid(`log path must not contain ':': ${request.logPath}`);
    const dir = this.paths.containerDir(id);
    // The cleanup below would pull the state out from under a live container of the same id.
    if ((await this.monitorPid(id)) !== undefined) throw conflict(`container ${id} already has a running monitor`);
    await this.ensureDirs();
    // A previous run of the same container (restart) leaves its exit record: drop it first so
    // nobody reads the old exit as the new one.
    await Promise.all([rm(dir, { recursive: true, force: true }), rm(this.paths.exitFile(id), { force: true })]);
    await Promise.all([mkdir(dir, { recursive: true }), mkdir(bundleDir, { recursive: true })]);
    // No fsync: the bundle is rebuilt on every create, a torn file after power loss is harmless.
    await Promise.all([
      writeFile(join(bundleDir, 'config.json'), specToJson(withTerminal(request.spec, request.tty))),
      symlink(bundleDir, this.paths.bundleLink(id)),
    ]);

    const conmon = new ConmonProcess({
      conmonPath: this.options.conmonPath,
      runcPath: this.options.runcPath,
      runcRoot: this.options.runcRoot,
      cid: id,
      cuuid: shortUuid(id),
      bundleDir,
      cwd: dir,
      containerPidFile: join(dir, 'pid'),
      conmonPidFile: this.paths.conmonPidFile(id),
      persistDir: dir,
      exitDir: this.paths.exitDir,
      socketDir: this.paths.socketDir,
      logPath: request.logPath,
      tty: request.tty,
      stdin: request.openStdin,
      leaveStdinOpen: !request.stdinOnce,
    });
    let first;
    try {
      first = await conmon.nextSync();
    } catch (error) {
      throw systemError(`OCI runtime create failed: ${(error as Error).message}`, error);
    } finally {
      conmon.close();
    }
    if (first.data < 0) {
      await rm(dir, { recursive: true, force: true });
      const text = runcErrorMessage(first.message ?? '') || `runc create exited with status ${-first.data}`;
      // dockerd's wording, which scripts match: containerd's task-create prefix, and gRPC's code
      // ("unknown") after the runtime's own message.
      throw systemError(`failed to create shim task: OCI runtime create failed: ${text}: unknown`);
    }
    return { pid: first.data };
  }

  async start(id: string): Promise<void> {
    checkId(id, 'container id');
    const pid = await this.initPid(id);
    if (pid > 0 && (await startViaExecFifo(this.options.runcRoot, id, pid))) return;
    await this.runc.start(id);
  }

  async kill(id: string, signal: number, all = false): Promise<void> {
    checkId(id, 'container id');
    // The init alone: straight from here when that is safe (signal-init.ts), else through runc.
    if (!all && (await signalInit(await this.initPid(id), id, this.isCgroupV2(), signal))) return;
    await this.runc.kill(id, signal, all);
  }

  async update(id: string, resources: object): Promise<void> {
    checkId(id, 'container id');
    // runc reads the new limits from a file in linux.resources form (`runc update --resources`).
    const file = join(this.paths.containerDir(id), 'resources.json');
    await writeFile(file, specToJson(resources));
    await this.runc.run('update', id, ['--resources', file, id]);
  }

  async pause(id: string): Promise<void> {
    checkId(id, 'container id');
    await this.runc.pause(id);
  }

  async resume(id: string): Promise<void> {
    checkId(id, 'container id');
    await this.runc.resume(id);
  }

  async delete(id: string, force = false): Promise<void> {
    checkId(id, 'container id');
    try {
      await this.runc.delete(id, force);
    } catch (error) {
      // Never created in runc (create failed) or already deleted: only our files remain.
      if (!isNotFound(error)) throw error;
    }
    // After a forced delete conmon is still writing the exit record; let it finish so it does not
    // land after our cleanup and read as the exit of a later container with this id.
    if (force) await this.waitMonitorGone(id, 2000);
    const bundle = await readlink(this.paths.bundleLink(id)).catch(() => undefined);
    await Promise.all([
      rm(this.paths.containerDir(id), { recursive: true, force: true }),
      rm(this.paths.exitFile(id), { force: true }),
      ...(bundle ? BUNDLE_FILES.map((name) => rm(join(bundle, name), { force: true })) : []),
    ]);
    // The bundle may hold the caller's rootfs mount point: remove it only if nothing else is left.
    if (bundle) await rmdir(bundle).catch(() => {});
  }

  async state(id: string): Promise<RuntimeState> {
    checkId(id, 'container id');
    try {
      return await this.runc.state(id);
    } catch (error) {
      if (isNotFound(error) && (await this.exitOf(id))) return { status: 'stopped', pid: 0 };
      throw error;
    }
  }

  async exitOf(id: string): Promise<ExitInfo | undefined> {
    checkId(id, 'container id');
    for (const file of [this.paths.exitFile(id), this.paths.persistExitFile(id)]) {
      try {
        const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
        const code = Number.parseInt(text.trim(), 10);
        const oomKilled = await stat(this.paths.oomFile(id)).then(() => true, () => false);
        // conmon already reports a signal death as 128+signal (SIGKILL → 137), as Docker does;
        // -1 means it could not tell (timeout, odd wait status).
        return { exitCode: Number.isFinite(code) && code >= 0 ? code : 255, finishedAt: info.mtimeMs, oomKilled };
      } catch {
        // try the next record
      }
    }
    return undefined;
  }

  watchExit(id: string, listener: (exit: ExitInfo) => void): () => void {
    checkId(id, 'container id');
    return this.exits.watch(id, listener);
  }

  async attach(id: string, options: { stdin: boolean }): Promise<AttachSession> {
    checkId(id, 'container id');
    return openAttach(this.options.nativeHelperPath, this.paths.attachSocket(id), options.stdin);
  }

  async resize(id: string, height: number, width: number): Promise<void> {
    checkId(id, 'container id');
    await resizeViaCtl(join(this.paths.bundleLink(id), 'ctl'), height, width);
  }

  async exec(request: ExecRequest): Promise<ProcessHandle & { session: AttachSession }> {
    await this.ensureDirs();
    return runExec(
      {
        paths: this.paths,
        conmonPath: this.options.conmonPath,
        runcPath: this.options.runcPath,
        runcRoot: this.options.runcRoot,
        helperPath: this.options.nativeHelperPath,
      },
      request,
    );
  }

  async pids(id: string): Promise<number[]> {
    checkId(id, 'container id');
    // Straight from the cgroup when it is the container's beyond doubt; runc ps otherwise.
    return (await readCgroupPids(await this.initPid(id), id, this.isCgroupV2())) ?? this.runc.ps(id);
  }

  /** The init's host pid as runc create recorded it (conmon's -p); NaN when there is none. */
  private async initPid(id: string): Promise<number> {
    return Number.parseInt(await readFile(join(this.paths.containerDir(id), 'pid'), 'utf8').catch(() => ''), 10);
  }

  private isCgroupV2(): boolean {
    this.cgroupV2 ??= isCgroupV2();
    return this.cgroupV2;
  }

  /** The container's conmon pid, if it is still alive (re-adoption and diagnostics). */
  async monitorPid(id: string): Promise<number | undefined> {
    checkId(id, 'container id');
    const text = await readFile(this.paths.conmonPidFile(id), 'utf8').catch(() => '');
    const pid = Number.parseInt(text, 10);
    if (!(pid > 0)) return undefined;
    // An exited conmon stays a zombie until init reaps it (slowly, on some hosts): read the state
    // instead of trusting kill(pid, 0).
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === '' || state === 'Z' || state === 'X' ? undefined : pid;
  }

  /** A conmon that died without writing an exit record (killed, OOM) never will: once runc also
   * says the process is gone, record exit 255 ourselves, as containerd does for a lost shim, so
   * the container does not stay "running" forever. Only reached from the slow poll. */
  private async lostMonitorExit(id: string): Promise<ExitInfo | undefined> {
    const hadMonitor = await stat(this.paths.conmonPidFile(id)).then(() => true, () => false);
    if (!hadMonitor || (await this.monitorPid(id)) !== undefined) return undefined;
    // conmon writes the record just before it exits: look again now that it is known to be gone.
    const recorded = await this.exitOf(id);
    if (recorded) return recorded;
    const state = await this.runc.state(id).catch((error: unknown) => (isNotFound(error) ? undefined : null));
    if (state === null || (state && state.status !== 'stopped')) return undefined;
    const file = this.paths.exitFile(id);
    await writeFile(`${file}.tmp`, '255');
    await rename(`${file}.tmp`, file);
    return this.exitOf(id);
  }

  /** Stops exit watching (engine shutdown). Containers and their monitors keep running. */
  close(): void {
    this.exits.close();
  }

  private async waitMonitorGone(id: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !(await this.exitOf(id)) && (await this.monitorPid(id)) !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
