//! Security decisions under concurrency: every read-then-write decision is
//! atomic, so parallel attackers get no more than sequential ones. Each
//! scenario runs many rounds, in parallel, on both backends.
//! `RACE_ROUNDS` sets the rounds (default 10).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::Notify;

use crate::fixtures::{self, login, me_status, StaffUser, PASSWORD};
use crate::harness::{both_backends_with, send_json, TestApp};

both_backends_with!(
    [
        ("LOGIN_MAX_FAILURES", "1000"),
        ("LOGIN_IP_MAX_FAILURES", "100000")
    ],
    no_refresh_chain_outlives_a_revocation,
    a_refresh_token_spent_twice_at_once_ends_the_session,
);
both_backends_with!(
    [
        ("LOGIN_MAX_FAILURES", "5"),
        ("LOGIN_IP_MAX_FAILURES", "100000")
    ],
    a_burst_of_guesses_checks_at_most_the_limit,
    password_changes_are_throttled_like_logins,
);
both_backends_with!(
    [
        ("LOGIN_MAX_FAILURES", "1000"),
        ("LOGIN_IP_MAX_FAILURES", "5")
    ],
    the_ip_limit_holds_in_a_burst,
);
both_backends_with!(
    [
        ("COMMENT_MIN_FILL_SECS", "0"),
        ("COMMENT_IP_MAX", "100000"),
        ("COMMENT_EMAIL_MAX", "100000"),
        ("COMMENT_ARTICLE_MAX", "100000")
    ],
    a_form_serves_one_comment,
);

/// Rounds of each parallel scenario (`RACE_ROUNDS`, default 10); the
/// cookie-mode race in `auth_cookie.rs` uses it too.
pub fn rounds() -> usize {
    std::env::var("RACE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
}

async fn refresh(app: &TestApp, token: &str) -> (u16, Value) {
    send_json(
        app.request(Method::POST, "/api/v1/auth/refresh")
            .json(&json!({ "refresh_token": token })),
    )
    .await
}

/// Two clients present one refresh token at the same moment (two tabs, a
/// retry racing its original, a thief racing its victim): the rotation is
/// atomic, so one wins and the other is taken for a replay, which ends the
/// session, the winner's new tokens included.
async fn a_refresh_token_spent_twice_at_once_ends_the_session(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    for round in 0..rounds() {
        let tokens = login(&app, &editor.email, PASSWORD).await;
        let token = tokens["refresh_token"].as_str().unwrap();
        let (a, b) = tokio::join!(refresh(&app, token), refresh(&app, token));
        let mut statuses = [a.0, b.0];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 401], "round {round}");
        let winner = if a.0 == 200 { a.1 } else { b.1 };
        let next = winner["refresh_token"].as_str().unwrap();
        assert_eq!(
            refresh(&app, next).await.0,
            401,
            "round {round}: the session lives on"
        );
        let access = winner["access_token"].as_str().unwrap();
        assert_eq!(
            me_status(&app, access).await,
            401,
            "round {round}: its access token still works"
        );
    }
}

/// The ways a session ends.
#[derive(Debug, Clone, Copy)]
enum Revocation {
    Logout,
    PasswordChange,
    RoleChange,
    Disable,
    Reuse,
}

/// One victim account per revocation path, and its current password.
struct Victim {
    user: StaffUser,
    password: String,
    role: &'static str,
}

impl Victim {
    /// Performs `how` against the session whose tokens are `access` and
    /// `first_refresh` (already rotated once by the attacker for `Reuse`).
    async fn revoke(&mut self, app: &TestApp, how: Revocation, access: &str, first_refresh: &str) {
        let user_path = format!("/api/v1/users/{}", self.user.user["id"]);
        let status = match how {
            Revocation::Logout => {
                let req = app
                    .request(Method::POST, "/api/v1/auth/logout")
                    .bearer_auth(access);
                req.send().await.unwrap().status().as_u16()
            }
            Revocation::PasswordChange => {
                let next = format!("{} again", self.password);
                let body = json!({ "current_password": self.password, "new_password": next });
                let req = app
                    .request(Method::POST, "/api/v1/me/password")
                    .bearer_auth(access);
                let status = req.json(&body).send().await.unwrap().status().as_u16();
                self.password = next;
                status
            }
            Revocation::RoleChange => {
                self.role = if self.role == "editor" {
                    "author"
                } else {
                    "editor"
                };
                app.admin_json(Method::PATCH, &user_path, json!({ "role": self.role }))
                    .await
                    .0
            }
            Revocation::Disable => {
                app.admin_json(Method::PATCH, &user_path, json!({ "disabled": true }))
                    .await
                    .0
            }
            // The victim presents a refresh token the attacker already spent.
            Revocation::Reuse => refresh(app, first_refresh).await.0,
        };
        let expected = match how {
            Revocation::Logout | Revocation::PasswordChange => 204,
            Revocation::RoleChange | Revocation::Disable => 200,
            Revocation::Reuse => 401,
        };
        assert_eq!(status, expected, "{how:?}");
    }

    /// Undoes what a round left behind (a disabled account).
    async fn restore(&self, app: &TestApp, how: Revocation) {
        if let Revocation::Disable = how {
            let user_path = format!("/api/v1/users/{}", self.user.user["id"]);
            let (status, _) = app
                .admin_json(Method::PATCH, &user_path, json!({ "disabled": false }))
                .await;
            assert_eq!(status, 200);
        }
    }
}

/// An attacker holding a stolen refresh token refreshes in a loop while the
/// victim's session is revoked (by each path in turn). However the requests
/// interleave, once the revocation has answered, the attacker's newest
/// tokens must be dead.
async fn no_refresh_chain_outlives_a_revocation(app: TestApp) {
    let app = Arc::new(app);
    let paths = [
        Revocation::Logout,
        Revocation::PasswordChange,
        Revocation::RoleChange,
        Revocation::Disable,
        Revocation::Reuse,
    ];
    let mut survivors = Vec::new();
    let mut races = 0;
    for how in paths {
        let user = fixtures::staff(&app, "author").await;
        let mut victim = Victim {
            user,
            password: PASSWORD.to_owned(),
            role: "author",
        };
        for round in 0..rounds() {
            let tokens = login(&app, &victim.user.email, &victim.password).await;
            let access = tokens["access_token"].as_str().unwrap().to_owned();
            let mut stolen = tokens["refresh_token"].as_str().unwrap().to_owned();
            let first = stolen.clone();
            if let Revocation::Reuse = how {
                // The attacker spends the first token; the victim will replay it.
                let (status, body) = refresh(&app, &stolen).await;
                assert_eq!(status, 200, "{body}");
                stolen = body["refresh_token"].as_str().unwrap().to_owned();
            }
            let started = Arc::new(Notify::new());
            let revoked = Arc::new(AtomicBool::new(false));
            let attacker = {
                let app = app.clone();
                let (started, revoked) = (started.clone(), revoked.clone());
                tokio::spawn(async move {
                    let mut latest = (String::new(), stolen);
                    let mut after_revocation = 0;
                    loop {
                        let (status, body) = refresh(&app, &latest.1).await;
                        started.notify_one();
                        if status != 200 {
                            break;
                        }
                        latest = (
                            body["access_token"].as_str().unwrap().to_owned(),
                            body["refresh_token"].as_str().unwrap().to_owned(),
                        );
                        if revoked.load(Ordering::SeqCst) {
                            after_revocation += 1;
                            if after_revocation >= 3 {
                                break;
                            }
                        }
                    }
                    latest
                })
            };
            started.notified().await;
            victim.revoke(&app, how, &access, &first).await;
            revoked.store(true, Ordering::SeqCst);
            let (latest_access, latest_refresh) = attacker.await.unwrap();
            races += 1;
            let refreshed = refresh(&app, &latest_refresh).await.0;
            let read = if latest_access.is_empty() {
                401
            } else {
                me_status(&app, &latest_access).await
            };
            if refreshed != 401 || read != 401 {
                survivors.push(format!(
                    "{how:?} round {round}: refresh {refreshed}, /me {read}"
                ));
            }
            victim.restore(&app, how).await;
        }
    }
    assert!(races >= 5 * rounds());
    assert!(
        survivors.is_empty(),
        "{} of {races} chains survived: {survivors:#?}",
        survivors.len()
    );
}

/// `n` logins at once for `email`: the right password at `right`, wrong
/// ones elsewhere. Returns the statuses.
async fn burst(app: &TestApp, email: &str, n: usize, right: Option<usize>) -> Vec<u16> {
    let attempts = (0..n).map(|i| {
        let password = if Some(i) == right {
            PASSWORD
        } else {
            "wrong password, sorry"
        };
        app.request(Method::POST, "/api/v1/auth/login")
            .json(&json!({ "email": email, "password": password }))
            .send()
    });
    join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect()
}

/// A burst of 100 parallel logins, one right password among 99 wrong ones:
/// each attempt is reserved before its password is checked, so at most the
/// limit (5) of wrong passwords are checked (401), the rest get 429. A
/// right password gives its reservation back, without clearing other
/// failures: when it is checked before the burst has used the limit, a
/// fifth wrong one may still be checked after it (six checks in all).
async fn a_burst_of_guesses_checks_at_most_the_limit(app: TestApp) {
    let mut accepted = 0;
    for round in 0..rounds() {
        let user = fixtures::staff(&app, "author").await;
        let right = (round * 37) % 100;
        let statuses = burst(&app, &user.email, 100, Some(right)).await;
        let checked = statuses.iter().filter(|s| matches!(s, 200 | 401)).count();
        let wrong_checked = statuses.iter().filter(|s| **s == 401).count();
        let throttled = statuses.iter().filter(|s| **s == 429).count();
        assert!(
            wrong_checked <= 5 && checked <= 6,
            "round {round}: {wrong_checked} wrong passwords checked: {statuses:?}"
        );
        assert_eq!(checked + throttled, 100, "{statuses:?}");
        accepted += statuses.iter().filter(|s| **s == 200).count();
    }
    eprintln!(
        "right password accepted in {accepted} of {} bursts",
        rounds()
    );

    // A right password does not wipe the failures before it.
    let user = fixtures::staff(&app, "author").await;
    assert_eq!(burst(&app, &user.email, 3, None).await, [401; 3]);
    assert_eq!(burst(&app, &user.email, 1, Some(0)).await, [200]);
    assert_eq!(burst(&app, &user.email, 2, None).await, [401; 2]);
    assert_eq!(
        burst(&app, &user.email, 1, Some(0)).await,
        [429],
        "five failures lock"
    );
}

/// The per-IP limit holds the same way: 100 parallel guesses at 100
/// accounts from one client check at most 5 passwords.
async fn the_ip_limit_holds_in_a_burst(app: TestApp) {
    for round in 0..rounds() {
        let attempts = (0..100).map(|i| {
            app.request(Method::POST, "/api/v1/auth/login")
                .json(&json!({ "email": format!("nobody{round}-{i}@example.com"), "password": "guess guess" }))
                .send()
        });
        let statuses: Vec<u16> = join_all(attempts)
            .await
            .into_iter()
            .map(|r| r.unwrap().status().as_u16())
            .collect();
        let checked = statuses.iter().filter(|s| **s == 401).count();
        assert!(
            checked <= 5,
            "round {round}: {checked} checked: {statuses:?}"
        );
        if round == 0 {
            assert!(checked >= 1, "{statuses:?}");
        }
    }
}

/// With a stolen access token, guessing the current password is throttled
/// per account like a login: 30 parallel guesses check at most 5.
async fn password_changes_are_throttled_like_logins(app: TestApp) {
    for round in 0..rounds().min(4) {
        let user = fixtures::staff(&app, "author").await;
        let guesses = (0..30).map(|i| {
            app.request(Method::POST, "/api/v1/me/password")
                .bearer_auth(&user.token)
                .json(&json!({ "current_password": format!("guess number {i}"), "new_password": "a brand new passphrase" }))
                .send()
        });
        let statuses: Vec<u16> = join_all(guesses)
            .await
            .into_iter()
            .map(|r| r.unwrap().status().as_u16())
            .collect();
        let checked = statuses.iter().filter(|s| **s == 403).count();
        let throttled = statuses.iter().filter(|s| **s == 429).count();
        assert!(
            checked <= 5 && checked + throttled == 30,
            "round {round}: {statuses:?}"
        );
        // The account is locked for logins too.
        let (status, _) = send_json(
            app.request(Method::POST, "/api/v1/auth/login")
                .json(&json!({ "email": user.email, "password": PASSWORD })),
        )
        .await;
        assert_eq!(status, 429);
    }
}

/// One form serves one comment: the same token posted eight times at once
/// is accepted exactly once.
async fn a_form_serves_one_comment(app: TestApp) {
    let author = fixtures::author(&app, "Form keeper").await;
    let story = fixtures::published(&app, &author["id"], "One form, one comment", &[]).await;
    let slug = story["slug"].as_str().unwrap();
    for round in 0..rounds() {
        let (_, form) = app
            .public_get(&format!("/api/v1/articles/{slug}/comment-form"))
            .await;
        let posts = (0..8).map(|i| {
            app.request(Method::POST, &format!("/api/v1/articles/{slug}/comments"))
                .json(&json!({
                    "author_name": "Rita", "author_email": format!("rita{round}-{i}@readers.example"),
                    "body": format!("Comment {i} of round {round}"), "form_token": form["form_token"],
                }))
                .send()
        });
        let statuses: Vec<u16> = join_all(posts)
            .await
            .into_iter()
            .map(|r| r.unwrap().status().as_u16())
            .collect();
        let accepted = statuses.iter().filter(|s| **s == 202).count();
        let refused = statuses.iter().filter(|s| **s == 422).count();
        assert_eq!((accepted, refused), (1, 7), "round {round}: {statuses:?}");
    }
}
