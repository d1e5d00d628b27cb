// Differential: `docker build` with the classic builder, berthd against dockerd: Dockerfiles from
// outside the context and from stdin, the transcript (`Running in`, `Removing intermediate
// container`, stderr in red), `-q`, the exit code of a failing RUN, what a failed step leaves,
// and `rmi` of a result taking its step images along.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

// No bridge of dockerd's own: RUN steps need no network here, and docker0 is not shared with
// other dockerds on the machine.
const both = useSideBySide({ bridged: false });

let dir: string;
let context: string;

beforeAll(() => {
  dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'diff-build-'));
  context = join(dir, 'context');
  mkdirSync(context);
  writeFileSync(join(context, 'a.txt'), 'from the context\n');
  mkdirSync(join(dir, 'elsewhere'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines sorted: listings whose order ties on a creation second. */
const sortedLines = (text: string) => text.split('\n').filter(Boolean).sort().join('\n');

describe('differential: build', () => {
  it('takes the Dockerfile from outside the context, and from stdin', async () => {
    const dockerfile = join(dir, 'elsewhere', 'Dockerfile');
    writeFileSync(dockerfile, `FROM ${both.busybox}\nCOPY a.txt /a.txt\nCMD ["cat", "/a.txt"]\n`);
    await both.expectSameCli(['build', '-f', dockerfile, '-t', 'diff-build-else', context]);
    await both.expectSameCli(['run', '--rm', 'diff-build-else']);
    await both.expectSameCli(['build', '-f-', '-t', 'diff-build-stdin', context], { input: `FROM ${both.busybox}\nCOPY a.txt /b.txt\nCMD ["cat", "/b.txt"]\n` });
    await both.expectSameCli(['run', '--rm', 'diff-build-stdin']);
    await both.expectSameCli(['build', '-t', 'diff-build-nocontext', '-'], { input: `FROM ${both.busybox}\nRUN echo no context > /n\n` });
    await both.mustBoth(['rmi', 'diff-build-else', 'diff-build-stdin', 'diff-build-nocontext']);
  });

  it('prints the classic transcript: a container per step, stderr in red', async () => {
    const steps = `FROM ${both.busybox}\nRUN echo one > /one\nCOPY a.txt /a.txt\nENV X=1\nLABEL a=b\nWORKDIR /w\nEXPOSE 80\nARG Z=1\n` +
      'STOPSIGNAL TERM\nHEALTHCHECK CMD true\nENTRYPOINT ["sh"]\nONBUILD RUN true\nRUN echo to-stderr >&2\nCMD ["-c", "true"]\n';
    await both.expectSameCli(['build', '--no-cache', '-t', 'diff-build-transcript', '-f-', context], { input: steps });
    // Cached: no containers at all.
    await both.expectSameCli(['build', '-t', 'diff-build-transcript', '-f-', context], { input: steps });
    // --rm=false leaves every step's container, the `#(nop)` ones unstarted.
    await both.expectSameCli(['build', '--no-cache', '--rm=false', '-f-', context], { input: `FROM ${both.busybox}\nENV Y=2\nRUN true\n` });
    await both.expectSameCli(['ps', '-a', '--format', '{{.Command}} {{.Status}}']);
    await both.mustBoth(['container', 'prune', '-f']);
    await both.mustBoth(['rmi', 'diff-build-transcript']);
  });

  it('-q prints only the image ID, and the transcript on stderr when the build fails', async () => {
    await both.expectSameCli(['build', '-q', '-f-', context], { input: `FROM ${both.busybox}\nRUN echo quiet > /q\n` });
    await both.expectSameCli(['build', '-q', '-f-', context], { input: `FROM ${both.busybox}\nENV Q=1\nRUN echo failing >&2; exit 4\n` });
    await both.mustBoth(['container', 'prune', '-f']);
  });

  it('a failing RUN exits with its code and leaves its container unless --force-rm', async () => {
    const failing = `FROM ${both.busybox}\nRUN echo before > /b\nRUN exit 3\n`;
    await both.expectSameCli(['build', '-f-', context], { input: failing });
    await both.expectSameCli(['ps', '-a', '--format', '{{.Command}} {{.Status}}']);
    await both.expectSameCli(['build', '--force-rm', '-f-', context], { input: failing });
    await both.expectSameCli(['ps', '-a', '--format', '{{.Command}} {{.Status}}']);
    await both.mustBoth(['container', 'prune', '-f']);
    await both.expectSameCli(['build', '-f-', context], { input: `FROM ${both.busybox}\nFOO bar\n` });
  });

  it('rmi of the result takes its step images along: nothing dangling is left', async () => {
    const chain = `FROM ${both.busybox}\nRUN echo one > /one\nCOPY a.txt /a.txt\nENV X=1\nRUN echo two > /two\n`;
    await both.mustBoth(['build', '-q', '-t', 'diff-build-chain', '-f-', context], { input: chain });
    await both.expectSameCli(['images', '-a', '--format', '{{.Repository}}:{{.Tag}}'], { normalise: sortedLines });
    await both.expectSameCli(['rmi', 'diff-build-chain']);
    await both.expectSameCli(['images', '-a', '--format', '{{.Repository}}:{{.Tag}}'], { normalise: sortedLines });
    await both.expectSameCli(['images', '-f', 'dangling=true', '-q']);
  });

  it('a context that does not unpack is refused and leaves no scratch directory', async () => {
    const { berth, dockerd } = await both.expectSameCli(['build', '-'], {
      input: Buffer.from('1f8b0800676172626167652d676172626167650a', 'hex'),
      ignore: ['stderr'],
      because: 'Go\'s and Node\'s inflate word a corrupt gzip stream differently ("flate: corrupt input…" / "invalid code lengths set")',
    });
    // Refused before any output, as a plain error reply.
    expect(dockerd.stderr).toMatch(/^Error response from daemon: flate: /);
    expect(berth.stderr).toMatch(/^Error response from daemon: invalid build context: /);
    expect(readdirSync(join(both.berth.dataRoot, 'builder', 'tmp'))).toEqual([]);
  });
});
