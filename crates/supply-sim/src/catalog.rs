//! The offer catalog. Every offer is a pure function of the seed, its slot
//! and its generation: slot `i` holds one live offer at a time, and when it
//! expires the next generation of the same slot (same shape, new price
//! variation, new id) takes its place, so the live count stays N.
//!
//! Offer ids encode (slot, generation) with a keyed permutation, so any id
//! ever served can be recognised later (410 for expired ones) without
//! remembering every offer.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use supply_model::{GetOffersRequest, Offer, OfferType, ValidationError};
use uuid::Uuid;

use crate::rng::{mix, SplitMix64};
use crate::ApiTime;

/// Offers expire 30 minutes after they are made.
pub const OFFER_LIFETIME_SECS: i64 = 30 * 60;

pub struct Vendor {
    pub name: &'static str,
    pub regions: &'static [&'static str],
    /// Price multiplier against the per-GPU base price.
    pub factor: f64,
    /// Vendors that hand out containers behind a forwarded port log in as
    /// `ubuntu` with `ssh -p`.
    pub forwarded_ssh: bool,
}

pub const VENDORS: &[Vendor] = &[
    Vendor {
        name: "lambda",
        regions: &["us-east-1", "us-west-1", "us-south-1"],
        factor: 1.0,
        forwarded_ssh: false,
    },
    Vendor {
        name: "runpod",
        regions: &["US-TX-3", "EU-RO-1", "CA-MTL-1"],
        factor: 0.95,
        forwarded_ssh: true,
    },
    Vendor {
        name: "vast",
        regions: &["us-ca", "eu-de", "asia-jp", "us-tx"],
        factor: 0.78,
        forwarded_ssh: true,
    },
    Vendor {
        name: "coreweave",
        regions: &["US-EAST-04", "US-WEST-01", "US-CENTRAL-02"],
        factor: 1.12,
        forwarded_ssh: false,
    },
    Vendor {
        name: "nebius",
        regions: &["eu-north1", "eu-west1"],
        factor: 1.04,
        forwarded_ssh: false,
    },
    Vendor {
        name: "k0rdent",
        regions: &["us-texas-1", "us-california-1"],
        factor: 0.92,
        forwarded_ssh: false,
    },
];

pub fn vendor(name: &str) -> Option<&'static Vendor> {
    VENDORS.iter().find(|v| v.name.eq_ignore_ascii_case(name))
}

pub struct GpuModel {
    pub name: &'static str,
    pub full_name: &'static str,
    pub memory_gb: f64,
    /// USD per GPU-hour before the vendor factor.
    pub price: f64,
    pub vcpus: u32,
    pub ram_gb: u32,
    pub disk_gb: u32,
    /// How often the type appears.
    pub weight: u32,
    /// Sold as multi-node clusters and bare metal.
    pub datacenter: bool,
    pub amd: bool,
}

pub const GPUS: &[GpuModel] = &[
    GpuModel {
        name: "H100",
        full_name: "NVIDIA H100 80GB SXM5",
        memory_gb: 80.0,
        price: 2.49,
        vcpus: 26,
        ram_gb: 225,
        disk_gb: 2750,
        weight: 26,
        datacenter: true,
        amd: false,
    },
    GpuModel {
        name: "H200",
        full_name: "NVIDIA H200 141GB SXM5",
        memory_gb: 141.0,
        price: 3.49,
        vcpus: 24,
        ram_gb: 250,
        disk_gb: 3000,
        weight: 10,
        datacenter: true,
        amd: false,
    },
    GpuModel {
        name: "B200",
        full_name: "NVIDIA B200 192GB SXM6",
        memory_gb: 192.0,
        price: 5.29,
        vcpus: 28,
        ram_gb: 280,
        disk_gb: 3800,
        weight: 6,
        datacenter: true,
        amd: false,
    },
    GpuModel {
        name: "A100",
        full_name: "NVIDIA A100 80GB SXM4",
        memory_gb: 80.0,
        price: 1.79,
        vcpus: 30,
        ram_gb: 225,
        disk_gb: 2000,
        weight: 14,
        datacenter: true,
        amd: false,
    },
    GpuModel {
        name: "A100",
        full_name: "NVIDIA A100 40GB PCIe",
        memory_gb: 40.0,
        price: 1.29,
        vcpus: 30,
        ram_gb: 200,
        disk_gb: 512,
        weight: 8,
        datacenter: false,
        amd: false,
    },
    GpuModel {
        name: "L40S",
        full_name: "NVIDIA L40S 48GB",
        memory_gb: 48.0,
        price: 0.99,
        vcpus: 16,
        ram_gb: 62,
        disk_gb: 512,
        weight: 12,
        datacenter: false,
        amd: false,
    },
    GpuModel {
        name: "A10",
        full_name: "NVIDIA A10 24GB",
        memory_gb: 24.0,
        price: 0.75,
        vcpus: 30,
        ram_gb: 200,
        disk_gb: 1400,
        weight: 8,
        datacenter: false,
        amd: false,
    },
    GpuModel {
        name: "RTX4090",
        full_name: "NVIDIA GeForce RTX 4090 24GB",
        memory_gb: 24.0,
        price: 0.44,
        vcpus: 12,
        ram_gb: 62,
        disk_gb: 250,
        weight: 10,
        datacenter: false,
        amd: false,
    },
    GpuModel {
        name: "MI300X",
        full_name: "AMD Instinct MI300X 192GB",
        memory_gb: 192.0,
        price: 2.49,
        vcpus: 20,
        ram_gb: 256,
        disk_gb: 3000,
        weight: 6,
        datacenter: true,
        amd: true,
    },
];

/// The fixed shape of one catalog slot; only price, availability and id
/// change between generations.
#[derive(Debug, Clone)]
struct Slot {
    vendor: usize,
    region: usize,
    gpu: usize,
    offer_type: OfferType,
    gpu_count: u32,
    node_count: Option<u32>,
    /// How long before the start the first generation was made, so the
    /// first expiries spread over the next 30 minutes.
    stagger_secs: i64,
}

impl Slot {
    fn generate(seed: u64, index: u32) -> Self {
        let mut rng = SplitMix64::new(mix(&[seed, 0x510b, u64::from(index)]));
        let vendor = rng.below(VENDORS.len() as u64) as usize;
        let region = rng.below(VENDORS[vendor].regions.len() as u64) as usize;
        let offer_type = match rng.below(100) {
            0..=73 => OfferType::Vm,
            74..=92 => OfferType::Cluster,
            _ => OfferType::BareMetal,
        };
        let multi_gpu = !matches!(offer_type, OfferType::Vm);
        let weights: Vec<u32> = GPUS
            .iter()
            .map(|g| {
                if multi_gpu && !g.datacenter {
                    0
                } else {
                    g.weight
                }
            })
            .collect();
        let gpu = rng.weighted(&weights);
        let (gpu_count, node_count) = match offer_type {
            OfferType::Cluster => {
                let nodes = 2 + rng.below(15) as u32;
                (nodes * 8, Some(nodes))
            }
            OfferType::BareMetal => (8, None),
            _ => ([1, 2, 4, 8][rng.weighted(&[35, 25, 20, 20])], None),
        };
        Self {
            vendor,
            region,
            gpu,
            offer_type,
            gpu_count,
            node_count,
            stagger_secs: rng.below(OFFER_LIFETIME_SECS as u64) as i64,
        }
    }
}

pub struct Catalog {
    seed: u64,
    start: DateTime<Utc>,
    slots: Vec<Slot>,
    /// The live offer of each slot with its generation, rebuilt lazily.
    current: Vec<(u32, Offer)>,
    keys: [u32; 4],
}

impl Catalog {
    pub fn new(seed: u64, size: usize, start: DateTime<Utc>) -> Self {
        let size = size.min(u32::MAX as usize);
        let slots: Vec<Slot> = (0..size as u32).map(|i| Slot::generate(seed, i)).collect();
        let mut key_rng = SplitMix64::new(mix(&[seed, 0x0ff3_71d5]));
        let keys = std::array::from_fn(|_| key_rng.next_u64() as u32);
        let mut catalog = Self {
            seed,
            start,
            slots,
            current: Vec::new(),
            keys,
        };
        catalog.current = (0..catalog.slots.len() as u32)
            .map(|i| (0, catalog.build(i, 0)))
            .collect();
        catalog
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn first_created(&self, slot: u32) -> DateTime<Utc> {
        self.start - Duration::seconds(self.slots[slot as usize].stagger_secs)
    }

    fn created_at(&self, slot: u32, generation: u32) -> DateTime<Utc> {
        self.first_created(slot) + Duration::seconds(OFFER_LIFETIME_SECS * i64::from(generation))
    }

    fn generation_at(&self, slot: u32, now: DateTime<Utc>) -> u32 {
        let age = (now - self.first_created(slot)).num_milliseconds();
        (age.max(0) / (OFFER_LIFETIME_SECS * 1000)).min(i64::from(u32::MAX)) as u32
    }

    /// Replaces every offer that has expired by `now` with its successor.
    pub fn refresh(&mut self, now: DateTime<Utc>) {
        for slot in 0..self.slots.len() as u32 {
            let generation = self.generation_at(slot, now);
            if self.current[slot as usize].0 != generation {
                let offer = self.build(slot, generation);
                self.current[slot as usize] = (generation, offer);
            }
        }
    }

    /// The live offers as of the last [`Catalog::refresh`].
    pub fn live(&self) -> impl Iterator<Item = &Offer> {
        self.current.iter().map(|(_, offer)| offer)
    }

    /// Any offer served up to `now`, live or expired; `None` for ids this
    /// catalog never made.
    pub fn lookup(&self, id: Uuid, now: DateTime<Utc>) -> Option<Offer> {
        let (slot, generation) = self.decode(id)?;
        if generation > self.generation_at(slot, now) {
            return None;
        }
        match self.current.get(slot as usize) {
            Some((current, offer)) if *current == generation => Some(offer.clone()),
            _ => Some(self.build(slot, generation)),
        }
    }

    fn offer_id(&self, slot: u32, generation: u32) -> Uuid {
        let plain = (u64::from(slot) << 32) | u64::from(generation);
        let cipher = feistel(&self.keys, plain, false).to_be_bytes();
        let check = mix(&[self.seed, 0xc4ec, plain]).to_be_bytes();
        let mut bytes = [0u8; 16];
        // Cipher bytes avoid the version (6) and variant (8) positions.
        for (position, byte) in [0, 1, 2, 3, 4, 5, 7, 9].into_iter().zip(cipher) {
            bytes[position] = byte;
        }
        bytes[6] = 0x40 | (check[0] & 0x0f);
        bytes[8] = 0x80 | (check[1] & 0x3f);
        bytes[10..].copy_from_slice(&check[2..]);
        Uuid::from_bytes(bytes)
    }

    fn decode(&self, id: Uuid) -> Option<(u32, u32)> {
        let bytes = id.as_bytes();
        let mut cipher = [0u8; 8];
        for (slot, position) in cipher.iter_mut().zip([0, 1, 2, 3, 4, 5, 7, 9]) {
            *slot = bytes[position];
        }
        let plain = feistel(&self.keys, u64::from_be_bytes(cipher), true);
        let (slot, generation) = ((plain >> 32) as u32, plain as u32);
        ((slot as usize) < self.slots.len() && self.offer_id(slot, generation) == id)
            .then_some((slot, generation))
    }

    fn build(&self, slot_index: u32, generation: u32) -> Offer {
        let slot = &self.slots[slot_index as usize];
        let vendor = &VENDORS[slot.vendor];
        let gpu = &GPUS[slot.gpu];
        let mut rng = SplitMix64::new(mix(&[
            self.seed,
            0x9e4,
            u64::from(slot_index),
            u64::from(generation),
        ]));
        let variation = 0.9 + rng.unit() * 0.2;
        let type_factor = match slot.offer_type {
            OfferType::Cluster => 0.97,
            OfferType::BareMetal => 0.95,
            _ => 1.0,
        };
        let price = gpu.price * f64::from(slot.gpu_count) * vendor.factor * type_factor * variation;
        let created = self.created_at(slot_index, generation);
        let count = slot.gpu_count;
        let nodes = slot.node_count.unwrap_or(1);
        let interconnect = match (slot.offer_type.clone(), gpu.amd, count) {
            (_, true, 8..) => "AMD Infinity Fabric",
            (OfferType::Cluster, _, _) => "InfiniBand NDR 3.2 Tb/s",
            (_, _, 8..) => "NVLink 4.0",
            _ => "PCIe Gen5",
        };
        let region = vendor.regions[slot.region];
        let mut spec = json!({
            "gpu_model": gpu.full_name,
            "interconnect": interconnect,
            "zone": format!("{region}-a"),
            "image": if gpu.amd { "ubuntu-22.04-rocm-6.2" } else { "ubuntu-22.04-cuda-12.4" },
        });
        if let Value::Object(map) = &mut spec {
            if gpu.amd {
                map.insert("rocm_version".into(), json!("6.2"));
            } else {
                map.insert("cuda_version".into(), json!("12.4"));
                map.insert("driver_version".into(), json!("550.127.05"));
            }
            if let Some(nodes) = slot.node_count {
                map.insert("gpus_per_node".into(), json!(8));
                map.insert("nodes".into(), json!(nodes));
            }
        }
        Offer {
            offer_id: self.offer_id(slot_index, generation).to_string(),
            offer_type: Some(slot.offer_type.clone()),
            vendor: Some(vendor.name.to_owned()),
            vendor_region: Some(region.to_owned()),
            gpu_type: Some(gpu.name.to_owned()),
            gpu_count: Some(count),
            gpu_memory_gb: Some(gpu.memory_gb),
            vcpus: Some(gpu.vcpus * count),
            memory_gb: Some(f64::from(gpu.ram_gb * count)),
            storage_gb: Some(f64::from(gpu.disk_gb * count.max(nodes))),
            node_count: slot.node_count,
            pricing_hourly: Some((price * 100.0).round() / 100.0),
            available: Some(rng.below(100) < 93),
            created_at: Some(ApiTime::from_datetime(created)),
            expires_at: Some(ApiTime::from_datetime(
                created + Duration::seconds(OFFER_LIFETIME_SECS),
            )),
            spec: Some(spec),
            extra: Default::default(),
        }
    }
}

/// A 4-round Feistel permutation of 64-bit values keyed by the seed.
fn feistel(keys: &[u32; 4], value: u64, inverse: bool) -> u64 {
    let round = |half: u32, key: u32| mix(&[u64::from(half), u64::from(key)]) as u32;
    let (mut left, mut right) = ((value >> 32) as u32, value as u32);
    if inverse {
        for key in keys.iter().rev() {
            (left, right) = (right ^ round(left, *key), left);
        }
    } else {
        for key in keys {
            (left, right) = (right, left ^ round(right, *key));
        }
    }
    (u64::from(left) << 32) | u64::from(right)
}

pub fn offer_expires_at(offer: &Offer) -> Option<DateTime<Utc>> {
    offer.expires_at.as_ref()?.parsed()
}

/// Whether an offer passes the `get_offers` filters.
pub fn matches(offer: &Offer, filter: &GetOffersRequest) -> bool {
    fn same(want: &Option<String>, have: &Option<String>) -> bool {
        match (want, have) {
            (None, _) => true,
            (Some(want), Some(have)) => want.trim().eq_ignore_ascii_case(have),
            (Some(_), None) => false,
        }
    }
    same(&filter.gpu_type, &offer.gpu_type)
        && same(&filter.vendor, &offer.vendor)
        && same(&filter.vendor_region, &offer.vendor_region)
        && filter
            .gpu_count
            .is_none_or(|want| offer.gpu_count == Some(want))
        && filter.offer_type.as_ref().is_none_or(|want| {
            offer
                .offer_type
                .as_ref()
                .is_some_and(|have| have.as_str().eq_ignore_ascii_case(want.as_str()))
        })
        && filter
            .max_price_hourly
            .is_none_or(|max| offer.pricing_hourly.is_some_and(|price| price <= max))
}

/// Reads the `get_offers` body: empty or `{}` means no filter; fields of the
/// wrong type give FastAPI-style errors naming the field.
pub fn parse_filter(body: &[u8]) -> Result<GetOffersRequest, Vec<ValidationError>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(GetOffersRequest::default());
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|err| vec![crate::invalid_json(&err)])?;
    let map = match value {
        Value::Null => return Ok(GetOffersRequest::default()),
        Value::Object(map) => map,
        _ => return Err(vec![crate::not_an_object()]),
    };
    let mut errors = Vec::new();
    let mut text = |field: &str| crate::string_field(&map, field, false, &mut errors);
    let gpu_type = text("gpu_type");
    let vendor = text("vendor");
    let vendor_region = text("vendor_region");
    let offer_type = text("offer_type").map(|raw| OfferType::from_wire(&raw));
    let gpu_count = match map.get("gpu_count") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                errors.push(crate::field_error(
                    &["body", "gpu_count"],
                    "Input should be a valid non-negative integer",
                    "int_parsing",
                ));
                None
            }
        },
    };
    let max_price_hourly = match map.get("max_price_hourly") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_f64() {
            Some(n) => Some(n),
            None => {
                errors.push(crate::field_error(
                    &["body", "max_price_hourly"],
                    "Input should be a valid number",
                    "float_parsing",
                ));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(GetOffersRequest {
            gpu_type,
            gpu_count,
            vendor,
            vendor_region,
            offer_type,
            max_price_hourly,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use supply_model::LocItem;

    fn loc_of(error: &ValidationError) -> Vec<String> {
        error.loc.iter().map(LocItem::to_string).collect()
    }

    fn start() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_seed_decides_the_catalog() {
        let a = Catalog::new(42, 50, start());
        let b = Catalog::new(42, 50, start());
        let c = Catalog::new(43, 50, start());
        let ids = |cat: &Catalog| cat.live().map(|o| o.offer_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(
            a.live().cloned().collect::<Vec<_>>(),
            b.live().cloned().collect::<Vec<_>>()
        );
        assert_ne!(ids(&a), ids(&c));
    }

    #[test]
    fn ids_decode_only_for_this_catalog() {
        let catalog = Catalog::new(42, 20, start());
        let other = Catalog::new(7, 20, start());
        for (slot, generation) in [(0, 0), (19, 3), (5, 1000)] {
            let id = catalog.offer_id(slot, generation);
            assert_eq!(id.get_version_num(), 4);
            assert_eq!(catalog.decode(id), Some((slot, generation)));
            assert_eq!(other.decode(id), None);
        }
        assert_eq!(catalog.decode(Uuid::new_v4()), None);
        // A slot beyond the catalog's size is unknown.
        let bigger = Catalog::new(42, 40, start());
        assert_eq!(catalog.decode(bigger.offer_id(30, 0)), None);
    }

    #[test]
    fn offers_look_plausible() {
        let catalog = Catalog::new(42, 600, start());
        let offers: Vec<&Offer> = catalog.live().collect();
        let vendors: std::collections::BTreeSet<_> =
            offers.iter().filter_map(|o| o.vendor.clone()).collect();
        assert!(vendors.len() >= 5, "{vendors:?}");
        let mut kinds = std::collections::BTreeSet::new();
        for offer in &offers {
            let kind = offer.offer_type.clone().unwrap();
            kinds.insert(kind.as_str().to_owned());
            let count = offer.gpu_count.unwrap();
            match kind {
                OfferType::Cluster => {
                    let nodes = offer.node_count.unwrap();
                    assert!((2..=16).contains(&nodes));
                    assert_eq!(count, nodes * 8);
                }
                OfferType::Vm => assert!([1, 2, 4, 8].contains(&count)),
                _ => assert_eq!(count, 8),
            }
            let price = offer.pricing_hourly.unwrap();
            assert!(price > 0.0);
            assert_eq!((price * 100.0).round() / 100.0, price);
            let created = offer.created_at.as_ref().unwrap().parsed().unwrap();
            let expires = offer_expires_at(offer).unwrap();
            assert_eq!(expires - created, Duration::seconds(OFFER_LIFETIME_SECS));
            assert!(expires > start() && expires <= start() + Duration::minutes(30));
        }
        assert_eq!(kinds.len(), 3, "{kinds:?}");
        // Expiries spread over the window rather than all at once.
        let early = offers
            .iter()
            .filter(|o| offer_expires_at(o).unwrap() < start() + Duration::minutes(10))
            .count();
        assert!(early > 100 && early < 300, "{early}");
    }

    #[test]
    fn expired_offers_are_replaced_and_still_known() {
        let mut catalog = Catalog::new(42, 100, start());
        let before: Vec<Offer> = catalog.live().cloned().collect();
        let later = start() + Duration::minutes(45);
        catalog.refresh(later);
        let after: Vec<Offer> = catalog.live().cloned().collect();
        assert_eq!(after.len(), 100);
        for (old, new) in before.iter().zip(&after) {
            assert_ne!(old.offer_id, new.offer_id);
            assert_eq!(old.gpu_type, new.gpu_type);
            assert_eq!(old.offer_type, new.offer_type);
            assert!(offer_expires_at(new).unwrap() > later);
            let id = Uuid::parse_str(&old.offer_id).unwrap();
            assert_eq!(catalog.lookup(id, later).as_ref(), Some(old));
        }
        // An id from a generation that has not happened yet is unknown.
        assert!(catalog.lookup(catalog.offer_id(0, 5), later).is_none());
    }

    #[test]
    fn filters_match_case_insensitively() {
        let catalog = Catalog::new(42, 300, start());
        let filter = GetOffersRequest {
            gpu_type: Some("h100".into()),
            vendor: Some("LAMBDA".into()),
            ..Default::default()
        };
        let hits: Vec<&Offer> = catalog.live().filter(|o| matches(o, &filter)).collect();
        assert!(!hits.is_empty());
        assert!(hits.iter().all(
            |o| o.gpu_type.as_deref() == Some("H100") && o.vendor.as_deref() == Some("lambda")
        ));

        let cheap = GetOffersRequest {
            max_price_hourly: Some(2.0),
            gpu_count: Some(1),
            offer_type: Some(OfferType::Vm),
            ..Default::default()
        };
        let hits: Vec<&Offer> = catalog.live().filter(|o| matches(o, &cheap)).collect();
        assert!(!hits.is_empty());
        assert!(hits
            .iter()
            .all(|o| o.pricing_hourly.unwrap() <= 2.0 && o.gpu_count == Some(1)));

        let region = GetOffersRequest {
            vendor_region: Some("us-tx-3".into()),
            ..Default::default()
        };
        assert!(catalog
            .live()
            .filter(|o| matches(o, &region))
            .all(|o| o.vendor_region.as_deref() == Some("US-TX-3")));
        assert!(catalog.live().any(|o| matches(o, &region)));
    }

    #[test]
    fn filter_bodies_parse_or_name_the_field() {
        assert_eq!(parse_filter(b"").unwrap(), GetOffersRequest::default());
        assert_eq!(parse_filter(b"{}").unwrap(), GetOffersRequest::default());
        let parsed = parse_filter(br#"{"gpu_count": 8, "offer_type": "cluster"}"#).unwrap();
        assert_eq!(parsed.gpu_count, Some(8));
        assert_eq!(parsed.offer_type, Some(OfferType::Cluster));
        let errors = parse_filter(br#"{"gpu_count": "8"}"#).unwrap_err();
        assert_eq!(loc_of(&errors[0]), ["body", "gpu_count"]);
        let errors = parse_filter(b"{nope").unwrap_err();
        assert_eq!(loc_of(&errors[0]), ["body"]);
        assert!(parse_filter(b"[1]").is_err());
    }
}
