import type { Locator, Page } from '@playwright/test';

/** What any unknown address shows: a clear heading and a way back. */
export class NotFoundPage {
  readonly heading: Locator;
  readonly startPageLink: Locator;

  constructor(page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.startPageLink = page.getByRole('link', { name: 'Go to the start page' });
  }
}
