//! What the offers page shows: filters, sort, the request sent to the API,
//! and the link that reproduces the view. Filters the API takes are sent
//! with the request; every filter is also applied here, so the table is
//! right whatever the API did with them.

use chrono::{DateTime, Utc};

use crate::offer::{GetOffersRequest, Offer, OfferType};
use crate::url::{encode_component, parse_query};

/// A column the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    GpuType,
    GpuCount,
    GpuMemory,
    Vendor,
    Region,
    OfferType,
    Vcpus,
    Memory,
    Storage,
    PriceHourly,
    PricePerGpuHour,
    Available,
    ExpiresAt,
}

impl SortKey {
    pub const ALL: [SortKey; 13] = [
        Self::GpuType,
        Self::GpuCount,
        Self::GpuMemory,
        Self::Vendor,
        Self::Region,
        Self::OfferType,
        Self::Vcpus,
        Self::Memory,
        Self::Storage,
        Self::PriceHourly,
        Self::PricePerGpuHour,
        Self::Available,
        Self::ExpiresAt,
    ];

    /// The name used in links.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GpuType => "gpu",
            Self::GpuCount => "gpus",
            Self::GpuMemory => "gpu_memory",
            Self::Vendor => "vendor",
            Self::Region => "region",
            Self::OfferType => "type",
            Self::Vcpus => "vcpus",
            Self::Memory => "memory",
            Self::Storage => "storage",
            Self::PriceHourly => "price",
            Self::PricePerGpuHour => "gpu_price",
            Self::Available => "available",
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

/// Every filter and the sort of the offers view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferQuery {
    /// Any of these GPU types; empty means all.
    pub gpu_types: Vec<String>,
    pub gpu_count_min: Option<u32>,
    pub gpu_count_max: Option<u32>,
    pub vendor: Option<String>,
    pub region: Option<String>,
    pub offer_type: Option<OfferType>,
    pub max_price_per_gpu_hour: Option<f64>,
    pub min_gpu_memory_gb: Option<f64>,
    pub available_only: bool,
    /// Free text, matched against GPU, vendor, region, type and id.
    pub text: String,
    pub sort: Sort,
}

/// One filter, to name the one that removed the most offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    GpuType,
    GpuCount,
    Vendor,
    Region,
    OfferType,
    MaxPricePerGpuHour,
    MinGpuMemory,
    AvailableOnly,
    Text,
}

impl Filter {
    pub fn label(self) -> &'static str {
        match self {
            Self::GpuType => "GPU type",
            Self::GpuCount => "GPU count",
            Self::Vendor => "vendor",
            Self::Region => "region",
            Self::OfferType => "offer type",
            Self::MaxPricePerGpuHour => "maximum $/GPU-hour",
            Self::MinGpuMemory => "minimum GPU memory",
            Self::AvailableOnly => "available only",
            Self::Text => "search text",
        }
    }
}

const ALL_FILTERS: [Filter; 9] = [
    Filter::GpuType,
    Filter::GpuCount,
    Filter::Vendor,
    Filter::Region,
    Filter::OfferType,
    Filter::MaxPricePerGpuHour,
    Filter::MinGpuMemory,
    Filter::AvailableOnly,
    Filter::Text,
];

fn same_text(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl OfferQuery {
    /// The filters the contract's request takes: exact values only.
    pub fn to_request(&self) -> GetOffersRequest {
        let exact_count = match (self.gpu_count_min, self.gpu_count_max) {
            (Some(min), Some(max)) if min == max => Some(min),
            _ => None,
        };
        GetOffersRequest {
            gpu_type: match self.gpu_types.as_slice() {
                [only] => Some(only.clone()),
                _ => None,
            },
            gpu_count: exact_count,
            vendor: self.vendor.clone(),
            vendor_region: self.region.clone(),
            offer_type: self.offer_type.clone(),
            max_price_hourly: None,
        }
    }

    /// Whether `filter` is set at all.
    pub fn is_active(&self, filter: Filter) -> bool {
        match filter {
            Filter::GpuType => !self.gpu_types.is_empty(),
            Filter::GpuCount => self.gpu_count_min.is_some() || self.gpu_count_max.is_some(),
            Filter::Vendor => self.vendor.is_some(),
            Filter::Region => self.region.is_some(),
            Filter::OfferType => self.offer_type.is_some(),
            Filter::MaxPricePerGpuHour => self.max_price_per_gpu_hour.is_some(),
            Filter::MinGpuMemory => self.min_gpu_memory_gb.is_some(),
            Filter::AvailableOnly => self.available_only,
            Filter::Text => !self.text.trim().is_empty(),
        }
    }

    /// Whether offer `at` passes `filter`. An offer that lacks the field a
    /// filter needs does not pass it: "at most $2/GPU-hour" cannot be
    /// promised for an offer without a price. `text_hits` is the search
    /// text's answer for every offer ([`SearchIndex::holding_all`]).
    fn passes(
        &self,
        filter: Filter,
        offer: &Offer,
        at: usize,
        index: &SearchIndex,
        text_hits: Option<&[bool]>,
    ) -> bool {
        match filter {
            Filter::GpuType => {
                self.gpu_types.is_empty()
                    || offer
                        .gpu_type
                        .as_deref()
                        .is_some_and(|gpu| self.gpu_types.iter().any(|want| same_text(want, gpu)))
            }
            Filter::GpuCount => {
                let count = offer.gpu_count;
                self.gpu_count_min
                    .is_none_or(|min| count.is_some_and(|c| c >= min))
                    && self
                        .gpu_count_max
                        .is_none_or(|max| count.is_some_and(|c| c <= max))
            }
            Filter::Vendor => self.vendor.as_deref().is_none_or(|want| {
                offer
                    .vendor
                    .as_deref()
                    .is_some_and(|have| same_text(want, have))
            }),
            Filter::Region => self.region.as_deref().is_none_or(|want| {
                offer
                    .vendor_region
                    .as_deref()
                    .is_some_and(|have| same_text(want, have))
            }),
            Filter::OfferType => self
                .offer_type
                .as_ref()
                .is_none_or(|want| offer.offer_type.as_ref() == Some(want)),
            Filter::MaxPricePerGpuHour => self.max_price_per_gpu_hour.is_none_or(|max| {
                index
                    .per_gpu_hour
                    .get(at)
                    .copied()
                    .flatten()
                    .is_some_and(|price| price <= max)
            }),
            Filter::MinGpuMemory => self
                .min_gpu_memory_gb
                .is_none_or(|min| offer.gpu_memory_gb.is_some_and(|memory| memory >= min)),
            Filter::AvailableOnly => !self.available_only || offer.available == Some(true),
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

    /// When nothing matches: the active filter that, alone, removes the
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
    /// defaults are left out so a plain link stays plain.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.gpu_types.is_empty() {
            pairs.push(("gpu", self.gpu_types.join(",")));
        }
        match (self.gpu_count_min, self.gpu_count_max) {
            (None, None) => {}
            (min, max) => pairs.push((
                "gpus",
                format!(
                    "{}-{}",
                    min.map(|n| n.to_string()).unwrap_or_default(),
                    max.map(|n| n.to_string()).unwrap_or_default()
                ),
            )),
        }
        if let Some(vendor) = &self.vendor {
            pairs.push(("vendor", vendor.clone()));
        }
        if let Some(region) = &self.region {
            pairs.push(("region", region.clone()));
        }
        if let Some(kind) = &self.offer_type {
            pairs.push(("type", kind.as_str().to_owned()));
        }
        if let Some(max) = self.max_price_per_gpu_hour {
            pairs.push(("max_gpu_price", max.to_string()));
        }
        if let Some(min) = self.min_gpu_memory_gb {
            pairs.push(("min_gpu_memory", min.to_string()));
        }
        if self.available_only {
            pairs.push(("available", "1".to_owned()));
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
        pairs
            .into_iter()
            .map(|(key, value)| format!("{key}={}", encode_component(&value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a query string; values it cannot read are ignored, so an old
    /// or hand-edited link still opens.
    pub fn from_query_string(query: &str) -> Self {
        let mut parsed = Self::default();
        let mut descending = false;
        for (key, value) in parse_query(query) {
            let value = value.trim();
            let text = (!value.is_empty()).then(|| value.to_owned());
            match key.as_str() {
                "gpu" => {
                    parsed.gpu_types = value
                        .split(',')
                        .map(str::trim)
                        .filter(|gpu| !gpu.is_empty())
                        .map(str::to_owned)
                        .collect()
                }
                "gpus" => {
                    let (min, max) = value.split_once('-').unwrap_or((value, value));
                    parsed.gpu_count_min = min.trim().parse().ok();
                    parsed.gpu_count_max = max.trim().parse().ok();
                }
                "vendor" => parsed.vendor = text,
                "region" => parsed.region = text,
                "type" => parsed.offer_type = text.map(|raw| OfferType::from_wire(&raw)),
                "max_gpu_price" => parsed.max_price_per_gpu_hour = positive(value),
                "min_gpu_memory" => parsed.min_gpu_memory_gb = positive(value),
                "available" => parsed.available_only = matches!(value, "1" | "true" | "yes"),
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
                offer.gpu_type.as_deref(),
                offer.vendor.as_deref(),
                offer.vendor_region.as_deref(),
                offer.offer_type.as_ref().map(OfferType::as_str),
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
            SortKey::GpuType => by_key(offers, desc, |o, _| lower(&o.gpu_type)),
            SortKey::GpuCount => by_key(offers, desc, |o, _| o.gpu_count),
            SortKey::GpuMemory => by_key(offers, desc, |o, _| o.gpu_memory_gb),
            SortKey::Vendor => by_key(offers, desc, |o, _| lower(&o.vendor)),
            SortKey::Region => by_key(offers, desc, |o, _| lower(&o.vendor_region)),
            SortKey::OfferType => by_key(offers, desc, |o, _| {
                o.offer_type.as_ref().map(OfferType::as_str)
            }),
            SortKey::Vcpus => by_key(offers, desc, |o, _| o.vcpus),
            SortKey::Memory => by_key(offers, desc, |o, _| o.memory_gb),
            SortKey::Storage => by_key(offers, desc, |o, _| o.storage_gb),
            SortKey::PriceHourly => by_key(offers, desc, |o, _| o.pricing_hourly),
            SortKey::PricePerGpuHour => by_key(offers, desc, |_, at| {
                self.per_gpu_hour.get(at).copied().flatten()
            }),
            SortKey::Available => by_key(offers, desc, |o, _| o.available),
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
    order.sort_by(|&a, &b| {
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
