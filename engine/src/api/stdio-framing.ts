// Docker's stdio stream framing (API "Attach to a container"): without a TTY each chunk is
// prefixed by an 8-byte header [stream, 0, 0, 0, size uint32 BE]; with a TTY bytes flow raw.

export const STREAM_STDIN = 0;
export const STREAM_STDOUT = 1;
export const STREAM_STDERR = 2;
export const STREAM_SYSTEMERR = 3;

export function frame(stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Content type of a hijacked stream: multiplexed without a TTY from API 1.42 on. */
export function streamContentType(tty: boolean, version: string): string {
  const minor = Number(version.split('.')[1]);
  return !tty && minor >= 42 ? 'application/vnd.docker.multiplexed-stream' : 'application/vnd.docker.raw-stream';
}
