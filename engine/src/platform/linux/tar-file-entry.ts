// Streams an open regular file into a tar-stream pack entry with backpressure, for every tar the
// engine writes (cp out, export, build layers, copy sources). The header already promised the
// size, so a file that shrank meanwhile is padded with zeros rather than corrupting the archive.
import type { FileHandle } from 'node:fs/promises';
import type { Header, Pack } from 'tar-stream';

const READ_CHUNK = 1024 * 1024;

export function packFileEntry(pack: Pack, header: Partial<Header> & { name: string; size: number }, handle: FileHandle): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    void (async () => {
      let left = header.size;
      try {
        while (left > 0) {
          const buffer = Buffer.alloc(Math.min(READ_CHUNK, left));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
          const chunk = bytesRead === 0 ? buffer : buffer.subarray(0, bytesRead);
          left -= chunk.length;
          if (!sink.write(chunk)) await new Promise((r) => sink.once('drain', () => r(undefined)));
        }
        (sink as unknown as { end(): void }).end();
      } catch (error) {
        sink.destroy(error as Error);
        reject(error);
      }
    })();
  });
}
