//! The SSH public key: pasted, loaded from a `.pub` file or picked from the
//! keys kept on this device; checked as typed, with its fingerprint shown
//! the way `ssh-keygen -lf` prints it.

use leptos::prelude::*;
use supply_model::key_library::KeyLibrary;
use supply_model::ssh_key::{parse_public_key, KeyError};

use crate::components::file_text::{dropped_file, load_into, picked_file};
use crate::state::storage::{self, Area};

const LIBRARY_KEY: &str = "supply.ssh_keys";

pub(crate) fn load_library() -> KeyLibrary {
    KeyLibrary::from_json(storage::read(Area::Local, LIBRARY_KEY).as_deref())
}

fn store_library(library: &KeyLibrary) -> bool {
    storage::write(Area::Local, LIBRARY_KEY, &library.to_json())
}

#[component]
pub(crate) fn SshKeyField(
    value: RwSignal<String>,
    /// A problem the API, or the review step, found with this field.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let library = RwSignal::new(load_library());
    let notice = RwSignal::new(None::<String>);
    let checked = Memo::new(move |_| value.with(|key| parse_public_key(key)));
    // Typing has not started: no complaint yet.
    let check_text = move || match checked.get() {
        Ok(key) => Some((true, key.keygen_line())),
        Err(KeyError::Empty) => None,
        Err(err) => Some((false, err.to_string())),
    };

    let load = move |file: web_sys::File| load_into(file, value, notice, true);

    let save_name = RwSignal::new(String::new());
    let save = move |_| {
        let mut next = library.get_untracked();
        match next.save(&save_name.get_untracked(), &value.get_untracked()) {
            Ok(saved) => {
                let stored = store_library(&next);
                library.set(next);
                save_name.set(String::new());
                notice.set(Some(if stored {
                    format!("Saved “{}” on this device.", saved.name)
                } else {
                    "This browser refused to store the key.".into()
                }));
            }
            Err(problem) => notice.set(Some(problem)),
        }
    };
    let pick = move |ev: web_sys::Event| {
        let fingerprint = event_target_value(&ev);
        if let Some(saved) = library.with_untracked(|l| l.find(&fingerprint).cloned()) {
            value.set(saved.public_key);
        }
    };
    let make_default = move |_| {
        let Ok(key) = checked.get_untracked() else {
            return;
        };
        let mut next = library.get_untracked();
        next.set_default(&key.fingerprint);
        store_library(&next);
        library.set(next);
        notice.set(Some("This key is now the default for new orders.".into()));
    };
    let forget = move |_| {
        let Ok(key) = checked.get_untracked() else {
            return;
        };
        let mut next = library.get_untracked();
        next.remove(&key.fingerprint);
        store_library(&next);
        library.set(next);
        notice.set(Some("Removed from this device.".into()));
    };
    let current_saved = move || {
        checked.with(|key| {
            key.as_ref()
                .ok()
                .and_then(|key| library.with(|l| l.find(&key.fingerprint).map(|s| s.name.clone())))
        })
    };
    let is_default = move || {
        checked.with(|key| {
            key.as_ref().is_ok_and(|key| {
                library.with(|l| l.default.as_deref() == Some(key.fingerprint.as_str()))
            })
        })
    };
    let invalid = move || {
        (error.with(Option::is_some) || check_text().is_some_and(|(ok, _)| !ok)).to_string()
    };

    view! {
        <div class="field key-field">
            <label for="ssh-public-key">"SSH public key"</label>
            <p id="ssh-public-key-hint" class="hint">
                "Paste the contents of a .pub file, load one, or drop it here. ed25519, ecdsa or rsa (2048 bits or more)."
            </p>
            {move || library.with(|l| !l.keys.is_empty()).then(|| view! {
                <div class="inline-form">
                    <label for="saved-keys">"Saved keys"</label>
                    <select id="saved-keys" on:change=pick>
                        <option value="">"Choose a saved key…"</option>
                        {library.with(|l| l.keys.iter().map(|k| {
                            let default = l.default.as_deref() == Some(k.fingerprint.as_str());
                            let label = format!("{}{} — {}", k.name, if default { " (default)" } else { "" }, k.fingerprint);
                            view! { <option value=k.fingerprint.clone()>{label}</option> }
                        }).collect_view())}
                    </select>
                </div>
            })}
            <textarea
                id="ssh-public-key"
                class="key-text"
                rows="3"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:dragover=|ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| {
                    if let Some(file) = dropped_file(&ev) {
                        ev.prevent_default();
                        load(file);
                    }
                }
                aria-describedby="ssh-public-key-hint ssh-public-key-check ssh-public-key-error"
                aria-invalid=invalid
            ></textarea>
            <p
                id="ssh-public-key-check"
                class=move || match check_text() {
                    Some((true, _)) => "key-check key-check--ok",
                    Some((false, _)) => "key-check field-error",
                    None => "key-check",
                }
            >
                {move || check_text().map(|(ok, text)| if ok { format!("Fingerprint: {text}") } else { text })}
            </p>
            <p id="ssh-public-key-error" class="field-error">{move || error.get()}</p>
            <div class="inline-form">
                <label class="file-button">
                    "Load .pub file"
                    <input
                        type="file"
                        class="visually-hidden"
                        accept=".pub,text/plain"
                        on:change=move |ev| {
                            if let Some(file) = picked_file(&ev) {
                                load(file);
                            }
                        }
                    />
                </label>
                {move || match (checked.with(Result::is_ok), current_saved()) {
                    (true, Some(name)) => view! {
                        <span class="muted">{format!("Saved as “{name}”.")}</span>
                        <button type="button" on:click=make_default disabled=is_default>
                            {move || if is_default() { "Default key" } else { "Make default" }}
                        </button>
                        <button type="button" on:click=forget>"Forget this key"</button>
                    }.into_any(),
                    (true, None) => view! {
                        <label for="key-name">"Name"</label>
                        <input id="key-name" type="text" autocomplete="off" placeholder="laptop" bind:value=save_name />
                        <button type="button" on:click=save>"Save key on this device"</button>
                    }.into_any(),
                    _ => ().into_any(),
                }}
            </div>
            <p class="hint" role="status">{move || notice.get()}</p>
        </div>
    }
}
