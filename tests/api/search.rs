//! `q`: full-text search over title, excerpt and body, on each backend's
//! own index, with the same answers and the same draft rules as any list.

use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, TestApp};

both_backends!(
    search_finds_every_word_as_a_prefix,
    search_follows_edits_and_visibility,
    search_syntax_ranking_and_snippets
);

/// Creates an article with `title` and `body` by `author`; publishes it
/// unless `draft`. Returns its id.
async fn article(app: &TestApp, author: &Value, title: &str, body: &str, draft: bool) -> Value {
    let (status, created) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": title, "body": body, "author_id": author["id"] }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    if !draft {
        fixtures::publish(app, &created["id"]).await;
    }
    created["id"].clone()
}

/// Titles found by `GET /api/v1/articles?<query>`, anonymously.
async fn titles(app: &TestApp, query: &str) -> Vec<String> {
    let (status, list) = app.public_get(&format!("/api/v1/articles?{query}")).await;
    assert_eq!(status, 200, "{query}: {list}");
    let titles: Vec<String> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(list["meta"]["total"], titles.len(), "{query}: {list}");
    titles
}

async fn search_finds_every_word_as_a_prefix(app: TestApp) {
    let desk = fixtures::author(&app, "Search Desk").await;
    article(
        &app,
        &desk,
        "Election night in Lagos",
        "Results came in late.",
        false,
    )
    .await;
    article(
        &app,
        &desk,
        "Football",
        "The club’s board elections were postponed.",
        false,
    )
    .await;
    article(&app, &desk, "Election draft", "Secret results.", true).await;
    article(
        &app,
        &desk,
        "Weather",
        "Rain, then sun: 3.14 mm at example.com, says desk@news.example.",
        false,
    )
    .await;

    // Best match first: a word in the title outweighs one in the body.
    let best_first = ["Election night in Lagos", "Football"];
    assert_eq!(titles(&app, "q=election").await, best_first);
    assert_eq!(titles(&app, "q=ELECT").await, best_first, "case and prefix");
    assert_eq!(
        titles(&app, "q=election&sort=-published_at").await,
        ["Football", "Election night in Lagos"]
    );
    assert_eq!(
        titles(&app, "q=election%20results").await,
        ["Election night in Lagos"]
    );
    assert_eq!(
        titles(&app, "q=board,elections").await,
        ["Football"],
        "punctuation splits words"
    );
    assert_eq!(
        titles(&app, "q=club%E2%80%99s").await,
        ["Football"],
        "curly apostrophe"
    );
    assert_eq!(
        titles(&app, "q=election&sort=title").await,
        ["Election night in Lagos", "Football"]
    );
    assert!(titles(&app, "q=snow").await.is_empty());
    // Hosts, decimals and e-mail-like text split at their punctuation on
    // both backends (PostgreSQL's parser alone would keep them whole).
    for (query, title) in [
        ("q=example.com", "Weather"),
        ("q=com", "Weather"),
        ("q=3.14", "Weather"),
        ("q=14", "Weather"),
        ("q=desk%40news", "Weather"),
        ("q=rai", "Weather"),
        ("q=mm", "Weather"),
    ] {
        assert_eq!(titles(&app, query).await, [title], "{query}");
    }
    // Words shorter than three characters match whole words only.
    assert!(titles(&app, "q=ra").await.is_empty());
    // Operators of either search syntax are just punctuation here.
    assert!(titles(&app, "q=%22%2A%20OR%20%3A%2A%20%21")
        .await
        .is_empty());
    // Only an exclusion: nothing to look for.
    assert!(titles(&app, "q=-results%2A").await.is_empty());

    // Relevance pages by number; the search is carried along.
    let (_, page2) = app
        .public_get("/api/v1/articles?q=election&per_page=1&page=2")
        .await;
    assert_eq!(page2["data"][0]["title"], "Football", "{page2}");
    assert_eq!(page2["meta"]["next_cursor"], Value::Null, "{page2}");
    // Date order walks with cursors, which carry the search along.
    let res = app
        .get("/api/v1/articles?q=election&per_page=1&sort=-published_at")
        .await;
    let link = res.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.contains("q=election"), "{link}");
    let first: Value = res.json().await.unwrap();
    let cursor = first["meta"]["next_cursor"].as_str().unwrap().to_owned();
    let (_, second) = app
        .public_get(&format!(
            "/api/v1/articles?q=election&per_page=1&cursor={cursor}"
        ))
        .await;
    assert_eq!(
        second["data"][0]["title"], "Election night in Lagos",
        "{second}"
    );
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_eq!(second["meta"]["next_cursor"], Value::Null);

    for bad in ["q=", "q=%20%20"] {
        let problem = assert_problem(
            app.get(&format!("/api/v1/articles?{bad}")).await,
            400,
            "invalid_query",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "q", "{problem}");
    }
    let long = "a".repeat(201);
    assert_problem(
        app.get(&format!("/api/v1/articles?q={long}")).await,
        400,
        "invalid_query",
    )
    .await;
}

async fn search_follows_edits_and_visibility(app: TestApp) {
    let desk = fixtures::author(&app, "Edit Desk").await;
    let kept = article(
        &app,
        &desk,
        "Budget vote",
        "Parliament passed the budget.",
        false,
    )
    .await;
    let edited = article(&app, &desk, "Markets", "Budget worries hit shares.", false).await;
    let draft = article(&app, &desk, "Budget leak", "Not yet.", true).await;
    assert_eq!(
        titles(&app, "q=budget&sort=-published_at").await,
        ["Markets", "Budget vote"]
    );

    // Drafts are found by staff only.
    let (_, staff) = app
        .admin_get("/api/v1/articles?status=draft&q=budget")
        .await;
    assert_eq!(staff["meta"]["total"], 1, "{staff}");
    assert_eq!(staff["data"][0]["id"], draft);
    assert_problem(
        app.get("/api/v1/articles?status=draft&q=budget").await,
        403,
        "forbidden",
    )
    .await;

    // The index follows edits and deletes at once.
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/articles/{edited}"),
            json!({ "body": "Shares rallied.", "excerpt": "A calm day" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(titles(&app, "q=budget").await, ["Budget vote"]);
    assert_eq!(
        titles(&app, "q=calm").await,
        ["Markets"],
        "excerpt is searched"
    );
    let res = app
        .admin(Method::DELETE, &format!("/api/v1/articles/{kept}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(titles(&app, "q=budget").await.is_empty());
    let res = app
        .admin(
            Method::POST,
            &format!("/api/v1/articles/{edited}/unpublish"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        titles(&app, "q=calm").await.is_empty(),
        "unpublished is not found"
    );
}

async fn search_syntax_ranking_and_snippets(app: TestApp) {
    let desk = fixtures::author(&app, "Syntax Desk").await;
    for (title, body) in [
        ("City hall budget", "The city hall budget passed."),
        ("Hall of fame", "A city of halls: the budget of the hall."),
        (
            "Rail yard",
            "The rail yard plan, and its <script>alert(1)</script> budget & tax.",
        ),
        ("Storm warning", "A storm warning for the coast."),
        ("Flood warning", "Flood warning issued downriver."),
    ] {
        article(&app, &desk, title, body, false).await;
    }
    assert_eq!(
        titles(&app, "q=%22city%20hall%22&sort=title").await,
        ["City hall budget"],
        "a phrase needs its words adjacent and in order"
    );
    assert_eq!(
        titles(&app, "q=budget%20-%22city%20hall%22&sort=title").await,
        ["Hall of fame", "Rail yard"],
        "an excluded phrase"
    );
    assert_eq!(
        titles(&app, "q=budget%20-rail%20-city&sort=title").await,
        Vec::<String>::new(),
        "excluded words (the hall of fame body says city)"
    );
    assert_eq!(
        titles(&app, "q=storm%20or%20flood%20warning&sort=title").await,
        ["Flood warning", "Storm warning"],
        "alternatives"
    );
    assert_eq!(
        titles(&app, "q=budget").await[0],
        "City hall budget",
        "the title match ranks first"
    );

    let (_, found) = app.public_get("/api/v1/articles?q=tax").await;
    let snippet = found["data"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>tax</mark>"), "{snippet}");
    // Body text is escaped (SQLite) or its tags dropped (PostgreSQL's
    // ts_headline): never markup of its own.
    assert!(
        !snippet.contains("<script") && snippet.matches('<').count() == 2,
        "{snippet}"
    );
    assert!(snippet.contains("alert(1)"), "{snippet}");
    let (_, sparse) = app
        .public_get("/api/v1/articles?q=tax&fields=slug,snippet")
        .await;
    let keys: Vec<&String> = sparse["data"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "slug", "snippet"], "{sparse}");
    let (_, plain) = app.public_get("/api/v1/articles").await;
    assert!(plain["data"][0].get("snippet").is_none(), "{plain}");

    assert_problem(
        app.get("/api/v1/articles?sort=relevance").await,
        400,
        "invalid_query",
    )
    .await;
    assert_problem(
        app.get("/api/v1/articles?q=tax&sort=relevance&cursor=pd.n.5")
            .await,
        400,
        "invalid_query",
    )
    .await;
}
