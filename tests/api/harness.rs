//! Test harness: spawns the real server on `127.0.0.1:0` against a fresh
//! database — a PostgreSQL database cloned from a migrated template, or a new
//! SQLite file — and drops that database afterwards.

use std::collections::HashMap;
use std::sync::OnceLock;

use cms::config::Config;
use cms::startup::Application;
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::Value;

pub use cms::db::Backend;

/// Where the tests find PostgreSQL (a maintenance database to connect to).
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A fixed test secret (≥ 32 bytes).
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

/// The bootstrap admin token the test servers accept.
pub const ADMIN_TOKEN: &str = "test-admin-token-test-admin-token-0123456789";

/// Runs each listed `async fn(TestApp)` once on PostgreSQL and once on SQLite,
/// as `<name>::postgres` and `<name>::sqlite`.
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::harness::TestApp::spawn($crate::harness::Backend::Postgres).await;
                super::$name(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::harness::TestApp::spawn($crate::harness::Backend::Sqlite).await;
                super::$name(app).await;
            }
        }
    )+};
}
pub(crate) use both_backends;

/// Like `both_backends!`, with environment overrides for the server:
/// `both_backends_with!([("NAME", "value")], test_fn, …)`.
macro_rules! both_backends_with {
    ($env:tt, $($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::harness::TestApp::spawn_with(
                    $crate::harness::Backend::Postgres, &$env).await;
                super::$name(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::harness::TestApp::spawn_with(
                    $crate::harness::Backend::Sqlite, &$env).await;
                super::$name(app).await;
            }
        }
    )+};
}
pub(crate) use both_backends_with;

/// A running server with its own database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// HTTP client (no redirects, no default headers).
    pub client: Client,
    /// The backend under test.
    pub backend: Backend,
    /// The database URL the server uses.
    pub database_url: String,
    /// The server's state (to reach the database directly in set-ups).
    pub state: cms::state::AppState,
    env: HashMap<String, String>,
    handle: actix_web::dev::ServerHandle,
    _db: TestDb,
    /// The media folder (a temporary one per test unless the test names one).
    _media: Option<std::sync::Arc<TempDir>>,
}

impl TestApp {
    /// Spawns the server on a fresh database of `backend`.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// Spawns with extra environment overrides (e.g. `("JSON_BODY_LIMIT", "2048")`).
    pub async fn spawn_with(backend: Backend, overrides: &[(&str, &str)]) -> Self {
        let db = match backend {
            Backend::Postgres => TestDb::postgres().await,
            Backend::Sqlite => TestDb::sqlite(),
        };
        let mut env: HashMap<String, String> = [
            ("DATABASE_URL", db.url()),
            ("BIND_ADDR", "127.0.0.1:0".to_owned()),
            ("WORKERS", "1".to_owned()),
            ("DATABASE_POOL_SIZE", "4".to_owned()),
            ("JWT_SECRET", TEST_JWT_SECRET.to_owned()),
            ("BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN.to_owned()),
            ("LOG_FILTER", "warn".to_owned()),
            // Background work that would check out connections while a test
            // counts them runs rarely unless a test asks for more.
            ("WEBHOOK_POLL_MS", "60000".to_owned()),
            ("SCHEDULER_INTERVAL_SECS", "3600".to_owned()),
            // The PostgreSQL template is already migrated; SQLite migrates here.
            ("RUN_MIGRATIONS", (backend == Backend::Sqlite).to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        for (k, v) in overrides {
            env.insert((*k).to_owned(), (*v).to_owned());
        }
        let media = if env.contains_key("MEDIA_DIR") || env.contains_key("MEDIA_S3_BUCKET") {
            None
        } else {
            let dir = std::sync::Arc::new(TempDir::new());
            env.insert("MEDIA_DIR".to_owned(), dir.0.display().to_string());
            Some(dir)
        };
        let mut app = Self::start(backend, env, db).await;
        app._media = media;
        app
    }

    /// The local media folder of this server, if it uses one.
    pub fn media_dir(&self) -> Option<std::path::PathBuf> {
        self.env.get("MEDIA_DIR").map(std::path::PathBuf::from)
    }

    /// Another server on this one's database (a second instance behind the
    /// same load balancer), with the same settings plus `overrides`.
    pub async fn another_instance(&self, overrides: &[(&str, &str)]) -> Self {
        let mut env = self.env.clone();
        env.insert("RUN_MIGRATIONS".to_owned(), "false".to_owned());
        for (k, v) in overrides {
            env.insert((*k).to_owned(), (*v).to_owned());
        }
        let mut app = Self::start(self.backend, env, TestDb::Shared).await;
        app._media = self._media.clone();
        app
    }

    async fn start(backend: Backend, env: HashMap<String, String>, db: TestDb) -> Self {
        let config = Config::from_lookup(|k| env.get(k).cloned()).expect("test configuration");
        let database_url = env["DATABASE_URL"].clone();
        let app = Application::build(config).await.expect("server starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let server = app.into_server();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            base,
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            backend,
            database_url,
            state,
            env,
            handle,
            _db: db,
            _media: None,
        }
    }

    /// Absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A request builder for `method path`.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// A request authenticated with the admin token.
    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(ADMIN_TOKEN)
    }

    /// `GET path` as admin, returning status and JSON body.
    pub async fn admin_get(&self, path: &str) -> (u16, Value) {
        send_json(self.admin(Method::GET, path)).await
    }

    /// `GET path` anonymously, returning status and JSON body.
    pub async fn public_get(&self, path: &str) -> (u16, Value) {
        send_json(self.request(Method::GET, path)).await
    }

    /// `method path` as admin with a JSON body, returning status and body.
    pub async fn admin_json(&self, method: Method, path: &str, body: Value) -> (u16, Value) {
        send_json(self.admin(method, path).json(&body)).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("request sent")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting and close pooled connections before the database goes.
        drop(self.handle.stop(false));
    }
}

/// Asserts `res` is problem+json with `status` and `code`; returns the body.
pub async fn assert_problem(res: Response, status: u16, code: &str) -> Value {
    let got = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = res.json().await.expect("problem body is JSON");
    assert_eq!(got, status, "unexpected status; body: {body}");
    assert_eq!(content_type, "application/problem+json", "body: {body}");
    assert_eq!(body["status"], status, "body: {body}");
    assert_eq!(body["code"], code, "body: {body}");
    assert_eq!(body["type"], format!("/problems/{code}"), "body: {body}");
    assert!(
        body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "body: {body}"
    );
    assert!(body["detail"].is_string(), "body: {body}");
    assert!(body["errors"].is_array(), "body: {body}");
    body
}

/// A database owned by one test, removed on drop (`Shared`: another
/// server's, left alone).
enum TestDb {
    Postgres { name: String, admin_url: String },
    Sqlite { _dir: TempDir },
    Shared,
}

impl TestDb {
    async fn postgres() -> Self {
        let admin_url = pg_admin_url();
        let template = pg_template().to_owned();
        let name = format!("cms_test_{}", random_suffix());
        let client = pg_connect(&admin_url).await;
        let sql = format!("CREATE DATABASE {name} TEMPLATE {template}");
        // Concurrent clones of one template can briefly collide; retry.
        let mut attempt = 0;
        loop {
            match client.batch_execute(&sql).await {
                Ok(()) => break,
                Err(e) if attempt < 20 => {
                    attempt += 1;
                    tracing_note(&format!("retrying CREATE DATABASE: {e}"));
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("could not create test database {name}: {e}"),
            }
        }
        Self::Postgres { name, admin_url }
    }

    fn sqlite() -> Self {
        Self::Sqlite {
            _dir: TempDir::new(),
        }
    }

    fn url(&self) -> String {
        match self {
            Self::Postgres { name, admin_url } => with_database(admin_url, name),
            Self::Sqlite { _dir } => format!("sqlite://{}/cms.db", _dir.0.display()),
            Self::Shared => unreachable!("a shared database's URL comes from its owner"),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Self::Postgres { name, admin_url } = self else {
            return;
        };
        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let url = admin_url.clone();
        // Drop may run inside a runtime; do the async work on a thread of its own.
        let result = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let client = pg_connect(&url).await;
                client
                    .batch_execute(&sql)
                    .await
                    .map_err(std::io::Error::other)
            })
        })
        .join();
        if !matches!(result, Ok(Ok(()))) {
            eprintln!("warning: could not drop test database {name}: {result:?}");
        }
    }
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    /// A new empty directory under the system's temporary folder.
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("cms-test-{}", random_suffix()));
        std::fs::create_dir_all(&path).expect("create temp dir");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn random_suffix() -> String {
    use rand::Rng;
    let n: u64 = rand::rng().random();
    format!("{n:016x}")
}

fn tracing_note(message: &str) {
    if std::env::var_os("TEST_VERBOSE").is_some() {
        eprintln!("{message}");
    }
}

/// `TEST_DATABASE_URL`, or the local default.
pub fn pg_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned())
}

/// The same server URL pointing at another database.
pub fn with_database(url: &str, database: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("TEST_DATABASE_URL is a URL");
    parsed.set_path(&format!("/{database}"));
    parsed.to_string()
}

/// Connects with tokio-postgres, failing loudly with instructions.
pub async fn pg_connect(url: &str) -> tokio_postgres::Client {
    match tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        Ok((client, connection)) => {
            tokio::spawn(async move {
                let _ = connection.await;
            });
            client
        }
        Err(e) => panic!(
            "\n\nPostgreSQL is not reachable at {url}: {e}\n\
             The test suite needs a PostgreSQL server (it never skips those tests).\n\
             Start the local one, e.g. `pg_ctlcluster 15 main start` (Debian) or\n\
             `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15`,\n\
             or point TEST_DATABASE_URL at a server where the user may CREATE DATABASE.\n\n"
        ),
    }
}

/// Name of the migrated template database, created once per migration set.
///
/// The name carries a hash of the migration files, so changing a migration
/// makes a new template; creation is serialized across test processes by an
/// advisory lock and published by an atomic rename.
fn pg_template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        std::thread::spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(create_template())
        })
        .join()
        .expect("template creation")
    })
}

async fn create_template() -> String {
    let admin_url = pg_admin_url();
    let name = format!("cms_template_{:016x}", migrations_hash());
    let client = pg_connect(&admin_url).await;
    client
        .batch_execute("SELECT pg_advisory_lock(727274)")
        .await
        .expect("advisory lock");
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .expect("query pg_database")
        .is_some();
    if !exists {
        let building = format!("{name}_building");
        for sql in [
            format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
            format!("CREATE DATABASE {building}"),
        ] {
            client
                .batch_execute(&sql)
                .await
                .expect("create template database");
        }
        let url = cms::config::DatabaseUrl::Postgres(with_database(&admin_url, &building));
        cms::db::migrate::run_pending(&url)
            .await
            .expect("migrate the template database");
        for sql in [
            format!("ALTER DATABASE {building} RENAME TO {name}"),
            format!("ALTER DATABASE {name} WITH IS_TEMPLATE true"),
        ] {
            client
                .batch_execute(&sql)
                .await
                .expect("publish template database");
        }
    }
    client
        .batch_execute("SELECT pg_advisory_unlock(727274)")
        .await
        .expect("advisory unlock");
    name
}

/// FNV-1a over the PostgreSQL migration files (names and contents).
fn migrations_hash() -> u64 {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let mut bytes = file
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned()
            .into_bytes();
        bytes.extend(std::fs::read(&file).expect("read migration"));
        for b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read migrations dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Sends a JSON request and returns status and parsed body (Null if empty).
pub async fn send_json(req: RequestBuilder) -> (u16, Value) {
    let res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}
