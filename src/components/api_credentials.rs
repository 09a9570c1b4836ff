//! One API's part of the settings form: its base URL and token as typed,
//! their checks and "Test connection", written once for every API. What
//! differs between the APIs is text, in a [`FormText`].

use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use leptos::task::spawn_local;
use supply_model::session::{absolute_base_url, normalize_base_url};
use supply_model::ApiFailure;

use crate::api::ApiClient;
use crate::components::error_panel::{ErrorPanel, ErrorPanelProps};
use crate::components::text_field::TextField;
use crate::components::token_expiry::TokenExpiryNote;
use crate::state::base::page_origin;
use crate::state::k0rdent_session::K0rdent;
use crate::state::session::{ApiKind, ApiSession, Supply, TokenStorage};

/// An API that has its part in the settings form.
pub(crate) trait SettingsForm: ApiKind {
    const TEXT: &'static FormText;
}

impl SettingsForm for Supply {
    const TEXT: &'static FormText = &FormText {
        legend: None,
        base_url: FieldText {
            id: "api-base-url",
            label: "API base URL",
            hint: "Where the Supply API answers, e.g. https://supply.example.com, or a path on this console's address such as /supply-api.",
        },
        token: FieldText {
            id: "api-token",
            label: "API token",
            hint: "Sent only to the API above, as a bearer token.",
        },
        expiry_id: "api-token-expiry",
        missing_base_url: "Enter the API base URL, e.g. https://supply.example.com.",
        token_optional: false,
        missing_token: "Enter the API token you were given.",
        test_label: "Test connection",
        api: None,
        proof: Proof::ResourceList,
    };
}

impl SettingsForm for K0rdent {
    const TEXT: &'static FormText = &FormText {
        legend: Some("k0rdent compute API"),
        base_url: FieldText {
            id: "k0rdent-base-url",
            label: "k0rdent base URL",
            hint: "Where the k0rdent API answers, e.g. https://k0rdent.example.com, or a path on this console's address such as /k0rdent-api.",
        },
        token: FieldText {
            id: "k0rdent-token",
            label: "k0rdent token",
            hint: "Optional: needed for k0rdent instances. Its own token, sent only to the k0rdent base URL.",
        },
        expiry_id: "k0rdent-token-expiry",
        missing_base_url: "Enter the k0rdent base URL, e.g. https://k0rdent.example.com.",
        token_optional: true,
        missing_token: "Enter the k0rdent token to test it.",
        test_label: "Test k0rdent connection",
        api: Some("k0rdent API"),
        proof: Proof::MissingInstance,
    };
}

/// What one API's part of the form says, and how its connection is proved.
pub(crate) struct FormText {
    /// Frames the fields in a fieldset; without one they stand in the form.
    legend: Option<&'static str>,
    base_url: FieldText,
    token: FieldText,
    /// The id of the note under the token that says when it expires.
    expiry_id: &'static str,
    /// For an empty base URL where one is needed.
    missing_base_url: &'static str,
    /// Whether the form may be saved without a token.
    token_optional: bool,
    /// For testing (or, when the token is needed, saving) without one.
    missing_token: &'static str,
    test_label: &'static str,
    /// Names the API in failures when there is more than one.
    api: Option<&'static str>,
    proof: Proof,
}

struct FieldText {
    id: &'static str,
    label: &'static str,
    hint: &'static str,
}

/// The call "Test connection" makes, and what proves the connection.
#[derive(Clone, Copy)]
enum Proof {
    /// A list call proves the address, CORS and the token in one request.
    ResourceList,
    /// An instance no one has: any answer past authentication proves the
    /// address and the token, and for this one that is a 404.
    MissingInstance,
}

impl Proof {
    fn path(self) -> &'static str {
        match self {
            Self::ResourceList => "/resources",
            Self::MissingInstance => "/v1/regions/connection-test/projects/connection-test/compute/instances/connection-test",
        }
    }

    /// Whether a failed call still proves the connection.
    fn proven_by(self, failure: &ApiFailure) -> bool {
        matches!(self, Self::MissingInstance) && failure.status() == Some(404)
    }

    /// What answered, in a sentence; `body` is the answer when it was one.
    fn connected(self, base: &str, body: Option<&serde_json::Value>) -> String {
        match self {
            Self::ResourceList => format!(
                "Connected: {base} accepted the token ({} resources visible).",
                body.map_or(0, count_resources)
            ),
            Self::MissingInstance => format!("Connected: {base} accepted the k0rdent token."),
        }
    }
}

/// `GET /resources` answers a list or `{"resources": [...]}`.
fn count_resources(body: &serde_json::Value) -> usize {
    body.as_array()
        .or_else(|| body.get("resources").and_then(serde_json::Value::as_array))
        .map_or(0, Vec::len)
}

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
}

/// Fields that passed their checks, ready to save.
pub(crate) struct Checked {
    /// Empty where the API's token is optional and none was given: the
    /// session then keeps the base URL `config.json` names.
    base_url: String,
    token: Option<String>,
}

/// A typed base URL, where a path means one on this console's origin.
fn checked_base_url(raw: &str) -> Result<String, String> {
    normalize_base_url(&absolute_base_url(raw, &page_origin()))
}

/// Checks the typed values; the form keeps them whatever the outcome.
fn check(text: &FormText, base_url: &str, token: &str) -> Result<Checked, FieldErrors> {
    let token = Some(token.trim().to_owned()).filter(|t| !t.is_empty());
    let base = base_url.trim();
    let base = match (base.is_empty(), token.is_some() || !text.token_optional) {
        (true, true) => Err(text.missing_base_url.to_owned()),
        (true, false) => Ok(String::new()),
        (false, _) => checked_base_url(base),
    };
    let token_error =
        (token.is_none() && !text.token_optional).then(|| text.missing_token.to_owned());
    match (base, token_error) {
        (Ok(base_url), None) => Ok(Checked { base_url, token }),
        (base, token) => Err(FieldErrors {
            base_url: base.err(),
            token,
        }),
    }
}

/// What is typed for one API, what checking and testing it found, and
/// the session it is saved to.
pub(crate) struct Credentials<A> {
    session: ApiSession<A>,
    fields: Fields,
}

impl<A> Clone for Credentials<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for Credentials<A> {}

impl<A: SettingsForm> Credentials<A> {
    /// The fields filled from what `session` holds.
    pub(crate) fn new(session: ApiSession<A>) -> Self {
        let fields = Fields {
            text: A::TEXT,
            base_url: RwSignal::new(session.base_url().get_untracked()),
            token: RwSignal::new(session.token().get_untracked().unwrap_or_default()),
            errors: RwSignal::new(FieldErrors::default()),
            probe: RwSignal::new(Probe::Idle),
        };
        Self { session, fields }
    }

    /// The checked fields, or `None` when a field says what to fix.
    pub(crate) fn checked(&self) -> Option<Checked> {
        self.fields.checked()
    }

    /// Signs in with `checked`; false when the browser refused to store it.
    pub(crate) fn save(&self, checked: Checked, choice: TokenStorage) -> bool {
        let stored = self
            .session
            .sign_in(checked.base_url, checked.token, choice);
        // The field shows the base URL as saved: made absolute, or the
        // default for an empty one.
        self.fields
            .base_url
            .set(self.session.base_url().get_untracked());
        stored
    }

    pub(crate) fn fill_token(&self, token: String) {
        self.fields.token.set(token);
    }

    /// Forgets the token, in the session and in the field.
    pub(crate) fn sign_out(&self) {
        self.session.sign_out();
        self.fields.token.set(String::new());
        self.fields.probe.set(Probe::Idle);
    }

    /// Whether a field shows an error (tracked).
    pub(crate) fn needs_attention(&self) -> bool {
        self.fields.errors.with(|e| *e != FieldErrors::default())
    }
}

/// What the form holds for one API, the same type for every API.
#[derive(Clone, Copy)]
struct Fields {
    text: &'static FormText,
    base_url: RwSignal<String>,
    token: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    probe: RwSignal<Probe>,
}

impl Fields {
    fn checked(&self) -> Option<Checked> {
        match check(
            self.text,
            &self.base_url.get_untracked(),
            &self.token.get_untracked(),
        ) {
            Ok(checked) => {
                self.errors.set(FieldErrors::default());
                Some(checked)
            }
            Err(found) => {
                self.errors.set(found);
                None
            }
        }
    }

    /// "Test connection": one call with the typed values, saved or not.
    fn test(&self) {
        let Some(Checked { base_url, token }) = self.checked() else {
            return;
        };
        let Some(token) = token else {
            let missing = self.text.missing_token;
            self.errors.update(|e| e.token = Some(missing.to_owned()));
            return;
        };
        let (proof, probe) = (self.text.proof, self.probe);
        probe.set(Probe::Running);
        let request =
            ApiClient::new(base_url.clone(), token).get::<serde_json::Value>(proof.path());
        spawn_local(async move {
            let outcome = match request.await {
                Ok(body) => Probe::Connected(proof.connected(&base_url, Some(&body))),
                Err(ApiFailure::Aborted) => return,
                Err(failure) if proof.proven_by(&failure) => {
                    Probe::Connected(proof.connected(&base_url, None))
                }
                Err(failure) => Probe::Failed(failure),
            };
            probe.try_set(outcome);
        });
    }
}

/// One API's fields, the note on its token's expiry, and its connection
/// test with the outcome.
#[component]
pub(crate) fn ApiCredentials<A: SettingsForm>(credentials: Credentials<A>) -> impl IntoView {
    // Drawn by one function whatever the API, so its code is there once.
    credentials_view(credentials.fields)
}

fn credentials_view(fields: Fields) -> impl IntoView {
    let Fields {
        text,
        base_url,
        token,
        errors,
        probe,
    } = fields;
    let parts = view! {
        <TextField
            id=text.base_url.id
            label=text.base_url.label
            hint=text.base_url.hint
            kind="url"
            autocomplete="url"
            value=base_url
            error=Signal::derive(move || errors.with(|e| e.base_url.clone()))
        />
        <TextField
            id=text.token.id
            label=text.token.label
            hint=text.token.hint
            kind="password"
            value=token
            error=Signal::derive(move || errors.with(|e| e.token.clone()))
        />
        <TokenExpiryNote id=text.expiry_id token=Signal::derive(move || Some(token.get())) />
        <div class="buttons">
            <button
                type="button"
                on:click=move |_| fields.test()
                disabled=move || probe.with(|p| *p == Probe::Running)
            >
                {text.test_label}
            </button>
        </div>
        <ProbeResult probe api=text.api />
    };
    match text.legend {
        Some(legend) => Either::Left(view! {
            <fieldset class="field group">
                <legend>{legend}</legend>
                {parts}
            </fieldset>
        }),
        None => Either::Right(parts),
    }
}

#[component]
fn ProbeResult(probe: RwSignal<Probe>, api: Option<&'static str>) -> impl IntoView {
    move || match probe.get() {
        Probe::Idle => EitherOf4::A(()),
        Probe::Running => EitherOf4::B(view! {
            <p class="probe" role="status">"Testing the connection…"</p>
        }),
        Probe::Connected(message) => EitherOf4::C(view! {
            <p class="probe probe--ok" role="status">{message}</p>
        }),
        Probe::Failed(failure) => EitherOf4::D(ErrorPanel(ErrorPanelProps {
            failure,
            on_retry: None,
            api,
        })),
    }
}
