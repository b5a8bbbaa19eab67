//! Command-line interface of the `shoal` binary. Kept dependency-free: a handful of subcommands.

use app::server::{services, settings::Settings};

const USAGE: &str = "\
Usage:
  shoal [serve]                       serve Shoal (configuration from SHOAL_* variables and .env)
  shoal academy create --slug SLUG --name NAME --owner-name NAME --owner-email EMAIL [--owner-password PASSWORD]
                                      create an academy and its Owner (password also from SHOAL_OWNER_PASSWORD)
  shoal help                          this text";

pub async fn run(args: Vec<String>) -> Result<(), String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["serve"] => serve().await,
        ["academy", "create", rest @ ..] => academy_create(rest).await,
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command {:?}\n\n{USAGE}", args.join(" "))),
    }
}

async fn serve() -> Result<(), String> {
    let settings = Settings::from_env()?;
    let listen = settings.listen;
    let app = crate::App::build(settings).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen} (SHOAL_LISTEN): {e}"))?;
    tracing::info!(
        "Shoal is listening on http://{listen} (public address {})",
        app.state.settings.base_url
    );
    app.serve(listener).await
}

/// Reads `--flag value` pairs.
fn flags<'a>(
    rest: &[&'a str],
    known: &[&str],
) -> Result<std::collections::HashMap<String, &'a str>, String> {
    let mut out = std::collections::HashMap::new();
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let name = flag
            .strip_prefix("--")
            .filter(|n| known.contains(n))
            .ok_or_else(|| {
                format!(
                    "unknown option {flag:?}; expected one of {}",
                    known
                        .iter()
                        .map(|k| format!("--{k}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
        out.insert(name.to_string(), *value);
    }
    Ok(out)
}

async fn academy_create(rest: &[&str]) -> Result<(), String> {
    let f = flags(
        rest,
        &[
            "slug",
            "name",
            "owner-name",
            "owner-email",
            "owner-password",
        ],
    )?;
    let need = |k: &str| {
        f.get(k)
            .copied()
            .ok_or_else(|| format!("--{k} is required\n\n{USAGE}"))
    };
    let password = match f.get("owner-password") {
        Some(p) => p.to_string(),
        None => std::env::var("SHOAL_OWNER_PASSWORD").map_err(|_| {
            "give the owner's password with --owner-password or SHOAL_OWNER_PASSWORD".to_string()
        })?,
    };
    let input = app::validate::new_academy(
        need("name")?,
        need("slug")?,
        need("owner-name")?,
        need("owner-email")?,
        &password,
    )
    .map_err(|e| describe(&e))?;
    let settings = Settings::from_env()?;
    let state = crate::App::state(settings).await?;
    let created = services::academies::create(&state, &input, false)
        .await
        .map_err(|e| describe(&e))?;
    println!(
        "Created academy {:?}: {}",
        input.name.as_str(),
        state.settings.link(&format!("/a/{}", created.slug))
    );
    Ok(())
}

fn describe(e: &app::error::AppError) -> String {
    match e {
        app::error::AppError::Validation { fields, .. } if !fields.is_empty() => fields
            .iter()
            .map(|f| format!("--{}: {}", cli_flag(&f.field), f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        app::error::AppError::Conflict { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

fn cli_flag(field: &str) -> &str {
    match field {
        "academy_name" => "name",
        "owner_name" => "owner-name",
        "email" => "owner-email",
        "password" => "owner-password",
        other => other,
    }
}
