import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tee } from './stream-tee.ts';

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return chunks;
}

describe('tee', () => {
  it('gives every branch the chunks as they came, not joined copies', async () => {
    const chunks = [Buffer.from('one'), Buffer.from('two'), Buffer.from('three')];
    const split = tee(Readable.from(chunks), 2);
    // Read only after everything is buffered: a byte-mode stream would hand out one joined copy.
    await split.done;
    for (const branch of split.branches) {
      const got = await collect(branch);
      expect(got).toHaveLength(3);
      got.forEach((c, i) => expect(c).toBe(chunks[i]));
    }
  });

  it('leaves a branch its consumer closed out, and keeps feeding the others', async () => {
    const chunks = Array.from({ length: 100 }, (_, i) => Buffer.from(`chunk ${i}\n`));
    const split = tee(Readable.from(chunks), 2);
    split.branches[0].destroy();
    const got = await collect(split.branches[1]);
    await split.done;
    expect(Buffer.concat(got).toString()).toBe(chunks.join(''));
  });

  it('fails every branch when the source fails', async () => {
    const source = Readable.from((async function* () {
      yield Buffer.from('partial');
      throw new Error('connection reset');
    })());
    const split = tee(source, 2);
    for (const branch of split.branches) await expect(collect(branch)).rejects.toThrow('connection reset');
    await split.done;
  });
});
