//! The profiles kept on this device and the storage keys of the active
//! one. Switching reloads the page, so nothing loaded under one profile's
//! token is shown under another's.

use supply_model::profiles::{key_prefix, Profiles};

use super::storage::{self, Area};

const PROFILES_KEY: &str = "supply.profiles";

pub(crate) fn load() -> Profiles {
    Profiles::from_json(storage::read(Area::Local, PROFILES_KEY).as_deref())
}

/// False when the browser refused to store it.
pub(crate) fn save(profiles: &Profiles) -> bool {
    storage::write(Area::Local, PROFILES_KEY, &profiles.to_json())
}

/// The active profile's storage key for `name`, e.g. `api_token`.
pub(crate) fn key(name: &str) -> String {
    format!("{}{name}", key_prefix(&load().active))
}

/// `name`'s key in every profile, for forgetting tokens everywhere.
pub(crate) fn keys_in_every_profile(name: &str) -> Vec<String> {
    load()
        .names
        .iter()
        .map(|profile| format!("{}{name}", key_prefix(profile)))
        .collect()
}

/// Stores `profiles` and reopens the current page under its active one.
pub(crate) fn apply(profiles: &Profiles) {
    save(profiles);
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
