//! Named API profiles (a Supply base URL and token, a k0rdent base URL and
//! token each), one of them active. Each profile keeps its settings under
//! its own storage prefix; the first, "Default", uses the plain keys, so
//! settings saved before profiles existed stay where they were.

use serde::{Deserialize, Serialize};

use crate::url::encode_component;

pub const DEFAULT_PROFILE: &str = "Default";
pub const MAX_PROFILE_NAME_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profiles {
    pub names: Vec<String>,
    pub active: String,
}

impl Default for Profiles {
    fn default() -> Self {
        Self {
            names: vec![DEFAULT_PROFILE.to_owned()],
            active: DEFAULT_PROFILE.to_owned(),
        }
    }
}

impl Profiles {
    /// The stored list, repaired: "Default" always exists and the active
    /// profile is one of the list.
    pub fn from_json(raw: Option<&str>) -> Self {
        let mut profiles: Self = raw
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default();
        if !profiles.names.iter().any(|n| n == DEFAULT_PROFILE) {
            profiles.names.insert(0, DEFAULT_PROFILE.to_owned());
        }
        profiles.names.dedup();
        if !profiles.names.contains(&profiles.active) {
            profiles.active = DEFAULT_PROFILE.to_owned();
        }
        profiles
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Adds a profile and makes it the active one.
    pub fn add(&mut self, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("Name the profile, e.g. “Staging”.".into());
        }
        if name.chars().count() > MAX_PROFILE_NAME_CHARS {
            return Err(format!("At most {MAX_PROFILE_NAME_CHARS} characters."));
        }
        if self.names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return Err(format!("A profile named “{name}” exists already."));
        }
        self.names.push(name.to_owned());
        self.active = name.to_owned();
        Ok(())
    }

    /// Removes a profile other than "Default"; removing the active one
    /// makes "Default" active.
    pub fn remove(&mut self, name: &str) -> Result<(), String> {
        if name == DEFAULT_PROFILE {
            return Err("The Default profile cannot be removed.".into());
        }
        self.names.retain(|n| n != name);
        if self.active == name {
            self.active = DEFAULT_PROFILE.to_owned();
        }
        Ok(())
    }

    /// Makes `name` active; false when there is no such profile.
    pub fn switch(&mut self, name: &str) -> bool {
        let known = self.names.iter().any(|n| n == name);
        if known {
            self.active = name.to_owned();
        }
        known
    }
}

/// Where a profile's settings are stored: `supply.` for "Default",
/// `supply.profile.<name, encoded>.` for the others.
pub fn key_prefix(name: &str) -> String {
    if name == DEFAULT_PROFILE {
        "supply.".to_owned()
    } else {
        format!("supply.profile.{}.", encode_component(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_added_switched_and_removed() {
        let mut profiles = Profiles::default();
        assert!(profiles.add("  ").is_err());
        assert!(profiles.add(&"x".repeat(41)).is_err());
        profiles.add("Staging").unwrap();
        assert_eq!(profiles.active, "Staging");
        assert!(profiles.add("staging").unwrap_err().contains("exists"));
        assert!(profiles.switch(DEFAULT_PROFILE));
        assert!(!profiles.switch("Nope"));
        assert_eq!(profiles.active, DEFAULT_PROFILE);
        profiles.switch("Staging");
        assert!(profiles.remove(DEFAULT_PROFILE).is_err());
        profiles.remove("Staging").unwrap();
        assert_eq!(profiles, Profiles::default());
    }

    #[test]
    fn stored_lists_are_repaired() {
        let repaired = Profiles::from_json(Some(r#"{"names":["Prod"],"active":"Gone"}"#));
        assert_eq!(repaired.names, ["Default", "Prod"]);
        assert_eq!(repaired.active, DEFAULT_PROFILE);
        assert_eq!(Profiles::from_json(Some("junk")), Profiles::default());
        let mut profiles = Profiles::default();
        profiles.add("Prod eu").unwrap();
        assert_eq!(Profiles::from_json(Some(&profiles.to_json())), profiles);
    }

    #[test]
    fn each_profile_has_its_own_keys() {
        assert_eq!(key_prefix(DEFAULT_PROFILE), "supply.");
        assert_eq!(key_prefix("Prod eu"), "supply.profile.Prod%20eu.");
        assert_ne!(key_prefix("a.b"), key_prefix("a"));
    }
}
