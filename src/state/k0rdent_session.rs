//! The k0rdent API's base URL and token, kept apart from the Supply ones:
//! a different service with its own OAuth2/OIDC token, which is only ever
//! sent to the k0rdent base URL. The token is kept where the user chose
//! for the Supply token (the one "Keep the token" choice in Settings).

use leptos::prelude::*;

use super::config::RuntimeConfig;
use super::profiles;
use super::session::TokenStorage;
use super::storage::{self, Area};
use crate::api::ApiClient;

/// The active profile's key suffix for k0rdent base url.
const BASE_URL: &str = "k0rdent_base_url";
/// The active profile's key suffix for k0rdent token.
const TOKEN: &str = "k0rdent_token";

#[derive(Clone, Copy)]
pub struct K0rdentSession {
    pub base_url: RwSignal<String>,
    pub token: RwSignal<Option<String>>,
    /// The base URL `config.json` named.
    pub default_base_url: RwSignal<String>,
}

impl K0rdentSession {
    /// Restores what this browser kept, from where the Supply session
    /// says tokens are kept.
    pub fn restore(config: &RuntimeConfig, choice: TokenStorage) -> Self {
        let default_base_url = config.k0rdent_base_url.clone().unwrap_or_default();
        let base_url = storage::read(Area::Local, &profiles::key(BASE_URL))
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| default_base_url.clone());
        let token = storage::read(choice.area(), &profiles::key(TOKEN)).filter(|t| !t.is_empty());
        Self {
            base_url: RwSignal::new(base_url),
            token: RwSignal::new(token),
            default_base_url: RwSignal::new(default_base_url),
        }
    }

    /// Saves the settings; no token means none is kept. Returns false when
    /// the browser refused to store them.
    pub fn save(&self, base_url: String, token: Option<String>, choice: TokenStorage) -> bool {
        storage::remove(choice.other().area(), &profiles::key(TOKEN));
        let mut stored = storage::write(Area::Local, &profiles::key(BASE_URL), &base_url);
        match &token {
            Some(token) => stored &= storage::write(choice.area(), &profiles::key(TOKEN), token),
            None => storage::remove(choice.area(), &profiles::key(TOKEN)),
        }
        self.base_url.set(base_url);
        self.token.set(token);
        stored
    }

    /// Forgets the token everywhere it could be.
    pub fn sign_out(&self) {
        for key in profiles::keys_in_every_profile(TOKEN) {
            storage::remove(Area::Local, &key);
            storage::remove(Area::Session, &key);
        }
        self.token.set(None);
    }

    /// A client for the k0rdent API, or `None` without a token. It holds
    /// the k0rdent base URL, so the token cannot go anywhere else.
    pub fn client(&self) -> Option<ApiClient> {
        let token = self.token.get_untracked()?;
        Some(ApiClient::new(self.base_url.get_untracked(), token))
    }
}

pub fn use_k0rdent_session() -> K0rdentSession {
    // Provided by the console before any page renders; the fallback keeps
    // a misuse from panicking the page.
    use_context::<K0rdentSession>()
        .unwrap_or_else(|| K0rdentSession::restore(&RuntimeConfig::default(), TokenStorage::Device))
}
