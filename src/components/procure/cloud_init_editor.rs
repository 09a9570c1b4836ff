//! The cloud-init editor: line numbers, a monospace font, Tab indents
//! (Escape, then Tab, leaves the editor), checks as you type with line and
//! column, a byte meter against 64 KB, templates, and loading from a file
//! or by drag-and-drop.

use leptos::html;
use leptos::prelude::*;
use supply_model::cloud_init::{check_cloud_init, Severity, MAX_CLOUD_INIT_BYTES};
use supply_model::cloud_init_templates::{insert_template, template, TEMPLATES};

use supply_model::text::{byte_offset, line_start, thousands, utf16_offset};

use crate::components::file_text::{dropped_file, load_into, picked_file};

const INDENT: &str = "  ";

#[component]
pub fn CloudInitEditor(
    value: RwSignal<String>,
    /// A problem the API reported for this field.
    #[prop(into)]
    server_error: Signal<Option<String>>,
) -> impl IntoView {
    let textarea = NodeRef::<html::Textarea>::new();
    let gutter = NodeRef::<html::Pre>::new();
    let report = Memo::new(move |_| value.with(|text| check_cloud_init(text)));
    let notice = RwSignal::new(None::<String>);
    // After Escape, Tab moves focus on instead of indenting.
    let leaving = RwSignal::new(false);

    let numbers = move || {
        let lines = value.with(|t| t.split('\n').count()).max(1);
        (1..=lines)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let sync_scroll = move |_| {
        if let (Some(area), Some(gutter)) = (textarea.get(), gutter.get()) {
            gutter.set_scroll_top(area.scroll_top());
        }
    };

    // Replaces the selection with `edit(selected lines)` and keeps a caret.
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        match ev.key().as_str() {
            "Escape" => {
                leaving.set(true);
                return;
            }
            "Tab" if !leaving.get_untracked() => {}
            _ => {
                leaving.set(false);
                return;
            }
        }
        let Some(area) = textarea.get() else { return };
        ev.prevent_default();
        let text = area.value();
        let start = byte_offset(&text, area.selection_start().ok().flatten().unwrap_or(0));
        let end = byte_offset(&text, area.selection_end().ok().flatten().unwrap_or(0));
        let (next, caret) = if ev.shift_key() {
            // Dedent the line the caret is on.
            let from = text
                .get(..start)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |n| n + 1);
            let removable = text
                .get(from..)
                .map_or(0, |rest| rest.len() - rest.trim_start_matches(' ').len())
                .min(INDENT.len());
            let next = format!(
                "{}{}",
                text.get(..from).unwrap_or_default(),
                text.get(from + removable..).unwrap_or_default()
            );
            (next, start.saturating_sub(removable).max(from))
        } else {
            let next = format!(
                "{}{INDENT}{}",
                text.get(..start).unwrap_or_default(),
                text.get(end..).unwrap_or_default()
            );
            (next, start + INDENT.len())
        };
        area.set_value(&next);
        let caret = utf16_offset(&next, caret);
        let _ = area.set_selection_range(caret, caret);
        value.set(next);
    };

    let go_to_line = move |line: usize, column: usize| {
        let Some(area) = textarea.get() else { return };
        let text = value.get_untracked();
        let start = line_start(&text, line);
        let at = text
            .get(start..)
            .and_then(|rest| rest.char_indices().nth(column.saturating_sub(1)))
            .map_or(start, |(offset, _)| start + offset);
        let caret = utf16_offset(&text, at);
        let _ = area.focus();
        let _ = area.set_selection_range(caret, caret);
    };

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
    let invalid = move || {
        (report.with(|r| r.blocks_submit()) || server_error.with(Option::is_some)).to_string()
    };

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
            <div class="editor" on:dragover=|ev: web_sys::DragEvent| ev.prevent_default() on:drop=on_drop>
                <pre class="editor__gutter" aria-hidden="true" node_ref=gutter>{numbers}</pre>
                <textarea
                    id="cloud-init"
                    class="editor__text"
                    node_ref=textarea
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    rows="14"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:keydown=on_keydown
                    on:scroll=sync_scroll
                    aria-describedby="cloud-init-hint cloud-init-meter-text cloud-init-error"
                    aria-invalid=invalid
                ></textarea>
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
            <ul class="diagnostics" aria-label="Cloud-init checks">{diagnostics}</ul>
            <p id="cloud-init-error" class="field-error">{move || server_error.get()}</p>
        </div>
    }
}
