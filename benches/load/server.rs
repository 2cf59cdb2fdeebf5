//! The two servers as child processes (the release `cms serve`, and this
//! benchmark binary re-run as the baseline), with their CPU time and memory
//! read from /proc.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Server settings taken from the benchmark's environment when set.
const PASSED_THROUGH: [&str; 6] = [
    "DATABASE_POOL_SIZE",
    "DATABASE_TIMEOUT_MS",
    "CACHE_MAX_BYTES",
    "BOOTSTRAP_ADMIN_TOKEN",
    "MEDIA_WORKERS",
    "MEDIA_WIDTHS",
];

/// A running server process, killed when dropped.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    child: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

impl Server {
    /// `cms serve` on `database_url` (already migrated) with `workers`.
    pub async fn service(database_url: &str, workers: usize) -> Self {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_cms"));
        command.env_clear();
        for name in PASSED_THROUGH {
            if let Ok(value) = std::env::var(name) {
                command.env(name, value);
            }
        }
        let child = command
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("RUN_MIGRATIONS", "false")
            .env(
                "MEDIA_DIR",
                std::env::var("MEDIA_DIR").unwrap_or_else(|_| {
                    concat!(env!("CARGO_TARGET_TMPDIR"), "/bench-media").into()
                }),
            )
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("WORKERS", workers.to_string())
            .env("LOG_FILTER", "error")
            .env("JWT_SECRET", "bench-secret-bench-secret-bench-secret-0123")
            .stdout(Stdio::null())
            .spawn()
            .expect("start the release cms binary");
        Self::ready(child, port, "/health/ready").await
    }

    /// This binary as the baseline server (`main.rs` dispatches on the
    /// `baseline` argument).
    pub async fn baseline(backend: &str, database_url: &str, workers: usize, pool: usize) -> Self {
        let port = free_port();
        let child = Command::new(std::env::current_exe().expect("own path"))
            .args([
                "baseline",
                backend,
                database_url,
                &port.to_string(),
                &workers.to_string(),
                &pool.to_string(),
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("start the baseline");
        Self::ready(child, port, "/ready").await
    }

    async fn ready(child: Child, port: u16, path: &str) -> Self {
        let server = Self {
            base: format!("http://127.0.0.1:{port}"),
            child,
        };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(res) = client.get(format!("{}{path}", server.base)).send().await {
                if res.status().is_success() {
                    return server;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{} did not become ready within 20 s", server.base);
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User plus system CPU time of `pid` so far, in seconds (0 if gone).
pub fn cpu_secs(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime and
    // stime are fields 14 and 15 of the whole line.
    let rest = &stat[stat.rfind(')').map_or(0, |i| i + 2)..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    (ticks(11).unwrap_or(0.0) + ticks(12).unwrap_or(0.0)) / clock_ticks()
}

fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// A `/proc/<pid>/status` memory line (`VmRSS`, `VmHWM`) in MB.
pub fn mem_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
