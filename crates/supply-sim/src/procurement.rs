//! `POST /procure_offer` validation and the procurement state machine.
//!
//! Timeline in simulated seconds after procurement: `provisioning_started`
//! at once; at +10 s `provisioning_in_progress` with every instance
//! `pending`; then one instance per 20 s turns `running`; `ready` when all
//! run. A failing procurement turns `failed` at +15 s instead.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use supply_model::{
    InstanceDetail, MachineKind, Offer, OfferState, ProcureRequest, ProcurementStatus,
    ValidationError,
};
use uuid::Uuid;

use crate::catalog;
use crate::rng::{mix, short_hex, uuid_from};

pub const IN_PROGRESS_AFTER_SECS: i64 = 10;
pub const INSTANCE_INTERVAL_SECS: i64 = 20;
pub const FAIL_AFTER_SECS: i64 = 15;
/// `cloud_init` may hold at most 64 KiB of UTF-8.
pub const MAX_CLOUD_INIT_BYTES: usize = 65_536;

/// What a procurement brings up: a VM, a container, or a cluster of nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deployment {
    Vm,
    Container,
    Cluster,
}

impl Deployment {
    pub fn of(offer: &Offer) -> Self {
        if offer.is_cluster() {
            Self::Cluster
        } else if offer.kind == Some(MachineKind::Container) {
            Self::Container
        } else {
            Self::Vm
        }
    }

    /// The primary resource's `resource_type`, and the offer type its
    /// history names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vm => "vm",
            Self::Container => "container",
            Self::Cluster => "cluster",
        }
    }
}

/// The SSH user on every vendor (offer-lifecycle guide).
pub const SSH_USER: &str = "root";

/// One instance as the vendor will report it once running.
#[derive(Debug, Clone)]
pub struct NodePlan {
    pub instance_id: String,
    pub instance_name: String,
    pub zone: String,
    pub external_ip: String,
    pub internal_ip: String,
    pub ssh_port: u16,
    pub ssh_user: String,
}

impl NodePlan {
    pub fn ssh_command(&self) -> String {
        if self.ssh_port == 22 {
            format!("ssh {}@{}", self.ssh_user, self.external_ip)
        } else {
            format!(
                "ssh -p {} {}@{}",
                self.ssh_port, self.ssh_user, self.external_ip
            )
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Started,
    InProgress { running: u32 },
    Ready,
    Failed,
}

#[derive(Debug, Clone)]
pub struct Procurement {
    pub offer: Offer,
    pub offer_id: Uuid,
    pub kind: Deployment,
    pub procured_at: DateTime<Utc>,
    pub name: String,
    pub cluster_name: Option<String>,
    pub cloud_init: bool,
    pub nodes: Vec<NodePlan>,
    pub failure: Option<String>,
    pub primary_id: Uuid,
    /// One resource per persistent volume of the offer's `storage_details`.
    pub storage_ids: Vec<Uuid>,
    /// Seeded history only: when the user stopped the instances.
    pub stopped_at: Option<DateTime<Utc>>,
    /// Whether its resources are in the store yet.
    pub materialized: bool,
}

impl Procurement {
    pub fn new(
        offer: Offer,
        offer_id: Uuid,
        request: &ProcureRequest,
        failure: Option<String>,
        now: DateTime<Utc>,
    ) -> Self {
        let kind = Deployment::of(&offer);
        let vendor_name = offer.vendor.clone().unwrap_or_else(|| "vendor".into());
        let region = offer
            .vendor_region
            .clone()
            .unwrap_or_else(|| "region-1".into());
        let gpu = offer
            .gpu_family
            .as_deref()
            .or(offer.gpu_type.as_deref())
            .unwrap_or("gpu")
            .to_ascii_lowercase()
            .replace(' ', "");
        let bits = offer_bits(offer_id);
        let tag = short_hex(mix(&[bits.0, bits.1, 0x7a9]), 6);
        let cluster_name = (kind == Deployment::Cluster).then(|| {
            non_empty(request.cluster_name.as_deref())
                .unwrap_or_else(|| format!("{vendor_name}-cluster-{tag}"))
        });
        let name = non_empty(request.resource_name.as_deref())
            .or_else(|| cluster_name.clone())
            .unwrap_or_else(|| format!("{vendor_name}-{gpu}-{tag}"));
        let count = match kind {
            Deployment::Cluster => offer.node_count.unwrap_or(2).max(1),
            _ => 1,
        };
        let forwarded = catalog::vendor(&vendor_name).is_some_and(|v| v.forwarded_ssh);
        let zone = format!("{region}-a");
        let nodes = (0..count)
            .map(|index| {
                let h = mix(&[bits.0, bits.1, u64::from(index), 0x1b5]);
                let external_ip = if h & 1 == 0 {
                    format!("203.0.113.{}", 1 + (h >> 8) % 254)
                } else {
                    format!("198.51.100.{}", 1 + (h >> 8) % 254)
                };
                let internal_ip = format!(
                    "10.{}.{}.{}",
                    (h >> 16) & 0xff,
                    (h >> 24) & 0xff,
                    2 + (h >> 32) % 250
                );
                NodePlan {
                    instance_id: instance_id(&vendor_name, h),
                    instance_name: match &cluster_name {
                        Some(cluster) => format!("{cluster}-node-{}", index + 1),
                        None => name.clone(),
                    },
                    zone: zone.clone(),
                    external_ip,
                    internal_ip,
                    ssh_port: if forwarded {
                        10_000 + ((h >> 40) % 50_000) as u16
                    } else {
                        22
                    },
                    ssh_user: SSH_USER.to_owned(),
                }
            })
            .collect();
        let persistent = offer
            .storage_details
            .iter()
            .filter(|volume| volume.persistent == Some(true))
            .count();
        let storage_ids = (0..persistent as u64)
            .map(|index| uuid_from(mix(&[bits.0, 0x57a, index]), mix(&[bits.1, 0x57a, index])))
            .collect();
        Self {
            offer,
            offer_id,
            kind,
            procured_at: now,
            name,
            cluster_name,
            cloud_init: request.cloud_init.is_some(),
            nodes,
            failure,
            primary_id: uuid_from(mix(&[bits.0, 0x9e1]), mix(&[bits.1, 0x9e1])),
            storage_ids,
            stopped_at: None,
            materialized: false,
        }
    }

    pub fn resource_ids(&self) -> Vec<Uuid> {
        std::iter::once(self.primary_id)
            .chain(self.storage_ids.iter().copied())
            .collect()
    }

    /// When the procurement reached `ready` or `failed`.
    pub fn settled_at(&self) -> DateTime<Utc> {
        let secs = if self.failure.is_some() {
            FAIL_AFTER_SECS
        } else {
            IN_PROGRESS_AFTER_SECS + INSTANCE_INTERVAL_SECS * self.nodes.len() as i64
        };
        self.procured_at + Duration::seconds(secs)
    }

    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        let elapsed_ms = (now - self.procured_at).num_milliseconds();
        if elapsed_ms < IN_PROGRESS_AFTER_SECS * 1000 {
            return Phase::Started;
        }
        if self.failure.is_some() {
            return if elapsed_ms < FAIL_AFTER_SECS * 1000 {
                Phase::InProgress { running: 0 }
            } else {
                Phase::Failed
            };
        }
        let running =
            (elapsed_ms - IN_PROGRESS_AFTER_SECS * 1000) / (INSTANCE_INTERVAL_SECS * 1000);
        let total = self.nodes.len() as i64;
        if running >= total {
            Phase::Ready
        } else {
            Phase::InProgress {
                running: running as u32,
            }
        }
    }

    pub fn is_stopped(&self, now: DateTime<Utc>) -> bool {
        self.stopped_at.is_some_and(|at| at <= now)
    }

    pub fn procurement_status(&self, now: DateTime<Utc>) -> ProcurementStatus {
        match self.phase(now) {
            Phase::Started => ProcurementStatus::ProvisioningStarted,
            Phase::InProgress { .. } => ProcurementStatus::ProvisioningInProgress,
            Phase::Ready => ProcurementStatus::Ready,
            Phase::Failed => ProcurementStatus::Failed,
        }
    }

    pub fn offer_state(&self, now: DateTime<Utc>) -> OfferState {
        match self.phase(now) {
            Phase::Failed => OfferState::Failed,
            _ => OfferState::Procured,
        }
    }

    /// How many instances run at `now`.
    pub fn running(&self, now: DateTime<Utc>) -> u32 {
        match self.phase(now) {
            Phase::InProgress { running } => running,
            Phase::Ready if !self.is_stopped(now) => self.nodes.len() as u32,
            _ => 0,
        }
    }

    pub fn progress(&self, now: DateTime<Utc>) -> Option<String> {
        let total = self.nodes.len();
        match self.phase(now) {
            Phase::Started => Some("Waiting for the vendor".to_owned()),
            Phase::Failed => None,
            _ => Some(format!("{}/{total} instances running", self.running(now))),
        }
    }

    pub fn instances(&self, now: DateTime<Utc>) -> Vec<InstanceDetail> {
        let phase = self.phase(now);
        if phase == Phase::Started {
            return Vec::new();
        }
        let running = self.running(now) as usize;
        let stopped = phase == Phase::Ready && self.is_stopped(now);
        self.nodes
            .iter()
            .enumerate()
            .map(|(index, node)| {
                let (status, up) = match phase {
                    Phase::Failed => ("error", false),
                    _ if stopped => ("stopped", false),
                    _ if index < running => ("running", true),
                    _ => ("pending", false),
                };
                InstanceDetail {
                    instance_id: node.instance_id.clone(),
                    instance_name: node.instance_name.clone(),
                    zone: node.zone.clone(),
                    external_ip: up.then(|| node.external_ip.clone()),
                    // A stopped instance keeps its private address.
                    internal_ip: (up || stopped).then(|| node.internal_ip.clone()),
                    status: status.to_owned(),
                    ssh_command: up.then(|| node.ssh_command()),
                    extra: Default::default(),
                }
            })
            .collect()
    }
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn offer_bits(id: Uuid) -> (u64, u64) {
    let (hi, lo) = id.as_u64_pair();
    (hi, lo)
}

/// Vendor-flavoured instance ids.
fn instance_id(vendor: &str, h: u64) -> String {
    match vendor {
        "lambda" => short_hex(h, 16),
        "hyperstack" => format!("{}", 100_000 + h % 900_000),
        "scaleway" => uuid_from(h, h.rotate_left(17)).to_string(),
        "runpod" => format!("pod-{}", short_hex(h, 12)),
        "vast" => format!("C.{}", 10_000_000 + h % 9_000_000),
        "coreweave" => format!("cw-{}", short_hex(h, 10)),
        "nebius" => format!("computeinstance-e00{}", short_hex(h, 14)),
        "k0rdent" => format!("instance-{}", short_hex(h, 6)),
        other => format!("{other}-{}", short_hex(h, 10)),
    }
}

/// Schema-level checks of a `procure_offer` body, in FastAPI's shape. The
/// cluster-only rule needs the offer and is checked later.
pub fn parse_request(body: &[u8]) -> Result<(ProcureRequest, Uuid), Vec<ValidationError>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(vec![crate::field_error(
            &["body"],
            "Field required",
            "missing",
        )]);
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|err| vec![crate::invalid_json(&err)])?;
    let Value::Object(map) = value else {
        return Err(vec![crate::not_an_object()]);
    };
    let mut errors = Vec::new();
    let offer_id = crate::string_field(&map, "offer_id", true, &mut errors);
    let uuid = offer_id
        .as_deref()
        .and_then(|raw| match Uuid::parse_str(raw.trim()) {
            Ok(id) => Some(id),
            Err(err) => {
                errors.push(crate::field_error(
                    &["body", "offer_id"],
                    &format!("Input should be a valid UUID, {err}"),
                    "uuid_parsing",
                ));
                None
            }
        });
    let ssh_public_key = crate::string_field(&map, "ssh_public_key", true, &mut errors);
    let cloud_init = crate::string_field(&map, "cloud_init", false, &mut errors);
    let cluster_name = crate::string_field(&map, "cluster_name", false, &mut errors);
    let resource_name = crate::string_field(&map, "resource_name", false, &mut errors);

    if ssh_public_key
        .as_deref()
        .is_some_and(|key| key.trim().is_empty())
    {
        errors.push(crate::field_error(
            &["body", "ssh_public_key"],
            "ssh_public_key must not be empty",
            "string_too_short",
        ));
    }
    // An empty text box means "no script", not a malformed one.
    let cloud_init = cloud_init.filter(|script| !script.trim().is_empty());
    if let Some(script) = &cloud_init {
        if !(script.starts_with("#cloud-config") || script.starts_with("#!/")) {
            errors.push(crate::field_error(
                &["body", "cloud_init"],
                "Value error, cloud_init must start with '#cloud-config' (YAML) or '#!/' (a script)",
                "value_error",
            ));
        }
        if script.len() > MAX_CLOUD_INIT_BYTES {
            errors.push(crate::field_error(
                &["body", "cloud_init"],
                &format!(
                    "Value error, cloud_init is {} bytes; the limit is {MAX_CLOUD_INIT_BYTES} bytes (64 KiB)",
                    script.len()
                ),
                "value_error",
            ));
        }
    }
    match (uuid, ssh_public_key, errors.is_empty()) {
        (Some(uuid), Some(ssh_public_key), true) => Ok((
            ProcureRequest {
                offer_id: uuid.to_string(),
                ssh_public_key,
                cloud_init,
                cluster_name: non_empty(cluster_name.as_deref()),
                resource_name: non_empty(resource_name.as_deref()),
            },
            uuid,
        )),
        _ => Err(errors),
    }
}

/// The error for `cluster_name` on an offer that is not a cluster.
pub fn cluster_name_error() -> ValidationError {
    crate::field_error(
        &["body", "cluster_name"],
        "Value error, cluster_name is only accepted for cluster offers",
        "value_error",
    )
}

/// The reason a failing procurement gives.
pub fn capacity_reason(offer: &Offer) -> String {
    format!(
        "Vendor capacity exhausted in {}: no {} nodes free",
        offer.vendor_region.as_deref().unwrap_or("the region"),
        offer.gpu_type.as_deref().unwrap_or("GPU"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use supply_model::LocItem;

    fn locs(body: &str) -> Vec<Vec<String>> {
        parse_request(body.as_bytes())
            .unwrap_err()
            .iter()
            .map(|e| e.loc.iter().map(LocItem::to_string).collect())
            .collect()
    }

    const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

    fn body_with_cloud_init(script: &str) -> String {
        serde_json::json!({"offer_id": ID, "ssh_public_key": "ssh-ed25519 AAAA x", "cloud_init": script})
            .to_string()
    }

    #[test]
    fn cloud_init_must_start_with_a_known_header() {
        assert!(
            parse_request(body_with_cloud_init("#cloud-config\npackages: [jq]").as_bytes()).is_ok()
        );
        assert!(parse_request(body_with_cloud_init("#!/bin/bash\necho hi").as_bytes()).is_ok());
        assert_eq!(
            locs(&body_with_cloud_init("packages: [jq]")),
            [["body", "cloud_init"]]
        );
        assert_eq!(
            locs(&body_with_cloud_init("#!bash")),
            [["body", "cloud_init"]]
        );
    }

    #[test]
    fn cloud_init_is_capped_at_64_kib_of_utf8() {
        let header = "#cloud-config\n";
        let exact = format!(
            "{header}{}",
            "a".repeat(MAX_CLOUD_INIT_BYTES - header.len())
        );
        assert_eq!(exact.len(), 65_536);
        assert!(parse_request(body_with_cloud_init(&exact).as_bytes()).is_ok());
        let over = format!("{exact}a");
        assert_eq!(locs(&body_with_cloud_init(&over)), [["body", "cloud_init"]]);
        // Bytes, not characters: 'é' is two bytes.
        let wide = format!(
            "{header}{}",
            "é".repeat((MAX_CLOUD_INIT_BYTES - header.len()) / 2 + 1)
        );
        assert!(wide.chars().count() < MAX_CLOUD_INIT_BYTES);
        assert_eq!(locs(&body_with_cloud_init(&wide)), [["body", "cloud_init"]]);
    }

    #[test]
    fn keys_fields_and_json_are_checked() {
        assert_eq!(
            locs(&format!(
                r#"{{"offer_id": "{ID}", "ssh_public_key": "  \n"}}"#
            )),
            [["body", "ssh_public_key"]]
        );
        assert_eq!(
            locs(&format!(r#"{{"offer_id": "{ID}"}}"#)),
            [["body", "ssh_public_key"]]
        );
        assert_eq!(
            locs(r#"{"offer_id": "not-a-uuid", "ssh_public_key": 5}"#),
            [["body", "offer_id"], ["body", "ssh_public_key"]]
        );
        assert_eq!(locs("{\"offer_id\": "), [["body"]]);
        assert_eq!(locs(""), [["body"]]);
        assert_eq!(locs("[]"), [["body"]]);
        let (request, id) = parse_request(
            format!(r#"{{"offer_id": "{ID}", "ssh_public_key": "k", "cloud_init": "", "resource_name": "x"}}"#)
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(id.to_string(), ID);
        assert_eq!(request.cloud_init, None);
        assert_eq!(request.resource_name.as_deref(), Some("x"));
    }
}
