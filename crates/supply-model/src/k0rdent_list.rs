//! The k0rdent lists: the calls (projects, a project's instances, one
//! instance), where the user is in a cursor-paged list (kept in the
//! console's URL), the filter and sort of a page of instances, the regions
//! worth offering, and the simulator's deterministic page tokens.

use std::cmp::Ordering;

use sha2::{Digest, Sha256};

use crate::jwt::{base64url_decode, base64url_encode};
use crate::k0rdent::{Instance, LifecycleState};
use crate::k0rdent_link::parse_self_link;
use crate::k0rdent_view::{check_segment, InstanceRef, OpenErrors};
use crate::routes::Route;
use crate::supply_calls::{Call, Method};
use crate::url::{encode_component, parse_query};

/// The page sizes offered; the API's default is 50, its maximum 500.
pub const PAGE_SIZES: [u32; 4] = [10, 25, 50, 100];
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;

fn get(path: String) -> Call {
    Call {
        method: Method::Get,
        path,
        body: None,
    }
}

fn page_query(page_token: Option<&str>, page_size: u32) -> String {
    let mut query = format!("?pageSize={}", page_size.clamp(1, MAX_PAGE_SIZE));
    if let Some(token) = page_token.filter(|t| !t.is_empty()) {
        query.push_str("&pageToken=");
        query.push_str(&encode_component(token));
    }
    query
}

/// `GET /v1/regions/global/projects?pageSize=&pageToken=`.
pub fn projects_call(page_token: Option<&str>, page_size: u32) -> Call {
    get(format!(
        "/v1/regions/global/projects{}",
        page_query(page_token, page_size)
    ))
}

/// `GET /v1/regions/{region}/projects/{project}/compute/instances?pageSize=&pageToken=`.
pub fn instances_call(project: &ProjectRef, page_token: Option<&str>, page_size: u32) -> Call {
    get(format!(
        "/v1/regions/{}/projects/{}/compute/instances{}",
        encode_component(&project.region),
        encode_component(&project.project),
        page_query(page_token, page_size)
    ))
}

/// `GET /v1/regions/{region}/projects/{project}/compute/instances/{id}`.
pub fn instance_call(instance: &InstanceRef) -> Call {
    get(instance.api_path())
}

/// A region and a project, checked like the open-instance form's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRef {
    pub region: String,
    pub project: String,
}

impl ProjectRef {
    pub fn check(region: &str, project: &str) -> Result<Self, OpenErrors> {
        let (region, project) = (region.trim(), project.trim());
        let errors = OpenErrors {
            region: check_segment(region, "region"),
            project: check_segment(project, "project"),
            id: None,
        };
        if errors.any() {
            return Err(errors);
        }
        Ok(Self {
            region: region.to_owned(),
            project: project.to_owned(),
        })
    }

    /// The console's page of this project's instances.
    pub fn console_path(&self) -> String {
        Route::Instances {
            region: self.region.clone(),
            project: self.project.clone(),
        }
        .href()
    }

    pub fn instance(&self, id: &str) -> InstanceRef {
        InstanceRef {
            region: self.region.clone(),
            project: self.project.clone(),
            id: id.to_owned(),
        }
    }
}

/// Where the user is in a cursor-paged list: the page token of this page
/// (none for the first), the tokens of the pages before it (an empty one
/// stands for the first page) so Previous works after a reload, and the
/// page size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub page_token: Option<String>,
    pub previous: Vec<String>,
    pub page_size: u32,
}

impl Default for Position {
    fn default() -> Self {
        Self {
            page_token: None,
            previous: Vec::new(),
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// A page size from a link: one of the offered ones, else the default.
fn parse_page_size(raw: &str) -> u32 {
    raw.parse::<u32>()
        .ok()
        .filter(|size| PAGE_SIZES.contains(size))
        .unwrap_or(DEFAULT_PAGE_SIZE)
}

impl Position {
    /// 1 on the first page.
    pub fn page_number(&self) -> usize {
        if self.page_token.is_none() {
            1
        } else {
            self.previous.len() + 1
        }
    }

    pub fn has_previous(&self) -> bool {
        self.page_token.is_some()
    }

    /// The page after this one, reached with the answer's `nextPageToken`.
    pub fn next(&self, next_page_token: &str) -> Self {
        let mut previous = self.previous.clone();
        if self.page_token.is_none() {
            previous.clear();
        }
        previous.push(self.page_token.clone().unwrap_or_default());
        Self {
            page_token: Some(next_page_token.to_owned()),
            previous,
            page_size: self.page_size,
        }
    }

    /// The page before this one; the first page stays where it is.
    pub fn previous(&self) -> Self {
        let mut previous = self.previous.clone();
        let token = previous.pop().filter(|t| !t.is_empty());
        if token.is_none() {
            previous.clear();
        }
        Self {
            page_token: token,
            previous,
            page_size: self.page_size,
        }
    }

    /// The first page at another size (tokens belong to a size).
    pub fn with_size(&self, page_size: u32) -> Self {
        Self {
            page_size: if PAGE_SIZES.contains(&page_size) {
                page_size
            } else {
                DEFAULT_PAGE_SIZE
            },
            ..Self::default()
        }
    }

    pub fn first(&self) -> Self {
        self.with_size(self.page_size)
    }

    fn read(pairs: &[(String, String)]) -> Self {
        let mut position = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "pageToken" if !value.is_empty() => position.page_token = Some(value.clone()),
                "pageSize" => position.page_size = parse_page_size(value),
                "prev" => position.previous.push(value.clone()),
                _ => {}
            }
        }
        if position.page_token.is_none() {
            position.previous.clear();
        }
        position
    }

    fn write(&self, out: &mut Vec<String>) {
        if self.page_size != DEFAULT_PAGE_SIZE {
            out.push(format!("pageSize={}", self.page_size));
        }
        if let Some(token) = &self.page_token {
            for earlier in &self.previous {
                out.push(format!("prev={}", encode_component(earlier)));
            }
            out.push(format!("pageToken={}", encode_component(token)));
        }
    }

    pub fn from_query_string(query: &str) -> Self {
        Self::read(&parse_query(query))
    }

    pub fn to_query_string(&self) -> String {
        let mut out = Vec::new();
        self.write(&mut out);
        out.join("&")
    }
}

/// A column the instances table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceSortKey {
    Name,
    Lifecycle,
    Gpus,
    Created,
}

impl InstanceSortKey {
    pub const ALL: [InstanceSortKey; 4] = [Self::Name, Self::Lifecycle, Self::Gpus, Self::Created];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Lifecycle => "lifecycle",
            Self::Gpus => "gpus",
            Self::Created => "created",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|key| key.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceSort {
    pub key: InstanceSortKey,
    pub descending: bool,
}

impl InstanceSort {
    /// Clicking a column: ascending first, then the other way.
    pub fn toggled(current: Option<Self>, key: InstanceSortKey) -> Option<Self> {
        match current {
            Some(sort) if sort.key == key && !sort.descending => Some(Self {
                key,
                descending: true,
            }),
            Some(sort) if sort.key == key => None,
            _ => Some(Self {
                key,
                descending: false,
            }),
        }
    }
}

/// The instances page's state, all of it in the URL: the position in the
/// list, and the lifecycle filter, text filter and sort of the page shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstancesQuery {
    pub position: Position,
    pub lifecycle: Option<LifecycleState>,
    pub text: String,
    /// `None`: in the API's order.
    pub sort: Option<InstanceSort>,
}

impl InstancesQuery {
    pub fn from_query_string(query: &str) -> Self {
        let pairs = parse_query(query);
        let mut out = Self {
            position: Position::read(&pairs),
            ..Self::default()
        };
        for (key, value) in &pairs {
            match key.as_str() {
                "lifecycle" => out.lifecycle = LifecycleState::parse(value),
                "q" => out.text = value.clone(),
                "sort" => {
                    let (descending, name) = match value.strip_prefix('-') {
                        Some(name) => (true, name),
                        None => (false, value.as_str()),
                    };
                    out.sort =
                        InstanceSortKey::parse(name).map(|key| InstanceSort { key, descending });
                }
                _ => {}
            }
        }
        out
    }

    pub fn to_query_string(&self) -> String {
        let mut out = Vec::new();
        self.position.write(&mut out);
        if let Some(state) = self.lifecycle {
            out.push(format!("lifecycle={}", state.as_str()));
        }
        if !self.text.trim().is_empty() {
            out.push(format!("q={}", encode_component(&self.text)));
        }
        if let Some(sort) = self.sort {
            let sign = if sort.descending { "-" } else { "" };
            out.push(format!("sort={sign}{}", sort.key.as_str()));
        }
        out.join("&")
    }

    /// Whether an instance passes both filters.
    pub fn matches(&self, instance: &Instance) -> bool {
        let state = instance.lifecycle.as_ref().and_then(|l| l.state());
        if self.lifecycle.is_some() && state != self.lifecycle {
            return false;
        }
        let words: Vec<String> = self
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return true;
        }
        let haystack = searchable_text(instance);
        words.iter().all(|word| haystack.contains(word.as_str()))
    }

    /// The indexes of the instances shown, filtered and in order.
    pub fn select(&self, instances: &[Instance]) -> Vec<usize> {
        let mut shown: Vec<usize> = instances
            .iter()
            .enumerate()
            .filter(|(_, instance)| self.matches(instance))
            .map(|(index, _)| index)
            .collect();
        if let Some(sort) = self.sort {
            crate::ordering::sort_indices(&mut shown, &|a, b| {
                match (instances.get(a), instances.get(b)) {
                    (Some(a), Some(b)) => {
                        let order = compare(a, b, sort.key);
                        if sort.descending {
                            order.reverse()
                        } else {
                            order
                        }
                    }
                    _ => Ordering::Equal,
                }
                .then(a.cmp(&b))
            });
        }
        shown
    }
}

/// The display name, or the id when there is none.
pub fn instance_name(instance: &Instance) -> &str {
    instance
        .display_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&instance.id)
}

pub fn gpu_total(instance: &Instance) -> u32 {
    instance
        .gpus
        .iter()
        .map(|g| g.count.unwrap_or(0))
        .fold(0, u32::saturating_add)
}

fn searchable_text(instance: &Instance) -> String {
    let mut parts = vec![instance.id.clone()];
    parts.extend(instance.display_name.clone());
    parts.extend(instance.description.clone());
    parts.extend(instance.hostname.clone());
    parts.extend(instance.lifecycle.as_ref().and_then(|l| l.status.clone()));
    parts.extend(instance.gpus.iter().filter_map(|g| g.kind.clone()));
    parts.extend(
        instance
            .labels
            .iter()
            .map(|(k, v)| format!("{k}: {v} {k}={v}")),
    );
    parts.join("\n").to_lowercase()
}

fn compare(a: &Instance, b: &Instance, key: InstanceSortKey) -> Ordering {
    match key {
        InstanceSortKey::Name => instance_name(a)
            .to_lowercase()
            .cmp(&instance_name(b).to_lowercase()),
        InstanceSortKey::Lifecycle => {
            let state = |i: &Instance| i.lifecycle.as_ref().and_then(|l| l.state());
            // Unknown states last.
            match (state(a), state(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        }
        InstanceSortKey::Gpus => gpu_total(a).cmp(&gpu_total(b)),
        InstanceSortKey::Created => {
            let at = |i: &Instance| i.created_at.as_ref().and_then(|t| t.parsed());
            at(a).cmp(&at(b))
        }
    }
}

/// Regions to offer: those used on this device first (most recent first),
/// then those seen in instance self links; each once, at most `limit`.
pub fn region_choices<'a>(
    used: &[String],
    links: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let seen = links
        .into_iter()
        .filter_map(parse_self_link)
        .map(|r| r.region);
    for region in used.iter().cloned().chain(seen) {
        let region = region.trim().to_owned();
        if !region.is_empty()
            && check_segment(&region, "region").is_none()
            && !out.contains(&region)
        {
            out.push(region);
        }
    }
    out.truncate(limit);
    out
}

/// `used` with `region` moved to the front, at most `limit` kept.
pub fn remember_region(used: &[String], region: &str, limit: usize) -> Vec<String> {
    let mut out = vec![region.to_owned()];
    out.extend(used.iter().filter(|r| r.as_str() != region).cloned());
    out.truncate(limit);
    out
}

/// The simulator's page tokens: deterministic for a list (its scope, e.g.
/// `us-texas-1/project-x9y8z7`), a page size and an offset, and checked
/// so a changed or foreign token is refused rather than misread.
pub mod page_token {
    use super::*;

    fn check(scope: &str, offset: usize, page_size: u32) -> String {
        let digest = Sha256::digest(format!("{scope}|{offset}|{page_size}").as_bytes());
        digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
    }

    pub fn encode(scope: &str, offset: usize, page_size: u32) -> String {
        base64url_encode(
            format!(
                "v1:{offset}:{page_size}:{}",
                check(scope, offset, page_size)
            )
            .as_bytes(),
        )
    }

    /// The offset a token stands for, in this scope at this page size.
    pub fn decode(token: &str, scope: &str, page_size: u32) -> Result<usize, String> {
        let bad = || {
            "Invalid page token: it does not belong to this list at this page size; start again \
             from the first page."
                .to_owned()
        };
        let raw = base64url_decode(token).ok_or_else(bad)?;
        let text = String::from_utf8(raw).map_err(|_| bad())?;
        let mut parts = text.split(':');
        let (Some("v1"), Some(offset), Some(size), Some(sum), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(bad());
        };
        let offset: usize = offset.parse().map_err(|_| bad())?;
        let size: u32 = size.parse().map_err(|_| bad())?;
        if size != page_size || sum != check(scope, offset, size) {
            return Err(bad());
        }
        Ok(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k0rdent::Lifecycle;

    fn texas() -> ProjectRef {
        ProjectRef::check("us-texas-1", "project-x9y8z7").unwrap()
    }

    #[test]
    fn calls_carry_page_size_and_token_encoded() {
        assert_eq!(
            projects_call(None, 50).path,
            "/v1/regions/global/projects?pageSize=50"
        );
        assert_eq!(
            instances_call(&texas(), Some("a+b/c="), 10).path,
            "/v1/regions/us-texas-1/projects/project-x9y8z7/compute/instances?pageSize=10&pageToken=a%2Bb%2Fc%3D"
        );
        assert_eq!(
            instances_call(&texas(), Some(""), 9999).path,
            "/v1/regions/us-texas-1/projects/project-x9y8z7/compute/instances?pageSize=500"
        );
        assert_eq!(
            texas().console_path(),
            "/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances"
        );
        assert!(ProjectRef::check("", "p").unwrap_err().region.is_some());
        assert!(ProjectRef::check("r", "a/b").unwrap_err().project.is_some());
    }

    #[test]
    fn the_position_survives_a_round_trip_through_the_url() {
        let first = Position::default();
        assert_eq!(first.page_number(), 1);
        assert!(!first.has_previous());
        assert_eq!(first.to_query_string(), "");
        let second = first.next("tok2");
        let third = second.next("tok 3");
        assert_eq!(third.page_number(), 3);
        let query = third.to_query_string();
        assert_eq!(query, "prev=&prev=tok2&pageToken=tok%203");
        assert_eq!(Position::from_query_string(&query), third);
        assert_eq!(third.previous(), second);
        assert_eq!(second.previous(), first);
        assert_eq!(first.previous(), first);
        let small = third.with_size(10);
        assert_eq!(small.page_token, None);
        assert_eq!(small.to_query_string(), "pageSize=10");
        assert_eq!(third.with_size(7).page_size, DEFAULT_PAGE_SIZE);
        // Odd links fall back to something that works.
        let odd = Position::from_query_string("prev=x&pageSize=abc");
        assert_eq!(odd, Position::default());
    }

    fn instance(id: &str, name: &str, status: &str, gpus: u32, created: &str) -> Instance {
        let mut instance: Instance = serde_json::from_value(serde_json::json!({
            "id": id,
            "displayName": name,
            "labels": {"team": "ml"},
            "gpus": [{"type": "nvidia-h100", "count": gpus}],
            "createdAt": created,
        }))
        .unwrap();
        instance.lifecycle = Some(Lifecycle {
            status: Some(status.to_owned()),
            ..Default::default()
        });
        instance
    }

    fn sample() -> Vec<Instance> {
        vec![
            instance("b", "Beta", "RUNNING", 8, "2026-01-02T00:00:00Z"),
            instance("a", "alpha", "PROVISIONING", 2, "2026-01-03T00:00:00Z"),
            instance("c", "Gamma box", "RUNNING", 4, "2026-01-01T00:00:00Z"),
            instance("d", "", "WEIRD", 1, "2026-01-04T00:00:00Z"),
        ]
    }

    #[test]
    fn filters_by_lifecycle_and_words() {
        let list = sample();
        let mut query = InstancesQuery::from_query_string("lifecycle=RUNNING");
        assert_eq!(query.select(&list), [0, 2]);
        query.text = "gamma".into();
        assert_eq!(query.select(&list), [2]);
        query.lifecycle = None;
        query.text = "team=ml BOX".into();
        assert_eq!(query.select(&list), [2]);
        query.text = "nothing-like-it".into();
        assert!(query.select(&list).is_empty());
        // An unknown lifecycle in a link means no lifecycle filter.
        assert_eq!(
            InstancesQuery::from_query_string("lifecycle=STOPPED").lifecycle,
            None
        );
    }

    #[test]
    fn sorts_by_each_column_both_ways() {
        let list = sample();
        let sorted = |sort: &str| InstancesQuery::from_query_string(sort).select(&list);
        assert_eq!(sorted(""), [0, 1, 2, 3], "the API's order");
        assert_eq!(sorted("sort=name"), [1, 0, 3, 2], "d has no name: its id");
        assert_eq!(sorted("sort=-gpus"), [0, 2, 1, 3]);
        assert_eq!(sorted("sort=created"), [2, 0, 1, 3]);
        assert_eq!(sorted("sort=lifecycle"), [1, 0, 2, 3], "unknown last");
        let query =
            InstancesQuery::from_query_string("pageSize=10&lifecycle=RUNNING&q=a%20b&sort=-name");
        assert_eq!(
            query.to_query_string(),
            "pageSize=10&lifecycle=RUNNING&q=a%20b&sort=-name"
        );
        let sort = InstanceSort::toggled(None, InstanceSortKey::Gpus);
        let sort = InstanceSort::toggled(sort, InstanceSortKey::Gpus);
        assert_eq!(sort.map(|s| s.descending), Some(true));
        assert_eq!(InstanceSort::toggled(sort, InstanceSortKey::Gpus), None);
    }

    #[test]
    fn regions_used_come_first_then_those_seen_in_links() {
        let used = vec!["eu-west-2".to_owned()];
        let links = [
            "/v1/regions/us-texas-1/projects/p/compute/instances/a",
            "/v1/regions/eu-west-2/projects/p/compute/instances/b",
            "not a link",
        ];
        assert_eq!(
            region_choices(&used, links, 10),
            ["eu-west-2", "us-texas-1"]
        );
        assert_eq!(
            region_choices(&[" bad region ".into()], [], 10),
            Vec::<String>::new()
        );
        let used = remember_region(&["a".into(), "b".into(), "c".into()], "c", 2);
        assert_eq!(used, ["c", "a"]);
    }

    #[test]
    fn page_tokens_are_deterministic_and_checked() {
        let scope = "us-texas-1/project-x9y8z7";
        let token = page_token::encode(scope, 20, 10);
        assert_eq!(token, page_token::encode(scope, 20, 10));
        assert!(token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(page_token::decode(&token, scope, 10), Ok(20));
        assert!(
            page_token::decode(&token, scope, 25).is_err(),
            "another size"
        );
        assert!(
            page_token::decode(&token, "eu/p", 10).is_err(),
            "another list"
        );
        for bad in [
            "",
            "garbage",
            "!!!",
            &base64url_encode(b"v1:20:10:00000000"),
        ] {
            let err = page_token::decode(bad, scope, 10).unwrap_err();
            assert!(err.contains("Invalid page token"), "{bad}");
        }
    }
}
