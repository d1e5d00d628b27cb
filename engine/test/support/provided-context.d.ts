// Types of the values engine/test/global-setup.ts hands to tests with project.provide(); a
// declaration file so the vitest runtime is never imported into the global-setup process.
import type { TestImageInfo, TestImageName } from './test-images.ts';

export interface TestRegistryInfo {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT — pass to berthd as --insecure-registry. */
  host: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    berthRegistry: TestRegistryInfo;
    berthImages: Record<TestImageName, TestImageInfo>;
  }
}
