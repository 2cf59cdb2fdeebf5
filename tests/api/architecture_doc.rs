//! `docs/architecture.md` stays true: every path it names exists, and every
//! module under `src/` is on its map.

use std::path::Path;

#[test]
fn the_architecture_page_matches_the_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let named: Vec<&str> = page
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            ["src/", "tests/", "migrations/", "docs/"]
                .iter()
                .any(|p| s.starts_with(p))
        })
        .collect();
    assert!(named.len() > 30, "{} paths named", named.len());
    // `photos` is the checklist's example of a resource to add.
    for path in named.iter().filter(|p| !p.starts_with("src/photos/")) {
        assert!(
            root.join(path).exists(),
            "docs/architecture.md names {path}, which does not exist"
        );
    }
    for entry in std::fs::read_dir(root.join("src")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let shown = if name.ends_with(".rs") {
            format!("src/{name}")
        } else {
            format!("src/{name}/")
        };
        if name == "lib.rs" {
            continue;
        }
        assert!(
            named.contains(&shown.as_str()),
            "{shown} is not on the module map of docs/architecture.md"
        );
    }
}
