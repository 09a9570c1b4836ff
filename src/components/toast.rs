//! Short-lived notices ("Settings saved") in one polite live region.

use std::time::Duration;

use leptos::prelude::*;

const TOAST_LIFETIME: Duration = Duration::from_secs(6);

#[derive(Clone, Debug, PartialEq)]
struct Toast {
    id: u64,
    text: String,
}

#[derive(Clone, Copy)]
pub(crate) struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    pub(crate) fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    pub(crate) fn push(&self, text: impl Into<String>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                text: text.into(),
            })
        });
        let items = self.items;
        set_timeout(
            move || {
                items.try_update(|items| items.retain(|toast| toast.id != id));
            },
            TOAST_LIFETIME,
        );
    }

    fn dismiss(&self, id: u64) {
        self.items
            .update(|items| items.retain(|toast| toast.id != id));
    }
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

pub(crate) fn use_toasts() -> Toasts {
    use_context::<Toasts>().unwrap_or_default()
}

#[component]
pub(crate) fn ToastArea() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            // A handful of short-lived items: re-rendering the list is
            // cheaper in the bundle than a keyed <For>.
            {move || {
                toasts
                    .items
                    .get()
                    .into_iter()
                    .map(|toast| {
                        view! {
                            <div class="toast">
                                <span>{toast.text}</span>
                                <button
                                    type="button"
                                    class="toast__close"
                                    aria-label="Dismiss notice"
                                    on:click=move |_| toasts.dismiss(toast.id)
                                >
                                    "×"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
