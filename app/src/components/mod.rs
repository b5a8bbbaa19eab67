//! Reusable widgets.

pub mod browser;
pub mod choice;
pub mod copy_button;
pub mod dialog;
pub mod field;
pub mod nav;
pub mod notice;
pub mod team_badge;
pub mod topbar;
pub mod user_menu;
