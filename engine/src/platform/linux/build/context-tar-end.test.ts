import { Readable } from 'node:stream';
import { pack, extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { completeGoTarEnd } from './context-tar-end.ts';

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Entries as name:content, read through completeGoTarEnd in chunks of `size` bytes. */
async function read(tar: Buffer, size: number): Promise<string[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < tar.length; i += size) parts.push(tar.subarray(i, i + size));
  const parser = extract();
  Readable.from(parts).pipe(completeGoTarEnd()).pipe(parser as unknown as NodeJS.WritableStream);
  const out: string[] = [];
  for await (const entry of parser) {
    let text = '';
    for await (const chunk of entry) text += String(chunk);
    out.push(`${entry.header.name}:${text}`);
  }
  return out;
}

describe('completeGoTarEnd', () => {
  it('completes a tar that ends right after the last entry\'s data or on a header boundary, in any chunking', async () => {
    const whole = await tarOf({ a: 'x'.repeat(700), '.dockerfile.1': 'FROM scratch\n' });
    // 512 + 1024 (a) + 512 + 13 bytes of data: the CLI's cut-short context.
    const cut = whole.subarray(0, 512 + 1024 + 512 + 13);
    for (const size of [1, 13, 512, 4096]) {
      expect(await read(cut, size)).toEqual([`a:${'x'.repeat(700)}`, '.dockerfile.1:FROM scratch\n']);
      expect(await read(whole.subarray(0, 512 + 1024), size)).toEqual([`a:${'x'.repeat(700)}`]);
      expect(await read(whole, size)).toHaveLength(2);
    }
  });

  it('passes a body cut inside data or a header on as it is, so it still fails', async () => {
    const whole = await tarOf({ a: 'x'.repeat(700), b: 'y' });
    await expect(read(whole.subarray(0, 512 + 600), 100)).rejects.toThrow(/Unexpected end of data/);
    await expect(read(whole.subarray(0, 512 + 1024 + 100), 100)).rejects.toThrow(/Unexpected end of data/);
  });
});
