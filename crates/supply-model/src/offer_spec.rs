//! The offer query the service takes: the YAML spec of the get-offers page
//! and the yaml-spec and storage guides. Written with every string quoted
//! (see [`crate::yaml::quote`]), so no value, whoever typed it, can add a key;
//! read back with each problem's line and column. Keys the model does not
//! know are kept, in place, at every level.

use crate::failure::ApiFailure;
use crate::yaml::{self, Entry, Node, Position, Yaml};

/// The GPU counts the yaml-spec guide lists.
pub const GPU_COUNTS: [u32; 4] = [1, 2, 4, 8];
/// Region groups (get-offers page).
pub const REGION_GROUPS: [&str; 4] = ["US", "EU", "APAC", "Other"];
/// Contract types (get-offers page); omitted means both.
pub const CONTRACT_TYPES: [&str; 2] = ["ondemand", "spot"];
/// Machine kinds (yaml-spec guide); `vm` is the default.
pub const MACHINE_KINDS: [&str; 2] = ["vm", "container"];
/// Storage volume types and classes (storage guide).
pub const STORAGE_TYPES: [&str; 2] = ["block_disk", "filesystem"];
pub const STORAGE_CLASSES: [&str; 4] = ["standard", "performance", "economy", "premium"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferSpec {
    /// A region group: US, EU, APAC or Other.
    pub region: Option<String>,
    pub vendor: Option<String>,
    pub max_procure_time_seconds: Option<u64>,
    pub compute: ComputeSpec,
    pub network: NetworkSpec,
    pub storage: Vec<StorageVolume>,
    /// Top-level keys this console does not know, as typed.
    pub extra: Vec<Entry>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComputeSpec {
    /// Families or canonical names; sent joined by ` | `.
    pub gpu_types: Vec<String>,
    pub gpu_count: Option<u32>,
    /// `type`: vm or container.
    pub kind: Option<String>,
    pub max_price_per_gpu_hour: Option<f64>,
    pub contract_type: Option<String>,
    pub min_boot_disk_gb: Option<u64>,
    pub extra: Vec<Entry>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkSpec {
    pub supports_cilium: Option<bool>,
    pub extra: Vec<Entry>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StorageVolume {
    /// `type`: block_disk or filesystem.
    pub kind: String,
    pub class: Option<String>,
    /// e.g. `500GB`, `2TB`.
    pub size: Option<String>,
    /// Gets its own resource and survives the machine.
    pub persistent: Option<bool>,
    pub extra: Vec<Entry>,
}

/// A field of the spec, to put a message on the control that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecField {
    Region,
    Vendor,
    MaxProcureTime,
    GpuType,
    GpuCount,
    Kind,
    MaxPrice,
    Contract,
    MinBootDisk,
    Cilium,
    Storage,
    /// Anywhere else: the spec as a whole.
    Spec,
}

impl SpecField {
    pub const ALL: [SpecField; 12] = [
        Self::Region,
        Self::Vendor,
        Self::MaxProcureTime,
        Self::GpuType,
        Self::GpuCount,
        Self::Kind,
        Self::MaxPrice,
        Self::Contract,
        Self::MinBootDisk,
        Self::Cilium,
        Self::Storage,
        Self::Spec,
    ];

    /// The dotted path in the spec.
    pub fn path(self) -> &'static str {
        match self {
            Self::Region => "region",
            Self::Vendor => "vendor",
            Self::MaxProcureTime => "max_procure_time_seconds",
            Self::GpuType => "compute.gpu_type",
            Self::GpuCount => "compute.gpu_count",
            Self::Kind => "compute.type",
            Self::MaxPrice => "compute.max_price_per_gpu_hour",
            Self::Contract => "compute.contract_type",
            Self::MinBootDisk => "compute.min_boot_disk_gb",
            Self::Cilium => "network.supports_cilium",
            Self::Storage => "storage",
            Self::Spec => "",
        }
    }

    /// The field a 422's `loc` names: `["body", "compute", "gpu_type"]`,
    /// with or without the leading `body`; anything under `storage` is the
    /// storage list; an unknown place is the spec as a whole.
    pub fn from_loc(loc: &[String]) -> Self {
        let parts: Vec<&str> = loc
            .iter()
            .map(String::as_str)
            .skip_while(|part| *part == "body")
            .collect();
        if parts.first() == Some(&"storage") {
            return Self::Storage;
        }
        let path = parts.join(".");
        Self::ALL
            .into_iter()
            .find(|field| *field != Self::Spec && field.path() == path)
            .unwrap_or(Self::Spec)
    }
}

/// Each message on the field it is about: the spec's own problems, then
/// what the service's refusal (a 422) says of its fields.
pub fn field_messages(
    problems: &[SpecProblem],
    refusal: Option<&ApiFailure>,
) -> Vec<(SpecField, String)> {
    let mut placed: Vec<(SpecField, String)> = problems
        .iter()
        .map(|p| (p.field, p.message.clone()))
        .collect();
    if let Some(ApiFailure::Validation { fields }) = refusal {
        placed.extend(fields.iter().map(|field| {
            let loc: Vec<String> = field.loc.iter().map(ToString::to_string).collect();
            (SpecField::from_loc(&loc), field.msg.clone())
        }));
    }
    placed
}

/// Reads an offer spec written as YAML ([`OfferSpec::from_yaml`], or
/// what stands for it where the parser is fetched on demand).
pub type ReadSpec = fn(&str) -> Result<OfferSpec, Vec<SpecProblem>>;

/// Something wrong with a spec, with where it is in the YAML when known.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecProblem {
    pub field: SpecField,
    /// Line 0 when the problem has no place in the text (a missing key).
    pub at: Position,
    pub message: String,
}

impl SpecProblem {
    fn new(field: SpecField, at: Position, message: impl Into<String>) -> Self {
        Self {
            field,
            at,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.line > 0 {
            write!(
                f,
                "Line {}, column {}: {}",
                self.at.line, self.at.column, self.message
            )
        } else {
            f.write_str(&self.message)
        }
    }
}

/// Splits `H100 | A100` into its alternatives.
pub fn split_gpu_types(raw: &str) -> Vec<String> {
    raw.split('|')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
        .collect()
}

fn entry(key: &str, value: Yaml) -> Entry {
    Entry {
        key: key.to_owned(),
        key_at: Position::default(),
        value: Node::new(value),
    }
}

fn text(value: &Option<String>) -> Option<Yaml> {
    value.as_ref().map(|v| Yaml::Str(v.clone()))
}

impl ComputeSpec {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn to_entries(&self) -> Vec<Entry> {
        let gpu_type = (!self.gpu_types.is_empty()).then(|| Yaml::Str(self.gpu_types.join(" | ")));
        let known = [
            ("gpu_type", gpu_type),
            ("gpu_count", self.gpu_count.map(|n| Yaml::Int(i64::from(n)))),
            ("type", text(&self.kind)),
            (
                "max_price_per_gpu_hour",
                self.max_price_per_gpu_hour.map(number),
            ),
            ("contract_type", text(&self.contract_type)),
            (
                "min_boot_disk_gb",
                self.min_boot_disk_gb.map(|n| Yaml::Int(saturating_i64(n))),
            ),
        ];
        with_extra(known, &self.extra)
    }
}

impl NetworkSpec {
    fn to_entries(&self) -> Vec<Entry> {
        with_extra(
            [("supports_cilium", self.supports_cilium.map(Yaml::Bool))],
            &self.extra,
        )
    }
}

impl StorageVolume {
    fn to_yaml(&self) -> Yaml {
        Yaml::Map(with_extra(
            [
                ("type", Some(Yaml::Str(self.kind.clone()))),
                ("class", text(&self.class)),
                ("size", text(&self.size)),
                ("persistent", self.persistent.map(Yaml::Bool)),
            ],
            &self.extra,
        ))
    }
}

/// A whole number stays an integer in the YAML; others keep their fraction.
fn number(value: f64) -> Yaml {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        Yaml::Int(value as i64)
    } else {
        Yaml::Float(value)
    }
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn with_extra<const N: usize>(known: [(&str, Option<Yaml>); N], extra: &[Entry]) -> Vec<Entry> {
    known
        .into_iter()
        .filter_map(|(key, value)| Some(entry(key, value?)))
        .chain(extra.iter().cloned())
        .collect()
}

impl OfferSpec {
    /// The spec as the YAML the service takes.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        for entry in self.entries() {
            yaml::write_entry(&mut out, 0, &entry.key, &entry.value.value);
        }
        out
    }

    fn entries(&self) -> Vec<Entry> {
        let compute = self.compute.to_entries();
        let network = self.network.to_entries();
        let storage = (!self.storage.is_empty()).then(|| {
            Yaml::Seq(
                self.storage
                    .iter()
                    .map(|v| Node::new(v.to_yaml()))
                    .collect(),
            )
        });
        with_extra(
            [
                ("region", text(&self.region)),
                ("vendor", text(&self.vendor)),
                (
                    "max_procure_time_seconds",
                    self.max_procure_time_seconds
                        .map(|n| Yaml::Int(saturating_i64(n))),
                ),
                (
                    "compute",
                    (!compute.is_empty()).then_some(Yaml::Map(compute)),
                ),
                (
                    "network",
                    (!network.is_empty()).then_some(Yaml::Map(network)),
                ),
                ("storage", storage),
            ],
            &self.extra,
        )
    }

    /// The spec as JSON, e.g. to compare with what the service says it applied.
    pub fn to_json(&self) -> serde_json::Value {
        Yaml::Map(self.entries()).to_json()
    }

    /// This spec with `families` as its GPU choice when it has none: the
    /// service requires a GPU type, and "all of them" is how a first visit
    /// still opens on offers.
    pub fn with_default_gpus(&self, families: &[String]) -> Self {
        let mut spec = self.clone();
        if spec.compute.gpu_types.is_empty() {
            spec.compute.gpu_types = families.to_vec();
        }
        spec
    }

    /// Whether the spec has parts the filter controls cannot show.
    pub fn has_unshown_parts(&self) -> bool {
        !self.extra.is_empty()
            || !self.compute.extra.is_empty()
            || !self.network.extra.is_empty()
            || self.storage.iter().any(|v| !v.extra.is_empty())
    }

    /// What the service would refuse, checked before sending: a GPU type is
    /// required (unless the spec asks for storage alone), and the values the
    /// pages list.
    pub fn problems(&self) -> Vec<SpecProblem> {
        let mut found = Vec::new();
        let none = Position::default();
        if self.compute.gpu_types.is_empty()
            && (!self.compute.is_empty() || self.storage.is_empty())
        {
            found.push(SpecProblem::new(
                SpecField::GpuType,
                none,
                "compute.gpu_type is required: a family such as H100, a canonical name, or several joined by |.",
            ));
        }
        if let Some(count) = self.compute.gpu_count {
            if !GPU_COUNTS.contains(&count) {
                found.push(SpecProblem::new(
                    SpecField::GpuCount,
                    none,
                    format!("compute.gpu_count is {count}; the service takes 1, 2, 4 or 8."),
                ));
            }
        }
        if let Some(price) = self.compute.max_price_per_gpu_hour {
            if !(price.is_finite() && price >= 0.0) {
                found.push(SpecProblem::new(
                    SpecField::MaxPrice,
                    none,
                    "compute.max_price_per_gpu_hour must be a positive number of USD.",
                ));
            }
        }
        for (at, volume) in self.storage.iter().enumerate() {
            if volume.kind.trim().is_empty() {
                found.push(SpecProblem::new(
                    SpecField::Storage,
                    none,
                    format!(
                        "storage volume {} needs a type: block_disk or filesystem.",
                        at + 1
                    ),
                ));
            }
        }
        found
    }

    /// Reads a spec typed or pasted as YAML. A value of the wrong type is a
    /// problem at its line and column; unknown keys are kept.
    pub fn from_yaml(text: &str) -> Result<Self, Vec<SpecProblem>> {
        let root = yaml::parse(text).map_err(|err| {
            vec![SpecProblem::new(
                SpecField::Spec,
                err.at,
                format!("YAML error: {}.", err.message),
            )]
        })?;
        let mut reader = Reader::default();
        let spec = reader.spec(root);
        if reader.problems.is_empty() {
            Ok(spec)
        } else {
            Err(reader.problems)
        }
    }
}

/// Reads nodes into the spec, collecting every problem rather than the first.
#[derive(Default)]
struct Reader {
    problems: Vec<SpecProblem>,
}

impl Reader {
    fn wrong(&mut self, field: SpecField, node: &Node, path: &str, want: &str) {
        self.problems.push(SpecProblem::new(
            field,
            node.at,
            format!("{path} should be {want}, not {}.", node.value.kind()),
        ));
    }

    fn map(&mut self, field: SpecField, node: Node, path: &str) -> Vec<Entry> {
        match node.value {
            Yaml::Map(entries) => entries,
            Yaml::Null => Vec::new(),
            _ => {
                self.wrong(field, &node, path, "a mapping of keys");
                Vec::new()
            }
        }
    }

    fn text(&mut self, field: SpecField, node: Node, path: &str) -> Option<String> {
        match node.value {
            Yaml::Null => None,
            Yaml::Str(s) => Some(s),
            // `gpu_type: 4090` or `vendor: 1` mean the text as typed.
            Yaml::Int(n) => Some(n.to_string()),
            Yaml::Float(f) => Some(yaml::number(f)),
            _ => {
                self.wrong(field, &node, path, "text");
                None
            }
        }
    }

    fn whole(&mut self, field: SpecField, node: Node, path: &str) -> Option<u64> {
        match node.value {
            Yaml::Null => None,
            Yaml::Int(n) if n >= 0 => u64::try_from(n).ok(),
            _ => {
                self.wrong(field, &node, path, "a whole number");
                None
            }
        }
    }

    fn float(&mut self, field: SpecField, node: Node, path: &str) -> Option<f64> {
        match node.value {
            Yaml::Null => None,
            Yaml::Int(n) => Some(n as f64),
            Yaml::Float(f) if f.is_finite() => Some(f),
            _ => {
                self.wrong(field, &node, path, "a number");
                None
            }
        }
    }

    fn flag(&mut self, field: SpecField, node: Node, path: &str) -> Option<bool> {
        match node.value {
            Yaml::Null => None,
            Yaml::Bool(b) => Some(b),
            _ => {
                self.wrong(field, &node, path, "true or false");
                None
            }
        }
    }

    fn spec(&mut self, root: Node) -> OfferSpec {
        let mut spec = OfferSpec::default();
        for entry in self.map(SpecField::Spec, root, "The spec") {
            let node = entry.value.clone();
            match entry.key.as_str() {
                "region" => spec.region = self.text(SpecField::Region, node, "region"),
                "vendor" => spec.vendor = self.text(SpecField::Vendor, node, "vendor"),
                "max_procure_time_seconds" => {
                    spec.max_procure_time_seconds =
                        self.whole(SpecField::MaxProcureTime, node, "max_procure_time_seconds")
                }
                "compute" => spec.compute = self.compute(node),
                "network" => spec.network = self.network(node),
                "storage" => spec.storage = self.storage(node),
                _ => spec.extra.push(entry),
            }
        }
        spec
    }

    fn compute(&mut self, node: Node) -> ComputeSpec {
        let mut compute = ComputeSpec::default();
        for entry in self.map(SpecField::Spec, node, "compute") {
            let node = entry.value.clone();
            match entry.key.as_str() {
                "gpu_type" => {
                    compute.gpu_types = self
                        .text(SpecField::GpuType, node, "compute.gpu_type")
                        .map(|raw| split_gpu_types(&raw))
                        .unwrap_or_default()
                }
                "gpu_count" => {
                    compute.gpu_count = self
                        .whole(SpecField::GpuCount, node, "compute.gpu_count")
                        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                }
                "type" => compute.kind = self.text(SpecField::Kind, node, "compute.type"),
                "max_price_per_gpu_hour" => {
                    compute.max_price_per_gpu_hour =
                        self.float(SpecField::MaxPrice, node, "compute.max_price_per_gpu_hour")
                }
                "contract_type" => {
                    compute.contract_type =
                        self.text(SpecField::Contract, node, "compute.contract_type")
                }
                "min_boot_disk_gb" => {
                    compute.min_boot_disk_gb =
                        self.whole(SpecField::MinBootDisk, node, "compute.min_boot_disk_gb")
                }
                _ => compute.extra.push(entry),
            }
        }
        compute
    }

    fn network(&mut self, node: Node) -> NetworkSpec {
        let mut network = NetworkSpec::default();
        for entry in self.map(SpecField::Spec, node, "network") {
            let node = entry.value.clone();
            match entry.key.as_str() {
                "supports_cilium" => {
                    network.supports_cilium =
                        self.flag(SpecField::Cilium, node, "network.supports_cilium")
                }
                _ => network.extra.push(entry),
            }
        }
        network
    }

    fn storage(&mut self, node: Node) -> Vec<StorageVolume> {
        let items = match node.value {
            Yaml::Seq(items) => items,
            Yaml::Null => return Vec::new(),
            _ => {
                self.wrong(SpecField::Storage, &node, "storage", "a list of volumes");
                return Vec::new();
            }
        };
        let mut volumes = Vec::new();
        for item in items {
            let at = item.at;
            let mut volume = StorageVolume::default();
            let mut has_type = false;
            for entry in self.map(SpecField::Storage, item, "a storage volume") {
                let node = entry.value.clone();
                match entry.key.as_str() {
                    "type" => {
                        has_type = true;
                        volume.kind = self
                            .text(SpecField::Storage, node, "storage[].type")
                            .unwrap_or_default()
                    }
                    "class" => {
                        volume.class = self.text(SpecField::Storage, node, "storage[].class")
                    }
                    "size" => volume.size = self.text(SpecField::Storage, node, "storage[].size"),
                    "persistent" => {
                        volume.persistent =
                            self.flag(SpecField::Storage, node, "storage[].persistent")
                    }
                    _ => volume.extra.push(entry),
                }
            }
            if !has_type {
                self.problems.push(SpecProblem::new(
                    SpecField::Storage,
                    at,
                    "a storage volume needs a type: block_disk or filesystem.",
                ));
            }
            volumes.push(volume);
        }
        volumes
    }
}
