//! Outgoing email: the message we build ([`message`]), how it leaves ([`mailer`]: SMTP through pooled lettre
//! connections ([`smtp_pool`]), or the dev mailbox when `SHOAL_SMTP_URL` is unset) and the dev mailbox itself ([`dev_mailbox`]).
//!
//! The outbox worker calls [`Mailer::send`] and decides from [`SendFailure::permanent`] whether to retry.

pub mod dev_mailbox;
pub mod mailer;
pub mod message;
pub mod smtp_pool;

pub use dev_mailbox::{DevMailbox, DevMessage};
pub use mailer::{Mailer, SendFailure};
pub use message::{OutgoingEmail, header_safe};
