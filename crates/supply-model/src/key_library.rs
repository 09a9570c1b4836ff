//! SSH public keys kept on the device under a name, one of them the
//! default that a new procure form starts with. Only public keys: a key is
//! checked before it is kept, so a private key is never stored.

use serde::{Deserialize, Serialize};

use crate::ssh_key::parse_public_key;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedKey {
    pub name: String,
    pub public_key: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeyLibrary {
    pub keys: Vec<SavedKey>,
    /// The default key's fingerprint.
    pub default: Option<String>,
}

impl KeyLibrary {
    pub fn from_json(raw: Option<&str>) -> Self {
        raw.and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Keeps `public_key` as `name`. The same key saved again is renamed,
    /// not duplicated; the first key kept becomes the default.
    pub fn save(&mut self, name: &str, public_key: &str) -> Result<SavedKey, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("Give the key a name, e.g. “laptop”.".into());
        }
        let parsed = parse_public_key(public_key).map_err(|err| err.to_string())?;
        let saved = SavedKey {
            name: name.to_owned(),
            public_key: public_key.trim().to_owned(),
            fingerprint: parsed.fingerprint,
        };
        match self
            .keys
            .iter_mut()
            .find(|k| k.fingerprint == saved.fingerprint)
        {
            Some(existing) => *existing = saved.clone(),
            None => self.keys.push(saved.clone()),
        }
        if self.default.is_none() {
            self.default = Some(saved.fingerprint.clone());
        }
        Ok(saved)
    }

    pub fn remove(&mut self, fingerprint: &str) {
        self.keys.retain(|k| k.fingerprint != fingerprint);
        if self.default.as_deref() == Some(fingerprint) {
            self.default = self.keys.first().map(|k| k.fingerprint.clone());
        }
    }

    pub fn set_default(&mut self, fingerprint: &str) {
        if self.find(fingerprint).is_some() {
            self.default = Some(fingerprint.to_owned());
        }
    }

    pub fn find(&self, fingerprint: &str) -> Option<&SavedKey> {
        self.keys.iter().find(|k| k.fingerprint == fingerprint)
    }

    pub fn default_key(&self) -> Option<&SavedKey> {
        self.find(self.default.as_deref()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICo9uBeqxh3DMFA1oUxUvi24cBWWg9iSh6/XXb+UPRNC user@k_ed25519";
    const OTHER: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname";

    #[test]
    fn keys_are_checked_named_and_not_duplicated() {
        let mut library = KeyLibrary::default();
        assert!(library.save("", ED25519).is_err());
        assert!(library.save("bad", "ssh-rsa AAAA").is_err());
        assert!(library
            .save("leak", "-----BEGIN OPENSSH PRIVATE KEY-----")
            .unwrap_err()
            .contains("private key"));
        let first = library.save("laptop", ED25519).unwrap();
        assert!(first.fingerprint.starts_with("SHA256:"));
        assert_eq!(library.default_key().unwrap().name, "laptop");
        library.save("renamed", ED25519).unwrap();
        assert_eq!(library.keys.len(), 1);
        assert_eq!(library.keys[0].name, "renamed");
        let second = library.save("ci", OTHER).unwrap();
        assert_eq!(library.keys.len(), 2);
        // The first stays the default until another is chosen.
        assert_eq!(library.default_key().unwrap().name, "renamed");
        library.set_default(&second.fingerprint);
        assert_eq!(library.default_key().unwrap().name, "ci");
        library.set_default("SHA256:unknown");
        assert_eq!(library.default_key().unwrap().name, "ci");
    }

    #[test]
    fn removing_the_default_picks_another_and_json_round_trips() {
        let mut library = KeyLibrary::default();
        let a = library.save("a", ED25519).unwrap();
        library.save("b", OTHER).unwrap();
        library.remove(&a.fingerprint);
        assert_eq!(library.default_key().unwrap().name, "b");
        assert_eq!(KeyLibrary::from_json(Some(&library.to_json())), library);
        assert_eq!(KeyLibrary::from_json(Some("[1,2]")), KeyLibrary::default());
        library.remove(&library.keys[0].fingerprint.clone());
        assert_eq!(library.default_key(), None);
    }
}
