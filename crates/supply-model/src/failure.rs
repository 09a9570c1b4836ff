//! Every way a call can fail, each with words for a person: what happened
//! and what to do next. The console's fetch helper builds these; the
//! wording lives here so it is tested natively.

use crate::error::{parse_error_detail, parse_error_envelope, ErrorDetail, ValidationError};
use crate::jwt;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// No base URL or token is set yet.
    NotConfigured,
    /// The request never got an HTTP answer: offline, refused, DNS, or a
    /// CORS refusal, which browsers do not tell apart.
    Network { origin: String },
    /// An HTTP error status other than 422.
    Http {
        status: u16,
        detail: Option<String>,
        retry_after_secs: Option<u32>,
        /// The id support asks for, when the API gave one.
        request_id: Option<String>,
    },
    /// A 401 for a token whose `exp` has passed: expired, not refused.
    TokenExpired {
        /// The token's `exp`, Unix seconds.
        expired_at: i64,
        request_id: Option<String>,
    },
    /// 422 with the fields the API refused.
    Validation { fields: Vec<ValidationError> },
    /// A 2xx answer whose body is not the JSON the console expects.
    Decode { detail: String },
    /// The page that asked is gone; nobody will see this.
    Aborted,
}

impl ApiFailure {
    /// Classifies a non-2xx answer from its status, body and `Retry-After`.
    /// Bodies are FastAPI's `detail` or either k0rdent error envelope.
    pub fn from_response(status: u16, body: &str, retry_after: Option<&str>) -> Self {
        let retry_after_secs = retry_after.and_then(|raw| raw.trim().parse::<u32>().ok());
        let http = |detail: Option<String>, request_id: Option<String>| Self::Http {
            status,
            detail,
            retry_after_secs,
            request_id,
        };
        match parse_error_detail(body) {
            Some(ErrorDetail::Fields(fields)) if status == 422 => Self::Validation { fields },
            Some(ErrorDetail::Fields(fields)) => http(
                Some(
                    fields
                        .iter()
                        .map(|field| field.msg.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                None,
            ),
            Some(ErrorDetail::Text(text)) => http(Some(text), None),
            None => match parse_error_envelope(body) {
                Some(envelope) => {
                    let detail = match (envelope.message, envelope.code) {
                        (Some(message), Some(code))
                            if !code.chars().all(|c| c.is_ascii_digit()) =>
                        {
                            Some(format!("{message} ({code})"))
                        }
                        (Some(message), _) => Some(message),
                        (None, code) => code,
                    };
                    http(detail, envelope.request_id)
                }
                None if status == 422 => Self::Validation { fields: Vec::new() },
                None => http(None, None),
            },
        }
    }

    /// Adds the request id an `X-Request-Id` header gave, unless the body
    /// named one.
    pub fn with_request_id(mut self, header: Option<&str>) -> Self {
        let given = header.map(str::trim).filter(|id| !id.is_empty());
        if let (Self::Http { request_id, .. } | Self::TokenExpired { request_id, .. }, Some(id)) =
            (&mut self, given)
        {
            if request_id.is_none() {
                *request_id = Some(id.to_owned());
            }
        }
        self
    }

    /// A 401 for `token`: said to be expired when the token is a JWT whose
    /// `exp` is at or before `now` (Unix seconds), refused otherwise.
    pub fn for_token(self, token: &str, now: i64) -> Self {
        match self {
            Self::Http {
                status: 401,
                request_id,
                ..
            } if jwt::expires_at(token).is_some_and(|exp| exp <= now) => Self::TokenExpired {
                expired_at: jwt::expires_at(token).unwrap_or_default(),
                request_id,
            },
            other => other,
        }
    }

    /// The id to quote to support, when the API gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Http { request_id, .. } | Self::TokenExpired { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http { status, .. } => Some(*status),
            Self::TokenExpired { .. } => Some(401),
            Self::Validation { .. } => Some(422),
            _ => None,
        }
    }

    /// True when the token is the problem, so the console offers settings.
    pub fn is_auth(&self) -> bool {
        matches!(self, Self::NotConfigured) || self.status() == Some(401)
    }

    /// Worth trying again as it is: the network, rate limits, server faults.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Network { .. } | Self::Decode { .. } => true,
            Self::Http { status, .. } => *status == 408 || *status == 429 || *status >= 500,
            _ => false,
        }
    }

    /// A short headline.
    pub fn title(&self) -> String {
        match self {
            Self::NotConfigured => "Not signed in".into(),
            Self::Network { .. } => "The API could not be reached".into(),
            Self::Http { status, .. } => format!("{} ({status})", status_title(*status)),
            Self::TokenExpired { .. } => "Token expired (401)".into(),
            Self::Validation { .. } => "The API did not accept the request (422)".into(),
            Self::Decode { .. } => "The API's answer could not be read".into(),
            Self::Aborted => "Request cancelled".into(),
        }
    }

    /// What happened, in a sentence or two; API text is quoted, never markup.
    pub fn message(&self) -> String {
        match self {
            Self::NotConfigured => "No API token is set for this browser.".into(),
            Self::Network { origin } => format!(
                "The API at {origin} could not be reached. The network may be down, the \
                 address may be wrong, or the API may not allow requests from this origin (CORS)."
            ),
            Self::Http { status, detail, .. } => {
                let base = status_message(*status);
                match detail {
                    Some(detail) => format!("{base} The API said: “{detail}”"),
                    None => base.to_owned(),
                }
            }
            Self::TokenExpired { expired_at, .. } => format!(
                "The token expired at {} (its exp claim says so), so the API no longer accepts it.",
                jwt::format_exp(*expired_at)
            ),
            Self::Validation { fields } if fields.is_empty() => {
                "The API refused the request's content but did not say which field.".into()
            }
            Self::Validation { fields } => fields
                .iter()
                .map(|field| match field.location() {
                    loc if loc.is_empty() => field.msg.clone(),
                    loc => format!("{loc}: {}", field.msg),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Self::Decode { detail } => {
                format!("The API answered, but not with the data the console expects ({detail}).")
            }
            Self::Aborted => "The page that made this request was closed.".into(),
        }
    }

    /// What the person can do about it.
    pub fn action(&self) -> String {
        match self {
            Self::NotConfigured => "Enter your API token in Settings.".into(),
            Self::Network { .. } => "Check the API base URL in Settings and your connection, \
                then retry. If the address is right, ask the API's operators to allow this \
                console's origin."
                .into(),
            Self::Http {
                status,
                retry_after_secs,
                ..
            } => match (*status, retry_after_secs) {
                (429, Some(secs)) => format!("Wait {secs} s, then retry."),
                (status, _) => status_action(status).to_owned(),
            },
            Self::TokenExpired { .. } => {
                "Save a new token in Settings; this page is kept, and Settings brings you back to it."
                    .into()
            }
            Self::Validation { .. } => "Correct the fields named above and submit again.".into(),
            Self::Decode { .. } => "Retry. If it happens again, the API may have changed; \
                report it with the time it happened."
                .into(),
            Self::Aborted => "Nothing to do.".into(),
        }
    }
}

fn status_title(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        401 => "Token refused",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict",
        410 => "Gone",
        422 => "Not accepted",
        429 => "Too many requests",
        500 => "The API failed",
        502 => "Bad gateway",
        503 => "The API is unavailable",
        504 => "Gateway timeout",
        s if s >= 500 => "The API failed",
        _ => "Request failed",
    }
}

fn status_message(status: u16) -> &'static str {
    match status {
        400 => "The API could not understand the request.",
        401 => "The API refused the token (401 Unauthorized).",
        403 => "The token is valid but may not do this (403 Forbidden).",
        404 => "It does not exist, or it is not visible to this token.",
        409 => "The request conflicts with the current state, e.g. the offer is already procured.",
        410 => "It is gone: offers expire 30 minutes after they are made.",
        429 => "The API is limiting how often this token may call it.",
        s if s >= 500 => "The API had a problem on its side; this is not your input.",
        _ => "The API refused the request.",
    }
}

fn status_action(status: u16) -> &'static str {
    match status {
        401 => "Check the API token in Settings, or get a new one.",
        403 => "Use a token with access to this, or ask your administrator.",
        404 => "Check the link or id, and that you use the right token.",
        409 => "Reload to see the current state.",
        410 => "Choose a current offer; the form keeps what you typed.",
        429 => "Wait a little, then retry.",
        s if s >= 500 => "Retry in a moment; if it persists, the service may be down.",
        _ => "Check the request and try again.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_token_says_401_and_refused() {
        let failure = ApiFailure::from_response(401, r#"{"detail":"Invalid token"}"#, None);
        assert!(failure.is_auth());
        assert!(failure.title().contains("401"));
        assert!(failure.message().contains("refused"));
        assert!(failure.message().contains("“Invalid token”"));
        assert!(failure.action().contains("Settings"));
    }

    #[test]
    fn validation_errors_keep_their_fields() {
        let body = r#"{"detail":[{"loc":["body","ssh_public_key"],"msg":"too short","type":"x"}]}"#;
        let failure = ApiFailure::from_response(422, body, None);
        match &failure {
            ApiFailure::Validation { fields } => {
                assert_eq!(fields[0].body_field(), Some("ssh_public_key"))
            }
            other => panic!("expected validation, got {other:?}"),
        }
        assert_eq!(failure.message(), "body → ssh_public_key: too short");
        assert_eq!(failure.status(), Some(422));
    }

    #[test]
    fn a_422_without_fields_is_still_a_validation_failure() {
        let failure = ApiFailure::from_response(422, "nonsense", None);
        assert_eq!(failure, ApiFailure::Validation { fields: vec![] });
        assert!(failure.message().contains("did not say which field"));
    }

    #[test]
    fn rate_limits_honour_retry_after() {
        let failure = ApiFailure::from_response(429, "", Some("7"));
        assert!(failure.is_retryable());
        assert_eq!(failure.action(), "Wait 7 s, then retry.");
        let without = ApiFailure::from_response(429, "", Some("soon"));
        assert_eq!(without.action(), "Wait a little, then retry.");
    }

    #[test]
    fn every_status_has_words() {
        for status in [
            400, 401, 403, 404, 409, 410, 418, 429, 500, 502, 503, 504, 599,
        ] {
            let failure = ApiFailure::from_response(status, "<html>oops</html>", None);
            assert!(failure.title().contains(&status.to_string()), "{status}");
            assert!(!failure.message().is_empty());
            assert!(!failure.action().is_empty());
            assert!(
                !failure.message().contains("<html>"),
                "bodies that are not JSON are not shown"
            );
        }
        assert!(ApiFailure::from_response(503, "", None).is_retryable());
        assert!(!ApiFailure::from_response(404, "", None).is_retryable());
    }

    #[test]
    fn network_failures_mention_cors_and_the_origin() {
        let failure = ApiFailure::Network {
            origin: "http://127.0.0.1:9".into(),
        };
        assert!(failure.message().contains("could not be reached"));
        assert!(failure.message().contains("CORS"));
        assert!(failure.message().contains("http://127.0.0.1:9"));
        assert!(failure.is_retryable());
    }

    #[test]
    fn k0rdent_envelopes_give_their_message_and_request_id() {
        let spec =
            r#"{"error":{"code":404,"message":"Project project-zz not found","details":[]}}"#;
        let failure = ApiFailure::from_response(404, spec, None);
        assert!(failure.message().contains("“Project project-zz not found”"));
        assert_eq!(failure.request_id(), None);
        let docs = r#"{"success":false,"error":{"code":"VALIDATION_ERROR","message":"Invalid page token"},"meta":{"requestId":"req_sim-7"}}"#;
        let failure = ApiFailure::from_response(400, docs, None);
        assert!(failure
            .message()
            .contains("“Invalid page token (VALIDATION_ERROR)”"));
        assert_eq!(failure.request_id(), Some("req_sim-7"));
        // The header's id fills in, but never replaces the body's.
        let failure = failure.with_request_id(Some("req_header"));
        assert_eq!(failure.request_id(), Some("req_sim-7"));
        let failure = ApiFailure::from_response(404, spec, None).with_request_id(Some(" req_h "));
        assert_eq!(failure.request_id(), Some("req_h"));
        // An envelope on a 422 keeps its message.
        let failure = ApiFailure::from_response(422, docs, None);
        assert!(failure.message().contains("Invalid page token"));
    }

    #[test]
    fn a_401_after_expiry_says_expired_not_refused() {
        let token = crate::jwt::make_unsigned(&serde_json::json!({"exp": 1_000}));
        let refused =
            ApiFailure::from_response(401, r#"{"detail":"Invalid or expired token"}"#, None);
        let expired = refused.clone().for_token(&token, 1_000);
        assert!(matches!(
            expired,
            ApiFailure::TokenExpired {
                expired_at: 1_000,
                ..
            }
        ));
        assert!(expired.is_auth());
        assert_eq!(expired.title(), "Token expired (401)");
        assert!(expired
            .message()
            .contains("expired at 1970-01-01 00:16:40 UTC"));
        assert!(!expired.message().contains("refused"));
        assert!(expired.action().contains("Settings"));
        // Before exp, or an opaque token: refused, as the API said.
        assert_eq!(refused.clone().for_token(&token, 999), refused);
        assert_eq!(
            refused.clone().for_token("k0rdent-demo-token", 5_000),
            refused
        );
        // Other statuses are left alone.
        let gone = ApiFailure::from_response(404, "", None);
        assert_eq!(gone.clone().for_token(&token, 5_000), gone);
    }

    #[test]
    fn decode_failures_say_what_was_wrong() {
        let failure = ApiFailure::Decode {
            detail: "expected a list of offers, got a string".into(),
        };
        assert!(failure.message().contains("expected a list of offers"));
    }
}
