import type { Locator, Page } from '@playwright/test';

/** `/a/{slug}/join/{token}`: the emailed invitation link. */
export class JoinPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly firstName: Locator;
  readonly lastName: Locator;
  readonly password: Locator;
  readonly submitButton: Locator;
  readonly error: Locator;
  /** Shown instead of the form for a used, expired, revoked or unknown link. */
  readonly problem: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.email = page.getByLabel('Email', { exact: true });
    this.firstName = page.getByLabel('First name', { exact: true });
    this.lastName = page.getByLabel('Last name', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submitButton = page.getByRole('button', { name: 'Join the academy' });
    this.error = page.getByRole('alert');
    this.problem = page.getByTestId('join-problem');
  }

  async join(password: string) {
    await this.password.fill(password);
    await this.submitButton.click();
  }
}
