// A pull on a full disk (issue 10 item 7): the client hears "no space left on device" (not a
// broken download), nothing partial stays behind, and what did arrive whole (blobs, layers no
// image references) shows in `system df` and goes with `system prune -af`. The data root is a
// small tmpfs mounted for this engine only (the harness unmounts it with the engine's mounts);
// its size is changed with `mount -o remount` to fail first the download, then the unpack.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBigImage } from './support/big-image.ts';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testRegistry } from './support/fixtures.ts';
import { pushArtifact } from './support/registry-push.ts';

const MB = 1024 * 1024;
let engine: EngineHandle;
let ref: string;
let blobBytes: number;

const resize = (mb: number) => execFileSync('mount', ['-o', `remount,size=${mb}m`, engine.dataRoot]);
const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

beforeAll(async () => {
  // Two incompressible layers of ~12 MB: compressed and unpacked they take about the same room.
  const image = await buildBigImage({ layers: 2, totalBytes: 24 * MB, filesPerLayer: 4, textFraction: 0, seed: 7 });
  blobBytes = image.layers.reduce((sum, l) => sum + l.data.length, 0);
  const registry = testRegistry();
  await pushArtifact(registry.url, 'faults/full-disk', 'latest', image);
  ref = `${registry.host}/faults/full-disk:latest`;
  engine = await startEngine({
    prepare: ({ dataRoot }) => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0710', 'berth-test-full', dataRoot]),
  });
});

afterAll(async () => {
  await engine?.stop();
});

async function imagesLine(): Promise<{ Size: string; Reclaimable: string }> {
  const df = await engine.docker(['system', 'df', '--format', '{{json .}}']);
  expect(df.code, df.stderr).toBe(0);
  const rows = df.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { Type: string; Size: string; Reclaimable: string });
  return rows.find((row) => row.Type === 'Images')!;
}

/** After a failed pull: no partial download, no half-unpacked layer, no image. */
function expectNothingPartial(): void {
  expect(entries(join(engine.dataRoot, 'content', 'ingest'))).toEqual([]);
  expect(entries(join(engine.dataRoot, 'overlay', 'tmp'))).toEqual([]);
}

async function expectPruneFreesAll(): Promise<void> {
  const prune = await engine.docker(['system', 'prune', '-af']);
  expect(prune.code, prune.stderr).toBe(0);
  expect(entries(join(engine.dataRoot, 'content', 'blobs', 'sha256'))).toEqual([]);
  expect(entries(join(engine.dataRoot, 'overlay', 'layers'))).toEqual([]);
  expect((await imagesLine()).Size).toBe('0B');
}

describe('pull on a full disk', () => {
  it('says "no space left on device" when the download does not fit, and leaves no partial blob', async () => {
    const pull = await engine.docker(['pull', ref]);
    expect(pull.code).not.toBe(0);
    expect(pull.stdout + pull.stderr).toContain('no space left on device');
    expectNothingPartial();
    expect((await engine.docker(['images', '-q'])).stdout.trim()).toBe('');
    await expectPruneFreesAll();
  });

  it('says "no space left on device" when the unpack does not fit; prune frees the blobs that came whole', async () => {
    // Room for the compressed blobs, not for them and the unpacked layers as well.
    resize(Math.ceil((blobBytes * 1.4) / MB));
    const pull = await engine.docker(['pull', ref]);
    expect(pull.code).not.toBe(0);
    expect(pull.stdout + pull.stderr).toContain('no space left on device');
    expect(pull.stdout + pull.stderr).not.toContain('Premature close');
    expectNothingPartial();
    // Downloads that finished stay for a retry, and are visible and reclaimable meanwhile.
    expect(entries(join(engine.dataRoot, 'content', 'blobs', 'sha256')).length).toBeGreaterThan(0);
    const line = await imagesLine();
    expect(line.Size).not.toBe('0B');
    expect(line.Reclaimable).not.toMatch(/^0B/);
    await expectPruneFreesAll();
  });

  it('pulls and runs once there is room', async () => {
    resize(Math.ceil((blobBytes * 3) / MB) + 16);
    const pull = await engine.docker(['pull', ref]);
    expect(pull.code, pull.stderr).toBe(0);
    const run = await engine.docker(['run', '--rm', '--network', 'none', ref, 'true']);
    expect(run.code, run.stderr).toBe(0);
  });
});
