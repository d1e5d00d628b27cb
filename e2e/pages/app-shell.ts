// The frame around every screen: the "Main" navigation and the toasts (errors are `alert`s with
// the engine's message and a Dismiss button; successes are `status`es). Roles and names only,
// from app/src/renderer/README.md.
import type { Locator, Page } from 'playwright-core';

export type MainView = 'Containers' | 'Images' | 'Build' | 'Volumes' | 'Networks' | 'Engine' | 'Terminal' | 'Settings';

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
   * The contract leaves open whether a destructive button asks first; when a dialog appears, this
   * confirms it with the button of the same name, as a user would.
   */
  async confirmIfAsked(action: string): Promise<void> {
    const dialog = this.page.getByRole('alertdialog').or(this.page.getByRole('dialog')).first();
    try {
      await dialog.waitFor({ state: 'visible', timeout: 1_000 });
    } catch {
      return;
    }
    await dialog.getByRole('button', { name: action, exact: true }).click();
  }

  /** Dismisses every error toast on screen (so one test's alert never satisfies the next). */
  async dismissAlerts(): Promise<void> {
    const alerts = this.page.getByRole('alert');
    for (let i = await alerts.count(); i > 0; i--) {
      await alerts.first().getByRole('button', { name: 'Dismiss' }).click();
    }
  }
}
