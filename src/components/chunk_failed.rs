//! What a page shows when its code (a lazy wasm chunk) could not be
//! fetched. Only the split build has chunks.

use std::future::Future;
use std::pin::Pin;

use leptos::either::EitherOf3;
use leptos::prelude::*;

use crate::components::alert::{Alert, AlertAction, AlertMessage};
use crate::state::build_check::{reload, use_build_check};

/// Fetches a page's code again: its view, or none when it failed again.
pub(crate) type PageLoad = Pin<Box<dyn Future<Output = Option<AnyView>>>>;

#[derive(Clone, Copy, PartialEq)]
enum Attempt {
    Failed,
    Trying,
    Loaded,
}

/// In place of a page whose code did not arrive: says why it may be (a
/// redeploy, or the connection), offers Try again and Reload, and becomes
/// the page once a try succeeds. The rest of the console keeps working.
#[component]
pub(crate) fn ChunkFailed(retry: fn() -> PageLoad) -> impl IntoView {
    let build = use_build_check();
    let attempt = RwSignal::new(Attempt::Failed);
    let page = StoredValue::new_local(None::<AnyView>);
    leptos::task::spawn_local(async move {
        build.look().await;
    });
    let newer = build.newer();
    // The page's components read the router and the session from the
    // context this one sits in; an event handler runs outside it.
    let owner = StoredValue::new_local(Owner::current().unwrap_or_default());
    let on_try = move |_| {
        if attempt.get_untracked() == Attempt::Trying {
            return;
        }
        attempt.set(Attempt::Trying);
        let owner = owner.get_value();
        owner.with(|| {
            leptos::task::spawn_local_scoped(async move {
                let loaded = retry().await;
                let next = if loaded.is_some() {
                    Attempt::Loaded
                } else {
                    build.look().await;
                    Attempt::Failed
                };
                page.try_set_value(loaded);
                attempt.try_set(next);
            })
        });
    };
    move || match attempt.get() {
        Attempt::Loaded => EitherOf3::A(page.try_update_value(Option::take).flatten()),
        Attempt::Trying => EitherOf3::B(view! {
            <p class="loading" role="status">"Loading the page…"</p>
        }),
        Attempt::Failed => EitherOf3::C(view! {
            <section class="page" aria-labelledby="chunk-failed-title">
                <Alert title="This page could not be loaded" page_heading="chunk-failed-title">
                    <AlertMessage slot>{move || explain(newer.get()).0}</AlertMessage>
                    <AlertAction slot>{move || explain(newer.get()).1}</AlertAction>
                    <div class="error-panel__buttons">
                        <Show when=move || !newer.get()>
                            <button type="button" on:click=on_try>"Try again"</button>
                        </Show>
                        <button type="button" class="primary" on:click=|_| reload()>"Reload"</button>
                    </div>
                </Alert>
            </section>
        }),
    }
}

/// Why the code may be missing, and what to do: after a redeploy only a
/// reload helps; otherwise the connection may be back.
fn explain(newer_build: bool) -> (&'static str, &'static str) {
    if newer_build {
        (
            "The console has been updated since this tab was opened, and this page's code now belongs to the new version.",
            "Reload to open this page in the new version. Drafts are kept in this browser.",
        )
    } else {
        (
            "Its code did not arrive: the connection may have dropped, or the console is being updated.",
            "Try again, or reload the console. Drafts are kept in this browser.",
        )
    }
}
