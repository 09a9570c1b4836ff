//! How the end of provisioning is told when the user looks elsewhere: the
//! tab title, and a browser notification where the user allowed them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

const TITLE: &str = "GPU Supply Console";

/// Shows a browser notification when the user has allowed them.
fn notify(title: &str, body: &str) {
    if Notification::permission() != NotificationPermission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    let _ = Notification::new_with_options(title, &options);
}

/// Keeps the tab title on where provisioning stands, and notifies once
/// when it ends (`ended` is its final state). The title comes back when
/// the page goes.
pub(crate) fn announce_end(ended: Memo<Option<String>>, what: String) {
    let notified = StoredValue::new(false);
    Effect::new(move |_| {
        let ended = ended.get();
        let title = match &ended {
            Some(state) => format!("{state} · {TITLE}"),
            None => format!("Provisioning · {TITLE}"),
        };
        document().set_title(&title);
        if let Some(state) = ended {
            if !notified.get_value() {
                notified.set_value(true);
                notify(&format!("Provisioning {state}"), &what);
            }
        }
    });
    on_cleanup(|| document().set_title(TITLE));
}

/// Asks once, from a click, whether notifications may be shown.
#[component]
pub(crate) fn NotifyToggle() -> impl IntoView {
    let permission = RwSignal::new(Notification::permission());
    let ask = move |_| {
        if let Ok(promise) = Notification::request_permission() {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                permission.try_set(Notification::permission());
            });
        }
    };
    move || {
        match permission.get() {
        NotificationPermission::Granted => view! {
            <p class="muted">"A browser notification will say when provisioning ends."</p>
        }
        .into_any(),
        NotificationPermission::Denied => view! {
            <p class="muted">"Notifications are blocked for this site; the tab title will say when it ends."</p>
        }
        .into_any(),
        _ => view! { <button type="button" on:click=ask>"Notify me when it ends"</button> }.into_any(),
    }
    }
}
