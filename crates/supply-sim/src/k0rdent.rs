//! The k0rdent compute API's instances. Lifecycles are computed from the
//! simulated time, so advancing the clock moves them on.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use supply_model::k0rdent::{Disk, Gpu, Instance, Lifecycle, MetadataEntry, Nic};

use crate::{ApiError, ApiTime};

pub const REGION: &str = "us-texas-1";
pub const PROJECT: &str = "project-x9y8z7";
/// `PROVISIONING` until [`BOOT_SECS`] after the start, then `RUNNING`.
pub const PROVISIONING_INSTANCE: &str = "instance-d4e5f6";
pub const RUNNING_INSTANCE: &str = "instance-a1b2c3";
pub const STOPPED_INSTANCE: &str = "instance-g7h8i9";
pub const FAILED_INSTANCE: &str = "instance-j0k1l2";
/// `STOPPING` until [`STOP_SECS`] after the start, then `STOPPED`.
pub const STOPPING_INSTANCE: &str = "instance-m3n4o5";
pub const INSTANCE_IDS: &[&str] = &[
    PROVISIONING_INSTANCE,
    RUNNING_INSTANCE,
    STOPPED_INSTANCE,
    FAILED_INSTANCE,
    STOPPING_INSTANCE,
];
pub const BOOT_SECS: i64 = 60;
pub const STOP_SECS: i64 = 120;

/// The two keys of the published example, one `user:key comment` a line.
pub const SSH_KEYS: &str = "admin:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname\nguest:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBYgtXDI3X7eELjQ+D+qbJGqgfa+OqvY7jo/EuLv1ECd guest@hostname\n";

const INSTANCE_TYPE: &str = "/v1/regions/us-texas-1/zones/us1-a/instance-types/g1-xlarge";
const IMAGE: &str = "/v1/regions/us-texas-1/compute/images/ubuntu-24.04-20260202-3";
const NETWORK: &str =
    "/v1/regions/us-texas-1/projects/project-x9y8z7/compute/networks/network-g7h8i9";

pub fn self_link(id: &str) -> String {
    format!("/v1/regions/{REGION}/projects/{PROJECT}/compute/instances/{id}")
}

/// One instance's fixed facts; the lifecycle comes from the time.
struct Def {
    id: &'static str,
    uid: &'static str,
    display_name: &'static str,
    description: &'static str,
    gpu: &'static str,
    gpus: u32,
    /// Seconds before the simulator's start that it was created.
    age_secs: i64,
    host: u32,
}

const DEFS: &[Def] = &[
    Def {
        id: PROVISIONING_INSTANCE,
        uid: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
        display_name: "Texas H100 training node",
        description: "8x H100 node for the nightly fine-tuning runs",
        gpu: "nvidia-h100-80gb-sxm",
        gpus: 8,
        age_secs: 30,
        host: 14,
    },
    Def {
        id: RUNNING_INSTANCE,
        uid: "5b1f7e2a-91c4-4d3e-a6b8-0f2c9d4e7a13",
        display_name: "Inference gateway",
        description: "Serves the staging inference endpoint",
        gpu: "nvidia-l40s-48gb",
        gpus: 2,
        age_secs: 6 * 86_400,
        host: 21,
    },
    Def {
        id: STOPPED_INSTANCE,
        uid: "8e4a2c6d-3b7f-4a1e-9c5d-6f8b0a2e4c35",
        display_name: "Evaluation box",
        description: "Stopped between evaluation campaigns",
        gpu: "nvidia-a100-80gb-sxm",
        gpus: 4,
        age_secs: 12 * 86_400,
        host: 32,
    },
    Def {
        id: FAILED_INSTANCE,
        uid: "1d6c8f0b-5e2a-4c7d-8b3f-9a1e4c6d8f57",
        display_name: "B200 trial",
        description: "Attempted B200 allocation",
        gpu: "nvidia-b200-192gb-sxm",
        gpus: 8,
        age_secs: 3_600,
        host: 43,
    },
    Def {
        id: STOPPING_INSTANCE,
        uid: "4f2b9d1e-7c3a-4e5b-a2d6-8c0e1f3a5b79",
        display_name: "Batch worker",
        description: "Shutting down after its batch finished",
        gpu: "nvidia-h100-80gb-sxm",
        gpus: 8,
        age_secs: 2 * 86_400,
        host: 54,
    },
];

#[derive(Debug, Clone)]
pub struct K0rdent {
    start: DateTime<Utc>,
}

impl K0rdent {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { start }
    }

    /// `GET /v1/regions/{region}/projects/{project}/compute/instances/{id}`.
    pub fn get(
        &self,
        region: &str,
        project: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Instance, ApiError> {
        supply_model::k0rdent::validate_instance_id(id).map_err(|why| {
            ApiError::BadRequest(format!(
                "Invalid instance id: {why} Ids match ^[a-z]([-a-z0-9]*[a-z0-9])?$ and have 1-63 characters."
            ))
        })?;
        if region != REGION || project != PROJECT {
            return Err(ApiError::NotFound(format!(
                "Instance {id} not found in region {region}, project {project}"
            )));
        }
        self.instance(id, now)
            .ok_or_else(|| ApiError::NotFound(format!("Instance {id} not found")))
    }

    pub fn instance(&self, id: &str, now: DateTime<Utc>) -> Option<Instance> {
        let def = DEFS.iter().find(|def| def.id == id)?;
        let created = self.start - Duration::seconds(def.age_secs);
        let booted = self.start + Duration::seconds(BOOT_SECS);
        let stopped = self.start + Duration::seconds(STOP_SECS);
        let (status, message, updated) = match def.id {
            PROVISIONING_INSTANCE if now < booted => (
                "PROVISIONING",
                "Allocating a GPU host in us1-a and writing the boot disk".to_owned(),
                created,
            ),
            PROVISIONING_INSTANCE => ("RUNNING", "Instance is running".to_owned(), booted),
            RUNNING_INSTANCE => (
                "RUNNING",
                "Instance is running".to_owned(),
                created + Duration::minutes(4),
            ),
            STOPPED_INSTANCE => (
                "STOPPED",
                "Stopped by admin@hostname".to_owned(),
                self.start - Duration::days(2),
            ),
            FAILED_INSTANCE => (
                "FAILED",
                "Host allocation failed: no g1-xlarge capacity in us1-a".to_owned(),
                created + Duration::minutes(3),
            ),
            _ if now < stopped => (
                "STOPPING",
                "Draining workloads before shutdown".to_owned(),
                self.start - Duration::seconds(20),
            ),
            _ => (
                "STOPPED",
                "Stopped after its batch finished".to_owned(),
                stopped,
            ),
        };
        let has_address = !matches!(status, "PROVISIONING" | "FAILED");
        let labels: BTreeMap<String, String> = [
            ("team", "ml-platform"),
            (
                "env",
                if def.id == RUNNING_INSTANCE {
                    "staging"
                } else {
                    "research"
                },
            ),
            ("managed-by", "supply-service"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        Some(Instance {
            self_link: Some(self_link(def.id)),
            uid: Some(def.uid.to_owned()),
            id: def.id.to_owned(),
            display_name: Some(def.display_name.to_owned()),
            description: Some(def.description.to_owned()),
            labels,
            instance_type: Some(INSTANCE_TYPE.to_owned()),
            instance_metadata: vec![
                MetadataEntry {
                    key: "ssh-keys".to_owned(),
                    value: SSH_KEYS.to_owned(),
                    extra: Default::default(),
                },
                MetadataEntry {
                    key: "user-data".to_owned(),
                    value: user_data(def),
                    extra: Default::default(),
                },
            ],
            hostname: Some(format!("{}.us1-a.c.{PROJECT}.internal", def.id)),
            lifecycle: Some(Lifecycle {
                status: Some(status.to_owned()),
                status_message: Some(message),
                extra: Default::default(),
            }),
            disks: vec![
                Disk {
                    size_gb: Some(200),
                    interface: Some("SCSI".to_owned()),
                    source: Some(IMAGE.to_owned()),
                    boot: Some(true),
                    kind: Some("PERSISTENT".to_owned()),
                    mode: Some("READ_ONLY".to_owned()),
                    extra: Default::default(),
                },
                Disk {
                    size_gb: Some(3_840),
                    interface: Some("NVME".to_owned()),
                    source: None,
                    boot: Some(false),
                    kind: Some("SCRATCH".to_owned()),
                    mode: Some("READ_WRITE".to_owned()),
                    extra: Default::default(),
                },
            ],
            nics: vec![Nic {
                network: Some(NETWORK.to_owned()),
                subnet: Some("subnet-us1-a-private".to_owned()),
                ipv4_address: has_address.then(|| format!("10.20.0.{}", def.host)),
                ipv6_address: has_address.then(|| format!("fd00:20::{:x}", def.host)),
                vlan: Some(120),
                extra: Default::default(),
            }],
            gpus: vec![Gpu {
                kind: Some(def.gpu.to_owned()),
                count: Some(def.gpus),
                extra: Default::default(),
            }],
            created_at: Some(ApiTime::from_datetime(created)),
            updated_at: Some(ApiTime::from_datetime(updated)),
            extra: Default::default(),
        })
    }
}

fn user_data(def: &Def) -> String {
    format!(
        "#cloud-config\n\
         hostname: {id}\n\
         package_update: true\n\
         packages:\n  - htop\n  - nvtop\n  - jq\n\
         write_files:\n  - path: /etc/motd\n    content: |\n      {name}: {count}x {gpu}, managed by k0rdent.\n\
         runcmd:\n  - nvidia-smi -L > /var/log/gpus.txt\n  - systemctl enable --now nvidia-persistenced\n",
        id = def.id,
        name = def.display_name,
        count = def.gpus,
        gpu = def.gpu,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn status(instance: &Instance) -> String {
        instance.lifecycle.as_ref().unwrap().status.clone().unwrap()
    }

    #[test]
    fn the_seed_instance_boots_after_a_minute() {
        let api = K0rdent::new(start());
        let early = api
            .get(REGION, PROJECT, PROVISIONING_INSTANCE, start())
            .unwrap();
        assert_eq!(status(&early), "PROVISIONING");
        assert_eq!(early.nics[0].ipv4_address, None);
        let almost = start() + Duration::seconds(BOOT_SECS - 1);
        assert_eq!(
            status(
                &api.get(REGION, PROJECT, PROVISIONING_INSTANCE, almost)
                    .unwrap()
            ),
            "PROVISIONING"
        );
        let later = api
            .get(
                REGION,
                PROJECT,
                PROVISIONING_INSTANCE,
                start() + Duration::seconds(BOOT_SECS),
            )
            .unwrap();
        assert_eq!(status(&later), "RUNNING");
        assert!(later.nics[0].ipv4_address.is_some());
        assert_ne!(early.updated_at, later.updated_at);
    }

    #[test]
    fn every_seed_field_is_filled() {
        let api = K0rdent::new(start());
        let instance = api.instance(PROVISIONING_INSTANCE, start()).unwrap();
        let value = serde_json::to_value(&instance).unwrap();
        for field in [
            "selfLink",
            "uid",
            "id",
            "displayName",
            "description",
            "labels",
            "type",
            "instanceMetadata",
            "hostname",
            "lifecycle",
            "disks",
            "nics",
            "gpus",
            "createdAt",
            "updatedAt",
        ] {
            assert!(!value[field].is_null(), "{field}");
        }
        assert_eq!(value["selfLink"], self_link(PROVISIONING_INSTANCE));
        let keys = &instance.instance_metadata[0];
        assert_eq!(keys.key, "ssh-keys");
        assert_eq!(keys.value.lines().count(), 2);
        assert!(keys
            .value
            .lines()
            .all(|line| line.contains(":ssh-ed25519 AAAA")));
        assert!(instance.instance_metadata[1]
            .value
            .starts_with("#cloud-config\n"));
        assert!(instance.instance_metadata[1].value.lines().count() > 5);
    }

    #[test]
    fn lifecycles_cover_several_states() {
        let api = K0rdent::new(start());
        let states: Vec<String> = INSTANCE_IDS
            .iter()
            .map(|id| status(&api.instance(id, start()).unwrap()))
            .collect();
        for wanted in ["PROVISIONING", "RUNNING", "STOPPED", "FAILED", "STOPPING"] {
            assert!(states.iter().any(|s| s == wanted), "{wanted}");
        }
    }

    #[test]
    fn bad_and_unknown_ids_are_refused() {
        let api = K0rdent::new(start());
        assert!(matches!(
            api.get(REGION, PROJECT, "Instance_1", start()),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            api.get(REGION, PROJECT, &"a".repeat(64), start()),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            api.get(REGION, PROJECT, "instance-zzzzzz", start()),
            Err(ApiError::NotFound(_))
        ));
        assert!(matches!(
            api.get("eu-west-1", PROJECT, PROVISIONING_INSTANCE, start()),
            Err(ApiError::NotFound(_))
        ));
    }
}
