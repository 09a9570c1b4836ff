//! The simulated world driven with an explicit clock.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use supply_model::offer_spec::GPU_COUNTS;
use supply_model::{
    ContractType, LocItem, MachineKind, Offer, OfferState, OffersAnswer, ProcureStatus,
    ProcurementStatus,
};

use crate::catalog::{self, FAMILIES};
use crate::procurement::Deployment;
use crate::resources::seeded;
use crate::spec::OfferQuery;
use crate::{k0rdent, ApiError, Sim, SimConfig};

/// Every family the catalog sells, as one spec asks for them.
const ALL: &str = "H100 | H200 | A100 | L40S | L4 | RTX 4090";
const YAML: Option<&str> = Some("application/yaml");

use crate::test_start as start;

fn at(secs: i64) -> DateTime<Utc> {
    start() + Duration::seconds(secs)
}

fn sim(offers: usize) -> Sim {
    Sim::new(SimConfig { seed: 42, offers }, start())
}

fn ask(world: &mut Sim, spec: &str, now: DateTime<Utc>) -> OffersAnswer {
    let answer = world
        .get_offers_body(YAML, spec.as_bytes(), now)
        .unwrap_or_else(|err| panic!("{spec}: {err:?}"));
    assert_eq!(answer.total_count, Some(answer.offers.len() as u64));
    answer
}

fn offers(world: &mut Sim, spec: &str) -> Vec<Offer> {
    ask(world, spec, start()).offers
}

fn every_gpu(count: u32) -> String {
    format!("compute:\n  gpu_type: \"{ALL}\"\n  gpu_count: {count}\n")
}

fn ids(offers: &[Offer]) -> Vec<&str> {
    offers.iter().map(|o| o.offer_id.as_str()).collect()
}

/// Every offer still on sale at `now`, whatever its GPU count.
fn for_sale(world: &mut Sim, now: DateTime<Utc>) -> Vec<Offer> {
    let families: Vec<&str> = FAMILIES.iter().map(|f| f.name).collect();
    GPU_COUNTS
        .iter()
        .flat_map(|count| {
            world
                .get_offers(&OfferQuery::gpus(&families, *count), now)
                .offers
        })
        .collect()
}

fn procure_body(offer: &Offer, extra: serde_json::Value) -> Vec<u8> {
    let mut body = json!({
        "offer_id": offer.offer_id,
        "ssh_public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc me@laptop",
    });
    if let (Some(map), serde_json::Value::Object(more)) = (body.as_object_mut(), extra) {
        map.extend(more);
    }
    serde_json::to_vec(&body).unwrap()
}

/// An offer on sale of the given deployment (and node count) that expires
/// no sooner than `min_life` seconds after the start.
fn pick(world: &mut Sim, kind: Deployment, nodes: Option<u32>, min_life: i64) -> Offer {
    for_sale(world, start())
        .into_iter()
        .find(|o| {
            Deployment::of(o) == kind
                && (nodes.is_none() || o.node_count == nodes)
                && catalog::offer_expires_at(o).unwrap() > at(min_life)
        })
        .expect("the catalog holds such an offer")
}

fn locs(error: ApiError) -> Vec<Vec<String>> {
    match error {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| e.loc.iter().map(LocItem::to_string).collect())
            .collect(),
        other => panic!("expected 422, got {other:?}"),
    }
}

fn refusal(world: &mut Sim, content_type: Option<&str>, body: &str) -> (Vec<String>, String) {
    match world.get_offers_body(content_type, body.as_bytes(), start()) {
        Err(ApiError::Validation(errors)) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            (
                errors[0].loc.iter().map(LocItem::to_string).collect(),
                errors[0].kind.clone(),
            )
        }
        other => panic!("expected 422 for {body:?}, got {other:?}"),
    }
}

#[test]
fn the_catalog_keeps_n_live_offers_as_they_expire() {
    let mut world = sim(300);
    let first = world.live_offers(start());
    assert_eq!(first.len(), 300);
    for minutes in [10, 29, 31, 95] {
        let now = at(minutes * 60);
        let live = world.live_offers(now);
        assert_eq!(live.len(), 300);
        assert!(live.iter().all(|o| !o.is_expired(now)), "{minutes} min");
        assert_eq!(for_sale(&mut world, now).len(), 300, "{minutes} min");
    }
    let later = world.live_offers(at(31 * 60));
    assert!(first
        .iter()
        .zip(&later)
        .all(|(a, b)| a.offer_id != b.offer_id));
}

#[test]
fn get_offers_refuses_what_the_service_refuses() {
    let mut world = sim(50);
    let ok = "compute:\n  gpu_type: H100\n";
    let cases: [(Option<&str>, &str, &[&str], &str); 9] = [
        (Some("application/json"), "{}", &["body"], "content_type"),
        (Some("application/json"), ok, &["body"], "content_type"),
        (None, ok, &["body"], "content_type"),
        (YAML, "{}", &["body", "compute", "gpu_type"], "missing"),
        (
            YAML,
            "vendor: nebius\ncompute:\n  gpu_count: 1\n",
            &["body", "compute", "gpu_type"],
            "missing",
        ),
        (
            YAML,
            "compute:\n  gpu_type: [H100\n",
            &["body"],
            "yaml_invalid",
        ),
        (
            YAML,
            "compute:\n  gpu_type: H100\n  gpu_count: 3\n",
            &["body", "compute", "gpu_count"],
            "literal_error",
        ),
        (
            YAML,
            "compute:\n  gpu_type: H100\n  gpu_count: \"8\"\n",
            &["body", "compute", "gpu_count"],
            "int_type",
        ),
        (
            YAML,
            "region: EU\ncompute:\n  gpu_type: H100\n  contract_type: 5\n  max_price_per_gpu_hour: [1]\n",
            &["body", "compute", "max_price_per_gpu_hour"],
            "float_type",
        ),
    ];
    for (content_type, body, loc, kind) in cases {
        let (found, found_kind) = refusal(&mut world, content_type, body);
        assert_eq!(found, loc, "{body:?}");
        assert_eq!(found_kind, kind, "{body:?}");
    }
    // JSON that is YAML, under a YAML content type, is read as YAML.
    let answer = world
        .get_offers_body(
            Some("application/x-yaml"),
            br#"{"compute": {"gpu_type": "H100", "gpu_count": 1}}"#,
            start(),
        )
        .unwrap();
    assert!(!answer.offers.is_empty());
}

#[test]
fn the_answer_is_the_published_wrapper_sorted_by_price() {
    let mut world = sim(300);
    let answer = ask(
        &mut world,
        &format!("compute:\n  gpu_type: \"{ALL}\"\n"),
        start(),
    );
    // "dozens" of single-GPU offers for every family together.
    assert!(
        (36..=300).contains(&answer.offers.len()),
        "{}",
        answer.offers.len()
    );
    let totals: Vec<f64> = answer
        .offers
        .iter()
        .map(|o| o.total_price_per_hour.unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
    assert_eq!(
        answer.filters_applied,
        Some(json!({"compute": {"gpu_type": ALL, "gpu_count": 1}}))
    );
    let families: BTreeSet<_> = answer
        .offers
        .iter()
        .filter_map(|o| o.gpu_family.clone())
        .collect();
    assert_eq!(families.len(), FAMILIES.len());
    // Each family with each count has offers.
    for family in FAMILIES {
        for count in GPU_COUNTS {
            let spec = format!(
                "compute:\n  gpu_type: {}\n  gpu_count: {count}\n",
                serde_json::to_string(family.name).unwrap()
            );
            let hits = offers(&mut world, &spec);
            assert!(!hits.is_empty(), "{} x{count}", family.name);
            assert!(hits.iter().all(
                |o| o.gpu_family.as_deref() == Some(family.name) && o.gpu_count == Some(count)
            ));
        }
    }
}

#[test]
fn gpu_types_match_families_names_and_alternatives() {
    let mut world = sim(300);
    let h100 = offers(&mut world, "compute:\n  gpu_type: H100\n");
    let names: BTreeSet<_> = h100.iter().filter_map(|o| o.gpu_type.clone()).collect();
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["nvidia-h100-pcie-80gb", "nvidia-h100-sxm5-80gb"]
    );
    assert!(h100.iter().all(|o| o.gpu_family.as_deref() == Some("H100")));
    let lower = offers(&mut world, "compute:\n  gpu_type: h100\n");
    assert_eq!(ids(&lower), ids(&h100));

    let pcie = offers(&mut world, "compute:\n  gpu_type: nvidia-h100-pcie-80gb\n");
    assert!(!pcie.is_empty() && pcie.len() < h100.len());
    assert!(pcie
        .iter()
        .all(|o| o.gpu_type.as_deref() == Some("nvidia-h100-pcie-80gb")));
    let shouted = offers(&mut world, "compute:\n  gpu_type: NVIDIA-H100-PCIE-80GB\n");
    assert_eq!(ids(&shouted), ids(&pcie));

    let l4 = offers(&mut world, "compute:\n  gpu_type: L4\n");
    let both = offers(&mut world, "compute:\n  gpu_type: \"H100 | L4\"\n");
    let union: BTreeSet<&str> = ids(&h100).into_iter().chain(ids(&l4)).collect();
    assert_eq!(ids(&both).into_iter().collect::<BTreeSet<_>>(), union);
    // "L4" is a family of its own, not a prefix of L40S.
    assert!(l4.iter().all(|o| o.gpu_family.as_deref() == Some("L4")));

    let rtx = offers(&mut world, "compute:\n  gpu_type: RTX 4090\n");
    assert!(!rtx.is_empty());
    assert!(rtx
        .iter()
        .all(|o| o.gpu_type.as_deref() == Some("nvidia-rtx-4090-24gb")));
    let squashed = offers(&mut world, "compute:\n  gpu_type: rtx4090\n");
    assert_eq!(ids(&squashed), ids(&rtx));

    let unknown = ask(&mut world, "compute:\n  gpu_type: B200\n", start());
    assert!(unknown.offers.is_empty());
    assert_eq!(unknown.total_count, Some(0));
}

#[test]
fn gpu_count_matches_exactly_and_defaults_to_one() {
    let mut world = sim(300);
    let implied = offers(&mut world, &format!("compute:\n  gpu_type: \"{ALL}\"\n"));
    let one = offers(&mut world, &every_gpu(1));
    assert_eq!(ids(&implied), ids(&one));
    for count in GPU_COUNTS {
        let hits = offers(&mut world, &every_gpu(count));
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|o| o.gpu_count == Some(count)), "{count}");
    }
}

#[test]
fn every_filter_narrows_the_offers() {
    type Keep = Box<dyn Fn(&Offer) -> bool>;
    let mut world = sim(300);
    let base = offers(&mut world, &every_gpu(1));
    let vendor_of = |o: &Offer| catalog::vendor(o.vendor.as_deref().unwrap()).unwrap();
    let cases: Vec<(String, Keep)> = vec![
        (
            format!("region: EU\n{}", every_gpu(1)),
            Box::new(|o: &Offer| o.region.as_deref() == Some("EU")),
        ),
        (
            format!("region: apac\n{}", every_gpu(1)),
            Box::new(|o: &Offer| o.region.as_deref() == Some("APAC")),
        ),
        (
            format!("vendor: Nebius\n{}", every_gpu(1)),
            Box::new(|o: &Offer| o.vendor.as_deref() == Some("nebius")),
        ),
        (
            format!("{}  contract_type: spot\n", every_gpu(1)),
            Box::new(|o: &Offer| o.contract_type == Some(ContractType::Spot)),
        ),
        (
            format!("{}  contract_type: ondemand\n", every_gpu(1)),
            Box::new(|o: &Offer| o.contract_type == Some(ContractType::OnDemand)),
        ),
        (
            format!("{}  type: container\n", every_gpu(1)),
            Box::new(|o: &Offer| o.kind == Some(MachineKind::Container)),
        ),
        (
            format!("{}  type: vm\n", every_gpu(1)),
            Box::new(|o: &Offer| o.kind == Some(MachineKind::Vm)),
        ),
        (
            format!("{}  max_price_per_gpu_hour: 1.5\n", every_gpu(1)),
            Box::new(|o: &Offer| o.gpu_price_per_hour.unwrap() <= 1.5),
        ),
        (
            format!("{}  min_boot_disk_gb: 200\n", every_gpu(1)),
            Box::new(|o: &Offer| o.boot_disk_in_gb.is_some_and(|gb| gb >= 200.0)),
        ),
        (
            format!("{}network:\n  supports_cilium: true\n", every_gpu(1)),
            Box::new(move |o: &Offer| vendor_of(o).cilium),
        ),
        (
            format!("max_procure_time_seconds: 150\n{}", every_gpu(1)),
            Box::new(move |o: &Offer| vendor_of(o).procure_secs(o.node_count.unwrap_or(1)) <= 150),
        ),
    ];
    for (spec, keep) in cases {
        let hits = offers(&mut world, &spec);
        assert!(!hits.is_empty(), "{spec}");
        assert!(hits.len() < base.len(), "{spec}");
        // Exactly the offers that pass, in the same (price) order.
        let expected: Vec<&str> = base
            .iter()
            .filter(|o| keep(o))
            .map(|o| o.offer_id.as_str())
            .collect();
        assert_eq!(ids(&hits), expected, "{spec}");
    }
    // Offers whose vendor does not validate the boot disk have none, and
    // the boot disk filter leaves them out.
    assert!(base.iter().any(|o| o.boot_disk_in_gb.is_none()));
    assert!(base.iter().any(|o| o.vcpu_count.is_none()));
    // `supports_cilium: false` asks for nothing.
    let any = offers(
        &mut world,
        &format!("{}network:\n  supports_cilium: false\n", every_gpu(1)),
    );
    assert_eq!(ids(&any), ids(&base));
    // Filters combine.
    let narrow = offers(
        &mut world,
        "vendor: nebius\nregion: EU\ncompute:\n  gpu_type: H100\n  gpu_count: 8\n  max_price_per_gpu_hour: 4\n  contract_type: ondemand\n",
    );
    assert!(narrow.iter().all(|o| o.vendor.as_deref() == Some("nebius")
        && o.region.as_deref() == Some("EU")
        && o.gpu_count == Some(8)
        && o.gpu_price_per_hour.unwrap() <= 4.0
        && !o.is_spot()));
}

#[test]
fn storage_volumes_are_priced_into_each_offer() {
    let mut world = sim(300);
    let plain = offers(&mut world, &every_gpu(2));
    let spec = format!(
        "{}storage:\n  - type: filesystem\n    size: 2TB\n    persistent: true\n  - type: block_disk\n    size: 500GB\n",
        every_gpu(2)
    );
    let answer = ask(&mut world, &spec, start());
    let hits = answer.offers;
    assert!(!hits.is_empty());
    assert!(hits.len() < plain.len());
    let vendors: BTreeSet<_> = hits.iter().filter_map(|o| o.vendor.clone()).collect();
    for name in &vendors {
        let vendor = catalog::vendor(name).unwrap();
        assert!(vendor
            .storage
            .iter()
            .any(|s| s.kind == "filesystem" && s.class == "standard" && s.persistent));
    }
    assert!(!vendors.contains("vast"), "vast has no filesystems");
    for offer in &hits {
        let details = &offer.storage_details;
        assert_eq!(details.len(), 2);
        let fs = &details[0];
        assert_eq!(fs.name.as_deref(), Some("data"));
        assert_eq!(fs.size_gb, Some(2000.0));
        assert_eq!(fs.kind.as_deref(), Some("filesystem"));
        assert_eq!(fs.storage_class.as_deref(), Some("standard"));
        assert_eq!(fs.persistent, Some(true));
        assert_eq!(fs.vendor_region, offer.vendor_region);
        assert!(fs.vendor_class.is_some());
        let block = &details[1];
        assert_eq!(block.name.as_deref(), Some("data-2"));
        assert_eq!(block.size_gb, Some(500.0));
        assert_eq!(block.persistent, Some(false));
        for volume in details {
            let monthly = volume.size_gb.unwrap() * volume.price_per_gb_month.unwrap();
            assert!((volume.monthly_cost.unwrap() - monthly).abs() < 0.01);
            assert!((volume.hourly_cost.unwrap() - monthly / 730.0).abs() < 1e-4);
        }
        let storage: f64 = details.iter().map(|v| v.hourly_cost.unwrap()).sum();
        assert!((offer.storage_price_per_hour.unwrap() - storage).abs() < 1e-4);
        assert!(offer.storage_price_per_hour.unwrap() > 0.0);
        let total = offer.gpu_price_per_hour.unwrap() * f64::from(offer.gpu_count.unwrap())
            + offer.storage_price_per_hour.unwrap();
        assert!((offer.total_price_per_hour.unwrap() - total).abs() < 1e-6);
        // The same offer without storage costs the GPUs alone.
        let bare = plain.iter().find(|o| o.offer_id == offer.offer_id).unwrap();
        assert!(bare.total_price_per_hour < offer.total_price_per_hour);
    }
    let totals: Vec<f64> = hits
        .iter()
        .map(|o| o.total_price_per_hour.unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(
        answer.filters_applied.unwrap()["storage"][1],
        json!({"type": "block_disk", "class": "standard", "size": "500GB", "persistent": false})
    );

    // A class some vendors lack, and persistence others lack.
    let premium = offers(
        &mut world,
        &format!(
            "{}storage:\n  - type: filesystem\n    class: premium\n    size: 1TB\n",
            every_gpu(2)
        ),
    );
    assert!(!premium.is_empty());
    assert!(premium
        .iter()
        .all(|o| { matches!(o.vendor.as_deref(), Some("datacrunch" | "coreweave")) }));
    let ephemeral = offers(
        &mut world,
        &format!(
            "{}storage:\n  - type: block_disk\n    size: 200GB\n",
            every_gpu(1)
        ),
    );
    let kept = offers(
        &mut world,
        &format!(
            "{}storage:\n  - type: block_disk\n    size: 200GB\n    persistent: true\n",
            every_gpu(1)
        ),
    );
    assert!(ephemeral
        .iter()
        .any(|o| o.vendor.as_deref() == Some("vast")));
    assert!(!kept.iter().any(|o| o.vendor.as_deref() == Some("vast")));
}

#[test]
fn cluster_offers_are_reachable() {
    let mut world = sim(300);
    let mut shapes = BTreeSet::new();
    for count in [2, 4, 8] {
        let hits = offers(
            &mut world,
            &format!("compute:\n  gpu_type: \"H100 | H200 | A100\"\n  gpu_count: {count}\n"),
        );
        for offer in hits.iter().filter(|o| o.is_cluster()) {
            let nodes = offer.node_count.unwrap();
            assert!(nodes >= 2);
            assert_eq!(nodes * offer.gpus_per_node.unwrap(), count);
            assert_eq!(offer.deployment_type.as_deref(), Some(catalog::CLUSTER));
            assert!([400.0, 3200.0].contains(&offer.infiniband_bandwidth_gbps.unwrap()));
            assert!(offer.cluster_storage_gb.unwrap() >= 1024.0 * f64::from(nodes));
            assert_eq!(offer.kind, Some(MachineKind::Vm));
            shapes.insert((count, nodes));
        }
        // Single machines of the same count are there too.
        assert!(hits.iter().any(|o| !o.is_cluster()), "{count}");
    }
    assert!(shapes.iter().any(|(count, _)| *count == 8), "{shapes:?}");
    assert!(shapes.len() >= 3, "{shapes:?}");
}

#[test]
fn offer_details_follow_the_offer_through_its_life() {
    let mut world = sim(100);
    let offers = for_sale(&mut world, start());
    let offer = offers
        .iter()
        .find(|o| catalog::offer_expires_at(o).unwrap() > at(600))
        .unwrap()
        .clone();
    let details = world.offer_details(&offer.offer_id, start()).unwrap();
    assert_eq!(details.status, Some(OfferState::Available));
    assert_eq!(details.procured_at, None);
    assert_eq!(details.gpu_type, offer.gpu_type);
    assert_eq!(details.total_price_per_hour, offer.total_price_per_hour);
    let expires = catalog::offer_expires_at(&offer).unwrap();
    let details = world.offer_details(&offer.offer_id, expires).unwrap();
    assert_eq!(details.status, Some(OfferState::Expired));
    // Expired, the offer is replaced; its id is still known.
    assert!(!for_sale(&mut world, expires)
        .iter()
        .any(|o| o.offer_id == offer.offer_id));

    let bought = offers
        .iter()
        .find(|o| o.offer_id != offer.offer_id && !o.is_cluster())
        .unwrap()
        .clone();
    world
        .procure(&procure_body(&bought, json!({})), at(1))
        .unwrap();
    let details = world.offer_details(&bought.offer_id, at(2)).unwrap();
    assert_eq!(details.status, Some(OfferState::Procured));
    assert_eq!(
        details.procured_at.as_ref().and_then(|t| t.parsed()),
        Some(at(1))
    );
    // A procured offer is no longer on sale.
    assert!(!for_sale(&mut world, at(2))
        .iter()
        .any(|o| o.offer_id == bought.offer_id));
    // Past its expiry it stays procured.
    let later = catalog::offer_expires_at(&bought).unwrap() + Duration::minutes(1);
    assert_eq!(
        world.offer_details(&bought.offer_id, later).unwrap().status,
        Some(OfferState::Procured)
    );

    let failing = offers
        .iter()
        .find(|o| ![&offer.offer_id, &bought.offer_id].contains(&&o.offer_id) && !o.is_cluster())
        .unwrap()
        .clone();
    world.fail_next(None);
    world
        .procure(&procure_body(&failing, json!({})), at(1))
        .unwrap();
    assert_eq!(
        world
            .offer_details(&failing.offer_id, at(5))
            .unwrap()
            .status,
        Some(OfferState::Procured)
    );
    assert_eq!(
        world
            .offer_details(&failing.offer_id, at(20))
            .unwrap()
            .status,
        Some(OfferState::Failed)
    );

    let seeded = world
        .offer_details(seeded::STOPPED_VM_OFFER, start())
        .unwrap();
    assert_eq!(seeded.status, Some(OfferState::Procured));
    assert_eq!(seeded.gpu_family.as_deref(), Some("A100"));
    assert!(matches!(
        world.offer_details("3c90c3cc-0d44-4b50-8888-8dd25736052a", start()),
        Err(ApiError::NotFound(_))
    ));
    assert_eq!(
        locs(world.offer_details("nope", start()).unwrap_err()),
        [["path", "offer_id"]]
    );
}

#[test]
fn expired_offers_answer_410_and_say_expired() {
    let mut world = sim(100);
    let offer = world.live_offers(start()).remove(0);
    let expires = catalog::offer_expires_at(&offer).unwrap();
    let status = world.offer_status(&offer.offer_id, start()).unwrap();
    assert_eq!(status.status, OfferState::Available);
    assert_eq!(
        status.procurement_status,
        Some(ProcurementStatus::Available)
    );

    let after = expires + Duration::seconds(1);
    match world.procure(&procure_body(&offer, json!({})), after) {
        Err(ApiError::Gone(detail)) => {
            assert!(detail.starts_with(&format!("Offer {} expired at ", offer.offer_id)));
            assert!(detail.ends_with("; request new offers"));
        }
        other => panic!("expected 410, got {other:?}"),
    }
    let status = world.offer_status(&offer.offer_id, after).unwrap();
    assert_eq!(status.status, OfferState::Expired);
    // Exactly at the expiry instant the offer is gone.
    assert!(matches!(
        world.procure(&procure_body(&offer, json!({})), expires),
        Err(ApiError::Gone(_))
    ));
}

#[test]
fn unknown_duplicate_and_malformed_procurements_are_refused() {
    let mut world = sim(100);
    let offer = pick(&mut world, Deployment::Vm, None, 60);
    let unknown = Offer {
        offer_id: "3c90c3cc-0d44-4b50-8888-8dd25736052a".into(),
        ..offer.clone()
    };
    assert!(matches!(
        world.procure(&procure_body(&unknown, json!({})), start()),
        Err(ApiError::NotFound(_))
    ));
    assert!(matches!(
        world.offer_status(&unknown.offer_id, start()),
        Err(ApiError::NotFound(_))
    ));
    assert_eq!(
        locs(world.offer_status("nope", start()).unwrap_err()),
        [["path", "offer_id"]]
    );
    let answer = world
        .procure(&procure_body(&offer, json!({"unknown_extra": 1})), start())
        .unwrap();
    assert_eq!(answer.status, ProcureStatus::ProvisioningInProgress);
    // No storage was asked for: the machine alone.
    assert_eq!(answer.resource_ids.len(), 1);
    assert!(matches!(
        world.procure(&procure_body(&offer, json!({})), at(1)),
        Err(ApiError::Conflict(_))
    ));
}

#[test]
fn cluster_name_is_for_clusters_only() {
    let mut world = sim(300);
    let vm = pick(&mut world, Deployment::Vm, None, 60);
    assert_eq!(
        locs(
            world
                .procure(&procure_body(&vm, json!({"cluster_name": "c1"})), start())
                .unwrap_err()
        ),
        [["body", "cluster_name"]]
    );
    let cluster = pick(&mut world, Deployment::Cluster, None, 60);
    assert!(world
        .procure(
            &procure_body(&cluster, json!({"cluster_name": "c1"})),
            start()
        )
        .is_ok());
}

#[test]
fn schema_errors_come_before_the_offer_lookup() {
    let mut world = sim(50);
    let offer = pick(&mut world, Deployment::Vm, None, 60);
    let header = "#cloud-config\n";
    let exact = format!("{header}{}", "x".repeat(65_536 - header.len()));
    assert!(world
        .procure(&procure_body(&offer, json!({"cloud_init": exact})), start())
        .is_ok());
    let other = pick(&mut world, Deployment::Vm, None, 60);
    assert_ne!(other.offer_id, offer.offer_id);
    let over = format!("{exact}x");
    assert_eq!(
        locs(
            world
                .procure(&procure_body(&other, json!({"cloud_init": over})), start())
                .unwrap_err()
        ),
        [["body", "cloud_init"]]
    );
    assert_eq!(
        locs(
            world
                .procure(
                    &procure_body(&other, json!({"cloud_init": "echo hi"})),
                    start()
                )
                .unwrap_err()
        ),
        [["body", "cloud_init"]]
    );
    assert_eq!(
        locs(
            world
                .procure(
                    &procure_body(&other, json!({"ssh_public_key": ""})),
                    start()
                )
                .unwrap_err()
        ),
        [["body", "ssh_public_key"]]
    );
}

#[test]
fn a_vm_moves_through_its_states_and_becomes_resources() {
    let mut world = sim(100);
    // Served with a persistent filesystem and an ephemeral disk.
    let answer = ask(
        &mut world,
        "compute:\n  gpu_type: \"H100 | H200 | A100 | L40S | L4\"\n  type: vm\nstorage:\n  - type: filesystem\n    size: 1TB\n    persistent: true\n  - type: block_disk\n    size: 200GB\n",
        start(),
    );
    let offer = answer
        .offers
        .iter()
        .find(|o| catalog::offer_expires_at(o).unwrap() > at(60))
        .unwrap()
        .clone();
    let details = world.offer_details(&offer.offer_id, start()).unwrap();
    assert_eq!(details.total_price_per_hour, offer.total_price_per_hour);
    let answer = world
        .procure(
            &procure_body(&offer, json!({"resource_name": "my-vm"})),
            start(),
        )
        .unwrap();
    assert_eq!(answer.resource_ids.len(), 2);
    let id = offer.offer_id.as_str();

    let s = world.offer_status(id, at(5)).unwrap();
    assert_eq!(s.status, OfferState::Procured);
    assert_eq!(
        s.procurement_status,
        Some(ProcurementStatus::ProvisioningStarted)
    );
    assert!(s.instances.is_empty());
    assert!(matches!(
        world.resource(&answer.resource_ids[0], false, at(5)),
        Err(ApiError::NotFound(_))
    ));

    let s = world.offer_status(id, at(10)).unwrap();
    assert_eq!(
        s.procurement_status,
        Some(ProcurementStatus::ProvisioningInProgress)
    );
    assert_eq!(s.instances.len(), 1);
    assert_eq!(s.instances[0].status, "pending");
    assert_eq!(s.instances[0].external_ip, None);
    assert_eq!(s.instances[0].ssh_command, None);
    assert_eq!(s.progress.as_deref(), Some("0/1 instances running"));

    let s = world.offer_status(id, at(30)).unwrap();
    assert_eq!(s.procurement_status, Some(ProcurementStatus::Ready));
    let instance = &s.instances[0];
    assert_eq!(instance.status, "running");
    let ip = instance.external_ip.clone().unwrap();
    assert!(
        ip.starts_with("203.0.113.") || ip.starts_with("198.51.100."),
        "{ip}"
    );
    assert!(instance.internal_ip.as_deref().unwrap().starts_with("10."));
    let ssh = instance.ssh_command.clone().unwrap();
    assert_eq!(ssh, format!("ssh root@{ip}"));
    assert_eq!(s.progress.as_deref(), Some("1/1 instances running"));
    let roles: Vec<&str> = s.resources.iter().map(|r| r.role.as_str()).collect();
    assert_eq!(roles, ["primary", "storage"]);

    let vm = world
        .resource(&answer.resource_ids[0], false, at(31))
        .unwrap();
    assert_eq!(vm.name.as_deref(), Some("my-vm"));
    assert_eq!(vm.resource_type, "vm");
    assert_eq!(vm.status, "running");
    assert_eq!(vm.access.unwrap().ssh_command, Some(ssh));
    assert_eq!(vm.linked_resources[0].resource_id, answer.resource_ids[1]);
    assert_eq!(vm.linked_resources[0].name.as_deref(), Some("my-vm-data"));
    assert_eq!(vm.offer_history[0].offer_id, offer.offer_id);
    assert_eq!(vm.offer_history[0].offer_type, "vm");
    assert_eq!(vm.spec["gpu_type"], json!(offer.gpu_type));
    assert_eq!(vm.spec["gpu_family"], json!(offer.gpu_family));
    assert_eq!(vm.spec["storage"].as_array().unwrap().len(), 2);
    let volume = world
        .resource(&answer.resource_ids[1], false, at(31))
        .unwrap();
    assert_eq!(volume.resource_type, "storage");
    assert_eq!(volume.spec["size_gb"], json!(1000.0));
    assert_eq!(volume.spec["type"], "filesystem");
    // The machine and its persistent volume together cost the offer's total.
    let fs_hourly = offer.storage_details[0].hourly_cost.unwrap();
    assert_eq!(volume.pricing_total_hourly, Some(fs_hourly));
    let sum = vm.pricing_total_hourly.unwrap() + volume.pricing_total_hourly.unwrap();
    assert!((sum - offer.total_price_per_hour.unwrap()).abs() < 1e-3);
    let listed = world.resources(at(31));
    assert!(answer
        .resource_ids
        .iter()
        .all(|rid| listed.iter().any(|r| &r.resource_id == rid)));
}

#[test]
fn containers_log_in_as_root_through_a_forwarded_port() {
    let mut world = sim(300);
    let offer = pick(&mut world, Deployment::Container, None, 60);
    let answer = world
        .procure(&procure_body(&offer, json!({})), start())
        .unwrap();
    let s = world.offer_status(&offer.offer_id, at(30)).unwrap();
    let ssh = s.instances[0].ssh_command.clone().unwrap();
    assert!(ssh.starts_with("ssh -p "), "{ssh}");
    assert!(ssh.contains(" root@"), "{ssh}");
    let resource = world
        .resource(&answer.resource_ids[0], false, at(31))
        .unwrap();
    assert_eq!(resource.resource_type, "container");
    assert_eq!(resource.pricing_total_hourly, offer.total_price_per_hour);
}

#[test]
fn a_cluster_brings_up_one_node_every_20_seconds() {
    let mut world = sim(1000);
    let offer = pick(&mut world, Deployment::Cluster, Some(4), 200);
    world
        .procure(
            &procure_body(&offer, json!({"cluster_name": "train"})),
            start(),
        )
        .unwrap();
    let id = offer.offer_id.as_str();
    let progress = |world: &mut Sim, secs| world.offer_status(id, at(secs)).unwrap().progress;
    assert_eq!(
        progress(&mut world, 29).as_deref(),
        Some("0/4 instances running")
    );
    assert_eq!(
        progress(&mut world, 30).as_deref(),
        Some("1/4 instances running")
    );
    let s = world.offer_status(id, at(50)).unwrap();
    assert_eq!(s.progress.as_deref(), Some("2/4 instances running"));
    assert_eq!(
        s.procurement_status,
        Some(ProcurementStatus::ProvisioningInProgress)
    );
    let states: Vec<&str> = s.instances.iter().map(|i| i.status.as_str()).collect();
    assert_eq!(states, ["running", "running", "pending", "pending"]);
    assert_eq!(s.instances[3].instance_name, "train-node-4");
    let s = world.offer_status(id, at(89)).unwrap();
    assert_eq!(s.progress.as_deref(), Some("3/4 instances running"));
    let s = world.offer_status(id, at(90)).unwrap();
    assert_eq!(s.procurement_status, Some(ProcurementStatus::Ready));
    assert_eq!(s.resources[0].resource_type, "cluster");
    let cluster = world
        .resource(&s.resources[0].resource_id, false, at(91))
        .unwrap();
    assert_eq!(cluster.spec["node_count"], 4);
    assert_eq!(cluster.spec["cluster_name"], "train");
    assert_eq!(
        cluster.spec["infiniband_bandwidth_gbps"],
        json!(offer.infiniband_bandwidth_gbps)
    );
}

#[test]
fn procurements_fail_on_request_or_by_name() {
    let mut world = sim(300);
    let first = pick(&mut world, Deployment::Vm, None, 60);
    world.fail_next(None);
    world
        .procure(&procure_body(&first, json!({})), start())
        .unwrap();
    let s = world.offer_status(&first.offer_id, at(14)).unwrap();
    assert_eq!(
        s.procurement_status,
        Some(ProcurementStatus::ProvisioningInProgress)
    );
    assert_eq!(s.failure_reason, None);
    let s = world.offer_status(&first.offer_id, at(15)).unwrap();
    assert_eq!(s.status, OfferState::Failed);
    assert_eq!(s.procurement_status, Some(ProcurementStatus::Failed));
    let reason = s.failure_reason.unwrap();
    assert_eq!(
        reason,
        format!(
            "Vendor capacity exhausted in {}: no {} nodes free",
            first.vendor_region.unwrap(),
            first.gpu_type.unwrap()
        )
    );
    assert_eq!(s.resources[0].status, "failed");

    // fail-next is used up; the next one succeeds.
    let refused = pick(&mut world, Deployment::Vm, None, 60);
    world.refuse_next("Quota exceeded".into());
    let answer = world
        .procure(&procure_body(&refused, json!({})), start())
        .unwrap();
    assert_eq!(answer.status, ProcureStatus::Failed);
    assert_eq!(answer.error.as_deref(), Some("Quota exceeded"));
    assert!(answer.resource_ids.is_empty());
    // Nothing was procured: the same offer can still be bought.
    world
        .procure(&procure_body(&refused, json!({})), start())
        .unwrap();

    let second = pick(&mut world, Deployment::Vm, None, 60);
    world
        .procure(&procure_body(&second, json!({})), start())
        .unwrap();
    let s = world.offer_status(&second.offer_id, at(40)).unwrap();
    assert_eq!(s.procurement_status, Some(ProcurementStatus::Ready));

    let third = pick(&mut world, Deployment::Vm, None, 60);
    world
        .procure(
            &procure_body(&third, json!({"resource_name": "fail-demo"})),
            start(),
        )
        .unwrap();
    let s = world.offer_status(&third.offer_id, at(16)).unwrap();
    assert_eq!(s.status, OfferState::Failed);

    let fourth = pick(&mut world, Deployment::Vm, None, 60);
    world.fail_next(Some("Quota exceeded".into()));
    world
        .procure(&procure_body(&fourth, json!({})), start())
        .unwrap();
    let s = world.offer_status(&fourth.offer_id, at(20)).unwrap();
    assert_eq!(s.failure_reason.as_deref(), Some("Quota exceeded"));
}

#[test]
fn reading_a_resource_reconciles_after_30_seconds_or_on_force() {
    let mut world = sim(10);
    let synced =
        |r: &supply_model::ResourceSummary| r.last_synced_at.as_ref().unwrap().parsed().unwrap();
    let before = world.resource(seeded::RUNNING_VM, false, at(5)).unwrap();
    assert_eq!(synced(&before), at(-10));
    let forced = world.resource(seeded::RUNNING_VM, true, at(6)).unwrap();
    assert_eq!(synced(&forced), at(6));
    let cooled = world.resource(seeded::RUNNING_VM, false, at(30)).unwrap();
    assert_eq!(synced(&cooled), at(6));
    let stale = world.resource(seeded::RUNNING_VM, false, at(37)).unwrap();
    assert_eq!(synced(&stale), at(37));

    // The k0rdent resource follows its instance, but only when reconciled.
    let early = world.resource(seeded::K0RDENT_VM, false, at(1)).unwrap();
    assert_eq!(early.status, "provisioning");
    let listed = world.resources(at(70));
    let cached = listed
        .iter()
        .find(|r| r.resource_id == seeded::K0RDENT_VM)
        .unwrap();
    assert_eq!(cached.status, "provisioning");
    let fresh = world.resource(seeded::K0RDENT_VM, false, at(70)).unwrap();
    assert_eq!(fresh.status, "running");
    assert_eq!(
        fresh.spec["self_link"],
        json!(k0rdent::self_link(k0rdent::PROVISIONING_INSTANCE))
    );

    assert!(matches!(
        world.resource("3c90c3cc-0d44-4b50-8888-8dd25736052a", false, at(1)),
        Err(ApiError::NotFound(detail)) if detail == "Resource not found"
    ));
    assert_eq!(
        locs(world.resource("not-a-uuid", false, at(1)).unwrap_err()),
        [["path", "resource_id"]]
    );
}

#[test]
fn the_seeded_store_covers_the_interesting_cases() {
    let mut world = sim(10);
    let all = world.resources(start());
    let find = |id: &str| all.iter().find(|r| r.resource_id == id).unwrap().clone();
    let running = find(seeded::RUNNING_VM);
    assert_eq!(running.status, "running");
    assert_eq!(running.resource_type, "vm");
    assert_eq!(running.vendor, "lambda");
    assert_eq!(running.pricing_total_hourly, Some(2.49));
    assert_eq!(running.spec["gpu_family"], "H100");
    let access = running.access.clone().unwrap();
    assert_eq!(access.ssh_port, Some(22));
    assert_eq!(access.ssh_command.as_deref(), Some("ssh root@203.0.113.10"));
    assert_eq!(
        running.linked_resources[0].resource_id,
        seeded::STORAGE_VOLUME
    );
    assert_eq!(
        running.linked_resources[0].name.as_deref(),
        Some("train-h100-01-data")
    );
    assert!(!running.offer_history.is_empty());
    assert!(running.valid_from.is_some());
    let port = find(seeded::CUSTOM_PORT_VM).access.unwrap();
    assert_eq!(port.ssh_port, Some(22_022));
    assert_eq!(
        port.ssh_command.as_deref(),
        Some("ssh -p 22022 ubuntu@198.51.100.23")
    );
    assert_eq!(find(seeded::STOPPED_VM).status, "stopped");
    assert!(find(seeded::STOPPED_VM).valid_to.is_some());
    let cluster = find(seeded::CLUSTER);
    assert_eq!(cluster.resource_type, "cluster");
    assert!(cluster.valid_to.is_some());
    let storage = find(seeded::STORAGE_VOLUME);
    assert_eq!(storage.linked_resources[0].resource_id, seeded::RUNNING_VM);
    assert_eq!(storage.pricing_total_hourly, Some(0.14));
    assert_eq!(storage.spec["size_gb"], json!(1000.0));
    assert_eq!(find(seeded::K0RDENT_VM).vendor, "k0rdent");

    // Their offers answer on the status endpoint.
    let status = world
        .offer_status(seeded::STOPPED_VM_OFFER, start())
        .unwrap();
    assert_eq!(status.status, OfferState::Procured);
    assert_eq!(status.procurement_status, Some(ProcurementStatus::Ready));
    assert_eq!(status.instances[0].status, "stopped");
    let status = world.offer_status(seeded::CLUSTER_OFFER, start()).unwrap();
    assert_eq!(status.instances.len(), 4);
    assert_eq!(status.progress.as_deref(), Some("4/4 instances running"));
}

#[test]
fn k0rdent_instances_boot_with_the_simulated_clock() {
    let world = sim(10);
    let get = |secs| {
        world
            .k0rdent_instance(
                k0rdent::REGION,
                k0rdent::PROJECT,
                k0rdent::PROVISIONING_INSTANCE,
                at(secs),
            )
            .unwrap()
            .lifecycle
            .unwrap()
            .status
            .unwrap()
    };
    assert_eq!(get(0), "PROVISIONING");
    assert_eq!(get(59), "PROVISIONING");
    assert_eq!(get(60), "RUNNING");
}

#[test]
fn seeded_resources_give_the_console_what_its_pages_link_and_bundle() {
    use supply_model::connection::ConnectionBundle;
    use supply_model::k0rdent_link::k0rdent_instance;
    let mut world = sim(10);
    let k0rdent_vm = world.resource(seeded::K0RDENT_VM, false, at(1)).unwrap();
    let found = k0rdent_instance(&k0rdent_vm).unwrap();
    assert_eq!(
        found.console_path(),
        format!(
            "/k0rdent/regions/{}/projects/{}/instances/{}",
            k0rdent::REGION,
            k0rdent::PROJECT,
            k0rdent::PROVISIONING_INSTANCE
        )
    );
    let lambda = world.resource(seeded::RUNNING_VM, false, at(1)).unwrap();
    assert_eq!(k0rdent_instance(&lambda), None);
    let runpod = world
        .resource(seeded::CUSTOM_PORT_VM, false, at(1))
        .unwrap();
    let bundle = ConnectionBundle::for_resource(&runpod).unwrap();
    assert_eq!(bundle.command, "ssh -p 22022 ubuntu@198.51.100.23");
    assert!(bundle.config_block.contains("Port 22022"));
}

#[test]
fn ten_thousand_offers_stay_fast() {
    let started = std::time::Instant::now();
    let mut world = sim(10_000);
    let built = started.elapsed();
    let answer = ask(&mut world, &every_gpu(1), at(1));
    assert!(answer.offers.len() > 1000, "{}", answer.offers.len());
    let asked = started.elapsed() - built;
    // Generous bounds for an unoptimised test build on a busy machine.
    assert!(built < std::time::Duration::from_secs(10), "{built:?}");
    assert!(asked < std::time::Duration::from_secs(5), "{asked:?}");
}

#[test]
fn resources_list_by_order_and_delete_through_deleting_to_deleted() {
    let mut world = sim(100);
    let mine = world.resources_of(Some(seeded::RUNNING_VM_OFFER), start());
    let ids: BTreeSet<&str> = mine.iter().map(|r| r.resource_id.as_str()).collect();
    assert_eq!(
        ids,
        BTreeSet::from([seeded::RUNNING_VM, seeded::STORAGE_VOLUME])
    );
    assert!(world.resources_of(Some("abc-123"), start()).is_empty());
    assert_eq!(
        world.resources_of(None, start()).len(),
        world.resources(start()).len()
    );

    let answer = world
        .delete_resource(seeded::RUNNING_VM, false, at(1))
        .unwrap();
    assert_eq!(answer.resource_id, seeded::RUNNING_VM);
    assert_eq!(answer.status, "deleting");
    assert!(!answer.message.is_empty());
    let vm = world.resource(seeded::RUNNING_VM, false, at(2)).unwrap();
    assert_eq!(vm.status, "deleting");
    assert_eq!(vm.access, None);
    // Asked again while deleting: the same answer.
    assert_eq!(
        world
            .delete_resource(seeded::RUNNING_VM, true, at(3))
            .unwrap()
            .status,
        "deleting"
    );
    let status = world.offer_status(seeded::RUNNING_VM_OFFER, at(4)).unwrap();
    assert_eq!(status.instances[0].status, "terminating");
    // Forced while under way: it ends as a forced delete started then would.
    let hurried = at(3 + crate::resources::FORCED_DELETE_AFTER_SECS);
    assert_eq!(
        world
            .resource(seeded::RUNNING_VM, true, hurried)
            .unwrap()
            .status,
        "deleted"
    );
    assert_eq!(status.instances[0].ssh_command, None);

    let done = at(1 + crate::resources::DELETE_AFTER_SECS);
    // The list shows it deleted without a read reconciling it.
    let listed = world.resources(done);
    let vm = listed
        .iter()
        .find(|r| r.resource_id == seeded::RUNNING_VM)
        .unwrap();
    assert_eq!(vm.status, "deleted");
    assert!(vm.valid_to.is_some());
    assert!(vm.linked_resources[0].linked_until.is_some());
    // Persistent storage survives the machine; its link ends.
    let volume = world.resource(seeded::STORAGE_VOLUME, true, done).unwrap();
    assert_ne!(volume.status, "deleted");
    assert_eq!(volume.linked_resources[0].status, "deleted");
    assert!(volume.linked_resources[0].linked_until.is_some());
    assert_eq!(
        world
            .offer_status(seeded::RUNNING_VM_OFFER, done)
            .unwrap()
            .instances[0]
            .status,
        "terminated"
    );
    assert!(matches!(
        world.delete_resource(seeded::RUNNING_VM, false, done),
        Err(ApiError::Conflict(_))
    ));

    // force=true is quicker.
    world
        .delete_resource(seeded::STOPPED_VM, true, at(100))
        .unwrap();
    let forced = at(100 + crate::resources::FORCED_DELETE_AFTER_SECS);
    assert_eq!(
        world
            .resource(seeded::STOPPED_VM, true, forced)
            .unwrap()
            .status,
        "deleted"
    );
    assert!(matches!(
        world.delete_resource("3c90c3cc-0d44-4b50-8888-8dd25736052a", false, at(1)),
        Err(ApiError::NotFound(_))
    ));
    assert_eq!(
        locs(world.delete_resource("nope", false, at(1)).unwrap_err()),
        [["path", "resource_id"]]
    );
}
