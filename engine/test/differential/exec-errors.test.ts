// Differential: `docker exec` that cannot start its process, berthd against dockerd. dockerd
// writes the failure into the exec's stdout and sets its exit code to 126, which the CLI exits with.
import { describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();

describe('differential: exec failures', () => {
  it('a command that cannot start exits 126 with dockerd\'s message on stdout', async () => {
    await both.mustBoth(['run', '-d', '--name', 'diff-exec', both.busybox, 'sleep', '1000']);
    await both.expectSameCli(['exec', 'diff-exec', 'no-such-command']);
    await both.expectSameCli(['exec', 'diff-exec', '/no/such/path']);
    await both.expectSameCli(['exec', 'diff-exec', '/etc/passwd']);
    await both.expectSameCli(['exec', 'diff-exec', '/etc']);
    await both.expectSameCli(['exec', '-w', '/no-such-dir', 'diff-exec', 'true']);
    await both.expectSameCli(['exec', '-u', 'no-such-user', 'diff-exec', 'true']);
    await both.expectSameCli(['exec', '-u', '1000:no-such-group', 'diff-exec', 'true']);
    await both.expectSameCli(['exec', '-i', 'diff-exec', 'no-such-command'], { input: '' });
    await both.expectSameCli(['exec', '-t', 'diff-exec', 'no-such-command']);
    await both.expectSameCli(['exec', '-d', 'diff-exec', 'no-such-command']);
    // What still works is unchanged: the process's own exit code comes through.
    await both.expectSameCli(['exec', 'diff-exec', 'sh', '-c', 'exit 7']);
    await both.expectSameCli(['exec', 'diff-exec', 'sh', '-c', 'exit 126']);
    await both.mustBoth(['rm', '-f', 'diff-exec']);
  });
});
