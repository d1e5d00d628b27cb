// Reads a diagnostics bundle (.tar.gz) back for tests: every entry's name and its text.
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';

export async function bundleFiles(gz: Buffer): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    const tar = extract();
    tar.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => chunks.push(c as Buffer));
      stream.on('end', () => {
        files.set(header.name, Buffer.concat(chunks).toString());
        next();
      });
    });
    tar.on('finish', resolve);
    tar.on('error', reject);
    tar.end(gunzipSync(gz));
  });
  return files;
}
