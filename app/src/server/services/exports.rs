//! "Export CSV" on the All Learners and Invites tabs: every row that matches the tab's search and
//! filter (not only the page on screen), with the columns named as on screen. The file is written a
//! page at a time as the rows are read, so 100,000 rows never sit in memory at once: UTF-8 with a
//! BOM so Excel reads accents right, and every cell formula-neutralised (`domain::csv_import::write`).

use std::{collections::HashMap, hash::Hash};

use crate::domain::{AcademyId, InviteId, TeamId, UserId};
use crate::{
    domain::{account::StatusFilter, csv_import::write::CsvText, invite::Progress},
    error::AppError,
    format,
    model::full_name,
    server::{
        auth::SessionUser,
        db::now_ms,
        repo::{
            self,
            lists::{INVITE_FILTERS, InviteListRow, LearnerListRow},
        },
        state::AppState,
    },
};

/// Which tab's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportList {
    Learners,
    Invites,
}

impl ExportList {
    fn name(self) -> &'static str {
        match self {
            ExportList::Learners => "learners",
            ExportList::Invites => "invites",
        }
    }

    /// The tab's column headings.
    fn columns(self) -> &'static [&'static str] {
        match self {
            ExportList::Learners => &[
                "Name",
                "Email",
                "Role",
                "Teams",
                "Registered",
                "Last sign-in",
                "Status",
            ],
            ExportList::Invites => &[
                "Email",
                "Name",
                "Role",
                "Teams",
                "Invited",
                "Invited by",
                "Expires",
                "Email Status",
                "Invitation Progress",
            ],
        }
    }
}

/// One export being written.
pub struct ListExport {
    list: ExportList,
    academy_id: AcademyId,
    search: String,
    /// The Invites tab's filter (`INVITE_FILTERS`).
    filter: String,
    /// All Learners' "Show" filter, read once when the export starts.
    status: StatusFilter,
    now: i64,
    /// The last id written: the next page is older.
    before: i64,
    started: bool,
    done: bool,
}

impl ListExport {
    /// Rows read per query.
    pub const PAGE: i64 = 1_000;

    /// An export of `list` for `actor`'s academy; refuses a filter the tab does not have.
    pub fn new(
        actor: &SessionUser,
        list: ExportList,
        search: &str,
        filter: &str,
    ) -> Result<ListExport, AppError> {
        let search = super::search(search)?;
        let mut status = StatusFilter::default();
        match list {
            ExportList::Learners => {
                status = StatusFilter::parse(filter).map_err(|m| AppError::invalid("filter", m))?;
            }
            ExportList::Invites if !INVITE_FILTERS.contains(&filter) => {
                return Err(AppError::invalid(
                    "filter",
                    format!("The invites list has no filter {filter:?}."),
                ));
            }
            ExportList::Invites => {}
        }
        Ok(ListExport {
            list,
            academy_id: actor.academy_id,
            search: search.to_owned(),
            filter: filter.to_owned(),
            status,
            now: now_ms(),
            before: i64::MAX,
            started: false,
            done: false,
        })
    }

    /// `learners-2026-12-04.csv` (the day in UTC).
    pub fn file_name(&self) -> String {
        let day = format::spreadsheet_time(self.now);
        format!("{}-{}.csv", self.list.name(), &day[..10])
    }

    /// The next part of the file: the BOM and the headings first, then a page of rows at a time;
    /// `None` once every row has been written.
    pub async fn next(&mut self, state: &AppState) -> Result<Option<String>, AppError> {
        if !self.started {
            self.started = true;
            let mut out = CsvText::with_bom();
            out.push(self.list.columns());
            return Ok(Some(out.finish()));
        }
        if self.done {
            return Ok(None);
        }
        let (out, read, last) = match self.list {
            ExportList::Learners => self.learners(state).await?,
            ExportList::Invites => self.invites(state).await?,
        };
        self.done = read < Self::PAGE;
        if let Some(last) = last {
            self.before = last;
        }
        if read == 0 {
            return Ok(None);
        }
        Ok(Some(out))
    }

    async fn learners(&self, state: &AppState) -> Result<(String, i64, Option<i64>), AppError> {
        let rows: Vec<LearnerListRow> = repo::exports::learners_before(
            &state.db.pool,
            self.academy_id,
            &self.search,
            self.status,
            self.before,
            Self::PAGE,
        )
        .await?;
        let ids: Vec<UserId> = rows.iter().map(|r| r.id).collect();
        let mut teams = team_names(repo::lists::teams_for_users(&state.db.pool, &ids).await?);
        let mut out = CsvText::new();
        for r in &rows {
            out.push([
                full_name(&r.first_name, &r.last_name),
                r.email.clone(),
                r.role.label().to_owned(),
                teams.remove(&r.id).unwrap_or_default(),
                format::spreadsheet_time(r.created_at),
                r.last_sign_in_at
                    .map(format::spreadsheet_time)
                    .unwrap_or_default(),
                r.status.label().to_owned(),
            ]);
        }
        Ok((
            out.finish(),
            rows.len() as i64,
            rows.last().map(|r| r.id.get()),
        ))
    }

    async fn invites(&self, state: &AppState) -> Result<(String, i64, Option<i64>), AppError> {
        let rows: Vec<InviteListRow> = repo::exports::invites_before(
            &state.db.pool,
            self.academy_id,
            &self.search,
            &self.filter,
            self.now,
            self.before,
            Self::PAGE,
        )
        .await?;
        let ids: Vec<InviteId> = rows.iter().map(|r| r.id).collect();
        let mut teams = team_names(repo::invites::teams_for(&state.db.pool, &ids).await?);
        let mut out = CsvText::new();
        for r in &rows {
            let email_status = r.email_status.label();
            let email_status = match &r.email_error {
                Some(why) if !why.is_empty() => format!("{email_status}: {why}"),
                _ => email_status.to_owned(),
            };
            let progress = Progress::of(r.status, r.expires_at, self.now);
            out.push([
                r.email.clone(),
                full_name(&r.first_name, &r.last_name),
                r.role.label().to_owned(),
                teams.remove(&r.id).unwrap_or_default(),
                format::spreadsheet_time(r.created_at),
                full_name(
                    r.inviter_first.as_deref().unwrap_or_default(),
                    r.inviter_last.as_deref().unwrap_or_default(),
                ),
                if r.expires_at >= crate::domain::invite::NEVER_EXPIRES {
                    "Never".to_owned()
                } else {
                    format::spreadsheet_time(r.expires_at)
                },
                email_status,
                progress.label().to_owned(),
            ]);
        }
        Ok((
            out.finish(),
            rows.len() as i64,
            rows.last().map(|r| r.id.get()),
        ))
    }
}

/// `(owner id, team id, name, colour)` rows as each owner's team names, "A; B".
fn team_names<Owner: Eq + Hash>(
    rows: Vec<(Owner, TeamId, String, String)>,
) -> HashMap<Owner, String> {
    super::lists::group(rows)
        .into_iter()
        .map(|(owner, teams)| {
            let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
            (owner, names.join("; "))
        })
        .collect()
}
