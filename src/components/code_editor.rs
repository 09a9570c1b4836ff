//! A plain-text code editor: a textarea with line numbers, a monospace
//! font, and Tab to indent (Escape, then Tab, leaves it, so the keyboard is
//! never trapped). The offer spec and cloud-init editors are this one; a
//! caller moves the caret to a problem by setting `jump`.

use leptos::html;
use leptos::prelude::*;
use supply_model::text::{byte_offset, line_start, utf16_offset};

const INDENT: &str = "  ";

#[component]
pub(crate) fn CodeEditor(
    id: &'static str,
    value: RwSignal<String>,
    /// Set to a 1-based line and column to move the caret there.
    jump: RwSignal<Option<(usize, usize)>>,
    /// Whether the user is in the editor, so a caller does not rewrite
    /// the text under their hands.
    editing: RwSignal<bool>,
    #[prop(into)] described_by: String,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(default = 10)] rows: u32,
) -> impl IntoView {
    let textarea = NodeRef::<html::Textarea>::new();
    let gutter = NodeRef::<html::Pre>::new();
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
    // Tab indents at the caret; Shift+Tab takes one indent off the line.
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
    Effect::new(move |_| {
        let Some((line, column)) = jump.get() else {
            return;
        };
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
        jump.set(None);
    });
    view! {
        <div class="editor">
            <pre class="editor__gutter" aria-hidden="true" node_ref=gutter>{numbers}</pre>
            <textarea
                id=id
                class="editor__text"
                node_ref=textarea
                spellcheck="false"
                autocomplete="off"
                wrap="off"
                rows=rows
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:keydown=on_keydown
                on:scroll=sync_scroll
                on:focus=move |_| editing.set(true)
                on:blur=move |_| editing.set(false)
                aria-describedby=described_by
                aria-invalid=move || invalid.get().to_string()
            ></textarea>
        </div>
    }
}
