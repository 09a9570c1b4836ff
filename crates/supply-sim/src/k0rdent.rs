//! The k0rdent compute API: projects, the pages of a project's instances
//! (deterministic, checked page tokens), and instances whose lifecycles
//! follow the simulated time, through the eight published states.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use supply_model::k0rdent::{
    Disk, Gpu, Instance, InstancesPage, Lifecycle, MetadataEntry, Nic, Project, ProjectsPage,
};
use supply_model::k0rdent_list::{page_token, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

use crate::{ApiError, ApiTime};

pub const REGION: &str = "us-texas-1";
pub const PROJECT: &str = "project-x9y8z7";
/// A second region, with a project of its own.
pub const EU_REGION: &str = "eu-west-2";
pub const EU_PROJECT: &str = "project-a2b3c4";
pub const REGIONS: &[&str] = &[REGION, EU_REGION];
/// `PROVISIONING` until [`BOOT_SECS`] after the start, then `RUNNING`.
pub const PROVISIONING_INSTANCE: &str = "instance-d4e5f6";
pub const RUNNING_INSTANCE: &str = "instance-a1b2c3";
pub const SUSPENDED_INSTANCE: &str = "instance-g7h8i9";
/// `REPAIRING` until [`REPAIR_SECS`] after the start, then `RUNNING`.
pub const REPAIRING_INSTANCE: &str = "instance-j0k1l2";
/// `STOPPING` until [`STOP_SECS`] after the start, then `TERMINATED`.
pub const STOPPING_INSTANCE: &str = "instance-m3n4o5";
/// `STAGING` until [`STAGE_SECS`] after the start, then `RUNNING`.
pub const STAGING_INSTANCE: &str = "instance-p6q7r8";
/// `SUSPENDING` until [`SUSPEND_SECS`] after the start, then `SUSPENDED`.
pub const SUSPENDING_INSTANCE: &str = "instance-s9t0u1";
pub const TERMINATED_INSTANCE: &str = "instance-v2w3x4";
pub const INSTANCE_IDS: &[&str] = &[
    PROVISIONING_INSTANCE,
    RUNNING_INSTANCE,
    SUSPENDED_INSTANCE,
    REPAIRING_INSTANCE,
    STOPPING_INSTANCE,
    STAGING_INSTANCE,
    SUSPENDING_INSTANCE,
    TERMINATED_INSTANCE,
];
/// Workers `worker-01`… after the named instances in the Texas project,
/// so its list has several pages.
pub const WORKERS: usize = 20;
pub const BOOT_SECS: i64 = 60;
pub const STAGE_SECS: i64 = 90;
pub const STOP_SECS: i64 = 120;
pub const SUSPEND_SECS: i64 = 150;
pub const REPAIR_SECS: i64 = 180;

/// The two keys of the published example, one `user:key comment` a line.
pub const SSH_KEYS: &str = "admin:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname\nguest:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBYgtXDI3X7eELjQ+D+qbJGqgfa+OqvY7jo/EuLv1ECd guest@hostname\n";

const INSTANCE_TYPE: &str = "/v1/regions/us-texas-1/zones/us1-a/instance-types/g1-xlarge";
const IMAGE: &str = "/v1/regions/us-texas-1/compute/images/ubuntu-24.04-20260202-3";
const NETWORK: &str =
    "/v1/regions/us-texas-1/projects/project-x9y8z7/compute/networks/network-g7h8i9";
const ORGANIZATION: &str = "org-s1t2u3";

/// The self link of an instance of the Texas project.
pub fn self_link(id: &str) -> String {
    instance_link(REGION, PROJECT, id)
}

pub fn instance_link(region: &str, project: &str, id: &str) -> String {
    format!("/v1/regions/{region}/projects/{project}/compute/instances/{id}")
}

/// How an instance's lifecycle moves with the time since the start.
#[derive(Debug, Clone, Copy)]
enum Course {
    /// Always in this state.
    Fixed(&'static str, &'static str),
    /// `from` until `secs` after the start, then `to`.
    Moves {
        from: (&'static str, &'static str),
        secs: i64,
        to: (&'static str, &'static str),
    },
}

/// One instance's fixed facts; the lifecycle comes from the time.
#[derive(Debug, Clone)]
struct Def {
    region: &'static str,
    project: &'static str,
    id: String,
    uid: String,
    display_name: String,
    description: String,
    gpu: &'static str,
    gpus: u32,
    /// Seconds before the simulator's start that it was created.
    age_secs: i64,
    host: u32,
    course: Course,
}

const RUNNING: (&str, &str) = ("RUNNING", "Instance is running");

#[allow(clippy::too_many_arguments)]
fn def(
    (region, project): (&'static str, &'static str),
    id: &str,
    uid: &str,
    display_name: &str,
    description: &str,
    (gpu, gpus): (&'static str, u32),
    age_secs: i64,
    host: u32,
    course: Course,
) -> Def {
    Def {
        region,
        project,
        id: id.to_owned(),
        uid: uid.to_owned(),
        display_name: display_name.to_owned(),
        description: description.to_owned(),
        gpu,
        gpus,
        age_secs,
        host,
        course,
    }
}

fn defs() -> Vec<Def> {
    let texas = (REGION, PROJECT);
    let h100 = ("nvidia-h100-80gb-sxm", 8);
    let mut defs = vec![
        def(
            texas,
            PROVISIONING_INSTANCE,
            "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            "Texas H100 training node",
            "8x H100 node for the nightly fine-tuning runs",
            h100,
            30,
            14,
            Course::Moves {
                from: (
                    "PROVISIONING",
                    "Allocating a GPU host in us1-a and writing the boot disk",
                ),
                secs: BOOT_SECS,
                to: RUNNING,
            },
        ),
        def(
            texas,
            RUNNING_INSTANCE,
            "5b1f7e2a-91c4-4d3e-a6b8-0f2c9d4e7a13",
            "Inference gateway",
            "Serves the staging inference endpoint",
            ("nvidia-l40s-48gb", 2),
            6 * 86_400,
            21,
            Course::Fixed(RUNNING.0, RUNNING.1),
        ),
        def(
            texas,
            SUSPENDED_INSTANCE,
            "8e4a2c6d-3b7f-4a1e-9c5d-6f8b0a2e4c35",
            "Evaluation box",
            "Suspended between evaluation campaigns",
            ("nvidia-a100-80gb-sxm", 4),
            12 * 86_400,
            32,
            Course::Fixed("SUSPENDED", "Suspended by admin@hostname"),
        ),
        def(
            texas,
            REPAIRING_INSTANCE,
            "1d6c8f0b-5e2a-4c7d-8b3f-9a1e4c6d8f57",
            "B200 trial",
            "Attempted B200 allocation",
            ("nvidia-b200-192gb-sxm", 8),
            3_600,
            43,
            Course::Moves {
                from: (
                    "REPAIRING",
                    "Host check failed: replacing a GPU tray in us1-a",
                ),
                secs: REPAIR_SECS,
                to: RUNNING,
            },
        ),
        def(
            texas,
            STOPPING_INSTANCE,
            "4f2b9d1e-7c3a-4e5b-a2d6-8c0e1f3a5b79",
            "Batch worker",
            "Shutting down after its batch finished",
            h100,
            2 * 86_400,
            54,
            Course::Moves {
                from: ("STOPPING", "Draining workloads before shutdown"),
                secs: STOP_SECS,
                to: ("TERMINATED", "Terminated after its batch finished"),
            },
        ),
        def(
            texas,
            STAGING_INSTANCE,
            "6a3e1c9b-2d4f-4b8a-9e7c-1f5d3b9a7c21",
            "Notebook host",
            "Shared notebooks for the data team",
            ("nvidia-l40s-48gb", 1),
            90,
            65,
            Course::Moves {
                from: ("STAGING", "Boot disk written; starting the guest"),
                secs: STAGE_SECS,
                to: RUNNING,
            },
        ),
        def(
            texas,
            SUSPENDING_INSTANCE,
            "9c7e5a3b-1f2d-4e6a-8b9c-3d5f7a1c9e43",
            "Weekend idle node",
            "Suspended over the weekend",
            ("nvidia-a100-80gb-sxm", 2),
            4 * 86_400,
            76,
            Course::Moves {
                from: ("SUSPENDING", "Saving memory to disk"),
                secs: SUSPEND_SECS,
                to: ("SUSPENDED", "Suspended for the weekend"),
            },
        ),
        def(
            texas,
            TERMINATED_INSTANCE,
            "2b4d6f8a-3c5e-4a7b-9d1f-5e7a9c3b1d65",
            "Old benchmark rig",
            "Terminated after the Q1 benchmarks",
            ("nvidia-h100-80gb-pcie", 4),
            40 * 86_400,
            87,
            Course::Fixed("TERMINATED", "Terminated by admin@hostname"),
        ),
    ];
    let settled = [
        RUNNING,
        ("SUSPENDED", "Suspended by the scheduler"),
        RUNNING,
        ("TERMINATED", "Terminated by the scheduler"),
    ];
    let gpus = [
        ("nvidia-h100-80gb-sxm", 8),
        ("nvidia-l40s-48gb", 2),
        ("nvidia-a100-80gb-sxm", 4),
    ];
    for n in 1..=WORKERS {
        let (status, message) = settled[n % settled.len()];
        defs.push(def(
            texas,
            &format!("worker-{n:02}"),
            &format!("7f000000-0000-4000-8000-{n:012}"),
            &format!("Worker {n:02}"),
            "Batch pool worker",
            gpus[n % gpus.len()],
            (n as i64) * 3_600,
            100 + n as u32,
            Course::Fixed(status, message),
        ));
    }
    let eu = (EU_REGION, EU_PROJECT);
    defs.push(def(
        eu,
        "eval-eu-01",
        "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b",
        "EU evaluation",
        "Evaluations that keep data in the EU",
        ("nvidia-h100-80gb-sxm", 4),
        86_400,
        11,
        Course::Fixed(RUNNING.0, RUNNING.1),
    ));
    defs.push(def(
        eu,
        "eval-eu-02",
        "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "EU spare",
        "Kept for burst evaluations",
        ("nvidia-l40s-48gb", 2),
        3 * 86_400,
        12,
        Course::Fixed("SUSPENDED", "Suspended until the next burst"),
    ));
    defs
}

/// The projects of the organization: two with instances, then team
/// projects with none, so the projects list has more than one page.
pub const TEAM_PROJECTS: usize = 10;

fn projects() -> Vec<Project> {
    let mut list = vec![
        (
            PROJECT.to_owned(),
            "ML platform".to_owned(),
            "Training and inference for the ML platform team".to_owned(),
        ),
        (
            EU_PROJECT.to_owned(),
            "Research sandbox (EU)".to_owned(),
            "Evaluations that keep data in the EU".to_owned(),
        ),
    ];
    for n in 1..=TEAM_PROJECTS {
        list.push((
            format!("project-team-{n:02}"),
            format!("Team {n:02}"),
            format!("Team {n:02}'s experiments"),
        ));
    }
    list.into_iter()
        .map(|(id, name, description)| Project {
            self_link: Some(format!("/v1/regions/global/projects/{id}")),
            uid: None,
            display_name: Some(name),
            description: Some(description),
            organization_id: Some(ORGANIZATION.to_owned()),
            created_at: None,
            updated_at: None,
            extra: Default::default(),
            id,
        })
        .collect()
}

/// `pageSize`: absent means the default; otherwise 1 to 500.
pub fn parse_page_size(raw: Option<&str>) -> Result<u32, ApiError> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|size| (1..=MAX_PAGE_SIZE).contains(size))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "Invalid pageSize {raw:?}: an integer from 1 to {MAX_PAGE_SIZE}"
            ))
        })
}

/// The page of `items` a token names, and the next page's token.
fn page<T: Clone>(
    items: &[T],
    scope: &str,
    token: Option<&str>,
    page_size: u32,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let offset = match token.filter(|t| !t.is_empty()) {
        None => 0,
        Some(token) => page_token::decode(token, scope, page_size).map_err(ApiError::BadRequest)?,
    };
    if offset > 0 && offset >= items.len() {
        return Err(ApiError::BadRequest(
            "Invalid page token: the list no longer reaches that far; start again from the first page."
                .to_owned(),
        ));
    }
    let size = page_size as usize;
    let end = offset.saturating_add(size).min(items.len());
    let shown = items.get(offset..end).unwrap_or_default().to_vec();
    let next = (end < items.len()).then(|| page_token::encode(scope, end, page_size));
    Ok((shown, next))
}

#[derive(Debug, Clone)]
pub struct K0rdent {
    start: DateTime<Utc>,
    defs: Vec<Def>,
    projects: Vec<Project>,
}

impl K0rdent {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            start,
            defs: defs(),
            projects: projects(),
        }
    }

    /// `GET /v1/regions/global/projects`.
    pub fn projects(&self, token: Option<&str>, page_size: u32) -> Result<ProjectsPage, ApiError> {
        let (projects, next_page_token) = page(&self.projects, "projects", token, page_size)?;
        Ok(ProjectsPage {
            projects,
            next_page_token,
        })
    }

    fn check_place(&self, region: &str, project: &str) -> Result<(), ApiError> {
        if !REGIONS.contains(&region) {
            return Err(ApiError::NotFound(format!(
                "Region {region} not found; this API knows {}",
                REGIONS.join(", ")
            )));
        }
        if !self.projects.iter().any(|p| p.id == project) {
            return Err(ApiError::NotFound(format!("Project {project} not found")));
        }
        Ok(())
    }

    /// `GET /v1/regions/{region}/projects/{project}/compute/instances`.
    pub fn list(
        &self,
        region: &str,
        project: &str,
        token: Option<&str>,
        page_size: u32,
        now: DateTime<Utc>,
    ) -> Result<InstancesPage, ApiError> {
        self.check_place(region, project)?;
        let ids: Vec<&str> = self
            .defs
            .iter()
            .filter(|d| d.region == region && d.project == project)
            .map(|d| d.id.as_str())
            .collect();
        let (ids, next_page_token) = page(&ids, &format!("{region}/{project}"), token, page_size)?;
        Ok(InstancesPage {
            instances: ids
                .into_iter()
                .filter_map(|id| self.instance(id, now))
                .collect(),
            next_page_token,
        })
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
        self.check_place(region, project)?;
        self.defs
            .iter()
            .find(|d| d.id == id && d.region == region && d.project == project)
            .and_then(|d| self.instance(&d.id, now))
            .ok_or_else(|| {
                ApiError::NotFound(format!(
                    "Instance {id} not found in region {region}, project {project}"
                ))
            })
    }

    pub fn instance(&self, id: &str, now: DateTime<Utc>) -> Option<Instance> {
        let def = self.defs.iter().find(|def| def.id == id)?;
        let created = self.start - Duration::seconds(def.age_secs);
        let ((status, message), updated) = match def.course {
            Course::Fixed(status, message) => ((status, message), created + Duration::minutes(4)),
            Course::Moves { from, secs, to } => {
                let at = self.start + Duration::seconds(secs);
                if now < at {
                    (
                        from,
                        (created + Duration::seconds(5)).max(self.start - Duration::seconds(20)),
                    )
                } else {
                    (to, at)
                }
            }
        };
        let message = message.to_owned();
        let has_address = !matches!(status, "PROVISIONING" | "STAGING" | "TERMINATED");
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
            self_link: Some(instance_link(def.region, def.project, &def.id)),
            uid: Some(def.uid.clone()),
            id: def.id.clone(),
            display_name: Some(def.display_name.clone()),
            description: Some(def.description.clone()),
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
            hostname: Some(format!("{}.us1-a.c.{}.internal", def.id, def.project)),
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

    use crate::test_start as start;

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
    fn lifecycles_cover_the_eight_states_and_move_on() {
        let api = K0rdent::new(start());
        let states = |now| -> Vec<String> {
            INSTANCE_IDS
                .iter()
                .map(|id| status(&api.instance(id, now).unwrap()))
                .collect()
        };
        assert_eq!(
            states(start()),
            [
                "PROVISIONING",
                "RUNNING",
                "SUSPENDED",
                "REPAIRING",
                "STOPPING",
                "STAGING",
                "SUSPENDING",
                "TERMINATED"
            ]
        );
        let later = start() + Duration::seconds(REPAIR_SECS);
        assert_eq!(
            states(later),
            [
                "RUNNING",
                "RUNNING",
                "SUSPENDED",
                "RUNNING",
                "TERMINATED",
                "RUNNING",
                "SUSPENDED",
                "TERMINATED"
            ]
        );
    }

    #[test]
    fn the_texas_project_pages_through_every_instance_once() {
        let api = K0rdent::new(start());
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = api
                .list(REGION, PROJECT, token.as_deref(), 10, start())
                .unwrap();
            assert!(page.instances.len() <= 10);
            seen.extend(page.instances.iter().map(|i| i.id.clone()));
            pages += 1;
            // The same page asked again gives the same token.
            let again = api
                .list(REGION, PROJECT, token.as_deref(), 10, start())
                .unwrap();
            assert_eq!(again.next_page_token, page.next_page_token);
            match page.next_page_token {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen.len(), INSTANCE_IDS.len() + WORKERS);
        assert_eq!(seen[0], PROVISIONING_INSTANCE);
        let mut unique = seen.clone();
        unique.dedup();
        assert_eq!(unique.len(), seen.len());
        let all = api.list(REGION, PROJECT, None, 50, start()).unwrap();
        assert_eq!(all.instances.len(), seen.len());
        assert_eq!(all.next_page_token, None);
        let eu = api.list(EU_REGION, EU_PROJECT, None, 50, start()).unwrap();
        assert_eq!(eu.instances.len(), 2);
        assert!(eu.instances[0]
            .self_link
            .as_deref()
            .unwrap()
            .starts_with("/v1/regions/eu-west-2/"));
        let empty = api
            .list(REGION, "project-team-01", None, 50, start())
            .unwrap();
        assert!(empty.instances.is_empty());
    }

    #[test]
    fn bad_tokens_sizes_regions_and_projects_are_refused() {
        let api = K0rdent::new(start());
        let first = api.list(REGION, PROJECT, None, 10, start()).unwrap();
        let token = first.next_page_token.unwrap();
        for (token, size) in [("garbage", 10), (token.as_str(), 25)] {
            match api.list(REGION, PROJECT, Some(token), size, start()) {
                Err(ApiError::BadRequest(why)) => assert!(why.contains("Invalid page token")),
                other => panic!("{other:?}"),
            }
        }
        assert!(matches!(
            api.list(EU_REGION, EU_PROJECT, Some(&token), 10, start()),
            Err(ApiError::BadRequest(_))
        ));
        match api.list("mars-1", PROJECT, None, 10, start()) {
            Err(ApiError::NotFound(why)) => assert!(why.contains("Region mars-1 not found")),
            other => panic!("{other:?}"),
        }
        match api.list(REGION, "project-nope", None, 10, start()) {
            Err(ApiError::NotFound(why)) => assert!(why.contains("Project project-nope not found")),
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_page_size(None), Ok(DEFAULT_PAGE_SIZE));
        assert_eq!(parse_page_size(Some("500")), Ok(500));
        for bad in ["0", "501", "ten", "-1"] {
            assert!(parse_page_size(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn projects_come_in_pages_too() {
        let api = K0rdent::new(start());
        let first = api.projects(None, 10).unwrap();
        assert_eq!(first.projects.len(), 10);
        assert_eq!(first.projects[0].id, PROJECT);
        let second = api.projects(first.next_page_token.as_deref(), 10).unwrap();
        assert_eq!(second.projects.len(), 2 + TEAM_PROJECTS - 10);
        assert_eq!(second.next_page_token, None);
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
        // An instance is found in its own region and project only.
        assert!(matches!(
            api.get(EU_REGION, EU_PROJECT, PROVISIONING_INSTANCE, start()),
            Err(ApiError::NotFound(_))
        ));
        assert!(api
            .get(EU_REGION, EU_PROJECT, "eval-eu-01", start())
            .is_ok());
    }
}
