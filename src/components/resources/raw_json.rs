//! The whole answer as the API sent it, pretty-printed, as text: fields
//! this console does not know are here too.

use leptos::prelude::*;

use crate::components::copy_button::CopyButton;

#[component]
pub(crate) fn RawJson(#[prop(into)] raw: Signal<Option<String>>) -> impl IntoView {
    // Outside the parts that re-render on refresh, so an open view stays open.
    view! {
        <section aria-labelledby="raw-title">
            <h2 id="raw-title">"Raw answer"</h2>
            <details class="raw-json">
                <summary>"Show the JSON of the last answer"</summary>
                <CopyButton text=raw what="raw JSON" />
                <pre tabindex="0" role="region" aria-label="Raw JSON"><code>{move || raw.get().unwrap_or_default()}</code></pre>
            </details>
        </section>
    }
}
