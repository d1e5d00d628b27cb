// RUN: a container on the current step's image with the command, its output streamed to the
// client, its upper directory committed as the step's layer (moby builder/dockerfile
// internals.go create/run/commit). The container goes away afterwards unless rm=false.
import type { HostConfig } from '../../core/container-types.ts';
import { EngineError, errorMessage, invalid } from '../../core/errors.ts';
import { attachContainer } from '../containers/attach-container.ts';
import { holdRootfs } from '../containers/container-files.ts';
import { createContainer } from '../containers/create-container.ts';
import { removeContainer } from '../containers/remove-container.ts';
import { startContainer } from '../containers/start-container.ts';
import { waitContainer } from '../containers/wait-container.ts';
import { buildArgEnv, cancelledError, type BuildRun, type Stage } from './build-run.ts';
import { shellOf } from './meta-steps.ts';
import { shortId } from './step-commit.ts';

/** What `docker run` without options gets, on the default network (builds may fetch packages). */
function buildHostConfig(): HostConfig {
  return {
    Binds: null, Mounts: null, VolumesFrom: null, PublishAllPorts: false, Links: null, NetworkMode: 'default',
    PortBindings: {}, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false, CapAdd: null, CapDrop: null,
    Dns: [], DnsOptions: [], DnsSearch: [], ExtraHosts: null, Init: null, Privileged: false, ReadonlyRootfs: false,
    SecurityOpt: null, ShmSize: 64 * 1024 * 1024, Memory: 0, MemorySwap: 0, MemoryReservation: 0, NanoCpus: 0,
    CpuShares: 0, CpuPeriod: 0, CpuQuota: 0, CpusetCpus: '', PidsLimit: null, OomKillDisable: null, Ulimits: null,
    ConsoleSize: [0, 0], LogConfig: { Type: 'json-file', Config: {} },
  };
}

/** A RUN whose command exited non-zero: the build's error carries the exit code, which the CLI
 * exits with (moby's jsonmessage JSONError.Code; "The command … returned a non-zero code: N"). */
export class BuildStepError extends EngineError {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super('invalid', message);
    this.exitCode = exitCode;
  }
}

/** dockerd's classic builder marks what a RUN writes to stderr in red for the terminal
 * (streamformatter's stderr writer), one escape pair per write. */
const STDERR_START = '\x1b[91m';
const STDERR_END = '\x1b[0m';

/** The history/cache text of a RUN: build args in scope prefix it as `|N k=v …` (moby). */
export function runCreatedBy(stage: Stage, argv: string[]): string {
  const args = buildArgEnv(stage).sort();
  return args.length > 0 ? `|${args.length} ${args.join(' ')} ${argv.join(' ')}` : argv.join(' ');
}

/** Runs `argv` on the stage's image; resolves with the layer of what it changed. */
export async function runInContainer(run: BuildRun, stage: Stage, argv: string[]): Promise<{ tar: Buffer; diffId: string }> {
  if (stage.image.id === '') throw invalid('RUN needs a base image with a shell: this stage is FROM scratch with no files');
  const ctx = run.containers;
  const id = await stepContainer(run, stage, { cmd: argv, entrypoint: [], env: [...(stage.runConfig.Env ?? []), ...buildArgEnv(stage)] });
  let succeeded = false;
  const kill = () => void ctx.runtime.kill(id, 9).catch(() => undefined);
  run.signal?.addEventListener('abort', kill);
  try {
    const plan = attachContainer(ctx, id, false);
    const closed = plan.session.then(
      (session) =>
        new Promise<void>((resolve) => {
          session.onOutput((stream, data) => {
            const text = data.toString('utf8');
            run.stream(stream === 'stderr' ? `${STDERR_START}${text}${STDERR_END}` : text);
          });
          session.onClose(resolve);
        }),
      () => undefined,
    );
    const waited = waitContainer(ctx, id, 'next-exit');
    try {
      await startContainer(ctx, id);
    } catch (error) {
      waited.cancel();
      throw invalid(`failed to start the RUN container: ${errorMessage(error)}`);
    }
    // A cancel that came while the container was being created or started found nothing to kill.
    if (run.signal?.aborted) kill();
    const { StatusCode } = await waited.result;
    // The monitor flushes the last output when the attach closes; do not wait forever for it.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    if (run.signal?.aborted) throw cancelledError(run);
    if (StatusCode !== 0) throw new BuildStepError(`The command '${argv.join(' ')}' returned a non-zero code: ${StatusCode}`, StatusCode);
    const record = ctx.store.get(id);
    // Mounted again for the commit: the merged view tells which lower entries were hidden.
    const { rootfs, release } = await holdRootfs(ctx, record);
    try {
      const layer = await run.platform.snapshotLayer(id, record.TopChainId, rootfs);
      succeeded = true;
      return layer;
    } finally {
      await release();
    }
  } finally {
    run.signal?.removeEventListener('abort', kill);
    // dockerd: rm (default) removes the container of a step that worked, forcerm every one; the
    // container of a failed step stays for a look inside unless forcerm. A cancelled build leaves
    // nothing behind, whatever rm says: nobody asked to look inside.
    if (run.forceRm || run.signal?.aborted || (run.rm && succeeded)) await removeStepContainer(run, id);
  }
}

/** A container for one step on the stage's image, announced as dockerd announces it. */
async function stepContainer(run: BuildRun, stage: Stage, process: { cmd: string[]; entrypoint: string[] | null; env: string[] }): Promise<string> {
  const c = stage.runConfig;
  const { Id: id } = await createContainer(run.containers, {
    config: {
      Hostname: '', Domainname: '', User: c.User ?? '', AttachStdin: false, AttachStdout: true, AttachStderr: true,
      Tty: false, OpenStdin: false, StdinOnce: false, Env: process.env,
      Cmd: process.cmd, Image: stage.image.id, Volumes: null, WorkingDir: c.WorkingDir ?? '', Entrypoint: process.entrypoint,
      Labels: {}, Shell: c.Shell,
    },
    hostConfig: buildHostConfig(),
    entrypointGiven: true,
    cmdGiven: true,
  });
  run.stream(` ---> Running in ${shortId(id)}\n`);
  return id;
}

async function removeStepContainer(run: BuildRun, id: string): Promise<void> {
  await removeContainer(run.containers, id, { force: true, removeVolumes: true }).catch(() => undefined);
  run.stream(`Removing intermediate container ${shortId(id)}\n`);
}

/**
 * Runs `commit` for a metadata step (ENV, LABEL, CMD…) the way the classic builder does: from a
 * container that is created on the stage's image with the step as its `#(nop)` command, never
 * started, and removed afterwards with rm (so `--rm=false` leaves it, as with dockerd). A stage
 * with no image yet (FROM scratch) has nothing to create it on.
 */
export async function withNopContainer<T>(run: BuildRun, stage: Stage, comment: string, commit: () => Promise<T>): Promise<T> {
  if (stage.image.id === '') return commit();
  const c = stage.runConfig;
  const id = await stepContainer(run, stage, { cmd: [...shellOf(stage), `#(nop) `, comment], entrypoint: c.Entrypoint ?? null, env: c.Env ?? [] });
  let committed = false;
  try {
    const result = await commit();
    committed = true;
    return result;
  } finally {
    if (run.forceRm || run.signal?.aborted || (run.rm && committed)) await removeStepContainer(run, id);
  }
}
