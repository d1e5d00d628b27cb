// Test support: one temp root with a busybox rootfs, a LinuxRuntime on it, and helpers to create
// containers with unique ids. `cleanup` force-deletes whatever the tests left behind.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ExitInfo } from '../../../core/interfaces.ts';
import { LinuxRuntime } from './runtime.ts';
import { cleanupRoot, makeRootfs, makeSpec, makeTempRoot, TOOLS } from './test-bundle.ts';

export interface CreateOptions {
  tty?: boolean;
  openStdin?: boolean;
  stdinOnce?: boolean;
}

export class Harness {
  dir = '';
  rootfs = '';
  runtime!: LinuxRuntime;

  async setup(prefix: string): Promise<void> {
    this.dir = await makeTempRoot(prefix);
    this.rootfs = await makeRootfs(this.dir);
    this.runtime = this.newRuntime();
  }

  /** Another runtime on the same dirs: what a restarted engine builds. */
  newRuntime(): LinuxRuntime {
    return new LinuxRuntime({ stateDir: join(this.dir, 'state'), runcRoot: join(this.dir, 'runc'), ...TOOLS });
  }

  newId(tag: string): string {
    return `berth-rt-${tag}-${randomBytes(4).toString('hex')}`;
  }

  async create(tag: string, args: string[], options: CreateOptions = {}) {
    const id = this.newId(tag);
    const bundleDir = join(this.dir, 'bundles', id);
    const logPath = join(this.dir, `${id}.log`);
    const { pid } = await this.runtime.create({
      id,
      bundleDir,
      spec: makeSpec({ id, rootfs: this.rootfs, args, tty: options.tty }),
      tty: options.tty ?? false,
      openStdin: options.openStdin ?? false,
      stdinOnce: options.stdinOnce,
      logPath,
    });
    return { id, pid, bundleDir, logPath };
  }

  nextExit(id: string, runtime: LinuxRuntime = this.runtime): Promise<ExitInfo> {
    return new Promise((resolve) => runtime.watchExit(id, resolve));
  }

  execProcess(args: string[], options: { tty?: boolean; env?: string[] } = {}): object {
    return {
      terminal: options.tty ?? false,
      user: { uid: 0, gid: 0 },
      args,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...(options.env ?? [])],
      cwd: '/',
    };
  }

  async cleanup(): Promise<void> {
    this.runtime?.close();
    if (this.dir) await cleanupRoot(join(this.dir, 'runc'), this.dir);
  }
}
