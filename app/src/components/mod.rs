//! Reusable widgets.

pub mod fetch;
pub mod field;
pub mod nav;
pub mod topbar;
pub mod user_menu;
