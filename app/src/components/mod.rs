//! Reusable widgets.

pub mod field;
pub mod nav;
pub mod user_menu;
