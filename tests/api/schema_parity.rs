//! Both migration folders must produce the same tables and columns (name,
//! type family, nullability), so one Diesel `schema.rs` fits both backends.
//! The full-text indexes are backend-specific and left out: SQLite's
//! `articles_search` (an FTS5 table and its shadow tables) and PostgreSQL's
//! stored `articles.search_vector` and `search_head` columns (not in
//! `schema.rs` either).

use std::collections::BTreeMap;

use diesel::sql_types::{Integer, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};

use crate::harness::pg_connect;

/// table → column → (type family, nullable)
type Columns = BTreeMap<String, BTreeMap<String, (String, bool)>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_and_sqlite_migrations_define_the_same_columns() {
    let pg = postgres_columns().await;
    let sqlite = sqlite_columns().await;
    assert!(
        pg.len() >= 10,
        "expected the whole schema, got {:?}",
        pg.keys()
    );
    assert_eq!(
        pg.keys().collect::<Vec<_>>(),
        sqlite.keys().collect::<Vec<_>>(),
        "tables differ"
    );
    for (table, columns) in &pg {
        assert_eq!(columns, &sqlite[table], "columns of `{table}` differ");
    }
}

fn family(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    match t.as_str() {
        "bigint" | "int8" => "bigint",
        "integer" | "int4" | "int" => "integer",
        "text" => "text",
        "boolean" | "bool" => "boolean",
        "double precision" | "double" => "double",
        "timestamp" | "timestamp without time zone" => "timestamp",
        other => panic!("unexpected column type {other}"),
    }
    .to_owned()
}

async fn postgres_columns() -> Columns {
    let app = crate::harness::TestApp::spawn(crate::harness::Backend::Postgres).await;
    let client = pg_connect(&app.database_url).await;
    let rows = client
        .query(
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
             AND NOT (table_name = 'articles' AND column_name IN ('search_vector', 'search_head'))",
            &[],
        )
        .await
        .unwrap();
    let mut out = Columns::new();
    for row in rows {
        let (table, column, ty, nullable): (String, String, String, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        out.entry(table)
            .or_default()
            .insert(column, (family(&ty), nullable == "YES"));
    }
    out
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

async fn sqlite_columns() -> Columns {
    let dir = std::env::temp_dir().join(format!("cms-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("parity.db");
    let _ = std::fs::remove_file(&path);
    let path_str = path.to_string_lossy().into_owned();
    cms::db::migrate::run_pending(&cms::config::DatabaseUrl::Sqlite(path_str.clone()))
        .await
        .unwrap();
    let mut conn = SqliteConnection::establish(&path_str).unwrap();
    let rows: Vec<SqliteColumn> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
                p.\"notnull\" AS not_null, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
           AND m.name <> '__diesel_schema_migrations' \
           AND m.name NOT LIKE 'articles_search%'",
    )
    .load(&mut conn)
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let mut out = Columns::new();
    for c in rows {
        // `INTEGER PRIMARY KEY` is SQLite's 64-bit rowid alias: a BIGINT id.
        let is_rowid = c.pk == 1 && c.data_type.eq_ignore_ascii_case("integer");
        let ty = if is_rowid {
            "bigint".to_owned()
        } else {
            family(&c.data_type)
        };
        let nullable = c.not_null == 0 && c.pk == 0;
        out.entry(c.table_name)
            .or_default()
            .insert(c.column_name, (ty, nullable));
    }
    out
}
