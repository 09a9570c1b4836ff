//! The spend meter: what the resources not being deleted cost per hour.
//! It reads only three fields of each resource, so the header that shows it
//! does not carry the full resource decoder in the first load.

use serde::Deserialize;

use crate::deletion::Lifecycle;
use crate::ResourceSummary;

/// The fields of a resource the meter needs; everything else is ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SpendItem {
    pub resource_id: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub pricing_total_hourly: Option<f64>,
}

impl From<&ResourceSummary> for SpendItem {
    fn from(resource: &ResourceSummary) -> Self {
        Self {
            resource_id: resource.resource_id.clone(),
            status: resource.status.clone(),
            pricing_total_hourly: resource.pricing_total_hourly,
        }
    }
}

/// `GET /resources` wrapped in an object, under any of the keys the
/// contract allows.
#[derive(Deserialize)]
struct Wrapped {
    #[serde(default, alias = "items", alias = "data")]
    resources: Option<Vec<SpendItem>>,
}

/// Decodes `GET /resources` (a bare array, or an object holding it) as
/// meter items. Straight from the text, without a `Value` in between: this
/// runs in the first load, where every kilobyte counts.
pub fn decode_spend_items(body: &str) -> Result<Vec<SpendItem>, serde_json::Error> {
    if body.trim_start().starts_with('[') {
        serde_json::from_str(body)
    } else {
        serde_json::from_str::<Wrapped>(body).map(|w| w.resources.unwrap_or_default())
    }
}

/// The meter's figure.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Spend {
    /// $/h of the resources still running.
    pub hourly: f64,
    /// How many resources that is.
    pub running: usize,
    /// Resources whose delete is under way (no longer counted).
    pub deleting: usize,
}

/// The resources the console knows, by id: a list replaces them all, one
/// resource read on its own page updates its entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpendBook {
    // A plain list: a token has tens of resources, not thousands, and a
    // map's code would weigh on the first load.
    items: Vec<SpendItem>,
}

impl SpendBook {
    pub fn from_list(items: Vec<SpendItem>) -> Self {
        Self { items }
    }

    /// One resource as just read: a list read before it is older.
    pub fn update(&mut self, item: SpendItem) {
        match self
            .items
            .iter_mut()
            .find(|known| known.resource_id == item.resource_id)
        {
            Some(known) => *known = item,
            None => self.items.push(item),
        }
    }

    pub fn spend(&self) -> Spend {
        let mut spend = Spend::default();
        for item in &self.items {
            match Lifecycle::of(&item.status) {
                Lifecycle::Live => {
                    spend.running += 1;
                    spend.hourly += item
                        .pricing_total_hourly
                        .filter(|p| p.is_finite() && *p > 0.0)
                        .unwrap_or(0.0);
                }
                Lifecycle::Deleting => spend.deleting += 1,
                Lifecycle::Deleted => {}
            }
        }
        spend
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, status: &str, price: Option<f64>) -> SpendItem {
        SpendItem {
            resource_id: id.into(),
            status: status.into(),
            pricing_total_hourly: price,
        }
    }

    #[test]
    fn the_meter_counts_what_is_not_being_deleted() {
        let mut book = SpendBook::from_list(vec![
            item("a", "running", Some(24.0)),
            item("b", "attached", Some(0.5)),
            item("c", "deleted", Some(9.0)),
            item("d", "provisioning", None),
        ]);
        assert_eq!(
            book.spend(),
            Spend {
                hourly: 24.5,
                running: 3,
                deleting: 0
            }
        );
        book.update(item("a", "deleting", Some(24.0)));
        assert_eq!(
            book.spend(),
            Spend {
                hourly: 0.5,
                running: 2,
                deleting: 1
            }
        );
    }

    #[test]
    fn the_meter_reads_a_list_in_any_published_shape() {
        let bare =
            r#"[{"resource_id":"a","status":"running","pricing_total_hourly":2.5,"vendor":"x"}]"#;
        let wrapped =
            r#"{"resources":[{"resource_id":"a","status":"running","pricing_total_hourly":2.5}]}"#;
        assert_eq!(
            decode_spend_items(bare).unwrap(),
            decode_spend_items(wrapped).unwrap()
        );
        assert!(decode_spend_items(r#"{"nothing":1}"#).unwrap().is_empty());
        assert!(decode_spend_items("3").is_err());
        assert!(decode_spend_items("[{").is_err());
    }
}
