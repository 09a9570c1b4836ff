//! `/settings`: the API base URL, the token and where it is kept.

use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use supply_model::session::{normalize_base_url, safe_return_path};
use supply_model::ApiFailure;

use crate::api::ApiClient;
use crate::components::error_panel::ErrorPanel;
use crate::components::text_field::TextField;
use crate::components::toast::use_toasts;
use crate::state::session::{use_session, TokenStorage};

/// The outcome of "Test connection".
#[derive(Clone, Debug, PartialEq)]
enum Probe {
    Idle,
    Running,
    Connected { resources: usize, base_url: String },
    Failed(ApiFailure),
}

/// Field messages from checking the form before anything is sent.
#[derive(Clone, Debug, Default, PartialEq)]
struct FieldErrors {
    base_url: Option<String>,
    token: Option<String>,
}

impl FieldErrors {
    fn any(&self) -> bool {
        self.base_url.is_some() || self.token.is_some()
    }
}

/// Checks the typed values; the form keeps them whatever the outcome.
fn check(base_url: &str, token: &str) -> Result<(String, String), FieldErrors> {
    let base = normalize_base_url(base_url);
    let token = token.trim();
    let token_error = token
        .is_empty()
        .then(|| "Enter the API token you were given.".to_owned());
    match (base, token_error) {
        (Ok(base), None) => Ok((base, token.to_owned())),
        (base, token) => Err(FieldErrors {
            base_url: base.err(),
            token,
        }),
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_return_path(query.read().get("next").as_deref()));

    let base_url = RwSignal::new(session.base_url.get_untracked());
    let token = RwSignal::new(session.token.get_untracked().unwrap_or_default());
    let storage = RwSignal::new(session.storage.get_untracked());
    let errors = RwSignal::new(FieldErrors::default());
    let probe = RwSignal::new(Probe::Idle);

    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check(&base_url.get_untracked(), &token.get_untracked()) {
            Err(found) => errors.set(found),
            Ok((base, secret)) => {
                errors.set(FieldErrors::default());
                base_url.set(base.clone());
                match session.save(base, secret, storage.get_untracked()) {
                    Ok(()) => toasts.push("Settings saved."),
                    Err(warning) => toasts.push(warning),
                }
                if let Some(path) = next.get_untracked() {
                    navigate(&path, Default::default());
                }
            }
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
                Ok(body) => Probe::Connected {
                    resources: count_resources(&body),
                    base_url: base,
                },
                Err(ApiFailure::Aborted) => return,
                Err(failure) => Probe::Failed(failure),
            };
            probe.try_set(outcome);
        });
    };

    let on_sign_out = move |_| {
        session.sign_out();
        token.set(String::new());
        probe.set(Probe::Idle);
        toasts.push("Signed out. The token was removed from this browser.");
    };

    view! {
        <section class="page settings" aria-labelledby="settings-title">
            <h1 id="settings-title">"Settings"</h1>
            {move || next.get().map(|path| view! {
                <p class="notice">"Sign in to continue to " <code>{path}</code> "."</p>
            })}
            <form class="settings-form" on:submit=on_save novalidate=true>
                <TextField
                    id="api-base-url"
                    label="API base URL"
                    hint="Where the Supply API answers, e.g. https://supply.example.com."
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
                <fieldset class="field">
                    <legend>"Keep the token"</legend>
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
                        disabled=move || session.token.with(Option::is_none)
                    >
                        "Sign out"
                    </button>
                </div>
            </form>
            <ProbeResult probe />
            <p class="visually-hidden" aria-live="polite">
                {move || errors.with(FieldErrors::any).then_some("Some fields need attention.")}
            </p>
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
fn ProbeResult(probe: RwSignal<Probe>) -> impl IntoView {
    move || match probe.get() {
        Probe::Idle => EitherOf4::A(()),
        Probe::Running => EitherOf4::B(view! {
            <p class="probe" role="status">"Testing the connection…"</p>
        }),
        Probe::Connected {
            resources,
            base_url,
        } => EitherOf4::C(view! {
            <p class="probe probe--ok" role="status">
                {format!(
                    "Connected: {base_url} accepted the token ({resources} resources visible)."
                )}
            </p>
        }),
        Probe::Failed(failure) => EitherOf4::D(view! { <ErrorPanel failure /> }),
    }
}

/// `GET /resources` answers a list or `{"resources": [...]}`.
fn count_resources(body: &serde_json::Value) -> usize {
    body.as_array()
        .or_else(|| body.get("resources").and_then(serde_json::Value::as_array))
        .map_or(0, Vec::len)
}
