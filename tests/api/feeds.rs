//! Feeds through HTTP on both backends, read back with a real feed parser
//! (feed-rs): what readers may see and nothing else, newest first, links
//! from the URL template, tag and author feeds, escaping, validators, the
//! public cache's invalidation and the excerpt mode.

use chrono::{DateTime, Datelike, Utc};
use feed_rs::model::{Entry, Feed, FeedType};
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{assert_problem, both_backends_with, TestApp};

both_backends_with!(
    [
        ("SITE_URL", "https://news.example/"),
        ("SITE_NAME", "Harbour “Times” & Co"),
        ("ARTICLE_URL_TEMPLATE", "/{yyyy}/{mm}/{dd}/{slug}"),
        ("SITE_LANGUAGE", "en-gb"),
    ],
    site_feeds_show_what_readers_see_newest_first,
    tag_and_author_feeds_filter
);
both_backends_with!(
    [("FEED_CONTENT", "excerpt"), ("FEED_ITEMS", "2")],
    excerpt_feeds_carry_the_excerpt_and_the_newest_items
);

/// A title, an excerpt and a body with curly quotes, `&` and angle brackets
/// (written for these tests, in the manner of real wire copy).
pub const QUOTED_TITLE: &str = "Zarif: “Fruitful talks” & what’s next <in the Gulf>";
pub const QUOTED_EXCERPT: &str = "Zarif’s “very timely” visit & its <aftermath>";
pub const QUOTED_BODY: &str = "“Unlike others who fuel insecurity,” Zarif wrote, Iran & Russia \
    seek “stability and security”.\n\nLavrov pointed to Zarif’s **“very timely”** visit & said \
    the talks went well.";

/// The articles of a small newsroom.
pub struct Newsroom {
    /// Oldest published first: the quoted one (Ana; ports, energy), then
    /// Omar's (energy), then Ana's tide tables (ports).
    pub published: Vec<Value>,
}

/// Creates an article through the API (a draft).
pub async fn article(app: &TestApp, author: &Value, title: &str, body: Value) -> Value {
    let mut request = json!({ "title": title, "author_id": author["id"] });
    request
        .as_object_mut()
        .unwrap()
        .extend(body.as_object().unwrap().clone());
    let (status, created) = app
        .admin_json(Method::POST, "/api/v1/articles", request)
        .await;
    assert_eq!(status, 201, "{created}");
    created
}

/// Three published articles, and a draft, a trashed and a scheduled one
/// that no feed may show.
pub async fn newsroom(app: &TestApp) -> Newsroom {
    let ana = fixtures::author(app, "Ana Ruiz").await;
    let omar = fixtures::author(app, "Omar Haddad").await;
    fixtures::tag(app, "Ports & Harbours").await;
    fixtures::tag(app, "Energy").await;
    let quoted = article(
        app,
        &ana,
        QUOTED_TITLE,
        json!({ "excerpt": QUOTED_EXCERPT, "body": QUOTED_BODY, "tags": ["ports-harbours", "energy"] }),
    )
    .await;
    let mut published = vec![fixtures::publish(app, &quoted["id"]).await];
    published
        .push(fixtures::published(app, &omar["id"], "Grid upgrade finished", &["energy"]).await);
    published.push(
        fixtures::published(
            app,
            &ana["id"],
            "Tide tables for the week",
            &["ports-harbours"],
        )
        .await,
    );

    fixtures::draft(app, &ana["id"], "Draft about the port", &["ports-harbours"]).await;
    let trashed =
        fixtures::published(app, &ana["id"], "Trashed port story", &["ports-harbours"]).await;
    let res = app
        .admin(
            Method::DELETE,
            &format!("/api/v1/articles/{}", trashed["id"]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let scheduled = fixtures::draft(app, &omar["id"], "Embargoed energy plan", &["energy"]).await;
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{}/publish", scheduled["id"]),
            json!({ "publish_at": "2099-01-01T08:00:00Z" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "scheduled");
    Newsroom { published }
}

/// `GET path`: the parsed feed, and the response's headers.
pub async fn feed(app: &TestApp, path: &str) -> (Feed, reqwest::header::HeaderMap) {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    let headers = res.headers().clone();
    let bytes = res.bytes().await.unwrap();
    let parsed = feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| {
        panic!(
            "{path} does not parse: {e}\n{}",
            String::from_utf8_lossy(&bytes)
        )
    });
    (parsed, headers)
}

fn titles(feed: &Feed) -> Vec<String> {
    feed.entries.iter().map(title).collect()
}

fn title(entry: &Entry) -> String {
    entry.title.as_ref().expect("a title").content.clone()
}

/// An RFC 3339 timestamp of a JSON answer.
pub fn at(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// `at` to the whole second, as feeds write dates.
fn to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap()
}

/// The address the template gives an article on https://news.example.
fn expected_link(article: &Value) -> String {
    let published = at(&article["published_at"]);
    format!(
        "https://news.example/{:04}/{:02}/{:02}/{}",
        published.year(),
        published.month(),
        published.day(),
        article["slug"].as_str().unwrap()
    )
}

const FORMATS: [(&str, FeedType, &str); 3] = [
    (
        "rss.xml",
        FeedType::RSS2,
        "application/rss+xml; charset=utf-8",
    ),
    (
        "atom.xml",
        FeedType::Atom,
        "application/atom+xml; charset=utf-8",
    ),
    ("feed.json", FeedType::JSON, "application/feed+json"),
];

async fn site_feeds_show_what_readers_see_newest_first(app: TestApp) {
    let room = newsroom(&app).await;
    let newest_first: Vec<&Value> = room.published.iter().rev().collect();
    let expected_titles: Vec<&str> = newest_first
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let mut ids_by_format = Vec::new();
    for (file, kind, content_type) in FORMATS {
        let path = format!("/feeds/{file}");
        let (feed, headers) = feed(&app, &path).await;
        assert_eq!(feed.feed_type, kind, "{path}");
        assert_eq!(headers["content-type"], content_type, "{path}");
        assert_eq!(headers["cache-control"], "public, max-age=60", "{path}");
        assert_eq!(
            feed.title.as_ref().unwrap().content,
            "Harbour “Times” & Co",
            "{path}"
        );
        // Drafts, the trash and the embargoed article are absent; newest first.
        assert_eq!(titles(&feed), expected_titles, "{path}");
        for (entry, article) in feed.entries.iter().zip(&newest_first) {
            assert_eq!(entry.links[0].href, expected_link(article), "{path}");
            assert_eq!(
                entry.published,
                Some(to_second(at(&article["published_at"]))),
                "{path}: {}",
                title(entry)
            );
            assert!(
                entry.id.starts_with("tag:news.example,"),
                "{path}: id {}",
                entry.id
            );
        }
        let quoted = feed.entries.last().unwrap();
        let article = newest_first.last().unwrap();
        // The curly quotes, `&` and `<>` survive escaping and parsing exactly.
        assert_eq!(title(quoted), QUOTED_TITLE, "{path}");
        // (feed-rs trims the final line break of Atom content.)
        assert_eq!(
            quoted
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref())
                .map(str::trim_end),
            article["body_html"].as_str().map(str::trim_end),
            "{path}: the full body"
        );
        assert!(article["body_html"].as_str().unwrap().contains("&amp;"));
        assert_eq!(
            quoted.summary.as_ref().map(|s| s.content.as_str()),
            Some(QUOTED_EXCERPT),
            "{path}"
        );
        let authors: Vec<_> = quoted
            .authors
            .iter()
            .map(|p| p.name.clone().unwrap_or_default())
            .collect();
        assert_eq!(authors, ["Ana Ruiz"], "{path}");
        let categories: Vec<(&str, Option<&str>)> = quoted
            .categories
            .iter()
            .map(|c| (c.term.as_str(), c.label.as_deref()))
            .collect();
        let expected: Vec<(&str, Option<&str>)> = match kind {
            FeedType::Atom => vec![
                ("ports-harbours", Some("Ports & Harbours")),
                ("energy", Some("Energy")),
            ],
            _ => vec![("Ports & Harbours", None), ("Energy", None)],
        };
        assert_eq!(categories, expected, "{path}");
        ids_by_format.push(
            feed.entries
                .iter()
                .map(|e| e.id.clone())
                .collect::<Vec<_>>(),
        );

        // The same representation again: 304 with its ETag.
        let etag = headers["etag"].to_str().unwrap().to_owned();
        let res = app
            .request(Method::GET, &path)
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 304, "{path}");
        assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
        assert!(res.bytes().await.unwrap().is_empty());
    }
    // One stable id per article, whatever the format.
    assert!(
        ids_by_format.windows(2).all(|w| w[0] == w[1]),
        "{ids_by_format:?}"
    );

    let rss = app.get("/feeds/rss.xml").await.text().await.unwrap();
    assert!(
        rss.contains("<guid isPermaLink=\"false\">tag:news.example,"),
        "{rss}"
    );
    assert!(rss.contains("<language>en-gb</language>"), "{rss}");
    // RFC 822 dates: `Mon, 05 Jan 2026 08:00:00 GMT`.
    let pub_date = regex::Regex::new(
        r"<pubDate>(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT</pubDate>",
    )
    .unwrap();
    assert_eq!(pub_date.find_iter(&rss).count(), 3, "{rss}");

    // A new article shows at once: the public cache's answer is dropped.
    let (_, before) = feed(&app, "/feeds/atom.xml").await;
    let author = &room.published[0]["author_id"];
    let fresh = fixtures::published(&app, author, "Ferry timetable changes", &[]).await;
    let (after, headers) = feed(&app, "/feeds/atom.xml").await;
    assert_eq!(title(&after.entries[0]), "Ferry timetable changes");
    assert_eq!(after.entries[0].links[0].href, expected_link(&fresh));
    assert_ne!(before["etag"], headers["etag"]);
}

async fn tag_and_author_feeds_filter(app: TestApp) {
    newsroom(&app).await;
    let cases = [
        (
            "/feeds/tags/ports-harbours/rss.xml",
            vec!["Tide tables for the week", QUOTED_TITLE],
            "Harbour “Times” & Co: Ports & Harbours",
        ),
        (
            "/feeds/tags/energy/atom.xml",
            vec!["Grid upgrade finished", QUOTED_TITLE],
            "Harbour “Times” & Co: Energy",
        ),
        (
            "/feeds/authors/ana-ruiz/feed.json",
            vec!["Tide tables for the week", QUOTED_TITLE],
            "Harbour “Times” & Co: Ana Ruiz",
        ),
        (
            "/feeds/authors/omar-haddad/rss.xml",
            vec!["Grid upgrade finished"],
            "Harbour “Times” & Co: Omar Haddad",
        ),
    ];
    for (path, expected, feed_title) in cases {
        let (feed, _) = feed(&app, path).await;
        assert_eq!(titles(&feed), expected, "{path}");
        assert_eq!(feed.title.unwrap().content, feed_title, "{path}");
    }
    // The self link is the feed's own address on the site.
    let json: Value = app
        .get("/feeds/tags/energy/feed.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        json["feed_url"],
        "https://news.example/feeds/tags/energy/feed.json"
    );
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");

    // A tag with nothing public yet: an empty, valid feed.
    fixtures::tag(&app, "Quiet").await;
    for (file, _, _) in FORMATS {
        let (feed, _) = feed(&app, &format!("/feeds/tags/quiet/{file}")).await;
        assert!(feed.entries.is_empty(), "{file}");
    }
    for path in [
        "/feeds/tags/no-such-tag/rss.xml",
        "/feeds/tags/no-such-tag/feed.json",
        "/feeds/authors/nobody/atom.xml",
    ] {
        assert_problem(app.get(path).await, 404, "not_found").await;
    }
}

async fn excerpt_feeds_carry_the_excerpt_and_the_newest_items(app: TestApp) {
    let room = newsroom(&app).await;
    let (rss, _) = feed(&app, "/feeds/rss.xml").await;
    assert_eq!(
        titles(&rss),
        ["Tide tables for the week", "Grid upgrade finished"],
        "FEED_ITEMS=2 keeps the two newest"
    );
    for entry in &rss.entries {
        assert!(entry.content.is_none(), "no full body: {entry:?}");
        assert!(entry.summary.is_some());
    }
    assert_eq!(
        rss.entries[0].summary.as_ref().unwrap().content,
        room.published[2]["excerpt"].as_str().unwrap()
    );
    let (atom, _) = feed(&app, "/feeds/tags/ports-harbours/atom.xml").await;
    assert_eq!(titles(&atom), ["Tide tables for the week", QUOTED_TITLE]);
    assert!(atom.entries.iter().all(|e| e.content.is_none()));
    assert_eq!(
        atom.entries[1].summary.as_ref().unwrap().content,
        QUOTED_EXCERPT
    );
    let json: Value = app.get("/feeds/feed.json").await.json().await.unwrap();
    for item in json["items"].as_array().unwrap() {
        assert!(item.get("content_html").is_none(), "{item}");
        assert_eq!(item["content_text"], item["summary"], "{item}");
    }
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
}
