//! Named offer searches kept on the device.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub name: String,
    /// The offers view's query string, without `?`.
    pub query: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearches {
    pub searches: Vec<SavedSearch>,
}

impl SavedSearches {
    /// Reads what was stored; anything unreadable starts empty.
    pub fn from_json(raw: Option<&str>) -> Self {
        raw.and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Saves under `name`, replacing a search of the same name (ignoring
    /// case); names are trimmed and must not be empty.
    pub fn save(&mut self, name: &str, query: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("Give the search a name.".into());
        }
        let entry = SavedSearch {
            name: name.to_owned(),
            query: query.trim_start_matches('?').to_owned(),
        };
        match self
            .searches
            .iter_mut()
            .find(|saved| saved.name.eq_ignore_ascii_case(name))
        {
            Some(existing) => *existing = entry,
            None => self.searches.push(entry),
        }
        crate::ordering::sort_by_cached_key(&mut self.searches, |saved| saved.name.to_lowercase());
        Ok(())
    }

    pub fn remove(&mut self, name: &str) {
        self.searches.retain(|saved| saved.name != name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_saved_by_name_and_survive_storage() {
        let mut saved = SavedSearches::default();
        saved
            .save(" Cheap H100 ", "?gpu=H100&max_gpu_price=2")
            .unwrap();
        saved.save("A10s", "gpu=A10").unwrap();
        saved
            .save("cheap h100", "gpu=H100&max_gpu_price=1.5")
            .unwrap();
        assert_eq!(saved.searches.len(), 2, "same name replaces");
        assert_eq!(saved.searches[0].name, "A10s");
        assert_eq!(saved.searches[1].query, "gpu=H100&max_gpu_price=1.5");
        assert!(saved.save("  ", "gpu=A10").is_err());
        let stored = saved.to_json();
        assert_eq!(SavedSearches::from_json(Some(&stored)), saved);
        saved.remove("A10s");
        assert_eq!(saved.searches.len(), 1);
        assert_eq!(
            SavedSearches::from_json(Some("[not json")),
            SavedSearches::default()
        );
    }
}
