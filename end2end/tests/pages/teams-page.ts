import type { Locator, Page } from '@playwright/test';
import { gotoHydrated } from './hydration';
import { InviteDialog } from './learners-page';

/** `/a/{slug}/admin/teams`: the Teams tab of "Manage Learners and Teams". */
export class TeamsPage {
  readonly heading: Locator;
  readonly teamsTab: Locator;
  readonly createButton: Locator;
  readonly createForm: Locator;
  readonly nameInput: Locator;
  readonly createSubmit: Locator;
  readonly table: Locator;
  readonly notice: Locator;
  readonly search: Locator;

  constructor(
    private readonly page: Page,
    readonly slug: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.teamsTab = page.getByRole('tab', { name: 'Teams', exact: true });
    this.createButton = page.getByRole('button', { name: 'Create team', exact: true }).first();
    this.createForm = page.getByTestId('new-team');
    this.nameInput = this.createForm.getByLabel('Team name');
    this.createSubmit = this.createForm.getByRole('button', { name: 'Create team' });
    this.table = page.getByTestId('teams-table');
    this.notice = page.getByTestId('teams-notice');
    this.search = page.getByRole('searchbox', { name: 'Search teams by name' });
  }

  path() {
    return `/a/${this.slug}/admin/teams`;
  }

  async goto() {
    return gotoHydrated(this.page, this.path());
  }

  /** A colour swatch of the create form, by its name ("Purple"). */
  color(name: string): Locator {
    return this.createForm.getByRole('radio', { name });
  }

  row(name: string): Locator {
    return this.table.locator(`tr[data-testid="team-row"][data-name="${name}"]`);
  }

  async create(name: string, color: string) {
    await this.createButton.click();
    await this.nameInput.fill(name);
    await this.color(color).check();
    await this.createSubmit.click();
  }
}

/** `/a/{slug}/admin/teams/{id}`: one team, its "Learners" tabs, "Invite to team" and its settings. */
export class TeamPage {
  readonly title: Locator;
  readonly counts: Locator;
  readonly inviteButton: Locator;
  readonly learnersInTeamTab: Locator;
  readonly invitesInTeamTab: Locator;
  readonly membersTable: Locator;
  readonly invitesTable: Locator;
  readonly addLearnersButton: Locator;
  readonly candidates: Locator;
  readonly apiId: Locator;
  readonly settingsForm: Locator;
  readonly dialog: InviteDialog;

  constructor(private readonly page: Page) {
    this.title = page.getByRole('heading', { level: 1 });
    this.counts = page.getByTestId('team-counts');
    this.inviteButton = page.getByRole('button', { name: 'Invite to team' });
    this.learnersInTeamTab = page.getByRole('tab', { name: /^Learners in team/ });
    this.invitesInTeamTab = page.getByRole('tab', { name: /^Invites in team/ });
    this.membersTable = page.getByTestId('members-table');
    this.invitesTable = page.getByTestId('invites-table');
    this.addLearnersButton = page.getByRole('button', { name: 'Add learners', exact: true });
    this.candidates = page.getByTestId('candidates');
    this.apiId = page.getByTestId('team-api-id');
    this.settingsForm = page.getByTestId('team-settings');
    this.dialog = new InviteDialog(page, 'Invite to team');
  }

  member(email: string): Locator {
    return this.membersTable.locator(`tr[data-testid="member-row"][data-email="${email}"]`);
  }

  invite(email: string): Locator {
    return this.invitesTable.locator(`tr[data-testid="invite-row"][data-email="${email}"]`);
  }

  async openInviteDialog(): Promise<InviteDialog> {
    await this.inviteButton.click();
    await this.dialog.root.waitFor();
    return this.dialog;
  }
}
