//! Sends one signed webhook delivery over HTTP. Redirects are not followed and, unless private
//! addresses are allowed, host names are resolved to public addresses only — so a webhook cannot be
//! pointed (directly, by DNS or by a redirect) at the server's own network. An HTTP(S)_PROXY in the
//! environment is honoured (reqwest's default); the proxy then resolves names, and is where egress
//! rules belong.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use app::server::{
    db::now_ms,
    services::webhooks::{self, Ready},
    settings::Settings,
};
use reqwest::{
    Client,
    dns::{Addrs, Name, Resolve, Resolving},
    redirect::Policy,
};

/// Resolves names like the system does, then drops every non-public address.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| !webhooks::is_private_ip(a.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!(
                    "{host} resolves only to private addresses, which webhooks may not call"
                )
                .into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

pub fn client(settings: &Settings) -> Result<Client, String> {
    let mut builder = Client::builder()
        .timeout(Duration::from_secs(webhooks::TIMEOUT_SECS))
        .connect_timeout(Duration::from_secs(webhooks::TIMEOUT_SECS))
        .redirect(Policy::none())
        .user_agent(webhooks::USER_AGENT);
    if !webhooks::private_allowed(settings) {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    builder
        .build()
        .map_err(|e| format!("cannot build the webhook HTTP client: {e}"))
}

/// What one attempt came to.
pub struct Attempt {
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why the attempt did not count as delivered; none for a 2xx answer.
    pub error: Option<String>,
}

/// POSTs the delivery's body with its signature, timed now.
pub async fn send(http: &Client, d: &Ready) -> Attempt {
    let t = now_ms() / 1000;
    let result = http
        .post(&d.url)
        .header("Content-Type", "application/json")
        .header(
            "Shoal-Signature",
            webhooks::signature_header(&d.secret, t, &d.body),
        )
        .header("Shoal-Event", &d.event)
        .header("Shoal-Delivery", d.delivery_id.to_string())
        .body(d.body.clone())
        .send()
        .await;
    match result {
        Ok(res) if res.status().is_success() => Attempt {
            status: Some(res.status().as_u16()),
            error: None,
        },
        Ok(res) => {
            let status = res.status();
            let mut why = format!("The receiver answered {status}");
            if status.is_redirection() {
                why.push_str(" (redirects are not followed: use the final URL)");
            }
            Attempt {
                status: Some(status.as_u16()),
                error: Some(why),
            }
        }
        Err(e) => Attempt {
            status: None,
            error: Some(describe(&e)),
        },
    }
}

/// A short reason for a request that got no answer.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("No answer within {} seconds", webhooks::TIMEOUT_SECS);
    }
    // The innermost cause says most ("Connection refused", "dns error: …").
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let text = if e.is_connect() {
        format!("Could not connect: {cause}")
    } else {
        format!("The request failed: {cause}")
    };
    text.chars().take(300).collect()
}
