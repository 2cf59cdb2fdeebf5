//! `cms` binary: reads configuration, sets up logging, dispatches the CLI.

use std::process::ExitCode;

use clap::Parser;
use cms::cli::{Cli, Command};
use cms::config::Config;
use cms::db::migrate;
use cms::startup::Application;
use cms::{api_docs, commands, telemetry};

fn main() -> ExitCode {
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        return print_openapi();
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config.log_filter, config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "fatal");
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `cms openapi`: the document on standard output. A closed pipe
/// (`cms openapi | head`) is not worth a panic.
fn print_openapi() -> ExitCode {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out
        .write_all(api_docs::spec_json().as_bytes())
        .and_then(|()| out.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("could not write the document: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command to its end.
async fn run(command: Command, config: Config) -> Result<(), String> {
    let message = match command {
        Command::Serve => return serve(config).await,
        Command::Migrate => {
            let applied = migrate::run_pending(&config.database_url)
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(?applied, "migrations up to date");
            return Ok(());
        }
        Command::Openapi => unreachable!("handled before configuration"),
        Command::CreateAdmin { email } => {
            let state = commands::open(config).await?;
            commands::create_admin::run(&state, email).await?
        }
        Command::SeedDemo => {
            let state = commands::open(config).await?;
            commands::seed_demo::run(&state).await?
        }
        Command::Export { out, with_secrets } => {
            let state = commands::open(config).await?;
            let summary = commands::export::run(&state, out, with_secrets).await?;
            // Standard output may be the export itself.
            eprintln!("{summary}");
            return Ok(());
        }
        Command::Import { file } => {
            let state = commands::open(config).await?;
            commands::import::run(&state, &file).await?
        }
    };
    println!("{message}");
    Ok(())
}

async fn serve(config: Config) -> Result<(), String> {
    if config.jwt_secret_generated {
        tracing::warn!(
            "JWT_SECRET is not set: generated a random one for this process; \
             tokens will not survive a restart (set JWT_SECRET in production)"
        );
    }
    tracing::info!(
        backend = config.database_url.backend_name(),
        database = ?config.database_url,
        "starting"
    );
    let app = Application::build(config)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(port = app.port(), "listening");
    app.run_until_stopped().await.map_err(|e| e.to_string())
}
