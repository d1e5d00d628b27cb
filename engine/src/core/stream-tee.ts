// One readable, several consumers at the pace of the slowest: a pulled layer is hashed into the
// content store and unpacked into the snapshotter in the same pass over the network bytes,
// instead of landing on disk first and being read back for the unpack.
import { PassThrough, type Readable } from 'node:stream';

/** Chunks buffered per branch. The branches hand out the chunks as they came (object mode):
 * a byte-mode stream read by for-await joins whatever is buffered into a fresh Buffer on every
 * read, a copy of each byte and most of a pull's garbage collection. */
const BRANCH_CHUNKS = 16;

export interface Tee {
  branches: PassThrough[];
  /** Settles when the source is fully read (or failed); every branch then ended or was destroyed. */
  done: Promise<void>;
}

/**
 * Feeds every chunk of `source` to each branch. A branch its consumer closes early (it failed,
 * or it found it needs no bytes after all) is left out from then on; its consumer reports why
 * itself. When no branch is left, or the source fails, the transfer stops: the source is
 * destroyed and every open branch gets the source's error.
 */
export function tee(source: Readable, count: number): Tee {
  const branches = Array.from({ length: count }, () => new PassThrough({ readableObjectMode: true, readableHighWaterMark: BRANCH_CHUNKS }));
  const open = new Set(branches);
  for (const b of branches) {
    b.on('error', () => undefined); // consumers observe it; an unobserved 'error' would crash
    b.on('close', () => {
      open.delete(b);
      if (open.size === 0 && !source.readableEnded) source.destroy();
    });
  }
  const done = (async () => {
    try {
      for await (const chunk of source) {
        if (open.size === 0) return;
        const waits: Promise<void>[] = [];
        for (const b of open) if (!b.write(chunk)) waits.push(drained(b));
        if (waits.length > 0) await Promise.all(waits);
      }
      for (const b of open) b.end();
    } catch (error) {
      for (const b of open) b.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return { branches, done };
}
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
