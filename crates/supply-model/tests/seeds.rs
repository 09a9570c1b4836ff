//! The published reference payloads decode, keep what they carry, and
//! round-trip; the tolerant paths accept what a real service may send.

// Tests may panic; clippy.toml's allow-*-in-tests does not cover the helpers
// outside #[test] functions.
#![allow(clippy::unwrap_used, clippy::panic)]

use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use supply_model::*;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// Numbers compared by value: `80` decoded into an `f64` comes back `80.0`.
fn numbers_as_f64(value: Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, inner)| (key, numbers_as_f64(inner)))
                .collect(),
        ),
        other => other,
    }
}

/// Decodes, re-encodes and compares with the original JSON value: nothing
/// added, nothing lost.
fn assert_round_trip<T: DeserializeOwned + Serialize>(body: &str) -> T {
    let original: Value = serde_json::from_str(body).unwrap();
    let decoded: T = serde_json::from_str(body).unwrap();
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(numbers_as_f64(encoded), numbers_as_f64(original));
    decoded
}

#[test]
fn resource_summary_reference_round_trips() {
    let resource: ResourceSummary = assert_round_trip(&fixture("resource-summary.json"));
    assert_eq!(resource.resource_id, "3c90c3cc-0d44-4b50-8888-8dd25736052a");
    assert_eq!(resource.access.as_ref().and_then(|a| a.ssh_port), Some(123));
    assert_eq!(resource.linked_resources.len(), 1);
    assert_eq!(resource.offer_history[0].role, "<string>");
    assert_eq!(resource.pricing_total_hourly, Some(123.0));
    assert!(resource.last_synced_at.unwrap().parsed().is_some());
}

#[test]
fn procure_reference_request_and_response_round_trip() {
    let request: ProcureRequest = assert_round_trip(&fixture("procure-request.json"));
    assert_eq!(request.cluster_name.as_deref(), Some("<string>"));
    let with_script: ProcureRequest =
        assert_round_trip(&fixture("procure-request-cloud-init.json"));
    assert!(with_script
        .cloud_init
        .unwrap()
        .starts_with("#cloud-config\n"));
    let response: ProcureResponse = assert_round_trip(&fixture("procure-response.json"));
    assert_eq!(response.status, ProcureStatus::Other("<string>".into()));
    assert_eq!(response.resource_ids.len(), 1);
}

#[test]
fn offer_status_round_trips_with_instances_and_resources() {
    let status: OfferStatusResponse = assert_round_trip(&fixture("offer-status.json"));
    assert_eq!(status.status, OfferState::Procured);
    assert_eq!(
        status.procurement_status,
        Some(ProcurementStatus::ProvisioningInProgress)
    );
    assert!(!status.is_final());
    assert_eq!(status.instances[1].ssh_command, None);
    assert_eq!(status.resources[0].role, "primary");
    assert_eq!(
        status::parse_progress(status.progress.as_deref().unwrap()),
        Some((1, 2))
    );
}

#[test]
fn k0rdent_instance_reference_round_trips() {
    let instance: k0rdent::Instance = assert_round_trip(&fixture("k0rdent-instance.json"));
    assert_eq!(instance.id, "instance-d4e5f6");
    assert_eq!(
        instance
            .lifecycle
            .as_ref()
            .and_then(|l| l.status.as_deref()),
        Some("PROVISIONING")
    );
    assert!(!instance.lifecycle.unwrap().is_final());
    assert_eq!(instance.disks[0].size_gb, Some(123));
    assert_eq!(instance.disks[0].kind.as_deref(), Some("PERSISTENT"));
    assert_eq!(instance.nics[0].vlan, Some(123));
    assert_eq!(instance.gpus[0].count, Some(123));
    assert_eq!(instance.instance_metadata[0].key, "ssh-keys");
    assert_eq!(
        k0rdent::name_from_uri(instance.instance_type.as_deref().unwrap()),
        "g1-xlarge"
    );
}

#[test]
fn validation_errors_name_their_body_fields() {
    let body = fixture("validation-error.json");
    let parsed: HttpValidationError = assert_round_trip(&body);
    assert_eq!(parsed.detail[0].body_field(), Some("ssh_public_key"));
    assert_eq!(parsed.detail[1].body_field(), Some("cloud_init"));
    assert_eq!(parsed.detail[1].location(), "body → cloud_init → 0");
    match parse_error_detail(&body) {
        Some(ErrorDetail::Fields(fields)) => assert_eq!(fields.len(), 2),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[test]
fn text_details_and_unusable_bodies() {
    assert_eq!(
        parse_error_detail(r#"{"detail":"Offer expired"}"#),
        Some(ErrorDetail::Text("Offer expired".into()))
    );
    assert_eq!(parse_error_detail("<html>502 Bad Gateway</html>"), None);
    assert_eq!(parse_error_detail(r#"{"detail":""}"#), None);
    assert_eq!(parse_error_detail(r#"{"message":"x"}"#), None);
}

#[test]
fn offers_decode_in_the_published_shape_and_keep_unknowns() {
    let answer = decode_offers_answer(&fixture("offers.json")).unwrap();
    assert_eq!(answer.total_count, Some(3));
    assert_eq!(
        answer.filters_applied,
        Some(json!({"compute": {"gpu_type": "H100 | A100"}}))
    );
    let offers = &answer.offers;
    assert_eq!(offers.len(), 3);
    assert_eq!(offers[0].price_per_gpu_hour(), Some(2.99));
    assert_eq!(offers[0].total_hourly(), Some(24.14));
    assert_eq!(offers[0].storage_details[0].persistent, Some(true));
    assert_eq!(offers[0].kind, Some(MachineKind::Vm));
    assert!(!offers[0].is_cluster());
    assert!(offers[1].is_cluster());
    assert!(offers[1].is_spot());
    assert_eq!(offers[1].boot_disk_in_gb, None);
    assert_eq!(offers[1].extra.get("sla"), Some(&json!("99.9")));
    assert_eq!(
        offers[2].contract_type,
        Some(ContractType::Other("reserved".into()))
    );
    assert_eq!(
        offers[2].kind,
        Some(MachineKind::Other("bare_metal".into()))
    );
    assert_eq!(offers[2].gpu_type, None);

    // A bare list (a proxy that unwraps it) reads too.
    let bare = serde_json::to_string(&answer.offers).unwrap();
    assert_eq!(&decode_offers_answer(&bare).unwrap().offers, offers);
    assert!(decode_offers_answer(r#"{"offers": null}"#)
        .unwrap()
        .offers
        .is_empty());
    // Every offer re-encodes to exactly what came, nulls aside.
    let original: Value = serde_json::from_str(&fixture("offers.json")).unwrap();
    let drop_nulls = |value: Value| match value {
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| match item {
                    Value::Object(map) => {
                        Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
                    }
                    other => other,
                })
                .collect(),
        ),
        other => other,
    };
    assert_eq!(
        numbers_as_f64(serde_json::to_value(offers).unwrap()),
        numbers_as_f64(drop_nulls(original["offers"].clone()))
    );
}

#[test]
fn offer_expiry_counts_down() {
    let offers = decode_offers_answer(&fixture("offers.json"))
        .unwrap()
        .offers;
    let at = |raw: &str| time::parse_timestamp(raw).unwrap();
    assert_eq!(offers[0].seconds_left(at("2026-11-23T10:29:00Z")), Some(60));
    assert!(!offers[0].is_expired(at("2026-11-23T10:29:59Z")));
    assert!(offers[0].is_expired(at("2026-11-23T10:30:00Z")));
    assert_eq!(offers[1].seconds_left(at("2026-11-23T10:29:00Z")), None);
}

#[test]
fn wrong_shapes_are_decode_errors_not_panics() {
    assert!(decode_offers_answer(r#"{"offers": "none"}"#).is_err());
    assert!(decode_offers_answer("42").is_err());
    assert!(
        decode_offers_answer(r#"{"offers": [{"vendor": "x"}]}"#).is_err(),
        "offer_id is required"
    );
    assert!(
        decode_offers_answer(r#"{"offers": [{"offer_id": "a", "gpu_count": "eight"}]}"#).is_err()
    );
    assert!(decode_offers_answer("{not json").is_err());
}

#[test]
fn missing_optionals_and_nulls_are_fine() {
    let status: OfferStatusResponse = serde_json::from_value(json!({
        "offer_id": "x", "status": "available", "created_at": "2026-01-01T00:00:00Z",
        "instances": null, "resources": null, "procurement_status": "queued_at_vendor"
    }))
    .unwrap();
    assert!(status.instances.is_empty());
    assert_eq!(
        status.procurement_status,
        Some(ProcurementStatus::Other("queued_at_vendor".into()))
    );
    let resource: ResourceSummary = serde_json::from_value(json!({
        "resource_id": "r", "resource_type": "vm", "vendor": "v", "vendor_region": "r1",
        "status": "running", "created_at": "2026-01-01T00:00:00Z", "spec": null,
        "access": null, "future_field": {"nested": true}
    }))
    .unwrap();
    assert!(resource.spec.is_empty());
    assert_eq!(
        resource.extra.get("future_field"),
        Some(&json!({"nested": true}))
    );
    let list = decode_resources(r#"{"resources":[]}"#).unwrap();
    assert!(list.is_empty());
    let instance: k0rdent::Instance = serde_json::from_value(json!({"id": "i-1"})).unwrap();
    assert!(instance.disks.is_empty() && instance.lifecycle.is_none());
}

#[test]
fn unknown_enum_values_round_trip_raw() {
    for raw in ["ondemand", "spot", "reserved"] {
        let parsed: ContractType = serde_json::from_value(json!(raw)).unwrap();
        assert_eq!(parsed.as_str(), raw);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(raw));
    }
}
