//! The notice that a newer build of the console is out.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::state::build_check::{reload, use_build_check};

/// A banner once a newer build is deployed, looked for on navigation.
#[component]
pub(crate) fn NewBuildNotice() -> impl IntoView {
    let build = use_build_check();
    let location = use_location();
    // Not on the first address: only a navigation looks.
    Effect::watch(
        move || location.pathname.get(),
        move |_, _, _| build.on_navigation(),
        false,
    );
    let newer = build.newer();
    view! {
        <div class="update-notice" role="status">
            <Show when=move || newer.get()>
                <p>
                    "A new version of the console has been deployed. "
                    <button type="button" on:click=|_| reload()>"Reload to use it"</button>
                </p>
            </Show>
        </div>
    }
}
