//! The resource store: seeded history plus what procurements create when
//! they settle. A resource keeps a snapshot of its status; reading one
//! resource reconciles that snapshot with its source when it is older than
//! 30 seconds or when `force_refresh` asks.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use supply_model::{
    ContractType, LinkedResourceSummary, MachineKind, Offer, OfferResourceSummary, ProcureRequest,
    ResourceAccessInfo, ResourceSummary, StorageDetail,
};
use uuid::Uuid;

use crate::catalog;
use crate::k0rdent::{self, K0rdent};
use crate::procurement::{Phase, Procurement};
use crate::ApiTime;

pub const RECONCILE_AFTER_SECS: i64 = 30;
/// A deleted resource is `deleting` this long, then `deleted`.
pub const DELETE_AFTER_SECS: i64 = 20;
/// With `force=true` the vendor is not asked for a graceful shutdown.
pub const FORCED_DELETE_AFTER_SECS: i64 = 5;

/// Fixed ids of the seeded resources and their offers, for end-to-end tests.
pub mod seeded {
    /// lambda, us-east-1, 1x H100, running, `ssh root@203.0.113.10` (port 22).
    pub const RUNNING_VM: &str = "0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01";
    /// runpod (a container), US-TX-3, 2x RTX 4090, running,
    /// `ssh -p 22022 ubuntu@198.51.100.23`.
    pub const CUSTOM_PORT_VM: &str = "1c7a6d3f-4e52-4b9f-8d38-6f2a9bae4c12";
    /// nebius, eu-north1, 1x A100, stopped.
    pub const STOPPED_VM: &str = "2d8b7e4a-5f63-4cae-9e49-7a3bacbf5d23";
    /// coreweave, US-EAST-04, 4 nodes x 8 H100, running.
    pub const CLUSTER: &str = "3e9c8f5b-6a74-4dbf-8f5a-8b4cbdc06e34";
    /// Storage volume linked to [`RUNNING_VM`].
    pub const STORAGE_VOLUME: &str = "4fad906c-7b85-4ec0-9a6b-9c5dced17f45";
    /// k0rdent, us-texas-1: its status follows k0rdent's `instance-d4e5f6`.
    pub const K0RDENT_VM: &str = "5abea17d-8c96-4fd1-8b7c-ad6edfe28a56";

    pub const RUNNING_VM_OFFER: &str = "7d3f1a52-0c4e-4b8a-9f61-2e5d8c7b9a01";
    pub const CUSTOM_PORT_VM_OFFER: &str = "8e402b63-1d5f-4c9b-8a72-3f6e9d8cab12";
    pub const STOPPED_VM_OFFER: &str = "9f513c74-2e60-4dac-9b83-407fae9dbc23";
    pub const CLUSTER_OFFER: &str = "a0624d85-3f71-4ebd-8c94-5180bfaecd34";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Primary,
    Storage,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Storage => "storage",
        }
    }
}

/// Where a resource's status comes from when it is reconciled.
#[derive(Debug, Clone)]
pub enum Source {
    Procurement { offer: Uuid, role: Role },
    K0rdent { instance_id: String },
}

/// A `DELETE /resources/{id}` under way, or done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deletion {
    pub requested_at: DateTime<Utc>,
    pub done_at: DateTime<Utc>,
}

impl Deletion {
    pub fn new(now: DateTime<Utc>, force: bool) -> Self {
        let secs = if force {
            FORCED_DELETE_AFTER_SECS
        } else {
            DELETE_AFTER_SECS
        };
        Self {
            requested_at: now,
            done_at: now + Duration::seconds(secs),
        }
    }

    /// The same deletion, asked again: with `force` it ends no later than
    /// a forced one started now would.
    pub fn hurried(self, now: DateTime<Utc>, force: bool) -> Self {
        let forced = Self::new(now, true).done_at;
        Self {
            done_at: if force {
                self.done_at.min(forced)
            } else {
                self.done_at
            },
            ..self
        }
    }

    pub fn is_done(&self, now: DateTime<Utc>) -> bool {
        now >= self.done_at
    }

    /// `deleting`, then `deleted`; no access either way.
    pub fn live(&self, now: DateTime<Utc>) -> Live {
        let (status, message) = if self.is_done(now) {
            ("deleted", "Terminated on the vendor")
        } else {
            ("deleting", "Terminating on the vendor")
        };
        Live {
            status: status.to_owned(),
            status_message: Some(message.to_owned()),
            access: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StoredResource {
    pub summary: ResourceSummary,
    pub source: Source,
    pub deletion: Option<Deletion>,
}

#[derive(Debug, Default)]
pub struct ResourceStore {
    items: Vec<StoredResource>,
    index: HashMap<Uuid, usize>,
}

impl ResourceStore {
    pub fn insert(&mut self, resource: StoredResource) {
        let Ok(id) = Uuid::parse_str(&resource.summary.resource_id) else {
            return;
        };
        match self.index.get(&id) {
            Some(&at) => self.items[at] = resource,
            None => {
                self.index.insert(id, self.items.len());
                self.items.push(resource);
            }
        }
    }

    pub fn position(&self, id: Uuid) -> Option<usize> {
        self.index.get(&id).copied()
    }

    pub fn at(&self, position: usize) -> &StoredResource {
        &self.items[position]
    }

    pub fn at_mut(&mut self, position: usize) -> &mut StoredResource {
        &mut self.items[position]
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn status_of(&self, id: &str) -> Option<&str> {
        let at = self.position(Uuid::parse_str(id).ok()?)?;
        Some(self.items[at].summary.status.as_str())
    }

    /// Marks every deletion done by `now` as `deleted` in its snapshot, and
    /// ends the links to it.
    pub fn finish_deletions(&mut self, now: DateTime<Utc>) {
        let done: Vec<(String, DateTime<Utc>)> = self
            .items
            .iter()
            .filter_map(|item| {
                let deletion = item.deletion?;
                (deletion.is_done(now) && item.summary.status != "deleted")
                    .then(|| (item.summary.resource_id.clone(), deletion.done_at))
            })
            .collect();
        for (id, at) in done {
            let until = ApiTime::from_datetime(at);
            for item in &mut self.items {
                let summary = &mut item.summary;
                if summary.resource_id == id {
                    let Some(live) = item.deletion.map(|d| d.live(now)) else {
                        continue;
                    };
                    summary.status = live.status;
                    summary.status_message = live.status_message;
                    summary.access = None;
                    summary.valid_to = Some(until.clone());
                    summary.last_synced_at = Some(until.clone());
                    for link in &mut summary.linked_resources {
                        link.linked_until.get_or_insert_with(|| until.clone());
                    }
                } else {
                    for link in summary
                        .linked_resources
                        .iter_mut()
                        .filter(|link| link.resource_id == id)
                    {
                        link.linked_until.get_or_insert_with(|| until.clone());
                    }
                }
            }
        }
    }
}

/// A resource's status, message and access as its source reports them now.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub status: String,
    pub status_message: Option<String>,
    pub access: Option<ResourceAccessInfo>,
}

pub fn procurement_live(p: &Procurement, role: Role, now: DateTime<Utc>) -> Live {
    let phase = p.phase(now);
    let total = p.nodes.len();
    if role == Role::Storage {
        let (status, message) = match phase {
            Phase::Failed => ("failed", "Not created: the procurement failed"),
            Phase::Ready => ("attached", "Mounted at /mnt/data"),
            _ => ("creating", "Waiting for the instance"),
        };
        return Live {
            status: status.to_owned(),
            status_message: Some(message.to_owned()),
            access: None,
        };
    }
    let head = p.nodes.first();
    let access = |up: bool| {
        head.map(|node| ResourceAccessInfo {
            external_ip: up.then(|| node.external_ip.clone()),
            internal_ip: Some(node.internal_ip.clone()),
            ssh_command: up.then(|| node.ssh_command()),
            ssh_port: Some(node.ssh_port),
            extra: Default::default(),
        })
    };
    match phase {
        Phase::Failed => Live {
            status: "failed".to_owned(),
            status_message: p.failure.clone(),
            access: None,
        },
        Phase::Ready if p.is_stopped(now) => Live {
            status: "stopped".to_owned(),
            status_message: Some("Stopped by the user; storage is kept".to_owned()),
            access: access(false),
        },
        Phase::Ready => Live {
            status: "running".to_owned(),
            status_message: Some(format!("{total}/{total} instances running")),
            access: access(true),
        },
        Phase::Started | Phase::InProgress { .. } => Live {
            status: "provisioning".to_owned(),
            status_message: p.progress(now),
            access: None,
        },
    }
}

pub fn k0rdent_live(api: &K0rdent, instance_id: &str, now: DateTime<Utc>) -> Live {
    let Some(instance) = api.instance(instance_id, now) else {
        return Live {
            status: "unknown".to_owned(),
            status_message: Some(format!("k0rdent has no instance {instance_id}")),
            access: None,
        };
    };
    let lifecycle = instance.lifecycle.unwrap_or_default();
    let status = lifecycle
        .status
        .unwrap_or_else(|| "unknown".to_owned())
        .to_ascii_lowercase();
    let internal_ip = instance
        .nics
        .first()
        .and_then(|nic| nic.ipv4_address.clone());
    let running = status == "running";
    Live {
        access: Some(ResourceAccessInfo {
            external_ip: running.then(|| "203.0.113.77".to_owned()),
            internal_ip,
            ssh_command: running.then(|| "ssh root@203.0.113.77".to_owned()),
            ssh_port: Some(22),
            extra: Default::default(),
        }),
        status,
        status_message: lifecycle.status_message,
    }
}

/// The resources a settled procurement creates, as of when it settled: the
/// machine (VM, container or cluster), and one storage resource per
/// persistent volume of the offer, linked to it. The machine's price is the
/// offer's total less what those volumes cost on their own.
pub fn materialize(p: &Procurement) -> Vec<StoredResource> {
    let at = p.settled_at();
    let at_time = ApiTime::from_datetime(at);
    let offer = &p.offer;
    let history = |role: Role| {
        vec![OfferResourceSummary {
            offer_id: p.offer_id.to_string(),
            offer_type: p.kind.as_str().to_owned(),
            role: role.as_str().to_owned(),
            created_at: ApiTime::from_datetime(p.procured_at),
            extra: Default::default(),
        }]
    };
    let primary_live = procurement_live(p, Role::Primary, at);
    let resource_type = p.kind.as_str().to_owned();
    let mut spec = offer_spec(offer);
    if let Some(zone) = p.nodes.first().map(|node| node.zone.clone()) {
        spec.insert("zone".into(), json!(zone));
    }
    spec.insert(
        "instance_ids".into(),
        json!(p
            .nodes
            .iter()
            .map(|n| n.instance_id.clone())
            .collect::<Vec<_>>()),
    );
    spec.insert("cloud_init".into(), json!(p.cloud_init));
    if let Some(cluster) = &p.cluster_name {
        spec.insert("cluster_name".into(), json!(cluster));
    }
    let ok = p.failure.is_none();
    let persistent: Vec<&StorageDetail> = offer
        .storage_details
        .iter()
        .filter(|volume| volume.persistent == Some(true))
        .collect();
    let apart: f64 = persistent.iter().filter_map(|v| v.hourly_cost).sum();
    let machine_price = offer
        .total_hourly()
        .map(|total| catalog::round4((total - apart).max(0.0)));
    let mut primary = ResourceSummary {
        resource_id: p.primary_id.to_string(),
        resource_type: resource_type.clone(),
        name: Some(p.name.clone()),
        vendor: offer.vendor.clone().unwrap_or_default(),
        vendor_region: offer.vendor_region.clone().unwrap_or_default(),
        status: primary_live.status,
        status_message: primary_live.status_message,
        access: primary_live.access,
        spec,
        linked_resources: Vec::new(),
        offer_history: history(Role::Primary),
        pricing_total_hourly: if ok { machine_price } else { Some(0.0) },
        valid_from: ok.then(|| at_time.clone()),
        valid_to: None,
        last_synced_at: Some(at_time.clone()),
        created_at: ApiTime::from_datetime(p.procured_at),
        extra: Default::default(),
    };
    let storage_live = procurement_live(p, Role::Storage, at);
    let mut volumes = Vec::new();
    for (storage_id, volume) in p.storage_ids.iter().zip(persistent) {
        let volume_name = volume.name.clone().unwrap_or_else(|| "data".to_owned());
        let storage_name = format!("{}-{volume_name}", p.name);
        primary.linked_resources.push(LinkedResourceSummary {
            resource_id: storage_id.to_string(),
            resource_type: "storage".to_owned(),
            name: Some(storage_name.clone()),
            status: storage_live.status.clone(),
            link_type: "attached_storage".to_owned(),
            linked_since: at_time.clone(),
            linked_until: None,
            extra: Default::default(),
        });
        let mut storage_spec = Map::new();
        let mut put = |key: &str, value: Value| {
            if !value.is_null() {
                storage_spec.insert(key.to_owned(), value);
            }
        };
        put("size_gb", json!(volume.size_gb));
        put("type", json!(volume.kind));
        put("storage_class", json!(volume.storage_class));
        put("vendor_class", json!(volume.vendor_class));
        put("persistent", json!(true));
        put("mount_path", json!(format!("/mnt/{volume_name}")));
        put("attached_to", json!(p.primary_id.to_string()));
        volumes.push(StoredResource {
            summary: ResourceSummary {
                resource_id: storage_id.to_string(),
                resource_type: "storage".to_owned(),
                name: Some(storage_name),
                vendor: primary.vendor.clone(),
                vendor_region: primary.vendor_region.clone(),
                status: storage_live.status.clone(),
                status_message: storage_live.status_message.clone(),
                access: None,
                spec: storage_spec,
                linked_resources: vec![LinkedResourceSummary {
                    resource_id: p.primary_id.to_string(),
                    resource_type: resource_type.clone(),
                    name: Some(p.name.clone()),
                    status: primary.status.clone(),
                    link_type: "attached_to".to_owned(),
                    linked_since: at_time.clone(),
                    linked_until: None,
                    extra: Default::default(),
                }],
                offer_history: history(Role::Storage),
                pricing_total_hourly: Some(if ok {
                    volume.hourly_cost.unwrap_or(0.0)
                } else {
                    0.0
                }),
                valid_from: ok.then(|| at_time.clone()),
                valid_to: None,
                last_synced_at: Some(at_time.clone()),
                created_at: ApiTime::from_datetime(p.procured_at),
                extra: Default::default(),
            },
            source: Source::Procurement {
                offer: p.offer_id,
                role: Role::Storage,
            },
            deletion: None,
        });
    }
    let mut out = vec![StoredResource {
        summary: primary,
        source: Source::Procurement {
            offer: p.offer_id,
            role: Role::Primary,
        },
        deletion: None,
    }];
    out.extend(volumes);
    out
}

/// What the machine is, from its offer, in the published field names.
fn offer_spec(offer: &Offer) -> Map<String, Value> {
    let mut spec = Map::new();
    let mut put = |key: &str, value: Value| {
        if !value.is_null() {
            spec.insert(key.to_owned(), value);
        }
    };
    put("gpu_type", json!(offer.gpu_type));
    put("gpu_family", json!(offer.gpu_family));
    put("gpu_count", json!(offer.gpu_count));
    put("vcpu_count", json!(offer.vcpu_count));
    put("memory_in_gb", json!(offer.memory_in_gb));
    put("boot_disk_in_gb", json!(offer.boot_disk_in_gb));
    put("type", json!(offer.kind));
    put("contract_type", json!(offer.contract_type));
    put("vendor_region", json!(offer.vendor_region));
    if offer.is_cluster() {
        put("deployment_type", json!(offer.deployment_type));
        put("node_count", json!(offer.node_count));
        put("gpus_per_node", json!(offer.gpus_per_node));
        put(
            "infiniband_bandwidth_gbps",
            json!(offer.infiniband_bandwidth_gbps),
        );
        put("cluster_storage_gb", json!(offer.cluster_storage_gb));
    }
    if !offer.storage_details.is_empty() {
        let volumes: Vec<Value> = offer
            .storage_details
            .iter()
            .map(|v| {
                json!({
                    "name": v.name,
                    "size_gb": v.size_gb,
                    "type": v.kind,
                    "storage_class": v.storage_class,
                    "persistent": v.persistent.unwrap_or(false),
                })
            })
            .collect();
        put("storage", Value::Array(volumes));
    }
    spec
}

/// An offer as it was when a seeded resource was procured; `storage` is
/// one persistent volume of that many GB at that hourly cost.
#[allow(clippy::too_many_arguments)]
fn historic_offer(
    id: &str,
    vendor_name: &str,
    region: &str,
    gpu_type: &str,
    gpu_count: u32,
    node_count: u32,
    price_per_gpu: f64,
    storage: Option<(f64, f64)>,
    created: DateTime<Utc>,
) -> Offer {
    let vendor = catalog::vendor(vendor_name).expect("seeded vendors are in the catalog");
    let gpu = catalog::GPUS
        .iter()
        .find(|g| g.name == gpu_type)
        .expect("seeded GPUs are in the catalog");
    let group = vendor
        .regions
        .iter()
        .find(|(name, _)| *name == region)
        .map_or("Other", |(_, group)| *group);
    let cluster = node_count > 1;
    let details: Vec<StorageDetail> = storage
        .into_iter()
        .map(|(size_gb, hourly)| {
            let option = vendor
                .storage
                .iter()
                .find(|o| o.persistent)
                .expect("the seeded vendor sells persistent storage");
            let monthly = hourly * catalog::HOURS_PER_MONTH;
            StorageDetail {
                name: Some("data".to_owned()),
                size_gb: Some(size_gb),
                kind: Some(option.kind.to_owned()),
                storage_class: Some(option.class.to_owned()),
                vendor_class: Some(option.vendor_class.to_owned()),
                vendor_region: Some(region.to_owned()),
                price_per_gb_month: Some(catalog::round4(monthly / size_gb)),
                monthly_cost: Some((monthly * 100.0).round() / 100.0),
                hourly_cost: Some(hourly),
                persistent: Some(true),
                extra: Default::default(),
            }
        })
        .collect();
    let offer = Offer {
        offer_id: id.to_owned(),
        gpu_type: Some(gpu.name.to_owned()),
        gpu_family: Some(gpu.family.to_owned()),
        gpu_count: Some(gpu_count),
        vendor: Some(vendor.name.to_owned()),
        region: Some(group.to_owned()),
        vendor_region: Some(region.to_owned()),
        contract_type: Some(ContractType::OnDemand),
        kind: Some(if vendor.container {
            MachineKind::Container
        } else {
            MachineKind::Vm
        }),
        gpu_price_per_hour: Some(price_per_gpu),
        boot_disk_in_gb: vendor.boot_disks_gb.first().map(|gb| f64::from(*gb)),
        vcpu_count: vendor.reports_vcpus.then_some(gpu.vcpus * gpu_count),
        memory_in_gb: Some(f64::from(gpu.memory_gb * gpu_count)),
        created_at: Some(ApiTime::from_datetime(created)),
        expires_at: Some(ApiTime::from_datetime(
            created + Duration::seconds(catalog::OFFER_LIFETIME_SECS),
        )),
        deployment_type: Some(
            if cluster {
                catalog::CLUSTER
            } else {
                catalog::SINGLE
            }
            .to_owned(),
        ),
        node_count: Some(node_count),
        gpus_per_node: Some(gpu_count / node_count.max(1)),
        infiniband_bandwidth_gbps: vendor.infiniband_gbps.filter(|_| cluster).map(f64::from),
        cluster_storage_gb: cluster.then(|| f64::from(2048 * node_count)),
        ..Default::default()
    };
    catalog::priced(offer, details)
}

struct History {
    offer: Offer,
    name: &'static str,
    procured: DateTime<Utc>,
    primary: &'static str,
    storage: Option<&'static str>,
    /// External IP, internal IP, SSH port and user of the first node.
    head: (&'static str, &'static str, u16, &'static str),
    stopped: Option<DateTime<Utc>>,
}

/// Seeded procurements (already settled) and the resources the store
/// starts with.
pub fn seed(start: DateTime<Utc>) -> (Vec<Procurement>, Vec<StoredResource>) {
    use seeded::*;
    let day = Duration::days(1);
    let histories = [
        History {
            offer: historic_offer(
                RUNNING_VM_OFFER,
                "lambda",
                "us-east-1",
                "nvidia-h100-sxm5-80gb",
                1,
                1,
                2.49,
                Some((1000.0, 0.14)),
                start - day * 3,
            ),
            name: "train-h100-01",
            procured: start - day * 3 + Duration::minutes(2),
            primary: RUNNING_VM,
            storage: Some(STORAGE_VOLUME),
            head: ("203.0.113.10", "10.0.1.10", 22, "root"),
            stopped: None,
        },
        History {
            offer: historic_offer(
                CUSTOM_PORT_VM_OFFER,
                "runpod",
                "US-TX-3",
                "nvidia-rtx-4090-24gb",
                2,
                1,
                0.42,
                None,
                start - day,
            ),
            name: "notebook-4090",
            procured: start - day + Duration::minutes(5),
            primary: CUSTOM_PORT_VM,
            storage: None,
            // A container image whose SSH user is not root.
            head: ("198.51.100.23", "10.42.7.23", 22_022, "ubuntu"),
            stopped: None,
        },
        History {
            offer: historic_offer(
                STOPPED_VM_OFFER,
                "nebius",
                "eu-north1",
                "nvidia-a100-sxm4-80gb",
                1,
                1,
                1.86,
                None,
                start - day * 5,
            ),
            name: "eval-a100",
            procured: start - day * 5 + Duration::minutes(1),
            primary: STOPPED_VM,
            storage: None,
            head: ("198.51.100.61", "10.8.3.61", 22, "root"),
            stopped: Some(start - day),
        },
        History {
            offer: historic_offer(
                CLUSTER_OFFER,
                "coreweave",
                "US-EAST-04",
                "nvidia-h100-sxm5-80gb",
                32,
                4,
                2.77,
                None,
                start - day * 2,
            ),
            name: "pretrain-cluster",
            procured: start - day * 2 + Duration::minutes(3),
            primary: CLUSTER,
            storage: None,
            head: ("203.0.113.40", "10.16.0.40", 22, "root"),
            stopped: None,
        },
    ];
    let mut procurements = Vec::new();
    let mut resources = Vec::new();
    for history in histories {
        let offer_id = Uuid::parse_str(&history.offer.offer_id).expect("seeded ids are UUIDs");
        let request = ProcureRequest {
            offer_id: history.offer.offer_id.clone(),
            ssh_public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname".to_owned(),
            resource_name: Some(history.name.to_owned()),
            cluster_name: Some(history.name.to_owned()),
            cloud_init: None,
        };
        let mut p = Procurement::new(history.offer, offer_id, &request, None, history.procured);
        p.primary_id = Uuid::parse_str(history.primary).expect("seeded ids are UUIDs");
        p.storage_ids = history
            .storage
            .iter()
            .map(|id| Uuid::parse_str(id).expect("seeded ids are UUIDs"))
            .collect();
        let (external, internal, port, user) = history.head;
        if let Some(head) = p.nodes.first_mut() {
            head.external_ip = external.to_owned();
            head.internal_ip = internal.to_owned();
        }
        for node in &mut p.nodes {
            node.ssh_port = port;
            node.ssh_user = user.to_owned();
        }
        p.stopped_at = history.stopped;
        p.materialized = true;
        for mut resource in materialize(&p) {
            // Snapshots as of just before the start: a read soon after
            // start is inside the 30 s cooldown.
            resource.summary.last_synced_at =
                Some(ApiTime::from_datetime(start - Duration::seconds(10)));
            if let Some(stopped) = p.stopped_at {
                let live = procurement_live(&p, Role::Primary, stopped);
                if resource.summary.resource_id == history.primary {
                    resource.summary.status = live.status;
                    resource.summary.status_message = live.status_message;
                    resource.summary.access = live.access;
                    resource.summary.valid_to = Some(ApiTime::from_datetime(stopped));
                }
            }
            if resource.summary.resource_id == CLUSTER {
                // A reserved cluster: valid for 30 days.
                resource.summary.valid_to = resource
                    .summary
                    .valid_from
                    .as_ref()
                    .and_then(ApiTime::parsed)
                    .map(|from| ApiTime::from_datetime(from + Duration::days(30)));
            }
            resources.push(resource);
        }
        procurements.push(p);
    }
    resources.push(k0rdent_resource(start));
    (procurements, resources)
}

fn k0rdent_resource(start: DateTime<Utc>) -> StoredResource {
    let live = k0rdent_live(&K0rdent::new(start), k0rdent::PROVISIONING_INSTANCE, start);
    let created = start - Duration::seconds(30);
    let mut spec = Map::new();
    spec.insert(
        "self_link".into(),
        json!(k0rdent::self_link(k0rdent::PROVISIONING_INSTANCE)),
    );
    spec.insert("instance_id".into(), json!(k0rdent::PROVISIONING_INSTANCE));
    spec.insert("project".into(), json!(k0rdent::PROJECT));
    spec.insert(
        "instance_type".into(),
        json!("/v1/regions/us-texas-1/zones/us1-a/instance-types/g1-xlarge"),
    );
    spec.insert("gpu_type".into(), json!("H100"));
    spec.insert("gpu_count".into(), json!(8));
    StoredResource {
        summary: ResourceSummary {
            resource_id: seeded::K0RDENT_VM.to_owned(),
            resource_type: "vm".to_owned(),
            name: Some("texas-h100-node".to_owned()),
            vendor: "k0rdent".to_owned(),
            vendor_region: k0rdent::REGION.to_owned(),
            status: live.status,
            status_message: live.status_message,
            access: live.access,
            spec,
            linked_resources: Vec::new(),
            offer_history: Vec::new(),
            pricing_total_hourly: Some(18.4),
            valid_from: Some(ApiTime::from_datetime(created)),
            valid_to: None,
            last_synced_at: Some(ApiTime::from_datetime(start - Duration::seconds(10))),
            created_at: ApiTime::from_datetime(created),
            extra: Default::default(),
        },
        source: Source::K0rdent {
            instance_id: k0rdent::PROVISIONING_INSTANCE.to_owned(),
        },
        deletion: None,
    }
}
