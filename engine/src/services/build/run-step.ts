// RUN: a container on the current step's image with the command, its output streamed to the
// client, its upper directory committed as the step's layer (moby builder/dockerfile
// internals.go create/run/commit). The container goes away afterwards unless rm=false.
import type { HostConfig } from '../../core/container-types.ts';
import { errorMessage, invalid } from '../../core/errors.ts';
import { attachContainer } from '../containers/attach-container.ts';
import { holdRootfs } from '../containers/container-files.ts';
import { createContainer } from '../containers/create-container.ts';
import { removeContainer } from '../containers/remove-container.ts';
import { startContainer } from '../containers/start-container.ts';
import { waitContainer } from '../containers/wait-container.ts';
import { buildArgEnv, type BuildRun, type Stage } from './build-run.ts';
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

/** The history/cache text of a RUN: build args in scope prefix it as `|N k=v …` (moby). */
export function runCreatedBy(stage: Stage, argv: string[]): string {
  const args = buildArgEnv(stage).sort();
  return args.length > 0 ? `|${args.length} ${args.join(' ')} ${argv.join(' ')}` : argv.join(' ');
}

/** Runs `argv` on the stage's image; resolves with the layer of what it changed. */
export async function runInContainer(run: BuildRun, stage: Stage, argv: string[]): Promise<{ tar: Buffer; diffId: string }> {
  if (stage.image.id === '') throw invalid('RUN needs a base image with a shell: this stage is FROM scratch with no files');
  const ctx = run.containers;
  const c = stage.runConfig;
  const { Id: id } = await createContainer(ctx, {
    config: {
      Hostname: '', Domainname: '', User: c.User ?? '', AttachStdin: false, AttachStdout: true, AttachStderr: true,
      Tty: false, OpenStdin: false, StdinOnce: false,
      Env: [...(c.Env ?? []), ...buildArgEnv(stage)],
      Cmd: argv, Image: stage.image.id, Volumes: null, WorkingDir: c.WorkingDir ?? '', Entrypoint: [],
      Labels: {}, Shell: c.Shell,
    },
    hostConfig: buildHostConfig(),
    entrypointGiven: true,
    cmdGiven: true,
  });
  run.stream(` ---> Running in ${shortId(id)}\n`);
  let succeeded = false;
  const kill = () => void ctx.runtime.kill(id, 9).catch(() => undefined);
  run.signal?.addEventListener('abort', kill);
  try {
    const plan = attachContainer(ctx, id, false);
    const closed = plan.session.then(
      (session) =>
        new Promise<void>((resolve) => {
          session.onOutput((_stream, data) => run.stream(data.toString('utf8')));
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
    const { StatusCode } = await waited.result;
    // The monitor flushes the last output when the attach closes; do not wait forever for it.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    if (StatusCode !== 0) throw invalid(`The command '${argv.join(' ')}' returned a non-zero code: ${StatusCode}`);
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
    // dockerd: rm (default) removes after a successful step, forcerm always; a failed step's
    // container is removed too with rm, so a broken build leaves nothing behind.
    if (run.forceRm || run.rm) {
      await removeContainer(ctx, id, { force: true }).catch(() => undefined);
      if (succeeded) run.stream(`Removing intermediate container ${shortId(id)}\n`);
    }
  }
}
