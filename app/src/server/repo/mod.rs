//! SQL only: small functions over any executor (pool or transaction), scoped by academy.

pub mod academies;
pub mod audit;
pub mod sessions;
pub mod users;
