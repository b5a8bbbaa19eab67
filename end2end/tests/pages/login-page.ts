import type { Locator, Page } from '@playwright/test';
import { gotoHydrated } from './hydration';

/** `/a/{slug}/login`. */
export class LoginPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submitButton: Locator;
  readonly error: Locator;

  constructor(
    private readonly page: Page,
    readonly slug: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submitButton = page.getByRole('button', { name: 'Sign in' });
    this.error = page.getByRole('alert');
  }

  get path() {
    return `/a/${this.slug}/login`;
  }

  async goto() {
    return gotoHydrated(this.page, this.path);
  }

  async signIn(email: string, password: string) {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submitButton.click();
  }
}
