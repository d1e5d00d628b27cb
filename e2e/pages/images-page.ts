// Images view: the pull field, the per-pull progress region (one progressbar per layer, named by
// the layer id), the "Images" table and its row buttons, and the Run and Tag dialogs.
import type { Locator, Page } from 'playwright-core';

export class ImagesPage {
  readonly page: Page;
  readonly pullField: Locator;
  readonly pullButton: Locator;
  readonly table: Locator;
  readonly pruneDangling: Locator;

  constructor(page: Page) {
    this.page = page;
    this.pullField = page.getByRole('textbox', { name: 'Image to pull' });
    this.pullButton = page.getByRole('button', { name: 'Pull', exact: true });
    this.table = page.getByRole('table', { name: 'Images' });
    this.pruneDangling = page.getByRole('button', { name: 'Prune dangling images', exact: true });
  }

  async pull(reference: string): Promise<void> {
    await this.pullField.fill(reference);
    await this.pullButton.click();
  }

  pullRegion(reference: string): Locator {
    return this.page.getByRole('region', { name: `Pull ${reference}`, exact: true });
  }

  /** Named by repo:tag, or the short id when untagged. */
  row(name: string): Locator {
    return this.table.getByRole('row', { name, exact: true });
  }

  rowButton(name: string, button: 'Run' | 'Tag' | 'Push' | 'History' | 'Delete'): Locator {
    return this.row(name).getByRole('button', { name: button, exact: true });
  }

  /** The Tag dialog: textbox "New tag", buttons Tag and Cancel. */
  tagDialog(image: string): Locator {
    return this.page.getByRole('dialog', { name: `Tag ${image}`, exact: true });
  }

  async openRunDialog(image: string): Promise<RunDialog> {
    await this.rowButton(image, 'Run').click();
    const dialog = new RunDialog(this.page, image);
    await dialog.dialog.waitFor({ state: 'visible' });
    return dialog;
  }
}

export interface RunFields {
  name?: string;
  command?: string;
  ports?: string;
  env?: string;
  volumes?: string;
  network?: string;
}

export class RunDialog {
  readonly dialog: Locator;

  constructor(page: Page, image: string) {
    this.dialog = page.getByRole('dialog', { name: `Run ${image}`, exact: true });
  }

  field(name: 'Container name' | 'Command' | 'Ports' | 'Environment variables' | 'Volumes'): Locator {
    return this.dialog.getByRole('textbox', { name, exact: true });
  }

  async fill(fields: RunFields): Promise<void> {
    if (fields.name !== undefined) await this.field('Container name').fill(fields.name);
    if (fields.command !== undefined) await this.field('Command').fill(fields.command);
    if (fields.ports !== undefined) await this.field('Ports').fill(fields.ports);
    if (fields.env !== undefined) await this.field('Environment variables').fill(fields.env);
    if (fields.volumes !== undefined) await this.field('Volumes').fill(fields.volumes);
    if (fields.network !== undefined) await this.dialog.getByRole('combobox', { name: 'Network', exact: true }).selectOption({ label: fields.network });
  }

  async run(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Run', exact: true }).click();
  }
}

/** "Sign in to a registry" and the "Registries signed in" list (README.md). */
export class RegistrySignIn {
  readonly page: Page;
  readonly dialog: Locator;
  readonly logins: Locator;

  constructor(page: Page) {
    this.page = page;
    this.dialog = page.getByRole('dialog', { name: 'Sign in to a registry', exact: true });
    this.logins = page.getByRole('list', { name: 'Registries signed in', exact: true });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign in to a registry', exact: true }).click();
    await this.dialog.waitFor({ state: 'visible' });
  }

  async fill(registry: string, username: string, password: string): Promise<void> {
    await this.dialog.getByRole('textbox', { name: 'Registry', exact: true }).fill(registry);
    await this.dialog.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
    await this.dialog.getByLabel('Password', { exact: true }).fill(password);
  }

  async submit(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  login(registry: string): Locator {
    return this.logins.getByRole('listitem', { name: registry, exact: true });
  }
}
