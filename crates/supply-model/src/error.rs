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
