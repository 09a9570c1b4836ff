//! `/settings`: the Supply API's base URL and token, the k0rdent API's
//! (its own token, optional), and where tokens are kept.

use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use supply_model::session::{absolute_base_url, normalize_base_url, safe_return_path};
use supply_model::ApiFailure;

use crate::api::ApiClient;
use crate::components::error_panel::ErrorPanel;
use crate::components::profiles::ProfileManager;
use crate::components::text_field::TextField;
use crate::components::toast::use_toasts;
use crate::components::token_expiry::TokenExpiryNote;
use crate::state::base::page_origin;
use crate::state::config::DemoTokens;
use crate::state::k0rdent_session::use_k0rdent_session;
use crate::state::session::{use_session, TokenStorage};

/// The outcome of "Test connection".
#[derive(Clone, Debug, PartialEq)]
enum Probe {
    Idle,
    Running,
    /// What answered, in a sentence.
    Connected(String),
    Failed(ApiFailure),
}

/// Field messages from checking the form before anything is sent.
#[derive(Clone, Debug, Default, PartialEq)]
struct FieldErrors {
    base_url: Option<String>,
    token: Option<String>,
    k0rdent_base_url: Option<String>,
    k0rdent_token: Option<String>,
}

impl FieldErrors {
    fn any(&self) -> bool {
        self.base_url.is_some()
            || self.token.is_some()
            || self.k0rdent_base_url.is_some()
            || self.k0rdent_token.is_some()
    }
}

/// A typed base URL, where a path means one on this console's origin.
fn checked_base_url(raw: &str) -> Result<String, String> {
    normalize_base_url(&absolute_base_url(raw, &page_origin()))
}

/// Checks the typed values; the form keeps them whatever the outcome.
fn check(base_url: &str, token: &str) -> Result<(String, String), FieldErrors> {
    let base = checked_base_url(base_url);
    let token = token.trim();
    let token_error = token
        .is_empty()
        .then(|| "Enter the API token you were given.".to_owned());
    match (base, token_error) {
        (Ok(base), None) => Ok((base, token.to_owned())),
        (base, token) => Err(FieldErrors {
            base_url: base.err(),
            token,
            ..Default::default()
        }),
    }
}

/// The k0rdent fields: the token is optional, the base URL is needed
/// with one. An empty base URL means the one `config.json` names.
fn check_k0rdent(base_url: &str, token: &str) -> Result<(String, Option<String>), String> {
    let token = Some(token.trim().to_owned()).filter(|t| !t.is_empty());
    let base = base_url.trim();
    if base.is_empty() && token.is_none() {
        return Ok((String::new(), None));
    }
    if base.is_empty() {
        return Err("Enter the k0rdent base URL, e.g. https://k0rdent.example.com.".to_owned());
    }
    checked_base_url(base).map(|base| (base, token))
}

/// An instance no one has: any answer past authentication proves the
/// address and the token, and for this one that is a 404.
const K0RDENT_PROBE_PATH: &str =
    "/v1/regions/connection-test/projects/connection-test/compute/instances/connection-test";

#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let k0rdent = use_k0rdent_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_return_path(query.read().get("next").as_deref()));

    let base_url = RwSignal::new(session.base_url.get_untracked());
    let token = RwSignal::new(session.token.get_untracked().unwrap_or_default());
    let storage = RwSignal::new(session.storage.get_untracked());
    let errors = RwSignal::new(FieldErrors::default());
    let probe = RwSignal::new(Probe::Idle);
    let k0rdent_base_url = RwSignal::new(k0rdent.base_url.get_untracked());
    let k0rdent_token = RwSignal::new(k0rdent.token.get_untracked().unwrap_or_default());
    let k0rdent_probe = RwSignal::new(Probe::Idle);

    // Saves both APIs' fields; says whether they were good enough to save.
    let save = move || {
        let supply = check(&base_url.get_untracked(), &token.get_untracked());
        let k0rdent_fields = check_k0rdent(
            &k0rdent_base_url.get_untracked(),
            &k0rdent_token.get_untracked(),
        );
        match (supply, k0rdent_fields) {
            (Err(found), k0rdent_fields) => {
                errors.set(FieldErrors {
                    k0rdent_base_url: k0rdent_fields.err(),
                    ..found
                });
                false
            }
            (Ok(_), Err(k0rdent_error)) => {
                errors.set(FieldErrors {
                    k0rdent_base_url: Some(k0rdent_error),
                    ..Default::default()
                });
                false
            }
            (Ok((base, secret)), Ok((k0rdent_base, k0rdent_secret))) => {
                errors.set(FieldErrors::default());
                base_url.set(base.clone());
                let choice = storage.get_untracked();
                let k0rdent_base = if k0rdent_base.is_empty() {
                    k0rdent.default_base_url.get_untracked()
                } else {
                    k0rdent_base
                };
                k0rdent_base_url.set(k0rdent_base.clone());
                let k0rdent_stored = k0rdent.save(k0rdent_base, k0rdent_secret, choice);
                match session.save(base, secret, choice) {
                    Ok(()) if k0rdent_stored => toasts.push("Settings saved."),
                    Ok(()) => toasts.push(
                        "This browser refused to store the k0rdent settings; they last until the page closes.",
                    ),
                    Err(warning) => toasts.push(warning),
                }
                true
            }
        }
    };

    let navigate_on_save = navigate.clone();
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if save() {
            if let Some(path) = next.get_untracked() {
                navigate_on_save(&path, Default::default());
            }
        }
    };

    // The simulator's demo: its tokens in the fields, saved, then the page
    // the visit was for, or the offers.
    let demo = use_context::<DemoTokens>();
    let on_demo = move |demo: &DemoTokens| {
        token.set(demo.supply_token.clone());
        if let Some(secret) = &demo.k0rdent_token {
            k0rdent_token.set(secret.clone());
        }
        if save() {
            let path = next.get_untracked().unwrap_or_else(|| "/offers".to_owned());
            navigate(&path, Default::default());
        }
    };

    let on_test = move |_| {
        let (base, secret) = match check(&base_url.get_untracked(), &token.get_untracked()) {
            Ok(values) => values,
            Err(found) => {
                errors.set(found);
                return;
            }
        };
        errors.set(FieldErrors::default());
        probe.set(Probe::Running);
        // A list call proves the address, CORS and the token in one request.
        let request = ApiClient::new(base.clone(), secret).get::<serde_json::Value>("/resources");
        spawn_local(async move {
            let outcome = match request.await {
                Ok(body) => Probe::Connected(format!(
                    "Connected: {base} accepted the token ({} resources visible).",
                    count_resources(&body)
                )),
                Err(ApiFailure::Aborted) => return,
                Err(failure) => Probe::Failed(failure),
            };
            probe.try_set(outcome);
        });
    };

    let on_test_k0rdent = move |_| {
        let checked = check_k0rdent(
            &k0rdent_base_url.get_untracked(),
            &k0rdent_token.get_untracked(),
        );
        let (base, secret) = match checked {
            Ok((base, Some(secret))) if !base.is_empty() => (base, secret),
            Ok(_) => {
                errors.update(|e| {
                    e.k0rdent_token = Some("Enter the k0rdent token to test it.".into());
                });
                return;
            }
            Err(base_error) => {
                errors.update(|e| e.k0rdent_base_url = Some(base_error));
                return;
            }
        };
        errors.update(|e| {
            e.k0rdent_base_url = None;
            e.k0rdent_token = None;
        });
        k0rdent_probe.set(Probe::Running);
        let request =
            ApiClient::new(base.clone(), secret).get::<serde_json::Value>(K0RDENT_PROBE_PATH);
        spawn_local(async move {
            let connected =
                || Probe::Connected(format!("Connected: {base} accepted the k0rdent token."));
            let outcome = match request.await {
                Ok(_) => connected(),
                Err(ApiFailure::Aborted) => return,
                Err(failure) if failure.status() == Some(404) => connected(),
                Err(failure) => Probe::Failed(failure),
            };
            k0rdent_probe.try_set(outcome);
        });
    };

    let on_sign_out = move |_| {
        session.sign_out();
        k0rdent.sign_out();
        token.set(String::new());
        k0rdent_token.set(String::new());
        probe.set(Probe::Idle);
        k0rdent_probe.set(Probe::Idle);
        toasts.push("Signed out. The tokens were removed from this browser.");
    };

    view! {
        <section class="page settings" aria-labelledby="settings-title">
            <h1 id="settings-title">"Settings"</h1>
            {move || next.get().map(|path| view! {
                <p class="notice">"Sign in to continue to " <code>{path}</code> "."</p>
            })}
            {demo.map(|demo| view! {
                <Show when=move || session.token.with(Option::is_none)>
                    <DemoSignIn demo=demo.clone() on_use=on_demo.clone() />
                </Show>
            })}
            <form class="settings-form" on:submit=on_save novalidate=true>
                <TextField
                    id="api-base-url"
                    label="API base URL"
                    hint="Where the Supply API answers, e.g. https://supply.example.com, or a path on this console's address such as /supply-api."
                    kind="url"
                    autocomplete="url"
                    value=base_url
                    error=Signal::derive(move || errors.with(|e| e.base_url.clone()))
                />
                <TextField
                    id="api-token"
                    label="API token"
                    hint="Sent only to the API above, as a bearer token."
                    kind="password"
                    value=token
                    error=Signal::derive(move || errors.with(|e| e.token.clone()))
                />
                <TokenExpiryNote id="api-token-expiry" token=Signal::derive(move || Some(token.get())) />
                <fieldset class="field group">
                    <legend>"k0rdent compute API"</legend>
                    <TextField
                        id="k0rdent-base-url"
                        label="k0rdent base URL"
                        hint="Where the k0rdent API answers, e.g. https://k0rdent.example.com, or a path on this console's address such as /k0rdent-api."
                        kind="url"
                        autocomplete="url"
                        value=k0rdent_base_url
                        error=Signal::derive(move || errors.with(|e| e.k0rdent_base_url.clone()))
                    />
                    <TextField
                        id="k0rdent-token"
                        label="k0rdent token"
                        hint="Optional: needed for k0rdent instances. Its own token, sent only to the k0rdent base URL."
                        kind="password"
                        value=k0rdent_token
                        error=Signal::derive(move || errors.with(|e| e.k0rdent_token.clone()))
                    />
                    <TokenExpiryNote id="k0rdent-token-expiry" token=Signal::derive(move || Some(k0rdent_token.get())) />
                    <div class="buttons">
                        <button
                            type="button"
                            on:click=on_test_k0rdent
                            disabled=move || k0rdent_probe.with(|p| *p == Probe::Running)
                        >
                            "Test k0rdent connection"
                        </button>
                    </div>
                    <ProbeResult probe=k0rdent_probe api="k0rdent API" />
                </fieldset>
                <fieldset class="field">
                    <legend>"Keep the tokens"</legend>
                    <StorageChoice storage value=TokenStorage::Device id="keep-device"
                        label="Remember on this device" />
                    <StorageChoice storage value=TokenStorage::BrowserSession id="keep-session"
                        label="This browser session only" />
                </fieldset>
                <div class="buttons">
                    <button type="submit" class="primary">"Save"</button>
                    <button
                        type="button"
                        on:click=on_test
                        disabled=move || probe.with(|p| *p == Probe::Running)
                    >
                        "Test connection"
                    </button>
                    <button
                        type="button"
                        on:click=on_sign_out
                        disabled=move || {
                            session.token.with(Option::is_none) && k0rdent.token.with(Option::is_none)
                        }
                    >
                        "Sign out"
                    </button>
                </div>
            </form>
            <ProbeResult probe />
            <p class="visually-hidden" aria-live="polite">
                {move || errors.with(FieldErrors::any).then_some("Some fields need attention.")}
            </p>
            <ProfileManager />
        </section>
    }
}

/// Offered only by the simulator's config: one click to see offers.
#[component]
fn DemoSignIn(demo: DemoTokens, on_use: impl Fn(&DemoTokens) + 'static) -> impl IntoView {
    view! {
        <section class="demo-sign-in" aria-labelledby="demo-title">
            <h2 id="demo-title">"Try the demo"</h2>
            <p>
                "This console runs against the bundled simulator. Its demo token signs in to "
                "simulated offers; nothing is bought or billed."
            </p>
            <button type="button" class="primary" on:click=move |_| on_use(&demo)>
                "Use the demo token"
            </button>
        </section>
    }
}

#[component]
fn StorageChoice(
    storage: RwSignal<TokenStorage>,
    value: TokenStorage,
    id: &'static str,
    label: &'static str,
) -> impl IntoView {
    view! {
        <div class="radio">
            <input
                type="radio"
                name="token-storage"
                id=id
                prop:checked=move || storage.get() == value
                on:change=move |_| storage.set(value)
            />
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
fn ProbeResult(
    probe: RwSignal<Probe>,
    /// Names the API in failures when there is more than one.
    #[prop(optional)]
    api: Option<&'static str>,
) -> impl IntoView {
    move || match probe.get() {
        Probe::Idle => EitherOf4::A(()),
        Probe::Running => EitherOf4::B(view! {
            <p class="probe" role="status">"Testing the connection…"</p>
        }),
        Probe::Connected(message) => EitherOf4::C(view! {
            <p class="probe probe--ok" role="status">{message}</p>
        }),
        Probe::Failed(failure) => EitherOf4::D(match api {
            Some(api) => view! { <ErrorPanel failure api /> }.into_any(),
            None => view! { <ErrorPanel failure /> }.into_any(),
        }),
    }
}

/// `GET /resources` answers a list or `{"resources": [...]}`.
fn count_resources(body: &serde_json::Value) -> usize {
    body.as_array()
        .or_else(|| body.get("resources").and_then(serde_json::Value::as_array))
        .map_or(0, Vec::len)
}
