// Differential: how `docker stop` and `docker kill` signal a container and what they say when
// they cannot, berthd against dockerd.
import { describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';
import { untilBoth } from './until.ts';

const both = useSideBySide();

// PID 1 traps TERM and keeps waiting; its child traps TERM too and would say so. dockerd sends the
// stop signal to PID 1 only, so only the parent's line appears before the SIGKILL at the timeout.
const TRAPPING_TREE = [
  `trap 'echo parent got TERM' TERM`,
  `sh -c 'trap "echo child got TERM; exit 0" TERM; echo ready; sleep 1000 & wait' &`,
  'sleep 1000 & pid=$!',
  'wait $pid; wait $pid',
].join('\n');

describe('differential: stop and kill', () => {
  it('stop signals PID 1 only: a child under a shell that traps TERM is not signalled', async () => {
    await both.mustBoth(['run', '-d', '--name', 'diff-stop-tree', both.busybox, 'sh', '-c', TRAPPING_TREE]);
    await untilBoth(both, ['logs', 'diff-stop-tree'], (r) => r.stdout.includes('ready'));
    await both.expectSameCli(['stop', '-t', '5', 'diff-stop-tree']);
    await both.expectSameCli(['logs', 'diff-stop-tree']);
    await both.expectSameCli(['inspect', '-f', '{{.State.ExitCode}} {{.State.Status}}', 'diff-stop-tree']);
    await both.mustBoth(['rm', 'diff-stop-tree']);
  });

  it('kill errors carry dockerd\'s "Cannot kill container: NAME:" prefix; a bad signal has none', async () => {
    await both.expectSameCli(['kill', 'diff-no-such-container']);
    await both.expectSameCli(['kill', '-s', 'FOO', 'diff-no-such-container']);
    await both.mustBoth(['create', '--name', 'diff-kill-created', both.busybox, 'true']);
    await both.expectSameCli(['kill', 'diff-kill-created']);
    await both.expectSameCli(['kill', '-s', 'NOPE', 'diff-kill-created']);
    await both.mustBoth(['rm', 'diff-kill-created']);
  });
});
