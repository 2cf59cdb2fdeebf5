//! The baseline: bare actix-web handlers with no middleware, extractors or
//! caching, calling the same model functions as the service (so the same
//! SQL) and writing the same JSON.

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpResponse, HttpServer};
use cms::articles::listing::{self, CursorKey, Filter, Sort};
use cms::articles::model;
use cms::articles::present::{present, Shape};
use cms::articles::search::SearchTerms;
use cms::db::time::now;
use cms::db::Db;
use cms::http::pagination::ListMeta;
use cms::http::params::IdOrSlug;

async fn article(db: web::Data<Db>, slug: web::Path<String>) -> HttpResponse {
    let at = now();
    let mut conn = db.reader().await.expect("connection");
    let row = model::find(&mut conn, &IdOrSlug::Slug(slug.into_inner()), Some(at))
        .await
        .expect("query")
        .expect("article");
    let mut body = present(
        &mut conn,
        vec![row],
        &Default::default(),
        &Shape::default(),
        at,
    )
    .await
    .expect("present");
    HttpResponse::Ok()
        .content_type("application/json")
        .body(serde_json::to_vec(&body.remove(0)).expect("json"))
}

/// Page 1 of the public list with author and tags embedded.
async fn articles(db: web::Data<Db>) -> HttpResponse {
    let shape = Shape {
        author: true,
        tags: true,
        fields: None,
    };
    list_json(&db, None, &shape).await
}

/// Page 1 of a search (`q`), nothing embedded.
async fn search(db: web::Data<Db>, q: web::Path<String>) -> HttpResponse {
    let terms = SearchTerms::parse(&q).expect("search words");
    list_json(&db, Some(terms), &Shape::default()).await
}

async fn list_json(db: &Db, search: Option<SearchTerms>, shape: &Shape) -> HttpResponse {
    let at = now();
    let filter = Filter {
        public_at: Some(at),
        status: None,
        own_author: None,
        tag: None,
        author: None,
        published_after: None,
        published_before: None,
        search,
    };
    let sort = Sort::default();
    let mut conn = db.reader().await.expect("connection");
    let page = listing::list(&mut conn, &filter, sort, None, (0, 20), shape.columns())
        .await
        .expect("list");
    let next_cursor = page
        .has_more
        .then(|| {
            page.rows
                .last()
                .and_then(|row| CursorKey::of(row, sort).map(|key| key.encode()))
        })
        .flatten();
    let data = present(&mut conn, page.rows, &page.snippets, shape, at)
        .await
        .expect("present");
    let meta = ListMeta {
        page: Some(1),
        per_page: 20,
        total: page.total,
        next_cursor,
    };
    let body = serde_json::json!({ "data": data, "meta": meta });
    HttpResponse::Ok()
        .content_type("application/json")
        .body(serde_json::to_vec(&body).expect("json"))
}

/// Starts the bare server on a free port; returns the port and its handle.
pub fn start(db: Db) -> (u16, ServerHandle) {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(db.clone()))
            .route("/article/{slug}", web::get().to(article))
            .route("/articles", web::get().to(articles))
            .route("/search/{q}", web::get().to(search))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("bind");
    let port = server.addrs()[0].port();
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    (port, handle)
}
