import type { Locator, Page } from '@playwright/test';

/** The frame around every admin page: academy name, main navigation, user menu. */
export class AdminShell {
  readonly academyName: Locator;
  readonly userMenu: Locator;
  readonly signOutButton: Locator;

  constructor(
    private readonly page: Page,
    readonly slug: string,
  ) {
    this.academyName = page.getByTestId('academy-name');
    this.userMenu = page.getByTestId('user-menu');
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
  }

  get learnersPath() {
    return `/a/${this.slug}/admin/learners`;
  }

  navLink(name: 'Learners & Teams' | 'Statistics' | 'Settings'): Locator {
    return this.page.getByRole('link', { name, exact: true });
  }

  async signOut() {
    await this.userMenu.click();
    await this.signOutButton.click();
  }
}
