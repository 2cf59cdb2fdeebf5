//! Derived columns that a migration added but cannot compute (it would need
//! the Markdown renderer): filled at start, in small batches, so rows
//! written by earlier versions read as fast as new ones.

use diesel::prelude::{ExpressionMethods, QueryDsl};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use crate::db::schema::articles;
use crate::db::Conn;
use crate::text::markdown::first_paragraph;

/// Rows per batch (one short transaction each).
const BATCH: i64 = 200;

/// Derives `body_lead` where it is missing; returns how many rows changed.
pub async fn body_leads(conn: &mut Conn) -> QueryResult<usize> {
    let mut filled = 0;
    loop {
        let batch: Vec<(i64, String)> = run!(conn, c => {
            articles::table
                .filter(articles::body_lead.is_null())
                .select((articles::id, articles::body))
                .order_by(articles::id)
                .limit(BATCH)
                .load(c)
                .await?
        });
        if batch.is_empty() {
            return Ok(filled);
        }
        // Only where the lead is still missing: an edit of the body since
        // the read wrote the new body's lead, which an old one must not
        // overwrite (one conditional update, not check-then-write).
        filled += conn
            .transaction(async |conn| {
                let mut changed = 0;
                for (id, body) in &batch {
                    let lead = first_paragraph(body).unwrap_or_default();
                    changed += run!(conn, c => {
                        diesel::update(
                            articles::table
                                .filter(articles::id.eq(*id))
                                .filter(articles::body_lead.is_null()),
                        )
                        .set(articles::body_lead.eq(lead.as_str()))
                        .execute(c)
                        .await?
                    });
                }
                Ok::<_, diesel::result::Error>(changed)
            })
            .await?;
    }
}
