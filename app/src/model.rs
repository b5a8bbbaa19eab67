//! Wire types shared by the browser and the server. Row types and secrets live in `server`.

use serde::{Deserialize, Serialize};

use crate::domain::role::{Plan, Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcademyView {
    pub slug: String,
    pub name: String,
    pub plan: Plan,
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
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
}

impl UserView {
    pub fn display_name(&self) -> String {
        let full = format!("{} {}", self.first_name, self.last_name);
        let full = full.trim();
        if full.is_empty() {
            self.email.clone()
        } else {
            full.to_string()
        }
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
}

impl AcademyContext {
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
}
