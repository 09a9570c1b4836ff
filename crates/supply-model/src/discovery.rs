//! The discovery calls of the offer-lifecycle guide: `/available_gpus`
//! (a map from family to canonical names, per the gpu-selection guide) and
//! `/available_vendors`, `/available_regions`, `/available_contracts`,
//! `/available_storage` (named, shapes unpublished). Each answer is read in
//! whatever shape it has; when a call fails or its shape is unknown, the
//! documented values stand in.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::offer_spec::{CONTRACT_TYPES, REGION_GROUPS, STORAGE_CLASSES};

/// One GPU family and its canonical names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpuFamily {
    pub family: String,
    pub names: Vec<String>,
}

/// The GPU choice: every family with its canonical names.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GpuCatalog {
    pub families: Vec<GpuFamily>,
}

impl GpuCatalog {
    pub fn family_names(&self) -> Vec<String> {
        self.families.iter().map(|f| f.family.clone()).collect()
    }

    /// The family a family or canonical name belongs to.
    pub fn family_of(&self, name: &str) -> Option<&str> {
        self.families
            .iter()
            .find(|f| {
                f.family.eq_ignore_ascii_case(name)
                    || f.names.iter().any(|n| n.eq_ignore_ascii_case(name))
            })
            .map(|f| f.family.as_str())
    }
}

/// The families and names the gpu-selection guide lists.
pub fn documented_gpus() -> GpuCatalog {
    let family = |family: &str, names: &[&str]| GpuFamily {
        family: family.to_owned(),
        names: names.iter().map(|n| (*n).to_owned()).collect(),
    };
    GpuCatalog {
        families: vec![
            family("H100", &["nvidia-h100-sxm5-80gb", "nvidia-h100-pcie-80gb"]),
            family("H200", &[]),
            family(
                "A100",
                &[
                    "nvidia-a100-sxm4-80gb",
                    "nvidia-a100-pcie-80gb",
                    "nvidia-a100-pcie-40gb",
                ],
            ),
            family("L40S", &["nvidia-l40s-pcie-48gb"]),
            family("L4", &[]),
            family("RTX 4090", &[]),
        ],
    }
}

/// Vendors the get-offers page names.
pub const DOCUMENTED_VENDORS: [&str; 3] = ["nebius", "hyperstack", "scaleway"];

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

pub fn documented_vendors() -> Vec<String> {
    strings(&DOCUMENTED_VENDORS)
}

pub fn documented_regions() -> Vec<String> {
    strings(&REGION_GROUPS)
}

pub fn documented_contracts() -> Vec<String> {
    strings(&CONTRACT_TYPES)
}

pub fn documented_storage_classes() -> Vec<String> {
    strings(&STORAGE_CLASSES)
}

/// Reads `/available_gpus`: `{"H100": ["nvidia-h100-…"], …}`, or a list of
/// families (strings, or objects with a `family`/`name` and `names`).
/// `None` for any other shape, or no family at all.
pub fn read_gpus(body: &str) -> Option<GpuCatalog> {
    let value: Value = serde_json::from_str(body).ok()?;
    let value = unwrap_data(value);
    let families: Vec<GpuFamily> = match value {
        Value::Object(map) => map
            .into_iter()
            .map(|(family, names)| GpuFamily {
                family,
                names: string_list(&names),
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(family) => Some(GpuFamily {
                    family: family.clone(),
                    names: Vec::new(),
                }),
                Value::Object(map) => Some(GpuFamily {
                    family: ["family", "gpu_family", "name"]
                        .iter()
                        .find_map(|k| map.get(*k)?.as_str())?
                        .to_owned(),
                    names: map
                        .get("names")
                        .or_else(|| map.get("canonical_names"))
                        .map(string_list)
                        .unwrap_or_default(),
                }),
                _ => None,
            })
            .collect(),
        _ => return None,
    };
    let families: Vec<GpuFamily> = families
        .into_iter()
        .filter(|f| !f.family.trim().is_empty())
        .collect();
    (!families.is_empty()).then_some(GpuCatalog { families })
}

/// Reads a list of names: strings, objects with a `name` (or `id`,
/// `vendor`, `region`, `contract_type`), or a map whose keys are the names.
/// `None` for any other shape, or no name at all.
pub fn read_names(body: &str) -> Option<Vec<String>> {
    let value: Value = serde_json::from_str(body).ok()?;
    let names: Vec<String> = match unwrap_data(value) {
        Value::Array(items) => items.iter().filter_map(name_of).collect(),
        Value::Object(map) => map.keys().cloned().collect(),
        _ => return None,
    };
    let mut names: Vec<String> = names.into_iter().filter(|n| !n.trim().is_empty()).collect();
    names.dedup();
    (!names.is_empty()).then_some(names)
}

/// Reads `/available_storage` for its storage classes: any `class` or
/// `storage_class` of its entries, wherever they sit. `None` when it names
/// none.
pub fn read_storage_classes(body: &str) -> Option<Vec<String>> {
    fn walk(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Array(items) => items.iter().for_each(|item| walk(item, found)),
            Value::Object(map) => {
                for (key, inner) in map {
                    match (key.as_str(), inner) {
                        ("class" | "storage_class", Value::String(class)) => {
                            if !found.contains(class) {
                                found.push(class.clone());
                            }
                        }
                        _ => walk(inner, found),
                    }
                }
            }
            _ => {}
        }
    }
    let value: Value = serde_json::from_str(body).ok()?;
    let mut found = Vec::new();
    walk(&value, &mut found);
    (!found.is_empty()).then_some(found)
}

/// An answer wrapped as `{"data": …}` or `{"items": …}` is read inside.
fn unwrap_data(value: Value) -> Value {
    match value {
        Value::Object(mut map) if map.len() == 1 => {
            match ["data", "items", "results"]
                .iter()
                .find_map(|k| map.remove(*k))
            {
                Some(inner) => inner,
                None => Value::Object(map),
            }
        }
        other => other,
    }
}

fn string_list(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(name_of).collect(),
        Value::String(one) => vec![one.clone()],
        _ => Vec::new(),
    }
}

fn name_of(item: &Value) -> Option<String> {
    match item {
        Value::String(name) => Some(name.clone()),
        Value::Object(map) => ["name", "id", "vendor", "region", "contract_type", "type"]
            .iter()
            .find_map(|k| map.get(*k)?.as_str())
            .map(str::to_owned),
        _ => None,
    }
}

/// Where the offers page's choices come from, in a line: `fallbacks` are
/// the lists the documented values stand in for, each with why; `asked` is
/// how long ago the service answered, when it did.
pub fn choices_note(fallbacks: &[(&str, &str)], asked: Option<String>) -> Option<String> {
    if !fallbacks.is_empty() {
        let named: Vec<String> = fallbacks
            .iter()
            .map(|(what, reason)| format!("{what} ({reason})"))
            .collect();
        return Some(format!(
            "Showing the documented choices for: {}.",
            named.join(", ")
        ));
    }
    asked.map(|age| format!("Choices from the service, asked {age}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_every_fallback_or_the_answer_s_age() {
        assert_eq!(
            choices_note(
                &[("GPU", "503"), ("region", "unknown shape")],
                Some("now".into())
            ),
            Some("Showing the documented choices for: GPU (503), region (unknown shape).".into())
        );
        assert_eq!(
            choices_note(&[], Some("2 min ago".into())),
            Some("Choices from the service, asked 2 min ago.".into())
        );
        assert_eq!(choices_note(&[], None), None);
    }

    #[test]
    fn the_guide_s_gpu_map_reads() {
        let catalog = read_gpus(r#"{"H100":["nvidia-h100-sxm5-80gb","nvidia-h100-pcie-80gb"],"A100":["nvidia-a100-sxm4-80gb","nvidia-a100-pcie-80gb","nvidia-a100-pcie-40gb"],"L40S":["nvidia-l40s-pcie-48gb"]}"#).unwrap();
        assert_eq!(catalog.family_names(), ["A100", "H100", "L40S"]);
        assert_eq!(catalog.family_of("nvidia-h100-pcie-80gb"), Some("H100"));
        assert_eq!(catalog.family_of("l40s"), Some("L40S"));
        assert_eq!(catalog.family_of("B200"), None);
    }

    #[test]
    fn other_shapes_read_or_fall_back() {
        assert_eq!(
            read_gpus(r#"["H100", {"family": "A100", "names": ["x"]}]"#)
                .unwrap()
                .families[1]
                .names,
            ["x"]
        );
        assert_eq!(read_gpus("{}"), None);
        assert_eq!(read_gpus("42"), None);
        assert_eq!(read_gpus("not json"), None);
        assert_eq!(
            read_names(r#"["nebius", {"name": "scaleway"}, 3]"#).unwrap(),
            ["nebius", "scaleway"]
        );
        assert_eq!(
            read_names(r#"{"data": {"US": {}, "EU": {}}}"#).unwrap(),
            ["EU", "US"]
        );
        assert_eq!(read_names("[]"), None);
        assert_eq!(read_names("true"), None);
        assert_eq!(
            read_storage_classes(
                r#"[{"vendor":"nebius","storage":[{"type":"filesystem","class":"standard"},{"class":"performance"}]}]"#
            )
            .unwrap(),
            ["standard", "performance"]
        );
        assert_eq!(read_storage_classes("[]"), None);
    }
}
