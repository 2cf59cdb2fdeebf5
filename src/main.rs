//! `cms` binary: reads configuration, sets up logging, dispatches the CLI.

use std::process::ExitCode;

use clap::Parser;
use cms::cli::{Cli, Command};
use cms::config::Config;
use cms::db::migrate;
use cms::startup::Application;
use cms::{api_docs, commands, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        // A closed pipe (`cms openapi | head`) is not worth a panic.
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        return match out
            .write_all(api_docs::spec_json().as_bytes())
            .and_then(|()| out.flush())
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("could not write the document: {e}");
                ExitCode::FAILURE
            }
        };
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
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate => migrate::run_pending(&config.database_url)
                .await
                .map(|applied| tracing::info!(?applied, "migrations up to date"))
                .map_err(|e| e.to_string()),
            Command::Openapi => unreachable!("handled before configuration"),
            Command::CreateAdmin { email } => {
                let state = commands::open(config).await?;
                let message = commands::create_admin::run(&state, email).await?;
                println!("{message}");
                Ok(())
            }
            Command::SeedDemo => {
                let state = commands::open(config).await?;
                let message = commands::seed_demo::run(&state).await?;
                println!("{message}");
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "fatal");
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
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
