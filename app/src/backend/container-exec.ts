// Runs a command in a running container and collects its output (Docker API "Exec": create,
// start without a TTY so stdout and stderr arrive as frames, then inspect for the exit code).
import type Dockerode from 'dockerode';
import { engineJson, engineStream } from './engine-request.ts';
import { FrameDemuxer } from './streams/stream-frames.ts';

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
  /** Output went past maxBytes and the stream was cut there. */
  truncated: boolean;
}

export async function execCollect(docker: Dockerode, containerId: string, cmd: string[], maxBytes: number): Promise<ExecResult> {
  const created = await engineJson<{ Id: string }>(docker, {
    method: 'POST',
    path: `/containers/${encodeURIComponent(containerId)}/exec`,
    body: { Cmd: cmd, AttachStdin: false, AttachStdout: true, AttachStderr: true, Tty: false },
  });
  const response = await engineStream(docker, { method: 'POST', path: `/exec/${created.Id}/start`, body: { Detach: false, Tty: false } });
  const out: Buffer[] = [];
  let outBytes = 0;
  let err = '';
  let truncated = false;
  await new Promise<void>((resolve, reject) => {
    const demuxer = new FrameDemuxer((stream, payload) => {
      if (stream === 'stderr') {
        if (err.length < 64 * 1024) err += payload.toString();
        return;
      }
      if (outBytes + payload.length > maxBytes) {
        out.push(payload.subarray(0, maxBytes - outBytes));
        outBytes = maxBytes;
        truncated = true;
        response.destroy();
        resolve();
        return;
      }
      out.push(Buffer.from(payload));
      outBytes += payload.length;
    });
    response.on('data', (chunk: Buffer) => {
      if (!truncated) demuxer.push(chunk);
    });
    response.once('end', () => resolve());
    response.once('error', (error) => (truncated ? resolve() : reject(error)));
    response.once('close', () => resolve());
  });
  let exitCode: number | null = null;
  if (!truncated) {
    const info = await engineJson<{ ExitCode?: number | null; Running?: boolean }>(docker, { method: 'GET', path: `/exec/${created.Id}/json` });
    exitCode = typeof info.ExitCode === 'number' ? info.ExitCode : null;
  }
  return { stdout: Buffer.concat(out), stderr: err, exitCode, truncated };
}
