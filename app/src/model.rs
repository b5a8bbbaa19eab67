//! Wire types shared by the browser and the server. Row types and secrets live in `server`.

use serde::{Deserialize, Serialize};

use crate::domain::{ApiClientId, ImportId, InviteId, TeamId, UserId};

pub mod access_requests;
#[cfg(feature = "ssr")]
pub mod api_v1;
pub mod audit;
pub mod bulk;
pub mod courses;
mod email_preview;
#[cfg(test)]
mod import_chunks;
pub mod learner_page;
pub mod staff;
pub mod statistics;
pub mod webhooks;

pub use email_preview::EmailPreview;

use crate::domain::{
    Permission,
    role::{Plan, Role},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcademyView {
    pub slug: String,
    pub name: String,
    pub plan: Plan,
    /// "Require email confirmation when signing up without an invitation link".
    pub require_signup_confirmation: bool,
    /// Who may sign up at the academy link: anyone (public), or only invited people (private).
    pub visibility: crate::domain::access_request::Visibility,
    /// How long invitation links work and when reminders go out (Settings → Invitations).
    pub invite_lifecycle: crate::domain::invite::InviteLifecycle,
}

/// A query-string value: everything but RFC 3986's unreserved characters percent-encoded.
pub fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The academy link's code step: "We sent a 6-digit code to …" for `email` (kept in the URL, so
/// the step survives a reload and works without JavaScript).
/// A learner's page.
pub fn learner_path(slug: &str, user_id: UserId) -> String {
    format!("/a/{slug}/admin/learners/{user_id}")
}

pub fn confirm_code_path(slug: &str, email: &str) -> String {
    format!("/a/{slug}?confirm={}", query_value(email))
}

impl AcademyView {
    /// "The academy link" people share, as a path.
    pub fn home_path(&self) -> String {
        format!("/a/{}", self.slug)
    }
    pub fn login_path(&self) -> String {
        format!("/a/{}/login", self.slug)
    }
    pub fn admin_path(&self) -> String {
        format!("/a/{}/admin/learners", self.slug)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
}

impl UserView {
    pub fn display_name(&self) -> String {
        display_name(&self.first_name, &self.last_name, &self.email)
    }
}

/// "First Last", without stray spaces when a part is empty.
pub fn full_name(first_name: &str, last_name: &str) -> String {
    format!("{first_name} {last_name}").trim().to_string()
}

/// "First Last", or the email when a person gave no name.
pub fn display_name(first_name: &str, last_name: &str, email: &str) -> String {
    let full = full_name(first_name, last_name);
    if full.is_empty() {
        email.to_string()
    } else {
        full
    }
}

/// Who is looking at an academy's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    SignedOut,
    /// A session cookie was presented but the session is over.
    SessionExpired,
    User(UserView),
}

impl Viewer {
    pub fn user(&self) -> Option<&UserView> {
        match self {
            Viewer::User(u) => Some(u),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcademyContext {
    pub academy: AcademyView,
    pub viewer: Viewer,
    /// Staff switched "View as Learner" on: the academy link shows them the learner home.
    pub viewing_as_learner: bool,
    /// The server's public address (`SHOAL_BASE_URL`), for links people copy.
    pub base_url: String,
}

impl AcademyContext {
    /// The academy link in full, as people share it: `https://learn.example.com/a/acme`.
    pub fn academy_link(&self) -> String {
        format!(
            "{}{}",
            self.base_url.trim_end_matches('/'),
            self.academy.home_path()
        )
    }

    /// The sign-in page, telling the person why when their session has ended.
    pub fn sign_in_again_path(&self) -> String {
        match self.viewer {
            Viewer::SessionExpired => format!("{}?reason=session-ended", self.academy.login_path()),
            _ => self.academy.login_path(),
        }
    }

    /// Where a signed-in person belongs: staff to the admin pages, learners to the learner home.
    pub fn landing_path(&self) -> String {
        match self.viewer.user() {
            Some(u)
                if u.role.can(Permission::ViewStatistics)
                    && !u.role.can(Permission::ManageLearners) =>
            {
                format!("/a/{}/admin/statistics", self.academy.slug)
            }
            Some(u) if u.role.is_staff() => self.academy.admin_path(),
            Some(_) => self.academy.home_path(),
            None => self.academy.login_path(),
        }
    }
}

/// What `/` should do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartInfo {
    /// No academy yet: show "Create your academy". `base_url` is the configured public address.
    NeedsSetup {
        base_url: String,
    },
    GoTo(String),
    /// Several academies, and the visitor is signed in to none: they need their academy's own
    /// link. `public` lists the academies anyone may join (name, link); private ones are never
    /// shown.
    Several {
        base_url: String,
        public: Vec<(String, String)>,
    },
}

/// What happened to one person of an invite request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum InviteOutcome {
    /// A new invitation.
    Invited { invite_id: InviteId },
    /// They already had a pending invitation: it was updated (names, role, expiry) and renewed, and
    /// the chosen teams were added to the ones it had.
    AlreadyInvited { invite_id: InviteId },
    /// They are already a learner: nothing sent; added to the chosen teams they were not in.
    AlreadyLearner { added_to_teams: u32 },
    /// The row cannot be invited; `message` says why.
    Invalid { message: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResult {
    /// As typed (trimmed), so the admin recognises the row.
    pub email: String,
    pub outcome: InviteOutcome,
}

/// The password reset link's page: whose password it sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetInfo {
    pub email: String,
}

/// What the join link page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinInfo {
    /// The link works: the invited email (fixed) and the names to pre-fill.
    Valid {
        academy: AcademyView,
        email: String,
        first_name: String,
        last_name: String,
        expires_at: i64,
    },
    /// The link does not work, and why.
    Invalid {
        academy: AcademyView,
        problem: JoinProblem,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinProblem {
    Used,
    Expired,
    Revoked,
    Unknown,
}

impl JoinProblem {
    pub fn headline(self) -> &'static str {
        match self {
            JoinProblem::Used => "This invitation has already been used",
            JoinProblem::Expired => "This invitation has expired",
            JoinProblem::Revoked => "This invitation was withdrawn",
            JoinProblem::Unknown => "This invitation link does not work",
        }
    }
    pub fn explanation(self) -> &'static str {
        match self {
            JoinProblem::Used => {
                "An account was already created with it. Sign in with your email and password."
            }
            JoinProblem::Expired => {
                "Invitation links work for a limited time. Ask your admin for a new invitation."
            }
            JoinProblem::Revoked => {
                "Your admin withdrew it. Ask your admin for a new invitation if you need one."
            }
            JoinProblem::Unknown => {
                "The link may be incomplete: copy the whole link from your email, or ask your admin for a new invitation."
            }
        }
    }
}

/// One row of the Invites tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    pub id: InviteId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: crate::domain::role::Role,
    pub teams: Vec<TeamView>,
    pub invited_at: i64,
    pub invited_by: String,
    pub expires_at: i64,
    pub email_status: crate::domain::invite::EmailStatus,
    pub email_error: Option<String>,
    pub progress: crate::domain::invite::Progress,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Matches email and names, case-insensitively.
    pub search: String,
    /// Invites: "invited", "accepted", "expired", "revoked", "email_failed" or "" for all.
    pub filter: String,
    /// From 1.
    pub page: u32,
    /// Only this team's rows: the team page's "Invites in team" (pending invites that include the
    /// team) and "Learners in team".
    #[serde(default)]
    pub team_id: Option<TeamId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        (((self.total.max(0) as u64) + self.per_page as u64 - 1) / self.per_page.max(1) as u64)
            .max(1) as u32
    }
}

/// One row of the All Learners tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerView {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: crate::domain::role::Role,
    pub teams: Vec<TeamView>,
    pub registered_at: i64,
    pub last_sign_in_at: Option<i64>,
    /// Whether the learner can use their account ("Revoke access" deactivates it).
    pub status: crate::domain::account::AccountStatus,
}

/// A team as badges and pickers show it. `id` is the team's API ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub id: TeamId,
    pub name: String,
    pub color: String,
}

/// One row of the Teams section, and the head of a team page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub team: TeamView,
    pub learners_count: i64,
    /// Pending invitations (expired ones included) that include the team.
    pub invites_count: i64,
    pub created_at: i64,
}

/// One row of "Learners in team".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMemberView {
    pub user_id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: crate::domain::role::Role,
    pub joined_at: i64,
}

/// What adding learners to a team did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamAdded {
    /// Newly members.
    pub added: u32,
    /// Were members already.
    pub already: u32,
}

/// A deleted team and what the deletion touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedTeam {
    pub name: String,
    /// Learners who were in the team; they stay in the academy.
    pub learners: i64,
    /// Pending invitations that included the team; they lose only this team.
    pub invites: i64,
}

/// The answer to "Sign up" at the academy link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignUpOutcome {
    /// Signed in; go here.
    Done(String),
    /// The academy asks for email confirmation: a code was sent to this address.
    ConfirmCode { email: String },
}

/// One ready row of an uploaded file, as the browser sends it (the server checks it again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    /// The row's line in the file, so results and reports point at it.
    pub line: u32,
    pub person: crate::domain::invite::InviteeInput,
}

/// A line of the file the preview left out (a problem, a duplicate): recorded with the upload, so
/// its history counts every row and its result report says why each was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOutLine {
    pub line: u32,
    pub person: crate::domain::invite::InviteeInput,
    pub reason: String,
}

/// What the server did with one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLineResult {
    pub line: u32,
    pub email: String,
    pub outcome: InviteOutcome,
}

/// One upload in the import history, and the summary at its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: ImportId,
    pub file_name: String,
    pub created_by: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// The file's rows: the ready ones sent and the ones the preview left out.
    pub total_rows: i64,
    pub invited: i64,
    /// Had a pending invitation: renewed.
    pub updated: i64,
    /// Already learners: nothing sent.
    pub existing: i64,
    /// Team places given to existing learners.
    pub added_to_teams: i64,
    /// Left out in the preview or refused by the server's checks (reasons in the report).
    pub skipped: i64,
}

/// Which of a file's addresses the academy knows already, each with its role: the preview
/// decides every row from them with the import's own rule (`domain::invite_decision`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownEmails {
    /// Addresses with an account, and the account's role.
    pub accounts: Vec<(String, Role)>,
    /// Addresses with a pending invitation, and the role it offers.
    pub pending: Vec<(String, Role)>,
}

/// An OAuth application registered in Settings → API. The secret is never shown again after
/// registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientView {
    pub id: ApiClientId,
    pub name: String,
    pub client_id: String,
    pub callback_uri: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Settings → API: the academy's applications and what callers need to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiSettings {
    /// The configured base URL, e.g. `https://learn.example.com` (the examples use it).
    pub base_url: String,
    /// Each application's token bucket: calls per second, and at once.
    pub per_second: i64,
    pub burst: i64,
    pub clients: Vec<ApiClientView>,
}

/// A client just registered, with its secret (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiClient {
    pub client: ApiClientView,
    pub client_secret: String,
}
