//! Upgrading a database that already holds comments: the
//! `comment_visibility` migration back-fills `visible` on both backends.

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

use crate::harness::{pg_admin_url, pg_connect, with_database};

/// Threads as the first schema stored them: 1 → 2 → 3 approved; 4 trashed
/// with approved 5 → 6 below it; 7 a pending reply to 1.
const BEFORE: &str = "
INSERT INTO authors (id, slug, name) VALUES (1, 'desk', 'Desk');
INSERT INTO articles (id, slug, title, body, body_html, author_id, status)
    VALUES (1, 'story', 'Story', 'Text', '<p>Text</p>', 1, 'published');
INSERT INTO comments (id, article_id, parent_id, depth, author_name, author_email, body, status) VALUES
    (1, 1, NULL, 0, 'A', 'a@x.example', 'one', 'approved'),
    (2, 1, 1, 1, 'B', 'b@x.example', 'two', 'approved'),
    (3, 1, 2, 2, 'C', 'c@x.example', 'three', 'approved'),
    (4, 1, NULL, 0, 'D', 'd@x.example', 'four', 'trash'),
    (5, 1, 4, 1, 'E', 'e@x.example', 'five', 'approved'),
    (6, 1, 5, 2, 'F', 'f@x.example', 'six', 'approved'),
    (7, 1, 1, 1, 'G', 'g@x.example', 'seven', 'pending');
";

const SHOWN: [i64; 3] = [1, 2, 3];

/// Applies the first migration, stores `BEFORE`, then the rest.
fn upgrade<C>(conn: &mut C, migrations: fn() -> EmbeddedMigrations)
where
    C: MigrationHarness<C::Backend> + Connection + SimpleConnection,
{
    conn.run_next_migration(migrations())
        .expect("first migration");
    conn.batch_execute(BEFORE)
        .expect("rows of the first schema");
    let applied = conn.run_pending_migrations(migrations()).expect("upgrade");
    assert!(!applied.is_empty(), "there are later migrations");
}

#[test]
fn sqlite_upgrade_backfills_comment_visibility() {
    let path = std::env::temp_dir().join(format!("cms-upgrade-{:08x}.db", rand::random::<u32>()));
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    upgrade(&mut conn, || cms::db::migrate::SQLITE);
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let shown: Vec<i64> = diesel::RunQueryDsl::load::<Row>(
        diesel::sql_query("SELECT id FROM comments WHERE visible ORDER BY id"),
        &mut conn,
    )
    .unwrap()
    .into_iter()
    .map(|r| r.id)
    .collect();
    drop(conn);
    let _ = std::fs::remove_file(&path);
    assert_eq!(shown, SHOWN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_upgrade_backfills_comment_visibility() {
    let admin_url = pg_admin_url();
    let admin = pg_connect(&admin_url).await;
    let name = format!("cms_upgrade_{:08x}", rand::random::<u32>());
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = with_database(&admin_url, &name);
    let upgraded = {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn =
                <AsyncConnectionWrapper<AsyncPgConnection> as Connection>::establish(&url).unwrap();
            upgrade(&mut conn, || cms::db::migrate::POSTGRES);
        })
        .await
    };
    let shown = if upgraded.is_ok() {
        let client = pg_connect(&url).await;
        let rows = client
            .query("SELECT id FROM comments WHERE visible ORDER BY id", &[])
            .await
            .unwrap();
        drop(client);
        Some(rows.iter().map(|r| r.get::<_, i64>(0)).collect::<Vec<_>>())
    } else {
        None
    };
    admin
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
    upgraded.expect("migrations applied");
    assert_eq!(shown.unwrap(), SHOWN);
}
