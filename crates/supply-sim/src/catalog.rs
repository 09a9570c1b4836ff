//! The offer catalog. Every offer is a pure function of the seed, its slot
//! and its generation: slot `i` holds one live offer at a time, and when it
//! expires the next generation of the same slot (same shape, new price
//! variation, new id) takes its place, so the live count stays N.
//!
//! Offer ids encode (slot, generation) with a keyed permutation, so any id
//! ever served can be recognised later (410 for expired ones) without
//! remembering every offer.
//!
//! GPU families, canonical names and price bands follow the gpu-selection
//! guide; vendors sell in vendor regions that belong to the region groups
//! US, EU, APAC and Other.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use supply_model::offer_spec::{GPU_COUNTS, REGION_GROUPS};
use supply_model::{ContractType, MachineKind, Offer, StorageDetail};
use uuid::Uuid;

use crate::rng::{mix, SplitMix64};
use crate::spec::{OfferQuery, Volume};
use crate::ApiTime;

/// Offers expire 30 minutes after they are made.
pub const OFFER_LIFETIME_SECS: i64 = 30 * 60;
/// How storage prices per month become prices per hour.
pub const HOURS_PER_MONTH: f64 = 730.0;
/// `deployment_type` of multi-node offers, and of the others.
pub const CLUSTER: &str = "cluster";
pub const SINGLE: &str = "single";

/// A GPU family of the gpu-selection guide with its typical USD per
/// GPU-hour.
pub struct Family {
    pub name: &'static str,
    pub min_price: f64,
    pub max_price: f64,
    /// How often the family appears.
    pub weight: u32,
    /// Sold as multi-node clusters too.
    pub multi_node: bool,
}

pub const FAMILIES: &[Family] = &[
    Family {
        name: "H100",
        min_price: 2.0,
        max_price: 5.0,
        weight: 24,
        multi_node: true,
    },
    Family {
        name: "H200",
        min_price: 3.0,
        max_price: 6.0,
        weight: 10,
        multi_node: true,
    },
    Family {
        name: "A100",
        min_price: 1.0,
        max_price: 3.0,
        weight: 20,
        multi_node: true,
    },
    Family {
        name: "L40S",
        min_price: 1.0,
        max_price: 2.0,
        weight: 14,
        multi_node: false,
    },
    Family {
        name: "L4",
        min_price: 0.30,
        max_price: 1.0,
        weight: 14,
        multi_node: false,
    },
    Family {
        name: "RTX 4090",
        min_price: 0.30,
        max_price: 0.80,
        weight: 18,
        multi_node: false,
    },
];

pub fn family(name: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.name == name)
}

/// One canonical GPU name.
pub struct GpuModel {
    pub name: &'static str,
    pub family: &'static str,
    /// USD per GPU-hour before the vendor factor, kept inside the band.
    pub price: f64,
    pub vcpus: u32,
    pub memory_gb: u32,
    /// How often it appears within its family.
    pub weight: u32,
}

pub const GPUS: &[GpuModel] = &[
    GpuModel {
        name: "nvidia-h100-sxm5-80gb",
        family: "H100",
        price: 3.0,
        vcpus: 26,
        memory_gb: 225,
        weight: 3,
    },
    GpuModel {
        name: "nvidia-h100-pcie-80gb",
        family: "H100",
        price: 2.45,
        vcpus: 24,
        memory_gb: 180,
        weight: 2,
    },
    GpuModel {
        name: "nvidia-h200-sxm5-141gb",
        family: "H200",
        price: 4.0,
        vcpus: 24,
        memory_gb: 250,
        weight: 1,
    },
    GpuModel {
        name: "nvidia-a100-sxm4-80gb",
        family: "A100",
        price: 1.85,
        vcpus: 30,
        memory_gb: 225,
        weight: 2,
    },
    GpuModel {
        name: "nvidia-a100-pcie-80gb",
        family: "A100",
        price: 1.6,
        vcpus: 24,
        memory_gb: 160,
        weight: 1,
    },
    GpuModel {
        name: "nvidia-a100-pcie-40gb",
        family: "A100",
        price: 1.25,
        vcpus: 16,
        memory_gb: 110,
        weight: 1,
    },
    GpuModel {
        name: "nvidia-l40s-pcie-48gb",
        family: "L40S",
        price: 1.35,
        vcpus: 16,
        memory_gb: 62,
        weight: 1,
    },
    GpuModel {
        name: "nvidia-l4-pcie-24gb",
        family: "L4",
        price: 0.6,
        vcpus: 8,
        memory_gb: 32,
        weight: 1,
    },
    GpuModel {
        name: "nvidia-rtx-4090-24gb",
        family: "RTX 4090",
        price: 0.5,
        vcpus: 12,
        memory_gb: 62,
        weight: 1,
    },
];

/// A storage volume kind a vendor sells in each of its regions.
pub struct StorageOption {
    /// `block_disk` or `filesystem`.
    pub kind: &'static str,
    /// `standard`, `performance`, `economy` or `premium`.
    pub class: &'static str,
    /// The vendor's own name for it.
    pub vendor_class: &'static str,
    pub price_per_gb_month: f64,
    /// Whether a volume can outlive the machine.
    pub persistent: bool,
}

const fn storage(
    kind: &'static str,
    class: &'static str,
    vendor_class: &'static str,
    price_per_gb_month: f64,
    persistent: bool,
) -> StorageOption {
    StorageOption {
        kind,
        class,
        vendor_class,
        price_per_gb_month,
        persistent,
    }
}

pub struct Vendor {
    pub name: &'static str,
    /// Sells containers on shared hosts (`type: container`) rather than VMs.
    pub container: bool,
    /// Vendor regions with their region group.
    pub regions: &'static [(&'static str, &'static str)],
    pub families: &'static [&'static str],
    /// Price multiplier against the per-GPU base price.
    pub factor: f64,
    pub spot: bool,
    /// Sells multi-node clusters, with this InfiniBand bandwidth.
    pub infiniband_gbps: Option<u32>,
    /// Networks that can run Cilium (`network.supports_cilium`).
    pub cilium: bool,
    /// Typical seconds from procurement to a ready machine.
    pub ready_secs: u64,
    /// Boot disk sizes it sells; empty when it does not report (validate)
    /// boot disk size, so offers say `null`.
    pub boot_disks_gb: &'static [u32],
    /// Whether offers report `vcpu_count`.
    pub reports_vcpus: bool,
    /// Machines reached through a forwarded SSH port rather than port 22.
    pub forwarded_ssh: bool,
    pub storage: &'static [StorageOption],
}

pub const VENDORS: &[Vendor] = &[
    Vendor {
        name: "nebius",
        container: false,
        regions: &[
            ("eu-north1", "EU"),
            ("eu-west1", "EU"),
            ("us-central1", "US"),
        ],
        families: &["H100", "H200", "A100", "L40S"],
        factor: 1.0,
        spot: true,
        infiniband_gbps: Some(3200),
        cilium: true,
        ready_secs: 240,
        boot_disks_gb: &[100, 200, 500],
        reports_vcpus: true,
        forwarded_ssh: false,
        storage: &[
            storage("block_disk", "standard", "network-ssd", 0.071, true),
            storage(
                "block_disk",
                "performance",
                "network-ssd-nonreplicated",
                0.093,
                true,
            ),
            storage("block_disk", "economy", "network-hdd", 0.03, true),
            storage("filesystem", "standard", "shared-filesystem", 0.08, true),
        ],
    },
    Vendor {
        name: "hyperstack",
        container: false,
        regions: &[("NORWAY-1", "EU"), ("CANADA-1", "Other"), ("US-1", "US")],
        families: &["H100", "H200", "A100", "L40S"],
        factor: 0.9,
        spot: true,
        infiniband_gbps: Some(400),
        cilium: false,
        ready_secs: 300,
        boot_disks_gb: &[100],
        reports_vcpus: true,
        forwarded_ssh: false,
        storage: &[
            storage("block_disk", "standard", "cloud-ssd", 0.07, true),
            storage("filesystem", "performance", "shared-nvme", 0.12, true),
        ],
    },
    Vendor {
        name: "scaleway",
        container: false,
        regions: &[("fr-par-2", "EU"), ("nl-ams-1", "EU"), ("pl-waw-2", "EU")],
        families: &["H100", "L40S", "L4"],
        factor: 1.1,
        spot: false,
        infiniband_gbps: None,
        cilium: true,
        ready_secs: 180,
        boot_disks_gb: &[],
        reports_vcpus: true,
        forwarded_ssh: false,
        storage: &[
            storage("block_disk", "standard", "sbs-5k", 0.08, true),
            storage("block_disk", "performance", "sbs-15k", 0.11, true),
            storage("filesystem", "standard", "file-storage", 0.1, true),
        ],
    },
    Vendor {
        name: "vast",
        container: true,
        regions: &[
            ("us-ca", "US"),
            ("eu-de", "EU"),
            ("asia-jp", "APAC"),
            ("br-sp", "Other"),
        ],
        families: &["RTX 4090", "L4", "L40S", "A100", "H100", "H200"],
        factor: 0.8,
        spot: true,
        infiniband_gbps: None,
        cilium: false,
        ready_secs: 90,
        boot_disks_gb: &[],
        reports_vcpus: false,
        forwarded_ssh: true,
        storage: &[storage("block_disk", "standard", "local-disk", 0.1, false)],
    },
    Vendor {
        name: "runpod",
        container: true,
        regions: &[("US-TX-3", "US"), ("EU-RO-1", "EU"), ("CA-MTL-1", "Other")],
        families: &["RTX 4090", "L4", "L40S", "A100", "H100", "H200"],
        factor: 0.9,
        spot: true,
        infiniband_gbps: None,
        cilium: false,
        ready_secs: 120,
        boot_disks_gb: &[20, 50],
        reports_vcpus: true,
        forwarded_ssh: true,
        storage: &[
            storage("block_disk", "standard", "container-disk", 0.1, false),
            storage("filesystem", "standard", "network-volume", 0.07, true),
        ],
    },
    Vendor {
        name: "lambda",
        container: false,
        regions: &[
            ("us-east-1", "US"),
            ("us-west-1", "US"),
            ("asia-northeast-1", "APAC"),
        ],
        families: &["H100", "H200", "A100"],
        factor: 0.95,
        spot: false,
        infiniband_gbps: Some(3200),
        cilium: false,
        ready_secs: 300,
        boot_disks_gb: &[512],
        reports_vcpus: true,
        forwarded_ssh: false,
        storage: &[storage(
            "filesystem",
            "standard",
            "persistent-filesystem",
            0.2,
            true,
        )],
    },
    Vendor {
        name: "datacrunch",
        container: false,
        regions: &[("FIN-01", "EU"), ("ICE-01", "EU")],
        families: &["H100", "H200", "A100", "L40S"],
        factor: 0.92,
        spot: true,
        infiniband_gbps: None,
        cilium: false,
        ready_secs: 200,
        boot_disks_gb: &[100, 250],
        reports_vcpus: true,
        forwarded_ssh: false,
        storage: &[
            storage("block_disk", "standard", "NVMe", 0.06, true),
            storage("block_disk", "economy", "HDD", 0.02, true),
            storage("filesystem", "premium", "shared-filesystem", 0.25, true),
        ],
    },
    Vendor {
        name: "coreweave",
        container: false,
        regions: &[
            ("US-EAST-04", "US"),
            ("US-WEST-01", "US"),
            ("US-CENTRAL-02", "US"),
        ],
        families: &["H100", "H200", "A100", "L40S"],
        factor: 1.15,
        spot: false,
        infiniband_gbps: Some(3200),
        cilium: true,
        ready_secs: 420,
        boot_disks_gb: &[200],
        reports_vcpus: true,
        forwarded_ssh: false,
        storage: &[
            storage("block_disk", "standard", "block-ssd", 0.07, true),
            storage("block_disk", "performance", "block-nvme", 0.1, true),
            storage("filesystem", "premium", "distributed-fs", 0.3, true),
        ],
    },
    Vendor {
        name: "sakura",
        container: false,
        regions: &[("tokyo-1", "APAC"), ("ishikari-1", "APAC")],
        families: &["H100", "H200", "A100", "L4"],
        factor: 1.05,
        spot: false,
        infiniband_gbps: None,
        cilium: false,
        ready_secs: 600,
        boot_disks_gb: &[100],
        reports_vcpus: true,
        forwarded_ssh: false,
        storage: &[storage("block_disk", "standard", "ssd", 0.06, true)],
    },
    Vendor {
        name: "k0rdent",
        container: false,
        regions: &[("us-texas-1", "US"), ("us-california-1", "US")],
        families: &["H100", "L40S", "L4"],
        factor: 0.92,
        spot: false,
        infiniband_gbps: None,
        cilium: true,
        ready_secs: 60,
        boot_disks_gb: &[200],
        reports_vcpus: true,
        forwarded_ssh: false,
        storage: &[storage("block_disk", "standard", "ceph-rbd", 0.05, true)],
    },
];

pub fn vendor(name: &str) -> Option<&'static Vendor> {
    VENDORS.iter().find(|v| v.name.eq_ignore_ascii_case(name))
}

impl Vendor {
    /// The vendor's offer of a volume like `volume`, if it sells one.
    pub fn storage_for(&self, volume: &Volume) -> Option<&StorageOption> {
        self.storage.iter().find(|option| {
            option.kind == volume.kind
                && option.class == volume.class
                && (option.persistent || !volume.persistent)
        })
    }

    /// Typical seconds until a machine (or every node) is ready.
    pub fn procure_secs(&self, nodes: u32) -> u64 {
        if nodes > 1 {
            self.ready_secs + 120 * u64::from(nodes)
        } else {
            self.ready_secs
        }
    }
}

/// Cents for GPU prices; storage and totals keep four decimals.
fn cents(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

pub fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The fixed shape of one catalog slot; only the price and the id change
/// between generations.
#[derive(Debug, Clone)]
struct Slot {
    vendor: usize,
    region: usize,
    gpu: usize,
    gpu_count: u32,
    /// 1 for a single machine; more for a cluster of `gpu_count / nodes`
    /// GPUs per node.
    nodes: u32,
    spot: bool,
    boot_disk_gb: Option<u32>,
    cluster_storage_gb: Option<u32>,
    /// How long before the start the first generation was made, so the
    /// first expiries spread over the next 30 minutes.
    stagger_secs: i64,
}

/// The first slots hold one offer of each family and GPU count, so every
/// pair can be found whatever the seed.
const COVERED: usize = FAMILIES.len() * GPU_COUNTS.len();

impl Slot {
    fn generate(seed: u64, index: u32) -> Self {
        let mut rng = SplitMix64::new(mix(&[seed, 0x510c, u64::from(index)]));
        let covered = (index as usize) < COVERED;
        let family = if covered {
            index as usize / GPU_COUNTS.len()
        } else {
            let weights: Vec<u32> = FAMILIES.iter().map(|f| f.weight).collect();
            rng.weighted(&weights)
        };
        let gpu_count = if covered {
            GPU_COUNTS[index as usize % GPU_COUNTS.len()]
        } else {
            GPU_COUNTS[rng.weighted(&[40, 22, 18, 20])]
        };
        let family_name = FAMILIES[family].name;
        let sellers: Vec<usize> = (0..VENDORS.len())
            .filter(|&v| VENDORS[v].families.contains(&family_name))
            .collect();
        let vendor = sellers[rng.below(sellers.len() as u64) as usize];
        let seller = &VENDORS[vendor];
        let region = rng.below(seller.regions.len() as u64) as usize;
        let models: Vec<usize> = (0..GPUS.len())
            .filter(|&g| GPUS[g].family == family_name)
            .collect();
        let weights: Vec<u32> = models.iter().map(|&g| GPUS[g].weight).collect();
        let gpu = models[rng.weighted(&weights)];
        let cluster = FAMILIES[family].multi_node
            && seller.infiniband_gbps.is_some()
            && !seller.container
            && gpu_count >= 2
            && rng.below(100) < 35;
        let nodes = match (cluster, gpu_count) {
            (false, _) => 1,
            (true, 2) => 2,
            (true, 4) => [2, 4][rng.below(2) as usize],
            (true, _) => [2, 4, 8][rng.below(3) as usize],
        };
        let spot = !cluster && seller.spot && rng.below(100) < 35;
        let boot_disk_gb = (!seller.boot_disks_gb.is_empty())
            .then(|| seller.boot_disks_gb[rng.below(seller.boot_disks_gb.len() as u64) as usize]);
        let cluster_storage_gb = cluster.then(|| nodes * [1024, 2048, 4096][rng.below(3) as usize]);
        Self {
            vendor,
            region,
            gpu,
            gpu_count,
            nodes,
            spot,
            boot_disk_gb,
            cluster_storage_gb,
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

    /// The live offers that pass `query`'s filters (storage aside, which
    /// [`with_storage`] adds), with their vendor.
    pub fn matching<'a>(
        &'a self,
        query: &'a OfferQuery,
    ) -> impl Iterator<Item = (&'static Vendor, &'a Offer)> + 'a {
        self.slots
            .iter()
            .zip(&self.current)
            .filter(move |(slot, (_, offer))| slot_matches(slot, offer, query))
            .map(|(slot, (_, offer))| (&VENDORS[slot.vendor], offer))
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
        let band = family(gpu.family).expect("every GPU has a family");
        let mut rng = SplitMix64::new(mix(&[
            self.seed,
            0x9e5,
            u64::from(slot_index),
            u64::from(generation),
        ]));
        let variation = 0.92 + rng.unit() * 0.16;
        let spot = if slot.spot { 0.65 } else { 1.0 };
        let cluster = if slot.nodes > 1 { 0.97 } else { 1.0 };
        let mut price = gpu.price * vendor.factor * spot * cluster * variation;
        let spread = band.max_price - band.min_price;
        if price < band.min_price {
            price = band.min_price + spread * 0.08 * rng.unit();
        } else if price > band.max_price {
            price = band.max_price - spread * 0.05 * rng.unit();
        }
        let price = cents(price).clamp(band.min_price, band.max_price);
        let count = slot.gpu_count;
        let created = self.created_at(slot_index, generation);
        let (region, group) = vendor.regions[slot.region];
        let is_cluster = slot.nodes > 1;
        Offer {
            offer_id: self.offer_id(slot_index, generation).to_string(),
            gpu_type: Some(gpu.name.to_owned()),
            gpu_family: Some(gpu.family.to_owned()),
            gpu_count: Some(count),
            vendor: Some(vendor.name.to_owned()),
            region: Some(group.to_owned()),
            vendor_region: Some(region.to_owned()),
            contract_type: Some(if slot.spot {
                ContractType::Spot
            } else {
                ContractType::OnDemand
            }),
            kind: Some(if vendor.container {
                MachineKind::Container
            } else {
                MachineKind::Vm
            }),
            gpu_price_per_hour: Some(price),
            storage_price_per_hour: Some(0.0),
            total_price_per_hour: Some(round4(price * f64::from(count))),
            boot_disk_in_gb: slot.boot_disk_gb.map(f64::from),
            vcpu_count: vendor.reports_vcpus.then_some(gpu.vcpus * count),
            memory_in_gb: Some(f64::from(gpu.memory_gb * count)),
            storage_details: Vec::new(),
            created_at: Some(ApiTime::from_datetime(created)),
            expires_at: Some(ApiTime::from_datetime(
                created + Duration::seconds(OFFER_LIFETIME_SECS),
            )),
            deployment_type: Some(if is_cluster { CLUSTER } else { SINGLE }.to_owned()),
            node_count: Some(slot.nodes),
            gpus_per_node: Some(count / slot.nodes),
            infiniband_bandwidth_gbps: vendor.infiniband_gbps.filter(|_| is_cluster).map(f64::from),
            cluster_storage_gb: slot.cluster_storage_gb.map(f64::from),
            status: None,
            procured_at: None,
            extra: Default::default(),
        }
    }
}

fn slot_matches(slot: &Slot, offer: &Offer, query: &OfferQuery) -> bool {
    let vendor = &VENDORS[slot.vendor];
    let gpu = &GPUS[slot.gpu];
    query.wants_gpu(gpu.family, gpu.name)
        && slot.gpu_count == query.gpu_count
        && query
            .kind
            .as_ref()
            .is_none_or(|kind| offer.kind.as_ref() == Some(kind))
        && query.max_price_per_gpu_hour.is_none_or(|max| {
            offer
                .gpu_price_per_hour
                .is_some_and(|price| price <= max + 1e-9)
        })
        && query
            .contract_type
            .as_ref()
            .is_none_or(|contract| offer.contract_type.as_ref() == Some(contract))
        && query
            .region
            .as_deref()
            .is_none_or(|group| vendor.regions[slot.region].1.eq_ignore_ascii_case(group))
        && query
            .vendor
            .as_deref()
            .is_none_or(|name| vendor.name.eq_ignore_ascii_case(name.trim()))
        && query
            .min_boot_disk_gb
            .is_none_or(|min| slot.boot_disk_gb.is_some_and(|gb| u64::from(gb) >= min))
        && (!query.supports_cilium || vendor.cilium)
        && query
            .max_procure_time_seconds
            .is_none_or(|max| vendor.procure_secs(slot.nodes) <= max)
        && query
            .storage
            .iter()
            .all(|volume| vendor.storage_for(volume).is_some())
}

/// The volumes asked for, priced by `vendor` in the offer's region. Every
/// volume must be one the vendor sells ([`Catalog::matching`] checks).
pub fn storage_details(vendor: &Vendor, offer: &Offer, volumes: &[Volume]) -> Vec<StorageDetail> {
    volumes
        .iter()
        .filter_map(|volume| {
            let option = vendor.storage_for(volume)?;
            let monthly = volume.size_gb * option.price_per_gb_month;
            Some(StorageDetail {
                name: Some(volume.name.clone()),
                size_gb: Some(volume.size_gb),
                kind: Some(volume.kind.clone()),
                storage_class: Some(volume.class.clone()),
                vendor_class: Some(option.vendor_class.to_owned()),
                vendor_region: offer.vendor_region.clone(),
                price_per_gb_month: Some(option.price_per_gb_month),
                monthly_cost: Some(cents(monthly)),
                hourly_cost: Some(round4(monthly / HOURS_PER_MONTH)),
                persistent: Some(volume.persistent),
                extra: Default::default(),
            })
        })
        .collect()
}

/// `offer` with `details` as its storage, and its prices to match:
/// storage is the volumes' hourly cost, the total GPU-hours plus storage.
pub fn priced(mut offer: Offer, details: Vec<StorageDetail>) -> Offer {
    let storage = round4(details.iter().filter_map(|d| d.hourly_cost).sum());
    let gpus = offer.gpu_price_per_hour.unwrap_or(0.0) * f64::from(offer.gpu_count.unwrap_or(1));
    offer.storage_details = details;
    offer.storage_price_per_hour = Some(storage);
    offer.total_price_per_hour = Some(round4(gpus + storage));
    offer
}

/// A matching offer with the query's volumes in it.
pub fn with_storage(offer: &Offer, vendor: &Vendor, volumes: &[Volume]) -> Offer {
    if volumes.is_empty() {
        return offer.clone();
    }
    let details = storage_details(vendor, offer, volumes);
    priced(offer.clone(), details)
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

// ---- the answers' JSON ----------------------------------------------------

/// The fields of a `get_offers` item, in the published example's order.
pub const LISTING_FIELDS: &[&str] = &[
    "offer_id",
    "gpu_type",
    "gpu_family",
    "gpu_count",
    "vendor",
    "region",
    "gpu_price_per_hour",
    "boot_disk_in_gb",
    "created_at",
    "vendor_region",
    "contract_type",
    "type",
    "vcpu_count",
    "memory_in_gb",
    "storage_details",
    "storage_price_per_hour",
    "total_price_per_hour",
    "expires_at",
    "deployment_type",
    "node_count",
    "gpus_per_node",
    "infiniband_bandwidth_gbps",
    "cluster_storage_gb",
];

/// The fields of `OfferDetails` (`GET /offers/{offer_id}`).
pub const DETAILS_FIELDS: &[&str] = &[
    "offer_id",
    "gpu_type",
    "gpu_family",
    "gpu_count",
    "vendor",
    "region",
    "status",
    "created_at",
    "contract_type",
    "gpu_price_per_hour",
    "boot_disk_in_gb",
    "vcpu_count",
    "memory_in_gb",
    "total_price_per_hour",
    "expires_at",
    "procured_at",
];

/// `offer` as JSON with exactly `fields`: a missing one is `null` (an
/// empty list for `storage_details`), as a FastAPI model writes it.
pub fn offer_json(offer: &Offer, fields: &[&str]) -> Value {
    let mut all = match serde_json::to_value(offer) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let shaped: Map<String, Value> = fields
        .iter()
        .map(|field| {
            let value = all.remove(*field).unwrap_or_else(|| match *field {
                "storage_details" => json!([]),
                _ => Value::Null,
            });
            ((*field).to_owned(), value)
        })
        .collect();
    Value::Object(shaped)
}

// ---- discovery ------------------------------------------------------------

/// `GET /available_gpus`: family → canonical names.
pub fn available_gpus() -> Value {
    let map: Map<String, Value> = FAMILIES
        .iter()
        .map(|family| {
            let names: Vec<&str> = GPUS
                .iter()
                .filter(|g| g.family == family.name)
                .map(|g| g.name)
                .collect();
            (family.name.to_owned(), json!(names))
        })
        .collect();
    Value::Object(map)
}

/// `GET /available_vendors`: the vendors that can procure.
pub fn available_vendors() -> Value {
    json!(VENDORS.iter().map(|v| v.name).collect::<Vec<_>>())
}

/// `GET /available_regions`: the region groups some vendor sells in.
pub fn available_regions() -> Value {
    let groups: Vec<&str> = REGION_GROUPS
        .into_iter()
        .filter(|group| {
            VENDORS
                .iter()
                .any(|v| v.regions.iter().any(|(_, g)| g == group))
        })
        .collect();
    json!(groups)
}

/// `GET /available_contracts`.
pub fn available_contracts() -> Value {
    json!([ContractType::OnDemand.as_str(), ContractType::Spot.as_str()])
}

/// `GET /available_storage`: what each vendor sells in each region, with
/// its price.
pub fn available_storage() -> Value {
    let mut rows = Vec::new();
    for vendor in VENDORS {
        for (region, _) in vendor.regions {
            for option in vendor.storage {
                rows.push(json!({
                    "vendor": vendor.name,
                    "vendor_region": region,
                    "type": option.kind,
                    "class": option.class,
                    "price_per_gb_month": option.price_per_gb_month,
                    "persistent_supported": option.persistent,
                }));
            }
        }
    }
    Value::Array(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    use crate::test_start as start;

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
    fn offers_follow_the_published_fields_and_the_guide() {
        let catalog = Catalog::new(42, 600, start());
        let offers: Vec<&Offer> = catalog.live().collect();
        let vendors: BTreeSet<_> = offers.iter().filter_map(|o| o.vendor.clone()).collect();
        assert!(vendors.len() >= 8, "{vendors:?}");
        let mut groups = BTreeSet::new();
        let mut contracts = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        for offer in &offers {
            let family = family(offer.gpu_family.as_deref().unwrap()).unwrap();
            let name = offer.gpu_type.as_deref().unwrap();
            assert!(GPUS
                .iter()
                .any(|g| g.name == name && g.family == family.name));
            let price = offer.gpu_price_per_hour.unwrap();
            assert!(
                (family.min_price..=family.max_price).contains(&price),
                "{name} at {price}"
            );
            assert_eq!(cents(price), price);
            let count = offer.gpu_count.unwrap();
            assert!(GPU_COUNTS.contains(&count));
            let total = offer.total_price_per_hour.unwrap();
            assert!((total - price * f64::from(count)).abs() < 1e-6);
            assert_eq!(offer.storage_price_per_hour, Some(0.0));
            let nodes = offer.node_count.unwrap();
            assert_eq!(nodes * offer.gpus_per_node.unwrap(), count);
            if nodes > 1 {
                assert!(offer.is_cluster());
                assert_eq!(offer.deployment_type.as_deref(), Some(CLUSTER));
                assert!(offer.infiniband_bandwidth_gbps.is_some());
                assert!(offer.cluster_storage_gb.is_some());
                assert_eq!(offer.contract_type, Some(ContractType::OnDemand));
            } else {
                assert!(!offer.is_cluster());
                assert_eq!(offer.infiniband_bandwidth_gbps, None);
            }
            let vendor = vendor(offer.vendor.as_deref().unwrap()).unwrap();
            let (region, group) = vendor
                .regions
                .iter()
                .find(|(r, _)| Some(*r) == offer.vendor_region.as_deref())
                .unwrap();
            assert_eq!(offer.region.as_deref(), Some(*group), "{region}");
            assert_eq!(
                offer.boot_disk_in_gb.is_none(),
                vendor.boot_disks_gb.is_empty()
            );
            assert_eq!(offer.vcpu_count.is_some(), vendor.reports_vcpus);
            groups.insert(group.to_owned());
            contracts.insert(offer.contract_type.clone().unwrap().as_str().to_owned());
            kinds.insert(offer.kind.clone().unwrap().as_str().to_owned());
            let created = offer.created_at.as_ref().unwrap().parsed().unwrap();
            let expires = offer_expires_at(offer).unwrap();
            assert_eq!(expires - created, Duration::seconds(OFFER_LIFETIME_SECS));
            assert!(expires > start() && expires <= start() + Duration::minutes(30));
        }
        assert_eq!(groups.len(), 4, "{groups:?}");
        assert_eq!(contracts.len(), 2);
        assert_eq!(kinds.len(), 2);
        // Spot is cheaper than on-demand for the same GPU.
        let mean = |spot: bool| {
            let prices: Vec<f64> = offers
                .iter()
                .filter(|o| o.gpu_family.as_deref() == Some("H100") && o.is_spot() == spot)
                .filter_map(|o| o.gpu_price_per_hour)
                .collect();
            prices.iter().sum::<f64>() / prices.len() as f64
        };
        assert!(mean(true) < mean(false));
        // Expiries spread over the window rather than all at once.
        let early = offers
            .iter()
            .filter(|o| offer_expires_at(o).unwrap() < start() + Duration::minutes(10))
            .count();
        assert!(early > 100 && early < 300, "{early}");
    }

    #[test]
    fn every_family_and_count_is_on_sale_whatever_the_seed() {
        for seed in [1, 42, 99] {
            let catalog = Catalog::new(seed, 300, start());
            for family in FAMILIES {
                for count in GPU_COUNTS {
                    assert!(
                        catalog
                            .live()
                            .any(|o| o.gpu_family.as_deref() == Some(family.name)
                                && o.gpu_count == Some(count)),
                        "seed {seed}: {} x{count}",
                        family.name
                    );
                }
            }
        }
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
            assert_eq!(old.vendor_region, new.vendor_region);
            assert_eq!(old.node_count, new.node_count);
            assert!(offer_expires_at(new).unwrap() > later);
            let id = Uuid::parse_str(&old.offer_id).unwrap();
            assert_eq!(catalog.lookup(id, later).as_ref(), Some(old));
        }
        // An id from a generation that has not happened yet is unknown.
        assert!(catalog.lookup(catalog.offer_id(0, 5), later).is_none());
    }

    #[test]
    fn discovery_lists_what_the_catalog_sells() {
        let gpus = available_gpus();
        assert_eq!(
            gpus["H100"],
            json!(["nvidia-h100-sxm5-80gb", "nvidia-h100-pcie-80gb"])
        );
        assert_eq!(gpus["RTX 4090"], json!(["nvidia-rtx-4090-24gb"]));
        assert_eq!(gpus.as_object().unwrap().len(), FAMILIES.len());
        let vendors = available_vendors();
        for name in ["nebius", "hyperstack", "scaleway", "vast"] {
            assert!(vendors.as_array().unwrap().contains(&json!(name)), "{name}");
        }
        assert_eq!(available_regions(), json!(["US", "EU", "APAC", "Other"]));
        assert_eq!(available_contracts(), json!(["ondemand", "spot"]));
        let rows = available_storage();
        let rows = rows.as_array().unwrap();
        assert!(rows.iter().any(|r| r["vendor"] == "vast"
            && r["vendor_region"] == "asia-jp"
            && r["persistent_supported"] == false));
        for row in rows {
            for key in [
                "vendor",
                "vendor_region",
                "type",
                "class",
                "price_per_gb_month",
                "persistent_supported",
            ] {
                assert!(!row[key].is_null(), "{key} in {row}");
            }
        }
    }

    #[test]
    fn answers_carry_every_field_and_nulls() {
        let catalog = Catalog::new(42, 100, start());
        let offer = catalog
            .live()
            .find(|o| o.boot_disk_in_gb.is_none())
            .unwrap();
        let listed = offer_json(offer, LISTING_FIELDS);
        assert_eq!(listed.as_object().unwrap().len(), LISTING_FIELDS.len());
        assert!(listed["boot_disk_in_gb"].is_null());
        assert_eq!(listed["storage_details"], json!([]));
        assert!(listed["type"].is_string());
        let details = offer_json(offer, DETAILS_FIELDS);
        assert_eq!(details.as_object().unwrap().len(), DETAILS_FIELDS.len());
        assert!(details.get("vendor_region").is_none());
        assert!(details["procured_at"].is_null());
    }
}
