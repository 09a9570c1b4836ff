//! What the procure page says about an offer: whether it can still be
//! ordered (its `status` from `GET /offers/{offer_id}`, its expiry, a 410),
//! the details completed with what only the listing carries, the offer's
//! facts in words, and the base URL a copied curl command names.

use chrono::{DateTime, Utc};

use crate::offer_spec::StorageVolume;
use crate::pricing::{format_gb, format_usd};
use crate::{Offer, OfferSpec, OfferState, StorageDetail};

/// Whether an offer can be ordered now, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// `available`: it can be procured.
    Available,
    /// The answer carried no `status`: the service decides when ordered.
    Unreported,
    /// A status this console does not know, as it came; the service decides.
    Unknown(String),
    /// `procured`: someone already took it.
    Procured,
    /// `failed`: a previous procurement failed.
    Failed,
    /// `expired`, or its `expires_at` has passed.
    Expired,
    /// The order was answered `410 Gone`.
    Gone,
}

/// Where `offer` stands at `now`; `gone` once an order was answered 410.
/// A status the service reports wins over the clock: a procured offer is
/// "procured" even after its expiry time.
pub fn standing(offer: &Offer, now: DateTime<Utc>, gone: bool) -> Standing {
    if gone {
        return Standing::Gone;
    }
    match &offer.status {
        Some(OfferState::Procured) => Standing::Procured,
        Some(OfferState::Failed) => Standing::Failed,
        Some(OfferState::Expired) => Standing::Expired,
        _ if offer.is_expired(now) => Standing::Expired,
        Some(OfferState::Available) => Standing::Available,
        Some(OfferState::Other(raw)) => Standing::Unknown(raw.clone()),
        None => Standing::Unreported,
    }
}

impl Standing {
    /// An order may be sent: the offer is available, or the service did
    /// not say otherwise.
    pub fn can_order(&self) -> bool {
        matches!(self, Self::Available | Self::Unreported | Self::Unknown(_))
    }

    /// The summary's status line.
    pub fn label(&self) -> String {
        match self {
            Self::Available => "Available: it can be procured".into(),
            Self::Unreported => "Not reported by the service".into(),
            Self::Unknown(raw) => {
                format!("“{raw}”: a status this console does not know; the service decides")
            }
            Self::Procured => "Procured: someone already took it".into(),
            Self::Failed => "Failed: a previous procurement failed".into(),
            Self::Expired => "Expired: offers live 30 minutes".into(),
            Self::Gone => "Expired: the service answered 410 Gone".into(),
        }
    }

    /// The alert's title and message when the offer cannot be ordered.
    pub fn blocker(&self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Self::Available | Self::Unreported | Self::Unknown(_) => return None,
            Self::Procured => (
                "This offer was already procured",
                "Someone already took it: this offer can't be procured again.",
            ),
            Self::Failed => (
                "A previous procurement of this offer failed",
                "The offer is no longer available: it can't be procured.",
            ),
            Self::Expired => (
                "This offer expired",
                "Offers live 30 minutes after they are made; this one can no longer be procured.",
            ),
            Self::Gone => (
                "This offer expired",
                "The service answered 410 Gone: offers live 30 minutes after they are made, \
                 and this one can no longer be procured.",
            ),
        })
    }
}

/// `GET /offers/{offer_id}` answers `OfferDetails`, which the reference
/// gives without the listing's `vendor_region`, `type`, `storage_details`
/// and cluster fields. True when `details` carries none of them, so the
/// page completes it from the offer as `get_offers` lists it.
pub fn lacks_listing_fields(details: &Offer) -> bool {
    details.vendor_region.is_none()
        && details.kind.is_none()
        && details.deployment_type.is_none()
        && details.node_count.is_none()
}

/// The spec that lists the offer `details` describes: its GPU (canonical
/// name when known), count, region group, vendor and contract, with the
/// storage volumes the last offers search asked for (an offer is listed,
/// and priced, with the storage of the spec that found it). `None` without
/// a GPU, which the service requires.
pub fn listing_spec(details: &Offer, storage: &[StorageVolume]) -> Option<OfferSpec> {
    let gpu = details
        .gpu_type
        .clone()
        .or_else(|| details.gpu_family.clone())
        .filter(|g| !g.trim().is_empty())?;
    let mut spec = OfferSpec {
        region: details.region.clone(),
        vendor: details.vendor.clone(),
        ..Default::default()
    };
    spec.compute.gpu_types = vec![gpu];
    spec.compute.gpu_count = details.gpu_count;
    spec.compute.contract_type = details
        .contract_type
        .as_ref()
        .map(|c| c.as_str().to_owned());
    spec.storage = storage.to_vec();
    Some(spec)
}

/// `details` with what it leaves out taken from `listed`, the same offer
/// as `get_offers` (or an earlier look) gave it. What the details say
/// wins; the status and `procured_at` are only ever the details'.
pub fn complete_details(mut details: Offer, listed: &Offer) -> Offer {
    if !details.offer_id.eq_ignore_ascii_case(&listed.offer_id) {
        return details;
    }
    macro_rules! fill {
        ($($field:ident),* $(,)?) => {
            $(if details.$field.is_none() {
                details.$field = listed.$field.clone();
            })*
        };
    }
    fill!(
        gpu_type,
        gpu_family,
        gpu_count,
        vendor,
        region,
        vendor_region,
        contract_type,
        kind,
        gpu_price_per_hour,
        storage_price_per_hour,
        total_price_per_hour,
        boot_disk_in_gb,
        vcpu_count,
        memory_in_gb,
        created_at,
        expires_at,
        deployment_type,
        node_count,
        gpus_per_node,
        infiniband_bandwidth_gbps,
        cluster_storage_gb,
    );
    if details.storage_details.is_empty() {
        details.storage_details = listed.storage_details.clone();
    }
    details
}

/// "8 × H100 · nvidia-h100-sxm5-80gb": the summary's heading.
pub fn offer_title(offer: &Offer) -> String {
    match offer.gpu_count {
        Some(count) => format!("{count} × {}", offer.gpu_label()),
        None => offer.gpu_label(),
    }
}

/// "8", or for a cluster "16 (2 nodes × 8 GPUs per node)".
pub fn gpu_count_label(offer: &Offer) -> String {
    let count = offer.gpu_count.map(|n| n.to_string());
    let layout = match (offer.node_count, offer.gpus_per_node) {
        (Some(nodes), Some(per_node)) if offer.is_cluster() => Some(format!(
            "{nodes} {} × {per_node} {} per node",
            plural(nodes, "node", "nodes"),
            plural(per_node, "GPU", "GPUs"),
        )),
        (Some(nodes), None) if offer.is_cluster() => {
            Some(format!("{nodes} {}", plural(nodes, "node", "nodes")))
        }
        _ => None,
    };
    match (count, layout) {
        (Some(count), Some(layout)) => format!("{count} ({layout})"),
        (None, Some(layout)) => layout,
        (Some(count), None) => count,
        (None, None) => "—".into(),
    }
}

fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// "200 GB", or what a `null` boot disk means.
pub fn boot_disk_label(offer: &Offer) -> String {
    offer
        .boot_disk_in_gb
        .map_or_else(|| "not validated by the vendor".into(), format_gb)
}

/// "400 Gb/s".
pub fn bandwidth_label(gbps: Option<f64>) -> String {
    match gbps {
        Some(gbps) if gbps.fract() == 0.0 && gbps.abs() < 1e15 => format!("{} Gb/s", gbps as i64),
        Some(gbps) => format!("{} Gb/s", crate::decimal::fixed(gbps, 1)),
        None => "—".into(),
    }
}

/// One storage volume as the summary lists it, each cell "—" when unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeRow {
    pub name: String,
    pub size: String,
    pub kind: String,
    pub class: String,
    pub persistent: String,
    pub hourly: String,
}

pub fn volume_row(volume: &StorageDetail) -> VolumeRow {
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map_or_else(|| "—".to_owned(), str::to_owned)
    };
    let class = match (text(&volume.storage_class), volume.vendor_class.as_deref()) {
        (class, Some(vendor)) if !vendor.trim().is_empty() && class != vendor => {
            format!("{class} ({})", vendor.trim())
        }
        (class, _) => class,
    };
    VolumeRow {
        name: text(&volume.name),
        size: volume.size_gb.map_or_else(|| "—".into(), format_gb),
        kind: text(&volume.kind),
        class,
        persistent: match volume.persistent {
            Some(true) => "persistent: survives the machine".into(),
            Some(false) => "ephemeral: deleted with the machine".into(),
            None => "—".into(),
        },
        hourly: volume
            .hourly_cost
            .map_or_else(|| "—".into(), |cost| format!("{}/h", format_usd(cost))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(extra: serde_json::Value) -> Offer {
        let mut base = serde_json::json!({
            "offer_id": "a",
            "gpu_type": "nvidia-h100-sxm5-80gb",
            "gpu_family": "H100",
            "gpu_count": 8,
            "expires_at": "2026-11-23T12:30:00Z",
        });
        if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
            base.extend(extra.clone());
        }
        serde_json::from_value(base).unwrap()
    }

    fn at(time: &str) -> DateTime<Utc> {
        time.parse().unwrap()
    }

    #[test]
    fn each_status_is_a_standing() {
        let now = at("2026-11-23T12:00:00Z");
        let later = at("2026-11-23T12:31:00Z");
        let status = |s: &str| offer(serde_json::json!({ "status": s }));
        assert_eq!(
            standing(&status("available"), now, false),
            Standing::Available
        );
        assert_eq!(
            standing(&status("procured"), now, false),
            Standing::Procured
        );
        assert_eq!(standing(&status("failed"), now, false), Standing::Failed);
        assert_eq!(standing(&status("expired"), now, false), Standing::Expired);
        assert_eq!(
            standing(&status("reserved"), now, false),
            Standing::Unknown("reserved".into())
        );
        assert_eq!(
            standing(&offer(serde_json::json!({})), now, false),
            Standing::Unreported
        );
        // The clock: an available offer past its expiry has expired...
        assert_eq!(
            standing(&status("available"), later, false),
            Standing::Expired
        );
        // ...but what the service reported still wins.
        assert_eq!(
            standing(&status("procured"), later, false),
            Standing::Procured
        );
        // A 410 wins over everything.
        assert_eq!(standing(&status("available"), now, true), Standing::Gone);

        for orderable in [
            Standing::Available,
            Standing::Unreported,
            Standing::Unknown("x".into()),
        ] {
            assert!(orderable.can_order());
            assert!(orderable.blocker().is_none());
        }
        for blocked in [
            Standing::Procured,
            Standing::Failed,
            Standing::Expired,
            Standing::Gone,
        ] {
            assert!(!blocked.can_order());
            assert!(blocked.blocker().is_some());
        }
        let (title, message) = Standing::Procured.blocker().unwrap();
        assert!(title.contains("already procured"));
        assert!(message.contains("can't be procured again"));
        assert!(Standing::Expired
            .blocker()
            .unwrap()
            .1
            .contains("30 minutes"));
        assert!(Standing::Failed
            .label()
            .contains("previous procurement failed"));
    }

    #[test]
    fn details_are_completed_from_the_listing() {
        // What `GET /offers/{id}` answers, per the reference.
        let details = offer(serde_json::json!({
            "vendor": "nebius", "region": "EU", "contract_type": "ondemand",
            "status": "available", "total_price_per_hour": 20.0, "boot_disk_in_gb": null,
        }));
        assert!(lacks_listing_fields(&details));
        let spec = listing_spec(&details, &[]).unwrap();
        assert_eq!(spec.compute.gpu_types, ["nvidia-h100-sxm5-80gb"]);
        assert_eq!(spec.compute.gpu_count, Some(8));
        assert_eq!(spec.region.as_deref(), Some("EU"));
        assert_eq!(spec.vendor.as_deref(), Some("nebius"));
        assert_eq!(spec.compute.contract_type.as_deref(), Some("ondemand"));
        assert!(spec.storage.is_empty());
        let volume = StorageVolume {
            kind: "filesystem".into(),
            size: Some("2TB".into()),
            ..Default::default()
        };
        let with_storage = listing_spec(&details, std::slice::from_ref(&volume)).unwrap();
        assert_eq!(with_storage.storage, [volume]);
        assert_eq!(listing_spec(&Offer::default(), &[]), None);

        let listed = offer(serde_json::json!({
            "vendor_region": "eu-north1", "type": "vm", "node_count": 2, "gpus_per_node": 4,
            "deployment_type": "cluster", "total_price_per_hour": 99.0, "status": "expired",
            "storage_details": [{"name": "data", "size_gb": 100}],
        }));
        let complete = complete_details(details.clone(), &listed);
        assert_eq!(complete.vendor_region.as_deref(), Some("eu-north1"));
        assert_eq!(complete.kind, Some(crate::MachineKind::Vm));
        assert!(complete.is_cluster());
        assert_eq!(complete.storage_details.len(), 1);
        // The details win, and the status is only theirs.
        assert_eq!(complete.total_price_per_hour, Some(20.0));
        assert_eq!(complete.status, Some(OfferState::Available));
        assert!(!lacks_listing_fields(&complete));
        // Another offer's listing is not this one's.
        let other = Offer {
            offer_id: "b".into(),
            ..listed
        };
        assert_eq!(complete_details(details.clone(), &other), details);
    }

    #[test]
    fn facts_in_words() {
        let vm = offer(serde_json::json!({ "boot_disk_in_gb": 200 }));
        assert_eq!(offer_title(&vm), "8 × H100 · nvidia-h100-sxm5-80gb");
        assert_eq!(gpu_count_label(&vm), "8");
        assert_eq!(boot_disk_label(&vm), "200 GB");
        let unvalidated = offer(serde_json::json!({ "boot_disk_in_gb": null }));
        assert_eq!(boot_disk_label(&unvalidated), "not validated by the vendor");

        let cluster = offer(serde_json::json!({
            "gpu_count": 16, "node_count": 2, "gpus_per_node": 8,
            "infiniband_bandwidth_gbps": 400, "cluster_storage_gb": 2048,
        }));
        assert_eq!(gpu_count_label(&cluster), "16 (2 nodes × 8 GPUs per node)");
        assert_eq!(
            bandwidth_label(cluster.infiniband_bandwidth_gbps),
            "400 Gb/s"
        );
        assert_eq!(bandwidth_label(Some(3.2)), "3.2 Gb/s");
        assert_eq!(bandwidth_label(None), "—");
        let unknown = Offer::default();
        assert_eq!(gpu_count_label(&unknown), "—");
        assert_eq!(offer_title(&unknown), "GPU");
    }

    #[test]
    fn volumes_in_words() {
        let volume: StorageDetail = serde_json::from_value(serde_json::json!({
            "name": "data", "size_gb": 2000, "type": "filesystem",
            "storage_class": "standard", "vendor_class": "network-ssd",
            "persistent": true, "hourly_cost": 0.12,
        }))
        .unwrap();
        let row = volume_row(&volume);
        assert_eq!(row.name, "data");
        assert_eq!(row.size, "2000 GB");
        assert_eq!(row.kind, "filesystem");
        assert_eq!(row.class, "standard (network-ssd)");
        assert!(row.persistent.starts_with("persistent"));
        assert_eq!(row.hourly, "$0.120/h");
        let empty = volume_row(&StorageDetail::default());
        assert_eq!(
            [
                empty.name,
                empty.size,
                empty.kind,
                empty.class,
                empty.persistent,
                empty.hourly
            ],
            ["—", "—", "—", "—", "—", "—"]
        );
    }

    #[test]
    fn the_copied_order_is_the_published_body() {
        let draft = crate::procure_form::ProcureDraft {
            ssh_public_key: "ssh-ed25519 AAAA me@host".into(),
            cloud_init: "#cloud-config\nruncmd: ['echo it''s']\n".into(),
            cluster_name: "ignored-on-a-vm".into(),
            ..Default::default()
        };
        let call = crate::supply_calls::procure(&draft.to_request("a", false));
        let text = crate::supply_calls::curl("https://api.example.com", &call);
        assert!(text.starts_with("curl --request POST 'https://api.example.com/procure_offer'"));
        assert!(text.contains("Bearer $SUPPLY_TOKEN"), "{text}");
        let (_, body) = call.body.unwrap();
        let sent: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            sent,
            serde_json::json!({
                "offer_id": "a",
                "ssh_public_key": "ssh-ed25519 AAAA me@host",
                "cloud_init": "#cloud-config\nruncmd: ['echo it''s']\n",
            })
        );
        // The body survives the shell quoting unchanged.
        let quoted = text.rsplit_once("--data-binary ").unwrap().1;
        let unquoted = quoted
            .strip_prefix('\'')
            .and_then(|q| q.strip_suffix('\''))
            .unwrap()
            .replace("'\\''", "'");
        assert_eq!(unquoted, body);
        let named = draft.to_request("a", true);
        assert_eq!(named.cluster_name.as_deref(), Some("ignored-on-a-vm"));
    }
}
