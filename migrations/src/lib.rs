//! The database's schema, as the migrations of each backend (see README.md beside this crate).

use sqlx::migrate::Migrator;

/// `sqlite/`, applied in order on a SQLite database.
pub static SQLITE: Migrator = sqlx::migrate!("./sqlite");

/// `postgres/`, applied in order on a PostgreSQL database.
pub static POSTGRES: Migrator = sqlx::migrate!("./postgres");
