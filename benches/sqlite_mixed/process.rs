//! The `cms` binary as a child process on a fresh SQLite file, with its
//! memory and CPU read from /proc.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Server settings taken from the benchmark's environment when set.
const PASSED_THROUGH: [&str; 3] = ["DATABASE_POOL_SIZE", "DATABASE_TIMEOUT_MS", "WORKERS"];

const ADMIN_TOKEN: &str = "bench-admin-token-bench-admin-token-0123456789";

/// A running server process.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    child: Child,
    dir: PathBuf,
}

impl Server {
    /// Starts `cms serve` on a new SQLite database under `target/` and
    /// waits until it is ready.
    pub fn start() -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join(format!("bench-sqlite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("bench dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_cms"));
        command.env_clear();
        // Settings worth comparing pass through from the environment.
        for name in PASSED_THROUGH {
            if let Ok(value) = std::env::var(name) {
                command.env(name, value);
            }
        }
        let child = command
            .arg("serve")
            .env("DATABASE_URL", format!("sqlite://{}/cms.db", dir.display()))
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("LOG_FILTER", "error")
            .env("JWT_SECRET", "bench-secret-bench-secret-bench-secret-0123")
            .env("BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN)
            .stdout(Stdio::null())
            .spawn()
            .expect("start target/release/cms");
        let server = Self {
            base: format!("http://127.0.0.1:{port}"),
            child,
            dir,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the server did not start listening within 10 s");
    }

    /// A request as the bootstrap admin.
    pub fn admin(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(ADMIN_TOKEN)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now, in MB.
    pub fn rss_mb(&self) -> u64 {
        rss_mb_of(self.pid())
    }

    /// User plus system CPU time used so far, in seconds.
    pub fn cpu_secs(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap();
        // Fields after the command name (which is in parentheses).
        let rest = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = rest.split(' ').collect();
        let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
        ticks / clock_ticks_per_sec()
    }
}

/// Resident memory of process `pid`, in MB.
pub fn rss_mb_of(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

fn clock_ticks_per_sec() -> f64 {
    let out = Command::new("getconf").arg("CLK_TCK").output();
    out.ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
