//! Error bodies: `HTTPValidationError` for 422 and `{"detail": "text"}`
//! for the other statuses.

use serde::{Deserialize, Serialize};

use crate::wire::Extra;

/// One segment of a validation error's location: a field name or an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LocItem {
    Field(String),
    Index(i64),
}

impl std::fmt::Display for LocItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Field(name) => f.write_str(name),
            Self::Index(index) => write!(f, "{index}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationError {
    #[serde(default)]
    pub loc: Vec<LocItem>,
    pub msg: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(flatten)]
    pub extra: Extra,
}

impl ValidationError {
    /// The body field this error names: `["body", "ssh_public_key"]` gives
    /// `ssh_public_key`. Locations outside the body (path, query) give `None`.
    pub fn body_field(&self) -> Option<&str> {
        match self.loc.as_slice() {
            [LocItem::Field(root), LocItem::Field(field), ..] if root == "body" => Some(field),
            [LocItem::Field(field)] if field != "body" => Some(field),
            _ => None,
        }
    }

    /// "body → ssh_public_key" for display.
    pub fn location(&self) -> String {
        self.loc
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpValidationError {
    #[serde(default)]
    pub detail: Vec<ValidationError>,
}

/// What an error body's `detail` held.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorDetail {
    Text(String),
    Fields(Vec<ValidationError>),
}

/// Reads `detail` from any error body; `None` when the body is not JSON or
/// has no usable `detail`, so the caller falls back to the status text.
pub fn parse_error_detail(body: &str) -> Option<ErrorDetail> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    match value.get("detail")? {
        serde_json::Value::String(text) if !text.trim().is_empty() => {
            Some(ErrorDetail::Text(text.clone()))
        }
        list @ serde_json::Value::Array(_) => {
            let fields: Vec<ValidationError> = serde_json::from_value(list.clone()).ok()?;
            (!fields.is_empty()).then_some(ErrorDetail::Fields(fields))
        }
        _ => None,
    }
}

/// The k0rdent API's error body, in either of its published shapes: the
/// OpenAPI spec's `{"error": {"code": 404, "message", "details"}}` or the
/// docs site's `{"success": false, "error": {"code": "NOT_FOUND",
/// "message", "details"}, "meta": {"requestId", "timestamp"}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// `404` or `NOT_FOUND`, as text.
    pub code: Option<String>,
    pub message: Option<String>,
    /// What support asks for: `meta.requestId` (or `error.requestId`).
    pub request_id: Option<String>,
}

fn text_of(value: Option<&serde_json::Value>) -> Option<String> {
    let text = match value? {
        serde_json::Value::String(text) => text.trim().to_owned(),
        serde_json::Value::Number(number) => number.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Reads either envelope; `None` when the body is neither (not JSON, no
/// `error` object or text), so the caller falls back to other shapes.
pub fn parse_error_envelope(body: &str) -> Option<ErrorEnvelope> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let error = value.get("error")?;
    let request_id = text_of(value.get("meta").and_then(|m| m.get("requestId")))
        .or_else(|| text_of(error.get("requestId")));
    let envelope = match error {
        serde_json::Value::Object(_) => ErrorEnvelope {
            code: text_of(error.get("code")),
            message: text_of(error.get("message")),
            request_id,
        },
        // An OAuth-style `{"error": "invalid_token"}`.
        serde_json::Value::String(_) => ErrorEnvelope {
            code: None,
            message: text_of(Some(error)),
            request_id,
        },
        _ => return None,
    };
    (envelope.code.is_some() || envelope.message.is_some() || envelope.request_id.is_some())
        .then_some(envelope)
}

#[cfg(test)]
mod envelope_tests {
    use super::*;

    #[test]
    fn the_specs_envelope_is_read() {
        let body = r#"{"error":{"code":404,"message":"Instance instance-zz not found","details":[{"field":"id"}]}}"#;
        assert_eq!(
            parse_error_envelope(body),
            Some(ErrorEnvelope {
                code: Some("404".into()),
                message: Some("Instance instance-zz not found".into()),
                request_id: None,
            })
        );
    }

    #[test]
    fn the_docs_sites_envelope_is_read_with_its_request_id() {
        let body = r#"{"success":false,"error":{"code":"VALIDATION_ERROR","message":"Invalid page token","details":{"pageToken":"bad"}},"meta":{"requestId":"req_sfo1-1770564159296-7d4b9e1f3a5b","timestamp":"2026-02-08T15:22:39Z"}}"#;
        let envelope = parse_error_envelope(body).unwrap();
        assert_eq!(envelope.code.as_deref(), Some("VALIDATION_ERROR"));
        assert_eq!(envelope.message.as_deref(), Some("Invalid page token"));
        assert_eq!(
            envelope.request_id.as_deref(),
            Some("req_sfo1-1770564159296-7d4b9e1f3a5b")
        );
    }

    #[test]
    fn other_bodies_are_not_envelopes() {
        for body in [
            "",
            "<html>502</html>",
            r#"{"detail":"Not Found"}"#,
            r#"{"error":null}"#,
            r#"{"error":{}}"#,
            r#"{"error":{"message":"  "}}"#,
            r#"[{"error":{"message":"x"}}]"#,
        ] {
            assert_eq!(parse_error_envelope(body), None, "{body}");
        }
        let oauth = parse_error_envelope(r#"{"error":"invalid_token"}"#).unwrap();
        assert_eq!(oauth.message.as_deref(), Some("invalid_token"));
    }
}
