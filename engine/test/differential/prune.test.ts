// Differential: prune. `system prune --filter label=…` leaves the build cache of unlabelled steps
// alone, `builder prune` filters are checked as dockerd checks them, and image prune and system df
// count only the space that really goes (a layer another image shares stays).
import { describe, expect, it } from 'vitest';
import { normalise, useSideBySide, type CliRun } from './side-by-side.ts';

// No bridge of dockerd's own: nothing here needs its network, and docker0 is not shared with
// other dockerds on the machine.
const both = useSideBySide({ bridged: false });

/** Runs a prune on both and compares it as expectSameCli does, plus the exact figure of
 * "Total reclaimed space", which the usual normalisation turns into <size>. */
async function samePrune(args: string[]): Promise<void> {
  const { berth, dockerd } = await both.run(args);
  const shown = (r: CliRun) => ({ code: r.code, stdout: normalise(r.stdout), stderr: normalise(r.stderr) });
  expect(shown(berth), `docker ${args.join(' ')}`).toEqual(shown(dockerd));
  const figure = (text: string) => /Total reclaimed space: (.*)/.exec(text)?.[1];
  expect(figure(berth.stdout), `docker ${args.join(' ')}: reclaimed`).toBe(figure(dockerd.stdout));
}

describe('differential: prune', () => {
  it('system prune --filter label=… keeps the build cache of steps without the label', async () => {
    const plain = `FROM ${both.busybox}\nRUN echo plain > /p\n`;
    const labelled = `FROM ${both.busybox}\nLABEL stage=builder\nRUN echo labelled > /l\n`;
    await both.mustBoth(['build', '-q', '-t', 'diff-prune-plain', '-'], { input: plain });
    await both.mustBoth(['build', '-q', '-t', 'diff-prune-labelled', '-'], { input: labelled });
    await both.expectSameCli(['system', 'prune', '-f', '--filter', 'label=stage=builder']);
    await both.expectSameCli(['build', '-t', 'diff-prune-plain', '-'], { input: plain });
    await both.expectSameCli(['build', '-t', 'diff-prune-labelled', '-'], {
      input: labelled,
      ignore: ['stdout'],
      because: 'builder prune makes berthd forget its classic step cache (the steps run again next time); dockerd\'s classic cache is its images, which builder prune leaves',
    });
    await both.expectSameCli(['builder', 'prune', '-f', '--filter', 'label=nothing-has-this']);
    await both.expectSameCli(['build', '-t', 'diff-prune-plain', '-'], { input: plain });
    await both.mustBoth(['rmi', 'diff-prune-plain', 'diff-prune-labelled']);
    // berthd's rebuild of the labelled image left the first one dangling.
    await both.mustBoth(['image', 'prune', '-f']);
  });

  it('builder prune checks its filters as dockerd does', async () => {
    await both.expectSameCli(['builder', 'prune', '-f', '--filter', 'nosuch=1']);
    await both.expectSameCli(['builder', 'prune', '-f', '--filter', 'unused-for=zz']);
    await both.expectSameCli(['builder', 'prune', '-f', '--filter', 'until=24h']);
    await both.expectSameCli(['builder', 'prune', '-f', '--filter', 'type=regular']);
    await both.expectSameCli(['builder', 'prune', '-af']);
  });

  it('image prune and system df count only what is not shared with a kept image', async () => {
    await both.mustBoth(['create', '--name', 'diff-prune-keep', both.busybox, 'true']);
    // A dangling image: busybox (kept by the container) plus 3 bytes of its own.
    await both.mustBoth(['build', '-q', '-'], { input: `FROM ${both.busybox}\nRUN echo ab > /x\n` });
    await both.expectSameCli(['system', 'df']);
    await samePrune(['image', 'prune', '-f']);
    // -a: a tagged child of busybox goes, busybox stays (its container), so again 3 bytes.
    await both.mustBoth(['build', '-q', '-t', 'diff-prune-child', '-'], { input: `FROM ${both.busybox}\nRUN echo cd > /y\n` });
    await both.expectSameCli(['system', 'df']);
    await samePrune(['image', 'prune', '-af']);
    await both.expectSameCli(['system', 'df']);
    await both.mustBoth(['rm', 'diff-prune-keep']);
  });
});
