// What a failed e2e test leaves behind for the person debugging it: a screenshot of the page and
// its console log (plus the dashboard's and the engine's output), in e2e/screenshots/tmp/
// (git-ignored).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { FAILURE_DIR } from './paths.ts';

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '').slice(0, 120);
}

function tail(file: string | undefined, chars = 20_000): string {
  if (!file) return '';
  try {
    return readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '';
  }
}

export async function saveFailureArtifacts(
  name: string,
  page: Page | undefined,
  logs: { console: string[]; dashboard?: string; engineLogFile?: string },
): Promise<string> {
  mkdirSync(FAILURE_DIR, { recursive: true });
  const base = join(FAILURE_DIR, safeName(name));
  if (page && !page.isClosed()) {
    await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
  }
  const text = [
    `# ${name}`,
    `url: ${page && !page.isClosed() ? page.url() : '(no page)'}`,
    '', '## page console', ...logs.console,
    '', '## berth dashboard output', logs.dashboard ?? '',
    '', '## berthd log (tail)', tail(logs.engineLogFile),
  ].join('\n');
  writeFileSync(`${base}.log`, text);
  return base;
}
