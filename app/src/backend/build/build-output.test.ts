// The classic builder's JSON output turned into lines, steps and the outcome, however the bytes
// are cut: a RUN's output arrives as the container writes it, and a JSON message can be split too.
import { describe, expect, it } from 'vitest';
import { BuildOutputParser } from './build-output.ts';

function parse(chunks: string[]) {
  const seen = { lines: [] as string[], steps: [] as string[], ids: [] as string[], errors: [] as string[] };
  const parser = new BuildOutputParser({
    line: (t) => seen.lines.push(t),
    step: (n, total, ins) => seen.steps.push(`${n}/${total} ${ins}`),
    imageId: (id) => seen.ids.push(id),
    error: (m) => seen.errors.push(m),
  });
  for (const c of chunks) parser.push(Buffer.from(c));
  parser.end();
  return seen;
}

const msg = (value: object) => `${JSON.stringify(value)}\n`;

describe('BuildOutputParser', () => {
  it('reassembles lines cut across stream messages and JSON cut across chunks, and finds the steps', () => {
    const all = msg({ stream: 'Step 1/2 : FROM busybox\n ---> 1234\nStep 2/2 : RUN echo a' }) + msg({ stream: ' b\n' })
      + msg({ stream: 'one\ntw' }) + msg({ stream: 'o\nthree' }) + msg({ aux: { ID: 'sha256:abc' } });
    const seen = parse([all.slice(0, 17), all.slice(17, 70), all.slice(70)]);
    expect(seen.steps).toEqual(['1/2 FROM busybox', '2/2 RUN echo a b']);
    expect(seen.lines).toEqual(['Step 1/2 : FROM busybox', ' ---> 1234', 'Step 2/2 : RUN echo a b', 'one', 'two', 'three']);
    expect(seen.ids).toEqual(['sha256:abc']);
  });

  it('strips the colour escapes of RUN stderr, even a pair spanning lines, and reports the error after the lines before it', () => {
    const seen = parse([msg({ stream: '\x1b[91mfirst\nsecond\x1b[0m' }), msg({ stream: '\x1b[91m half' }), msg({ errorDetail: { message: 'boom', code: 3 }, error: 'boom' })]);
    expect(seen.lines).toEqual(['first', 'second half']);
    expect(seen.errors).toEqual(['boom']);
  });
});
