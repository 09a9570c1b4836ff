//! The k0rdent API's base URL and token, kept apart from the Supply ones:
//! a different service with its own OAuth2/OIDC token, which is only ever
//! sent to the k0rdent base URL. The token is kept where the user chose
//! for the Supply token (the one "Keep the token" choice in Settings).

use super::config::RuntimeConfig;
use super::session::{use_api_session, ApiKind, ApiSession};

/// The k0rdent compute API.
#[derive(Clone, Copy, Debug)]
pub(crate) struct K0rdent;

impl ApiKind for K0rdent {
    const NAME: &'static str = "k0rdent";
    /// The active profile's key suffix for k0rdent base url.
    const BASE_URL_KEY: &'static str = "k0rdent_base_url";
    /// The active profile's key suffix for k0rdent token.
    const TOKEN_KEY: &'static str = "k0rdent_token";

    fn configured_base_url(config: &RuntimeConfig) -> Option<String> {
        config.k0rdent_base_url.clone()
    }
}

/// The k0rdent session, shared by every page through context.
pub(crate) type K0rdentSession = ApiSession<K0rdent>;

pub(crate) fn use_k0rdent_session() -> K0rdentSession {
    use_api_session()
}
