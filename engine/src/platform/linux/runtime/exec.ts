// One exec session: conmon --exec --exec-attach runs `runc exec --detach` for us and keeps the
// process's stdio. The order matters so that a process which prints and exits at once loses
// nothing: conmon sets up the attach socket and tells us (_OCI_ATTACHPIPE), we connect, and only
// then release the start pipe that lets conmon's child exec runc.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttachSession, ExecRequest, ProcessHandle } from '../../../core/interfaces.ts';
import { openAttach } from './attach.ts';
import { ConmonProcess } from './conmon.ts';
import { resizeViaCtl } from './ctl.ts';
import { checkId, shortUuid, type RuntimePaths } from './paths.ts';
import { systemError } from '../../../core/errors.ts';
import { runcError, runcErrorMessage } from './runc.ts';
import { specToJson } from '../oci-spec/process-env.ts';

export interface ExecDeps {
  paths: RuntimePaths;
  conmonPath: string;
  runcPath: string;
  runcRoot: string;
  helperPath: string;
}

/** Exec sessions share the socket dir with containers: keep their keys apart. */
export const execKey = (execId: string) => `exec/${execId}`;

export async function runExec(deps: ExecDeps, request: ExecRequest): Promise<ProcessHandle & { session: AttachSession }> {
  checkId(request.id, 'container id');
  checkId(request.execId, 'exec id');
  const dir = deps.paths.execDir(request.id, request.execId);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await mkdir(deps.paths.socketDir, { recursive: true });
  const specPath = join(dir, 'process.json');
  // runc takes the tty decision from the process spec; keep it in line with the request.
  await writeFile(specPath, specToJson({ ...request.process, terminal: request.tty }));

  const key = execKey(request.execId);
  const conmon = new ConmonProcess({
    conmonPath: deps.conmonPath,
    runcPath: deps.runcPath,
    runcRoot: deps.runcRoot,
    cid: request.id,
    cuuid: shortUuid(key),
    bundleDir: dir,
    cwd: dir,
    containerPidFile: join(dir, 'pid'),
    persistDir: dir,
    socketDir: deps.paths.socketDir,
    tty: request.tty,
    stdin: request.openStdin,
    leaveStdinOpen: false,
    exec: { processSpecPath: specPath },
  });
  const cleanup = () => rm(dir, { recursive: true, force: true }).catch(() => {});

  let session;
  try {
    await conmon.waitAttachSocket();
    session = await openAttach(deps.helperPath, deps.paths.attachSocket(key), request.openStdin);
  } catch (error) {
    conmon.close();
    await cleanup();
    throw error;
  }
  conmon.releaseStart();

  const started = await conmon.nextSync().catch((error: Error) => ({ data: -1, message: error.message }));
  if (started.data < 0) {
    session.detach();
    conmon.close();
    await cleanup();
    const text = runcErrorMessage(started.message ?? '') || `exec failed (status ${-started.data})`;
    // dockerd's wording (containerd adds gRPC's code, "unknown"); `docker exec` prints it as is.
    const mapped = runcError('exec', request.id, `OCI runtime exec failed: ${text}`);
    throw mapped.kind === 'system' ? systemError(`OCI runtime exec failed: ${text}: unknown`) : mapped;
  }

  const attached = session;
  const exited = (async () => {
    // conmon sends the status after draining the process's output and closing attach clients.
    const status = await conmon.nextSync().catch(() => ({ data: -1 }));
    await attached.closed;
    conmon.close();
    await cleanup();
    return status.data < 0 ? 255 : status.data;
  })();

  return {
    pid: started.data,
    exited,
    session: attached,
    resize: (height: number, width: number) => resizeViaCtl(join(dir, 'ctl'), height, width),
  };
}
