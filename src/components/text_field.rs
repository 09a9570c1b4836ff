use leptos::prelude::*;

/// A labelled input with a hint and a place for its error, tied together
/// for assistive technology (`aria-describedby`, `aria-invalid`), so every
/// form wires its fields the same way.
#[component]
pub(crate) fn TextField(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    /// `text`, `url`, `password`…
    kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type=kind
                autocomplete=autocomplete
                spellcheck="false"
                bind:value=value
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=format!("{hint_id} {error_id}")
            />
            <p id=hint_id class="hint">{hint}</p>
            <p id=error_id class="field-error">{move || error.get()}</p>
        </div>
    }
}
