//! Error codes, field errors and the one JSON error envelope shared by the edge and the origin.
//!
//! The codes keep the reference service's registry (`VAL001`, `TPL001`, …) so its clients keep
//! working; codes the reference declared but never registered get a title and status here.

use serde::{Deserialize, Serialize};

/// A stable, client-visible error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ErrorCode {
    /// A required field is missing.
    VAL001,
    /// A field has the wrong type.
    VAL002,
    /// An email address is invalid.
    VAL003,
    /// A phone number is invalid.
    VAL004,
    /// A URL is invalid or uses a scheme other than http, https or mailto.
    VAL005,
    /// A date is not in an accepted format.
    VAL006,
    /// A string is longer than the limit.
    VAL007,
    /// A list has more items than the limit.
    VAL008,
    /// A character the templates' fonts cannot show.
    VAL009,
    /// An aggregate of several validation errors.
    VAL010,
    /// An unknown field (a warning, never an error).
    VAL011,
    /// A field value is not one of the allowed values.
    VAL012,
    /// The JSON body could not be parsed.
    VAL013,
    /// The YAML body could not be parsed.
    VAL014,
    /// A field was ignored: another key for the same section took precedence, or a photo was
    /// an address, which is never fetched (warning).
    VAL015,
    /// A photo is not a PNG or JPEG `data:` URI within the size and dimension limits.
    VAL016,
    /// The template does not exist.
    TPL001,
    /// LaTeX compilation failed.
    TPL007,
    /// Compilation produced no PDF.
    TPL008,
    /// Compilation took longer than the limit.
    TPL009,
    /// The request is invalid.
    API001,
    /// A required parameter is missing.
    API002,
    /// A parameter has an invalid value.
    API003,
    /// The request body is too large.
    API004,
    /// Too many requests.
    API005,
    /// The content type is not supported.
    API006,
    /// The method is not allowed on this route.
    API007,
    /// The service is overloaded; retry later.
    API008,
    /// The resource does not exist.
    API011,
    /// An internal error.
    SYS001,
    /// A dependency (pdflatex) is missing.
    SYS006,
    /// The shared cache could not be reached for an operation that needs it.
    SYS003,
    /// The edge could not reach the origin.
    SYS005,
    /// The operation needs credentials that were missing or wrong.
    SEC001,
}

/// How bad an error is, as in the reference envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational; the request still succeeded.
    Warning,
    /// The request failed.
    Error,
    /// The request failed because of a server fault.
    Critical,
}

impl ErrorCode {
    /// The HTTP status this code is answered with.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            VAL001 | VAL002 | VAL003 | VAL004 | VAL005 | VAL006 | VAL007 | VAL008 | VAL010
            | VAL011 | VAL012 | VAL013 | VAL014 | VAL015 | API001 | API002 | API003 => 400,
            VAL009 | VAL016 | TPL007 | TPL008 => 422,
            TPL001 | API011 => 404,
            API007 => 405,
            API004 => 413,
            API006 => 415,
            API005 => 429,
            API008 | TPL009 => 503,
            SYS001 | SYS006 => 500,
            SYS003 => 503,
            SYS005 => 502,
            SEC001 => 401,
        }
    }

    /// The short human title shown in the envelope.
    pub fn title(self) -> &'static str {
        use ErrorCode::*;
        match self {
            VAL001 => "Required Field Missing",
            VAL002 => "Invalid Field Type",
            VAL003 => "Invalid Email",
            VAL004 => "Invalid Phone",
            VAL005 => "Invalid URL",
            VAL006 => "Invalid Date Format",
            VAL007 => "Value Too Long",
            VAL008 => "Too Many Items",
            VAL009 => "Unsupported Character",
            VAL010 => "Validation Failed",
            VAL011 => "Unknown Field",
            VAL012 => "Invalid Value",
            VAL013 => "Invalid JSON Structure",
            VAL014 => "Invalid YAML Structure",
            VAL015 => "Field Ignored",
            VAL016 => "Unsupported Image",
            TPL001 => "Template Not Found",
            TPL007 => "LaTeX Compilation Failed",
            TPL008 => "PDF Generation Failed",
            TPL009 => "Compilation Timed Out",
            API001 => "Invalid Request",
            API002 => "Missing Parameter",
            API003 => "Invalid Parameter",
            API004 => "Payload Too Large",
            API005 => "Rate Limit Exceeded",
            API006 => "Unsupported Media Type",
            API007 => "Method Not Allowed",
            API008 => "Service Overloaded",
            API011 => "Resource Not Found",
            SYS001 => "Internal Error",
            SYS006 => "Dependency Not Found",
            SYS003 => "Cache Unavailable",
            SYS005 => "Origin Unavailable",
            SEC001 => "Authentication Required",
        }
    }

    /// The category shown in the envelope.
    pub fn category(self) -> &'static str {
        let name = self.as_str();
        match &name[..3] {
            "VAL" => "validation",
            "TPL" => "template",
            "API" => "api",
            "SEC" => "security",
            _ => "system",
        }
    }

    /// The severity shown in the envelope.
    pub fn severity(self) -> Severity {
        match self {
            ErrorCode::VAL011 | ErrorCode::VAL015 => Severity::Warning,
            ErrorCode::SYS001 | ErrorCode::SYS006 => Severity::Critical,
            _ => Severity::Error,
        }
    }

    /// A generic hint for this code, used when the error carries no specific one.
    pub fn suggested_fix(self) -> &'static str {
        use ErrorCode::*;
        match self {
            VAL001 => {
                "add the missing field; GET /schema/resume and /schema/cover_letter list every field"
            }
            VAL002 => {
                "send the field with the type shown by GET /schema/resume or /schema/cover_letter"
            }
            VAL003 => "use an address of the form name@example.org",
            VAL004 => "use digits, spaces and + - ( ) only",
            VAL005 => "use an http, https or mailto URL",
            VAL006 => "use YYYY-MM, YYYY-MM-DD, MM-YYYY, YYYY, 'Mar 2021' or 'Present'",
            VAL007 => "shorten the text to at most 10,000 characters",
            VAL008 => "send at most 200 items in a list",
            VAL009 => {
                "remove or replace the character; Latin, Greek and Cyrillic text is supported"
            }
            VAL010 => "fix every error listed in 'errors'",
            VAL011 | VAL015 => "remove the field or rename it to a supported key",
            VAL012 => "use one of the allowed values named in the message",
            VAL016 => {
                "send a PNG or JPEG of at most 512 KB and 4000 × 4000 pixels as data:image/png;base64,…"
            }
            VAL013 => "send a valid JSON object",
            VAL014 => "send valid YAML whose top level is a mapping",
            TPL001 => "use one of the templates listed by GET /templates",
            TPL007 | TPL008 => {
                "check the text for unusual content; report the request_id if it persists"
            }
            TPL009 => "retry later; very long documents may need to be shortened",
            API001 | API002 | API003 => "check the request against GET /openapi.json",
            API004 => "send a body of at most 1 MiB",
            API005 | API008 => "retry after the number of seconds in the Retry-After header",
            API006 => "send Content-Type: application/json",
            API007 => "check the method against GET /openapi.json",
            API011 => "check the path against GET /openapi.json",
            SYS001 | SYS006 => "retry later and report the request_id if it persists",
            SYS003 => "retry when the shared cache (Redis) is reachable again; see GET /ready",
            SYS005 => "retry after the number of seconds in the Retry-After header",
            SEC001 => "send Authorization: Bearer <CACHE_ADMIN_TOKEN>",
        }
    }

    /// The code as text, e.g. `"VAL001"`.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            VAL001 => "VAL001",
            VAL002 => "VAL002",
            VAL003 => "VAL003",
            VAL004 => "VAL004",
            VAL005 => "VAL005",
            VAL006 => "VAL006",
            VAL007 => "VAL007",
            VAL008 => "VAL008",
            VAL009 => "VAL009",
            VAL010 => "VAL010",
            VAL011 => "VAL011",
            VAL012 => "VAL012",
            VAL013 => "VAL013",
            VAL014 => "VAL014",
            VAL015 => "VAL015",
            VAL016 => "VAL016",
            TPL001 => "TPL001",
            TPL007 => "TPL007",
            TPL008 => "TPL008",
            TPL009 => "TPL009",
            API001 => "API001",
            API002 => "API002",
            API003 => "API003",
            API004 => "API004",
            API005 => "API005",
            API006 => "API006",
            API007 => "API007",
            API008 => "API008",
            API011 => "API011",
            SYS001 => "SYS001",
            SYS006 => "SYS006",
            SYS003 => "SYS003",
            SYS005 => "SYS005",
            SEC001 => "SEC001",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with one field, located by a JSON pointer into the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldError {
    /// The error code.
    pub code: ErrorCode,
    /// JSON pointer (RFC 6901) to the offending value, e.g. `/data/experience/2/startDate`.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            path: path.into(),
            message: message.into(),
        }
    }
}

/// The body of every error response: `{"error": {...}}`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ApiError,
}

/// The error object inside the envelope, in the reference's shape plus `errors`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApiError {
    /// The error code.
    pub code: ErrorCode,
    /// `validation`, `template`, `api` or `system`.
    pub category: String,
    /// `error` or `critical`.
    pub severity: Severity,
    /// A short title for the code.
    pub title: String,
    /// What went wrong.
    pub message: String,
    /// The request's id, also sent as the `X-Request-Id` header.
    pub request_id: String,
    /// When the error happened (RFC 3339, UTC).
    pub timestamp: String,
    /// What to do about it.
    pub suggested_fix: String,
    /// JSON pointer of the first offending field, when the error is about a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field error, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extra machine-readable details (e.g. the supported formats).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub context: serde_json::Map<String, serde_json::Value>,
    /// A link to documentation, when there is one.
    pub documentation_url: Option<String>,
}

/// An error on its way to becoming an [`ErrorEnvelope`]: the part that does not depend on the
/// request (id, time).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The error code; decides the HTTP status.
    pub code: ErrorCode,
    /// What went wrong.
    pub message: String,
    /// Field errors, if any.
    pub errors: Vec<FieldError>,
    /// Extra details for the client.
    pub context: serde_json::Map<String, serde_json::Value>,
    /// A hint more specific than the code's generic one.
    pub hint: Option<String>,
}

impl Failure {
    /// A failure with a message and no field errors.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            errors: Vec::new(),
            context: serde_json::Map::new(),
            hint: None,
        }
    }

    /// A failure made of field errors; the first one decides the code and message.
    pub fn from_fields(errors: Vec<FieldError>) -> Self {
        let first = errors
            .first()
            .cloned()
            .unwrap_or_else(|| FieldError::new(ErrorCode::VAL010, "", "the document is invalid"));
        let message = if errors.len() > 1 {
            format!("{} (and {} more errors)", first.message, errors.len() - 1)
        } else {
            first.message.clone()
        };
        // Unsupported characters outrank the other codes so that the status is the 422 the
        // client can act on; otherwise the first error decides.
        let code = if errors.iter().any(|e| e.code == ErrorCode::VAL009)
            && errors.iter().all(|e| e.code == ErrorCode::VAL009)
        {
            ErrorCode::VAL009
        } else {
            first.code
        };
        Self {
            code,
            message,
            errors,
            context: serde_json::Map::new(),
            hint: None,
        }
    }

    /// Adds a context entry.
    pub fn with_context(mut self, key: &str, value: serde_json::Value) -> Self {
        self.context.insert(key.to_owned(), value);
        self
    }

    /// Replaces the generic hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The full envelope for a request.
    pub fn envelope(self, request_id: &str, timestamp: &str) -> ErrorEnvelope {
        let field = self.errors.first().map(|e| e.path.clone());
        ErrorEnvelope {
            error: ApiError {
                code: self.code,
                category: self.code.category().to_owned(),
                severity: self.code.severity(),
                title: self.code.title().to_owned(),
                message: self.message,
                request_id: request_id.to_owned(),
                timestamp: timestamp.to_owned(),
                suggested_fix: self
                    .hint
                    .unwrap_or_else(|| self.code.suggested_fix().to_owned()),
                field,
                errors: self.errors,
                context: self.context,
                documentation_url: None,
            },
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Failure {}
