//! Error responses shared by many operations, declared once: an operation
//! lists the ones it can give (`responses(…, NotFound, Unavailable)`).
//! What a status means for one operation belongs in its description.

use std::collections::BTreeMap;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::IntoResponses;

/// A problem+json response; 429 and 503 also say when to retry.
fn problem(status: &str, description: &str) -> RefOr<Response> {
    let mut response = ResponseBuilder::new().description(description).content(
        crate::error::PROBLEM_JSON,
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ProblemDetails")))
            .build(),
    );
    if matches!(status, "429" | "503") {
        let seconds = HeaderBuilder::new()
            .schema(
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Integer),
            )
            .description(Some("Seconds to wait before retrying"))
            .build();
        response = response.header("Retry-After", seconds);
    }
    response.build().into()
}

/// Declares a type whose responses are the given problem statuses.
macro_rules! problems {
    ($($(#[$doc:meta])* $name:ident { $($status:literal => $description:expr),+ $(,)? })+) => {$(
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([$(($status.to_owned(), problem($status, $description))),+])
            }
        }
    )+};
}

/// What a 400 says, whatever was malformed.
const MALFORMED: &str = "Malformed request: bad JSON or an unknown field in the body, or an \
                         unknown or invalid parameter or header (`errors` names it)";

problems! {
    /// 400: a parameter, path segment or header is malformed or unknown.
    BadRequest { "400" => MALFORMED }
    /// Everything a JSON request body can get wrong.
    JsonBody {
        "400" => MALFORMED,
        "408" => "The body did not arrive within BODY_READ_TIMEOUT_SECS",
        "413" => "The body is larger than JSON_BODY_LIMIT",
        "415" => "The body is not application/json",
        "422" => "Invalid values (`errors` names each field)",
    }
    /// Everything an upload's multipart body can get wrong.
    UploadBody {
        "400" => "Malformed multipart body, an unknown form field or a second file",
        "408" => "The body did not arrive within BODY_READ_TIMEOUT_SECS",
        "413" => "The file is larger than MEDIA_MAX_BYTES",
        "415" => "Not multipart/form-data, or the file is not a JPEG, PNG, WebP or GIF image \
                  (judged by its bytes)",
        "422" => "No file, an image that cannot be decoded, more pixels than MEDIA_MAX_PIXELS, \
                  or an invalid description field (`errors` names it)",
    }
    /// 401: credentials missing where required, or invalid.
    Unauthorized { "401" => "Missing, invalid or expired credentials" }
    /// 403: signed in, but the role or ownership does not allow it.
    Forbidden { "403" => "Not allowed for this caller (the description says who may)" }
    /// 404: no such resource, or none the caller may see.
    NotFound { "404" => "No such resource, or none the caller may see" }
    /// 409: conflicts with the current state.
    Conflict {
        "409" => "Conflicts with the current state; `code` says how (`duplicate` and \
                  `unknown_reference` name the field in `errors`)"
    }
    /// 412: `If-Match` names an old version.
    PreconditionFailed { "412" => "Changed since you read it: `If-Match` names an older version" }
    /// 416: a byte range outside the file.
    RangeNotSatisfiable {
        "416" => "The range is outside the file; `Content-Range: bytes */<size>` gives its size"
    }
    /// 429: throttled.
    TooManyRequests { "429" => "Too many requests; retry after `Retry-After` seconds" }
    /// 503: the database is unavailable or overloaded.
    Unavailable { "503" => "The database is unavailable; retry after `Retry-After` seconds" }
}

/// 304: the representation named by `If-None-Match` is still current.
pub struct NotModified;

impl IntoResponses for NotModified {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let response = ResponseBuilder::new()
            .description("Not modified: `If-None-Match` names the current representation")
            .build();
        BTreeMap::from([("304".to_owned(), response.into())])
    }
}
