//! Sign-in, token rotation and revocation, forged tokens, throttling.

use base64::Engine as _;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures::{self, login, me_status, PASSWORD};
use cms::auth::jwt::key_id;

use crate::harness::{
    assert_problem, both_backends, both_backends_with, send_json, TestApp, TEST_JWT_SECRET,
};

both_backends!(
    login_refresh_rotation_and_logout,
    forged_and_misused_tokens_are_401,
    password_change_role_change_and_disable_end_sessions,
    login_failures_look_alike_and_are_throttled,
    private_fields_never_leak,
    concurrent_failures_are_all_counted,
);
both_backends_with!(
    [
        ("JWT_SECRET", super::NEW_SECRET),
        ("JWT_PREVIOUS_SECRETS", "retired-secret-retired-secret-0123456789, test-secret-test-secret-test-secret-0123456789")
    ],
    rotated_keys_keep_earlier_tokens_and_forms_valid,
);

/// The signing key after a rotation (the harness default is the old one).
const NEW_SECRET: &str = "rotated-secret-rotated-secret-0123456789ab";

/// Claims of a token (its payload, unverified).
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

async fn rotated_keys_keep_earlier_tokens_and_forms_valid(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    // New tokens are signed with the new key and say so.
    let header = jsonwebtoken::decode_header(&editor.token).unwrap();
    assert_eq!(header.kid, Some(key_id(NEW_SECRET)));
    assert_ne!(key_id(NEW_SECRET), key_id(TEST_JWT_SECRET));
    // A token signed before the rotation (old key, old kid) still works.
    let claims = claims_of(&editor.token);
    assert_eq!(
        me_status(&app, &forge(&claims, TEST_JWT_SECRET, "at+jwt")).await,
        200
    );
    // A secret that was never configured does not, whatever kid it claims.
    let stranger = "stranger-secret-stranger-secret-0123456789";
    assert_eq!(
        me_status(&app, &forge(&claims, stranger, "at+jwt")).await,
        401
    );
    assert_eq!(
        me_status(
            &app,
            &forge_with_kid(&claims, stranger, "at+jwt", Some(key_id(TEST_JWT_SECRET)))
        )
        .await,
        401
    );
    // A comment form served before the rotation can still be posted.
    let desk = fixtures::author(&app, "Rotation Desk").await;
    let story = fixtures::published(&app, &desk["id"], "Rotated", &[]).await;
    let id = story["id"].as_i64().unwrap();
    let issued = now() - 60;
    for (secret, expected) in [(TEST_JWT_SECRET, 202), (stranger, 422)] {
        let (status, body) = send_json(
            app.request(Method::POST, &format!("/api/v1/articles/{id}/comments"))
                .json(&json!({
                    "author_name": "Old Form",
                    "author_email": format!("form{expected}@readers.example"),
                    "body": "Posted from a page loaded before the rotation",
                    "form_token": cms::comments::form_token::issue(secret.as_bytes(), id, issued),
                })),
        )
        .await;
        assert_eq!(status, expected, "{body}");
    }
}

async fn refresh(app: &TestApp, token: &str) -> (u16, Value) {
    send_json(
        app.request(Method::POST, "/api/v1/auth/refresh")
            .json(&json!({ "refresh_token": token })),
    )
    .await
}

async fn login_refresh_rotation_and_logout(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let (status, body) = send_json(
        app.request(Method::GET, "/api/v1/me")
            .bearer_auth(&editor.token),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["email"], editor.email);
    assert_eq!(body["role"], "editor");
    assert!(body.get("password_hash").is_none());

    let (status, second) = refresh(&app, &editor.refresh).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["token_type"], "Bearer");
    assert_eq!(second["expires_in"], 900);
    assert_ne!(second["refresh_token"], editor.refresh.as_str());
    assert!(
        second["refresh_token"].as_str().unwrap().len() >= 43,
        "≥ 256 bits"
    );
    let second_access = second["access_token"].as_str().unwrap();
    assert_eq!(me_status(&app, second_access).await, 200);

    // Replaying the first refresh token revokes the whole family.
    let (status, _) = refresh(&app, &editor.refresh).await;
    assert_eq!(status, 401);
    let (status, _) = refresh(&app, second["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 401, "the successor died with the family");
    assert_eq!(
        me_status(&app, second_access).await,
        401,
        "and so did its access tokens"
    );

    // Logout ends a session at once.
    let session = login(&app, &editor.email, PASSWORD).await;
    let access = session["access_token"].as_str().unwrap();
    let res = app
        .request(Method::POST, "/api/v1/auth/logout")
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(me_status(&app, access).await, 401);
    let (status, _) = refresh(&app, session["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 401);
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Signs `claims` with `secret`, naming that secret's key id.
fn forge(claims: &Value, secret: &str, typ: &str) -> String {
    forge_with_kid(claims, secret, typ, Some(key_id(secret)))
}

fn forge_with_kid(claims: &Value, secret: &str, typ: &str, kid: Option<String>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some(typ.to_owned());
    header.kid = kid;
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn forged_and_misused_tokens_are_401(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    // Read the real claims to build variations of them.
    let payload = editor.token.split('.').nth(1).unwrap();
    let claims = claims_of(&editor.token);
    // Positive control: the same claims signed with the real key are accepted,
    // so every 401 below is caused by the one thing changed.
    assert_eq!(
        me_status(&app, &forge(&claims, TEST_JWT_SECRET, "at+jwt")).await,
        200
    );
    let with = |key: &str, value: Value| {
        let mut c = claims.clone();
        c[key] = value;
        c
    };
    let none_header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"alg":"none","typ":"at+jwt"}"#);
    let mut tampered: Vec<&str> = editor.token.split('.').collect();
    let other_payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&with("sub", json!("1"))).unwrap());
    tampered[1] = &other_payload;
    let cases: Vec<(&str, String)> = vec![
        ("alg none", format!("{none_header}.{payload}.")),
        (
            "other key",
            forge(
                &claims,
                "another-secret-another-secret-0123456789",
                "at+jwt",
            ),
        ),
        (
            "other key under our kid",
            forge_with_kid(
                &claims,
                "another-secret-another-secret-0123456789",
                "at+jwt",
                Some(key_id(TEST_JWT_SECRET)),
            ),
        ),
        (
            "no kid",
            forge_with_kid(&claims, TEST_JWT_SECRET, "at+jwt", None),
        ),
        (
            "unknown kid",
            forge_with_kid(
                &claims,
                TEST_JWT_SECRET,
                "at+jwt",
                Some("0123456789abcdef".to_owned()),
            ),
        ),
        ("tampered payload", tampered.join(".")),
        (
            "wrong iss",
            forge(&with("iss", json!("evil")), TEST_JWT_SECRET, "at+jwt"),
        ),
        (
            "wrong aud",
            forge(&with("aud", json!("other-api")), TEST_JWT_SECRET, "at+jwt"),
        ),
        (
            "expired beyond leeway",
            forge(&with("exp", json!(now() - 6)), TEST_JWT_SECRET, "at+jwt"),
        ),
        (
            "not yet valid",
            forge(&with("nbf", json!(now() + 60)), TEST_JWT_SECRET, "at+jwt"),
        ),
        (
            "missing exp",
            forge(
                &{
                    let mut c = claims.clone();
                    c.as_object_mut().unwrap().remove("exp");
                    c
                },
                TEST_JWT_SECRET,
                "at+jwt",
            ),
        ),
        ("wrong typ header", forge(&claims, TEST_JWT_SECRET, "JWT")),
        (
            "wrong typ claim",
            forge(&with("typ", json!("refresh")), TEST_JWT_SECRET, "at+jwt"),
        ),
        (
            "unknown session",
            forge(&with("sid", json!("nope")), TEST_JWT_SECRET, "at+jwt"),
        ),
        ("refresh token as access", editor.refresh.clone()),
        ("garbage", "a.b.c".to_owned()),
    ];
    for (name, token) in cases {
        let res = app
            .request(Method::GET, "/api/v1/me")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let body = assert_problem(res, 401, "unauthorized").await;
        assert_eq!(
            body["detail"], "invalid or expired credentials",
            "{name}: generic body"
        );
    }
    // The untouched token still works.
    assert_eq!(me_status(&app, &editor.token).await, 200);
}

async fn password_change_role_change_and_disable_end_sessions(app: TestApp) {
    let author = fixtures::staff(&app, "author").await;
    let res = app
        .request(Method::POST, "/api/v1/me/password")
        .bearer_auth(&author.token)
        .json(
            &json!({ "current_password": "wrong password", "new_password": "a new long password" }),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .request(Method::POST, "/api/v1/me/password")
        .bearer_auth(&author.token)
        .json(&json!({ "current_password": PASSWORD, "new_password": "short" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation_failed").await;
    let res = app
        .request(Method::POST, "/api/v1/me/password")
        .bearer_auth(&author.token)
        .json(&json!({ "current_password": PASSWORD, "new_password": "a new long password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        me_status(&app, &author.token).await,
        401,
        "old access token dies"
    );
    assert_eq!(
        refresh(&app, &author.refresh).await.0,
        401,
        "old refresh token dies"
    );
    let fresh = login(&app, &author.email, "a new long password").await;
    let token = fresh["access_token"].as_str().unwrap().to_owned();
    assert_eq!(me_status(&app, &token).await, 200);

    // Role change by an admin ends sessions.
    let user_path = format!("/api/v1/users/{}", author.user["id"]);
    let (status, _) = app
        .admin_json(Method::PATCH, &user_path, json!({ "role": "editor" }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(me_status(&app, &token).await, 401);

    // Disabling ends sessions and refuses sign-in.
    let again = login(&app, &author.email, "a new long password").await;
    let token = again["access_token"].as_str().unwrap().to_owned();
    let (status, body) = app
        .admin_json(Method::PATCH, &user_path, json!({ "disabled": true }))
        .await;
    assert_eq!((status, body["disabled"].clone()), (200, json!(true)));
    assert_eq!(me_status(&app, &token).await, 401);
    let (status, _) = send_json(
        app.request(Method::POST, "/api/v1/auth/login")
            .json(&json!({ "email": author.email, "password": "a new long password" })),
    )
    .await;
    assert_eq!(status, 401);
}

async fn login_failures_look_alike_and_are_throttled(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let attempt = |email: String, password: &'static str| {
        send_json(
            app.request(Method::POST, "/api/v1/auth/login")
                .json(&json!({ "email": email, "password": password })),
        )
    };
    let (s1, unknown) = attempt("nobody@newsroom.example".to_owned(), "whatever-password").await;
    let (s2, wrong) = attempt(editor.email.clone(), "wrong-password").await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(
        unknown, wrong,
        "same body for unknown email and wrong password"
    );
    // Four more failures reach the limit of 5; the sixth is refused.
    for _ in 0..4 {
        assert_eq!(
            attempt(editor.email.to_uppercase(), "wrong-password")
                .await
                .0,
            401
        );
    }
    let res = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "email": editor.email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    assert_problem(res, 429, "too_many_requests").await;
    // Other accounts are not locked by it.
    let other = fixtures::staff(&app, "author").await;
    assert_eq!(me_status(&app, &other.token).await, 200);
}

async fn private_fields_never_leak(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let article = fixtures::published(&app, &editor.author["id"], "Public", &[]).await;
    for path in [
        "/api/v1/articles?include=author,tags".to_owned(),
        format!("/api/v1/articles/{}?include=author", article["id"]),
        "/api/v1/authors".to_owned(),
        format!("/api/v1/authors/{}", editor.author["id"]),
    ] {
        for token in [None, Some(editor.token.as_str())] {
            let mut req = app.request(Method::GET, &path);
            if let Some(token) = token {
                req = req.bearer_auth(token);
            }
            let text = req.send().await.unwrap().text().await.unwrap();
            assert!(!text.contains("$argon2"), "{path}: {text}");
            assert!(!text.contains(&editor.email), "{path}: {text}");
        }
    }
    // Only admins list users; even they never see hashes.
    let res = app
        .request(Method::GET, "/api/v1/users")
        .bearer_auth(&editor.token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let (status, users) = app.admin_get("/api/v1/users").await;
    assert_eq!(status, 200);
    assert!(!users.to_string().contains("argon2"));
    assert!(users.to_string().contains(&editor.email));
}

/// Thirty wrong passwords at once: every one is counted (no lost updates),
/// none collides with another (no 409/500), and exactly five get through to
/// a 401 before the account locks.
async fn concurrent_failures_are_all_counted(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let attempts = (0..30).map(|_| {
        app.request(Method::POST, "/api/v1/auth/login")
            .json(&json!({ "email": editor.email, "password": "wrong-password" }))
            .send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    let unauthorized = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((unauthorized, throttled), (5, 25), "{statuses:?}");
}
