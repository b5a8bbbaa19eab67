//! Reading the academy of the current route, shared by every page under `/a/:slug`.

use leptos::prelude::*;

use crate::{error::AppError, model::AcademyContext};

/// The academy and viewer of the current page, loaded once by `AcademyLayout`.
#[derive(Clone, Copy)]
pub struct AcademyResource(pub Resource<Result<AcademyContext, AppError>>);

pub fn use_academy() -> Resource<Result<AcademyContext, AppError>> {
    expect_context::<AcademyResource>().0
}
