//! Builds the actix-web application and server from a configuration.
//!
//! `Application::build` binds the listener itself so tests can ask for port 0
//! and learn the real port; `main` and the tests share this path.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{http, web, App, HttpServer};

use crate::config::Config;
use crate::db::{migrate, Db};
use crate::http::body_deadline::body_deadline;
use crate::http::extractors;
use crate::http::middleware::{problem_fallback, refuse_nul, security_headers};
use crate::http::request_log::request_log;
use crate::routes;
use crate::state::AppState;

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Migrations failed.
    #[error(transparent)]
    Migrate(#[from] migrate::MigrateError),
    /// The pool could not be built.
    #[error("{0}")]
    Database(String),
    /// The media store could not be opened.
    #[error("media store: {0}")]
    Media(String),
    /// The address could not be bound.
    #[error("could not listen on the configured address: {0}")]
    Io(#[from] std::io::Error),
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Migrates (if configured), builds the pool and binds the listener.
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        if config.run_migrations {
            let applied = migrate_when_up(&config).await?;
            if !applied.is_empty() {
                tracing::info!(?applied, "applied migrations");
            }
        }
        let db = Db::connect(&config).map_err(StartupError::Database)?;
        tokio::spawn(backfill(db.clone()));
        crate::telemetry::flood::spawn_flusher();
        // Build the dummy password hash off the request path.
        tokio::task::spawn_blocking(crate::auth::password::warm_up);
        let listener = TcpListener::bind(config.bind_addr)?;
        let port = listener.local_addr()?.port();
        let state = AppState::new(db, config).map_err(StartupError::Media)?;
        crate::cache::spawn_watcher(&state.cache, &state.config).map_err(StartupError::Database)?;
        crate::articles::retention::spawn_pruner(state.db.clone(), state.config.revisions.clone());
        crate::articles::trash::spawn_purger(state.db.clone(), state.config.trash.clone());
        crate::db::periodic::spawn_log_pruner(
            state.db.clone(),
            &state.config.webhooks.log_retention,
            "deleted old webhook deliveries",
            "could not delete old webhook deliveries",
            |conn, before| Box::pin(crate::webhooks::model::prune_log(conn, before)),
        );
        crate::articles::scheduler::spawn(state.db.clone(), &state.config.webhooks);
        crate::webhooks::worker::spawn(state.db.clone(), state.config.webhooks.clone());
        let server = server(listener, state.clone())?;
        Ok(Self {
            port,
            server,
            state,
        })
    }

    /// The port actually bound (useful with `BIND_ADDR=…:0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Shared state (tests use it to reach the database directly).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM/SIGINT (graceful) or the handle stops it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// The running server, for tests that need its handle.
    pub fn into_server(self) -> Server {
        self.server
    }
}

/// Fills derived columns that earlier versions left empty, in the
/// background (a large table must not delay readiness). A failure is
/// logged, not fatal: reads derive what is missing themselves.
async fn backfill(db: Db) {
    let filled = match db.writer().await {
        Ok(mut conn) => crate::articles::backfill::body_leads(&mut conn)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match filled {
        Ok(0) => {}
        Ok(rows) => tracing::info!(rows, "derived the first paragraph of earlier articles"),
        Err(reason) => tracing::warn!(%reason, "could not derive first paragraphs at start"),
    }
}

/// Applies the migrations, retrying with backoff while the database does not
/// answer (it may be starting alongside the server) for up to
/// `DATABASE_STARTUP_TIMEOUT_SECS`; a migration that fails is not retried.
async fn migrate_when_up(config: &Config) -> Result<Vec<String>, StartupError> {
    let deadline = std::time::Instant::now() + config.db_startup_timeout;
    let mut wait = std::time::Duration::from_millis(250);
    loop {
        match migrate::run_pending(&config.database_url).await {
            Err(migrate::MigrateError::Connect(reason)) if std::time::Instant::now() < deadline => {
                tracing::warn!(%reason, retry_in_ms = wait.as_millis() as u64, "database not reachable yet");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(std::time::Duration::from_secs(5));
            }
            result => return Ok(result?),
        }
    }
}

fn server(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let config = state.config.clone();
    let data = web::Data::new(state.clone());
    let mut http = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(extractors::json_config(config.json_body_limit))
            .app_data(web::PayloadConfig::new(config.json_body_limit))
            .app_data(extractors::path_config())
            .app_data(extractors::query_config())
            .configure(|cfg| {
                routes::api(&mut utoipa_actix_web::service_config::ServiceConfig::new(
                    cfg,
                ))
            })
            .configure(routes::fallbacks)
            .default_service(web::to(extractors::route_not_found))
            .wrap(from_fn(crate::cache::middleware::public_cache))
            .wrap(from_fn(body_deadline))
            .wrap(from_fn(refuse_nul))
            // CORS refusals (answered by the CORS layer itself) pass through
            // the problem+json fallback like every other error.
            .wrap(cors(&config.cors_origins))
            .wrap(problem_fallback())
            .wrap(security_headers())
            .wrap(from_fn(crate::metrics::record))
            .wrap(from_fn(request_log))
    })
    .shutdown_timeout(state.config.shutdown_timeout_secs)
    .max_connections(state.config.max_connections)
    .backlog(state.config.backlog)
    .keep_alive(std::time::Duration::from_secs(state.config.keep_alive_secs))
    .client_request_timeout(state.config.request_head_timeout)
    .listen(listener)?;
    if let Some(workers) = state.config.workers {
        http = http.workers(workers);
    }
    Ok(http.run())
}

/// CORS from the configured allow-list; none configured means no CORS.
fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PATCH", "DELETE"])
        .allowed_headers([
            http::header::AUTHORIZATION,
            http::header::CONTENT_TYPE,
            http::header::IF_MATCH,
            http::header::IF_NONE_MATCH,
            http::header::HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([
            http::header::ETAG,
            http::header::LINK,
            http::header::LOCATION,
            http::header::RETRY_AFTER,
            http::header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}
