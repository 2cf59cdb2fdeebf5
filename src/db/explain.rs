//! `EXPLAIN` of a query built with Diesel, binds included, so tests can
//! check the plan of the very query the service runs (plan checks: a list
//! or a search that would scan the table fails the suite).

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{Integer, Text};

/// `EXPLAIN <query>`, its rows of SQL type `ST`.
#[derive(Debug, Clone, Copy)]
pub struct Explain<Q, ST> {
    query: Q,
    prefix: &'static str,
    rows: PhantomData<ST>,
}

/// PostgreSQL: one line of the text plan per row.
pub fn postgres<Q>(query: Q) -> Explain<Q, Text> {
    Explain {
        query,
        prefix: "EXPLAIN ",
        rows: PhantomData,
    }
}

/// SQLite: `EXPLAIN QUERY PLAN` rows (id, parent, unused, detail).
pub fn sqlite<Q>(query: Q) -> Explain<Q, (Integer, Integer, Integer, Text)> {
    Explain {
        query,
        prefix: "EXPLAIN QUERY PLAN ",
        rows: PhantomData,
    }
}

impl<Q, ST: 'static> QueryId for Explain<Q, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, ST: diesel::sql_types::SqlType> Query for Explain<Q, ST> {
    type SqlType = ST;
}

impl<Q, ST, DB> QueryFragment<DB> for Explain<Q, ST>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(self.prefix);
        self.query.walk_ast(out.reborrow())
    }
}
