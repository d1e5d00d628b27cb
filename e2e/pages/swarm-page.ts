// Swarm view: the "Services" table with Tasks & logs / Scale / Update image / Remove per row,
// the "Create service" dialog, and the selected service's "Tasks" table and log.
import type { Locator, Page } from 'playwright-core';

export class SwarmPage {
  readonly page: Page;
  readonly services: Locator;
  readonly tasks: Locator;

  constructor(page: Page) {
    this.page = page;
    this.services = page.getByRole('table', { name: 'Services' });
    this.tasks = page.getByRole('table', { name: 'Tasks' });
  }

  async createService(spec: { name: string; image: string; replicas: number; command: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Create service', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Create service', exact: true });
    await dialog.getByLabel('Service name', { exact: true }).fill(spec.name);
    await dialog.getByLabel('Image', { exact: true }).fill(spec.image);
    await dialog.getByLabel('Replicas', { exact: true }).fill(String(spec.replicas));
    await dialog.getByLabel('Command', { exact: true }).fill(spec.command);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  row(name: string): Locator {
    return this.services.getByRole('row', { name, exact: true });
  }

  replicas(name: string): Locator {
    return this.row(name).getByRole('cell', { name: 'Replicas running/desired' });
  }

  rowButton(name: string, button: 'Tasks & logs' | 'Scale' | 'Update image' | 'Remove'): Locator {
    return this.row(name).getByRole('button', { name: button, exact: true });
  }

  async scale(name: string, replicas: number): Promise<void> {
    await this.rowButton(name, 'Scale').click();
    const dialog = this.page.getByRole('dialog', { name: `Scale ${name}`, exact: true });
    await dialog.getByLabel('Replicas', { exact: true }).fill(String(replicas));
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  }

  runningTasks(): Locator {
    return this.tasks.getByRole('row').filter({ hasText: /running\s*running/ });
  }

  log(name: string): Locator {
    return this.page.getByRole('log', { name: `Logs of ${name}` });
  }

  notManager(): Locator {
    return this.page.getByText('This engine is not a swarm manager');
  }
}
