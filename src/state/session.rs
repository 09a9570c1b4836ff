//! Who is signed in to which API. The base URL is kept on the device; the
//! token is kept where the user chose: this device (localStorage) or this
//! browser session only (sessionStorage), never both.

use leptos::prelude::*;

use super::config::RuntimeConfig;
use super::profiles;
use super::storage::{self, Area};
use crate::api::ApiClient;

/// The active profile's key suffix for api base url.
const BASE_URL: &str = "api_base_url";
/// The active profile's key suffix for api token.
const TOKEN: &str = "api_token";
/// The active profile's key suffix for remember token.
const REMEMBER: &str = "remember_token";

/// Where the token is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenStorage {
    Device,
    BrowserSession,
}

impl TokenStorage {
    pub(crate) fn area(self) -> Area {
        match self {
            Self::Device => Area::Local,
            Self::BrowserSession => Area::Session,
        }
    }

    /// The place a token must not stay once this one is chosen.
    pub(crate) fn other(self) -> Self {
        match self {
            Self::Device => Self::BrowserSession,
            Self::BrowserSession => Self::Device,
        }
    }
}

/// Signals shared by every page through context.
#[derive(Clone, Copy)]
pub struct Session {
    pub base_url: RwSignal<String>,
    pub token: RwSignal<Option<String>>,
    pub storage: RwSignal<TokenStorage>,
    /// The base URL `config.json` named, for "reset to default".
    pub default_base_url: RwSignal<String>,
}

impl Session {
    /// Whether a token is stored: the console then opens the page asked
    /// for rather than settings. Needs no config, so it can be asked early.
    pub fn is_stored() -> bool {
        stored_token(stored_choice()).is_some()
    }

    /// Restores what this browser kept, falling back to `config.json`.
    pub fn restore(config: &RuntimeConfig) -> Self {
        let default_base_url = config.api_base_url.clone().unwrap_or_default();
        let base_url = storage::read(Area::Local, &profiles::key(BASE_URL))
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| default_base_url.clone());
        let storage_choice = stored_choice();
        let token = stored_token(storage_choice);
        Self {
            base_url: RwSignal::new(base_url),
            token: RwSignal::new(token),
            storage: RwSignal::new(storage_choice),
            default_base_url: RwSignal::new(default_base_url),
        }
    }

    /// Saves the settings. Returns an error when the browser refused to
    /// store the token; the session still holds it for this page view.
    pub fn save(
        &self,
        base_url: String,
        token: String,
        choice: TokenStorage,
    ) -> Result<(), String> {
        let (keep, drop) = match choice {
            TokenStorage::Device => (Area::Local, Area::Session),
            TokenStorage::BrowserSession => (Area::Session, Area::Local),
        };
        storage::remove(drop, &profiles::key(TOKEN));
        let remember = if choice == TokenStorage::Device {
            "device"
        } else {
            "session"
        };
        let stored = storage::write(Area::Local, &profiles::key(BASE_URL), &base_url)
            & storage::write(Area::Local, &profiles::key(REMEMBER), remember)
            & storage::write(keep, &profiles::key(TOKEN), &token);
        self.base_url.set(base_url);
        self.token.set(Some(token));
        self.storage.set(choice);
        if stored {
            Ok(())
        } else {
            Err(
                "This browser refused to store the settings; they last until the page closes."
                    .into(),
            )
        }
    }

    /// Forgets the token everywhere it could be.
    pub fn sign_out(&self) {
        for key in profiles::keys_in_every_profile(TOKEN) {
            storage::remove(Area::Local, &key);
            storage::remove(Area::Session, &key);
        }
        self.token.set(None);
    }

    /// A client for the current settings, or `None` when signed out.
    pub fn client(&self) -> Option<ApiClient> {
        let token = self.token.get_untracked()?;
        Some(ApiClient::new(self.base_url.get_untracked(), token))
    }
}

pub fn use_session() -> Session {
    // Provided by `App` before any page renders; a fallback keeps a
    // misuse from panicking the page.
    use_context::<Session>().unwrap_or_else(|| Session::restore(&RuntimeConfig::default()))
}

fn stored_choice() -> TokenStorage {
    if storage::read(Area::Local, &profiles::key(REMEMBER)).as_deref() == Some("session") {
        TokenStorage::BrowserSession
    } else {
        TokenStorage::Device
    }
}

fn stored_token(choice: TokenStorage) -> Option<String> {
    storage::read(choice.area(), &profiles::key(TOKEN)).filter(|t| !t.is_empty())
}
