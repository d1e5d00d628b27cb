// vitest globalSetup: one local registry for the whole run, seeded with the fixture images
// (engine/test/support/test-images.ts). Tests read it through engine/test/support/fixtures.ts;
// child processes (berthd, the docker CLI, benches) get BERTH_TEST_REGISTRY=127.0.0.1:PORT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalRegistry } from './support/local-registry.ts';
import { buildTestImages, pushTestImages } from './support/test-images.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Scratch space of this run (test workers inherit the variable); removed at the end.
  const scratch = mkdtempSync(join(tmpdir(), 'berth-test-run-'));
  process.env.BERTH_TEST_TMP = scratch;
  // VMs booted by tests use TCG unless a test asks otherwise: a first boot with KVM is a trial that
  // costs up to 30 s on hosts where /dev/kvm opens but cannot run the guest (this one). The trial
  // itself is tested where it matters (app/src/backend/vm/vm-cli.test.ts sets auto).
  process.env.BERTH_VM_ACCEL ??= 'tcg';
  const registry = await startLocalRegistry();
  try {
    const images = await pushTestImages(registry, await buildTestImages());
    project.provide('berthRegistry', { url: registry.url, host: registry.host });
    project.provide('berthImages', images);
    process.env.BERTH_TEST_REGISTRY = registry.host;
  } catch (e) {
    await registry.stop();
    throw e;
  }
  return async () => {
    delete process.env.BERTH_TEST_REGISTRY;
    await registry.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
}
