//! The export format: NDJSON, one object per line, its `type` first.
//!
//! The first line is the [`Header`]; then authors, tags, users, media,
//! articles, revisions and comments, in that order (every reference points
//! to an earlier line or to a row already stored), each type by ascending
//! id. Records hold their table's columns under the same names, except:
//!
//! - articles carry `tag_ids` (in display order) and leave out what is
//!   derived from the body (`body_html`, `body_lead`, `word_count`,
//!   `reading_time_minutes`), which the import derives again;
//! - users carry `password_hash` only in an export `--with-secrets`;
//! - comments carry `ip` and `user_agent` only in an export `--with-secrets`
//!   (their email always).

use chrono::NaiveDateTime;
use diesel::prelude::{AsChangeset, Insertable, Queryable, Selectable};
use serde::{Deserialize, Deserializer, Serialize};

use crate::articles::content::derive;
use crate::articles::workflow::Status;
use crate::auth::Role;
use crate::comments::status::CommentStatus;
use crate::db::schema::{article_revisions, articles, authors, comments, media, tags, users};
use crate::media::format::ImageFormat;

/// The header's `format`.
pub const FORMAT: &str = "cms-export";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// The stored hash of a user imported without one: no password verifies
/// against it (it is not a PHC string), so an admin must set a password.
pub const UNUSABLE_PASSWORD_HASH: &str = "!imported-without-password";

/// One line of an export file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Line {
    /// The first line: what the file is.
    Header(Header),
    /// An author profile.
    Author(AuthorRow),
    /// A tag.
    Tag(TagRow),
    /// An account.
    User(UserLine),
    /// A media item's row (not its files).
    Media(MediaRow),
    /// An article and its tags.
    Article(ArticleLine),
    /// A stored version of an article.
    Revision(RevisionRow),
    /// A reader comment.
    Comment(CommentLine),
}

/// The kinds of line, in the order a file holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Header,
    Author,
    Tag,
    User,
    Media,
    Article,
    Revision,
    Comment,
}

impl Kind {
    /// Every record kind (not the header), in file order.
    pub const RECORDS: [Kind; 7] = [
        Kind::Author,
        Kind::Tag,
        Kind::User,
        Kind::Media,
        Kind::Article,
        Kind::Revision,
        Kind::Comment,
    ];

    /// The `type` of its lines.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Header => "header",
            Kind::Author => "author",
            Kind::Tag => "tag",
            Kind::User => "user",
            Kind::Media => "media",
            Kind::Article => "article",
            Kind::Revision => "revision",
            Kind::Comment => "comment",
        }
    }
}

impl Line {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Line::Header(_) => Kind::Header,
            Line::Author(_) => Kind::Author,
            Line::Tag(_) => Kind::Tag,
            Line::User(_) => Kind::User,
            Line::Media(_) => Kind::Media,
            Line::Article(_) => Kind::Article,
            Line::Revision(_) => Kind::Revision,
            Line::Comment(_) => Kind::Comment,
        }
    }

    /// The record's id (0 for the header).
    pub fn id(&self) -> i64 {
        match self {
            Line::Header(_) => 0,
            Line::Author(r) => r.id,
            Line::Tag(r) => r.id,
            Line::User(r) => r.id,
            Line::Media(r) => r.id,
            Line::Article(r) => r.id,
            Line::Revision(r) => r.id,
            Line::Comment(r) => r.id,
        }
    }
}

/// The first line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version ([`VERSION`]).
    pub version: u32,
    /// When the export started (UTC).
    pub exported_at: NaiveDateTime,
    /// The backend it came from (`postgres` or `sqlite`), for the record.
    pub backend: String,
    /// Whether password hashes and commenters' IPs and browsers are in it.
    pub secrets: bool,
}

/// An author, as stored.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, Queryable, Selectable, Insertable, AsChangeset,
)]
#[diesel(table_name = authors, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct AuthorRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub website: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A tag, as stored.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, Queryable, Selectable, Insertable, AsChangeset,
)]
#[diesel(table_name = tags, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct TagRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A user row, hash included (never serialized as such: see [`UserLine`]).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub author_id: Option<i64>,
    pub disabled: bool,
    pub sessions_valid_after: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A user line: the hash only with secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserLine {
    pub id: i64,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    pub role: Role,
    pub author_id: Option<i64>,
    pub disabled: bool,
    pub sessions_valid_after: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UserLine {
    /// The line of `row`, with its hash if `secrets`.
    pub fn of(row: UserRow, secrets: bool) -> Self {
        Self {
            id: row.id,
            email: row.email,
            password_hash: secrets.then_some(row.password_hash),
            role: row.role,
            author_id: row.author_id,
            disabled: row.disabled,
            sessions_valid_after: row.sessions_valid_after,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }

    /// The row to store: without a hash in the file, the stored one stays
    /// (a new user gets [`UNUSABLE_PASSWORD_HASH`]).
    pub fn row(&self, existing: Option<&UserRow>) -> UserRow {
        let password_hash = match (&self.password_hash, existing) {
            (Some(hash), _) => hash.clone(),
            (None, Some(stored)) => stored.password_hash.clone(),
            (None, None) => UNUSABLE_PASSWORD_HASH.to_owned(),
        };
        UserRow {
            id: self.id,
            email: self.email.clone(),
            password_hash,
            role: self.role,
            author_id: self.author_id,
            disabled: self.disabled,
            sessions_valid_after: self.sessions_valid_after,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A media item's row, as stored (its files are not exported).
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, Queryable, Selectable, Insertable, AsChangeset,
)]
#[diesel(table_name = media, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct MediaRow {
    pub id: i64,
    pub content_hash: String,
    pub storage_key: String,
    pub format: ImageFormat,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    /// The stored files (a JSON array, as stored).
    pub variants: String,
    pub filename: String,
    pub title: String,
    pub alt_text: String,
    pub caption: String,
    pub credit: String,
    pub search_text: String,
    pub focal_x: Option<f64>,
    pub focal_y: Option<f64>,
    pub uploaded_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An article row with every column, the derived ones included.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = articles, treat_none_as_null = true)]
pub struct ArticleRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: Option<String>,
    pub body: String,
    pub body_html: String,
    pub status: Status,
    pub publish_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub author_id: i64,
    pub featured_image_url: Option<String>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub word_count: i32,
    pub reading_time_minutes: i32,
    pub comments_open: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub body_lead: Option<String>,
    pub featured_image_id: Option<i64>,
    pub trashed_at: Option<NaiveDateTime>,
}

/// An article line: the row without what the body derives, with its tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleLine {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: Option<String>,
    pub body: String,
    pub status: Status,
    pub publish_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub author_id: i64,
    pub featured_image_url: Option<String>,
    pub featured_image_id: Option<i64>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub comments_open: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub trashed_at: Option<NaiveDateTime>,
    /// Tag ids in display order.
    pub tag_ids: Vec<i64>,
}

impl ArticleLine {
    /// The line of `row` with its tags.
    pub fn of(row: ArticleRow, tag_ids: Vec<i64>) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            title: row.title,
            excerpt: row.excerpt,
            body: row.body,
            status: row.status,
            publish_at: row.publish_at,
            published_at: row.published_at,
            author_id: row.author_id,
            featured_image_url: row.featured_image_url,
            featured_image_id: row.featured_image_id,
            meta_title: row.meta_title,
            meta_description: row.meta_description,
            canonical_url: row.canonical_url,
            comments_open: row.comments_open,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            trashed_at: row.trashed_at,
            tag_ids,
        }
    }

    /// The row to store, its derived columns derived as every write does.
    pub fn row(&self) -> ArticleRow {
        let derived = derive(&self.body);
        ArticleRow {
            id: self.id,
            slug: self.slug.clone(),
            title: self.title.clone(),
            excerpt: self.excerpt.clone(),
            body: self.body.clone(),
            body_html: derived.body_html,
            status: self.status,
            publish_at: self.publish_at,
            published_at: self.published_at,
            author_id: self.author_id,
            featured_image_url: self.featured_image_url.clone(),
            meta_title: self.meta_title.clone(),
            meta_description: self.meta_description.clone(),
            canonical_url: self.canonical_url.clone(),
            word_count: derived.word_count,
            reading_time_minutes: derived.reading_time_minutes,
            comments_open: self.comments_open,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            body_lead: Some(derived.body_lead),
            featured_image_id: self.featured_image_id,
            trashed_at: self.trashed_at,
        }
    }
}

/// A revision, as stored.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, Queryable, Selectable, Insertable, AsChangeset,
)]
#[diesel(table_name = article_revisions, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct RevisionRow {
    pub id: i64,
    pub article_id: i64,
    pub version: i32,
    pub title: String,
    pub body: String,
    pub editor_id: Option<i64>,
    pub created_at: NaiveDateTime,
    /// What made the version (`RevisionAction`'s name).
    pub action: String,
    /// The article's content at that version (JSON text, as stored).
    pub snapshot: Option<String>,
}

/// A comment row, private fields included.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = comments, treat_none_as_null = true)]
pub struct CommentRow {
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub author_name: String,
    pub author_email: String,
    pub author_url: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    pub user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub visible: bool,
}

/// A comment line: `ip` and `user_agent` only with secrets (absent: the
/// stored values stay; `null`: none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentLine {
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub author_name: String,
    pub author_email: String,
    pub author_url: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    pub user_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub ip: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_agent: Option<Option<String>>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub visible: bool,
}

/// A field that is present (`null` included): `Some`; absent: the default.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

impl CommentLine {
    /// The line of `row`, with IP and browser if `secrets`.
    pub fn of(row: CommentRow, secrets: bool) -> Self {
        Self {
            id: row.id,
            article_id: row.article_id,
            parent_id: row.parent_id,
            depth: row.depth,
            author_name: row.author_name,
            author_email: row.author_email,
            author_url: row.author_url,
            body: row.body,
            status: row.status,
            user_id: row.user_id,
            ip: secrets.then_some(row.ip),
            user_agent: secrets.then_some(row.user_agent),
            created_at: row.created_at,
            updated_at: row.updated_at,
            visible: row.visible,
        }
    }

    /// The row to store: private fields absent from the file keep their
    /// stored values (none for a new comment).
    pub fn row(&self, existing: Option<&CommentRow>) -> CommentRow {
        let kept = |line: &Option<Option<String>>, stored: fn(&CommentRow) -> &Option<String>| {
            match line {
                Some(value) => value.clone(),
                None => existing.and_then(|row| stored(row).clone()),
            }
        };
        CommentRow {
            id: self.id,
            article_id: self.article_id,
            parent_id: self.parent_id,
            depth: self.depth,
            author_name: self.author_name.clone(),
            author_email: self.author_email.clone(),
            author_url: self.author_url.clone(),
            body: self.body.clone(),
            status: self.status,
            user_id: self.user_id,
            ip: kept(&self.ip, |row| &row.ip),
            user_agent: kept(&self.user_agent, |row| &row.user_agent),
            created_at: self.created_at,
            updated_at: self.updated_at,
            visible: self.visible,
        }
    }
}
