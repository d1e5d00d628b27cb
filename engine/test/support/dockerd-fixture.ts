// Debian's dockerd (package docker.io) as a test fixture: the reference implementation makes the
// images the conformance suite feeds to berthd. It is the benchmarks' private dockerd
// (dockerd.ts) without networking of its own, plus the CLI bound to it.
import { docker, type DockerResult } from './docker-cli.ts';
import { startDockerd as startPrivateDockerd } from './dockerd.ts';

type RunOptions = { input?: string | Buffer; cwd?: string; timeoutMs?: number };

export interface DockerdFixture {
  dir: string;
  socket: string;
  docker(args: string[], opts?: RunOptions): Promise<DockerResult>;
  /** Like docker(), but throws with the CLI's output unless it exits 0. */
  must(args: string[], opts?: RunOptions): Promise<string>;
  /** Removes its containers, stops dockerd and leaves no process, mount or cgroup behind. */
  stop(): Promise<void>;
}

export async function startDockerd(timeoutMs = 60_000): Promise<DockerdFixture> {
  const handle = await startPrivateDockerd({ timeoutMs });
  const run = (args: string[], opts: RunOptions = {}) => docker(args, { ...opts, env: handle.dockerEnv });
  return {
    dir: handle.dir,
    socket: handle.socket,
    docker: run,
    async must(args, opts) {
      const result = await run(args, opts);
      if (result.code !== 0) throw new Error(`dockerd fixture: docker ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
      return result.stdout;
    },
    async stop() {
      // Containers first: dockerd would otherwise stop them one by one with their timeouts.
      const ids = (await run(['ps', '-aq']).catch(() => undefined))?.stdout.split('\n').filter(Boolean) ?? [];
      if (ids.length > 0) await run(['rm', '-f', ...ids]).catch(() => undefined);
      await handle.stop();
    },
  };
}
