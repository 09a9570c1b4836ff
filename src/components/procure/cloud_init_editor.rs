//! The cloud-init editor: line numbers, a monospace font, Tab indents
//! (Escape, then Tab, leaves the editor), checks as you type with line and
//! column, a byte meter against 64 KB, templates, and loading from a file
//! or by drag-and-drop.

use leptos::prelude::*;
use supply_model::cloud_init::{check_cloud_init_with, Severity, MAX_CLOUD_INIT_BYTES};
use supply_model::cloud_init_templates::{insert_template, template, TEMPLATES};

use supply_model::text::thousands;

use crate::components::code_editor::CodeEditor;
use crate::components::file_text::{dropped_file, load_into, picked_file};
use crate::state::yaml_reader::use_yaml_reader;

#[component]
pub(crate) fn CloudInitEditor(
    value: RwSignal<String>,
    /// A problem the API reported for this field.
    #[prop(into)]
    server_error: Signal<Option<String>>,
) -> impl IntoView {
    // A #cloud-config script's YAML is checked with the parser, fetched
    // the first time such a script is written (again on an edit after a
    // failed fetch); a plain visit to the page does not load it.
    let yaml = use_yaml_reader();
    let report = Memo::new(move |_| {
        let check_yaml = yaml.parsers().map(|parsers| parsers.cloud_config);
        value.with(|text| check_cloud_init_with(text, check_yaml))
    });
    Effect::new(move |_| {
        if report.with(|r| r.yaml_unchecked) {
            yaml.fetch();
            yaml.retry();
        }
    });
    let yaml_note = move || {
        report.with(|r| r.yaml_unchecked).then(|| {
            if yaml.failed() {
                "The YAML check could not be loaded: check the connection, then edit to try again. The service still checks the script when you order."
            } else {
                "Checking the YAML…"
            }
        })
    };
    let notice = RwSignal::new(None::<String>);
    let jump = RwSignal::new(None::<(usize, usize)>);
    let editing = RwSignal::new(false);
    let go_to_line = move |line: usize, column: usize| jump.set(Some((line, column)));

    let load = move |file: web_sys::File| load_into(file, value, notice, false);
    let on_pick = move |ev: web_sys::Event| {
        if let Some(file) = picked_file(&ev) {
            load(file);
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        if let Some(file) = dropped_file(&ev) {
            load(file);
        }
    };

    let chosen_template = RwSignal::new(TEMPLATES.first().map(|t| t.name).unwrap_or_default());
    let insert = move |_| {
        let Some(chosen) = template(chosen_template.get_untracked()) else {
            return;
        };
        match insert_template(&value.get_untracked(), chosen) {
            Ok(text) => {
                value.set(text);
                notice.set(Some(format!("Inserted “{}”.", chosen.name)));
            }
            Err(problem) => notice.set(Some(problem)),
        }
    };

    let bytes = move || report.with(|r| r.bytes);
    let over = move || bytes() > MAX_CLOUD_INIT_BYTES;
    let kind = move || {
        report.with(|r| match r.kind {
            Some(supply_model::cloud_init::ScriptKind::CloudConfig) => "#cloud-config (YAML)",
            Some(supply_model::cloud_init::ScriptKind::Shell) => "a script",
            None => "no script",
        })
    };
    let diagnostics = move || {
        report.with(|r| {
            r.diagnostics
                .iter()
                .map(|d| {
                    let (line, column) = (d.line, d.column);
                    let class = match d.severity {
                        Severity::Error => "diagnostic diagnostic--error",
                        Severity::Warning => "diagnostic diagnostic--warning",
                    };
                    let label = match d.severity {
                        Severity::Error => "Error",
                        Severity::Warning => "Warning",
                    };
                    let at = if line > 0 {
                        format!("line {line}, column {column}: ")
                    } else {
                        String::new()
                    };
                    let text = format!("{label}: {at}{}", d.message);
                    view! {
                        <li class=class>
                            {if line > 0 {
                                view! {
                                    <button type="button" class="link-button diagnostic__go"
                                        on:click=move |_| go_to_line(line, column)>
                                        {text}
                                    </button>
                                }.into_any()
                            } else {
                                view! { <span>{text}</span> }.into_any()
                            }}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let invalid = Signal::derive(move || {
        report.with(|r| r.blocks_submit()) || server_error.with(Option::is_some)
    });

    view! {
        <div class="field editor-field">
            <label for="cloud-init">"Cloud-init"</label>
            <p id="cloud-init-hint" class="hint">
                "Optional. Start with #cloud-config (YAML) or #! and an interpreter. Tab indents; press Escape, then Tab, to move on."
            </p>
            <div class="editor-tools">
                <label for="cloud-init-template">"Template"</label>
                <select
                    id="cloud-init-template"
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev);
                        if let Some(t) = template(&chosen) {
                            chosen_template.set(t.name);
                        }
                    }
                >
                    {TEMPLATES
                        .iter()
                        .map(|t| view! { <option value=t.name title=t.description>{t.name}</option> })
                        .collect_view()}
                </select>
                <button type="button" on:click=insert>"Insert template"</button>
                <label class="file-button">
                    "Load from a file"
                    <input type="file" class="visually-hidden" accept=".yaml,.yml,.cfg,.sh,.txt,text/*" on:change=on_pick />
                </label>
            </div>
            <div on:dragover=|ev: web_sys::DragEvent| ev.prevent_default() on:drop=on_drop>
                <CodeEditor
                    id="cloud-init"
                    value
                    jump
                    editing
                    described_by="cloud-init-hint cloud-init-meter-text cloud-init-error"
                    invalid
                    rows=14
                />
            </div>
            <div class="editor-meter">
                <meter
                    id="cloud-init-meter"
                    min="0"
                    max=MAX_CLOUD_INIT_BYTES
                    high=MAX_CLOUD_INIT_BYTES * 9 / 10
                    value=bytes
                    aria-labelledby="cloud-init-meter-text"
                ></meter>
                <span id="cloud-init-meter-text" class:over=over>
                    {move || format!(
                        "{} of {} bytes (UTF-8), {}",
                        thousands(bytes()),
                        thousands(MAX_CLOUD_INIT_BYTES),
                        kind()
                    )}
                </span>
            </div>
            <p class="hint" role="status">{move || notice.get()}</p>
            <ul class="diagnostics" aria-label="Cloud-init checks">
                {diagnostics}
                {move || yaml_note().map(|note| view! { <li class="diagnostic">{note}</li> })}
            </ul>
            <p id="cloud-init-error" class="field-error">{move || server_error.get()}</p>
        </div>
    }
}
