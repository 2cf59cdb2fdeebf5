//! Validated JSON bodies: `Valid<T>` extracts `web::Json<T>` (with its size,
//! content-type and syntax errors), then runs `validator` rules and rejects
//! NUL characters anywhere in the input (PostgreSQL cannot store them).
//!
//! Values that break a rule are rejected with 422, never truncated.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};

/// A JSON body that passed its validation rules.
#[derive(Debug)]
pub struct Valid<T>(pub T);

impl<T> FromRequest for Valid<T>
where
    T: DeserializeOwned + Validate + Serialize + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<T>::from_request(req, payload);
        Box::pin(async move {
            let body = json.await?.into_inner();
            check(&body)?;
            Ok(Valid(body))
        })
    }
}

/// Runs the rules of `body`, mapping failures to a 422 with field errors.
pub fn check<T: Validate + Serialize>(body: &T) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let Ok(value) = serde_json::to_value(body) {
        find_nul("", &value, &mut errors);
    }
    if let Err(e) = body.validate() {
        flatten("", &e, &mut errors);
    }
    if errors.is_empty() {
        return Ok(());
    }
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    let detail = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    Err(ApiError::Unprocessable { detail, errors })
}

fn find_nul(path: &str, value: &Value, out: &mut Vec<FieldError>) {
    match value {
        Value::String(s) if s.contains('\0') => {
            out.push(FieldError::new(path, "must not contain NUL characters"))
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_nul(&format!("{path}[{i}]"), item, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                find_nul(&p, v, out);
            }
        }
        _ => {}
    }
}

fn flatten(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| describe(e));
                    out.push(FieldError::new(path.clone(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

/// A readable message for the built-in rules.
fn describe(e: &validator::ValidationError) -> String {
    let param = |name: &str| e.params.get(name).map(ToString::to_string);
    match e.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max} characters"),
            (None, Some(max)) => format!("must be at most {max} characters"),
            (Some(min), None) => format!("must be at least {min} characters"),
            _ => "invalid length".to_owned(),
        },
        "url" => "must be an absolute http(s) URL".to_owned(),
        "email" => "must be a valid email address".to_owned(),
        "range" => "out of range".to_owned(),
        other => format!("invalid ({other})"),
    }
}

/// `validator` rule: an absolute `http` or `https` URL of at most 2048 chars.
pub fn http_url(value: &str) -> Result<(), validator::ValidationError> {
    let ok = value.len() <= 2048
        && url::Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("url"))
    }
}

/// `validator` rule: a slug as produced by [`crate::text::slug::slugify`].
pub fn slug(value: &str) -> Result<(), validator::ValidationError> {
    if crate::text::slug::is_valid_slug(value) {
        Ok(())
    } else {
        let mut e = validator::ValidationError::new("slug");
        e.message = Some(
            "must be lowercase letters or digits separated by single hyphens (not digits only), at most 80 characters"
                .into(),
        );
        Err(e)
    }
}

/// `validator` rule: not only whitespace.
pub fn not_blank(value: &str) -> Result<(), validator::ValidationError> {
    if value.trim().is_empty() {
        let mut e = validator::ValidationError::new("blank");
        e.message = Some("must not be blank".into());
        Err(e)
    } else {
        Ok(())
    }
}
