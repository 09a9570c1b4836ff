//! k0rdent compute (K0rdent AI API, OpenAPI 0.2.0-draft): instances, the
//! pages of a project's instances, and projects. The API speaks camelCase.

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
    /// Settled: RUNNING, SUSPENDED or TERMINATED. Any other value, unknown
    /// ones too, is in motion and keeps the page polling.
    pub fn is_final(&self) -> bool {
        self.state().is_some_and(LifecycleState::is_settled)
    }

    /// The published state, or `None` for a missing or unknown value.
    pub fn state(&self) -> Option<LifecycleState> {
        self.status.as_deref().and_then(LifecycleState::parse)
    }
}

/// `lifecycle.status`: the eight published states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LifecycleState {
    Provisioning,
    Staging,
    Running,
    Stopping,
    Suspending,
    Suspended,
    Repairing,
    Terminated,
}

impl LifecycleState {
    /// In the order an instance lives through them.
    pub const ALL: [LifecycleState; 8] = [
        Self::Provisioning,
        Self::Staging,
        Self::Running,
        Self::Stopping,
        Self::Suspending,
        Self::Suspended,
        Self::Repairing,
        Self::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provisioning => "PROVISIONING",
            Self::Staging => "STAGING",
            Self::Running => "RUNNING",
            Self::Stopping => "STOPPING",
            Self::Suspending => "SUSPENDING",
            Self::Suspended => "SUSPENDED",
            Self::Repairing => "REPAIRING",
            Self::Terminated => "TERMINATED",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// RUNNING, SUSPENDED and TERMINATED do not change by themselves; the
    /// others are on their way to one of them.
    pub fn is_settled(self) -> bool {
        matches!(self, Self::Running | Self::Suspended | Self::Terminated)
    }
}

/// A project (`GET /v1/regions/global/projects`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<ApiTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<ApiTime>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One page of `GET /v1/regions/global/projects`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectsPage {
    #[serde(default, deserialize_with = "null_as_default")]
    pub projects: Vec<Project>,
    /// Absent or empty on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

/// One page of `GET …/compute/instances`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstancesPage {
    #[serde(default, deserialize_with = "null_as_default")]
    pub instances: Vec<Instance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

/// The token of the next page; an empty one means there is none.
pub fn next_token(token: &Option<String>) -> Option<&str> {
    token.as_deref().map(str::trim).filter(|t| !t.is_empty())
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
    fn the_eight_states_and_which_are_settled() {
        let settled: Vec<&str> = LifecycleState::ALL
            .into_iter()
            .filter(|s| s.is_settled())
            .map(LifecycleState::as_str)
            .collect();
        assert_eq!(settled, ["RUNNING", "SUSPENDED", "TERMINATED"]);
        for state in LifecycleState::ALL {
            assert_eq!(LifecycleState::parse(state.as_str()), Some(state));
        }
        assert_eq!(LifecycleState::parse("running"), None);
        assert_eq!(LifecycleState::parse("STOPPED"), None);
        let unknown = Lifecycle {
            status: Some("STOPPED".into()),
            ..Default::default()
        };
        assert!(!unknown.is_final(), "unknown states keep polling");
    }

    #[test]
    fn pages_decode_with_or_without_a_next_token() {
        let page: InstancesPage =
            serde_json::from_str(r#"{"instances":[{"id":"a"}],"nextPageToken":"tok"}"#).unwrap();
        assert_eq!(page.instances.len(), 1);
        assert_eq!(next_token(&page.next_page_token), Some("tok"));
        let last: InstancesPage =
            serde_json::from_str(r#"{"instances":null,"nextPageToken":""}"#).unwrap();
        assert!(last.instances.is_empty());
        assert_eq!(next_token(&last.next_page_token), None);
        let projects: ProjectsPage = serde_json::from_str(
            r#"{"projects":[{"id":"project-x9y8z7","displayName":"ML","organizationId":"org-1","selfLink":"/v1/regions/global/projects/project-x9y8z7"}]}"#,
        )
        .unwrap();
        assert_eq!(projects.projects[0].display_name.as_deref(), Some("ML"));
        assert_eq!(next_token(&projects.next_page_token), None);
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
