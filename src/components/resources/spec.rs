//! The free-form spec as a key/value table.

use leptos::prelude::*;
use supply_model::resource::spec_rows;
use supply_model::ResourceSummary;

use super::facts::field;

#[component]
pub(crate) fn SpecTable(resource: Memo<Option<ResourceSummary>>) -> impl IntoView {
    let rows = field(resource, |r| spec_rows(&r.spec));
    let body = move || {
        rows.get()
            .unwrap_or_default()
            .into_iter()
            .map(|(key, value)| view! { <tr><th scope="row"><code>{key}</code></th><td><code>{value}</code></td></tr> })
            .collect_view()
    };
    let empty = move || rows.with(|r| r.as_ref().is_none_or(Vec::is_empty));
    view! {
        <section aria-labelledby="spec-title">
            <h2 id="spec-title">"Spec"</h2>
            <Show when=move || !empty() fallback=|| view! { <p class="muted">"Empty."</p> }>
                <div class="table-wrap">
                    <table class="spec" aria-labelledby="spec-title">
                        <thead><tr><th scope="col">"Key"</th><th scope="col">"Value"</th></tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
