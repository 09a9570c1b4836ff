//! The offer spec written as YAML reads back, with an independent parser,
//! as exactly the document meant, whatever the strings hold; and YAML typed
//! by hand reads into the spec, keeping what the model does not know.

// Tests may panic; clippy.toml's allow-*-in-tests does not cover the helpers
// outside #[test] functions.
#![allow(clippy::unwrap_used, clippy::panic)]

use serde_json::{json, Value};
use supply_model::offer_spec::{field_messages, OfferSpec, SpecField, StorageVolume};
use supply_model::ApiFailure;
use yaml_rust2::{Yaml, YamlLoader};

/// The YAML as an independent YAML 1.2 reader sees it, as JSON.
fn read_back(text: &str) -> Value {
    let docs = YamlLoader::load_from_str(text).unwrap_or_else(|err| panic!("{err}\n{text}"));
    assert!(docs.len() <= 1, "{text}");
    docs.first().map_or(Value::Null, to_json)
}

fn to_json(yaml: &Yaml) -> Value {
    match yaml {
        Yaml::Real(raw) => json!(raw.parse::<f64>().unwrap()),
        Yaml::Integer(n) => json!(n),
        Yaml::String(s) => json!(s),
        Yaml::Boolean(b) => json!(b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.as_str().unwrap().to_owned(), to_json(v)))
                .collect(),
        ),
        Yaml::Null => Value::Null,
        other => panic!("unexpected {other:?}"),
    }
}

/// Numbers compared by value (an integer price reads back as an integer).
fn by_value(value: Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.into_iter().map(by_value).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, by_value(v))).collect())
        }
        other => other,
    }
}

/// Every combination of the spec's fields, each set or not.
fn every_combination() -> Vec<OfferSpec> {
    let mut specs = Vec::new();
    for mask in 0u32..(1 << 12) {
        let on = |bit: u32| mask & (1 << bit) != 0;
        let mut spec = OfferSpec::default();
        if on(0) {
            spec.region = Some("EU".into());
        }
        if on(1) {
            spec.vendor = Some("nebius".into());
        }
        if on(2) {
            spec.max_procure_time_seconds = Some(300);
        }
        if on(3) {
            spec.compute.gpu_types = vec!["H100".into()];
        }
        if on(4) {
            spec.compute.gpu_types.push("nvidia-a100-sxm4-80gb".into());
        }
        if on(5) {
            spec.compute.gpu_count = Some(8);
        }
        if on(6) {
            spec.compute.kind = Some("container".into());
        }
        if on(7) {
            spec.compute.max_price_per_gpu_hour = Some(if on(0) { 4.0 } else { 2.75 });
        }
        if on(8) {
            spec.compute.contract_type = Some("spot".into());
        }
        if on(9) {
            spec.compute.min_boot_disk_gb = Some(200);
        }
        if on(10) {
            spec.network.supports_cilium = Some(!on(1));
        }
        if on(11) {
            spec.storage.push(StorageVolume {
                kind: "filesystem".into(),
                class: on(2).then(|| "performance".into()),
                size: Some("2TB".into()),
                persistent: Some(on(3)),
                extra: Vec::new(),
            });
            if on(4) {
                spec.storage.push(StorageVolume {
                    kind: "block_disk".into(),
                    size: Some("500GB".into()),
                    ..Default::default()
                });
            }
        }
        specs.push(spec);
    }
    specs
}

#[test]
fn every_combination_of_fields_reads_back() {
    for spec in every_combination() {
        let text = spec.to_yaml();
        // An empty document is null; the empty spec's JSON is `{}`.
        let back = match read_back(&text) {
            Value::Null => json!({}),
            back => back,
        };
        assert_eq!(by_value(back), by_value(spec.to_json()), "{text}");
        assert_eq!(OfferSpec::from_yaml(&text).as_ref(), Ok(&spec), "{text}");
    }
}

#[test]
fn the_written_spec_looks_like_the_pages_example() {
    let mut spec = OfferSpec {
        vendor: Some("nebius".into()),
        region: Some("EU".into()),
        ..Default::default()
    };
    spec.compute.gpu_types = vec!["H100".into(), "A100".into()];
    spec.compute.gpu_count = Some(1);
    spec.compute.max_price_per_gpu_hour = Some(5.0);
    spec.compute.contract_type = Some("ondemand".into());
    spec.network.supports_cilium = Some(true);
    assert_eq!(
        spec.to_yaml(),
        "region: \"EU\"\nvendor: \"nebius\"\ncompute:\n  gpu_type: \"H100 | A100\"\n  gpu_count: 1\n  max_price_per_gpu_hour: 5\n  contract_type: \"ondemand\"\nnetwork:\n  supports_cilium: true\n"
    );
}

const HOSTILE: &[&str] = &[
    "x\ncompute: {}",
    "x\n  gpu_count: 8",
    "\"; rm -rf / #",
    "a: b",
    "- item",
    "[1, 2]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "!!python/object:os.system",
    "--- \n...",
    "# comment",
    "'single'",
    "back\\slash\\n",
    "\u{0}\u{1}\u{7}\u{1b}[31m",
    "\u{85}next line\u{2028}ls\u{2029}ps",
    "\u{feff}bom",
    "tab\there",
    "\r\ncrlf",
    "emoji 🚀🔥 and مرحبا and 日本語",
    "true",
    "null",
    "8",
    "",
    " leading and trailing ",
    "%YAML 1.2",
    "@at `tick` |pipe >fold",
];

#[test]
fn hostile_strings_stay_one_string() {
    for hostile in HOSTILE {
        let mut spec = OfferSpec {
            vendor: Some((*hostile).to_owned()),
            region: Some(format!("{hostile}{hostile}")),
            ..Default::default()
        };
        // `|` separates alternatives, and each is trimmed.
        spec.compute.gpu_types = vec![format!("H100{hostile}").replace('|', "/").trim().to_owned()];
        spec.compute.contract_type = Some((*hostile).to_owned());
        spec.compute.kind = Some((*hostile).to_owned());
        spec.storage.push(StorageVolume {
            kind: (*hostile).to_owned(),
            class: Some((*hostile).to_owned()),
            size: Some((*hostile).to_owned()),
            persistent: None,
            extra: Vec::new(),
        });
        let text = spec.to_yaml();
        let back = read_back(&text);
        let keys: Vec<&String> = back.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["compute", "region", "storage", "vendor"], "{text}");
        assert_eq!(back["vendor"], json!(hostile), "{text}");
        assert_eq!(back["compute"].as_object().unwrap().len(), 3, "{text}");
        assert_eq!(back["storage"][0].as_object().unwrap().len(), 3, "{text}");
        assert_eq!(back, spec.to_json(), "{text}");
        assert_eq!(OfferSpec::from_yaml(&text).as_ref(), Ok(&spec), "{text}");
    }
}

#[test]
fn typed_yaml_reads_and_keeps_unknown_keys() {
    let text = "\
# a spec typed by hand
vendor: nebius
region: EU
max_procure_time_seconds: 300
compute:
  gpu_type: H100 | nvidia-a100-sxm4-80gb
  gpu_count: 8
  type: vm
  max_price_per_gpu_hour: 4
  contract_type: ondemand
  min_boot_disk_gb: 200
  gpu_vram_min: 80
network:
  supports_cilium: true
  ipv6: required
storage:
  - type: filesystem
    class: standard
    size: 2TB
    persistent: true
    mount: /data
future_section:
  nested: [1, two, {three: 3}]
";
    let spec = OfferSpec::from_yaml(text).unwrap();
    assert_eq!(spec.compute.gpu_types, ["H100", "nvidia-a100-sxm4-80gb"]);
    assert_eq!(spec.compute.gpu_count, Some(8));
    assert_eq!(spec.compute.max_price_per_gpu_hour, Some(4.0));
    assert_eq!(spec.storage[0].persistent, Some(true));
    assert!(spec.has_unshown_parts());
    let written = spec.to_yaml();
    let back = read_back(&written);
    assert_eq!(back["compute"]["gpu_vram_min"], json!(80));
    assert_eq!(back["network"]["ipv6"], json!("required"));
    assert_eq!(back["storage"][0]["mount"], json!("/data"));
    assert_eq!(
        back["future_section"],
        json!({"nested": [1, "two", {"three": 3}]})
    );
    assert_eq!(by_value(back), by_value(read_back(text)));
    assert_eq!(OfferSpec::from_yaml(&written), Ok(spec));
}

#[test]
fn problems_name_the_field_line_and_column() {
    let problems =
        OfferSpec::from_yaml("compute:\n  gpu_count: eight\n  gpu_type: [H100]\n").unwrap_err();
    let placed: Vec<(SpecField, usize, usize)> = problems
        .iter()
        .map(|p| (p.field, p.at.line, p.at.column))
        .collect();
    assert_eq!(
        placed,
        [(SpecField::GpuCount, 2, 14), (SpecField::GpuType, 3, 13)]
    );
    assert!(
        problems[0].to_string().starts_with("Line 2, column 14:"),
        "{}",
        problems[0]
    );

    let broken = OfferSpec::from_yaml("compute:\n  gpu_type: \"H100\n").unwrap_err();
    assert_eq!(broken[0].field, SpecField::Spec);
    assert!(broken[0].at.line >= 2, "{broken:?}");
    assert!(broken[0].message.starts_with("YAML error"));

    assert!(OfferSpec::from_yaml("- a list\n").is_err());
    assert!(OfferSpec::from_yaml("storage:\n  - class: standard\n").is_err());
    assert_eq!(OfferSpec::from_yaml(""), Ok(OfferSpec::default()));
}

#[test]
fn what_the_service_would_refuse_is_caught_first() {
    let fields = |spec: &OfferSpec| spec.problems().iter().map(|p| p.field).collect::<Vec<_>>();
    assert_eq!(fields(&OfferSpec::default()), [SpecField::GpuType]);
    let mut spec = OfferSpec::default();
    spec.compute.gpu_types = vec!["H100".into()];
    assert!(fields(&spec).is_empty());
    spec.compute.gpu_count = Some(3);
    spec.compute.max_price_per_gpu_hour = Some(-1.0);
    assert_eq!(fields(&spec), [SpecField::GpuCount, SpecField::MaxPrice]);
    // Storage alone needs no GPU (yaml-spec: compute is "required unless
    // storage-only").
    let storage_only = OfferSpec {
        storage: vec![StorageVolume {
            kind: "filesystem".into(),
            size: Some("1TB".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert!(fields(&storage_only).is_empty());
}

#[test]
fn a_422_loc_finds_its_filter() {
    let loc = |parts: &[&str]| parts.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        SpecField::from_loc(&loc(&["body", "compute", "gpu_type"])),
        SpecField::GpuType
    );
    assert_eq!(
        SpecField::from_loc(&loc(&["compute", "gpu_count"])),
        SpecField::GpuCount
    );
    assert_eq!(
        SpecField::from_loc(&loc(&["body", "storage", "0", "class"])),
        SpecField::Storage
    );
    assert_eq!(
        SpecField::from_loc(&loc(&["body", "region"])),
        SpecField::Region
    );
    assert_eq!(SpecField::from_loc(&loc(&["body"])), SpecField::Spec);
    assert_eq!(SpecField::from_loc(&loc(&["query", "x"])), SpecField::Spec);
}

#[test]
fn messages_land_on_their_fields_the_services_last() {
    let mut spec = OfferSpec::default();
    spec.compute.gpu_types = vec!["H100".into()];
    spec.compute.gpu_count = Some(3);
    let refusal = ApiFailure::from_response(
        422,
        r#"{"detail":[{"loc":["body","region"],"msg":"unknown region","type":"value_error"}]}"#,
        None,
    );
    let placed = field_messages(&spec.problems(), Some(&refusal));
    let fields: Vec<SpecField> = placed.iter().map(|(field, _)| *field).collect();
    assert_eq!(fields, [SpecField::GpuCount, SpecField::Region]);
    assert_eq!(
        placed.last().map(|(_, m)| m.as_str()),
        Some("unknown region")
    );
    let other = ApiFailure::from_response(503, "", None);
    assert_eq!(field_messages(&[], Some(&other)), []);
    assert_eq!(field_messages(&[], None), []);
}

#[test]
fn families_fill_an_empty_gpu_choice() {
    let families = vec!["H100".to_owned(), "A100".to_owned()];
    let spec = OfferSpec::default().with_default_gpus(&families);
    assert_eq!(spec.compute.gpu_types, families);
    let mut chosen = OfferSpec::default();
    chosen.compute.gpu_types = vec!["L40S".into()];
    assert_eq!(
        chosen.with_default_gpus(&families).compute.gpu_types,
        ["L40S"]
    );
}
