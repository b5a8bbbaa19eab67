//! Courses on the wire: a course as the admin edits it, the form's input, the learner home's cards.

use serde::{Deserialize, Serialize};

use super::TeamView;
use crate::domain::{CourseId, TeamId};

/// A course as the Courses section shows and edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseView {
    pub id: CourseId,
    pub title: String,
    pub description: String,
    /// Published courses are shown to the learners they are for; drafts to nobody.
    pub published: bool,
    /// For everyone in the academy, whatever their teams.
    pub for_everyone: bool,
    /// The teams it is assigned to (besides, or instead of, everyone), by name.
    pub teams: Vec<TeamView>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What "Create course" and "Save changes" send. Every field is checked on the server; the errors
/// name the field: `title`, `description`, `team_ids`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub for_everyone: bool,
    /// Teams of the academy; ignored (and cleared) when `for_everyone` is set.
    #[serde(default)]
    pub team_ids: Vec<TeamId>,
}

/// A course on the learner home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseCard {
    pub id: CourseId,
    pub title: String,
    pub description: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedCourse {
    pub title: String,
}
