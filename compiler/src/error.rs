//! Turning failures into the one JSON error envelope.
//!
//! Handlers return [`ApiFailure`]; its response carries the [`Failure`] in an extension, and
//! the request middleware (which knows the request id) writes the envelope. So every error —
//! validation, 404, 405, 413, 415, overload, compile failure — has the same shape and id.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use resume_common::error::{ErrorCode, Failure};

use crate::job::CompileError;

/// A failure on its way to becoming an error response.
#[derive(Debug)]
pub struct ApiFailure(pub Failure);

impl From<Failure> for ApiFailure {
    fn from(f: Failure) -> Self {
        ApiFailure(f)
    }
}

impl From<CompileError> for ApiFailure {
    fn from(e: CompileError) -> Self {
        let f = match &e {
            CompileError::Overloaded { .. } => Failure::new(ErrorCode::API008, e.to_string()),
            CompileError::Timeout(_) => Failure::new(ErrorCode::TPL009, e.to_string()),
            CompileError::Failed { reason } => Failure::new(
                ErrorCode::TPL007,
                format!("the document could not be compiled: {reason}"),
            ),
            CompileError::Missing(_) => {
                tracing::error!(error = %e, "pdflatex is not installed");
                Failure::new(ErrorCode::SYS006, "the PDF compiler is not available")
            }
            CompileError::Io(_) => {
                tracing::error!(error = %e, "compile job failed");
                Failure::new(ErrorCode::SYS001, "something went wrong")
            }
        };
        ApiFailure(f)
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = status.into_response();
        if matches!(
            self.0.code,
            ErrorCode::API008 | ErrorCode::TPL009 | ErrorCode::API005
        ) {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        resp.extensions_mut().insert(self.0);
        resp
    }
}

/// Writes the envelope for a failure.
pub fn envelope_response(mut resp: Response, failure: Failure, request_id: &str) -> Response {
    let body = serde_json::to_vec(&failure.envelope(request_id, &crate::clock::rfc3339_now()))
        .expect("envelopes serialize");
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.remove(header::CONTENT_LENGTH);
    *resp.body_mut() = axum::body::Body::from(body);
    resp
}
