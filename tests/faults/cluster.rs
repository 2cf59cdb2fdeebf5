//! A private PostgreSQL cluster for fault tests: its own data directory and
//! port, started, stopped and killed by the test. The shared server on 5432
//! is never touched.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A running (or stopped) private cluster, removed on drop.
pub struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    pub port: u16,
}

impl Cluster {
    /// `initdb` in a fresh directory and start on a free port. Fails with
    /// instructions when PostgreSQL's server binaries are missing.
    pub fn start() -> Self {
        let bin = server_binaries();
        let root = std::env::temp_dir().join(format!("cms-fault-cluster-{}", suffix()));
        std::fs::create_dir_all(&root).unwrap();
        let data = root.join("data");
        let port = free_port();
        let cluster = Self { bin, data, port };
        cluster.chown(&root);
        cluster.run(
            "initdb",
            &[
                "-D",
                cluster.data(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        // Fast, small and private: no fsync (the test kills it anyway, and
        // crash recovery still runs), a socket directory of its own.
        std::fs::write(
            cluster.data.join("postgresql.auto.conf"),
            format!(
                "port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
                 fsync = off\nmax_connections = 50\nshared_buffers = 16MB\n",
                root.display()
            ),
        )
        .unwrap();
        cluster.up();
        cluster
    }

    fn data(&self) -> &str {
        self.data.to_str().unwrap()
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates database `name`.
    pub fn create_database(&self, name: &str) {
        let port = self.port.to_string();
        self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", name],
        );
    }

    /// Starts the stopped cluster and waits until it accepts connections.
    pub fn up(&self) {
        let log = self.data.parent().unwrap().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data(),
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
    }

    /// Stops it as an operator would: clients get `57P01 terminating
    /// connection due to administrator command`.
    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", self.data(), "-m", "fast", "-w", "stop"]);
    }

    /// Kills it as a crash would: no shutdown, recovery on the next start.
    pub fn kill(&self) {
        self.run(
            "pg_ctl",
            &["-D", self.data(), "-m", "immediate", "-w", "stop"],
        );
    }

    /// Runs a server binary, as the `postgres` user when the tests run as
    /// root (PostgreSQL refuses to run as root).
    fn run(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut command = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let output = command
            .args(args)
            .output()
            .expect("run a PostgreSQL binary");
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn chown(&self, dir: &Path) {
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir)
                .status()
                .unwrap();
            assert!(status.success());
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| self.kill());
        let _ = std::fs::remove_dir_all(self.data.parent().unwrap());
    }
}

/// The directory of `initdb` and `pg_ctl` (Debian: /usr/lib/postgresql/N/bin).
fn server_binaries() -> PathBuf {
    if let Ok(dir) = std::env::var("PG_BIN_DIR") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "\n\nThe fault tests start a private PostgreSQL cluster and need the server\n\
             binaries (initdb, pg_ctl): install PostgreSQL (Debian: apt-get install\n\
             postgresql) or set PG_BIN_DIR. They never touch the shared server.\n"
        )
    })
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("run id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn suffix() -> String {
    use rand::Rng;
    format!("{:012x}", rand::rng().random::<u64>() & 0xffff_ffff_ffff)
}
