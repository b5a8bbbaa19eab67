import type { Locator, Page } from '@playwright/test';
import { gotoHydrated } from './hydration';

export type SetupFields = {
  academyName: string;
  slug: string;
  ownerName: string;
  email: string;
  password: string;
};

const LABELS: Record<keyof SetupFields, string> = {
  academyName: 'Academy name',
  slug: 'URL slug',
  ownerName: 'Your name',
  email: 'Email',
  password: 'Password',
};

/** `/` while the database has no academy: the form that creates the first one. */
export class SetupPage {
  readonly heading: Locator;
  readonly submitButton: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.submitButton = page.getByRole('button', { name: 'Create academy' });
  }

  async goto() {
    return gotoHydrated(this.page, '/');
  }

  input(field: keyof SetupFields): Locator {
    return this.page.getByLabel(LABELS[field], { exact: true });
  }

  /** The field's wrapper: the outermost ancestor of its input holding no other form control. */
  wrapper(field: keyof SetupFields): Locator {
    return this.input(field).locator(
      'xpath=ancestor::*[count(.//input[not(@type="hidden")] | .//select | .//textarea) = 1][last()]',
    );
  }

  fieldError(field: keyof SetupFields): Locator {
    return this.wrapper(field).locator('.field-error');
  }

  async fill(values: SetupFields) {
    for (const field of Object.keys(LABELS) as (keyof SetupFields)[]) {
      await this.input(field).fill(values[field]);
    }
  }

  async submit() {
    await this.submitButton.click();
  }
}
