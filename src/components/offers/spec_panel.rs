//! The spec the page sends, as YAML, in an editor: edits that read cleanly
//! become the query (and so the filters); a spec that does not read is
//! shown with its line and column and not sent. Storage volumes are added
//! here, and "Copy as curl" gives the exact request with `$SUPPLY_TOKEN`
//! where the token goes.

use leptos::prelude::*;
use supply_model::offer_spec::{OfferSpec, SpecField, SpecProblem, StorageVolume, STORAGE_TYPES};
use supply_model::supply_calls;
use supply_model::text::or_dash;
use supply_model::yaml::Position;

use crate::components::code_editor::CodeEditor;
use crate::components::copy_button::CopyButton;
use crate::components::on_demand::{on_demand_part, shown_when_loaded};
use crate::state::yaml_reader::use_yaml_reader;

/// The panel, closed until asked for. Its editor, curl and volume controls
/// are built when it is first opened (and kept after, with what was
/// typed), and their code is fetched then too (or by the background
/// preload), not with the page; so is the YAML parser.
#[component]
pub(crate) fn SpecPanel(
    /// The spec as sent.
    spec: Memo<OfferSpec>,
    /// Storage classes to offer for a new volume.
    storage_classes: Signal<Vec<String>>,
    base_url: Signal<String>,
    #[prop(into)] on_change: Callback<OfferSpec>,
) -> impl IntoView {
    let yaml = use_yaml_reader();
    let opened = RwSignal::new(false);
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        if open && !opened.get_untracked() {
            opened.set(true);
            yaml.fetch();
        }
    };
    view! {
        <details class="spec-panel" on:toggle=on_toggle>
            <summary>"Spec (YAML) sent to the service"</summary>
            {move || opened.get().then(|| shown_when_loaded(
                "spec editor",
                spec_editor(spec, storage_classes, base_url, on_change),
            ))}
        </details>
    }
}

on_demand_part!(
    spec_editor_chunk,
    fn spec_editor(
        spec: Memo<OfferSpec>,
        storage_classes: Signal<Vec<String>>,
        base_url: Signal<String>,
        on_change: Callback<OfferSpec>,
    ) -> AnyView {
        view! { <SpecEditor spec storage_classes base_url on_change /> }.into_any()
    }
);

#[component]
fn SpecEditor(
    spec: Memo<OfferSpec>,
    storage_classes: Signal<Vec<String>>,
    base_url: Signal<String>,
    on_change: Callback<OfferSpec>,
) -> impl IntoView {
    // The text this panel last wrote, with the spec it wrote it from. Read
    // back, it gives that spec again, so only text the user typed is
    // parsed: the YAML parser runs (and is compiled) when someone edits the
    // spec, not on every visit to the page.
    // The parser itself is fetched when the panel is first opened (see
    // state/yaml_reader.rs); until it is here, typed text counts as the
    // spec it replaces, and is read the moment it arrives.
    let written = StoredValue::new(spec.with_untracked(|s| (s.to_yaml(), s.clone())));
    let text = RwSignal::new(written.with_value(|(yaml, _)| yaml.clone()));
    let editing = RwSignal::new(false);
    let jump = RwSignal::new(None::<(usize, usize)>);
    let yaml = use_yaml_reader();
    let parsed = Memo::new(move |_| {
        text.with(|t| {
            written.with_value(|(written, spec)| match yaml.spec() {
                _ if written == t => Ok(spec.clone()),
                Some(read) => read(t),
                None if yaml.failed() => Err(vec![SpecProblem {
                    field: SpecField::Spec,
                    at: Position::default(),
                    message: "The YAML parser could not be fetched, so this text is not read yet. Check the connection: the next edit tries again.".to_owned(),
                }]),
                None => Ok(spec.clone()),
            })
        })
    });
    // A failed fetch is tried again when the user edits.
    Effect::new(move |previous: Option<()>| {
        text.track();
        if previous.is_some() {
            yaml.retry();
        }
    });
    // The filters changed the spec: show it, unless the user is typing and
    // what they typed already says the same.
    Effect::new(move |_| {
        let current = spec.get();
        let same = parsed.with_untracked(|p| p.as_ref() == Ok(&current));
        if !same && !editing.get() {
            let yaml = current.to_yaml();
            written.set_value((yaml.clone(), current));
            text.set(yaml);
        }
    });
    // What the user typed reads cleanly: it becomes the query.
    Effect::new(move |_| {
        if let Ok(typed) = parsed.get() {
            if spec.with_untracked(|s| *s != typed) {
                on_change.run(typed);
            }
        }
    });
    let problems =
        move || -> Vec<SpecProblem> { parsed.with(|p| p.clone().err().unwrap_or_default()) };
    let problem_list = move || {
        problems()
            .into_iter()
            .map(|problem| {
                let (line, column) = (problem.at.line, problem.at.column);
                let label = problem.to_string();
                if line > 0 {
                    view! {
                        <li class="diagnostic diagnostic--error">
                            <button type="button" class="link-button diagnostic__go"
                                on:click=move |_| jump.set(Some((line, column)))>
                                {label}
                            </button>
                        </li>
                    }
                    .into_any()
                } else {
                    view! { <li class="diagnostic diagnostic--error">{label}</li> }.into_any()
                }
            })
            .collect_view()
    };
    let invalid = Signal::derive(move || parsed.with(Result::is_err));
    let curl = Signal::derive(move || {
        Some(supply_calls::curl(
            &base_url.get(),
            &spec.with(supply_calls::get_offers),
        ))
    });

    let kind = RwSignal::new(
        STORAGE_TYPES
            .first()
            .copied()
            .unwrap_or("block_disk")
            .to_owned(),
    );
    let class = RwSignal::new(String::new());
    let size = RwSignal::new("500GB".to_owned());
    let persistent = RwSignal::new(false);
    let add_volume = move |_| {
        let mut next = spec.get_untracked();
        next.storage.push(StorageVolume {
            kind: kind.get_untracked(),
            class: Some(class.get_untracked()).filter(|c| !c.is_empty()),
            size: Some(size.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            persistent: Some(persistent.get_untracked()),
            extra: Vec::new(),
        });
        on_change.run(next);
    };
    let volumes = move || {
        spec.with(|s| s.storage.clone())
            .into_iter()
            .enumerate()
            .map(|(at, volume)| {
                let summary = format!(
                    "{} {} {}{}",
                    or_dash(volume.size.as_ref()),
                    volume.kind,
                    volume.class.clone().unwrap_or_else(|| "standard".into()),
                    if volume.persistent == Some(true) { ", persistent" } else { ", deleted with the machine" }
                );
                let remove = move |_| {
                    let mut next = spec.get_untracked();
                    if at < next.storage.len() {
                        next.storage.remove(at);
                    }
                    on_change.run(next);
                };
                view! {
                    <li>
                        {summary.clone()}
                        " "
                        <button type="button" aria-label=format!("Remove volume {}: {summary}", at + 1) on:click=remove>"Remove"</button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="field editor-field">
            <label for="offer-spec">"Offer spec"</label>
            <p id="offer-spec-hint" class="hint">
                "Edit freely: a spec that reads cleanly updates the filters and is sent; keys this console does not know are kept. Tab indents; press Escape, then Tab, to move on."
            </p>
            <CodeEditor id="offer-spec" value=text jump editing described_by="offer-spec-hint offer-spec-problems" invalid rows=12 />
            <ul id="offer-spec-problems" class="diagnostics" aria-label="Spec problems" aria-live="polite">{problem_list}</ul>
        </div>
        <div class="spec-panel__curl">
            <CopyButton text=curl what="the request as a curl command" label="Copy as curl" />
            <span class="hint">"The token is written as $SUPPLY_TOKEN: set it in your shell."</span>
        </div>
        <fieldset class="storage-volumes">
            <legend>"Storage volumes"</legend>
            <ul>{volumes}</ul>
            <div class="field">
                <label for="volume-type">"Volume type"</label>
                <select id="volume-type" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {STORAGE_TYPES.map(|t| view! { <option value=t>{t}</option> })}
                </select>
            </div>
            <div class="field">
                <label for="volume-class">"Volume class"</label>
                <select id="volume-class" on:change=move |ev| class.set(event_target_value(&ev))>
                    <option value="">"Standard (default)"</option>
                    {move || storage_classes.get().into_iter().map(|c| { let label = c.clone(); view! { <option value=c>{label}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="volume-size">"Volume size"</label>
                <input id="volume-size" type="text" placeholder="500GB or 2TB" prop:value=move || size.get()
                    on:input=move |ev| size.set(event_target_value(&ev)) />
            </div>
            <div class="field check">
                <input id="volume-persistent" type="checkbox" prop:checked=move || persistent.get()
                    on:change=move |_| persistent.update(|p| *p = !*p) />
                <label for="volume-persistent">"Persistent (its own resource; survives the machine)"</label>
            </div>
            <div class="field">
                <button type="button" on:click=add_volume>"Add volume"</button>
            </div>
        </fieldset>
    }
}
