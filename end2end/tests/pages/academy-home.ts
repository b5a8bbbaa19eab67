import type { Locator, Page } from '@playwright/test';
import { gotoHydrated } from './hydration';

export type SignUpFields = { email: string; firstName: string; lastName: string; password: string };

/** `/a/{slug}`, the academy link: the learner home ("Welcome, {first name}") for a signed-in
 *  learner; a welcome card with "Sign in" and a "Sign up" form for visitors. */
export class AcademyHome {
  readonly heading: Locator;
  readonly signUpSection: Locator;
  readonly signUpButton: Locator;
  readonly signUpError: Locator;

  constructor(
    private readonly page: Page,
    readonly slug: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.signUpSection = page.getByRole('region', { name: 'New here? Sign up' });
    this.signUpButton = this.signUpSection.getByRole('button', { name: 'Sign up' });
    this.signUpError = this.signUpSection.getByRole('alert');
  }

  get path() {
    return `/a/${this.slug}`;
  }

  async goto() {
    return gotoHydrated(this.page, this.path);
  }

  signUpField(label: 'Email' | 'First name' | 'Last name' | 'Password'): Locator {
    return this.signUpSection.getByLabel(label, { exact: true });
  }

  async fillSignUp(values: SignUpFields) {
    await this.signUpField('Email').fill(values.email);
    await this.signUpField('First name').fill(values.firstName);
    await this.signUpField('Last name').fill(values.lastName);
    await this.signUpField('Password').fill(values.password);
  }
}
