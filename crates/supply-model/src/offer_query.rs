//! What the offers page shows. The query has two halves: the spec, which
//! goes to the service (it decides which offers match), and what the spec
//! cannot say (vendor region, a cap on the total price, free text, sort),
//! which narrows the answer here at keystroke speed. The link reproduces
//! both.

use chrono::{DateTime, Utc};

use crate::offer::Offer;
use crate::offer_spec::{split_gpu_types, OfferSpec, ReadSpec};
use crate::url::{build_query, parse_query};

/// A column the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Gpu,
    GpuCount,
    Vendor,
    Region,
    VendorRegion,
    Contract,
    PricePerGpuHour,
    TotalHourly,
    StorageHourly,
    Vcpus,
    Memory,
    BootDisk,
    ExpiresAt,
}

impl SortKey {
    pub const ALL: [SortKey; 13] = [
        Self::Gpu,
        Self::GpuCount,
        Self::Vendor,
        Self::Region,
        Self::VendorRegion,
        Self::Contract,
        Self::PricePerGpuHour,
        Self::TotalHourly,
        Self::StorageHourly,
        Self::Vcpus,
        Self::Memory,
        Self::BootDisk,
        Self::ExpiresAt,
    ];

    /// The name used in links.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gpu => "gpu",
            Self::GpuCount => "gpus",
            Self::Vendor => "vendor",
            Self::Region => "region",
            Self::VendorRegion => "vendor_region",
            Self::Contract => "contract",
            Self::PricePerGpuHour => "gpu_price",
            Self::TotalHourly => "price",
            Self::StorageHourly => "storage_price",
            Self::Vcpus => "vcpus",
            Self::Memory => "memory",
            Self::BootDisk => "boot_disk",
            Self::ExpiresAt => "expires",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|key| key.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    /// Cheapest GPU-hour first.
    fn default() -> Self {
        Self {
            key: SortKey::PricePerGpuHour,
            descending: false,
        }
    }
}

/// The GPU count sent when the user has not chosen one: the service
/// requires a count in practice (the two pages disagree on its default).
pub const DEFAULT_GPU_COUNT: u32 = 1;

/// Every filter and the sort of the offers view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferQuery {
    /// Sent to the service.
    pub spec: OfferSpec,
    /// The vendor's own region, matched here (the spec has region groups).
    pub vendor_region: Option<String>,
    /// A cap on the whole offer's USD per hour, applied here.
    pub max_total_hourly: Option<f64>,
    /// Free text, matched against GPU, vendor, regions, contract and id.
    pub text: String,
    pub sort: Sort,
}

/// A filter applied in the browser, to name the one that removed the most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    VendorRegion,
    MaxTotalHourly,
    Text,
}

impl Filter {
    pub fn label(self) -> &'static str {
        match self {
            Self::VendorRegion => "vendor region",
            Self::MaxTotalHourly => "maximum $/h",
            Self::Text => "search text",
        }
    }
}

/// What the offers page says when the service answered but no offer is
/// shown. `culprit`, when the answer had offers, is what
/// [`OfferQuery::most_restrictive`] found.
pub fn nothing_shown(answer_had_offers: bool, culprit: Option<(Filter, usize)>) -> String {
    if !answer_had_offers {
        return "The service has no offers for this spec right now. Try another GPU, count, region or a higher price cap.".to_owned();
    }
    let hint = culprit
        .map(|(filter, removed)| {
            format!(
                " The {} filter removes the most ({removed} offers).",
                filter.label()
            )
        })
        .unwrap_or_default();
    format!("No offers match.{hint}")
}

const ALL_FILTERS: [Filter; 3] = [Filter::VendorRegion, Filter::MaxTotalHourly, Filter::Text];

fn same_text(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl OfferQuery {
    /// The spec sent to the service: the user's, with every family of
    /// `families` when no GPU is chosen, and a GPU count always.
    pub fn request_spec(&self, families: &[String]) -> OfferSpec {
        let mut spec = self.spec.with_default_gpus(families);
        if spec.compute.gpu_count.is_none() {
            spec.compute.gpu_count = Some(DEFAULT_GPU_COUNT);
        }
        spec
    }

    /// Whether `filter` is set at all.
    pub fn is_active(&self, filter: Filter) -> bool {
        match filter {
            Filter::VendorRegion => self.vendor_region.is_some(),
            Filter::MaxTotalHourly => self.max_total_hourly.is_some(),
            Filter::Text => !self.text.trim().is_empty(),
        }
    }

    /// Whether offer `at` passes `filter`. An offer that lacks the field a
    /// filter needs does not pass it: "at most $20/h" cannot be promised
    /// for an offer without a price. `text_hits` is the search text's
    /// answer for every offer ([`SearchIndex::holding_all`]).
    fn passes(
        &self,
        filter: Filter,
        offer: &Offer,
        at: usize,
        index: &SearchIndex,
        text_hits: Option<&[bool]>,
    ) -> bool {
        match filter {
            Filter::VendorRegion => self.vendor_region.as_deref().is_none_or(|want| {
                offer
                    .vendor_region
                    .as_deref()
                    .is_some_and(|have| same_text(want, have))
            }),
            Filter::MaxTotalHourly => self.max_total_hourly.is_none_or(|max| {
                index
                    .total_hourly
                    .get(at)
                    .copied()
                    .flatten()
                    .is_some_and(|price| price <= max)
            }),
            Filter::Text => text_hits.is_none_or(|hits| hits.get(at) == Some(&true)),
        }
    }

    /// The search text's words, lower-cased once per pass rather than once
    /// per offer.
    pub fn search_words(&self) -> Vec<String> {
        self.text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    /// Indices of the offers that match, in the query's sort order.
    pub fn select(&self, offers: &[Offer], index: &SearchIndex) -> Vec<usize> {
        self.select_from(offers, index, &index.order(offers, self.sort))
    }

    /// The offers of `order` (indices into `offers`, already sorted) that
    /// match, in that order. Only the filters that are set are checked.
    pub fn select_from(
        &self,
        offers: &[Offer],
        index: &SearchIndex,
        order: &[usize],
    ) -> Vec<usize> {
        let text_hits = index.holding_all(&self.search_words());
        let active: Vec<Filter> = ALL_FILTERS
            .into_iter()
            .filter(|&filter| self.is_active(filter))
            .collect();
        order
            .iter()
            .copied()
            .filter(|&at| {
                offers.get(at).is_some_and(|offer| {
                    active
                        .iter()
                        .all(|&filter| self.passes(filter, offer, at, index, text_hits.as_deref()))
                })
            })
            .collect()
    }

    /// When nothing matches: the browser filter that, alone, removes the
    /// most offers, with how many it removes.
    pub fn most_restrictive(
        &self,
        offers: &[Offer],
        index: &SearchIndex,
    ) -> Option<(Filter, usize)> {
        let text_hits = index.holding_all(&self.search_words());
        ALL_FILTERS
            .iter()
            .filter(|&&filter| self.is_active(filter))
            .map(|&filter| {
                let removed = offers
                    .iter()
                    .enumerate()
                    .filter(|&(at, offer)| {
                        !self.passes(filter, offer, at, index, text_hits.as_deref())
                    })
                    .count();
                (filter, removed)
            })
            .max_by_key(|&(_, removed)| removed)
    }

    /// The query string that reproduces this view (without `?`); the
    /// defaults are left out so a plain link stays plain. A spec with parts
    /// the parameters cannot carry (storage volumes, keys this console does
    /// not know) travels whole, as `spec=` YAML.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let spec = &self.spec;
        if !spec.storage.is_empty() || spec.has_unshown_parts() {
            pairs.push(("spec", spec.to_yaml()));
        } else {
            let compute = &spec.compute;
            if !compute.gpu_types.is_empty() {
                pairs.push(("gpu", compute.gpu_types.join(",")));
            }
            if let Some(count) = compute.gpu_count {
                pairs.push(("gpus", count.to_string()));
            }
            let texts = [
                ("vendor", &spec.vendor),
                ("region", &spec.region),
                ("contract", &compute.contract_type),
                ("type", &compute.kind),
            ];
            for (key, value) in texts {
                if let Some(value) = value {
                    pairs.push((key, value.clone()));
                }
            }
            if let Some(max) = compute.max_price_per_gpu_hour {
                pairs.push(("max_gpu_price", crate::decimal::shortest(max)));
            }
            if let Some(min) = compute.min_boot_disk_gb {
                pairs.push(("min_disk", min.to_string()));
            }
            if let Some(cilium) = spec.network.supports_cilium {
                pairs.push(("cilium", if cilium { "1" } else { "0" }.to_owned()));
            }
            if let Some(secs) = spec.max_procure_time_seconds {
                pairs.push(("ready_within", secs.to_string()));
            }
        }
        if let Some(region) = &self.vendor_region {
            pairs.push(("where", region.clone()));
        }
        if let Some(max) = self.max_total_hourly {
            pairs.push(("max_price", crate::decimal::shortest(max)));
        }
        if !self.text.trim().is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        if self.sort != Sort::default() {
            pairs.push(("sort", self.sort.key.as_str().to_owned()));
            if self.sort.descending {
                pairs.push(("dir", "desc".to_owned()));
            }
        }
        build_query(&pairs)
    }

    /// Reads a query string; values it cannot read are ignored, so an old
    /// or hand-edited link still opens.
    pub fn from_query_string(query: &str) -> Self {
        Self::from_query_string_with(query, Some(OfferSpec::from_yaml))
    }

    /// Whether the query carries a whole spec (`spec=` YAML), which takes
    /// the YAML parser to read.
    pub fn has_whole_spec(query: &str) -> bool {
        parse_query(query).iter().any(|(key, _)| key == "spec")
    }

    /// [`Self::from_query_string`] with the `spec=` YAML read by
    /// `read_spec`. The console passes the parser it fetches on demand (a
    /// chunk of its own), so a page that never meets YAML does not carry
    /// it; until it is there (`None`), the other parameters are read alone.
    /// A function pointer, not a generic, so the body is compiled once.
    pub fn from_query_string_with(query: &str, read_spec: Option<ReadSpec>) -> Self {
        let mut parsed = Self::default();
        let mut descending = false;
        let mut whole_spec = None;
        for (key, value) in parse_query(query) {
            let raw = value.as_str();
            let value = value.trim();
            let text = (!value.is_empty()).then(|| value.to_owned());
            let spec = &mut parsed.spec;
            match key.as_str() {
                "spec" => whole_spec = read_spec.and_then(|read| read(raw).ok()),
                "gpu" => {
                    spec.compute.gpu_types = value.split(',').flat_map(split_gpu_types).collect()
                }
                "gpus" => spec.compute.gpu_count = value.parse().ok(),
                "vendor" => spec.vendor = text,
                "region" => spec.region = text,
                "contract" => spec.compute.contract_type = text,
                "type" => spec.compute.kind = text,
                "max_gpu_price" => spec.compute.max_price_per_gpu_hour = positive(value),
                "min_disk" => spec.compute.min_boot_disk_gb = value.parse().ok(),
                "cilium" => {
                    spec.network.supports_cilium = match value {
                        "1" | "true" => Some(true),
                        "0" | "false" => Some(false),
                        _ => None,
                    }
                }
                "ready_within" => spec.max_procure_time_seconds = value.parse().ok(),
                "where" => parsed.vendor_region = text,
                "max_price" => parsed.max_total_hourly = positive(value),
                "q" => parsed.text = value.to_owned(),
                "sort" => {
                    if let Some(key) = SortKey::parse(value) {
                        parsed.sort.key = key;
                    }
                }
                "dir" => descending = value == "desc",
                _ => {}
            }
        }
        if let Some(spec) = whole_spec {
            parsed.spec = spec;
        }
        parsed.sort.descending = descending;
        parsed
    }
}

fn positive(raw: &str) -> Option<f64> {
    raw.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
}

/// What filtering and sorting need of each offer, worked out once per
/// answer rather than once per keystroke: the search text of every offer,
/// lower-cased, with a sketch of it that rules most offers out of a search
/// unread; the $/GPU-hour; and the expiry instant, parsed once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchIndex {
    /// Each offer's GPU, vendor, region, type and id, lower-cased, one
    /// offer after the other.
    text: String,
    /// Where each offer's text starts in `text`, then where the last ends.
    starts: Vec<usize>,
    /// Each offer's sketch, so that most offers are ruled out of a search
    /// without reading their text.
    sketches: Vec<Sketch>,
    per_gpu_hour: Vec<Option<f64>>,
    total_hourly: Vec<Option<f64>>,
    /// Milliseconds since the Unix epoch.
    expires_ms: Vec<Option<i64>>,
}

impl SearchIndex {
    pub fn new(offers: &[Offer]) -> Self {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(offers.len() + 1);
        for offer in offers {
            starts.push(text.len());
            let fields = [
                offer.gpu_family.as_deref(),
                offer.gpu_type.as_deref(),
                offer.vendor.as_deref(),
                offer.region.as_deref(),
                offer.vendor_region.as_deref(),
                offer.contract_type.as_ref().map(|c| c.as_str()),
                Some(offer.offer_id.as_str()),
            ];
            // Fields are joined by a space, which no search word holds, so
            // a word never matches across two fields or two offers.
            for field in fields.into_iter().flatten() {
                text.push_str(&field.to_lowercase());
                text.push(' ');
            }
        }
        starts.push(text.len());
        let sketches = spans(&starts)
            .map(|span| Sketch::of(text.as_bytes().get(span).unwrap_or_default()))
            .collect();
        Self {
            text,
            starts,
            sketches,
            per_gpu_hour: offers.iter().map(Offer::price_per_gpu_hour).collect(),
            total_hourly: offers.iter().map(Offer::total_hourly).collect(),
            expires_ms: offers
                .iter()
                .map(|offer| Some(offer.expires_at.as_ref()?.parsed()?.timestamp_millis()))
                .collect(),
        }
    }

    /// For each offer, whether its text holds `word`. Only the offers whose
    /// sketch allows it are read, with one searcher for them all.
    fn holding(&self, word: &str) -> Vec<bool> {
        let wanted = Sketch::of(word.as_bytes());
        let finder = memchr::memmem::Finder::new(word.as_bytes());
        let bytes = self.text.as_bytes();
        self.sketches
            .iter()
            .zip(spans(&self.starts))
            .map(|(sketch, span)| {
                sketch.may_hold(wanted)
                    && bytes
                        .get(span)
                        .is_some_and(|line| finder.find(line).is_some())
            })
            .collect()
    }

    /// For each offer, whether its text holds every one of `words`; `None`
    /// when there are no words, so every offer passes.
    fn holding_all(&self, words: &[String]) -> Option<Vec<bool>> {
        let (first, rest) = words.split_first()?;
        let mut found = self.holding(first);
        for word in rest {
            for (slot, also) in found.iter_mut().zip(self.holding(word)) {
                *slot &= also;
            }
        }
        Some(found)
    }

    /// Seconds from `now` until offer `at` expires; negative once it has.
    pub fn seconds_left(&self, at: usize, now: DateTime<Utc>) -> Option<i64> {
        let expires = (*self.expires_ms.get(at)?)?;
        // Whole seconds, cut toward zero like `Offer::seconds_left`.
        Some((expires - now.timestamp_millis()) / 1000)
    }

    /// Every offer, in `sort` order; offers missing the value go last in
    /// both directions, and ties fall back to the id so the order is stable.
    /// Sorting is kept apart from filtering: the order changes with the
    /// sort or the answer, not with each keystroke.
    pub fn order(&self, offers: &[Offer], sort: Sort) -> Vec<usize> {
        fn lower(text: &Option<String>) -> Option<String> {
            text.as_deref().map(str::to_lowercase)
        }
        let desc = sort.descending;
        match sort.key {
            SortKey::Gpu => by_key(offers, desc, |o, _| {
                lower(&o.gpu_family).map(|family| (family, lower(&o.gpu_type)))
            }),
            SortKey::GpuCount => by_key(offers, desc, |o, _| o.gpu_count),
            SortKey::Vendor => by_key(offers, desc, |o, _| lower(&o.vendor)),
            SortKey::Region => by_key(offers, desc, |o, _| lower(&o.region)),
            SortKey::VendorRegion => by_key(offers, desc, |o, _| lower(&o.vendor_region)),
            SortKey::Contract => by_key(offers, desc, |o, _| {
                o.contract_type.as_ref().map(|c| c.as_str())
            }),
            SortKey::PricePerGpuHour => by_key(offers, desc, |_, at| {
                self.per_gpu_hour.get(at).copied().flatten()
            }),
            SortKey::TotalHourly => by_key(offers, desc, |_, at| {
                self.total_hourly.get(at).copied().flatten()
            }),
            SortKey::StorageHourly => by_key(offers, desc, |o, _| o.storage_price_per_hour),
            SortKey::Vcpus => by_key(offers, desc, |o, _| o.vcpu_count),
            SortKey::Memory => by_key(offers, desc, |o, _| o.memory_in_gb),
            SortKey::BootDisk => by_key(offers, desc, |o, _| o.boot_disk_in_gb),
            SortKey::ExpiresAt => by_key(offers, desc, |_, at| {
                self.expires_ms.get(at).copied().flatten()
            }),
        }
    }
}

/// Each offer's span of the index text, from the offsets where they start.
fn spans(starts: &[usize]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    starts
        .iter()
        .zip(starts.iter().skip(1))
        .map(|(&from, &to)| from..to)
}

/// Which bytes and which pairs of adjacent bytes a text holds, folded into
/// 128 bits each. A text can only hold a word whose bytes and pairs are all
/// in its sketch; folding only ever adds bits, so a sketch never rules out
/// a text that does hold the word, and the few it lets through are read.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sketch {
    bytes: u128,
    pairs: u128,
}

impl Sketch {
    fn of(text: &[u8]) -> Self {
        let bit = |n: u32| 1_u128 << (n % 128);
        Self {
            bytes: text.iter().fold(0, |acc, &b| acc | bit(u32::from(b))),
            pairs: text
                .iter()
                .zip(text.iter().skip(1))
                .fold(0, |acc, (&a, &b)| {
                    let (a, b) = (u32::from(a), u32::from(b));
                    // A multiplicative hash spreads the pairs over the bits.
                    acc | bit((a * 256 + b).wrapping_mul(0x9E37_79B1) >> 25)
                }),
        }
    }

    fn may_hold(self, word: Sketch) -> bool {
        self.bytes & word.bytes == word.bytes && self.pairs & word.pairs == word.pairs
    }
}

/// Indices of `offers` sorted by the key `key` gives each, worked out once
/// per offer rather than once per comparison.
fn by_key<'a, K: PartialOrd>(
    offers: &'a [Offer],
    descending: bool,
    key: impl Fn(&'a Offer, usize) -> Option<K>,
) -> Vec<usize> {
    use crate::ordering::missing_last;
    let keys: Vec<Option<K>> = offers
        .iter()
        .enumerate()
        .map(|(at, offer)| key(offer, at))
        .collect();
    let key_of = |at: usize| keys.get(at).and_then(Option::as_ref);
    let id_of = |at: usize| offers.get(at).map(|offer| offer.offer_id.as_str());
    let mut order: Vec<usize> = (0..offers.len()).collect();
    crate::ordering::sort_indices(&mut order, &|a, b| {
        missing_last(key_of(a), key_of(b), descending).then_with(|| id_of(a).cmp(&id_of(b)))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::Sketch;

    #[test]
    fn a_sketch_never_rules_out_a_text_that_holds_the_word() {
        let texts = [
            "h100 lambda us-east-1 vm 4297b3ac-a826-4727-9a83-52c3a6058d08 ",
            "i̇stanbul-x <b>vend\nor</b> 🚀 àéî-1 f ",
            "",
        ];
        for text in texts {
            let sketch = Sketch::of(text.as_bytes());
            for from in 0..text.len() {
                for to in from + 1..=text.len() {
                    let word = &text.as_bytes()[from..to];
                    assert!(sketch.may_hold(Sketch::of(word)), "{text:?} {word:?}");
                }
            }
        }
        let text = "h100 lambda us-east-1 vm ";
        let h100 = Sketch::of(text.as_bytes());
        assert!(!h100.may_hold(Sketch::of(b"rtx")), "a byte it lacks");
        // Pairs of its own bytes that it does not hold: folding lets a few
        // through, but most are ruled out.
        let absent: Vec<[u8; 2]> = text
            .bytes()
            .flat_map(|a| text.bytes().map(move |b| [a, b]))
            .filter(|pair| !text.as_bytes().windows(2).any(|w| w == pair))
            .collect();
        let let_through = absent
            .iter()
            .filter(|pair| h100.may_hold(Sketch::of(&pair[..])))
            .count();
        assert!(
            let_through * 2 < absent.len(),
            "{let_through} of {}",
            absent.len()
        );
    }
}
