//! `docs/configuration.md` and `.env.example` cannot fall behind the code:
//! every variable `Config::from_lookup` asks for must be in both, and
//! neither may list a server setting the code no longer reads.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cms::config::Config;

const DOC: &str = "docs/configuration.md";
const ENV_EXAMPLE: &str = ".env.example";

/// The heading of the doc's section for variables that only the tests,
/// the benchmark and the scripts read (not the server).
const TOOLS_SECTION: &str = "Variables of the tests, the benchmark and the scripts";

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// Every variable name `from_lookup` asks for, given these values.
fn asked(values: &BTreeMap<String, String>) -> (BTreeSet<String>, Result<Config, String>) {
    let asked = RefCell::new(BTreeSet::new());
    let config = Config::from_lookup(|name| {
        asked.borrow_mut().insert(name.to_owned());
        values.get(name).cloned()
    })
    .map_err(|e| e.to_string());
    (asked.into_inner(), config)
}

/// `NAME=value` and commented-out `# NAME=value` lines of `.env.example`.
fn env_example() -> BTreeMap<String, (String, bool)> {
    let mut out = BTreeMap::new();
    for line in read(ENV_EXAMPLE).lines() {
        let (commented, rest) = match line.strip_prefix('#') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line),
        };
        let Some((name, value)) = rest.split_once('=') else {
            continue;
        };
        if is_variable_name(name) {
            let value = value.trim().trim_matches('"').to_owned();
            out.entry(name.to_owned()).or_insert((value, commented));
        }
    }
    out
}

fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Table rows of the doc whose first cell is `` `NAME` ``, with the `##`
/// section they are in.
fn documented() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut section = String::new();
    for line in read(DOC).lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim().to_owned();
        }
        let Some(cell) = line.strip_prefix("| `") else {
            continue;
        };
        if let Some((name, _)) = cell.split_once("` |") {
            if is_variable_name(name) {
                out.insert(name.to_owned(), section.clone());
            }
        }
    }
    out
}

#[test]
fn every_setting_the_server_reads_is_documented_and_in_the_example() {
    // With nothing set, every optional branch asks for its variable; with
    // the example's values, the branches that only run when something is
    // set ask for theirs.
    let (mut names, config) = asked(&BTreeMap::new());
    config.expect("an empty environment is a valid configuration");
    let example = env_example();
    let values: BTreeMap<String, String> = example
        .iter()
        .map(|(name, (value, _))| (name.clone(), value.clone()))
        .collect();
    let (more, config) = asked(&values);
    if let Err(e) = config {
        panic!("the values in {ENV_EXAMPLE} (commented ones included) are not a valid configuration: {e}");
    }
    names.extend(more);
    assert!(
        names.len() >= 30,
        "only {} variables asked for",
        names.len()
    );

    let documented = documented();
    let undocumented: Vec<&String> = names
        .iter()
        .filter(|n| documented.get(*n).is_none_or(|s| s == TOOLS_SECTION))
        .collect();
    assert!(
        undocumented.is_empty(),
        "read by Config::from_lookup but without a `| `NAME` |` row in a server section of {DOC}: {undocumented:?}"
    );
    let missing: Vec<&String> = names.iter().filter(|n| !example.contains_key(*n)).collect();
    assert!(
        missing.is_empty(),
        "read by Config::from_lookup but not in {ENV_EXAMPLE} (as NAME= or # NAME=): {missing:?}"
    );

    let stale_doc: Vec<&String> = documented
        .iter()
        .filter(|(n, section)| *section != TOOLS_SECTION && !names.contains(*n))
        .map(|(n, _)| n)
        .collect();
    assert!(
        stale_doc.is_empty(),
        "{DOC} documents server settings the code does not read: {stale_doc:?}"
    );
    let stale_example: Vec<&String> = example.keys().filter(|n| !names.contains(*n)).collect();
    assert!(
        stale_example.is_empty(),
        "{ENV_EXAMPLE} sets variables the code does not read: {stale_example:?}"
    );
    assert!(
        documented.values().any(|s| s == TOOLS_SECTION),
        "{DOC} has no \"## {TOOLS_SECTION}\" section"
    );
}
