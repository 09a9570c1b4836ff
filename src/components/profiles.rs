//! Profiles in the page: a switcher in the header that always names the
//! active profile, and adding or removing profiles in Settings.

use leptos::prelude::*;
use supply_model::profiles::DEFAULT_PROFILE;

use crate::components::value_options::value_options;
use crate::state::profiles;

/// The active profile's name, and a way to switch, on every page.
#[component]
pub(crate) fn ProfileSwitcher() -> impl IntoView {
    let current = profiles::load();
    let active = current.active.clone();
    let switch = move |ev: leptos::ev::Event| {
        let mut next = profiles::load();
        if next.switch(&event_target_value(&ev)) {
            profiles::apply(&next);
        }
    };
    view! {
        <div class="profile-switcher">
            <label for="profile-switcher">"Profile"</label>
            <select id="profile-switcher" on:change=switch>
                {value_options(current.names, Some(&active))}
            </select>
        </div>
    }
}

/// Settings: which profile these settings belong to; add and remove.
#[component]
pub(crate) fn ProfileManager() -> impl IntoView {
    let active = profiles::load().active;
    let new_name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = profiles::load();
        match next.add(&new_name.get_untracked()) {
            // Settings reopens under the new profile, ready for its URLs
            // and tokens.
            Ok(()) => profiles::apply(&next),
            Err(text) => problem.set(Some(text)),
        }
    };
    let removable = active != DEFAULT_PROFILE;
    let remove_name = active.clone();
    let remove = move |_| {
        let mut next = profiles::load();
        if next.remove(&remove_name).is_ok() {
            profiles::apply(&next);
        }
    };
    view! {
        <section class="profiles" aria-labelledby="profiles-title">
            <h2 id="profiles-title">"Profiles"</h2>
            <p>
                "These settings belong to the profile " <strong>{active.clone()}</strong>
                ". Each profile keeps its own base URLs and tokens; switch from the header."
            </p>
            <form class="inline-form" on:submit=add>
                <label for="new-profile">"New profile name"</label>
                <input
                    id="new-profile"
                    type="text"
                    autocomplete="off"
                    bind:value=new_name
                    aria-describedby="new-profile-error"
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                />
                <button type="submit">"Add profile"</button>
            </form>
            <p id="new-profile-error" class="field-error">{move || problem.get()}</p>
            {removable.then(|| view! {
                <button type="button" on:click=remove>{format!("Remove the profile “{active}”")}</button>
            })}
        </section>
    }
}
