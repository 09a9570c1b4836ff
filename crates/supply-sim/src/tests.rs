//! The simulated world driven with an explicit clock.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use supply_model::{LocItem, Offer, OfferState, OfferType, ProcureStatus, ProcurementStatus};

use crate::resources::seeded;
use crate::{k0rdent, ApiError, Sim, SimConfig};

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn at(secs: i64) -> DateTime<Utc> {
    start() + Duration::seconds(secs)
}

fn sim(offers: usize) -> Sim {
    Sim::new(SimConfig { seed: 42, offers }, start())
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

/// A live, available offer of the given type (and node count) that
/// expires no sooner than `min_life` seconds after the start.
fn pick(sim: &mut Sim, kind: OfferType, nodes: Option<u32>, min_life: i64) -> Offer {
    sim.get_offers(&Default::default(), start())
        .into_iter()
        .find(|o| {
            o.offer_type.as_ref() == Some(&kind)
                && o.available == Some(true)
                && (nodes.is_none() || o.node_count == nodes)
                && crate::catalog::offer_expires_at(o).unwrap() > at(min_life)
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

#[test]
fn the_catalog_keeps_n_live_offers_as_they_expire() {
    let mut world = sim(300);
    let first = world.get_offers(&Default::default(), start());
    assert_eq!(first.len(), 300);
    for minutes in [10, 29, 31, 95] {
        let now = at(minutes * 60);
        let live = world.get_offers(&Default::default(), now);
        assert_eq!(live.len(), 300);
        assert!(live.iter().all(|o| !o.is_expired(now)), "{minutes} min");
    }
    let later = world.get_offers(&Default::default(), at(31 * 60));
    assert!(first
        .iter()
        .zip(&later)
        .all(|(a, b)| a.offer_id != b.offer_id));
}

#[test]
fn get_offers_filters_from_the_body() {
    let mut world = sim(300);
    let hits = world
        .get_offers_body(br#"{"vendor": "Lambda", "offer_type": "cluster"}"#, start())
        .unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|o| o.vendor.as_deref() == Some("lambda")
                && o.offer_type == Some(OfferType::Cluster))
    );
    assert_eq!(world.get_offers_body(b"", start()).unwrap().len(), 300);
    assert_eq!(world.get_offers_body(b"{}", start()).unwrap().len(), 300);
    assert_eq!(
        locs(
            world
                .get_offers_body(br#"{"max_price_hourly": "cheap"}"#, start())
                .unwrap_err()
        ),
        [["body", "max_price_hourly"]]
    );
}

#[test]
fn expired_offers_answer_410_and_say_expired() {
    let mut world = sim(100);
    let offer = world.get_offers(&Default::default(), start()).remove(0);
    let expires = crate::catalog::offer_expires_at(&offer).unwrap();
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
    let offer = pick(&mut world, OfferType::Vm, None, 60);
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
        .procure(&procure_body(&offer, json!({})), start())
        .unwrap();
    assert_eq!(answer.status, ProcureStatus::ProvisioningInProgress);
    assert_eq!(answer.resource_ids.len(), 2);
    assert!(matches!(
        world.procure(&procure_body(&offer, json!({})), at(1)),
        Err(ApiError::Conflict(_))
    ));
    // The procured offer stays listed, no longer available.
    let listed = world.get_offers(&Default::default(), at(2));
    let again = listed
        .iter()
        .find(|o| o.offer_id == offer.offer_id)
        .unwrap();
    assert_eq!(again.available, Some(false));
}

#[test]
fn cluster_name_is_for_clusters_only() {
    let mut world = sim(300);
    let vm = pick(&mut world, OfferType::Vm, None, 60);
    assert_eq!(
        locs(
            world
                .procure(&procure_body(&vm, json!({"cluster_name": "c1"})), start())
                .unwrap_err()
        ),
        [["body", "cluster_name"]]
    );
    let cluster = pick(&mut world, OfferType::Cluster, None, 60);
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
    let offer = pick(&mut world, OfferType::Vm, None, 60);
    let header = "#cloud-config\n";
    let exact = format!("{header}{}", "x".repeat(65_536 - header.len()));
    assert!(world
        .procure(&procure_body(&offer, json!({"cloud_init": exact})), start())
        .is_ok());
    let other = pick(&mut world, OfferType::Vm, None, 60);
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
                    &procure_body(&other, json!({"ssh_public_key": " "})),
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
    let offer = pick(&mut world, OfferType::Vm, None, 60);
    let answer = world
        .procure(
            &procure_body(&offer, json!({"resource_name": "my-vm"})),
            start(),
        )
        .unwrap();
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
    assert!(
        ssh == format!("ssh root@{ip}") || ssh.starts_with("ssh -p "),
        "{ssh}"
    );
    assert_eq!(s.progress.as_deref(), Some("1/1 instances running"));
    let roles: Vec<&str> = s.resources.iter().map(|r| r.role.as_str()).collect();
    assert_eq!(roles, ["primary", "storage"]);

    let vm = world
        .resource(&answer.resource_ids[0], false, at(31))
        .unwrap();
    assert_eq!(vm.name.as_deref(), Some("my-vm"));
    assert_eq!(vm.status, "running");
    assert_eq!(vm.access.unwrap().ssh_command, Some(ssh));
    assert_eq!(vm.linked_resources[0].resource_id, answer.resource_ids[1]);
    assert_eq!(vm.offer_history[0].offer_id, offer.offer_id);
    let listed = world.resources(at(31));
    assert!(answer
        .resource_ids
        .iter()
        .all(|rid| listed.iter().any(|r| &r.resource_id == rid)));
}

#[test]
fn a_cluster_brings_up_one_node_every_20_seconds() {
    let mut world = sim(1000);
    let offer = pick(&mut world, OfferType::Cluster, Some(4), 200);
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
}

#[test]
fn procurements_fail_on_request_or_by_name() {
    let mut world = sim(300);
    let first = pick(&mut world, OfferType::Vm, None, 60);
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
    let refused = pick(&mut world, OfferType::Vm, None, 60);
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

    let second = pick(&mut world, OfferType::Vm, None, 60);
    world
        .procure(&procure_body(&second, json!({})), start())
        .unwrap();
    let s = world.offer_status(&second.offer_id, at(40)).unwrap();
    assert_eq!(s.procurement_status, Some(ProcurementStatus::Ready));

    let third = pick(&mut world, OfferType::Vm, None, 60);
    world
        .procure(
            &procure_body(&third, json!({"resource_name": "fail-demo"})),
            start(),
        )
        .unwrap();
    let s = world.offer_status(&third.offer_id, at(16)).unwrap();
    assert_eq!(s.status, OfferState::Failed);

    let fourth = pick(&mut world, OfferType::Vm, None, 60);
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
    let access = running.access.clone().unwrap();
    assert_eq!(access.ssh_port, Some(22));
    assert_eq!(access.ssh_command.as_deref(), Some("ssh root@203.0.113.10"));
    assert_eq!(
        running.linked_resources[0].resource_id,
        seeded::STORAGE_VOLUME
    );
    assert!(!running.offer_history.is_empty());
    assert!(running.pricing_total_hourly.is_some() && running.valid_from.is_some());
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
