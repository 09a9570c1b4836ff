//! The browser half of the offers view (vendor region, total cap, text,
//! sort), the spec sent to the service, and links.

// Tests may panic; clippy.toml's allow-*-in-tests does not cover the helpers
// outside #[test] functions.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use supply_model::offer_query::{nothing_shown, Filter, OfferQuery, SearchIndex, Sort, SortKey};
use supply_model::offer_spec::{OfferSpec, StorageVolume};
use supply_model::time::parse_timestamp;
use supply_model::Offer;

fn offer(id: &str, family: &str, count: u32, vendor: &str, region: &str, hourly: f64) -> Offer {
    serde_json::from_value(serde_json::json!({
        "offer_id": id,
        "gpu_family": family,
        "gpu_type": format!("nvidia-{}-80gb", family.to_lowercase()),
        "gpu_count": count,
        "vendor": vendor,
        "region": if region.starts_with("eu") { "EU" } else { "US" },
        "vendor_region": region,
        "contract_type": if id == "e" { "spot" } else { "ondemand" },
        "type": "vm",
        "gpu_price_per_hour": hourly / f64::from(count),
        "total_price_per_hour": hourly,
        "expires_at": format!("2026-11-23T10:{:02}:00Z", 10 + id.len() * 3 + hourly as usize % 10),
    }))
    .unwrap()
}

fn catalog() -> Vec<Offer> {
    vec![
        offer("a", "H100", 8, "nebius", "us-east-1", 20.0), // 2.50 per GPU
        offer("b", "H100", 1, "scaleway", "eu-west-1", 2.99), // 2.99
        offer("c", "A10", 1, "vast", "us-east-1", 0.45),    // 0.45
        offer("d", "H100", 32, "hyperstack", "us-east-1", 64.0), // 2.00
        offer("e", "A10", 2, "Nebius", "us-west-2", 1.2),   // 0.60
    ]
}

fn ids(offers: &[Offer], selected: &[usize]) -> Vec<String> {
    selected
        .iter()
        .map(|&at| offers[at].offer_id.clone())
        .collect()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    parse_timestamp("2026-11-23T10:00:00Z").unwrap()
}

fn select(query: &OfferQuery) -> Vec<String> {
    let offers = catalog();
    let index = SearchIndex::new(&offers);
    ids(&offers, &query.select(&offers, &index))
}

#[test]
fn default_view_is_cheapest_gpu_hour_first() {
    assert_eq!(select(&OfferQuery::default()), ["c", "e", "d", "a", "b"]);
}

#[test]
fn browser_filters_narrow_the_answer() {
    let region = OfferQuery {
        vendor_region: Some("US-EAST-1".into()),
        ..Default::default()
    };
    assert_eq!(
        select(&region),
        ["c", "d", "a"],
        "vendor region ignores case"
    );
    let cap = OfferQuery {
        max_total_hourly: Some(20.0),
        ..Default::default()
    };
    assert_eq!(select(&cap), ["c", "e", "a", "b"], "the cap is inclusive");
    let text = OfferQuery {
        text: "  h100 US-EAST ".into(),
        ..Default::default()
    };
    assert_eq!(select(&text), ["d", "a"], "every word must match");
    let spot = OfferQuery {
        text: "spot".into(),
        ..Default::default()
    };
    assert_eq!(select(&spot), ["e"], "the contract is searched");
}

#[test]
fn the_spec_is_not_applied_here() {
    // The service decides what matches the spec; the browser does not
    // second-guess it.
    let mut query = OfferQuery::default();
    query.spec.vendor = Some("vast".into());
    query.spec.compute.gpu_types = vec!["B200".into()];
    assert_eq!(select(&query).len(), 5);
}

#[test]
fn sorting_goes_both_ways_and_keeps_missing_values_last() {
    let mut offers = catalog();
    offers.push(serde_json::from_value(serde_json::json!({"offer_id": "z"})).unwrap());
    let index = SearchIndex::new(&offers);
    let by = |key, descending| {
        let query = OfferQuery {
            sort: Sort { key, descending },
            ..Default::default()
        };
        ids(&offers, &query.select(&offers, &index))
    };
    assert_eq!(
        by(SortKey::TotalHourly, false),
        ["c", "e", "b", "a", "d", "z"]
    );
    assert_eq!(
        by(SortKey::TotalHourly, true),
        ["d", "a", "b", "e", "c", "z"]
    );
    assert_eq!(by(SortKey::GpuCount, true), ["d", "a", "e", "b", "c", "z"]);
    assert_eq!(by(SortKey::Vendor, false), ["d", "a", "e", "b", "c", "z"]);
    for key in SortKey::ALL {
        for descending in [false, true] {
            assert_eq!(
                by(key, descending).last().map(String::as_str),
                Some("z"),
                "{key:?}"
            );
        }
    }
}

#[test]
fn the_request_always_names_gpus_and_a_count() {
    let families = vec!["H100".to_owned(), "A100".to_owned()];
    let spec = OfferQuery::default().request_spec(&families);
    assert_eq!(spec.compute.gpu_types, families);
    assert_eq!(spec.compute.gpu_count, Some(1));
    let mut query = OfferQuery::default();
    query.spec.compute.gpu_types = vec!["L40S".into()];
    query.spec.compute.gpu_count = Some(8);
    let spec = query.request_spec(&families);
    assert_eq!(spec.compute.gpu_types, ["L40S"]);
    assert_eq!(spec.compute.gpu_count, Some(8));
    assert!(spec.to_yaml().contains("gpu_type: \"L40S\""));
}

#[test]
fn links_reproduce_the_view() {
    let mut query = OfferQuery {
        vendor_region: Some("us-east-1".into()),
        max_total_hourly: Some(30.5),
        text: "nvlink & more".into(),
        sort: Sort {
            key: SortKey::ExpiresAt,
            descending: true,
        },
        ..Default::default()
    };
    let spec = &mut query.spec;
    spec.compute.gpu_types = vec!["H100".into(), "RTX 4090".into()];
    spec.compute.gpu_count = Some(2);
    spec.vendor = Some("nebius".into());
    spec.region = Some("EU".into());
    spec.compute.contract_type = Some("spot".into());
    spec.compute.kind = Some("vm".into());
    spec.compute.max_price_per_gpu_hour = Some(2.75);
    spec.compute.min_boot_disk_gb = Some(200);
    spec.network.supports_cilium = Some(true);
    spec.max_procure_time_seconds = Some(600);
    let link = query.to_query_string();
    assert!(link.contains("gpu=H100%2CRTX%204090"), "{link}");
    assert!(!link.contains("spec="), "{link}");
    assert_eq!(OfferQuery::from_query_string(&link), query);
    assert_eq!(OfferQuery::from_query_string(&format!("?{link}")), query);
    assert_eq!(OfferQuery::default().to_query_string(), "");

    // Storage travels as the whole spec.
    query.spec.storage.push(StorageVolume {
        kind: "filesystem".into(),
        size: Some("2TB".into()),
        persistent: Some(true),
        ..Default::default()
    });
    let link = query.to_query_string();
    assert!(link.starts_with("spec="), "{link}");
    assert_eq!(OfferQuery::from_query_string(&link), query);

    // The page reads the whole spec with the parser it fetches on demand:
    // the link says it needs one, and until it is there the rest is read.
    assert!(OfferQuery::has_whole_spec(&link));
    assert!(!OfferQuery::has_whole_spec("gpus=8&q=spec"));
    let unread = OfferQuery::from_query_string_with(&format!("{link}&q=h100"), None);
    assert!(unread.spec.storage.is_empty());
    assert_eq!(unread.text, "h100");
    let refused = OfferQuery::from_query_string_with(&link, Some(|_| Err(Vec::new())));
    assert!(refused.spec.storage.is_empty());
    let read = OfferQuery::from_query_string_with(&link, Some(OfferSpec::from_yaml));
    assert_eq!(read, query);
}

#[test]
fn bad_link_values_are_ignored() {
    let query = OfferQuery::from_query_string(
        "gpus=x&max_gpu_price=-1&max_price=lots&sort=colour&dir=sideways&extra=1&spec=%5B",
    );
    assert_eq!(query.spec.compute.gpu_count, None);
    assert_eq!(query.spec.compute.max_price_per_gpu_hour, None);
    assert_eq!(query.max_total_hourly, None);
    assert_eq!(query.sort, Sort::default());
    assert_eq!(query, OfferQuery::default());
}

#[test]
fn the_most_restrictive_filter_is_named() {
    let offers = catalog();
    let index = SearchIndex::new(&offers);
    let query = OfferQuery {
        vendor_region: Some("ap-south-1".into()),
        max_total_hourly: Some(1.0),
        ..Default::default()
    };
    assert!(query.select(&offers, &index).is_empty());
    assert_eq!(
        query.most_restrictive(&offers, &index),
        Some((Filter::VendorRegion, 5))
    );
    assert_eq!(Filter::VendorRegion.label(), "vendor region");
    assert_eq!(
        OfferQuery::default().most_restrictive(&offers, &index),
        None
    );
}

#[test]
fn an_empty_table_says_why() {
    assert_eq!(
        nothing_shown(true, Some((Filter::VendorRegion, 5))),
        "No offers match. The vendor region filter removes the most (5 offers)."
    );
    assert_eq!(nothing_shown(true, None), "No offers match.");
    assert!(nothing_shown(false, None).starts_with("The service has no offers for this spec"));
}

/// The search the slow, obvious way: every word is in the offer's fields,
/// joined by spaces and lower-cased.
fn naive_search(offers: &[Offer], text: &str) -> Vec<String> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let mut found: Vec<String> = offers
        .iter()
        .filter(|o| {
            let hay = [
                o.gpu_family.as_deref(),
                o.gpu_type.as_deref(),
                o.vendor.as_deref(),
                o.region.as_deref(),
                o.vendor_region.as_deref(),
                o.contract_type.as_ref().map(|c| c.as_str()),
                Some(o.offer_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .map(|o| o.offer_id.clone())
        .collect();
    found.sort();
    found
}

#[test]
fn search_finds_exactly_the_offers_holding_every_word() {
    let mut offers = catalog();
    // Text whose lower case is longer than itself, markup, a line break and
    // emoji: the offer boundaries must hold whatever the text is.
    offers.push(
        serde_json::from_value(serde_json::json!({
            "offer_id": "f", "gpu_type": "İSTANBUL-X", "vendor": "<b>vend\nor</b> 🚀",
            "vendor_region": "ÀÉÎ-1"
        }))
        .unwrap(),
    );
    offers.push(serde_json::from_value(serde_json::json!({"offer_id": "g"})).unwrap());
    let index = SearchIndex::new(&offers);
    for text in [
        "",
        "h100",
        "H100 us-east",
        "us",
        "-1",
        "east-1 vm",
        "lambda",
        "a",
        "b",
        "g",
        "c",
        "h100lambda",
        "1 l",
        "i̇stanbul",
        "àéî-1",
        "vend",
        "or</b>",
        "🚀",
        "<b>vend",
        "zzz",
        "100 100",
        "ondemand d",
        "1 east",
        "st-1 a",
        "e e e",
    ] {
        let query = OfferQuery {
            text: text.into(),
            ..Default::default()
        };
        let mut found = ids(&offers, &query.select(&offers, &index));
        found.sort();
        assert_eq!(found, naive_search(&offers, text), "search {text:?}");
    }
}

#[test]
fn the_order_is_worked_out_once_and_filtering_keeps_it() {
    let offers = catalog();
    let index = SearchIndex::new(&offers);
    let by_expiry = Sort {
        key: SortKey::ExpiresAt,
        descending: false,
    };
    let order = index.order(&offers, by_expiry);
    // 10:13, 10:13 (a tie, broken by id), 10:14, 10:15, 10:17: see `offer`.
    assert_eq!(ids(&offers, &order), ["a", "c", "e", "b", "d"]);
    let query = OfferQuery {
        text: "h100".into(),
        sort: by_expiry,
        ..Default::default()
    };
    assert_eq!(
        ids(&offers, &query.select_from(&offers, &index, &order)),
        ["a", "b", "d"]
    );
    assert_eq!(index.seconds_left(0, now()), Some(13 * 60));
    assert_eq!(index.seconds_left(99, now()), None);
}
