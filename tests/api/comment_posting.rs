//! Readers posting comments: the form, the rules, spam traps, rate limits
//! and privacy. Most tests run with no minimum fill time so a test can post
//! as soon as it has the form.

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{assert_problem, both_backends_with, send_json, TestApp};

both_backends_with!(
    [
        ("COMMENT_MIN_FILL_SECS", "0"),
        ("COMMENT_EMAIL_MAX", "20"),
        ("COMMENT_IP_MAX", "50"),
        ("COMMENT_BLOCKED_WORDS", "casino, cheap pills")
    ],
    form_describes_the_reply_box,
    posting_moderation_and_auto_approval,
    refusals,
    honeypot_and_content_rules,
    staff_comments_carry_their_author,
    hidden_comments_take_their_replies_with_them,
);
both_backends_with!([], too_fast_submissions_are_spam);
both_backends_with!(
    [("COMMENT_MIN_FILL_SECS", "0"), ("COMMENT_MAX_DEPTH", "2")],
    thread_depth_is_bounded,
);
both_backends_with!(
    [
        ("COMMENT_MIN_FILL_SECS", "0"),
        ("COMMENT_IP_MAX", "3"),
        ("COMMENT_EMAIL_MAX", "2")
    ],
    rate_limited_per_ip_and_email,
);
both_backends_with!(
    [
        ("COMMENT_MIN_FILL_SECS", "0"),
        ("COMMENT_IP_MAX", "100"),
        ("COMMENT_ARTICLE_MAX", "2"),
        ("COMMENT_AUTO_APPROVE", "false")
    ],
    rate_limited_per_article,
);
both_backends_with!(
    [
        ("COMMENT_MIN_FILL_SECS", "0"),
        ("COMMENT_IP_MAX", "1"),
        ("TRUSTED_PROXIES", "127.0.0.1")
    ],
    forwarded_for_is_believed_from_trusted_proxies_only,
);

/// A published article; returns its body.
async fn article(app: &TestApp, title: &str) -> Value {
    let author = fixtures::author(app, &format!("Writer of {title}")).await;
    fixtures::published(app, &author["id"], title, &[]).await
}

/// The form of `article` (by slug).
async fn form(app: &TestApp, article: &Value) -> Value {
    let (status, body) = app
        .public_get(&format!(
            "/api/v1/articles/{}/comment-form",
            article["slug"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// A valid submission from `email` with `text`.
fn reply(email: &str, text: &str) -> Value {
    json!({ "author_name": "Ana Reader", "author_email": email, "body": text })
}

/// A request posting `fields` (plus a fresh form token unless given) to
/// `article`.
async fn post_request(app: &TestApp, article: &Value, mut fields: Value) -> RequestBuilder {
    if fields.get("form_token").is_none() {
        let token = form(app, article).await["form_token"].clone();
        fields["form_token"] = token;
    }
    app.request(
        Method::POST,
        &format!("/api/v1/articles/{}/comments", article["id"]),
    )
    .json(&fields)
}

/// Posts `fields` to `article`; returns status and body.
async fn post(app: &TestApp, article: &Value, fields: Value) -> (u16, Value) {
    send_json(post_request(app, article, fields).await).await
}

async fn public_comments(app: &TestApp, article: &Value) -> Value {
    let (status, body) = app
        .public_get(&format!("/api/v1/articles/{}/comments", article["id"]))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The stored status of comment `id`, as moderators see it.
async fn stored_status(app: &TestApp, id: &Value) -> String {
    let (status, body) = app.admin_get(&format!("/api/v1/comments/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body["status"].as_str().unwrap().to_owned()
}

async fn form_describes_the_reply_box(app: TestApp) {
    let open = article(&app, "Open for comments").await;
    let body = form(&app, &open).await;
    assert_eq!(body["heading"], "Leave a Reply");
    assert_eq!(
        body["privacy_notice"],
        "Your email address will not be published."
    );
    assert_eq!(body["required_notice"], "Required fields are marked *");
    let fields = body["fields"].as_array().unwrap();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f["required"] == true)
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(required, ["body", "author_name", "author_email"]);
    assert_eq!(fields[0]["max_length"], 5000);
    assert_eq!(body["honeypot_field"], "honeypot");
    assert!(body["form_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(body["comments_open"], true);

    // A closed article says so and hands out no token.
    let (status, closed) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/articles/{}", open["id"]),
            json!({ "comments_open": false }),
        )
        .await;
    assert_eq!(status, 200, "{closed}");
    let body = form(&app, &open).await;
    assert_eq!(
        (body["comments_open"].clone(), body["form_token"].clone()),
        (json!(false), Value::Null)
    );

    // Drafts have no form.
    let author = fixtures::author(&app, "Drafter").await;
    let draft = fixtures::draft(&app, &author["id"], "Secret draft", &[]).await;
    let res = app
        .get(&format!("/api/v1/articles/{}/comment-form", draft["id"]))
        .await;
    assert_problem(res, 404, "not_found").await;
}

async fn posting_moderation_and_auto_approval(app: TestApp) {
    let story = article(&app, "Discussed story").await;
    let (status, receipt) = post(
        &app,
        &story,
        reply("Ana@Readers.Example", "First!\n\nSecond <b>para</b>."),
    )
    .await;
    assert_eq!(status, 202, "{receipt}");
    assert_eq!(receipt["status"], "pending");
    let first = receipt["id"].clone();
    let receipt_token = receipt["reader_token"].clone();
    assert!(
        receipt_token.as_str().is_some_and(|t| t.starts_with("r1.")),
        "{receipt}"
    );
    assert_eq!(
        public_comments(&app, &story).await["meta"]["total"],
        0,
        "pending is hidden"
    );

    // A moderator approves: public at once, counted on the article.
    let (status, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/comments/{first}"),
            json!({ "status": "approved" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let list = public_comments(&app, &story).await;
    assert_eq!(list["meta"]["total"], 1);
    let shown = &list["data"][0];
    assert_eq!(shown["body"], "First!\n\nSecond <b>para</b>.");
    assert_eq!(
        shown["body_html"],
        "<p>First!</p>\n<p>Second &lt;b&gt;para&lt;/b&gt;.</p>"
    );
    let (_, read) = app
        .public_get(&format!(
            "/api/v1/articles/{}",
            story["slug"].as_str().unwrap()
        ))
        .await;
    assert_eq!(read["comment_count"], 1);

    // Someone else typing the same email is not trusted: held.
    let (status, spoof) = post(
        &app,
        &story,
        json!({ "author_name": "Site Editor (official)", "author_email": "ana@readers.example", "body": "Trust me" }),
    )
    .await;
    assert_eq!(
        (status, spoof["status"].clone()),
        (202, json!("pending")),
        "{spoof}"
    );
    // The same reader, with the token of her first receipt (any case of
    // the email): approved at once.
    let reader_token = receipt_token.clone();
    let (status, receipt) = post(&app, &story, json!({
        "author_name": "Ana", "author_email": "ana@readers.example", "body": "A reply to myself",
        "parent_id": first, "author_url": "https://ana.example/", "reader_token": reader_token,
    })).await;
    assert_eq!(
        (status, receipt["status"].clone()),
        (202, json!("approved")),
        "{receipt}"
    );
    assert_eq!(
        receipt["reader_token"], receipt_token,
        "one token per reader"
    );
    let list = public_comments(&app, &story).await;
    assert_eq!(list["meta"]["total"], 2, "{list}");
    assert_eq!(list["data"][1]["parent_id"], first);
    assert_eq!(list["data"][1]["depth"], 1);
    assert_eq!(list["data"][1]["author_url"], "https://ana.example/");

    // Trashing hides it at once, with the reply that hangs from it.
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/comments/{first}"),
            json!({ "status": "trash" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(public_comments(&app, &story).await["meta"]["total"], 0);

    // No public read path shows the email or the IP.
    let slug = story["slug"].as_str().unwrap();
    for path in [
        format!("/api/v1/articles/{slug}/comments"),
        format!("/api/v1/articles/{slug}/comment-form"),
        format!("/api/v1/articles/{slug}?include=author,tags"),
        "/api/v1/articles?include=author,tags".to_owned(),
    ] {
        let (status, body) = app.public_get(&path).await;
        assert_eq!(status, 200, "{path}: {body}");
        let text = body.to_string().to_lowercase();
        assert!(
            !text.contains("readers.example") && !text.contains("127.0.0.1"),
            "{path} leaks: {text}"
        );
    }
    // Moderators do see them.
    let (_, queue) = app
        .admin_get(&format!("/api/v1/comments?article={}", story["id"]))
        .await;
    assert_eq!(queue["data"][0]["author_email"], "ana@readers.example");
    assert_eq!(queue["data"][0]["ip"], "127.0.0.1");
}

async fn refusals(app: TestApp) {
    let story = article(&app, "Rules apply").await;
    let other = article(&app, "Another story").await;
    let good = reply("ben@readers.example", "Fair point.");

    // Missing and draft articles: 404; closed: 403.
    let token = form(&app, &story).await["form_token"].clone();
    let mut with_token = good.clone();
    with_token["form_token"] = token.clone();
    let (status, _) = send_json(
        app.request(Method::POST, "/api/v1/articles/999999/comments")
            .json(&with_token),
    )
    .await;
    assert_eq!(status, 404);
    let author = fixtures::author(&app, "Drafter").await;
    let draft = fixtures::draft(&app, &author["id"], "Unpublished", &[]).await;
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/articles/{}/comments", draft["id"]),
        )
        .json(&with_token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    let closed = article(&app, "Closed story").await;
    let closed_token = form(&app, &closed).await["form_token"].clone();
    app.admin_json(
        Method::PATCH,
        &format!("/api/v1/articles/{}", closed["id"]),
        json!({ "comments_open": false }),
    )
    .await;
    let mut closed_body = good.clone();
    closed_body["form_token"] = closed_token;
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/articles/{}/comments", closed["id"]),
        )
        .json(&closed_body)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;

    // Invalid values: 422, and nothing is stored or truncated.
    let too_long = "x".repeat(5001);
    let cases = [
        (
            "author_email",
            json!({ "author_name": "A", "author_email": "not-an-email", "body": "Hi" }),
        ),
        (
            "author_name",
            json!({ "author_name": "   ", "author_email": "a@b.example", "body": "Hi" }),
        ),
        (
            "body",
            json!({ "author_name": "A", "author_email": "a@b.example", "body": too_long }),
        ),
        (
            "author_url",
            json!({ "author_name": "A", "author_email": "a@b.example", "body": "Hi", "author_url": "javascript:alert(1)" }),
        ),
        (
            "form_token",
            json!({ "author_name": "A", "author_email": "a@b.example", "body": "Hi", "form_token": "1.2.forged" }),
        ),
        (
            "form_token",
            json!({ "author_name": "A", "author_email": "a@b.example", "body": "Hi", "form_token": form(&app, &other).await["form_token"] }),
        ),
    ];
    for (field, body) in cases {
        let (status, problem) = post(&app, &story, body).await;
        assert_eq!(status, 422, "{field}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    // Missing required field and unknown fields: 400.
    let (status, _) = post(&app, &story, json!({ "author_name": "A", "body": "Hi" })).await;
    assert_eq!(status, 400);
    let (status, _) = post(&app, &story, json!({ "author_name": "A", "author_email": "a@b.example", "body": "Hi", "status": "approved" })).await;
    assert_eq!(status, 400, "a reader cannot choose the status");
    let (_, queue) = app.admin_get("/api/v1/comments").await;
    assert_eq!(
        queue["meta"]["total"], 0,
        "no refused comment was stored: {queue}"
    );

    // Replies: parent must be an approved comment of the same article.
    let (_, on_other) = post(&app, &other, reply("cat@readers.example", "Elsewhere")).await;
    app.admin_json(
        Method::PATCH,
        &format!("/api/v1/comments/{}", on_other["id"]),
        json!({ "status": "approved" }),
    )
    .await;
    let (_, pending) = post(&app, &story, reply("dan@readers.example", "Waiting")).await;
    for parent in [on_other["id"].clone(), pending["id"].clone(), json!(424242)] {
        let mut body = good.clone();
        body["parent_id"] = parent.clone();
        let (status, problem) = post(&app, &story, body).await;
        assert_eq!(status, 422, "parent {parent}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "parent_id");
    }

    // The same comment twice: 409.
    let (status, _) = post(&app, &story, good.clone()).await;
    assert_eq!(status, 202);
    let (status, problem) = post(&app, &story, good.clone()).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "duplicate_comment");
}

/// Sets comment `id`'s status as a moderator.
async fn moderate(app: &TestApp, id: &Value, status: &str) -> Value {
    let (code, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/comments/{id}"),
            json!({ "status": status }),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    body
}

/// Ids of the public comments of `article`, in order.
async fn public_ids(app: &TestApp, article: &Value) -> Vec<Value> {
    let list = public_comments(app, article).await;
    let ids: Vec<Value> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert_eq!(list["meta"]["total"], ids.len(), "{list}");
    ids
}

async fn hidden_comments_take_their_replies_with_them(app: TestApp) {
    let story = article(&app, "Threads under moderation").await;
    let mut ids = Vec::new();
    let mut parent = Value::Null;
    for text in ["Top", "Reply", "Reply to reply"] {
        let mut fields = reply("fay@readers.example", text);
        fields["parent_id"] = parent.clone();
        let (status, receipt) = post(&app, &story, fields).await;
        assert_eq!(status, 202, "{receipt}");
        moderate(&app, &receipt["id"], "approved").await;
        parent = receipt["id"].clone();
        ids.push(parent.clone());
    }
    let (_, other) = post(&app, &story, reply("gil@readers.example", "Aside")).await;
    moderate(&app, &other["id"], "approved").await;
    let all = vec![
        ids[0].clone(),
        ids[1].clone(),
        ids[2].clone(),
        other["id"].clone(),
    ];
    assert_eq!(public_ids(&app, &story).await, all);

    // Trashing the top comment hides the thread under it, not the aside;
    // the replies keep their own status and are no longer answerable.
    let trashed = moderate(&app, &ids[0], "trash").await;
    assert_eq!(trashed["visible"], false);
    assert_eq!(public_ids(&app, &story).await, vec![other["id"].clone()]);
    let (_, read) = app
        .public_get(&format!("/api/v1/articles/{}", story["id"]))
        .await;
    assert_eq!(read["comment_count"], 1, "counts follow what is shown");
    let (_, hidden) = app.admin_get(&format!("/api/v1/comments/{}", ids[2])).await;
    assert_eq!(
        (hidden["status"].clone(), hidden["visible"].clone()),
        (json!("approved"), json!(false))
    );
    let mut answer = reply("hal@readers.example", "Replying to a hidden one");
    answer["parent_id"] = ids[1].clone();
    let (status, problem) = post(&app, &story, answer).await;
    assert_eq!(status, 422, "{problem}");

    // Approving it again brings the whole thread back.
    moderate(&app, &ids[0], "approved").await;
    assert_eq!(public_ids(&app, &story).await, all);
    // Holding the middle reply hides only what hangs below it.
    moderate(&app, &ids[1], "pending").await;
    assert_eq!(
        public_ids(&app, &story).await,
        vec![ids[0].clone(), other["id"].clone()]
    );
}

async fn thread_depth_is_bounded(app: TestApp) {
    let story = article(&app, "Deep thread").await;
    let (_, top) = post(&app, &story, reply("eve@readers.example", "Top")).await;
    app.admin_json(
        Method::PATCH,
        &format!("/api/v1/comments/{}", top["id"]),
        json!({ "status": "approved" }),
    )
    .await;
    let mut child = reply("eve@readers.example", "Child");
    child["parent_id"] = top["id"].clone();
    child["reader_token"] = top["reader_token"].clone();
    let (status, reply1) = post(&app, &story, child).await;
    assert_eq!((status, reply1["status"].clone()), (202, json!("approved")));
    let mut grandchild = reply("eve@readers.example", "Grandchild");
    grandchild["parent_id"] = reply1["id"].clone();
    let (status, problem) = post(&app, &story, grandchild).await;
    assert_eq!(
        status, 422,
        "COMMENT_MAX_DEPTH=2 allows one level of replies: {problem}"
    );
}

async fn honeypot_and_content_rules(app: TestApp) {
    let story = article(&app, "Spam magnet").await;
    // A known commenter first.
    let (_, known) = post(&app, &story, reply("fay@readers.example", "Hello")).await;
    app.admin_json(
        Method::PATCH,
        &format!("/api/v1/comments/{}", known["id"]),
        json!({ "status": "approved" }),
    )
    .await;

    // Honeypot filled: looks accepted, stored as spam.
    let mut bot = reply("bot@spam.example", "Great post");
    bot["honeypot"] = json!("http://spam.example");
    let (status, receipt) = post(&app, &story, bot).await;
    assert_eq!(
        (status, receipt["status"].clone()),
        (202, json!("pending")),
        "{receipt}"
    );
    assert_eq!(receipt["message"], "Your comment is awaiting moderation.");
    assert_eq!(stored_status(&app, &receipt["id"]).await, "spam");

    // Fay, known, with her reader token.
    let fay = |text: &str| {
        let mut body = reply("fay@readers.example", text);
        body["reader_token"] = known["reader_token"].clone();
        body
    };
    // More than 2 links, however written: held even for a known reader.
    for text in [
        "See http://a.example www.b.example https://c.example",
        "See hxxps://a.example and cheap-pills.biz and casino-royal.com",
    ] {
        let (_, receipt) = post(&app, &story, fay(text)).await;
        assert_eq!(receipt["status"], "pending", "{text}");
        assert_eq!(stored_status(&app, &receipt["id"]).await, "pending");
    }
    // Two links are allowed.
    let (_, receipt) = post(
        &app,
        &story,
        fay("See http://a.example and https://c.example"),
    )
    .await;
    assert_eq!(receipt["status"], "approved", "{receipt}");

    // A blocked word anywhere, however disguised (case, plural, inside a
    // word, digits, a Cyrillic look-alike, a phrase without its space): held.
    for text in [
        "Try the CASINO tonight",
        "casinos are fun",
        "visit onlinecasino",
        "casino123",
        "the best c\u{430}sino",
        "cheappills here",
    ] {
        let (_, receipt) = post(&app, &story, fay(text)).await;
        assert_eq!(
            stored_status(&app, &receipt["id"]).await,
            "pending",
            "{text}"
        );
    }

    // The moderation queue filters by status.
    let (status, spam) = app.admin_get("/api/v1/comments?status=spam").await;
    assert_eq!(status, 200);
    assert_eq!(spam["meta"]["total"], 1);
    assert_eq!(spam["data"][0]["author_email"], "bot@spam.example");
    let public = public_comments(&app, &story).await.to_string();
    assert!(
        !public.contains("Great post") && !public.contains("CASINO"),
        "{public}"
    );
}

async fn too_fast_submissions_are_spam(app: TestApp) {
    // Default COMMENT_MIN_FILL_SECS (3): posting right after loading the form.
    let story = article(&app, "Quick bots").await;
    let (status, receipt) = post(&app, &story, reply("quick@readers.example", "Instant")).await;
    assert_eq!(
        (status, receipt["status"].clone()),
        (202, json!("pending")),
        "{receipt}"
    );
    assert_eq!(stored_status(&app, &receipt["id"]).await, "spam");
}

async fn staff_comments_carry_their_author(app: TestApp) {
    let story = article(&app, "Staff replies").await;
    let editor = fixtures::staff(&app, "editor").await;
    let body = reply("desk@newsroom.example", "Correction appended.");
    let (status, receipt) = send_json(
        post_request(&app, &story, body)
            .await
            .bearer_auth(&editor.token),
    )
    .await;
    assert_eq!(
        (status, receipt["status"].clone()),
        (202, json!("approved")),
        "{receipt}"
    );
    let list = public_comments(&app, &story).await;
    assert_eq!(list["data"][0]["author_id"], editor.author["id"]);
    let (_, stored) = app
        .admin_get(&format!("/api/v1/comments/{}", receipt["id"]))
        .await;
    assert_eq!(stored["user_id"], editor.user["id"]);
}

async fn rate_limited_per_ip_and_email(app: TestApp) {
    let story = article(&app, "Busy thread").await;
    for text in ["one", "two"] {
        assert_eq!(
            post(&app, &story, reply("gus@readers.example", text))
                .await
                .0,
            202
        );
    }
    // Third from the same email (any case): taken, but held for a
    // moderator, never refused: someone else may be posting as this reader.
    let (status, receipt) = post(&app, &story, reply("GUS@readers.example", "three")).await;
    assert_eq!(
        (status, receipt["status"].clone()),
        (202, json!("pending")),
        "{receipt}"
    );
    assert_eq!(stored_status(&app, &receipt["id"]).await, "pending");
    // The IP's budget (3) is spent: 429 with Retry-After, whatever email
    // and whatever X-Forwarded-For an untrusted client sends.
    let res = post_request(&app, &story, reply("hal@readers.example", "four"))
        .await
        .header("x-forwarded-for", "198.51.100.7")
        .send()
        .await
        .unwrap();
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_problem(res, 429, "too_many_requests").await;
    let (_, queue) = app.admin_get("/api/v1/comments").await;
    assert_eq!(queue["meta"]["total"], 3, "refused comments are not stored");
}

async fn rate_limited_per_article(app: TestApp) {
    let story = article(&app, "Brigaded").await;
    let quiet = article(&app, "Quiet corner").await;
    for who in ["ann", "bob"] {
        let (status, receipt) = post(
            &app,
            &story,
            reply(&format!("{who}@readers.example"), "Me too"),
        )
        .await;
        assert_eq!(status, 202, "{receipt}");
    }
    // A third reader while the article is flooded: taken, but held for a
    // moderator (a flood from many addresses cannot silence everyone).
    let (status, receipt) = post(&app, &story, reply("cal@readers.example", "And me")).await;
    assert_eq!(
        (status, receipt["status"].clone()),
        (202, json!("pending")),
        "{receipt}"
    );
    assert_eq!(stored_status(&app, &receipt["id"]).await, "pending");
    // Other articles are not affected.
    let (status, receipt) = post(&app, &quiet, reply("cal@readers.example", "Hello")).await;
    assert_eq!(status, 202, "{receipt}");
}

async fn forwarded_for_is_believed_from_trusted_proxies_only(app: TestApp) {
    // The test client connects from 127.0.0.1, configured as a proxy.
    let story = article(&app, "Behind a proxy").await;
    for (n, client) in ["198.51.100.1", "198.51.100.2"].iter().enumerate() {
        let body = reply(&format!("reader{n}@readers.example"), "Via the CDN");
        let (status, receipt) = send_json(
            post_request(&app, &story, body)
                .await
                .header("x-forwarded-for", format!("{client}, 127.0.0.1")),
        )
        .await;
        assert_eq!(status, 202, "each client has its own limit: {receipt}");
        let (_, stored) = app
            .admin_get(&format!("/api/v1/comments/{}", receipt["id"]))
            .await;
        assert_eq!(stored["ip"], *client);
    }
}
