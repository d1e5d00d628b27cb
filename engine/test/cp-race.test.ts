// docker cp against a container that fights back (the CVE-2018-15664 class): while `docker cp`
// runs, a process in the container swaps a directory on the copied path with a symlink to an
// absolute path, over and over. Inside the container that symlink leads to a directory of the
// container; resolved on the host it would lead to the host directory of the same name, which
// this test fills with a marker. Every resolution the engine makes on the container's files must
// stay inside the container, so the marker must never come out (cp out), and nothing may ever be
// written into the host directory (cp in) - with the container running, not paused.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from './support/engine-fixture.ts';

const fixture = useEngineWithBusybox();
const docker = (...args: string[]) => fixture.engine.docker(args);

/** Copies out: path-based resolution read the host file in 5 of 240 tries here (~2 %), so 400
 * tries miss it with a chance of about 3 in 10,000. */
const TRIES_OUT = 400;
/** Copies in (a directory of 20 files each): path-based resolution wrote into the host directory
 * within far fewer tries than this. */
const TRIES_IN = 150;
const PARALLEL = 4;
const HOST_MARKER = 'HOST-ONLY-CONTENT-7f3a';

/** Starts a container whose /w/d is a directory half of the time and a symlink to `target` the
 * other half; /w/dir/shadow holds the container's own copy. */
async function swappingContainer(name: string, target: string): Promise<void> {
  const script = [
    'mkdir -p /w/d',
    'echo container-content > /w/d/shadow',
    'while true; do mv /w/d /w/dir; ln -s ' + target + ' /w/d; rm /w/d; mv /w/dir /w/d; done',
  ].join('; ');
  const run = await docker('run', '-d', '--network=none', '--name', name, fixture.busybox, 'sh', '-c', script);
  expect(run.code, run.stderr).toBe(0);
}

async function inBatches(count: number, each: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < count) await each(next++);
    }),
  );
}

describe('docker cp while the container swaps a directory and a symlink', () => {
  it('never reads a host file through the swapped path (cp out)', async () => {
    const host = mkdtempSync(join(fixture.engine.dir, 'race-out-'));
    writeFileSync(join(host, 'shadow'), `${HOST_MARKER}\n`);
    await swappingContainer('race-out', host);
    let leaked = 0;
    let copied = 0;
    await inBatches(TRIES_OUT, async () => {
      const result = await fixture.engine.docker(['cp', 'race-out:/w/d/shadow', '-'], { timeoutMs: 60_000 });
      if (result.stdout.includes(HOST_MARKER)) leaked++;
      if (result.stdout.includes('container-content')) copied++;
    });
    expect({ leaked }).toEqual({ leaked: 0 });
    // The copies that found the directory got the container's file: the race really ran.
    expect(copied).toBeGreaterThan(0);
    await docker('rm', '-f', 'race-out');
  });

  it('never writes to the host through the swapped path (cp in, container running)', async () => {
    const host = mkdtempSync(join(fixture.engine.dir, 'race-in-'));
    // World-writable, so a write that escaped would not fail on permissions.
    chmodSync(host, 0o777);
    const source = mkdtempSync(join(fixture.engine.dir, 'race-src-'));
    // A directory of several files: each entry is one more resolution under the swapped path.
    mkdirSync(join(source, 'payload'));
    for (let f = 0; f < 20; f++) writeFileSync(join(source, 'payload', `f${f}`), 'from the test\n');
    await swappingContainer('race-in', host);
    let landed = 0;
    await inBatches(TRIES_IN, async () => {
      const result = await fixture.engine.docker(['cp', join(source, 'payload'), 'race-in:/w/d/'], { timeoutMs: 60_000 });
      if (result.code === 0) landed++;
    });
    expect(readdirSync(host)).toEqual([]);
    expect(landed).toBeGreaterThan(0);
    const inspect = await docker('inspect', '-f', '{{.State.Status}}', 'race-in');
    expect(inspect.stdout.trim()).toBe('running');
    await docker('rm', '-f', 'race-in');
  });
});
