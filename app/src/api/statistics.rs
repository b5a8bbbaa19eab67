//! The Statistics page: the invitation funnel and sign-ups of the caller's academy over a date range,
//! for one team or all, and the same as a CSV file. Read-only; `Permission::ViewStatistics`.

use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    domain::{
        invite::InviteSource,
        statistics::{DateRange, DayCount, Funnel, StatisticsFilter},
    },
    error::AppError,
    model::TeamView,
};

/// Everything the page shows for one filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// The range shown (the URL's, or the default last 30 days), UTC days, both ends included.
    pub range: DateRange,
    /// Today (UTC day), for the page's "Last 7 days" links.
    pub today: i64,
    /// The team the numbers are restricted to; `None`: all teams.
    pub team: Option<TeamView>,
    /// Every team of the academy, by name (the team picker).
    pub teams: Vec<TeamView>,
    /// Over the invitations made in the range.
    pub funnel: Funnel,
    /// Invitations made in the range whose email finally failed.
    pub failed_emails: i64,
    /// The median time from invitation to acceptance of those accepted; `None` when none were.
    pub median_accept_ms: Option<i64>,
    /// Every source, in `domain::statistics::SOURCES` order, zeros included.
    pub by_source: Vec<SourceCount>,
    /// Learners and pending invitations per team now (the date range does not apply), most learners
    /// first; only the chosen team when there is one.
    pub team_rows: Vec<TeamCount>,
    /// Learners created per day, one entry per day of the range (empty days 0).
    pub signups: Vec<DayCount>,
}

impl Statistics {
    pub fn signups_total(&self) -> i64 {
        self.signups.iter().map(|d| d.count).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCount {
    pub source: InviteSource,
    pub invited: i64,
    pub accepted: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamCount {
    pub team: TeamView,
    pub learners: i64,
    pub pending_invites: i64,
}

/// The CSV export: its file name and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsCsv {
    pub file_name: String,
    pub text: String,
}

#[server(prefix = "/api", endpoint = "get_statistics", input = Json)]
pub async fn get_statistics(filter: StatisticsFilter) -> Result<Statistics, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ViewStatistics).await?;
    services::statistics::compute(&state, &actor, &filter).await
}

/// What the page shows for `filter`, as a CSV file (every cell formula-neutralised).
#[server(prefix = "/api", endpoint = "export_statistics", input = Json)]
pub async fn export_statistics(filter: StatisticsFilter) -> Result<StatisticsCsv, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ViewStatistics).await?;
    services::statistics::export(&state, &actor, &filter).await
}
