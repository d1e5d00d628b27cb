// Differential: `docker images PATTERN` and `--filter reference=PATTERN`, matched as dockerd does
// (Go's path.Match on the familiar reference, then on the name alone), berthd against dockerd.
import { describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();
const refs = ['--format', '{{.Repository}}:{{.Tag}}'];
// The CLI groups an image's tags by repository in a Go map: the order of the repositories varies
// from run to run (on either engine), the order of tags within one does not.
const sortLines = (text: string) => text.split('\n').sort().join('\n');

describe('differential: image patterns', () => {
  it('globs in `docker images PATTERN` and reference= list the matching names', async () => {
    // Tagged out of order: dockerd lists an image's names sorted, whatever order they came in.
    for (const tag of ['otherbox:1', 'diffbox:2', 'diffbox/sub:3', 'diffbox:1']) await both.mustBoth(['tag', both.busybox, tag]);
    for (const pattern of ['diffbox*', 'diffbox', 'diffbox:*', 'diffbox*:1', 'diff*/*', '[d]iffbox', '[^d]*box', 'diffbo?', 'diffbox:[12]', '*/busybox', '127.0.0.1*']) {
      await both.expectSameCli(['images', ...refs, pattern]);
      await both.expectSameCli(['images', ...refs, '--filter', `reference=${pattern}`]);
    }
    await both.expectSameCli(['images', ...refs, '*box'], { normalise: sortLines });
    await both.expectSameCli(['images', ...refs, '--filter', 'reference=*box'], { normalise: sortLines });
    // Only familiar names are matched: a fully qualified name or a library/ prefix finds nothing.
    await both.expectSameCli(['images', ...refs, 'docker.io/library/diffbox']);
    await both.expectSameCli(['images', ...refs, '--filter', 'reference=library/diffbox*']);
    await both.expectSameCli(['images', ...refs, '--filter', 'reference=diffbox:1', '--filter', 'reference=otherbox*'], { normalise: sortLines });
    await both.expectSameCli(['images', 'DiffBox']);
    await both.expectSameCli(['images', '--filter', 'reference=[diffbox']);
    await both.expectSameCli(['images', 'diffbox*']);
    await both.mustBoth(['rmi', 'diffbox:1', 'diffbox:2', 'diffbox/sub:3', 'otherbox:1']);
  });
});
