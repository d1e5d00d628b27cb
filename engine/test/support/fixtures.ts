// How tests reach what engine/test/global-setup.ts prepared: the local registry and the fixture
// images, handed over with vitest's provide/inject (values cross into test workers as JSON).
//
//   import { testImage, testRegistry } from '../support/fixtures.ts';
//   const busybox = testImage('busybox').ref;   // "127.0.0.1:PORT/busybox:latest"
import { inject } from 'vitest';
import type { TestRegistryInfo } from './provided-context.d.ts';
import type { TestImageInfo, TestImageName } from './test-images.ts';

export function testRegistry(): TestRegistryInfo {
  return inject('berthRegistry');
}

export function testImages(): Record<TestImageName, TestImageInfo> {
  return inject('berthImages');
}

export function testImage(name: TestImageName): TestImageInfo {
  return inject('berthImages')[name];
}

export type { TestImageInfo, TestImageName, TestRegistryInfo };
