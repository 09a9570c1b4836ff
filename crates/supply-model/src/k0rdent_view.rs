//! What the k0rdent pages need beyond the wire types: the open-instance
//! form's checks, the paths it leads to, how metadata is shown and how a
//! lifecycle state reads.

use crate::k0rdent::{validate_instance_id, Instance, LifecycleState, MetadataEntry};
use crate::routes::Route;
use crate::ssh_key::{parse_ssh_keys_metadata, AuthorizedKey};
use crate::url::encode_component;

/// Where an instance lives and its id, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRef {
    pub region: String,
    pub project: String,
    pub id: String,
}

/// One message per field of the open-instance form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenErrors {
    pub region: Option<String>,
    pub project: Option<String>,
    pub id: Option<String>,
}

impl OpenErrors {
    pub fn any(&self) -> bool {
        self.region.is_some() || self.project.is_some() || self.id.is_some()
    }
}

/// Region and project names go into the request path: they must be there
/// and must not carry a path of their own.
pub fn check_segment(value: &str, what: &str) -> Option<String> {
    if value.is_empty() {
        Some(format!("Enter the {what}."))
    } else if value.contains(['/', '?', '#', '%']) || value.chars().any(char::is_whitespace) {
        Some(format!("A {what} has no spaces or the characters / ? # %."))
    } else {
        None
    }
}

impl InstanceRef {
    /// Checks the form before anything is sent: the id against the
    /// published pattern, region and project for presence.
    pub fn check(region: &str, project: &str, id: &str) -> Result<Self, OpenErrors> {
        let (region, project, id) = (region.trim(), project.trim(), id.trim());
        let errors = OpenErrors {
            region: check_segment(region, "region"),
            project: check_segment(project, "project"),
            id: validate_instance_id(id).err(),
        };
        if errors.any() {
            return Err(errors);
        }
        Ok(Self {
            region: region.to_owned(),
            project: project.to_owned(),
            id: id.to_owned(),
        })
    }

    /// The API path of `GET` instance, every segment encoded.
    pub fn api_path(&self) -> String {
        format!(
            "/v1/regions/{}/projects/{}/compute/instances/{}",
            encode_component(&self.region),
            encode_component(&self.project),
            encode_component(&self.id)
        )
    }

    /// The console's page for this instance.
    pub fn console_path(&self) -> String {
        Route::Instance {
            region: self.region.clone(),
            project: self.project.clone(),
            id: self.id.clone(),
        }
        .href()
    }
}

/// How a lifecycle state reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// RUNNING.
    Ok,
    /// On its way up: PROVISIONING, STAGING; and unknown states.
    Busy,
    /// On its way down: STOPPING, SUSPENDING.
    Winding,
    /// SUSPENDED: at rest, can come back.
    Idle,
    /// REPAIRING: something went wrong and is being fixed.
    Repair,
    /// TERMINATED: gone for good.
    Ended,
    /// Values outside the published eight that say failure.
    Failed,
}

impl Tone {
    pub fn of(status: Option<&str>) -> Self {
        match status.and_then(LifecycleState::parse) {
            Some(LifecycleState::Running) => Self::Ok,
            Some(LifecycleState::Provisioning | LifecycleState::Staging) => Self::Busy,
            Some(LifecycleState::Stopping | LifecycleState::Suspending) => Self::Winding,
            Some(LifecycleState::Suspended) => Self::Idle,
            Some(LifecycleState::Repairing) => Self::Repair,
            Some(LifecycleState::Terminated) => Self::Ended,
            None => match status {
                Some("FAILED" | "ERROR") => Self::Failed,
                _ => Self::Busy,
            },
        }
    }

    /// A CSS modifier for the badge.
    pub fn class(self) -> &'static str {
        match self {
            Self::Ok => "badge badge--ok",
            Self::Busy => "badge badge--busy",
            Self::Winding => "badge badge--winding",
            Self::Idle => "badge badge--idle",
            Self::Repair => "badge badge--repair",
            Self::Ended => "badge badge--ended",
            Self::Failed => "badge badge--failed",
        }
    }

    /// In words, for a tooltip-free legend and assistive technology.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Ok => "running",
            Self::Busy => "starting",
            Self::Winding => "winding down",
            Self::Idle => "at rest",
            Self::Repair => "being repaired",
            Self::Ended => "ended",
            Self::Failed => "failed",
        }
    }
}

/// Whether the page can stop polling: a final lifecycle. An instance
/// without a lifecycle may still get one, so it keeps polling.
pub fn is_settled(instance: &Instance) -> bool {
    instance.lifecycle.as_ref().is_some_and(|l| l.is_final())
}

/// Values longer than this, or of more than one line, are folded.
pub const FOLD_CHARS: usize = 80;

/// One `instanceMetadata` entry as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataItem {
    /// `ssh-keys`: a row per key.
    SshKeys(Vec<AuthorizedKey>),
    Value {
        key: String,
        value: String,
        /// Long or multi-line (cloud-init user data): shown folded.
        folded: bool,
        lines: usize,
    },
}

pub fn metadata_items(entries: &[MetadataEntry]) -> Vec<MetadataItem> {
    entries
        .iter()
        .map(|entry| {
            if entry.key == "ssh-keys" {
                return MetadataItem::SshKeys(parse_ssh_keys_metadata(&entry.value));
            }
            let lines = entry.value.lines().count();
            MetadataItem::Value {
                key: entry.key.clone(),
                value: entry.value.clone(),
                folded: lines > 1 || entry.value.chars().count() > FOLD_CHARS,
                lines,
            }
        })
        .collect()
}

/// `nvidia-h100-80gb-sxm × 8`.
pub fn gpu_line(kind: Option<&str>, count: Option<u32>) -> String {
    let kind = kind.filter(|k| !k.is_empty()).unwrap_or("unknown GPU");
    match count {
        Some(count) => format!("{kind} × {count}"),
        None => kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k0rdent::Lifecycle;

    #[test]
    fn the_form_refuses_bad_ids_before_any_request() {
        let ok = InstanceRef::check(" us-texas-1 ", "project-x9y8z7", "instance-d4e5f6").unwrap();
        assert_eq!(ok.region, "us-texas-1");
        assert_eq!(
            ok.api_path(),
            "/v1/regions/us-texas-1/projects/project-x9y8z7/compute/instances/instance-d4e5f6"
        );
        assert_eq!(
            ok.console_path(),
            "/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances/instance-d4e5f6"
        );
        let bad = InstanceRef::check("us-texas-1", "project-x9y8z7", "Instance_1").unwrap_err();
        assert!(bad.id.is_some());
        assert!(bad.region.is_none() && bad.project.is_none());
        let too_long = InstanceRef::check("r", "p", &"a".repeat(64)).unwrap_err();
        assert!(too_long.id.unwrap().contains("63"));
    }

    #[test]
    fn region_and_project_are_required_and_stay_one_segment() {
        let errors = InstanceRef::check("", "a/b", "x").unwrap_err();
        assert!(errors.region.unwrap().contains("region"));
        assert!(errors.project.unwrap().contains('/'));
        assert!(InstanceRef::check("us texas", "p", "x").is_err());
    }

    #[test]
    fn tones_follow_the_state() {
        let tones: Vec<Tone> = LifecycleState::ALL
            .into_iter()
            .map(|s| Tone::of(Some(s.as_str())))
            .collect();
        assert_eq!(
            tones,
            [
                Tone::Busy,
                Tone::Busy,
                Tone::Ok,
                Tone::Winding,
                Tone::Winding,
                Tone::Idle,
                Tone::Repair,
                Tone::Ended
            ]
        );
        assert_eq!(Tone::of(Some("SOMETHING_NEW")), Tone::Busy);
        assert_eq!(Tone::of(Some("FAILED")), Tone::Failed);
        assert_eq!(Tone::of(None), Tone::Busy);
        assert!(Tone::Failed.class().contains("badge--failed"));
        assert!(Tone::Repair.class().contains("badge--repair"));
    }

    fn instance(status: Option<&str>) -> Instance {
        let mut instance: Instance = serde_json::from_str(r#"{"id":"x"}"#).unwrap();
        instance.lifecycle = status.map(|s| Lifecycle {
            status: Some(s.to_owned()),
            ..Default::default()
        });
        instance
    }

    #[test]
    fn polling_settles_only_at_a_final_state() {
        assert!(!is_settled(&instance(None)));
        assert!(!is_settled(&instance(Some("PROVISIONING"))));
        assert!(!is_settled(&instance(Some("STOPPING"))));
        assert!(!is_settled(&instance(Some("REPAIRING"))));
        assert!(
            !is_settled(&instance(Some("FAILED"))),
            "not a published state"
        );
        assert!(is_settled(&instance(Some("RUNNING"))));
        assert!(is_settled(&instance(Some("SUSPENDED"))));
        assert!(is_settled(&instance(Some("TERMINATED"))));
    }

    fn entry(key: &str, value: &str) -> MetadataEntry {
        MetadataEntry {
            key: key.to_owned(),
            value: value.to_owned(),
            extra: Default::default(),
        }
    }

    #[test]
    fn ssh_keys_become_rows_and_long_values_fold() {
        let keys = "admin:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname\nguest:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBYgtXDI3X7eELjQ+D+qbJGqgfa+OqvY7jo/EuLv1ECd guest@hostname\n";
        let items = metadata_items(&[
            entry("ssh-keys", keys),
            entry("user-data", "#cloud-config\npackages:\n  - htop\n"),
            entry("role", "trainer"),
            entry("token-hint", &"x".repeat(FOLD_CHARS + 1)),
        ]);
        match &items[0] {
            MetadataItem::SshKeys(rows) => {
                assert_eq!(rows.len(), 2);
                assert_eq!(rows[0].user, "admin");
                assert_eq!(rows[1].user, "guest");
                let key = rows[0].key.as_ref().unwrap();
                assert_eq!(key.key_type.label(), "ED25519");
                assert!(key.fingerprint.starts_with("SHA256:"));
            }
            other => panic!("expected keys, got {other:?}"),
        }
        assert!(matches!(
            &items[1],
            MetadataItem::Value {
                folded: true,
                lines: 3,
                ..
            }
        ));
        assert!(matches!(
            &items[2],
            MetadataItem::Value { folded: false, .. }
        ));
        assert!(matches!(
            &items[3],
            MetadataItem::Value {
                folded: true,
                lines: 1,
                ..
            }
        ));
    }

    #[test]
    fn gpu_lines_read_type_times_count() {
        assert_eq!(gpu_line(Some("nvidia-h100"), Some(8)), "nvidia-h100 × 8");
        assert_eq!(gpu_line(None, Some(2)), "unknown GPU × 2");
        assert_eq!(gpu_line(Some("l40s"), None), "l40s");
    }
}
