// Differential: the everyday commands whose output scripts parse, berthd against dockerd.
import { describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();

describe('differential: basics', () => {
  it('run prints the command output and passes its exit code through', async () => {
    await both.expectSameCli(['run', '--rm', both.busybox, 'echo', 'hello']);
    await both.expectSameCli(['run', '--rm', both.busybox, 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  });

  it('errors for a container that does not exist read the same', async () => {
    await both.expectSameCli(['rm', 'no-such-container-here']);
    await both.expectSameCli(['inspect', '--format', '{{.Id}}', 'no-such-container-here']);
    await both.expectSameCli(['stop', 'no-such-container-here']);
  });

  it('inspect templates over a created container agree', async () => {
    await both.mustBoth(['create', '--name', 'diff-basic', '-e', 'A=1', '--label', 'k=v', both.busybox, 'sleep', '5']);
    await both.expectSameCli(['inspect', '--format', '{{.State.Status}} {{.Config.Env}} {{.Config.Labels}} {{.Name}}', 'diff-basic']);
    await both.mustBoth(['rm', 'diff-basic']);
  });
});
