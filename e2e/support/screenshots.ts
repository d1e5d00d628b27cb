// The committed screenshots: e2e/screenshots/<screen>-<light|dark>.png at 1280×800, one pair per
// screen, taken by the specs at the moment the screen shows what a user would look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './paths.ts';

export const SCREENS = [
  'containers', 'container-logs', 'container-inspect', 'container-stats', 'container-terminal', 'container-files',
  'images', 'image-detail', 'run-dialog', 'registry-sign-in', 'build', 'build-error', 'volumes', 'volume-browse', 'networks', 'engine', 'engine-vm', 'settings', 'engines', 'swarm',
  // Compose projects (issue 15)
  'compose', 'compose-project',
  // The Troubleshoot view (e2e/troubleshoot.test.ts)
  'troubleshoot',
] as const;
export type Screen = (typeof SCREENS)[number];

/** Lets a theme switch reach the page (CSS transitions, canvas repaints such as xterm's). */
async function settle(page: Page): Promise<void> {
  // A string, not a function: this project's Node typecheck has no DOM lib.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  await page.waitForTimeout(250);
}

/** Writes <screen>-light.png and <screen>-dark.png; leaves the page in the light scheme. */
export async function captureScreen(page: Page, screen: Screen): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const written: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await settle(page);
    const path = join(SCREENSHOT_DIR, `${screen}-${colorScheme}.png`);
    await page.screenshot({ path });
    written.push(path);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return written;
}
