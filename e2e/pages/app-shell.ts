// The frame around every screen: the "Main" navigation and the toasts (errors are `alert`s with
// the engine's message and a Dismiss button; successes are `status`es). Roles and names only,
// from app/src/renderer/README.md.
import type { Locator, Page } from 'playwright-core';

export type MainView = 'Containers' | 'Compose' | 'Images' | 'Build' | 'Volumes' | 'Networks' | 'Engine' | 'Swarm' | 'Terminal' | 'Settings' | 'Troubleshoot';

export class AppShell {
  readonly page: Page;
  readonly nav: Locator;

  constructor(page: Page) {
    this.page = page;
    this.nav = page.getByRole('navigation', { name: 'Main' });
  }

  /** Loads the dashboard URL (with its token) and waits for the app to be up. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.nav.waitFor({ state: 'visible', timeout: 30_000 });
  }

  navLink(view: MainView): Locator {
    return this.nav.getByRole('link', { name: view, exact: true });
  }

  async goTo(view: MainView): Promise<void> {
    await this.navLink(view).click();
  }

  /** Error toasts whose text contains `text`. */
  alert(text: string | RegExp): Locator {
    return this.page.getByRole('alert').filter({ hasText: text });
  }

  /**
   * The confirmation a destructive button opens (README.md: `dialog` "<title>" with Cancel and the
   * action): fails when that dialog does not appear, confirms it with `action`, and waits for it to
   * close. Callers name the dialog they expect; none is waited for where none is promised.
   */
  async confirm(title: string, action: string): Promise<void> {
    const dialog = this.page.getByRole('dialog', { name: title, exact: true });
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    await dialog.getByRole('button', { name: action, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /** Dismisses every error toast on screen (so one test's alert never satisfies the next). */
  async dismissAlerts(): Promise<void> {
    // Toasts only: an alert inside a form (a refused field) has no Dismiss and stays with its form.
    const dismiss = this.page.getByRole('button', { name: 'Dismiss', exact: true });
    const alerts = this.page.getByRole('alert').filter({ has: dismiss });
    for (let i = await alerts.count(); i > 0; i--) {
      await alerts.first().getByRole('button', { name: 'Dismiss', exact: true }).click();
    }
  }
}
