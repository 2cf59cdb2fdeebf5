//! The delivery worker: one per server instance. It leases due deliveries
//! (no other worker takes them while the lease runs), sends them signed,
//! and records each outcome: delivered, retried later with exponential
//! backoff and jitter, or given up. An endpoint failing for longer than
//! `WEBHOOK_DISABLE_AFTER_SECS` is disabled, with an audit event.

use std::time::Instant;

use chrono::{Duration as Span, Utc};
use futures_util::future::join_all;

use super::model::{self, Attempt, Delivery, Webhook};
use super::settings::WebhookSettings;
use super::{guard, signing};
use crate::audit::{Action, Auditor, Change};
use crate::db::time::now;
use crate::db::{Conn, Db};

/// Bytes of an answer read (the rest is not awaited).
const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// The longest wait between two attempts.
const MAX_DELAY_SECS: i64 = 2 * 3600;

/// Runs the worker for as long as the server runs.
pub fn spawn(db: Db, settings: WebhookSettings) {
    tokio::spawn(async move {
        tokio::time::sleep(settings.poll).await;
        loop {
            match round(&db, &settings).await {
                Ok(0) => tokio::time::sleep(settings.poll).await,
                Ok(_) => {}
                Err(reason) => {
                    if crate::telemetry::flood::first("webhook worker round failed") {
                        tracing::warn!(%reason, "webhook worker round failed");
                    }
                    tokio::time::sleep(settings.poll).await;
                }
            }
        }
    });
}

/// One round: lease, send, record. Returns how many were sent.
async fn round(db: &Db, settings: &WebhookSettings) -> Result<usize, String> {
    let at = now();
    let lease = at + Span::from_std(settings.timeout).unwrap_or_default() + Span::seconds(30);
    // A read first, so an idle worker never takes the write lock.
    {
        let mut conn = db.reader().await.map_err(|e| e.to_string())?;
        if !model::any_due(&mut conn, at)
            .await
            .map_err(|e| e.to_string())?
        {
            return Ok(0);
        }
    }
    let (due, endpoints) = {
        let mut conn = db.background_writer().await.map_err(|e| e.to_string())?;
        let due = model::claim_due(&mut conn, at, lease, settings.concurrency as i64)
            .await
            .map_err(|e| e.to_string())?;
        let ids: Vec<i64> = due.iter().map(|d| d.webhook_id).collect();
        let endpoints = match ids.is_empty() {
            true => Vec::new(),
            false => model::find_many(&mut conn, &ids)
                .await
                .map_err(|e| e.to_string())?,
        };
        (due, endpoints)
    };
    let sends = due.iter().filter_map(|d| {
        let endpoint = endpoints.iter().find(|w| w.id == d.webhook_id)?;
        Some(async move { (d, endpoint, send(d, endpoint, settings).await) })
    });
    let outcomes = join_all(sends).await;
    let mut conn = db.background_writer().await.map_err(|e| e.to_string())?;
    for (delivery, endpoint, attempt) in &outcomes {
        record(&mut conn, settings, delivery, endpoint, attempt)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(outcomes.len())
}

/// Sends one delivery to the address its URL resolves to now (checked
/// again, so a host that turned private is refused).
async fn send(d: &Delivery, w: &Webhook, settings: &WebhookSettings) -> Attempt {
    let started = Instant::now();
    let failed = |error: String, status_code: Option<i32>| Attempt {
        status_code,
        error: Some(error),
        latency_ms: started.elapsed().as_millis().min(i32::MAX as u128) as i32,
    };
    let target = match guard::check(&w.url, settings.allow_private).await {
        Ok(target) => target,
        Err(reason) => return failed(format!("not sent: the URL {reason}"), None),
    };
    let client = match http_client::Client::builder()
        .redirect(http_client::redirect::Policy::none())
        // A proxy would resolve the host itself, past the address checked.
        .no_proxy()
        .timeout(settings.timeout)
        .resolve(&target.host, target.addr)
        .build()
    {
        Ok(client) => client,
        Err(e) => return failed(format!("not sent: {e}"), None),
    };
    let timestamp = Utc::now().timestamp();
    let signature = signing::sign(&w.secret, &d.message_id, timestamp, &d.payload);
    let sent = client
        .post(target.url)
        .header("content-type", "application/json")
        .header("user-agent", "cms-webhooks/1")
        .header("webhook-id", &d.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(d.payload.clone())
        .send()
        .await;
    let mut response = match sent {
        Ok(response) => response,
        Err(e) => return failed(describe(&e), None),
    };
    let status = response.status();
    let mut body = Vec::new();
    while body.len() < MAX_RESPONSE_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => return failed(describe(&e), Some(i32::from(status.as_u16()))),
        }
    }
    let code = Some(i32::from(status.as_u16()));
    if status.is_success() {
        return Attempt {
            status_code: code,
            error: None,
            latency_ms: started.elapsed().as_millis().min(i32::MAX as u128) as i32,
        };
    }
    // The receiver's text, printable only: PostgreSQL refuses a NUL, and a
    // log line is no place for control characters.
    let snippet: String = String::from_utf8_lossy(&body)
        .chars()
        .take(200)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    failed(format!("HTTP {}: {snippet}", status.as_u16()), code)
}

fn describe(e: &http_client::Error) -> String {
    if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else {
        e.to_string()
    }
}

/// Records what one attempt came to, in one transaction.
async fn record(
    conn: &mut Conn,
    settings: &WebhookSettings,
    d: &Delivery,
    w: &Webhook,
    attempt: &Attempt,
) -> diesel::QueryResult<()> {
    let at = now();
    conn.transaction(async |conn| {
        if attempt.error.is_none() {
            if model::mark_delivered(conn, d, attempt, at).await? {
                model::clear_failing(conn, w.id).await?;
            }
            return Ok(());
        }
        let retry_at =
            (d.attempts < settings.max_attempts).then(|| at + backoff(settings, d.attempts));
        if !model::mark_failed(conn, d, attempt, retry_at).await? {
            // Claimed again meanwhile: the newer attempt's outcome counts.
            return Ok(());
        }
        let cutoff = at - Span::from_std(settings.disable_after).unwrap_or_default();
        let reason = "disabled after failing for longer than WEBHOOK_DISABLE_AFTER_SECS";
        if model::note_failure(conn, w.id, at, cutoff, reason).await? {
            let change = Change::between(
                &serde_json::json!({ "enabled": true }),
                &serde_json::json!({ "enabled": false }),
            )
            .noting("last_error", attempt.error.clone().unwrap_or_default());
            Auditor::system()
                .record(conn, Action::WebhookDisable, Some(w.id), change)
                .await?;
            tracing::warn!(
                webhook_id = w.id,
                "webhook endpoint disabled after sustained failure"
            );
        }
        Ok(())
    })
    .await
}

/// The wait before attempt `attempts + 1`: the base doubled per attempt
/// made, at most two hours, times a random factor in [0.75, 1.25).
fn backoff(settings: &WebhookSettings, attempts: i32) -> Span {
    let base = settings.retry_base.as_secs() as i64;
    let doubled = base.saturating_mul(1i64 << (attempts - 1).clamp(0, 20));
    let secs = doubled.min(MAX_DELAY_SECS) as f64 * rand::random_range(0.75..1.25);
    Span::milliseconds((secs * 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_spread_over_about_a_day() {
        let settings = WebhookSettings::from_lookup(&|_| None).unwrap();
        let mut total = Span::zero();
        for attempts in 1..settings.max_attempts {
            let wait = backoff(&settings, attempts);
            assert!(wait <= Span::seconds(MAX_DELAY_SECS * 5 / 4), "{wait}");
            total += wait;
        }
        let hours = total.num_hours();
        assert!((16..=32).contains(&hours), "retries last {hours} h");
    }
}
