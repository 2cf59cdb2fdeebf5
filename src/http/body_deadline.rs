//! A deadline for reading the request body. actix-web bounds the time to
//! receive the request head (`client_request_timeout`) but not the body, so
//! a client trickling a body byte by byte could hold a connection for as
//! long as it likes (slowloris on the body). The body must arrive within
//! `BODY_READ_TIMEOUT_SECS` of the head; after that the read fails, the
//! request gets 408 problem+json and the connection is closed.

use std::cell::{Cell, RefCell};
use std::future::Future as _;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{web, Error, HttpMessage as _, ResponseError as _};
use futures_util::Stream;
use tokio::time::{Instant, Sleep};

use crate::error::ApiError;
use crate::state::AppState;

/// Message of the I/O error a late body ends with.
pub const BODY_TIMEOUT_MESSAGE: &str = "the request body did not arrive in time";

/// The request body, shared between the stream handlers read and the
/// response. actix closes the connection after a response only while the
/// body's reader is alive; a dropped, unfinished chunked body is drained
/// instead, for as long as the client keeps trickling. The response holds
/// this until it is written, whether or not a handler read the body.
type SharedBody = Rc<RefCell<Payload>>;

type Answer<B> = EitherBody<B, EitherBody<KeepBody<B>, KeepBody<BoxBody>>>;

/// Puts the configured deadline on the body of requests that have one.
pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<Answer<impl MessageBody>>, Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|state| Duration::from_secs(state.config.body_read_timeout_secs));
    let Some(limit) = limit.filter(|_| has_body(&req)) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let body: SharedBody = Rc::new(RefCell::new(req.take_payload()));
    let expired = Rc::new(Cell::new(false));
    let stream = DeadlineStream {
        body: body.clone(),
        sleep: Box::pin(tokio::time::sleep_until(Instant::now() + limit)),
        expired: expired.clone(),
    };
    let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(stream);
    req.set_payload(Payload::from(boxed));
    let res = next.call(req).await?;
    if expired.get() {
        // Whatever the extractor made of the failed read (JSON or raw
        // bytes), the answer is 408.
        let timeout = ApiError::RequestTimeout(format!(
            "{BODY_TIMEOUT_MESSAGE} (BODY_READ_TIMEOUT_SECS={})",
            limit.as_secs()
        ));
        let (req, _) = res.into_parts();
        let res = ServiceResponse::new(req, timeout.error_response());
        return Ok(keep(res, body).map_into_right_body().map_into_right_body());
    }
    Ok(keep(res, body).map_into_left_body().map_into_right_body())
}

fn keep<B>(res: ServiceResponse<B>, body: SharedBody) -> ServiceResponse<KeepBody<B>> {
    res.map_body(|_, inner| KeepBody {
        inner: Box::pin(inner),
        _body: body,
    })
}

fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0")
}

/// The body as handlers read it: ends with a `TimedOut` error once the
/// deadline passes.
struct DeadlineStream {
    body: SharedBody,
    sleep: Pin<Box<Sleep>>,
    expired: Rc<Cell<bool>>,
}

impl Stream for DeadlineStream {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired.get() {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut *self.body.borrow_mut()).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.expired.set(true);
            let err = io::Error::new(io::ErrorKind::TimedOut, BODY_TIMEOUT_MESSAGE);
            return Poll::Ready(Some(Err(PayloadError::Io(err))));
        }
        Poll::Pending
    }
}

/// A response body that keeps the request body alive until it is written.
pub struct KeepBody<B> {
    inner: Pin<Box<B>>,
    _body: SharedBody,
}

impl<B: MessageBody> MessageBody for KeepBody<B> {
    type Error = B::Error;

    fn size(&self) -> BodySize {
        self.inner.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.get_mut().inner.as_mut().poll_next(cx)
    }
}
