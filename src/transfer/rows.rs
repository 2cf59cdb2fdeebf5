//! The queries of export and import: each table read in keyset pages by id,
//! looked up by ids, and written one row at a time (so a refused row is
//! known by its line).

use std::collections::HashMap;

use diesel::prelude::{ExpressionMethods, Insertable, QueryDsl, SelectableHelper};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use super::format::{ArticleRow, AuthorRow, CommentRow, MediaRow, RevisionRow, TagRow, UserRow};
use crate::db::schema::{
    article_revisions, article_tags, articles, authors, comments, media, tags, users,
};
use crate::db::{Backend, Conn, ConnMut};

/// A table's rows as the export reads them and the import writes them.
pub(crate) trait Rows: Sized + PartialEq {
    /// The row's id.
    fn id(&self) -> i64;
    /// Up to `limit` rows with an id above `after`, by id.
    async fn page(conn: &mut Conn, after: i64, limit: i64) -> QueryResult<Vec<Self>>;
    /// The stored rows with these ids.
    async fn by_ids(conn: &mut Conn, ids: &[i64]) -> QueryResult<Vec<Self>>;
    /// Inserts the row with its id.
    async fn insert(&self, conn: &mut Conn) -> QueryResult<()>;
    /// Inserts these rows, ids included, in one statement.
    async fn insert_all(conn: &mut Conn, rows: &[Self]) -> QueryResult<()>;
    /// Overwrites the stored row of the same id.
    async fn update(&self, conn: &mut Conn) -> QueryResult<()>;
}

macro_rules! rows_of {
    ($($row:ty => $table:ident),+ $(,)?) => {$(
        impl Rows for $row {
            fn id(&self) -> i64 {
                self.id
            }

            async fn page(conn: &mut Conn, after: i64, limit: i64) -> QueryResult<Vec<Self>> {
                run!(conn, c => {
                    $table::table
                        .filter($table::id.gt(after))
                        .order_by($table::id)
                        .limit(limit)
                        .select(<$row>::as_select())
                        .load(c)
                        .await
                })
            }

            async fn by_ids(conn: &mut Conn, ids: &[i64]) -> QueryResult<Vec<Self>> {
                run!(conn, c => {
                    $table::table
                        .filter($table::id.eq_any(ids))
                        .select(<$row>::as_select())
                        .load(c)
                        .await
                })
            }

            async fn insert(&self, conn: &mut Conn) -> QueryResult<()> {
                run!(conn, c => diesel::insert_into($table::table).values(self).execute(c).await)
                    .map(drop)
            }

            async fn insert_all(conn: &mut Conn, rows: &[Self]) -> QueryResult<()> {
                // SQLite (in process, no round trips) takes them one by one:
                // diesel-async has no multi-row insert for it.
                if let ConnMut::Pg(c) = conn.get() {
                    return diesel::insert_into($table::table).values(rows).execute(c).await.map(drop);
                }
                for row in rows {
                    row.insert(conn).await?;
                }
                Ok(())
            }

            async fn update(&self, conn: &mut Conn) -> QueryResult<()> {
                run!(conn, c => diesel::update($table::table.find(self.id)).set(self).execute(c).await)
                    .map(drop)
            }
        }
    )+};
}

rows_of!(
    AuthorRow => authors,
    TagRow => tags,
    UserRow => users,
    MediaRow => media,
    ArticleRow => articles,
    RevisionRow => article_revisions,
    CommentRow => comments,
);

/// The tag ids of these articles, each list in display order.
pub(crate) async fn tag_ids(
    conn: &mut Conn,
    article_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<i64>>> {
    let pairs: Vec<(i64, i64)> = run!(conn, c => {
        article_tags::table
            .filter(article_tags::article_id.eq_any(article_ids))
            .order_by((article_tags::article_id, article_tags::position))
            .select((article_tags::article_id, article_tags::tag_id))
            .load(c)
            .await
    })?;
    let mut by_article: HashMap<i64, Vec<i64>> = HashMap::new();
    for (article_id, tag_id) in pairs {
        by_article.entry(article_id).or_default().push(tag_id);
    }
    Ok(by_article)
}

/// One tag of an article at its display position.
#[derive(Debug, Insertable)]
#[diesel(table_name = article_tags)]
pub(crate) struct ArticleTag {
    pub article_id: i64,
    pub tag_id: i64,
    pub position: i32,
}

/// The tags of new articles, in one statement.
pub(crate) async fn insert_tags(conn: &mut Conn, rows: &[ArticleTag]) -> QueryResult<()> {
    if let ConnMut::Pg(c) = conn.get() {
        return diesel::insert_into(article_tags::table)
            .values(rows)
            .execute(c)
            .await
            .map(drop);
    }
    for row in rows {
        run!(conn, c => diesel::insert_into(article_tags::table).values(row).execute(c).await)?;
    }
    Ok(())
}

/// The tables with generated ids.
const ID_TABLES: [&str; 7] = [
    "authors",
    "tags",
    "users",
    "media",
    "articles",
    "article_revisions",
    "comments",
];

/// Moves each table's id generator past its highest id, so the next
/// create does not collide with an imported row: PostgreSQL's identity
/// sequences, SQLite's `sqlite_sequence` (AUTOINCREMENT). Never moves one
/// back.
pub(crate) async fn bump_sequences(conn: &mut Conn) -> QueryResult<()> {
    let sql = match conn.backend() {
        Backend::Postgres => {
            let tables = ID_TABLES.map(|t| format!("'{t}'")).join(", ");
            format!(
                "DO $$ DECLARE t text; s text; m bigint; BEGIN
                 FOREACH t IN ARRAY ARRAY[{tables}] LOOP
                   s := pg_get_serial_sequence(t, 'id');
                   EXECUTE format('SELECT max(id) FROM %I', t) INTO m;
                   IF m IS NOT NULL THEN
                     EXECUTE format('SELECT setval(%L, greatest(%s, (SELECT last_value FROM %s)))',
                                    s, m, s);
                   END IF;
                 END LOOP; END $$;"
            )
        }
        Backend::Sqlite => ID_TABLES
            .iter()
            .map(|t| {
                format!(
                    "INSERT INTO sqlite_sequence (name, seq) SELECT '{t}', max(id) FROM {t} \
                       WHERE EXISTS (SELECT 1 FROM {t}) \
                       AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '{t}'); \
                     UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM {t}) \
                       WHERE name = '{t}' AND seq < (SELECT max(id) FROM {t});"
                )
            })
            .collect(),
    };
    conn.batch_execute(&sql).await
}
