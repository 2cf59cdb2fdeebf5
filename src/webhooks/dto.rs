//! Request and response bodies of the webhook endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::event::EventType;
use super::model::{Delivery, Webhook, PENDING};
use crate::db::time::utc;
use crate::types::Text;

/// Body of `POST /api/v1/webhooks`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// Where to send: an http(s) URL without credentials whose host
    /// resolves to public addresses only (422 otherwise).
    pub url: Text<2048>,
    /// The events to send (at least one).
    #[validate(length(min = 1, max = 7))]
    pub events: Vec<EventType>,
    /// What the endpoint is for.
    pub description: Option<Text<500>>,
    /// Send to it (default true).
    pub enabled: Option<bool>,
}

/// Body of `PATCH /api/v1/webhooks/{id}`: only the fields given change.
/// Enabling an endpoint the server disabled clears its failure record.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    /// Where to send (the same rules).
    pub url: Option<Text<2048>>,
    /// The events to send (at least one).
    #[validate(length(min = 1, max = 7))]
    pub events: Option<Vec<EventType>>,
    /// What the endpoint is for (`null` leaves it unchanged, `""` empties
    /// it).
    pub description: Option<Text<500>>,
    /// Send to it, or stop.
    pub enabled: Option<bool>,
}

/// A webhook endpoint (its secret is shown only when created).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookResponse {
    /// Id.
    pub id: i64,
    /// Where deliveries go.
    pub url: String,
    /// What the endpoint is for.
    pub description: String,
    /// The events sent to it.
    pub events: Vec<EventType>,
    /// Whether deliveries are sent.
    pub enabled: bool,
    /// Why the server disabled it, if it did (sustained failure).
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed; null when the last one worked.
    pub failing_since: Option<DateTime<Utc>>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<Webhook> for WebhookResponse {
    fn from(w: Webhook) -> Self {
        Self {
            id: w.id,
            events: w.event_types(),
            url: w.url,
            description: w.description,
            enabled: w.enabled,
            disabled_reason: w.disabled_reason,
            failing_since: w.failing_since.map(utc),
            created_at: utc(w.created_at),
            updated_at: utc(w.updated_at),
        }
    }
}

/// A new endpoint, with its signing secret shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhookResponse {
    /// The endpoint.
    #[serde(flatten)]
    pub webhook: WebhookResponse,
    /// The signing secret (`whsec_` + base64 key): verify
    /// `webhook-signature` with it. It cannot be shown again.
    pub secret: String,
}

/// One event sent (or being sent) to an endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryResponse {
    /// Id (for redelivery).
    pub id: i64,
    /// The `webhook-id` receivers see: the same on every attempt and
    /// redelivery, so they can ignore repeats.
    pub message_id: String,
    /// The event.
    pub event_type: EventType,
    /// `pending` (waiting or retrying), `delivered` or `failed` (gave up).
    #[schema(example = "delivered")]
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The HTTP status of the last answer.
    pub last_status_code: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// How long the last attempt took, in milliseconds.
    pub last_latency_ms: Option<i32>,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
    /// When an endpoint first answered 2xx.
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<Delivery> for DeliveryResponse {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id,
            next_attempt_at: (d.status == PENDING).then(|| utc(d.next_attempt_at)),
            message_id: d.message_id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            last_latency_ms: d.last_latency_ms,
            created_at: utc(d.created_at),
            delivered_at: d.delivered_at.map(utc),
        }
    }
}
