//! A real S3-protocol server for the media tests: moto's `moto_server`
//! (PyPI `moto[server]`, installed by `.ci/run`; `MOTO_SERVER` names
//! another binary), started once per test process on a free port, with a
//! bucket of its own for each test. Never skipped: when it cannot start,
//! the tests that need it fail and say why.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The port moto listens on, started on first use.
fn moto_port() -> u16 {
    static PORT: OnceLock<Result<u16, String>> = OnceLock::new();
    match PORT.get_or_init(start_moto) {
        Ok(port) => *port,
        Err(why) => panic!("{why}"),
    }
}

fn start_moto() -> Result<u16, String> {
    let binary = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_owned());
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port for moto: {e}"))?
        .port();
    // A watchdog shell stops moto when this test process ends.
    let script = format!(
        "\"$0\" -H 127.0.0.1 -p {port} >/dev/null 2>&1 & m=$!; \
         while kill -0 {parent} 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1; done; kill $m 2>/dev/null",
        parent = std::process::id()
    );
    Command::new("sh")
        .args(["-c", &script, &binary])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start sh for {binary}: {e}"))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(port);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "the S3 test server `{binary}` did not start on port {port} within 60 s; \
         install it with `pip install 'moto[server]'` (or set MOTO_SERVER)"
    ))
}

/// An empty bucket of the test's own.
pub struct Bucket {
    /// The bucket's name.
    pub name: String,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
}

impl Bucket {
    /// Creates a bucket with a random name.
    pub async fn new() -> Self {
        let port = moto_port();
        let endpoint = format!("http://127.0.0.1:{port}");
        let name = format!("cms-test-{:08x}", rand::random::<u32>());
        let res = reqwest::Client::new()
            .put(format!("{endpoint}/{name}"))
            .send()
            .await
            .expect("moto answers");
        assert!(res.status().is_success(), "create bucket: {}", res.status());
        Self { name, endpoint }
    }

    /// The server settings that store media in this bucket.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MEDIA_S3_BUCKET", self.name.clone()),
            ("MEDIA_S3_ENDPOINT", self.endpoint.clone()),
            ("MEDIA_S3_REGION", "us-east-1".to_owned()),
            ("AWS_ACCESS_KEY_ID", "testing".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "testing".to_owned()),
        ]
    }
}
