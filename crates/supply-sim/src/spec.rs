//! Reads a `POST /get_offers` request as the published service takes it: a
//! raw YAML body under `Content-Type: application/yaml`, read by the model's
//! own reader ([`OfferSpec::from_yaml`], the one the console writes for), and
//! refused with FastAPI-shaped 422 errors whose `loc` is `["body", ...]` down
//! to the field.

use serde_json::Value;
use supply_model::offer_spec::{
    SpecField, SpecProblem, CONTRACT_TYPES, MACHINE_KINDS, REGION_GROUPS, STORAGE_CLASSES,
    STORAGE_TYPES,
};
use supply_model::yaml::{self, Position, Yaml};
use supply_model::{ContractType, LocItem, MachineKind, OfferSpec, ValidationError};

/// The content types a YAML body may come with.
pub const YAML_MEDIA_TYPES: [&str; 4] = [
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/x-yaml",
];

/// `compute.gpu_count` when absent (get-offers page: "default: 1").
pub const DEFAULT_GPU_COUNT: u32 = 1;
/// A storage volume's size when the spec gives none.
pub const DEFAULT_VOLUME_SIZE: &str = "100GB";
/// A storage volume's class when the spec gives none (storage guide).
pub const DEFAULT_STORAGE_CLASS: &str = "standard";

/// One storage volume the spec asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    /// `data`, `data-2`, ...: its name in `storage_details`.
    pub name: String,
    /// `block_disk` or `filesystem`.
    pub kind: String,
    pub class: String,
    pub size_gb: f64,
    pub persistent: bool,
}

/// What a `get_offers` spec asks for, with its defaults applied.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferQuery {
    /// Families or canonical names, any of which matches.
    pub gpu_types: Vec<String>,
    pub gpu_count: u32,
    /// `None`: VMs and containers alike.
    pub kind: Option<MachineKind>,
    pub max_price_per_gpu_hour: Option<f64>,
    /// `None`: both.
    pub contract_type: Option<ContractType>,
    pub min_boot_disk_gb: Option<u64>,
    /// A region group, spelled as the service lists it.
    pub region: Option<String>,
    pub vendor: Option<String>,
    pub max_procure_time_seconds: Option<u64>,
    pub supports_cilium: bool,
    pub storage: Vec<Volume>,
    /// The spec as understood, for the answer's `filters_applied`.
    pub filters_applied: Value,
}

impl Default for OfferQuery {
    fn default() -> Self {
        Self {
            gpu_types: Vec::new(),
            gpu_count: DEFAULT_GPU_COUNT,
            kind: None,
            max_price_per_gpu_hour: None,
            contract_type: None,
            min_boot_disk_gb: None,
            region: None,
            vendor: None,
            max_procure_time_seconds: None,
            supports_cilium: false,
            storage: Vec::new(),
            filters_applied: Value::Null,
        }
    }
}

/// Whether two names are the same ignoring case and spaces, so the family
/// `RTX 4090` is also `rtx4090`.
fn same_name(a: &str, b: &str) -> bool {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    squash(a) == squash(b)
}

impl OfferQuery {
    /// Every offer of `gpu_types`, `gpu_count` GPUs each, nothing else asked.
    pub fn gpus(gpu_types: &[&str], gpu_count: u32) -> Self {
        Self {
            gpu_types: gpu_types.iter().map(|t| (*t).to_owned()).collect(),
            gpu_count,
            ..Self::default()
        }
    }

    /// A family name matches every variant; a canonical name only itself.
    pub fn wants_gpu(&self, family: &str, canonical: &str) -> bool {
        self.gpu_types
            .iter()
            .any(|want| same_name(want, family) || want.trim().eq_ignore_ascii_case(canonical))
    }
}

fn body_loc(parts: &[&str]) -> Vec<LocItem> {
    std::iter::once("body")
        .chain(parts.iter().copied())
        .map(|part| LocItem::Field(part.to_owned()))
        .collect()
}

fn volume_loc(index: usize, field: Option<&str>) -> Vec<LocItem> {
    let mut loc = body_loc(&["storage"]);
    loc.push(LocItem::Index(index as i64));
    if let Some(field) = field {
        loc.push(LocItem::Field(field.to_owned()));
    }
    loc
}

fn error(loc: Vec<LocItem>, msg: impl Into<String>, kind: &str) -> ValidationError {
    ValidationError {
        loc,
        msg: msg.into(),
        kind: kind.to_owned(),
        extra: Default::default(),
    }
}

/// Reads a whole request: its content type, then its body.
pub fn read_request(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<OfferQuery, Vec<ValidationError>> {
    check_content_type(content_type)?;
    let text = std::str::from_utf8(body).map_err(|err| {
        vec![error(
            body_loc(&[]),
            format!("The body is not UTF-8 text: {err}"),
            "yaml_invalid",
        )]
    })?;
    read_yaml(text)
}

fn check_content_type(raw: Option<&str>) -> Result<(), Vec<ValidationError>> {
    let media = raw
        .and_then(|value| value.split(';').next())
        .map(|media| media.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if YAML_MEDIA_TYPES.contains(&media.as_str()) {
        return Ok(());
    }
    let msg = if media.is_empty() {
        "Content-Type is missing: send the spec as raw YAML with Content-Type: application/yaml"
            .to_owned()
    } else if media == "application/json" || media.ends_with("+json") {
        format!(
            "This endpoint takes a raw YAML body, not JSON: send the spec with \
             Content-Type: application/yaml (got {media})"
        )
    } else {
        format!(
            "Content-Type {media} is not accepted: send the spec as raw YAML with \
             Content-Type: application/yaml"
        )
    };
    Err(vec![error(body_loc(&[]), msg, "content_type")])
}

/// Where each storage volume starts, to say which one a problem is in.
fn volume_positions(text: &str) -> Vec<Position> {
    let Ok(root) = yaml::parse(text) else {
        return Vec::new();
    };
    let Yaml::Map(entries) = root.value else {
        return Vec::new();
    };
    entries
        .into_iter()
        .find(|entry| entry.key == "storage")
        .and_then(|entry| match entry.value.value {
            Yaml::Seq(items) => Some(items.iter().map(|item| item.at).collect()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The FastAPI `type` for one of the model's problems.
fn kind_of(problem: &SpecProblem) -> &'static str {
    let message = problem.message.as_str();
    let wants = |what: &str| message.contains(&format!("should be {what}"));
    if wants("text") {
        "string_type"
    } else if wants("a whole number") {
        "int_type"
    } else if wants("a number") {
        "float_type"
    } else if wants("true or false") {
        "bool_type"
    } else if wants("a mapping") {
        "dict_type"
    } else if wants("a list") {
        "list_type"
    } else if message.contains("required") || message.contains("needs a type") {
        "missing"
    } else {
        match problem.field {
            SpecField::GpuCount => "literal_error",
            SpecField::MaxPrice => "greater_than_equal",
            _ => "value_error",
        }
    }
}

fn storage_loc(problem: &SpecProblem, volumes: &[Position]) -> Vec<LocItem> {
    let message = problem.message.as_str();
    // `problems()` names the volume by its number, without a position.
    if let Some(number) = message
        .strip_prefix("storage volume ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
    {
        return volume_loc(number.saturating_sub(1), Some("type"));
    }
    let at = (problem.at.line, problem.at.column);
    let index = volumes
        .iter()
        .rposition(|start| (start.line, start.column) <= at);
    match index {
        Some(index) if !message.starts_with("storage should be") => {
            let field = message
                .strip_prefix("storage[].")
                .and_then(|rest| rest.split_whitespace().next())
                .or_else(|| message.contains("needs a type").then_some("type"));
            volume_loc(index, field)
        }
        _ => body_loc(&["storage"]),
    }
}

/// One of the model's problems as a validation error.
fn from_problem(problem: &SpecProblem, volumes: &[Position]) -> ValidationError {
    let msg = problem.to_string();
    if problem.field == SpecField::Spec && problem.message.starts_with("YAML error") {
        return error(body_loc(&[]), msg, "yaml_invalid");
    }
    let loc = match problem.field {
        SpecField::Spec => match problem.message.split_whitespace().next() {
            Some(head @ ("compute" | "network")) => body_loc(&[head]),
            _ => body_loc(&[]),
        },
        SpecField::Storage => storage_loc(problem, volumes),
        field => body_loc(&field.path().split('.').collect::<Vec<_>>()),
    };
    error(loc, msg, kind_of(problem))
}

/// "'US', 'EU', 'APAC' or 'Other'", as pydantic lists a literal's values.
fn quoted_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A value that must be one of `allowed` (in any case), spelled as listed.
fn one_of(
    value: Option<&str>,
    allowed: &[&str],
    loc: Vec<LocItem>,
    errors: &mut Vec<ValidationError>,
) -> Option<String> {
    let value = value?.trim();
    match allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        Some(known) => Some((*known).to_owned()),
        None => {
            errors.push(error(
                loc,
                format!("Input should be {}", quoted_list(allowed)),
                "literal_error",
            ));
            None
        }
    }
}

/// A size such as `500GB`, `2TB`, `1.5 TiB` or `750` (GB) in GB.
pub fn parse_size_gb(raw: &str) -> Option<f64> {
    let text = raw.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "g" | "gb" => 1.0,
        "gi" | "gib" => 1.073_741_824,
        "t" | "tb" => 1000.0,
        "ti" | "tib" => 1_099.511_627_776,
        "m" | "mb" => 0.001,
        "mi" | "mib" => 0.001_048_576,
        _ => return None,
    };
    let gb = ((number * factor) * 100.0).round() / 100.0;
    (gb.is_finite() && gb > 0.0).then_some(gb)
}

/// Reads the YAML spec: every problem the model's reader finds is a 422
/// naming its field (with line and column), then the service's rules:
/// `compute.gpu_type` is required, `gpu_count` is 1, 2, 4 or 8, and the
/// listed values of region, contract, type and storage.
pub fn read_yaml(text: &str) -> Result<OfferQuery, Vec<ValidationError>> {
    let spec = OfferSpec::from_yaml(text).map_err(|problems| {
        let volumes = volume_positions(text);
        problems
            .iter()
            .map(|problem| from_problem(problem, &volumes))
            .collect::<Vec<_>>()
    })?;
    let mut errors = Vec::new();
    if spec.compute.gpu_types.is_empty() {
        errors.push(error(
            body_loc(&["compute", "gpu_type"]),
            "Field required: compute.gpu_type names a GPU family (H100), a canonical name \
             (nvidia-h100-sxm5-80gb), or several joined by | (H100 | A100)",
            "missing",
        ));
    }
    let problems = spec.problems();
    if !problems.is_empty() {
        let volumes = volume_positions(text);
        errors.extend(
            problems
                .iter()
                .filter(|problem| problem.field != SpecField::GpuType)
                .map(|problem| from_problem(problem, &volumes)),
        );
    }
    let region = one_of(
        spec.region.as_deref(),
        &REGION_GROUPS,
        body_loc(&["region"]),
        &mut errors,
    );
    let contract_type = one_of(
        spec.compute.contract_type.as_deref(),
        &CONTRACT_TYPES,
        body_loc(&["compute", "contract_type"]),
        &mut errors,
    );
    let kind = one_of(
        spec.compute.kind.as_deref(),
        &MACHINE_KINDS,
        body_loc(&["compute", "type"]),
        &mut errors,
    );
    let mut volumes = Vec::new();
    for (index, volume) in spec.storage.iter().enumerate() {
        let kind = if volume.kind.trim().is_empty() {
            None // already a problem above
        } else {
            one_of(
                Some(&volume.kind),
                &STORAGE_TYPES,
                volume_loc(index, Some("type")),
                &mut errors,
            )
        };
        let class = one_of(
            Some(volume.class.as_deref().unwrap_or(DEFAULT_STORAGE_CLASS)),
            &STORAGE_CLASSES,
            volume_loc(index, Some("class")),
            &mut errors,
        );
        let size = volume.size.as_deref().unwrap_or(DEFAULT_VOLUME_SIZE);
        let size_gb = parse_size_gb(size);
        if size_gb.is_none() {
            errors.push(error(
                volume_loc(index, Some("size")),
                format!("Value error, size {size:?} should be an amount such as 500GB or 2TB"),
                "value_error",
            ));
        }
        if let (Some(kind), Some(class), Some(size_gb)) = (kind, class, size_gb) {
            volumes.push(Volume {
                name: if index == 0 {
                    "data".to_owned()
                } else {
                    format!("data-{}", index + 1)
                },
                kind,
                class,
                size_gb,
                persistent: volume.persistent.unwrap_or(false),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let gpu_count = spec.compute.gpu_count.unwrap_or(DEFAULT_GPU_COUNT);
    let vendor = spec
        .vendor
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned);

    let mut applied = spec.clone();
    applied.extra.clear();
    applied.compute.extra.clear();
    applied.network.extra.clear();
    applied.region = region.clone();
    applied.vendor = vendor.clone();
    applied.compute.gpu_count = Some(gpu_count);
    applied.compute.contract_type = contract_type.clone();
    applied.compute.kind = kind.clone();
    for (written, volume) in applied.storage.iter_mut().zip(&volumes) {
        written.extra.clear();
        written.kind = volume.kind.clone();
        written.class = Some(volume.class.clone());
        written.size = Some(
            written
                .size
                .clone()
                .unwrap_or(DEFAULT_VOLUME_SIZE.to_owned()),
        );
        written.persistent = Some(volume.persistent);
    }

    Ok(OfferQuery {
        gpu_types: spec.compute.gpu_types.clone(),
        gpu_count,
        kind: kind.map(|k| MachineKind::from_wire(&k)),
        max_price_per_gpu_hour: spec.compute.max_price_per_gpu_hour,
        contract_type: contract_type.map(|c| ContractType::from_wire(&c)),
        min_boot_disk_gb: spec.compute.min_boot_disk_gb,
        region,
        vendor,
        max_procure_time_seconds: spec.max_procure_time_seconds,
        supports_cilium: spec.network.supports_cilium == Some(true),
        storage: volumes,
        filters_applied: applied.to_json(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(content_type: Option<&str>, body: &str) -> Vec<(Vec<String>, String, String)> {
        read_request(content_type, body.as_bytes())
            .unwrap_err()
            .into_iter()
            .map(|e| {
                (
                    e.loc.iter().map(LocItem::to_string).collect(),
                    e.kind,
                    e.msg,
                )
            })
            .collect()
    }

    fn locs(body: &str) -> Vec<Vec<String>> {
        refused(Some("application/yaml"), body)
            .into_iter()
            .map(|(loc, _, _)| loc)
            .collect()
    }

    fn kinds(body: &str) -> Vec<String> {
        refused(Some("application/yaml"), body)
            .into_iter()
            .map(|(_, kind, _)| kind)
            .collect()
    }

    const OK: &str = "compute:\n  gpu_type: H100\n";

    #[test]
    fn only_yaml_content_types_pass() {
        for ok in [
            "application/yaml",
            "application/x-yaml",
            "text/yaml; charset=utf-8",
            "Application/YAML",
        ] {
            assert!(read_request(Some(ok), OK.as_bytes()).is_ok(), "{ok}");
        }
        for (content_type, needle) in [
            (Some("application/json"), "not JSON"),
            (None, "missing"),
            (Some("text/plain"), "text/plain is not accepted"),
            (Some("application/x-www-form-urlencoded"), "not accepted"),
        ] {
            let errors = refused(content_type, OK);
            assert_eq!(errors.len(), 1);
            let (loc, kind, msg) = &errors[0];
            assert_eq!(loc, &["body"]);
            assert_eq!(kind, "content_type");
            assert!(msg.contains(needle), "{msg}");
            assert!(msg.contains("application/yaml"), "{msg}");
        }
    }

    #[test]
    fn json_looking_yaml_is_yaml() {
        assert_eq!(locs("{}"), [["body", "compute", "gpu_type"]]);
        assert_eq!(kinds("{}"), ["missing"]);
        let query = read_yaml(r#"{"compute": {"gpu_type": "H100", "gpu_count": 2}}"#).unwrap();
        assert_eq!(query.gpu_types, ["H100"]);
        assert_eq!(query.gpu_count, 2);
        // An empty body is an empty spec: the GPU type is missing.
        assert_eq!(locs(""), [["body", "compute", "gpu_type"]]);
    }

    #[test]
    fn yaml_that_does_not_parse_names_line_and_column() {
        let errors = refused(
            Some("application/yaml"),
            "compute:\n  gpu_type: [H100\n  gpu_count: 1\n",
        );
        let (loc, kind, msg) = &errors[0];
        assert_eq!(loc, &["body"]);
        assert_eq!(kind, "yaml_invalid");
        assert!(msg.starts_with("Line "), "{msg}");
        assert!(msg.contains(", column "), "{msg}");
        let errors = refused(Some("application/yaml"), "a: 1\na: 2\n");
        assert!(
            errors[0].2.starts_with("Line 2, column 1:"),
            "{:?}",
            errors[0]
        );
    }

    #[test]
    fn wrong_types_name_their_field() {
        assert_eq!(
            locs("compute:\n  gpu_type: H100\n  gpu_count: eight\n"),
            [["body", "compute", "gpu_count"]]
        );
        assert_eq!(
            kinds("compute:\n  gpu_type: H100\n  gpu_count: eight\n"),
            ["int_type"]
        );
        assert_eq!(
            locs("compute:\n  gpu_type: H100\n  max_price_per_gpu_hour: cheap\n"),
            [["body", "compute", "max_price_per_gpu_hour"]]
        );
        assert_eq!(
            kinds("compute:\n  gpu_type: H100\n  max_price_per_gpu_hour: cheap\n"),
            ["float_type"]
        );
        assert_eq!(
            locs("compute:\n  gpu_type: [H100, A100]\n"),
            [["body", "compute", "gpu_type"]]
        );
        assert_eq!(kinds("compute:\n  gpu_type: [H100]\n"), ["string_type"]);
        assert_eq!(
            locs("compute:\n  gpu_type: H100\nnetwork:\n  supports_cilium: maybe\n"),
            [["body", "network", "supports_cilium"]]
        );
        assert_eq!(
            kinds("compute:\n  gpu_type: H100\nnetwork:\n  supports_cilium: maybe\n"),
            ["bool_type"]
        );
        assert_eq!(locs("compute: H100\n"), [["body", "compute"]]);
        assert_eq!(kinds("compute: H100\n"), ["dict_type"]);
        assert_eq!(locs("- H100\n"), [["body"]]);
        assert_eq!(
            locs("compute:\n  gpu_type: H100\nmax_procure_time_seconds: soon\n"),
            [["body", "max_procure_time_seconds"]]
        );
        assert_eq!(
            locs("compute:\n  gpu_type: H100\n  min_boot_disk_gb: -5\n"),
            [["body", "compute", "min_boot_disk_gb"]]
        );
    }

    #[test]
    fn the_service_rules_name_their_field() {
        let errors = refused(
            Some("application/yaml"),
            "compute:\n  gpu_type: H100\n  gpu_count: 3\n",
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, ["body", "compute", "gpu_count"]);
        assert_eq!(errors[0].1, "literal_error");
        assert!(errors[0].2.contains("1, 2, 4 or 8"), "{}", errors[0].2);
        assert_eq!(
            locs("compute:\n  gpu_count: 3\n"),
            [
                ["body", "compute", "gpu_type"],
                ["body", "compute", "gpu_count"]
            ]
        );
        assert_eq!(
            locs("compute:\n  gpu_type: H100\n  max_price_per_gpu_hour: -1\n"),
            [["body", "compute", "max_price_per_gpu_hour"]]
        );
        let errors = refused(
            Some("application/yaml"),
            "region: Mars\ncompute:\n  gpu_type: H100\n  contract_type: reserved\n  type: metal\n",
        );
        let found: Vec<_> = errors
            .iter()
            .map(|(loc, kind, msg)| (loc.join("."), kind.as_str(), msg.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "body.region".to_owned(),
                    "literal_error",
                    "Input should be 'US', 'EU', 'APAC' or 'Other'"
                ),
                (
                    "body.compute.contract_type".to_owned(),
                    "literal_error",
                    "Input should be 'ondemand' or 'spot'"
                ),
                (
                    "body.compute.type".to_owned(),
                    "literal_error",
                    "Input should be 'vm' or 'container'"
                ),
            ]
        );
    }

    #[test]
    fn storage_problems_name_the_volume() {
        let spec = "compute:\n  gpu_type: H100\nstorage:\n  - type: block_disk\n    size: 500GB\n  - type: filesystem\n    size: lots\n  - class: premium\n    size: 1TB\n  - type: tape\n";
        let errors = refused(Some("application/yaml"), spec);
        let found: Vec<_> = errors.iter().map(|(loc, _, _)| loc.join(".")).collect();
        assert_eq!(found, ["body.storage.2.type"], "{errors:?}");
        let spec = "compute:\n  gpu_type: H100\nstorage:\n  - type: block_disk\n  - type: filesystem\n    size: lots\n  - type: tape\n    class: gold\n  - type: filesystem\n    persistent: sure\n";
        let errors = refused(Some("application/yaml"), spec);
        let found: Vec<_> = errors.iter().map(|(loc, _, _)| loc.join(".")).collect();
        assert_eq!(found, ["body.storage.3.persistent"], "{errors:?}");
        let spec = "compute:\n  gpu_type: H100\nstorage:\n  - type: block_disk\n  - type: filesystem\n    size: lots\n  - type: tape\n    class: gold\n";
        let errors = refused(Some("application/yaml"), spec);
        let found: Vec<_> = errors.iter().map(|(loc, _, _)| loc.join(".")).collect();
        assert_eq!(
            found,
            [
                "body.storage.1.size",
                "body.storage.2.type",
                "body.storage.2.class"
            ]
        );
        assert_eq!(
            locs("compute:\n  gpu_type: H100\nstorage: big\n"),
            [["body", "storage"]]
        );
        assert_eq!(
            locs("compute:\n  gpu_type: H100\nstorage:\n  - type: \"\"\n"),
            [["body", "storage", "0", "type"]]
        );
    }

    #[test]
    fn a_spec_reads_with_its_defaults() {
        let query = read_yaml(
            "vendor: nebius\nregion: eu\nmax_procure_time_seconds: 300\ncompute:\n  gpu_type: \"H100 | nvidia-a100-sxm4-80gb\"\n  type: VM\n  max_price_per_gpu_hour: 4\n  contract_type: ondemand\n  min_boot_disk_gb: 200\n  extra_knob: 1\nnetwork:\n  supports_cilium: true\nstorage:\n  - type: filesystem\n    size: 2TB\n    persistent: true\n  - type: block_disk\n    class: performance\n",
        )
        .unwrap();
        assert_eq!(query.gpu_types, ["H100", "nvidia-a100-sxm4-80gb"]);
        assert_eq!(query.gpu_count, 1);
        assert_eq!(query.kind, Some(MachineKind::Vm));
        assert_eq!(query.region.as_deref(), Some("EU"));
        assert!(query.supports_cilium);
        assert_eq!(query.storage.len(), 2);
        assert_eq!(query.storage[0].size_gb, 2000.0);
        assert!(query.storage[0].persistent);
        assert_eq!(query.storage[1].name, "data-2");
        assert_eq!(query.storage[1].size_gb, 100.0);
        assert_eq!(
            query.filters_applied,
            json!({
                "region": "EU",
                "vendor": "nebius",
                "max_procure_time_seconds": 300,
                "compute": {
                    "gpu_type": "H100 | nvidia-a100-sxm4-80gb",
                    "gpu_count": 1,
                    "type": "vm",
                    "max_price_per_gpu_hour": 4,
                    "contract_type": "ondemand",
                    "min_boot_disk_gb": 200
                },
                "network": {"supports_cilium": true},
                "storage": [
                    {"type": "filesystem", "class": "standard", "size": "2TB", "persistent": true},
                    {"type": "block_disk", "class": "performance", "size": "100GB", "persistent": false}
                ]
            })
        );
        assert!(query.wants_gpu("H100", "nvidia-h100-pcie-80gb"));
        assert!(query.wants_gpu("A100", "nvidia-a100-sxm4-80gb"));
        assert!(!query.wants_gpu("A100", "nvidia-a100-pcie-40gb"));
        let rtx = OfferQuery::gpus(&["rtx4090"], 1);
        assert!(rtx.wants_gpu("RTX 4090", "nvidia-rtx-4090-24gb"));
    }

    #[test]
    fn sizes_read_in_gb() {
        assert_eq!(parse_size_gb("500GB"), Some(500.0));
        assert_eq!(parse_size_gb("2TB"), Some(2000.0));
        assert_eq!(parse_size_gb("1.5 tb"), Some(1500.0));
        assert_eq!(parse_size_gb("750"), Some(750.0));
        assert_eq!(parse_size_gb("1TiB"), Some(1099.51));
        assert_eq!(parse_size_gb("0GB"), None);
        assert_eq!(parse_size_gb("big"), None);
        assert_eq!(parse_size_gb("5PB"), None);
    }
}
