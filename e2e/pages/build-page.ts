// Build view: the "Build an image" form (Folder, Dockerfile, Tags, Target stage, Build args, No
// cache; Build / Cancel build), the step counter, the outcome (a status when built, with Run; an
// alert naming the Dockerfile line when failed), the "Build log" and the "Recent builds" table.
import type { Locator, Page } from 'playwright-core';

export interface BuildFields {
  folder: string;
  tags?: string;
  buildArgs?: string;
  target?: string;
  noCache?: boolean;
}

export class BuildPage {
  readonly page: Page;
  readonly form: Locator;
  readonly log: Locator;
  readonly recent: Locator;

  constructor(page: Page) {
    this.page = page;
    this.form = page.getByRole('form', { name: 'Build an image' });
    this.log = page.getByRole('log', { name: 'Build log' });
    this.recent = page.getByRole('table', { name: 'Recent builds' });
  }

  field(name: 'Folder' | 'Tags' | 'Build args'): Locator {
    return this.form.getByRole('textbox', { name, exact: true });
  }

  select(name: 'Dockerfile' | 'Target stage'): Locator {
    return this.form.getByRole('combobox', { name, exact: true });
  }

  async fill(fields: BuildFields): Promise<void> {
    await this.field('Folder').fill(fields.folder);
    if (fields.tags !== undefined) await this.field('Tags').fill(fields.tags);
    if (fields.buildArgs !== undefined) await this.field('Build args').fill(fields.buildArgs);
    if (fields.target !== undefined) {
      // The stages come from the folder's Dockerfile, read by the backend once the path is in.
      await this.select('Target stage').getByRole('option', { name: fields.target, exact: true }).waitFor({ state: 'attached' });
      await this.select('Target stage').selectOption({ label: fields.target });
    }
    if (fields.noCache) await this.form.getByRole('checkbox', { name: 'No cache' }).check();
  }

  async build(): Promise<void> {
    await this.form.getByRole('button', { name: 'Build', exact: true }).click();
  }

  cancelButton(): Locator {
    return this.form.getByRole('button', { name: 'Cancel build', exact: true });
  }

  /** "Step N/M" while building. */
  stepCounter(): Locator {
    return this.page.getByText(/^Step \d+\/\d+$/);
  }

  outcome(text: string | RegExp): Locator {
    return this.page.getByRole('status').filter({ hasText: text });
  }

  failure(): Locator {
    return this.page.getByRole('alert').filter({ hasText: /Dockerfile line \d+/ });
  }

  /** The log row of the step being run (aria-current="step"). */
  currentStepRow(): Locator {
    return this.log.locator('[aria-current="step"]');
  }

  logLine(text: string): Locator {
    return this.log.getByText(text, { exact: true });
  }

  recentRow(text: string | RegExp): Locator {
    return this.recent.getByRole('row').filter({ hasText: text });
  }
}
