//! `/settings`: the Supply API's base URL and token, the k0rdent API's
//! (its own token, optional), and where tokens are kept.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use supply_model::routes::{Page, Route};
use supply_model::session::safe_return_path;

use crate::components::api_credentials::{ApiCredentials, Credentials};
use crate::components::profiles::ProfileManager;
use crate::components::toast::use_toasts;
use crate::state::config::DemoTokens;
use crate::state::k0rdent_session::use_k0rdent_session;
use crate::state::session::{use_session, TokenStorage};

#[component]
pub(crate) fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let k0rdent_session = use_k0rdent_session();
    let supply = Credentials::new(session);
    let k0rdent = Credentials::new(k0rdent_session);
    let toasts = use_toasts();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_return_path(query.read().get("next").as_deref()));
    let storage = RwSignal::new(session.token_storage());

    // Saves both APIs' fields; says whether they were good enough to save.
    let save = move || {
        // Both are checked first, so every field that needs it says so.
        let (Some(supply_fields), Some(k0rdent_fields)) = (supply.checked(), k0rdent.checked())
        else {
            return false;
        };
        let choice = storage.get_untracked();
        let k0rdent_stored = k0rdent.save(k0rdent_fields, choice);
        toasts.push(match (supply.save(supply_fields, choice), k0rdent_stored) {
            (true, true) => "Settings saved.",
            (true, false) => {
                "This browser refused to store the k0rdent settings; they last until the page closes."
            }
            (false, _) => {
                "This browser refused to store the settings; they last until the page closes."
            }
        });
        true
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
        supply.fill_token(demo.supply_token.clone());
        if let Some(secret) = &demo.k0rdent_token {
            k0rdent.fill_token(secret.clone());
        }
        if save() {
            let path = next.get_untracked().unwrap_or_else(|| Route::Offers.href());
            navigate(&path, Default::default());
        }
    };

    let on_sign_out = move |_| {
        supply.sign_out();
        k0rdent.sign_out();
        toasts.push("Signed out. The tokens were removed from this browser.");
    };

    view! {
        <section class="page settings" aria-labelledby="settings-title">
            <h1 id="settings-title">{Page::Settings.heading()}</h1>
            <p class="lead">{Page::Settings.lead()}</p>
            {move || next.get().map(|path| view! {
                <p class="notice">"Sign in to continue to " <code>{path}</code> "."</p>
            })}
            {demo.map(|demo| view! {
                <Show when=move || !session.is_signed_in()>
                    <DemoSignIn demo=demo.clone() on_use=on_demo.clone() />
                </Show>
            })}
            <form class="settings-form" on:submit=on_save novalidate=true>
                <ApiCredentials credentials=supply />
                <ApiCredentials credentials=k0rdent />
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
                        on:click=on_sign_out
                        disabled=move || !session.is_signed_in() && !k0rdent_session.is_signed_in()
                    >
                        "Sign out"
                    </button>
                </div>
            </form>
            <p class="visually-hidden" aria-live="polite">
                {move || {
                    (supply.needs_attention() || k0rdent.needs_attention())
                        .then_some("Some fields need attention.")
                }}
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
