//! `docs/guide.md` (and the README's taste of the API) stay true: their
//! shell examples run, in order, against a fresh server (on PostgreSQL and
//! on SQLite), and what they print is compared with the output the page
//! states. Each page gets its own server and starts from scratch.
//!
//! The rules a writer of the guide follows (also summed up in the guide):
//!
//! - A block fenced as ```` ```sh ```` is run. One fenced as
//!   ```` ```sh not-run ```` is shown and never run (starting a server, say).
//!   Any other shell fence (`bash`, `shell`, `console`, `zsh`) is an error,
//!   so no unchecked command slips in.
//! - Blocks run in order, each in its own `bash` with `set -euo pipefail`,
//!   in a scratch directory. Variables assigned in one block are set in the
//!   next ones. `$BASE` is the server's address (`http://127.0.0.1:8080` for
//!   a reader).
//! - The expected standard output of a block is written either inside it,
//!   one `# → text` line per output line (`# →` alone is an empty line), or
//!   in a block fenced as ```` ```json output ```` (any language, then
//!   `output`) right after it, with only blank lines between. A block with
//!   neither must print nothing. A fenced block right after a `sh` block
//!   that is not an output block is an error (put prose between them).
//! - In an expected line, `…` stands for any text within that line; a line
//!   that is only `…` stands for any number of lines, none included.
//!
//! The starting point is the guide's own: `cms seed-demo`, then
//! `cms create-admin --email admin@example.com` with the password
//! `correct horse battery staple`, both run with the built binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::harness::{both_backends, Backend, TestApp};

/// The pages whose examples run, relative to the crate root.
const GUIDE: &str = "docs/guide.md";
const README: &str = "README.md";

/// The admin account the guide signs in with.
const ADMIN_EMAIL: &str = "admin@example.com";
const ADMIN_PASSWORD: &str = "correct horse battery staple";

/// The longest one block may take (one `sleep 3` is the slowest step).
const BLOCK_TIMEOUT: Duration = Duration::from_secs(120);

both_backends!(guide_examples_hold, readme_examples_hold);

async fn guide_examples_hold(app: TestApp) {
    run_page(app, GUIDE, 10).await;
}

/// The README's taste of the API follows the same rules.
async fn readme_examples_hold(app: TestApp) {
    run_page(app, README, 1).await;
}

/// Runs the `sh` blocks of `page` (which must have at least `min_blocks`).
async fn run_page(app: TestApp, page: &'static str, min_blocks: usize) {
    require_tools();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(page);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {page}: {e}"));
    let blocks = parse(&text).unwrap_or_else(|e| panic!("{page}: {e}"));
    let runnable = blocks.iter().filter(|b| b.run).count();
    assert!(
        runnable >= min_blocks,
        "{page} has only {runnable} runnable ```sh blocks: were the fences renamed?"
    );

    let scratch = Scratch::new();
    starting_point(&app, &scratch.0);
    let backend = match app.backend {
        Backend::Postgres => "PostgreSQL",
        Backend::Sqlite => "SQLite",
    };
    for block in blocks.into_iter().filter(|b| b.run) {
        let base = app.base.clone();
        let dir = scratch.0.clone();
        let (block, outcome) = tokio::task::spawn_blocking(move || {
            let outcome = run_block(page, &block, &base, &dir);
            (block, outcome)
        })
        .await
        .expect("block runner");
        if let Err(report) = check(&block, &outcome) {
            panic!(
                "\n{page}:{} (section \"{}\"), on {backend}: {report}\n",
                block.line, block.section
            );
        }
    }
}

/// Fails with instructions when a tool the guide uses is missing.
fn require_tools() {
    for tool in ["bash", "curl", "jq", "timeout"] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "the examples of {GUIDE} and {README} need `{tool}` on PATH \
             (Debian: apt-get install -y bash curl jq coreutils; .ci/run installs jq)"
        );
    }
}

/// `cms seed-demo` and `cms create-admin`, as the guide tells a reader.
fn starting_point(app: &TestApp, dir: &Path) {
    use std::io::Write as _;
    let cms = env!("CARGO_BIN_EXE_cms");
    let command = |args: &[&str]| {
        let mut command = Command::new(cms);
        command
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATABASE_URL", &app.database_url)
            .env("LOG_FILTER", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command
    };
    let seeded = command(&["seed-demo"]).output().expect("run cms seed-demo");
    assert!(seeded.status.success(), "cms seed-demo: {seeded:?}");
    let mut admin = command(&["create-admin", "--email", ADMIN_EMAIL])
        .spawn()
        .expect("run cms create-admin");
    writeln!(admin.stdin.take().expect("stdin"), "{ADMIN_PASSWORD}").expect("password");
    let created = admin.wait_with_output().expect("cms create-admin");
    assert!(created.status.success(), "cms create-admin: {created:?}");
}

/// One fenced shell block of the guide.
#[derive(Debug)]
struct Block {
    /// Line of the opening fence (1-based).
    line: usize,
    /// Line of the first command (1-based).
    first: usize,
    /// The heading the block is under.
    section: String,
    /// False for ```` ```sh not-run ````.
    run: bool,
    /// The commands.
    code: String,
    /// The stated output, from `# →` lines or an output block.
    expected: Vec<String>,
    /// Whether an output block was attached.
    has_output_block: bool,
}

/// The arrow that marks an expected output line inside a block.
const OUTPUT_MARK: &str = "# →";

/// Splits the guide into its shell blocks, enforcing the fence rules.
fn parse(text: &str) -> Result<Vec<Block>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks: Vec<Block> = Vec::new();
    let mut section = String::from("(top)");
    // Index in `blocks` of a sh block that only blank lines follow so far.
    let mut open_for_output: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some(info) = line.trim_start().strip_prefix("```") else {
            if let Some(heading) = line.strip_prefix('#') {
                section = heading.trim_start_matches('#').trim().to_owned();
            }
            if !line.trim().is_empty() {
                open_for_output = None;
            }
            i += 1;
            continue;
        };
        let start = i + 1;
        let end = (start..lines.len())
            .find(|&j| lines[j].trim() == "```")
            .ok_or_else(|| format!("line {start}: the fence is never closed"))?;
        let body = &lines[start..end];
        let words: Vec<&str> = info.split_whitespace().collect();
        match words.as_slice() {
            ["sh"] | ["sh", "not-run"] => {
                let expected = body
                    .iter()
                    .filter_map(|l| l.trim_start().strip_prefix(OUTPUT_MARK))
                    .map(|rest| rest.strip_prefix(' ').unwrap_or(rest).to_owned())
                    .collect();
                blocks.push(Block {
                    line: start,
                    first: start + 1,
                    section: section.clone(),
                    run: words.len() == 1,
                    code: body.join("\n"),
                    expected,
                    has_output_block: false,
                });
                open_for_output = Some(blocks.len() - 1);
            }
            ["sh", ..] => {
                return Err(format!(
                    "line {start}: unknown marker in ```{info} (use ```sh or ```sh not-run)"
                ))
            }
            [lang, ..] if ["bash", "shell", "console", "zsh"].contains(lang) => {
                return Err(format!(
                    "line {start}: ```{info}: shell examples are ```sh (run and checked) \
                     or ```sh not-run"
                ))
            }
            [_, "output"] => {
                let Some(index) = open_for_output else {
                    return Err(format!(
                        "line {start}: an output block must follow a ```sh block \
                         with only blank lines between"
                    ));
                };
                let block = &mut blocks[index];
                if !block.run {
                    return Err(format!(
                        "line {start}: output stated for a not-run block (line {})",
                        block.line
                    ));
                }
                if !block.expected.is_empty() || block.has_output_block {
                    return Err(format!(
                        "line {start}: the block at line {} already states its output",
                        block.line
                    ));
                }
                block.expected = body.iter().map(|l| (*l).to_owned()).collect();
                block.has_output_block = true;
                open_for_output = None;
            }
            _ if open_for_output.is_some_and(|b| blocks[b].run) => {
                return Err(format!(
                    "line {start}: a block right after a ```sh block must be its output \
                     (```<lang> output); put prose between them otherwise"
                ))
            }
            _ => open_for_output = None,
        }
        i = end + 1;
    }
    Ok(blocks)
}

/// What running a block gave.
#[derive(Debug)]
struct Outcome {
    success: bool,
    status: String,
    stdout: String,
    stderr: String,
}

/// Lines of the script before the block's first command.
const PRELUDE: &[&str] = &[
    "set -euo pipefail",
    "shopt -s inherit_errexit",
    "if [ -f \"$GUIDE_STATE\" ]; then source \"$GUIDE_STATE\"; fi",
    "set -a",
];

/// Runs one block in `bash`, with the variables earlier blocks left.
fn run_block(page: &str, block: &Block, base: &str, dir: &Path) -> Outcome {
    // Where bash reports a failure, as a line of the guide.
    let offset = block.first as i64 - PRELUDE.len() as i64 - 2;
    let trap =
        format!("trap 'echo \"exit $? at {page}:$((LINENO + {offset})): $BASH_COMMAND\" >&2' ERR");
    let mut script: Vec<String> = vec![trap];
    script.extend(PRELUDE.iter().map(|l| (*l).to_owned()));
    script.push(block.code.clone());
    script.push("set +a".to_owned());
    script.push("export -p > \"$GUIDE_STATE\"".to_owned());
    let file = dir.join(format!("block-{}.sh", block.line));
    std::fs::write(&file, script.join("\n") + "\n").expect("write block script");

    let output = Command::new("timeout")
        .arg(BLOCK_TIMEOUT.as_secs().to_string())
        .arg("bash")
        .arg(&file)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir) // no ~/.curlrc of the person running the tests
        .env("LANG", "C.UTF-8")
        .env("BASE", base)
        .env("GUIDE_STATE", dir.join("state.sh"))
        .output()
        .expect("run bash");
    let status = match output.status.code() {
        Some(124) => format!("timed out after {} s", BLOCK_TIMEOUT.as_secs()),
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_owned(),
    };
    Outcome {
        success: output.status.success(),
        status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Compares an outcome with what the block states.
fn check(block: &Block, outcome: &Outcome) -> Result<(), String> {
    let got = output_lines(&outcome.stdout);
    let expected: Vec<&str> = block.expected.iter().map(String::as_str).collect();
    let problem = if !outcome.success {
        format!("the block failed ({})", outcome.status)
    } else if !lines_match(&expected, &got) {
        if expected.is_empty() {
            "the block printed output but states none (add `# →` lines or an output block)"
                .to_owned()
        } else {
            "the output differs from what the page states".to_owned()
        }
    } else {
        return Ok(());
    };
    Err(format!(
        "{problem}\n--- commands\n{}\n--- stated output\n{}\n--- actual output\n{}\n--- stderr\n{}",
        block.code,
        numbered(&expected),
        numbered(&got),
        outcome.stderr.trim_end()
    ))
}

/// The lines of standard output (none when it is empty).
fn output_lines(stdout: &str) -> Vec<&str> {
    if stdout.is_empty() {
        return Vec::new();
    }
    stdout
        .strip_suffix('\n')
        .unwrap_or(stdout)
        .split('\n')
        .collect()
}

fn numbered(lines: &[&str]) -> String {
    if lines.is_empty() {
        return "(nothing)".to_owned();
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{:>3} | {l}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The wildcard of expected output.
const ANY: &str = "…";

/// Line-by-line match, where a line that is only `…` takes any number of lines.
fn lines_match(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == ANY => {
            (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line_matches(first, line) && lines_match(rest, more)),
    }
}

/// One line, where `…` takes any text (a glob with one kind of wildcard).
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split(ANY).collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == line;
    }
    if line.len() < first.len() + last.len() || !line.starts_with(first) || !line.ends_with(last) {
        return false;
    }
    let mut middle = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match middle.find(part) {
            Some(at) => middle = &middle[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// A scratch directory for one run of the guide, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        use rand::Rng;
        let n: u64 = rand::rng().random();
        let path = std::env::temp_dir().join(format!("cms-guide-{n:016x}"));
        std::fs::create_dir_all(&path).expect("create scratch dir");
        Self(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn wildcards_match_within_a_line_and_across_lines() {
    assert!(line_matches(
        r#"{"id":13,"etag":"…"}"#,
        r#"{"id":13,"etag":"a13v3-9f"}"#
    ));
    assert!(line_matches("a…b…c", "aXbYc"));
    assert!(line_matches("…", ""));
    assert!(!line_matches(r#"{"id":13,…}"#, r#"{"id":14,"x":1}"#));
    assert!(!line_matches("ab…ba", "aba"));
    assert!(lines_match(
        &["{", "…", "}"],
        &["{", "  \"a\": 1,", "  \"b\": 2", "}"]
    ));
    assert!(lines_match(&["{", "…", "}"], &["{", "}"]));
    assert!(!lines_match(&["204"], &["204", "401"]));
    assert!(!lines_match(&[], &["unexpected"]));
}

#[test]
fn fences_follow_the_rules() {
    let guide = "# Title\n\n```sh\ncurl -s $BASE/health/live\n# → {\"status\":\"ok\"}\n```\n\n\
                 ## Next\n\n```sh not-run\ncargo run\n```\n\n```sh\necho '{}'\n```\n```json output\n{}\n```\n";
    let blocks = parse(guide).unwrap();
    assert_eq!(blocks.len(), 3);
    assert_eq!(blocks[0].expected, [r#"{"status":"ok"}"#]);
    assert_eq!((blocks[0].line, blocks[0].first), (3, 4));
    assert!(!blocks[1].run);
    assert_eq!(blocks[1].section, "Next");
    assert_eq!(blocks[2].expected, ["{}"]);
    for bad in [
        "```bash\nls\n```\n",
        "```sh no-run\nls\n```\n",
        "```sh\nls\n```\n```json\n{}\n```\n",
        "text\n```json output\n{}\n```\n",
        "```sh\nls\n# → x\n```\n```text output\nx\n```\n",
        "```sh\nls\n",
    ] {
        assert!(parse(bad).is_err(), "accepted: {bad}");
    }
}

#[test]
fn a_false_statement_is_reported() {
    let blocks = parse("```sh\necho 201\n# → 200\n```\n").unwrap();
    let outcome = Outcome {
        success: true,
        status: "exit status 0".to_owned(),
        stdout: "201\n".to_owned(),
        stderr: String::new(),
    };
    let report = check(&blocks[0], &outcome).unwrap_err();
    assert!(report.contains("differs"), "{report}");
    let silent = parse("```sh\necho hi\n```\n").unwrap();
    let outcome = Outcome {
        stdout: "hi\n".to_owned(),
        ..outcome
    };
    assert!(check(&silent[0], &outcome).is_err());
}
