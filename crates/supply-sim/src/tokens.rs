//! JWT-shaped bearer tokens the simulator issues on request (admin API),
//! with an `exp` a test chooses: short-lived tokens expire on the
//! simulated clock, like k0rdent's (whose example lifetime is 900 s).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Which API a token is for; each accepts only its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    Supply,
    K0rdent,
}

impl Api {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supply => "supply",
            Self::K0rdent => "k0rdent",
        }
    }
}

#[derive(Debug, Clone)]
struct Issued {
    api: Api,
    token: String,
    exp: i64,
}

/// What a token check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Expired,
    /// Not a token this simulator issued (for this API).
    Unknown,
}

#[derive(Debug, Default)]
pub struct Tokens {
    issued: Vec<Issued>,
}

/// Longest lifetime a test may ask for: a day.
pub const MAX_LIFETIME_SECS: i64 = 86_400;

impl Tokens {
    /// A new token for `api` that expires `lifetime_secs` after `now`; its
    /// `exp` (Unix seconds) comes with it.
    pub fn issue(&mut self, api: Api, lifetime_secs: i64, now: DateTime<Utc>) -> (String, i64) {
        let iat = now.timestamp();
        let exp = iat.saturating_add(lifetime_secs.clamp(0, MAX_LIFETIME_SECS));
        let jti = format!("tok-{}", self.issued.len() + 1);
        let token = supply_model::jwt::make_unsigned(&json!({
            "sub": "user-sim-0001",
            "iss": "https://auth.supply-sim.invalid",
            "aud": api.as_str(),
            "exp": exp,
            "iat": iat,
            "jti": jti,
            "tenant_id": "org-s1t2u3",
            "scope": "project",
            "scope_id": crate::k0rdent::PROJECT,
            "roles": ["viewer"],
            "principal_type": "api_key",
        }));
        self.issued.push(Issued {
            api,
            token: token.clone(),
            exp,
        });
        (token, exp)
    }

    pub fn check(&self, api: Api, token: &str, now: DateTime<Utc>) -> Verdict {
        match self
            .issued
            .iter()
            .find(|issued| issued.api == api && issued.token == token)
        {
            Some(issued) if now.timestamp() < issued.exp => Verdict::Valid,
            Some(_) => Verdict::Expired,
            None => Verdict::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn issued_tokens_are_jwts_that_expire_on_the_clock() {
        let now = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut tokens = Tokens::default();
        let (token, exp) = tokens.issue(Api::K0rdent, 130, now);
        assert_eq!(exp, now.timestamp() + 130);
        assert_eq!(supply_model::jwt::expires_at(&token), Some(exp));
        assert_eq!(tokens.check(Api::K0rdent, &token, now), Verdict::Valid);
        assert_eq!(tokens.check(Api::Supply, &token, now), Verdict::Unknown);
        let at_exp = now + Duration::seconds(130);
        assert_eq!(tokens.check(Api::K0rdent, &token, at_exp), Verdict::Expired);
        assert_eq!(tokens.check(Api::K0rdent, "other", now), Verdict::Unknown);
        let (second, _) = tokens.issue(Api::K0rdent, 130, now);
        assert_ne!(second, token, "each token is its own");
    }
}
