//! What the offers page derives from a list: the $/GPU-hour spread per GPU
//! type, side-by-side comparison, and when to refresh.

use chrono::{DateTime, Utc};

use crate::offer::Offer;
use crate::offer_query::SearchIndex;
use crate::pricing::{format_gb, format_usd};
use crate::text::or_dash;

/// Five-number summary of $/GPU-hour for one GPU type.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSpread {
    pub gpu_type: String,
    pub offers: usize,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
}

/// The spread per GPU type over `selected` offers, cheapest median first.
/// Offers without a type or a price are left out.
pub fn price_spread(offers: &[Offer], selected: &[usize]) -> Vec<PriceSpread> {
    let mut by_type: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    for offer in selected.iter().filter_map(|&at| offers.get(at)) {
        let gpu = offer.gpu_family.as_ref().or(offer.gpu_type.as_ref());
        if let (Some(gpu), Some(price)) = (gpu, offer.price_per_gpu_hour()) {
            by_type.entry(gpu).or_default().push(price);
        }
    }
    let mut spreads: Vec<PriceSpread> = by_type
        .into_iter()
        .filter_map(|(gpu_type, mut prices)| {
            crate::ordering::sort_by(&mut prices, f64::total_cmp);
            Some(PriceSpread {
                offers: prices.len(),
                min: *prices.first()?,
                q1: quantile(&prices, 0.25)?,
                median: quantile(&prices, 0.5)?,
                q3: quantile(&prices, 0.75)?,
                max: *prices.last()?,
                gpu_type: gpu_type.to_owned(),
            })
        })
        .collect();
    crate::ordering::sort_by(&mut spreads, |a, b| {
        a.median
            .total_cmp(&b.median)
            .then_with(|| a.gpu_type.cmp(&b.gpu_type))
    });
    spreads
}

/// Linear interpolation between closest ranks of a sorted slice.
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = q * last as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    let (a, b) = (*sorted.get(low)?, *sorted.get(high)?);
    Some(a + (b - a) * (rank - low as f64))
}

/// One line of the comparison table.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    pub label: &'static str,
    pub values: Vec<String>,
    /// The offers disagree on this line.
    pub differs: bool,
}

/// Lines of a side-by-side comparison of 2 to 4 offers.
pub fn compare_offers(offers: &[&Offer], now: DateTime<Utc>) -> Vec<ComparisonRow> {
    type Field = (&'static str, fn(&Offer, DateTime<Utc>) -> String);
    let fields: [Field; 15] = [
        ("GPU", |o, _| o.gpu_label()),
        ("GPUs", |o, _| or_dash(o.gpu_count)),
        ("Vendor", |o, _| or_dash(o.vendor.as_ref())),
        ("Region", |o, _| or_dash(o.region.as_ref())),
        ("Vendor region", |o, _| or_dash(o.vendor_region.as_ref())),
        ("Contract", |o, _| {
            or_dash(o.contract_type.as_ref().map(|t| t.label()))
        }),
        ("Type", |o, _| or_dash(o.kind.as_ref().map(|t| t.label()))),
        ("Nodes", |o, _| or_dash(o.node_count)),
        ("vCPUs", |o, _| or_dash(o.vcpu_count)),
        ("Memory", |o, _| or_dash(o.memory_in_gb.map(format_gb))),
        ("Boot disk", |o, _| {
            or_dash(o.boot_disk_in_gb.map(format_gb))
        }),
        ("Storage $/hour", |o, _| {
            or_dash(o.storage_price_per_hour.map(format_usd))
        }),
        ("$/hour", |o, _| or_dash(o.total_hourly().map(format_usd))),
        ("$/GPU-hour", |o, _| {
            or_dash(o.price_per_gpu_hour().map(format_usd))
        }),
        ("Expires in", |o, now| {
            or_dash(o.seconds_left(now).map(|left| {
                if left > 0 {
                    crate::time::format_duration_secs(left)
                } else {
                    "expired".to_owned()
                }
            }))
        }),
    ];
    fields
        .iter()
        .map(|(label, read)| {
            let values: Vec<String> = offers.iter().map(|offer| read(offer, now)).collect();
            let differs = values.windows(2).any(|pair| pair.first() != pair.last());
            ComparisonRow {
                label,
                values,
                differs,
            }
        })
        .collect()
}

/// The offers picked for comparison, in the order they were picked; an
/// id the answer no longer holds is left out.
pub fn picked_offers(ids: &[String], offers: &[Offer]) -> Vec<Offer> {
    ids.iter()
        .filter_map(|id| offers.iter().find(|o| &o.offer_id == id).cloned())
        .collect()
}

/// How much more each offer costs per hour than the cheapest of them
/// ("+$1.20/h"), or "cheapest"; "—" without a price.
pub fn price_differences(offers: &[&Offer]) -> Vec<String> {
    let cheapest = offers
        .iter()
        .filter_map(|offer| offer.total_hourly())
        .min_by(f64::total_cmp);
    offers
        .iter()
        .map(|offer| match (offer.total_hourly(), cheapest) {
            (Some(price), Some(low)) if price - low < 0.005 => "cheapest".to_owned(),
            (Some(price), Some(low)) => format!("+{}/h", format_usd(price - low)),
            _ => "—".to_owned(),
        })
        .collect()
}

/// Seconds until the list should be fetched again: a little before the
/// soonest shown offer expires, within 5 s and `ceiling` (at least 5 s).
pub fn refresh_delay_secs(
    index: &SearchIndex,
    shown: &[usize],
    now: DateTime<Utc>,
    ceiling: i64,
) -> i64 {
    const LEAD: i64 = 5;
    let ceiling = ceiling.max(LEAD);
    shown
        .iter()
        .filter_map(|&at| index.seconds_left(at, now))
        .filter(|&left| left > 0)
        .min()
        .map_or(ceiling, |soonest| (soonest - LEAD).clamp(LEAD, ceiling))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    fn priced(id: &str, gpu: &str, count: u32, hourly: f64, expires: &str) -> Offer {
        serde_json::from_value(serde_json::json!({
            "offer_id": id, "gpu_family": gpu, "gpu_count": count,
            "total_price_per_hour": hourly, "expires_at": expires, "vendor": "v"
        }))
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        parse_timestamp("2026-11-23T10:00:00Z").unwrap()
    }

    #[test]
    fn spread_is_a_five_number_summary_per_gpu() {
        let offers: Vec<Offer> = [1.0, 2.0, 3.0, 4.0, 5.0]
            .iter()
            .enumerate()
            .map(|(i, p)| priced(&i.to_string(), "H100", 2, p * 2.0, "2026-11-23T10:30:00Z"))
            .chain([priced("x", "A10", 1, 0.5, "2026-11-23T10:30:00Z")])
            .collect();
        let all: Vec<usize> = (0..offers.len()).collect();
        let spread = price_spread(&offers, &all);
        assert_eq!(spread.len(), 2);
        assert_eq!(spread[0].gpu_type, "A10", "cheapest median first");
        let h100 = &spread[1];
        assert_eq!(
            (h100.min, h100.q1, h100.median, h100.q3, h100.max),
            (1.0, 2.0, 3.0, 4.0, 5.0)
        );
        assert_eq!(h100.offers, 5);
        assert_eq!(
            price_spread(&offers, &[5]).len(),
            1,
            "only the selected offers count"
        );
    }

    #[test]
    fn comparison_marks_differences_and_price_gaps() {
        let a = priced("a", "H100", 8, 20.0, "2026-11-23T10:30:00Z");
        let b = priced("b", "H100", 4, 11.2, "2026-11-23T10:10:00Z");
        let rows = compare_offers(&[&a, &b], now());
        let row = |label: &str| rows.iter().find(|r| r.label == label).unwrap();
        assert!(!row("GPU").differs);
        assert!(row("GPUs").differs);
        assert_eq!(row("$/GPU-hour").values, ["$2.50", "$2.80"]);
        assert_eq!(row("Expires in").values, ["30 min", "10 min"]);
        assert_eq!(price_differences(&[&a, &b]), ["+$8.80/h", "cheapest"]);
    }

    #[test]
    fn picked_offers_keep_the_picking_order() {
        let offers = [
            priced("a", "H100", 8, 20.0, "2026-11-23T10:30:00Z"),
            priced("b", "H100", 4, 11.2, "2026-11-23T10:10:00Z"),
        ];
        let ids = ["b".to_owned(), "gone".to_owned(), "a".to_owned()];
        let picked: Vec<String> = picked_offers(&ids, &offers)
            .into_iter()
            .map(|o| o.offer_id)
            .collect();
        assert_eq!(picked, ["b", "a"]);
        assert!(picked_offers(&ids, &[]).is_empty());
    }

    #[test]
    fn refresh_comes_before_the_soonest_expiry() {
        let offers = vec![
            priced("a", "H100", 1, 1.0, "2026-11-23T10:00:40Z"),
            priced("b", "H100", 1, 1.0, "2026-11-23T10:20:00Z"),
            priced("c", "H100", 1, 1.0, "2026-11-23T09:59:00Z"),
        ];
        let index = SearchIndex::new(&offers);
        assert_eq!(refresh_delay_secs(&index, &[0, 1, 2], now(), 60), 35);
        assert_eq!(refresh_delay_secs(&index, &[1], now(), 60), 60);
        assert_eq!(
            refresh_delay_secs(&index, &[2], now(), 60),
            60,
            "expired ones are ignored"
        );
        let soon = vec![priced("d", "H100", 1, 1.0, "2026-11-23T10:00:02Z")];
        assert_eq!(
            refresh_delay_secs(&SearchIndex::new(&soon), &[0], now(), 60),
            5
        );
        assert_eq!(
            refresh_delay_secs(&index, &[1], now(), -3),
            5,
            "a ceiling already passed still waits the lead"
        );
    }
}
