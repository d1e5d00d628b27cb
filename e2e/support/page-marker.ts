// Proves "without a reload": a value set on the page's window survives only if the page was never
// reloaded or navigated away.
import type { Page } from 'playwright-core';

export async function markPage(page: Page): Promise<string> {
  const marker = `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await page.evaluate(`window.__berthE2eMarker = ${JSON.stringify(marker)}`);
  return marker;
}

export async function pageMarker(page: Page): Promise<unknown> {
  return page.evaluate('window.__berthE2eMarker');
}
