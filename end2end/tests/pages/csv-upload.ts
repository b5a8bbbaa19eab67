import path from 'node:path';
import type { Locator, Page } from '@playwright/test';

/** The corpus of files admins really upload (a copy of ../shared/testdata/csv). */
export const corpus = (name: string) => path.join(__dirname, '..', '..', '..', 'app', 'testdata', 'csv', name);

/** The "Upload CSV File" tab of the invite dialog. */
export class CsvUpload {
  readonly tab: Locator;
  readonly fileInput: Locator;
  readonly error: Locator;
  readonly preview: Locator;
  readonly counts: Locator;
  readonly notes: Locator;
  readonly rows: Locator;
  readonly submitButton: Locator;
  readonly summary: Locator;
  readonly sendEmail: Locator;
  readonly history: Locator;

  constructor(
    private readonly page: Page,
    readonly dialog: Locator,
  ) {
    this.tab = dialog.getByRole('tab', { name: 'Upload CSV File' });
    this.fileInput = dialog.getByTestId('csv-file');
    this.error = dialog.getByTestId('csv-error');
    this.preview = dialog.getByTestId('csv-preview');
    this.counts = dialog.getByTestId('csv-counts');
    this.notes = dialog.locator('.csv-notes');
    this.rows = this.preview.getByRole('table', { name: 'Rows of the file' }).locator('.preview-spacer > [role="row"]');
    this.submitButton = dialog.getByTestId('csv-submit');
    this.summary = dialog.getByTestId('csv-summary');
    this.sendEmail = this.preview.getByRole('checkbox', { name: 'Send invitation email' });
    this.history = dialog.getByTestId('import-history');
  }

  async open() {
    await this.tab.click();
    await this.fileInput.waitFor({ state: 'attached' });
  }

  /** Chooses `file` (a corpus name or a path) and waits until every row is checked and looked up. */
  async choose(file: string) {
    await this.fileInput.setInputFiles(file.includes('/') ? file : corpus(file));
  }

  async waitChecked() {
    await this.preview.and(this.page.locator('[data-checked="true"]')).waitFor();
  }

  /** A count button, e.g. `count('problems')` → "4 problems". */
  count(label: string): Locator {
    return this.counts.getByRole('button', { name: new RegExp(`^[\\d,]+ ${label}$`) });
  }

  /** The preview row of a line of the file. */
  row(line: number): Locator {
    return this.preview.locator(`[role="row"][data-line="${line}"]`);
  }
}
