// Reads a layer tar back into a list of entries: lets fixture tests (and engine tests that want to
// compare against what was pushed) check names, types, modes and link targets.
import tar from 'tar-stream';
import { Readable } from 'node:stream';

export interface TarEntryInfo {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  linkname?: string;
  content?: Buffer;
}

/** Lists the entries of an uncompressed tar; file contents are kept when `withContent` is set. */
export async function readTar(tarBytes: Buffer, withContent = false): Promise<TarEntryInfo[]> {
  const extract = tar.extract();
  const out: TarEntryInfo[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) if (withContent) chunks.push(c as Buffer);
      const h = entry.header;
      out.push({
        name: h.name,
        type: h.type ?? 'file',
        mode: h.mode ?? 0,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        ...(h.linkname ? { linkname: h.linkname } : {}),
        ...(withContent && h.type === 'file' ? { content: Buffer.concat(chunks) } : {}),
      });
    }
  })();
  Readable.from([tarBytes]).pipe(extract);
  await done;
  return out;
}
