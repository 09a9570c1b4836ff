//! Who is signed in to which API. The base URL is kept on the device; the
//! token is kept where the user chose: this device (localStorage) or this
//! browser session only (sessionStorage), never both.
//!
//! One [`ApiSession`] per API, told apart by its [`ApiKind`]: the type
//! says which API a call is for, so a token cannot reach another API.
//! Pages read a session and write it only through its named methods.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;

use super::config::RuntimeConfig;
use super::k0rdent_session::K0rdent;
use super::profiles;
use super::storage::{self, Area};
use crate::api::ApiClient;

/// The active profile's key suffix for remember token: where both APIs'
/// tokens are kept.
const REMEMBER: &str = "remember_token";

/// Where the token is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenStorage {
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

    /// What this browser kept; the device when nothing was chosen.
    fn stored() -> Self {
        if storage::read(Area::Local, &profiles::key(REMEMBER)).as_deref() == Some("session") {
            Self::BrowserSession
        } else {
            Self::Device
        }
    }

    fn stored_name(self) -> &'static str {
        match self {
            Self::Device => "device",
            Self::BrowserSession => "session",
        }
    }
}

/// What tells one API's session from another's.
pub(crate) trait ApiKind: Copy + 'static {
    /// Names the API in the console's log.
    const NAME: &'static str;
    /// The active profile's key suffix for its base URL.
    const BASE_URL_KEY: &'static str;
    /// The active profile's key suffix for its token.
    const TOKEN_KEY: &'static str;

    /// The base URL `config.json` names for it.
    fn configured_base_url(config: &RuntimeConfig) -> Option<String>;
}

/// The Supply Service.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Supply;

impl ApiKind for Supply {
    const NAME: &'static str = "Supply";
    /// The active profile's key suffix for api base url.
    const BASE_URL_KEY: &'static str = "api_base_url";
    /// The active profile's key suffix for api token.
    const TOKEN_KEY: &'static str = "api_token";

    fn configured_base_url(config: &RuntimeConfig) -> Option<String> {
        config.api_base_url.clone()
    }
}

/// The Supply session, shared by every page through context.
pub(crate) type Session = ApiSession<Supply>;

/// One API's base URL and token, shared by every page through context.
pub(crate) struct ApiSession<A> {
    base_url: ReadSignal<String>,
    set_base_url: WriteSignal<String>,
    token: ReadSignal<Option<String>>,
    set_token: WriteSignal<Option<String>>,
    /// One choice for every API's token, so the sessions share it.
    token_storage: RwSignal<TokenStorage>,
    /// The base URL `config.json` named: what an empty one saves as.
    default_base_url: StoredValue<String>,
    api: PhantomData<A>,
}

impl<A> Clone for ApiSession<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for ApiSession<A> {}

impl Session {
    /// Whether a token is stored: the console then opens the page asked
    /// for rather than settings. Needs no config, so it can be asked early.
    pub(crate) fn is_stored() -> bool {
        stored_token(Supply::TOKEN_KEY, TokenStorage::stored()).is_some()
    }
}

impl<A: ApiKind> ApiSession<A> {
    /// Restores what this browser kept, falling back to `config.json`.
    fn restore(config: &RuntimeConfig, token_storage: RwSignal<TokenStorage>) -> Self {
        let default_base_url = A::configured_base_url(config).unwrap_or_default();
        let base_url = storage::read(Area::Local, &profiles::key(A::BASE_URL_KEY))
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| default_base_url.clone());
        let token = stored_token(A::TOKEN_KEY, token_storage.get_untracked());
        let (base_url, set_base_url) = signal(base_url);
        let (token, set_token) = signal(token);
        Self {
            base_url,
            set_base_url,
            token,
            set_token,
            token_storage,
            default_base_url: StoredValue::new(default_base_url),
            api: PhantomData,
        }
    }

    /// The base URL calls go to.
    pub(crate) fn base_url(&self) -> ReadSignal<String> {
        self.base_url
    }

    /// The token, `None` when signed out.
    pub(crate) fn token(&self) -> ReadSignal<Option<String>> {
        self.token
    }

    /// Whether there is a token (tracked).
    pub(crate) fn is_signed_in(&self) -> bool {
        self.token.with(Option::is_some)
    }

    /// Where the tokens are kept, as last chosen.
    pub(crate) fn token_storage(&self) -> TokenStorage {
        self.token_storage.get_untracked()
    }

    /// Saves the settings; an empty base URL means the one `config.json`
    /// names, and no token means none is kept. Returns false when the
    /// browser refused to store them: the session still holds them for
    /// this page view.
    pub(crate) fn sign_in(
        &self,
        base_url: String,
        token: Option<String>,
        choice: TokenStorage,
    ) -> bool {
        let base_url = if base_url.is_empty() {
            self.default_base_url.get_value()
        } else {
            base_url
        };
        let stored = store(
            A::BASE_URL_KEY,
            A::TOKEN_KEY,
            &base_url,
            token.as_deref(),
            choice,
        );
        self.set_base_url.set(base_url);
        self.set_token.set(token);
        self.token_storage.set(choice);
        stored
    }

    /// Forgets the token everywhere it could be.
    pub(crate) fn sign_out(&self) {
        forget_token(A::TOKEN_KEY);
        self.set_token.set(None);
    }

    /// A client for the current settings, or `None` when signed out. It
    /// holds this API's base URL, so the token cannot go anywhere else.
    pub(crate) fn client(&self) -> Option<ApiClient> {
        let token = self.token.get_untracked()?;
        Some(ApiClient::new(self.base_url.get_untracked(), token))
    }
}

/// Restores both sessions and provides them to every page; returns the
/// Supply one.
pub(crate) fn provide_sessions(config: &RuntimeConfig) -> Session {
    let token_storage = RwSignal::new(TokenStorage::stored());
    let supply = Session::restore(config, token_storage);
    provide_context(ApiSession::<K0rdent>::restore(config, token_storage));
    provide_context(supply);
    supply
}

pub(crate) fn use_session() -> Session {
    use_api_session()
}

/// The session `provide_sessions` gave the console before any page
/// rendered. Used outside it is a mistake in the console's code: it is
/// logged, and the session is restored from storage rather than panicking
/// the page.
pub(crate) fn use_api_session<A: ApiKind>() -> ApiSession<A> {
    use_context::<ApiSession<A>>().unwrap_or_else(|| {
        if !MISSING_PROVIDER_LOGGED.swap(true, Ordering::Relaxed) {
            leptos::logging::warn!(
                "The {} session was asked for outside the console's provider.",
                A::NAME
            );
        }
        ApiSession::restore(
            &RuntimeConfig::default(),
            RwSignal::new(TokenStorage::stored()),
        )
    })
}

/// So the mistake is logged once, not on every render.
static MISSING_PROVIDER_LOGGED: AtomicBool = AtomicBool::new(false);

fn stored_token(key: &str, choice: TokenStorage) -> Option<String> {
    storage::read(choice.area(), &profiles::key(key)).filter(|t| !t.is_empty())
}

/// Writes one API's settings; false when the browser refused any of them.
fn store(
    base_url_key: &str,
    token_key: &str,
    base_url: &str,
    token: Option<&str>,
    choice: TokenStorage,
) -> bool {
    let token_key = profiles::key(token_key);
    storage::remove(choice.other().area(), &token_key);
    let mut stored = storage::write(Area::Local, &profiles::key(base_url_key), base_url)
        & storage::write(Area::Local, &profiles::key(REMEMBER), choice.stored_name());
    match token {
        Some(token) => stored &= storage::write(choice.area(), &token_key, token),
        None => storage::remove(choice.area(), &token_key),
    }
    stored
}

fn forget_token(key: &str) {
    for key in profiles::keys_in_every_profile(key) {
        storage::remove(Area::Local, &key);
        storage::remove(Area::Session, &key);
    }
}
