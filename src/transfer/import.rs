//! Loads an export file: the whole file is checked first
//! ([`validate`](super::validate)), then read again and written in batches
//! of [`BATCH`](super::BATCH) lines, one transaction each. Rows are keyed
//! by id: inserted when absent, updated when different, left alone when
//! identical, so importing a file twice changes nothing the second time.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::format::{
    ArticleLine, ArticleRow, AuthorRow, CommentLine, CommentRow, Kind, Line, MediaRow, RevisionRow,
    TagRow, UserLine, UserRow,
};
use super::rows::{self, Rows};
use super::validate::{parse, validate, Checked};
use super::{progress, Counts, TransferError, BATCH};
use crate::db::{Conn, Db};

/// What an import did, per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows that were absent.
    pub inserted: Counts,
    /// Rows that differed (for articles: or their tags did).
    pub updated: Counts,
    /// Rows already identical.
    pub unchanged: Counts,
}

impl Summary {
    fn merge(&mut self, other: &Summary) {
        for kind in Kind::RECORDS {
            self.inserted.add(kind, other.inserted.get(kind));
            self.updated.add(kind, other.updated.get(kind));
            self.unchanged.add(kind, other.unchanged.get(kind));
        }
    }

    fn record(&mut self, kind: Kind, outcome: Outcome) {
        let counts = match outcome {
            Outcome::Inserted => &mut self.inserted,
            Outcome::Updated => &mut self.updated,
            Outcome::Unchanged => &mut self.unchanged,
        };
        counts.add(kind, 1);
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<10} {:>9} {:>9} {:>9}",
            "type", "inserted", "updated", "unchanged"
        )?;
        for kind in Kind::RECORDS {
            writeln!(
                f,
                "{:<10} {:>9} {:>9} {:>9}",
                kind.name(),
                self.inserted.get(kind),
                self.updated.get(kind),
                self.unchanged.get(kind)
            )?;
        }
        write!(
            f,
            "{:<10} {:>9} {:>9} {:>9}",
            "total",
            self.inserted.total(),
            self.updated.total(),
            self.unchanged.total()
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Inserted,
    Updated,
    Unchanged,
}

/// Checks `path`, then loads it into `db`.
pub async fn import(db: &Db, path: &Path) -> Result<Summary, TransferError> {
    let checked = validate(BufReader::new(std::fs::File::open(path)?))?;
    load(db, path, &checked).await
}

async fn load(db: &Db, path: &Path, checked: &Checked) -> Result<Summary, TransferError> {
    let mut conn = db.writer().await?;
    let bar = progress::bar(Some(checked.lines as u64), "importing");
    let mut summary = Summary::default();
    let mut batch: Vec<(usize, Line)> = Vec::with_capacity(BATCH);
    let input = BufReader::new(std::fs::File::open(path)?);
    for (index, text) in input.lines().enumerate().skip(1) {
        let number = index + 1;
        // Checked already; a file changed since is still caught here.
        let line = text
            .map_err(|e| e.to_string())
            .and_then(|text| parse(&text))
            .map_err(|message| TransferError::Line {
                line: number,
                message,
            })?;
        batch.push((number, line));
        if batch.len() == BATCH {
            summary.merge(&write_batch(&mut conn, &batch).await?);
            bar.inc(batch.len() as u64);
            batch.clear();
        }
    }
    if !batch.is_empty() {
        summary.merge(&write_batch(&mut conn, &batch).await?);
    }
    bar.finish_and_clear();
    Ok(summary)
}

/// One batch in one transaction: all of it, or none of it.
async fn write_batch(conn: &mut Conn, batch: &[(usize, Line)]) -> Result<Summary, TransferError> {
    let first = batch.first().map_or(0, |(n, _)| *n);
    let last = batch.last().map_or(0, |(n, _)| *n);
    let result = conn
        .transaction(async |conn| {
            let mut summary = Summary::default();
            for run in batch.chunk_by(|a, b| a.1.kind() == b.1.kind()) {
                match run[0].1.kind() {
                    Kind::Header => {}
                    Kind::Author => apply::<AuthorRow>(conn, run, &mut summary).await?,
                    Kind::Tag => apply::<TagRow>(conn, run, &mut summary).await?,
                    Kind::User => apply::<UserLine>(conn, run, &mut summary).await?,
                    Kind::Media => apply::<MediaRow>(conn, run, &mut summary).await?,
                    Kind::Article => apply::<ArticleLine>(conn, run, &mut summary).await?,
                    Kind::Revision => apply::<RevisionRow>(conn, run, &mut summary).await?,
                    Kind::Comment => apply::<CommentLine>(conn, run, &mut summary).await?,
                }
            }
            // In each batch: a later batch that fails leaves the rows
            // committed so far with sequences past them.
            rows::bump_sequences(conn).await?;
            Ok::<_, TransferError>(summary)
        })
        .await;
    result.map_err(|e| match e {
        TransferError::Database(message) => TransferError::Database(format!(
            "the batch of lines {first}-{last} was not written: {message}"
        )),
        other => other,
    })
}

/// A record of the file and the row it stores.
trait Incoming: Sized {
    type Row: Rows;
    const KIND: Kind;
    /// This record, if `line` holds one of its kind.
    fn pick(line: &Line) -> Option<&Self>;
    fn id(&self) -> i64;
    /// The row to store, given the stored one (which keeps what the file
    /// leaves out: a password hash, a commenter's IP).
    fn row(&self, stored: Option<&Self::Row>) -> Self::Row;
}

macro_rules! incoming {
    ($($ty:ty => $row:ty, $kind:ident, |$line:ident, $stored:ident| $body:expr;)+) => {$(
        impl Incoming for $ty {
            type Row = $row;
            const KIND: Kind = Kind::$kind;
            fn pick(line: &Line) -> Option<&Self> {
                match line {
                    Line::$kind(record) => Some(record),
                    _ => None,
                }
            }
            fn id(&self) -> i64 {
                self.id
            }
            fn row(&self, stored: Option<&Self::Row>) -> Self::Row {
                let ($line, $stored) = (self, stored);
                $body
            }
        }
    )+};
}

incoming! {
    AuthorRow => AuthorRow, Author, |line, _stored| line.clone();
    TagRow => TagRow, Tag, |line, _stored| line.clone();
    UserLine => UserRow, User, |line, stored| line.row(stored);
    MediaRow => MediaRow, Media, |line, _stored| line.clone();
    ArticleLine => ArticleRow, Article, |line, _stored| line.row();
    RevisionRow => RevisionRow, Revision, |line, _stored| line.clone();
    CommentLine => CommentRow, Comment, |line, stored| line.row(stored);
}

/// Writes a run of lines of one kind: the stored rows are read in one
/// query; changed rows are updated one by one, new rows inserted together
/// (one statement; if the database refuses it, one at a time, to name the
/// line), identical rows left alone.
async fn apply<I: Incoming>(
    conn: &mut Conn,
    run: &[(usize, Line)],
    summary: &mut Summary,
) -> Result<(), TransferError> {
    let records: Vec<(usize, &Line, &I)> = run
        .iter()
        .filter_map(|(number, line)| I::pick(line).map(|r| (*number, line, r)))
        .collect();
    let ids: Vec<i64> = records.iter().map(|(_, _, r)| r.id()).collect();
    let mut stored: HashMap<i64, I::Row> = I::Row::by_ids(conn, &ids)
        .await?
        .into_iter()
        .map(|row| (row.id(), row))
        .collect();
    let mut tags = match I::KIND {
        Kind::Article => Some(rows::tag_ids(conn, &ids).await?),
        _ => None,
    };
    let mut fresh: Vec<(usize, I::Row)> = Vec::new();
    let mut fresh_tags: Vec<(usize, &ArticleLine)> = Vec::new();
    for (number, line, record) in records {
        let existing = stored.remove(&record.id());
        let row = record.row(existing.as_ref());
        let mut outcome = match existing {
            None => {
                fresh.push((number, row));
                Outcome::Inserted
            }
            Some(existing) if existing == row => Outcome::Unchanged,
            Some(_) => {
                row.update(conn)
                    .await
                    .map_err(refused::<I>(number, record.id()))?;
                Outcome::Updated
            }
        };
        if let (Some(tags), Line::Article(article)) = (&mut tags, line) {
            let current = tags.remove(&article.id).unwrap_or_default();
            if outcome == Outcome::Inserted {
                fresh_tags.push((number, article));
            } else if current != article.tag_ids {
                crate::articles::model::replace_tags(conn, article.id, &article.tag_ids)
                    .await
                    .map_err(refused::<I>(number, article.id))?;
                outcome = Outcome::Updated;
            }
        }
        summary.record(I::KIND, outcome);
    }
    insert_fresh::<I>(conn, fresh).await?;
    insert_fresh_tags(conn, &fresh_tags).await
}

/// The error of a line the database refused.
fn refused<I: Incoming>(number: usize, id: i64) -> impl Fn(diesel::result::Error) -> TransferError {
    move |e| TransferError::Line {
        line: number,
        message: format!("the database refused {} {id}: {e}", I::KIND.name()),
    }
}

/// New rows in one statement (in a savepoint); if it fails, one at a
/// time, so the refused line is known.
async fn insert_fresh<I: Incoming>(
    conn: &mut Conn,
    fresh: Vec<(usize, I::Row)>,
) -> Result<(), TransferError> {
    if fresh.is_empty() {
        return Ok(());
    }
    let (numbers, rows): (Vec<usize>, Vec<I::Row>) = fresh.into_iter().unzip();
    let together = conn
        .transaction(async |conn| I::Row::insert_all(conn, &rows).await)
        .await;
    if together.is_ok() {
        return Ok(());
    }
    for (number, row) in numbers.into_iter().zip(&rows) {
        row.insert(conn)
            .await
            .map_err(refused::<I>(number, row.id()))?;
    }
    Ok(())
}

/// The tags of new articles, likewise.
async fn insert_fresh_tags(
    conn: &mut Conn,
    fresh: &[(usize, &ArticleLine)],
) -> Result<(), TransferError> {
    let rows: Vec<rows::ArticleTag> = fresh
        .iter()
        .flat_map(|(_, article)| {
            article
                .tag_ids
                .iter()
                .zip(0i32..)
                .map(|(tag_id, position)| rows::ArticleTag {
                    article_id: article.id,
                    tag_id: *tag_id,
                    position,
                })
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let together = conn
        .transaction(async |conn| rows::insert_tags(conn, &rows).await)
        .await;
    if together.is_ok() {
        return Ok(());
    }
    for (number, article) in fresh {
        crate::articles::model::replace_tags(conn, article.id, &article.tag_ids)
            .await
            .map_err(refused::<ArticleLine>(*number, article.id))?;
    }
    Ok(())
}
