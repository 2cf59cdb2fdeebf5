//! A deadline for reading the request body. actix-web bounds the time to
//! receive the request head (`client_request_timeout`) but not the body, so
//! a client trickling a body byte by byte could hold a connection for as
//! long as it likes (slowloris on the body). The body must arrive within
//! `BODY_READ_TIMEOUT_SECS` of the head; after that the read fails, the
//! request gets 408 problem+json and the connection is closed.

use std::cell::RefCell;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{web, Error, HttpMessage as _};
use futures_util::{Stream, StreamExt as _};
use tokio::time::Instant;

use crate::state::AppState;

/// Message of the I/O error a late body ends with (the JSON extractor's
/// error handler turns it into 408).
pub const BODY_TIMEOUT_MESSAGE: &str = "the request body did not arrive in time";

/// Where the unread body waits once its deadline passed. It must outlive
/// the extractor that gave up on it: actix closes the connection after the
/// response only while the body's reader is alive; a dropped chunked body
/// is drained instead, for as long as the client keeps trickling.
type Parked = Rc<RefCell<Option<Payload>>>;

/// Puts the configured deadline on the body of requests that have one.
pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, impl MessageBody>>, Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|state| Duration::from_secs(state.config.body_read_timeout_secs));
    let Some(limit) = limit.filter(|_| has_body(&req)) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let parked = Parked::default();
    let payload = req.take_payload();
    req.set_payload(with_deadline(
        payload,
        Instant::now() + limit,
        parked.clone(),
    ));
    let res = next.call(req).await?;
    let unread = parked.borrow_mut().take();
    Ok(res
        .map_body(|_, body| KeepUnread {
            body: Box::pin(body),
            _unread: unread,
        })
        .map_into_right_body())
}

fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0")
}

/// The same stream, ending with a `TimedOut` error once `deadline` passes
/// (the rest of the body is parked, unread).
fn with_deadline(payload: Payload, deadline: Instant, parked: Parked) -> Payload {
    let sleep = Box::pin(tokio::time::sleep_until(deadline));
    let stream = futures_util::stream::unfold(
        (Some(payload), sleep, parked),
        |(payload, mut sleep, parked)| async move {
            let mut payload = payload?;
            tokio::select! {
                item = payload.next() => item.map(|item| (item, (Some(payload), sleep, parked))),
                () = &mut sleep => {
                    *parked.borrow_mut() = Some(payload);
                    let err = io::Error::new(io::ErrorKind::TimedOut, BODY_TIMEOUT_MESSAGE);
                    Some((Err(PayloadError::Io(err)), (None, sleep, parked)))
                }
            }
        },
    );
    let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(stream);
    Payload::from(boxed)
}

/// A response body that keeps the unread request body alive until the
/// response is written.
struct KeepUnread<B> {
    body: Pin<Box<B>>,
    _unread: Option<Payload>,
}

impl<B: MessageBody> MessageBody for KeepUnread<B> {
    type Error = B::Error;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.get_mut().body.as_mut().poll_next(cx)
    }
}
