import type { Locator, Page } from '@playwright/test';
import { gotoHydrated } from './hydration';

export type Invitee = { email: string; firstName: string; lastName: string };
export type LearnerRole = 'Learner' | 'Learner-Analyst' | 'Learner-Admin';
export type EmailStatus = 'Not requested' | 'Queued' | 'Email Sent' | 'Retrying' | 'Failed';
export type Progress = 'Invited' | 'Has accepted invite' | 'Expired' | 'Revoked';

/** `/a/{slug}/admin/learners`: "Manage Learners and Teams", its tabs and the invite dialog. */
export class LearnersPage {
  readonly heading: Locator;
  readonly inviteButton: Locator;
  readonly allLearnersTab: Locator;
  readonly teamsTab: Locator;
  readonly invitesTab: Locator;
  readonly invitesTable: Locator;
  readonly learnersTable: Locator;
  /** What the open tab shows below its search box: its table, or an empty state. Exactly one. */
  readonly panelContent: Locator;
  readonly dialog: InviteDialog;

  constructor(
    private readonly page: Page,
    readonly slug: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.inviteButton = page.getByRole('button', { name: 'Invite Learners', exact: true });
    this.allLearnersTab = page.getByRole('tab', { name: 'All Learners', exact: true });
    this.teamsTab = page.getByRole('tab', { name: 'Teams', exact: true });
    this.invitesTab = page.getByRole('tab', { name: 'Invites', exact: true });
    this.invitesTable = page.getByTestId('invites-table');
    this.learnersTable = page.getByTestId('learners-table');
    this.panelContent = page
      .getByRole('tabpanel')
      .locator('[data-testid="learners-table"], [data-testid="invites-table"], .empty-state, .empty-inline');
    this.dialog = new InviteDialog(page);
  }

  path(tab: 'learners' | 'invites' = 'learners') {
    const base = `/a/${this.slug}/admin/learners`;
    return tab === 'invites' ? `${base}?tab=invites` : base;
  }

  async goto(tab: 'learners' | 'invites' = 'learners') {
    return gotoHydrated(this.page, this.path(tab));
  }

  async openInviteDialog(): Promise<InviteDialog> {
    await this.inviteButton.click();
    await this.dialog.root.waitFor();
    return this.dialog;
  }

  /** The Invites tab's row for `email`. */
  inviteRow(email: string): Locator {
    return this.invitesTable.locator(`tr[data-testid="invite-row"][data-email="${email}"]`);
  }

  emailStatus(email: string): Locator {
    return this.inviteRow(email).getByTestId('email-status');
  }

  progress(email: string): Locator {
    return this.inviteRow(email).getByTestId('progress');
  }

  /** The team badges in the All Learners row of `email`. */
  learnerTeams(email: string): Locator {
    return this.learnerRow(email).getByTestId('team-badge');
  }

  /** The All Learners tab's row holding `email`. */
  learnerRow(email: string): Locator {
    return this.learnersTable.locator('tbody tr').filter({ hasText: email });
  }
}

/** "Learner" must not match "Learner-Analyst": the name goes on with a space and the description. */
function roleName(role: LearnerRole): RegExp {
  return new RegExp(`^${role}(?![-\\w])`);
}

/** The "Invite Learners" dialog; on a team page the same dialog is "Invite to team". */
export class InviteDialog {
  readonly root: Locator;
  readonly emails: Locator;
  readonly firstNames: Locator;
  readonly lastNames: Locator;
  readonly addPersonButton: Locator;
  readonly teams: Locator;
  readonly sendEmail: Locator;
  readonly submitButton: Locator;
  readonly closeButton: Locator;
  readonly results: Locator;
  readonly inviteMoreButton: Locator;
  readonly doneButton: Locator;

  constructor(
    private readonly page: Page,
    title: 'Invite Learners' | 'Invite to team' = 'Invite Learners',
  ) {
    this.root = page.getByRole('dialog', { name: title });
    this.emails = this.root.getByLabel('Email', { exact: true });
    this.firstNames = this.root.getByLabel('First name', { exact: true });
    this.lastNames = this.root.getByLabel('Last name', { exact: true });
    this.addPersonButton = this.root.getByRole('button', { name: '+ Add another person' });
    this.teams = this.root.getByRole('group', { name: 'Teams' });
    // One wording in both dialogs (the reference says "Send Email invitation" in the team's).
    this.sendEmail = this.root.getByRole('checkbox', { name: 'Send invitation email' });
    this.submitButton = this.root.getByRole('button', { name: 'Invite', exact: true });
    this.closeButton = this.root.getByRole('button', { name: 'Close' });
    this.results = this.root.getByTestId('invite-results');
    this.inviteMoreButton = this.root.getByRole('button', { name: 'Invite more' });
    this.doneButton = this.root.getByRole('button', { name: 'Done' });
  }

  /** A role's radio button. Its accessible name is the label, then the role's description. */
  role(role: LearnerRole): Locator {
    return this.root.getByRole('radio', { name: roleName(role) });
  }

  /** The label around a role's radio button (holds the reason when the plan lacks the role). */
  roleLabel(role: LearnerRole): Locator {
    return this.root.locator('label').filter({ has: this.page.getByRole('radio', { name: roleName(role) }) });
  }

  /** Fills one row per person, adding rows as needed. */
  async fillPeople(people: Invitee[]) {
    for (const [i, person] of people.entries()) {
      if ((await this.emails.count()) <= i) await this.addPersonButton.click();
      await this.emails.nth(i).fill(person.email);
      await this.firstNames.nth(i).fill(person.firstName);
      await this.lastNames.nth(i).fill(person.lastName);
    }
  }

  /** The result line for `email` after "Invite", e.g. "lea@example.test — Invited". */
  result(email: string): Locator {
    return this.results.getByRole('listitem').filter({ hasText: email });
  }
}
