//! `shoal`: serve (default) or manage academies from the command line.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::memory::return_large_blocks_to_the_system();
    let _ = dotenvy::dotenv();
    server::telemetry::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match server::cli::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("shoal: {message}");
            ExitCode::FAILURE
        }
    }
}
