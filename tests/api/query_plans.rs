//! Plan checks: on a realistic, ANALYZEd dataset (3,000 articles with
//! news-length bodies, some drafts, a tag on one in twenty), the queries a
//! list or a search page runs must use the intended index. A change that
//! makes either planner scan the articles table or sort whole rows fails
//! here, whatever the timings of the machine.

use chrono::Utc;
use cms::articles::listing::{plans, CursorKey, Filter, Sort};
use cms::articles::search::SearchTerms;
use cms::db::ConnMut;
use diesel_async::RunQueryDsl;

use crate::fixtures;
use crate::harness::{both_backends, Backend, TestApp};

both_backends!(list_and_search_queries_use_their_indexes);

const ARTICLES: i64 = 3000;

/// Inserts the dataset straight into the database (thousands of API calls
/// would take minutes), then has the planner gather statistics.
async fn seed(app: &TestApp) {
    let author = fixtures::author(app, "Plan Desk").await["id"]
        .as_i64()
        .unwrap();
    let tag = fixtures::tag(app, "Harbour").await["id"].as_i64().unwrap();
    let paragraph =
        "The council met again on Tuesday, and the harbour report was read aloud to a full hall. ";
    let mut conn = app.state.db.writer().await.unwrap();
    let statements = match app.backend {
        Backend::Postgres => vec![
            // Generating 3,000 search vectors outlasts the service's
            // statement timeout on a busy machine.
            "SET statement_timeout = 0".to_owned(),
            format!(
                "INSERT INTO articles (slug, title, body, body_html, author_id, status, published_at, body_lead) \
                 SELECT 'story-' || i, 'Story ' || i || ' ' || md5(i::text), \
                        repeat('{paragraph}', 50) || E'\\n\\n> rare' || i || ' ' || md5((i * 7)::text), \
                        '<p>x</p>', {author}, CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'published' END, \
                        CASE WHEN i % 10 = 0 THEN NULL ELSE timestamp '2026-01-01' + i * interval '1 minute' END, 'lead' \
                 FROM generate_series(1, {ARTICLES}) AS i"
            ),
            format!("INSERT INTO article_tags (article_id, tag_id, position) SELECT id, {tag}, 0 FROM articles WHERE id % 20 = 0"),
            // As autovacuum leaves a table at rest: statistics and a
            // visibility map (index-only scans depend on it).
            "VACUUM ANALYZE".to_owned(),
            "RESET statement_timeout".to_owned(),
        ],
        Backend::Sqlite => vec![
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ARTICLES}) \
                 INSERT INTO articles (slug, title, body, body_html, author_id, status, published_at, body_lead) \
                 SELECT 'story-' || i, 'Story ' || i || ' ' || hex(randomblob(8)), \
                        replace(hex(zeroblob(50)), '00', '{paragraph}') || char(10) || char(10) || '> rare' || i || ' ' || hex(randomblob(8)), \
                        '<p>x</p>', {author}, CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'published' END, \
                        CASE WHEN i % 10 = 0 THEN NULL ELSE datetime('2026-01-01', '+' || i || ' minutes') END, 'lead' \
                 FROM n"
            ),
            format!("INSERT INTO article_tags (article_id, tag_id, position) SELECT id, {tag}, 0 FROM articles WHERE id % 20 = 0"),
            "ANALYZE".to_owned(),
        ],
    };
    for sql in statements {
        match conn.get() {
            ConnMut::Pg(c) => diesel::sql_query(&sql).execute(c).await,
            ConnMut::Sqlite(c) => diesel::sql_query(&sql).execute(c).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

fn public() -> Filter {
    Filter::public(Utc::now().naive_utc())
}

fn searching(q: &str) -> Filter {
    Filter {
        search: Some(SearchTerms::parse(q).unwrap()),
        ..public()
    }
}

/// Fails unless every line of `plan` passes `ok` as a whole (PostgreSQL's
/// plan is one text; SQLite's is a list of steps).
fn check(app: &TestApp, case: &str, plan: &[String], must: &[&str], must_not: &[&str]) {
    let text = plan.join("\n") + "\n";
    for needle in must {
        assert!(
            text.contains(needle),
            "{case} on {:?}: expected `{needle}` in the plan:\n{text}",
            app.backend
        );
    }
    for needle in must_not {
        assert!(
            !text.contains(needle),
            "{case} on {:?}: `{needle}` in the plan:\n{text}",
            app.backend
        );
    }
}

async fn list_and_search_queries_use_their_indexes(app: TestApp) {
    seed(&app).await;
    let mut conn = app.state.db.reader().await.unwrap();
    let pg = app.backend == Backend::Postgres;
    // What a plan must never do: read the whole articles table, or sort
    // whole rows for a date-ordered page.
    let (scan, sort): (&[&str], &[&str]) = if pg {
        (
            &["Seq Scan on articles"],
            &["Sort Key: articles.published_at"],
        )
    } else {
        (
            &["SCAN articles\n", "SCAN articles USING"],
            &["USE TEMP B-TREE FOR ORDER BY"],
        )
    };
    let public_index: &[&str] = &["articles_public_idx"];
    let never: Vec<&str> = scan.iter().chain(sort).copied().collect();

    for (case, page) in [
        ("page 1", (0, 21)),
        ("a page 80% deep", (ARTICLES * 7 / 10, 21)),
    ] {
        let queries = plans(&mut conn, &public(), Sort::PublishedDesc, None, page)
            .await
            .unwrap();
        let [count, ids] = &queries[..] else {
            panic!("a list counts, then reads ids: {queries:?}");
        };
        check(&app, &format!("count of {case}"), count, &[], scan);
        check(&app, &format!("ids of {case}"), ids, public_index, &never);
    }

    // A cursor 80% deep starts its index range at the cursor.
    let deep = CursorKey {
        sort: Sort::PublishedDesc,
        at: Some(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
                .unwrap()
                .and_hms_opt(16, 0, 0)
                .unwrap(),
        ),
        title: None,
        id: ARTICLES * 3 / 10,
    };
    let queries = plans(
        &mut conn,
        &public(),
        Sort::PublishedDesc,
        Some(&deep),
        (0, 21),
    )
    .await
    .unwrap();
    let range: &[&str] = if pg {
        &["articles_public_idx", "Index Cond: ((published_at <= "]
    } else {
        &["SEARCH articles USING INDEX articles_public_idx (published_at<?)"]
    };
    check(&app, "ids after a deep cursor", &queries[1], range, &never);

    let search_index: &[&str] = if pg {
        &["articles_search_idx"]
    } else {
        &["VIRTUAL TABLE INDEX"]
    };
    // Searches by relevance count and rank in one query; in date order
    // PostgreSQL counts from the full-text index, then reads ids in index
    // order. Common words ("the", in every article, is shorter than a
    // prefix: an exact match) as well as rare.
    for q in ["rare1234", "council", "the", "\"harbour report\" -rare7"] {
        let queries = plans(&mut conn, &searching(q), Sort::Relevance, None, (0, 21))
            .await
            .unwrap();
        let [ids] = &queries[..] else {
            panic!("a search by relevance is one query: {queries:?}");
        };
        check(
            &app,
            &format!("q={q} by relevance"),
            ids,
            search_index,
            scan,
        );
        let queries = plans(&mut conn, &searching(q), Sort::PublishedDesc, None, (0, 21))
            .await
            .unwrap();
        let (count, ids) = match (app.backend, &queries[..]) {
            (Backend::Postgres, [count, ids]) => (count, ids),
            (Backend::Sqlite, [ids]) => (ids, ids),
            _ => panic!("unexpected queries: {queries:?}"),
        };
        check(
            &app,
            &format!("count of q={q} by date"),
            count,
            search_index,
            scan,
        );
        check(&app, &format!("ids of q={q} by date"), ids, &[], scan);
    }

    let tagged = Filter {
        tag: Some("harbour".to_owned()),
        ..public()
    };
    let queries = plans(&mut conn, &tagged, Sort::PublishedDesc, None, (0, 21))
        .await
        .unwrap();
    // A tag's ids may be sorted (id and date only, never whole rows); the
    // articles table is still never scanned.
    for plan in &queries {
        check(&app, "by tag", plan, &[], scan);
    }

    // Sitemap pages: a count, the page's first key from the index alone
    // (however deep), then the page as a range of the same index.
    for (case, offset) in [("first sitemap page", 0), ("a deep sitemap page", 2000)] {
        let now = Utc::now().naive_utc();
        let queries = cms::sitemaps::model::plans(&mut conn, now, offset, 100)
            .await
            .unwrap();
        let [count, key, rows] = &queries[..] else {
            panic!("a sitemap page counts, finds its key, reads its rows: {queries:?}");
        };
        check(&app, &format!("count of {case}"), count, &[], scan);
        check(&app, &format!("key of {case}"), key, public_index, &never);
        check(&app, &format!("rows of {case}"), rows, public_index, &never);
    }
}
