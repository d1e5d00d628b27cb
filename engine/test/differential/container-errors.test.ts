// Differential: what the container verbs say when the container is missing or in the wrong
// state, berthd against dockerd. Scripts match these texts.
import { describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();
const MISSING = 'diff-missing-container';

describe('differential: container errors', () => {
  it('verbs on a container that does not exist', async () => {
    const verbs: string[][] = [
      ['start', MISSING], ['restart', MISSING], ['pause', MISSING], ['unpause', MISSING], ['wait', MISSING],
      ['logs', MISSING], ['top', MISSING], ['exec', MISSING, 'true'], ['port', MISSING], ['rename', MISSING, 'x'],
      ['rename', MISSING, 'diff-new-name'], ['update', '--memory', '64m', MISSING], ['diff', MISSING], ['export', MISSING],
      ['commit', MISSING], ['cp', `${MISSING}:/etc/passwd`, '-'], ['stats', '--no-stream', MISSING], ['container', 'inspect', MISSING],
    ];
    for (const args of verbs) await both.expectSameCli(args);
  });

  it('verbs on a created, a running and a paused container', async () => {
    await both.mustBoth(['create', '--name', 'diff-state', both.busybox, 'sleep', '1000']);
    for (const args of [['pause'], ['unpause'], ['stop'], ['top'], ['exec', '-i'], ['port'], ['attach'], ['rename']]) {
      const [verb, ...flags] = args;
      const rest = verb === 'exec' ? ['true'] : verb === 'rename' ? ['diff-state'] : [];
      await both.expectSameCli([verb, ...flags, 'diff-state', ...rest]);
    }
    await both.expectSameCli(['cp', 'diff-state:/no-such-file', '-']);
    await both.expectSameCli(['start', 'diff-state']);
    await both.expectSameCli(['start', 'diff-state']);
    await both.expectSameCli(['unpause', 'diff-state']);
    await both.expectSameCli(['pause', 'diff-state']);
    await both.expectSameCli(['pause', 'diff-state']);
    await both.expectSameCli(['exec', 'diff-state', 'true']);
    await both.expectSameCli(['rm', 'diff-state'], {
      ignore: ['stderr'],
      because: 'berthd words a refused rm as dockerd 25+ does ("cannot remove container \\"/NAME\\": container is paused: stop the container before removing or force remove"); 20.10 said "You cannot remove a paused container ID. Unpause and then stop …"',
    });
    await both.expectSameCli(['unpause', 'diff-state']);
    // sleep as PID 1 has no handler for TERM: the kernel ignores it, and the container runs on.
    await both.expectSameCli(['kill', '-s', 'TERM', 'diff-state']);
    await both.expectSameCli(['ps', '--filter', 'name=diff-state', '--format', '{{.Names}} {{.State}}']);
    await both.expectSameCli(['kill', 'diff-state']);
    await both.expectSameCli(['wait', 'diff-state']);
    await both.expectSameCli(['kill', 'diff-state']);
    await both.expectSameCli(['rm', 'diff-state']);
  });
});
