//! The Statistics page: the invitation funnel and sign-ups of the caller's academy over a date range,
//! for one team or all, and the same as a CSV file. Read-only; `Permission::ViewStatistics`.

use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    domain::statistics::StatisticsFilter,
    error::AppError,
    model::statistics::{Statistics, StatisticsCsv},
};

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
