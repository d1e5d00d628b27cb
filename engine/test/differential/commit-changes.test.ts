// Differential: `docker commit -c` changes as dockerd applies them (its builder, then a merge with
// the container's config), berthd against dockerd.
import { describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();
const command = ['-f', '{{json .Config.Entrypoint}} {{json .Config.Cmd}}'];

describe('differential: commit -c', () => {
  it('ENTRYPOINT resets the CMD unless a CMD change came before it', async () => {
    await both.mustBoth(['run', '-d', '--name', 'diff-commit', both.busybox, 'sleep', '1000']);
    const cases: Array<[string, string[]]> = [
      ['diff-commit:entry', ['ENTRYPOINT ["echo","x"]']],
      ['diff-commit:cmd-entry', ['CMD ["a"]', 'ENTRYPOINT ["echo","x"]']],
      ['diff-commit:entry-cmd', ['ENTRYPOINT ["echo","x"]', 'CMD ["b"]']],
      ['diff-commit:shell-entry', ['ENTRYPOINT echo shell form']],
      ['diff-commit:empty-entry', ['ENTRYPOINT []']],
      ['diff-commit:cmd', ['CMD ["c"]']],
      ['diff-commit:env', ['ENV A=1']],
    ];
    for (const [tag, changes] of cases) {
      await both.mustBoth(['commit', ...changes.flatMap((c) => ['-c', c]), 'diff-commit', tag]);
      await both.expectSameCli(['image', 'inspect', ...command, tag]);
    }
    await both.expectSameCli(['run', '--rm', 'diff-commit:entry']);
    await both.expectSameCli(['run', '--rm', 'diff-commit:entry', 'with', 'args']);
    await both.mustBoth(['rm', '-f', 'diff-commit']);
    await both.mustBoth(['rmi', ...cases.map(([tag]) => tag)]);
  });
});
