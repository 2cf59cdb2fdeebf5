//! Mixed traffic against a server, every answer recorded with when it came.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Method, Response};
use serde_json::json;

use crate::server::Server;

/// What one request got.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 2xx.
    Success,
    /// 503 problem+json with `Retry-After`, as a database outage must look.
    Unavailable,
    /// Anything else: a 500, a 503 without `Retry-After` or problem+json, an
    /// unexpected 4xx (status and body).
    Wrong(u16, String),
    /// The connection failed or the request took longer than `HANG`.
    Transport(String),
}

impl Answer {
    /// What is wrong with it, if anything.
    pub fn fault(&self) -> Option<String> {
        match self {
            Self::Success | Self::Unavailable => None,
            Self::Wrong(status, body) => Some(format!("{status} {body}")),
            Self::Transport(error) => Some(error.clone()),
        }
    }
}

/// One request's answer and when it finished.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// When the answer came (or the request failed).
    pub at: Instant,
    /// What it was.
    pub answer: Answer,
}

/// Classifies a response.
pub async fn classify(res: reqwest::Result<Response>) -> Answer {
    let res = match res {
        Ok(res) => res,
        Err(e) => return Answer::Transport(e.to_string()),
    };
    let status = res.status().as_u16();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let retry_after = header("retry-after");
    let content_type = header("content-type").unwrap_or_default();
    let body = res.text().await.unwrap_or_default();
    match status {
        200..=299 => Answer::Success,
        503 if retry_after.is_some() && content_type == "application/problem+json" => {
            Answer::Unavailable
        }
        _ => Answer::Wrong(status, body),
    }
}

/// Readers and writers sending requests one after another until `stop`.
pub struct Load {
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<Vec<Outcome>>>,
    sent: Arc<AtomicUsize>,
}

impl Load {
    /// Starts `clients` clients: a third list articles, a third read the
    /// published article `slug`, a third create drafts by `author_id`.
    pub fn start(server: &Arc<Server>, clients: usize, slug: &str, author_id: i64) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicUsize::new(0));
        let tasks = (0..clients)
            .map(|client| {
                let (server, stop, sent) = (server.clone(), stop.clone(), sent.clone());
                let slug = slug.to_owned();
                tokio::spawn(async move {
                    let mut outcomes = Vec::new();
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        n += 1;
                        let request = match client % 3 {
                            0 => server.public("/api/v1/articles?per_page=5"),
                            1 => server.public(&format!("/api/v1/articles/{slug}")),
                            _ => server.admin(Method::POST, "/api/v1/articles").json(&json!({
                                "title": format!("Load {client}-{n}"),
                                "body": "Written during a database outage.",
                                "author_id": author_id,
                            })),
                        };
                        let answer = classify(request.send().await).await;
                        sent.fetch_add(1, Ordering::Relaxed);
                        outcomes.push(Outcome {
                            at: Instant::now(),
                            answer,
                        });
                        // Clients that back off a little, as told by 503s.
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    outcomes
                })
            })
            .collect();
        Self { stop, tasks, sent }
    }

    /// Requests answered so far.
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
    }

    /// Stops every client and returns all outcomes.
    pub async fn finish(self) -> Vec<Outcome> {
        self.stop.store(true, Ordering::Relaxed);
        let mut all = Vec::new();
        for task in self.tasks {
            all.extend(task.await.expect("load client"));
        }
        all
    }
}
