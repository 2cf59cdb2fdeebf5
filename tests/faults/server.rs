//! The real server, in this process, on a free port, against a database of
//! the private cluster.

use std::collections::HashMap;
use std::time::Duration;

use cms::config::Config;
use cms::startup::Application;
use reqwest::{Client, Method, RequestBuilder};

/// The bootstrap admin token the fault servers accept.
const ADMIN_TOKEN: &str = "fault-admin-token-fault-admin-token-0123456789";

/// A running server.
pub struct Server {
    base: String,
    /// Every request gives up after this long: a request that takes longer
    /// counts as a hang.
    pub client: Client,
    handle: actix_web::dev::ServerHandle,
}

/// How long a request may take before it counts as a hang.
pub const HANG: Duration = Duration::from_secs(10);

impl Server {
    /// Starts the server on `database_url`, migrating it, with a small pool
    /// so that many clients share few connections.
    pub async fn spawn(database_url: &str) -> Self {
        Self::build(database_url, &[]).await.expect("server starts")
    }

    /// Builds the server with extra settings; the start-up error if it
    /// gives up.
    pub async fn build(
        database_url: &str,
        extra: &[(&'static str, &str)],
    ) -> Result<Self, cms::startup::StartupError> {
        let mut env: HashMap<&str, String> = [
            ("DATABASE_URL", database_url.to_owned()),
            ("BIND_ADDR", "127.0.0.1:0".to_owned()),
            ("WORKERS", "2".to_owned()),
            ("DATABASE_POOL_SIZE", "8".to_owned()),
            ("DATABASE_TIMEOUT_MS", "2000".to_owned()),
            (
                "JWT_SECRET",
                "fault-secret-fault-secret-fault-secret-0123".to_owned(),
            ),
            ("BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN.to_owned()),
            ("LOG_FILTER", "warn".to_owned()),
            ("RUN_MIGRATIONS", "true".to_owned()),
            (
                "MEDIA_DIR",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/faults-media").to_owned(),
            ),
        ]
        .into_iter()
        .collect();
        env.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let config = Config::from_lookup(|k| env.get(k).cloned()).expect("fault configuration");
        let app = Application::build(config).await?;
        let base = format!("http://127.0.0.1:{}", app.port());
        let server = app.into_server();
        let handle = server.handle();
        tokio::spawn(server);
        let client = Client::builder()
            .timeout(HANG)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Ok(Self {
            base,
            client,
            handle,
        })
    }

    /// A request as the bootstrap admin.
    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(ADMIN_TOKEN)
    }

    /// An anonymous request.
    pub fn public(&self, path: &str) -> RequestBuilder {
        self.client.get(format!("{}{path}", self.base))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        tokio::spawn(async move { handle.stop(false).await });
    }
}
