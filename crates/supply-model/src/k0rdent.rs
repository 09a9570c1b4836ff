//! k0rdent compute: `GET /v1/regions/{region}/projects/{project}/compute/instances/{id}`.
//! The API speaks camelCase.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::wire::{null_as_default, ApiTime, Extra};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub status_message: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Lifecycle {
    /// States after which the instance no longer changes by itself; any
    /// other value, unknown ones too, keeps the page polling.
    pub fn is_final(&self) -> bool {
        matches!(
            self.status.as_deref(),
            Some("RUNNING" | "STOPPED" | "FAILED" | "DELETED" | "TERMINATED")
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Disk {
    #[serde(default)]
    pub size_gb: Option<u64>,
    #[serde(default)]
    pub interface: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub boot: Option<bool>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Nic {
    #[serde(default)]
    pub network: Option<String>,
    #[serde(default)]
    pub subnet: Option<String>,
    #[serde(default)]
    pub ipv4_address: Option<String>,
    #[serde(default)]
    pub ipv6_address: Option<String>,
    #[serde(default)]
    pub vlan: Option<u32>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gpu {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetadataEntry {
    pub key: String,
    #[serde(default)]
    pub value: String,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    #[serde(default)]
    pub self_link: Option<String>,
    #[serde(default)]
    pub uid: Option<String>,
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(rename = "type", default)]
    pub instance_type: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub instance_metadata: Vec<MetadataEntry>,
    #[serde(default)]
    pub hostname: Option<String>,
    #[serde(default)]
    pub lifecycle: Option<Lifecycle>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub disks: Vec<Disk>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub nics: Vec<Nic>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub gpus: Vec<Gpu>,
    #[serde(default)]
    pub created_at: Option<ApiTime>,
    #[serde(default)]
    pub updated_at: Option<ApiTime>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The last segment of a resource URI: `/v1/.../instance-types/g1-xlarge`
/// names `g1-xlarge`.
pub fn name_from_uri(uri: &str) -> &str {
    uri.trim_end_matches('/').rsplit('/').next().unwrap_or(uri)
}

/// k0rdent ids: 1 to 63 characters matching `^[a-z]([-a-z0-9]*[a-z0-9])?$`.
pub fn validate_instance_id(id: &str) -> Result<(), String> {
    let bytes = id.as_bytes();
    let Some((&first, _)) = bytes.split_first() else {
        return Err("Enter an instance id.".into());
    };
    if bytes.len() > 63 {
        return Err(format!(
            "An id has at most 63 characters; this one has {}.",
            bytes.len()
        ));
    }
    if !first.is_ascii_lowercase() {
        return Err("An id starts with a lowercase letter (a–z).".into());
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "An id holds only lowercase letters, digits and hyphens; '{bad}' is not allowed."
        ));
    }
    if id.ends_with('-') {
        return Err("An id ends with a letter or a digit, not a hyphen.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_last_uri_segment() {
        assert_eq!(
            name_from_uri("/v1/regions/us-texas-1/zones/us1-a/instance-types/g1-xlarge"),
            "g1-xlarge"
        );
        assert_eq!(name_from_uri("plain"), "plain");
        assert_eq!(name_from_uri("/a/b/"), "b");
    }

    #[test]
    fn instance_ids_follow_the_published_pattern() {
        assert!(validate_instance_id("instance-d4e5f6").is_ok());
        assert!(validate_instance_id("a").is_ok());
        assert!(validate_instance_id(&"a".repeat(63)).is_ok());
        for bad in ["", "1abc", "Abc", "abc-", "ab_c", "ab c", &"a".repeat(64)] {
            assert!(
                validate_instance_id(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }
}
