//! Filters, sort, the API request and links of the offers view.

use supply_model::offer_query::{Filter, OfferQuery, SearchIndex, Sort, SortKey};
use supply_model::time::parse_timestamp;
use supply_model::{Offer, OfferType};

fn offer(id: &str, gpu: &str, count: u32, vendor: &str, region: &str, hourly: f64) -> Offer {
    serde_json::from_value(serde_json::json!({
        "offer_id": id,
        "offer_type": if count >= 16 { "cluster" } else { "vm" },
        "gpu_type": gpu,
        "gpu_count": count,
        "gpu_memory_gb": if gpu == "H100" { 80 } else { 24 },
        "vendor": vendor,
        "vendor_region": region,
        "pricing_hourly": hourly,
        "available": id != "e",
        "expires_at": format!("2026-11-23T10:{:02}:00Z", 10 + id.len() * 3 + hourly as usize % 10),
    }))
    .unwrap()
}

fn catalog() -> Vec<Offer> {
    vec![
        offer("a", "H100", 8, "lambda", "us-east-1", 20.0), // 2.50 per GPU
        offer("b", "H100", 1, "runpod", "eu-west-1", 2.99), // 2.99
        offer("c", "A10", 1, "vast", "us-east-1", 0.45),    // 0.45
        offer("d", "H100", 32, "coreweave", "us-east-1", 64.0), // 2.00, cluster
        offer("e", "A10", 2, "Lambda", "us-west-2", 1.2),   // 0.60, unavailable
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
fn each_filter_narrows_the_list() {
    let several_gpus = OfferQuery {
        gpu_types: vec!["a10".into(), "B200".into()],
        ..Default::default()
    };
    assert_eq!(select(&several_gpus), ["c", "e"]);
    let count_range = OfferQuery {
        gpu_count_min: Some(2),
        gpu_count_max: Some(8),
        ..Default::default()
    };
    assert_eq!(select(&count_range), ["e", "a"]);
    let vendor = OfferQuery {
        vendor: Some("LAMBDA".into()),
        ..Default::default()
    };
    assert_eq!(select(&vendor), ["e", "a"], "vendor matches ignoring case");
    let cluster = OfferQuery {
        offer_type: Some(OfferType::Cluster),
        ..Default::default()
    };
    assert_eq!(select(&cluster), ["d"]);
    let cheap = OfferQuery {
        max_price_per_gpu_hour: Some(2.5),
        ..Default::default()
    };
    assert_eq!(select(&cheap), ["c", "e", "d", "a"], "the cap is inclusive");
    let memory = OfferQuery {
        min_gpu_memory_gb: Some(40.0),
        available_only: true,
        ..Default::default()
    };
    assert_eq!(select(&memory), ["d", "a", "b"]);
    let text = OfferQuery {
        text: "  h100 US-EAST ".into(),
        ..Default::default()
    };
    assert_eq!(select(&text), ["d", "a"], "every word must match");
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
        by(SortKey::PriceHourly, false),
        ["c", "e", "b", "a", "d", "z"]
    );
    assert_eq!(
        by(SortKey::PriceHourly, true),
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
fn only_exact_filters_go_to_the_api() {
    let query = OfferQuery {
        gpu_types: vec!["H100".into()],
        gpu_count_min: Some(8),
        gpu_count_max: Some(8),
        vendor: Some("lambda".into()),
        max_price_per_gpu_hour: Some(3.0),
        ..Default::default()
    };
    let request = query.to_request();
    assert_eq!(request.gpu_type.as_deref(), Some("H100"));
    assert_eq!(request.gpu_count, Some(8));
    assert_eq!(request.vendor.as_deref(), Some("lambda"));
    assert_eq!(
        request.max_price_hourly, None,
        "a per-GPU cap is not a total cap"
    );
    let several = OfferQuery {
        gpu_types: vec!["H100".into(), "A100".into()],
        gpu_count_min: Some(1),
        ..Default::default()
    };
    assert_eq!(several.to_request(), Default::default());
}

#[test]
fn links_reproduce_the_view() {
    let query = OfferQuery {
        gpu_types: vec!["H100".into(), "RTX 4090".into()],
        gpu_count_min: Some(2),
        gpu_count_max: None,
        vendor: Some("lambda".into()),
        region: Some("us-east-1".into()),
        offer_type: Some(OfferType::Cluster),
        max_price_per_gpu_hour: Some(2.75),
        min_gpu_memory_gb: Some(80.0),
        available_only: true,
        text: "nvlink & more".into(),
        sort: Sort {
            key: SortKey::ExpiresAt,
            descending: true,
        },
    };
    let link = query.to_query_string();
    assert!(link.contains("gpu=H100%2CRTX%204090"), "{link}");
    assert_eq!(OfferQuery::from_query_string(&link), query);
    assert_eq!(OfferQuery::from_query_string(&format!("?{link}")), query);
    assert_eq!(OfferQuery::default().to_query_string(), "");
}

#[test]
fn bad_link_values_are_ignored() {
    let query = OfferQuery::from_query_string(
        "gpus=x-4&max_gpu_price=-1&min_gpu_memory=lots&sort=colour&dir=sideways&extra=1",
    );
    assert_eq!(query.gpu_count_min, None);
    assert_eq!(query.gpu_count_max, Some(4));
    assert_eq!(query.max_price_per_gpu_hour, None);
    assert_eq!(query.min_gpu_memory_gb, None);
    assert_eq!(query.sort, Sort::default());
}

#[test]
fn the_most_restrictive_filter_is_named() {
    let offers = catalog();
    let index = SearchIndex::new(&offers);
    let query = OfferQuery {
        gpu_types: vec!["B200".into()],
        vendor: Some("lambda".into()),
        ..Default::default()
    };
    assert!(query.select(&offers, &index).is_empty());
    assert_eq!(
        query.most_restrictive(&offers, &index),
        Some((Filter::GpuType, 5))
    );
    assert_eq!(Filter::GpuType.label(), "GPU type");
    assert_eq!(
        OfferQuery::default().most_restrictive(&offers, &index),
        None
    );
}

/// The search the slow, obvious way: every word is in the offer's fields,
/// joined by spaces and lower-cased.
fn naive_search(offers: &[Offer], text: &str) -> Vec<String> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let mut found: Vec<String> = offers
        .iter()
        .filter(|o| {
            let hay = [
                o.gpu_type.as_deref(),
                o.vendor.as_deref(),
                o.vendor_region.as_deref(),
                o.offer_type.as_ref().map(OfferType::as_str),
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
        "cluster d",
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
        gpu_types: vec!["H100".into()],
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
