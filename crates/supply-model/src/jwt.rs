//! Bearer tokens that are JWTs: when they expire, read from the `exp`
//! claim of the payload. For display only: the signature is not checked
//! (the API does that), and a token that is not a well-formed JWT is an
//! opaque token with no known expiry, never an error.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::time::{format_duration_secs, format_utc};

/// A warning is shown this long before a token expires.
pub const WARN_BEFORE_SECS: i64 = 120;

/// Decodes base64url, with or without its `=` padding.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.ends_with('=') {
        URL_SAFE.decode(text).ok()
    } else {
        URL_SAFE_NO_PAD.decode(text).ok()
    }
}

/// Encodes base64url without padding, as JWTs do.
pub fn base64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The claims of a JWT-shaped token: three dot-separated base64url
/// segments whose first two are JSON objects. `None` for anything else.
pub fn claims(token: &str) -> Option<serde_json::Map<String, Value>> {
    let mut parts = token.trim().split('.');
    let (header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&base64url_decode(header)?).ok()?;
    if !header.is_object() {
        return None;
    }
    match serde_json::from_slice(&base64url_decode(payload)?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// When the token expires, in Unix seconds, if it is a JWT with a usable
/// numeric `exp` claim.
pub fn expires_at(token: &str) -> Option<i64> {
    let exp = claims(token)?.get("exp")?.as_f64()?;
    // Seconds since 1970, within what a date can hold.
    (exp.is_finite() && (0.0..=253_402_300_799.0).contains(&exp)).then(|| exp.floor() as i64)
}

/// Where a token stands against its expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// More than [`WARN_BEFORE_SECS`] left.
    Valid {
        secs_left: i64,
    },
    /// Expiring within [`WARN_BEFORE_SECS`].
    Soon {
        secs_left: i64,
    },
    Expired {
        secs_ago: i64,
    },
}

impl Expiry {
    pub fn of(expires_at: i64, now: i64) -> Self {
        let left = expires_at.saturating_sub(now);
        if left <= 0 {
            Self::Expired {
                secs_ago: left.saturating_neg(),
            }
        } else if left <= WARN_BEFORE_SECS {
            Self::Soon { secs_left: left }
        } else {
            Self::Valid { secs_left: left }
        }
    }

    pub fn is_expired(self) -> bool {
        matches!(self, Self::Expired { .. })
    }

    pub fn needs_warning(self) -> bool {
        !matches!(self, Self::Valid { .. })
    }

    /// "expires in 14 min", "expires in 1 min 30 s", "expired 5 s ago".
    pub fn phrase(self) -> String {
        match self {
            Self::Valid { secs_left } | Self::Soon { secs_left } => {
                format!("expires in {}", format_duration_secs(secs_left))
            }
            Self::Expired { secs_ago: 0 } => "expired just now".to_owned(),
            Self::Expired { secs_ago } => format!("expired {} ago", format_duration_secs(secs_ago)),
        }
    }
}

/// "2026-03-01 12:15:00 UTC" for an `exp`.
pub fn format_exp(expires_at: i64) -> String {
    DateTime::<Utc>::from_timestamp(expires_at, 0)
        .map(format_utc)
        .unwrap_or_else(|| format!("{expires_at} (Unix time)"))
}

/// What a person reads about a token: `None` when it is not a JWT with an
/// `exp` (nothing is known about its expiry).
pub fn describe(token: &str, now: i64) -> Option<(Expiry, String)> {
    let exp = expires_at(token)?;
    let expiry = Expiry::of(exp, now);
    let text = format!("This token {} (at {}).", expiry.phrase(), format_exp(exp));
    Some((expiry, text))
}

/// An unsigned-looking JWT with these claims (the signature segment is a
/// fixed digest of the payload, not a real signature): for the simulator
/// and tests.
pub fn make_unsigned(claims: &Value) -> String {
    use sha2::{Digest, Sha256};
    let header = base64url_encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = base64url_encode(claims.to_string().as_bytes());
    let signature = base64url_encode(&Sha256::digest(format!("{header}.{payload}").as_bytes()));
    format!("{header}.{payload}.{signature}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_exp_claim_is_read_from_a_jwt() {
        let token = make_unsigned(&json!({"sub": "u", "exp": 1_772_366_400, "iat": 1_772_365_500}));
        assert_eq!(token.matches('.').count(), 2);
        assert_eq!(expires_at(&token), Some(1_772_366_400));
        // A fractional exp is read down to the second.
        let token = make_unsigned(&json!({"exp": 1_772_366_400.75}));
        assert_eq!(expires_at(&token), Some(1_772_366_400));
    }

    #[test]
    fn padded_base64url_is_accepted() {
        assert_eq!(base64url_decode("YQ==").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64url_decode("YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64url_decode("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(
            base64url_decode("+/8"),
            None,
            "standard base64 is not base64url"
        );
    }

    #[test]
    fn malformed_tokens_are_opaque_not_errors() {
        let header = base64url_encode(br#"{"alg":"none"}"#);
        let payload = base64url_encode(br#"{"exp":"tomorrow"}"#);
        for token in [
            "k0rdent-demo-token".to_owned(),
            "plt_sk_apikey-j2k3l4_a1b2c3d4e5f6".to_owned(),
            "a.b.c".to_owned(),
            "..".to_owned(),
            "".to_owned(),
            format!("{header}.{payload}.sig"),
            format!("{header}.{}.sig", base64url_encode(b"[1,2]")),
            format!("{header}.{}.sig", base64url_encode(b"{not json")),
            format!("{header}.{}.sig.extra", base64url_encode(br#"{"exp":1}"#)),
            format!(
                "{}.{}.s",
                base64url_encode(b"7"),
                base64url_encode(br#"{"exp":1}"#)
            ),
            format!("{header}.{}.s", base64url_encode(br#"{"sub":"no exp"}"#)),
            format!("{header}.{}.s", base64url_encode(br#"{"exp":-5}"#)),
            format!("{header}.{}.s", base64url_encode(br#"{"exp":1e300}"#)),
            "é.é.é".to_owned(),
        ] {
            assert_eq!(expires_at(&token), None, "{token:?}");
            assert_eq!(describe(&token, 0), None, "{token:?}");
        }
    }

    #[test]
    fn the_warning_starts_two_minutes_before_expiry() {
        assert_eq!(Expiry::of(1_000, 0), Expiry::Valid { secs_left: 1_000 });
        assert!(!Expiry::of(1_000, 1_000 - 121).needs_warning());
        assert_eq!(Expiry::of(1_000, 880), Expiry::Soon { secs_left: 120 });
        assert!(Expiry::of(1_000, 999).needs_warning());
        assert!(!Expiry::of(1_000, 999).is_expired());
        assert_eq!(Expiry::of(1_000, 1_000), Expiry::Expired { secs_ago: 0 });
        assert_eq!(Expiry::of(1_000, 1_005), Expiry::Expired { secs_ago: 5 });
    }

    #[test]
    fn expiry_reads_in_words() {
        assert_eq!(Expiry::of(900, 0).phrase(), "expires in 15 min");
        assert_eq!(Expiry::of(90, 0).phrase(), "expires in 1 min 30 s");
        assert_eq!(Expiry::of(90, 90).phrase(), "expired just now");
        assert_eq!(Expiry::of(90, 95).phrase(), "expired 5 s ago");
        let token = make_unsigned(&json!({"exp": 1_772_366_400}));
        let (expiry, text) = describe(&token, 1_772_366_400 - 60).unwrap();
        assert!(expiry.needs_warning());
        assert_eq!(
            text,
            "This token expires in 1 min (at 2026-03-01 12:00:00 UTC)."
        );
    }
}
