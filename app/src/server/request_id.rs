//! The id of the request being served, so a logged internal error and the reference the user sees match.

tokio::task_local! {
    pub static REQUEST_ID: String;
}

/// The current request's id when known (set by the server's request middleware), else a fresh one.
pub fn current_or_new() -> String {
    REQUEST_ID
        .try_with(|id| id.clone())
        .unwrap_or_else(|_| new_id())
}

pub fn new_id() -> String {
    let bytes: [u8; 8] = rand::random();
    hex::encode(bytes)
}
