// Where the runtime keeps each container's monitor files. Everything lives under the engine's
// state dir (on tmpfs under --exec-root), and nothing but the files themselves carries state, so a
// restarted engine finds running containers again just by looking here (re-adoption).
//
//   <stateDir>/exits/<id>              conmon --exit-dir: the exit code, written when the process ends
//   <stateDir>/c/<id>/                 conmon --persist-dir and cwd: `exit`, `oom`, pid files
//   <stateDir>/c/<id>/bundle           symlink to the bundle (for ctl and cleanup after conmon is gone)
//   <stateDir>/sock/<cuuid> -> bundle  conmon's symlink; the attach socket is <sock>/<cuuid>/attach
//   <stateDir>/c/<id>/x/<execId>/      one exec session: process.json, ctl fifo, attach socket
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { invalid } from '../../../core/errors.ts';

/** sockaddr_un.sun_path is 108 bytes including the terminating NUL. */
const SUN_PATH_MAX = 107;

/** conmon names the attach symlink after --cuuid. A short hash keeps the socket path well under
 * the sun_path limit whatever the id length, and a container's and an exec's never collide. */
export function shortUuid(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 20);
}

/** Ids become path components and runc arguments: refuse anything that could escape the dirs. */
export function checkId(id: string, what: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id)) throw invalid(`invalid ${what}: ${JSON.stringify(id)}`);
}

export class RuntimePaths {
  readonly stateDir: string;
  readonly exitDir: string;
  readonly socketDir: string;

  constructor(stateDir: string) {
    this.stateDir = stateDir;
    this.exitDir = join(stateDir, 'exits');
    this.socketDir = join(stateDir, 'sock');
  }

  containerDir(id: string): string {
    return join(this.stateDir, 'c', id);
  }

  exitFile(id: string): string {
    return join(this.exitDir, id);
  }

  persistExitFile(id: string): string {
    return join(this.containerDir(id), 'exit');
  }

  oomFile(id: string): string {
    return join(this.containerDir(id), 'oom');
  }

  conmonPidFile(id: string): string {
    return join(this.containerDir(id), 'conmon.pid');
  }

  bundleLink(id: string): string {
    return join(this.containerDir(id), 'bundle');
  }

  /** Under the container's dir, so deleting the container also drops sessions a crashed engine
   * left behind. */
  execDir(id: string, execId: string): string {
    return join(this.containerDir(id), 'x', execId);
  }

  /** The attach socket as seen through conmon's short symlink, for one container or exec. */
  attachSocket(key: string): string {
    const path = join(this.socketDir, shortUuid(key), 'attach');
    if (path.length > SUN_PATH_MAX) throw invalid(`runtime state dir too long for a unix socket path: ${path}`);
    return path;
  }
}
