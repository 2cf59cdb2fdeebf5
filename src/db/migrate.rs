//! Embedded migrations, one folder per backend, run at start and by `cms migrate`.

use diesel::migration::MigrationVersion;
use diesel::{Connection, SqliteConnection};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::DatabaseUrl;

/// Migrations for PostgreSQL (`migrations/postgres`).
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
/// Migrations for SQLite (`migrations/sqlite`).
pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Why migrating failed.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The database could not be reached or created.
    #[error("could not connect to the database: {0}")]
    Connect(String),
    /// A migration failed to apply.
    #[error("migration failed: {0}")]
    Apply(String),
}

/// Applies pending migrations; returns the versions applied.
///
/// For PostgreSQL, creates the database first when it does not exist.
pub async fn run_pending(url: &DatabaseUrl) -> Result<Vec<String>, MigrateError> {
    if let DatabaseUrl::Postgres(raw) = url {
        ensure_pg_database(raw).await?;
    }
    let url = url.clone();
    tokio::task::spawn_blocking(move || match url {
        DatabaseUrl::Postgres(raw) => {
            let mut conn =
                <AsyncConnectionWrapper<AsyncPgConnection> as Connection>::establish(&raw)
                    .map_err(|e| MigrateError::Connect(e.to_string()))?;
            apply(&mut conn, POSTGRES)
        }
        DatabaseUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(&path)
                .map_err(|e| MigrateError::Connect(e.to_string()))?;
            apply(&mut conn, SQLITE)
        }
    })
    .await
    .map_err(|e| MigrateError::Apply(format!("migration task failed: {e}")))?
}

fn apply<C>(conn: &mut C, migrations: EmbeddedMigrations) -> Result<Vec<String>, MigrateError>
where
    C: MigrationHarness<C::Backend> + Connection,
{
    let applied: Vec<MigrationVersion<'_>> = conn
        .run_pending_migrations(migrations)
        .map_err(|e| MigrateError::Apply(e.to_string()))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// Creates the target PostgreSQL database when missing, via the `postgres`
/// maintenance database. Lack of permission there is not an error: the
/// connection to the target itself will report what is wrong.
async fn ensure_pg_database(raw: &str) -> Result<(), MigrateError> {
    let Ok(mut target) = url::Url::parse(raw) else {
        return Err(MigrateError::Connect(
            "DATABASE_URL is not a valid URL".to_owned(),
        ));
    };
    let name = target.path().trim_start_matches('/').to_owned();
    if name.is_empty() || name == "postgres" {
        return Ok(());
    }
    target.set_path("/postgres");
    let Ok(mut admin) = AsyncPgConnection::establish(target.as_str()).await else {
        return Ok(());
    };
    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let found =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result::<Exists>(&mut admin)
            .await
            .map_err(|e| MigrateError::Connect(e.to_string()))?;
    if !found.exists {
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        match diesel::sql_query(format!("CREATE DATABASE {quoted}"))
            .execute(&mut admin)
            .await
        {
            Ok(_) => tracing::info!(database = %name, "created the PostgreSQL database"),
            // Another instance may have created it concurrently.
            Err(e) => tracing::warn!(database = %name, error = %e, "could not create the database"),
        }
    }
    Ok(())
}
