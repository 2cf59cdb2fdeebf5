//! Writes every exported table to a stream, in file order, a page of
//! [`BATCH`](super::BATCH) rows at a time (keyset by id), from one
//! consistent snapshot: memory stays that of one page whatever the size of
//! the database.

use std::io::Write;

use super::format::{
    ArticleLine, ArticleRow, AuthorRow, CommentLine, CommentRow, Header, Kind, Line, MediaRow,
    RevisionRow, TagRow, UserLine, UserRow, FORMAT, VERSION,
};
use super::rows::{self, Rows};
use super::{progress, Counts, TransferError};
use crate::db::{Backend, Conn, Db};

/// What to export.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Include password hashes and commenters' IPs and user agents.
    pub secrets: bool,
    /// Rows per query ([`super::BATCH`] by default).
    pub batch: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            secrets: false,
            batch: super::BATCH,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Rows per kind.
    pub rows: Counts,
    /// Queries (pages) per kind.
    pub pages: Counts,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exported {}", self.rows)
    }
}

/// Exports the content of `db` to `out` (flushed at the end).
pub async fn export(db: &Db, out: impl Write, options: Options) -> Result<Summary, TransferError> {
    let mut conn = db.reader().await?;
    // A read-only snapshot: every page sees the database as it was at the
    // first (WAL readers on SQLite; REPEATABLE READ on PostgreSQL).
    let begin = match conn.backend() {
        Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        Backend::Sqlite => "BEGIN DEFERRED",
    };
    conn.batch_execute(begin).await?;
    let mut exporter = Exporter {
        out: std::io::BufWriter::new(out),
        options,
        summary: Summary::default(),
        bar: progress::bar(None, "exporting"),
    };
    let result = exporter.all(&mut conn).await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = conn.batch_execute(end).await;
    exporter.bar.finish_and_clear();
    result?;
    ended?;
    exporter.out.flush()?;
    Ok(exporter.summary)
}

struct Exporter<W: Write> {
    out: std::io::BufWriter<W>,
    options: Options,
    summary: Summary,
    bar: indicatif::ProgressBar,
}

impl<W: Write> Exporter<W> {
    async fn all(&mut self, conn: &mut Conn) -> Result<(), TransferError> {
        let secrets = self.options.secrets;
        self.write(&Line::Header(Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: crate::db::time::now(),
            backend: match conn.backend() {
                Backend::Postgres => "postgres",
                Backend::Sqlite => "sqlite",
            }
            .to_owned(),
            secrets,
        }))?;
        self.table::<AuthorRow>(conn, Kind::Author, Line::Author)
            .await?;
        self.table::<TagRow>(conn, Kind::Tag, Line::Tag).await?;
        self.table::<UserRow>(conn, Kind::User, |row| {
            Line::User(UserLine::of(row, secrets))
        })
        .await?;
        self.table::<MediaRow>(conn, Kind::Media, Line::Media)
            .await?;
        self.articles(conn).await?;
        self.table::<RevisionRow>(conn, Kind::Revision, Line::Revision)
            .await?;
        self.table::<CommentRow>(conn, Kind::Comment, |row| {
            Line::Comment(CommentLine::of(row, secrets))
        })
        .await
    }

    /// One table, page by page.
    async fn table<R: Rows>(
        &mut self,
        conn: &mut Conn,
        kind: Kind,
        line: impl Fn(R) -> Line,
    ) -> Result<(), TransferError> {
        let mut after = 0;
        loop {
            let page = R::page(conn, after, self.limit()).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.id();
            let full = page.len() as i64 == self.limit();
            self.counted(kind, page.len());
            for row in page {
                self.write(&line(row))?;
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// Articles, each page with its tags (one more query per page).
    async fn articles(&mut self, conn: &mut Conn) -> Result<(), TransferError> {
        let mut after = 0;
        loop {
            let page = ArticleRow::page(conn, after, self.limit()).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.id;
            let full = page.len() as i64 == self.limit();
            let ids: Vec<i64> = page.iter().map(|a| a.id).collect();
            let mut tags = rows::tag_ids(conn, &ids).await?;
            self.counted(Kind::Article, page.len());
            for row in page {
                let tag_ids = tags.remove(&row.id).unwrap_or_default();
                self.write(&Line::Article(ArticleLine::of(row, tag_ids)))?;
            }
            if !full {
                return Ok(());
            }
        }
    }

    fn limit(&self) -> i64 {
        i64::try_from(self.options.batch.max(1)).unwrap_or(i64::MAX)
    }

    fn counted(&mut self, kind: Kind, rows: usize) {
        self.summary.rows.add(kind, rows as u64);
        self.summary.pages.add(kind, 1);
        self.bar.inc(rows as u64);
    }

    fn write(&mut self, line: &Line) -> Result<(), TransferError> {
        serde_json::to_writer(&mut self.out, line).map_err(std::io::Error::from)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }
}
