// The docker CLI sends some build contexts as a tar cut short: with `-f` naming a Dockerfile
// outside the context (or `-f -`), it appends the Dockerfile through moby's
// archive.ReplaceFileTarWrapper, which closes its pipe before the tar writer, so the last entry's
// padding and the end-of-archive blocks never leave the client. Go's tar reader takes an archive
// that ends right after an entry's data as complete, so dockerd builds it; tar-stream calls it
// "Unexpected end of data". This pass-through follows the entry layout and, when the stream ends
// exactly there (after an entry's data or on a header boundary), adds the missing zeros. A body
// cut anywhere else is passed on as it is and still fails.
import { Transform, type TransformCallback } from 'node:stream';

const BLOCK = 512;

/** The size field of a tar header: octal digits, or base-256 when the high bit of its first byte
 * is set (GNU and Go write large sizes that way). */
function headerSize(header: Buffer): number {
  const field = header.subarray(124, 136);
  if ((field[0] & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  const text = field.toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return text === '' ? 0 : Number.parseInt(text, 8) || 0;
}

export function completeGoTarEnd(): Transform {
  let total = 0;
  /** Offset of the next header block. */
  let nextHeader = 0;
  /** Where the data of the last entry ends (before its padding). */
  let dataEnd = 0;
  /** The bytes from nextHeader on, while that header has not fully arrived. */
  let pending = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      const bufferStart = total - pending.length;
      total += chunk.length;
      while (nextHeader + BLOCK <= total) {
        const at = nextHeader - bufferStart;
        const size = headerSize(buffer.subarray(at, at + BLOCK));
        dataEnd = nextHeader + BLOCK + size;
        nextHeader = dataEnd + ((BLOCK - (size % BLOCK)) % BLOCK);
      }
      pending = nextHeader < total ? Buffer.from(buffer.subarray(nextHeader - bufferStart)) : Buffer.alloc(0);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (total > 0 && (total === dataEnd || total === nextHeader)) {
        callback(null, Buffer.alloc(nextHeader - total + 2 * BLOCK));
        return;
      }
      callback();
    },
  });
}
