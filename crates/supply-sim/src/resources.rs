//! The resource store: seeded history plus what procurements create when
//! they settle. A resource keeps a snapshot of its status; reading one
//! resource reconciles that snapshot with its source when it is older than
//! 30 seconds or when `force_refresh` asks.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use supply_model::{
    LinkedResourceSummary, Offer, OfferResourceSummary, OfferType, ProcureRequest,
    ResourceAccessInfo, ResourceSummary,
};
use uuid::Uuid;

use crate::k0rdent::{self, K0rdent};
use crate::procurement::{Phase, Procurement};
use crate::ApiTime;

pub const RECONCILE_AFTER_SECS: i64 = 30;

/// Fixed ids of the seeded resources and their offers, for end-to-end tests.
pub mod seeded {
    /// lambda, us-east-1, 1x H100, running, `ssh root@203.0.113.10` (port 22).
    pub const RUNNING_VM: &str = "0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01";
    /// runpod, US-TX-3, 2x RTX4090, running, `ssh -p 22022 ubuntu@198.51.100.23`.
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

#[derive(Debug, Clone)]
pub struct StoredResource {
    pub summary: ResourceSummary,
    pub source: Source,
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

fn primary_type(kind: &OfferType) -> String {
    match kind {
        OfferType::Vm => "vm".to_owned(),
        other => other.as_str().to_owned(),
    }
}

const STORAGE_GB: u32 = 1_000;

/// The resources a settled procurement creates, as of when it settled.
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
    let resource_type = primary_type(&p.kind);
    let mut spec = offer_spec(offer);
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
        pricing_total_hourly: if ok { offer.pricing_hourly } else { Some(0.0) },
        valid_from: ok.then(|| at_time.clone()),
        valid_to: None,
        last_synced_at: Some(at_time.clone()),
        created_at: ApiTime::from_datetime(p.procured_at),
        extra: Default::default(),
    };
    let mut out = Vec::new();
    if let Some(storage_id) = p.storage_id {
        let storage_live = procurement_live(p, Role::Storage, at);
        let storage_name = format!("{}-data", p.name);
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
        storage_spec.insert("size_gb".into(), json!(STORAGE_GB));
        storage_spec.insert("volume_type".into(), json!("nvme-ssd"));
        storage_spec.insert("mount_path".into(), json!("/mnt/data"));
        storage_spec.insert("attached_to".into(), json!(p.primary_id.to_string()));
        let storage = ResourceSummary {
            resource_id: storage_id.to_string(),
            resource_type: "storage".to_owned(),
            name: Some(storage_name),
            vendor: primary.vendor.clone(),
            vendor_region: primary.vendor_region.clone(),
            status: storage_live.status,
            status_message: storage_live.status_message,
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
            pricing_total_hourly: Some(if ok { 0.14 } else { 0.0 }),
            valid_from: ok.then(|| at_time.clone()),
            valid_to: None,
            last_synced_at: Some(at_time),
            created_at: ApiTime::from_datetime(p.procured_at),
            extra: Default::default(),
        };
        out.push(StoredResource {
            summary: primary,
            source: Source::Procurement {
                offer: p.offer_id,
                role: Role::Primary,
            },
        });
        out.push(StoredResource {
            summary: storage,
            source: Source::Procurement {
                offer: p.offer_id,
                role: Role::Storage,
            },
        });
    } else {
        out.push(StoredResource {
            summary: primary,
            source: Source::Procurement {
                offer: p.offer_id,
                role: Role::Primary,
            },
        });
    }
    out
}

fn offer_spec(offer: &Offer) -> Map<String, Value> {
    let mut spec = Map::new();
    let mut put = |key: &str, value: Value| {
        if !value.is_null() {
            spec.insert(key.to_owned(), value);
        }
    };
    put("gpu_type", json!(offer.gpu_type));
    put("gpu_count", json!(offer.gpu_count));
    put("gpu_memory_gb", json!(offer.gpu_memory_gb));
    put("vcpus", json!(offer.vcpus));
    put("memory_gb", json!(offer.memory_gb));
    put("storage_gb", json!(offer.storage_gb));
    put("node_count", json!(offer.node_count));
    if let Some(Value::Object(extra)) = &offer.spec {
        for key in ["gpu_model", "interconnect", "zone", "image"] {
            if let Some(value) = extra.get(key) {
                spec.insert(key.to_owned(), value.clone());
            }
        }
    }
    spec
}

/// An offer as it was when a seeded resource was procured.
#[allow(clippy::too_many_arguments)]
fn historic_offer(
    id: &str,
    kind: OfferType,
    vendor: &str,
    region: &str,
    gpu: &str,
    gpu_memory_gb: f64,
    gpu_count: u32,
    node_count: Option<u32>,
    price: f64,
    created: DateTime<Utc>,
) -> Offer {
    Offer {
        offer_id: id.to_owned(),
        offer_type: Some(kind),
        vendor: Some(vendor.to_owned()),
        vendor_region: Some(region.to_owned()),
        gpu_type: Some(gpu.to_owned()),
        gpu_count: Some(gpu_count),
        gpu_memory_gb: Some(gpu_memory_gb),
        vcpus: Some(26 * gpu_count),
        memory_gb: Some(f64::from(200 * gpu_count)),
        storage_gb: Some(f64::from(1000 * gpu_count)),
        node_count,
        pricing_hourly: Some(price),
        available: Some(false),
        created_at: Some(ApiTime::from_datetime(created)),
        expires_at: Some(ApiTime::from_datetime(created + Duration::minutes(30))),
        spec: Some(json!({"zone": format!("{region}-a"), "image": "ubuntu-22.04-cuda-12.4"})),
        extra: Default::default(),
    }
}

struct History {
    offer: Offer,
    name: &'static str,
    procured: DateTime<Utc>,
    primary: &'static str,
    storage: Option<&'static str>,
    head: (&'static str, &'static str, u16),
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
                OfferType::Vm,
                "lambda",
                "us-east-1",
                "H100",
                80.0,
                1,
                None,
                2.49,
                start - day * 3,
            ),
            name: "train-h100-01",
            procured: start - day * 3 + Duration::minutes(2),
            primary: RUNNING_VM,
            storage: Some(STORAGE_VOLUME),
            head: ("203.0.113.10", "10.0.1.10", 22),
            stopped: None,
        },
        History {
            offer: historic_offer(
                CUSTOM_PORT_VM_OFFER,
                OfferType::Vm,
                "runpod",
                "US-TX-3",
                "RTX4090",
                24.0,
                2,
                None,
                0.84,
                start - day,
            ),
            name: "notebook-4090",
            procured: start - day + Duration::minutes(5),
            primary: CUSTOM_PORT_VM,
            storage: None,
            head: ("198.51.100.23", "10.42.7.23", 22_022),
            stopped: None,
        },
        History {
            offer: historic_offer(
                STOPPED_VM_OFFER,
                OfferType::Vm,
                "nebius",
                "eu-north1",
                "A100",
                80.0,
                1,
                None,
                1.86,
                start - day * 5,
            ),
            name: "eval-a100",
            procured: start - day * 5 + Duration::minutes(1),
            primary: STOPPED_VM,
            storage: None,
            head: ("198.51.100.61", "10.8.3.61", 22),
            stopped: Some(start - day),
        },
        History {
            offer: historic_offer(
                CLUSTER_OFFER,
                OfferType::Cluster,
                "coreweave",
                "US-EAST-04",
                "H100",
                80.0,
                32,
                Some(4),
                88.64,
                start - day * 2,
            ),
            name: "pretrain-cluster",
            procured: start - day * 2 + Duration::minutes(3),
            primary: CLUSTER,
            storage: None,
            head: ("203.0.113.40", "10.16.0.40", 22),
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
        p.storage_id = history
            .storage
            .map(|id| Uuid::parse_str(id).expect("seeded ids are UUIDs"));
        let (external, internal, port) = history.head;
        if let Some(head) = p.nodes.first_mut() {
            head.external_ip = external.to_owned();
            head.internal_ip = internal.to_owned();
            head.ssh_port = port;
        }
        if port != 22 {
            for node in &mut p.nodes {
                node.ssh_port = port;
            }
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
    }
}
