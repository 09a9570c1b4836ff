//! What the resources list shows: filters by status, vendor and type, a
//! sort, the total hourly spend of the rows shown, and the link that
//! reproduces the view.

use std::cmp::Ordering;

use crate::resource::ResourceSummary;
use crate::url::{build_query, parse_query};

/// A column the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceSortKey {
    Name,
    Type,
    Vendor,
    Region,
    Status,
    PriceHourly,
    CreatedAt,
}

impl ResourceSortKey {
    pub const ALL: [ResourceSortKey; 7] = [
        Self::Name,
        Self::Type,
        Self::Vendor,
        Self::Region,
        Self::Status,
        Self::PriceHourly,
        Self::CreatedAt,
    ];

    /// The name used in links.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Type => "type",
            Self::Vendor => "vendor",
            Self::Region => "region",
            Self::Status => "status",
            Self::PriceHourly => "price",
            Self::CreatedAt => "created",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|key| key.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceSort {
    pub key: ResourceSortKey,
    pub descending: bool,
}

impl Default for ResourceSort {
    /// Newest first: the resource just procured is the one looked for.
    fn default() -> Self {
        Self {
            key: ResourceSortKey::CreatedAt,
            descending: true,
        }
    }
}

/// One of the list's filters: a field of [`ResourceQuery`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceFilter {
    Status,
    Vendor,
    Type,
}

impl ResourceFilter {
    /// In the filter bar's order.
    pub const ALL: [ResourceFilter; 3] = [Self::Status, Self::Vendor, Self::Type];
}

/// The filters and sort of the resources list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceQuery {
    pub status: Option<String>,
    pub vendor: Option<String>,
    pub resource_type: Option<String>,
    pub sort: ResourceSort,
}

impl ResourceQuery {
    /// What a filter is set to; `None` is any value.
    pub fn filter(&self, which: ResourceFilter) -> Option<&str> {
        match which {
            ResourceFilter::Status => self.status.as_deref(),
            ResourceFilter::Vendor => self.vendor.as_deref(),
            ResourceFilter::Type => self.resource_type.as_deref(),
        }
    }

    /// Sets a filter; `None` is any value.
    pub fn set_filter(&mut self, which: ResourceFilter, value: Option<String>) {
        let field = match which {
            ResourceFilter::Status => &mut self.status,
            ResourceFilter::Vendor => &mut self.vendor,
            ResourceFilter::Type => &mut self.resource_type,
        };
        *field = value;
    }

    pub fn matches(&self, resource: &ResourceSummary) -> bool {
        let same = |wanted: &Option<String>, actual: &str| {
            wanted
                .as_deref()
                .is_none_or(|wanted| wanted.eq_ignore_ascii_case(actual))
        };
        same(&self.status, &resource.status)
            && same(&self.vendor, &resource.vendor)
            && same(&self.resource_type, &resource.resource_type)
    }

    /// Indices of the resources that match, in the query's sort order.
    pub fn select(&self, resources: &[ResourceSummary]) -> Vec<usize> {
        let mut selected: Vec<usize> = resources
            .iter()
            .enumerate()
            .filter(|(_, r)| self.matches(r))
            .map(|(at, _)| at)
            .collect();
        crate::ordering::sort_indices(&mut selected, &|a, b| match (
            resources.get(a),
            resources.get(b),
        ) {
            (Some(a), Some(b)) => compare(a, b, self.sort),
            _ => Ordering::Equal,
        });
        selected
    }

    /// `status=running&vendor=lambda&type=vm&sort=price&dir=asc`; defaults
    /// are left out, so the plain list has a plain link.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(status) = &self.status {
            pairs.push(("status", status.clone()));
        }
        if let Some(vendor) = &self.vendor {
            pairs.push(("vendor", vendor.clone()));
        }
        if let Some(kind) = &self.resource_type {
            pairs.push(("type", kind.clone()));
        }
        if self.sort != ResourceSort::default() {
            pairs.push(("sort", self.sort.key.as_str().to_owned()));
            let dir = if self.sort.descending { "desc" } else { "asc" };
            pairs.push(("dir", dir.to_owned()));
        }
        build_query(&pairs)
    }

    /// Reads a link's query; unknown keys and values are ignored.
    pub fn from_query_string(query: &str) -> Self {
        let mut parsed = Self::default();
        let mut key = None;
        let mut dir = None;
        for (name, value) in parse_query(query) {
            let value = value.trim().to_owned();
            let filled = (!value.is_empty()).then(|| value.clone());
            match name.as_str() {
                "status" => parsed.status = filled,
                "vendor" => parsed.vendor = filled,
                "type" => parsed.resource_type = filled,
                "sort" => key = ResourceSortKey::parse(&value),
                "dir" => dir = Some(value == "desc"),
                _ => {}
            }
        }
        if let Some(key) = key {
            parsed.sort = ResourceSort {
                key,
                descending: dir.unwrap_or(false),
            };
        } else if let Some(descending) = dir {
            parsed.sort.descending = descending;
        }
        parsed
    }
}

/// Orders two resources by `sort`; resources missing the value go last in
/// both directions.
pub fn compare(a: &ResourceSummary, b: &ResourceSummary, sort: ResourceSort) -> Ordering {
    use crate::ordering::missing_last as by;
    let text = |s: &str| Some(s.to_lowercase());
    let desc = sort.descending;
    let order = match sort.key {
        ResourceSortKey::Name => by(
            a.name.as_deref().map(str::to_lowercase),
            b.name.as_deref().map(str::to_lowercase),
            desc,
        ),
        ResourceSortKey::Type => by(text(&a.resource_type), text(&b.resource_type), desc),
        ResourceSortKey::Vendor => by(text(&a.vendor), text(&b.vendor), desc),
        ResourceSortKey::Region => by(text(&a.vendor_region), text(&b.vendor_region), desc),
        ResourceSortKey::Status => by(text(&a.status), text(&b.status), desc),
        ResourceSortKey::PriceHourly => by(
            a.pricing_total_hourly.filter(|p| p.is_finite()),
            b.pricing_total_hourly.filter(|p| p.is_finite()),
            desc,
        ),
        ResourceSortKey::CreatedAt => by(
            a.created_at.parsed().map(|t| t.timestamp_millis()),
            b.created_at.parsed().map(|t| t.timestamp_millis()),
            desc,
        ),
    };
    // A stable tie-break, so equal rows do not swap on every refresh.
    order.then_with(|| a.resource_id.cmp(&b.resource_id))
}

/// The sum of `pricing_total_hourly` over the rows shown; rows without a
/// price add nothing.
pub fn total_hourly(resources: &[ResourceSummary], shown: &[usize]) -> f64 {
    shown
        .iter()
        .filter_map(|&at| resources.get(at)?.pricing_total_hourly)
        .filter(|price| price.is_finite())
        .sum()
}

/// The distinct values of a field, sorted and without case twins, for a
/// filter's choices (resources and offers alike).
pub fn distinct_values<T>(items: &[T], field: fn(&T) -> &str) -> Vec<String> {
    let mut values: Vec<String> = items
        .iter()
        .map(field)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    crate::ordering::sort_by_cached_key(&mut values, |v| v.to_lowercase());
    values.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(
        id: &str,
        status: &str,
        vendor: &str,
        kind: &str,
        price: Option<f64>,
        created: &str,
    ) -> ResourceSummary {
        serde_json::from_value(serde_json::json!({
            "resource_id": id,
            "resource_type": kind,
            "name": format!("name-{id}"),
            "vendor": vendor,
            "vendor_region": "r",
            "status": status,
            "pricing_total_hourly": price,
            "created_at": created,
        }))
        .unwrap()
    }

    fn sample() -> Vec<ResourceSummary> {
        vec![
            resource(
                "a",
                "running",
                "lambda",
                "vm",
                Some(2.49),
                "2026-01-03T00:00:00Z",
            ),
            resource(
                "b",
                "stopped",
                "nebius",
                "vm",
                Some(1.86),
                "2026-01-01T00:00:00Z",
            ),
            resource(
                "c",
                "attached",
                "lambda",
                "storage",
                Some(0.14),
                "2026-01-02T00:00:00Z",
            ),
            resource("d", "Running", "runpod", "vm", None, "2026-01-04T00:00:00Z"),
        ]
    }

    #[test]
    fn filters_narrow_and_ignore_case() {
        let data = sample();
        let query = ResourceQuery {
            status: Some("running".into()),
            ..Default::default()
        };
        assert_eq!(query.select(&data), vec![3, 0]);
        let query = ResourceQuery {
            vendor: Some("lambda".into()),
            resource_type: Some("storage".into()),
            ..Default::default()
        };
        assert_eq!(query.select(&data), vec![2]);
    }

    #[test]
    fn each_filter_is_its_own_field() {
        let mut query = ResourceQuery::default();
        for (which, value) in ResourceFilter::ALL
            .into_iter()
            .zip(["running", "lambda", "vm"])
        {
            query.set_filter(which, Some(value.into()));
        }
        assert_eq!(query.status.as_deref(), Some("running"));
        assert_eq!(query.vendor.as_deref(), Some("lambda"));
        assert_eq!(query.resource_type.as_deref(), Some("vm"));
        assert_eq!(query.filter(ResourceFilter::Vendor), Some("lambda"));
        query.set_filter(ResourceFilter::Type, None);
        assert_eq!(query.filter(ResourceFilter::Type), None);
    }

    #[test]
    fn newest_first_by_default_and_missing_prices_go_last() {
        let data = sample();
        assert_eq!(ResourceQuery::default().select(&data), vec![3, 0, 2, 1]);
        let mut query = ResourceQuery {
            sort: ResourceSort {
                key: ResourceSortKey::PriceHourly,
                descending: false,
            },
            ..Default::default()
        };
        assert_eq!(query.select(&data), vec![2, 1, 0, 3]);
        query.sort.descending = true;
        assert_eq!(query.select(&data), vec![0, 1, 2, 3]);
    }

    #[test]
    fn the_total_counts_only_the_rows_shown() {
        let data = sample();
        assert!((total_hourly(&data, &[0, 1, 2, 3]) - 4.49).abs() < 1e-9);
        assert!((total_hourly(&data, &[0]) - 2.49).abs() < 1e-9);
        assert_eq!(total_hourly(&data, &[]), 0.0);
        assert_eq!(total_hourly(&data, &[3, 99]), 0.0);
    }

    #[test]
    fn the_view_round_trips_through_its_link() {
        let query = ResourceQuery {
            status: Some("running".into()),
            vendor: Some("lambda labs".into()),
            resource_type: Some("vm".into()),
            sort: ResourceSort {
                key: ResourceSortKey::PriceHourly,
                descending: false,
            },
        };
        let link = query.to_query_string();
        assert_eq!(
            link,
            "status=running&vendor=lambda%20labs&type=vm&sort=price&dir=asc"
        );
        assert_eq!(ResourceQuery::from_query_string(&format!("?{link}")), query);
        assert_eq!(ResourceQuery::default().to_query_string(), "");
        assert_eq!(
            ResourceQuery::from_query_string("?sort=bogus&x=1&status="),
            ResourceQuery::default()
        );
    }

    #[test]
    fn choices_are_distinct_and_sorted() {
        let data = sample();
        assert_eq!(
            distinct_values(&data, |r| &r.vendor),
            vec!["lambda", "nebius", "runpod"]
        );
        assert_eq!(
            distinct_values(&data, |r| &r.status),
            vec!["attached", "running", "stopped"]
        );
    }
}
