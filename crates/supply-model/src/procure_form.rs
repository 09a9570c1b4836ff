//! The procure form: what the person typed (kept on the device as a
//! draft), the checks run before anything is sent, the request built from
//! it, where the API's 422 messages belong, the cost estimate, and the
//! offers equivalent to one that expired.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::cloud_init::{check_cloud_init_with, CheckYaml};
use crate::offer_spec::OfferSpec;
use crate::ssh_key::parse_public_key;
use crate::{Offer, ProcureRequest, ValidationError};

/// What the person typed. Saved on every change and restored on reload,
/// so nothing is lost to an expired offer, a refused token or a crash.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcureDraft {
    pub ssh_public_key: String,
    pub cloud_init: String,
    pub resource_name: String,
    pub cluster_name: String,
    /// The cost estimate's duration in hours, as typed.
    pub hours: String,
}

impl ProcureDraft {
    pub fn from_json(raw: Option<&str>) -> Self {
        raw.and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The body for `POST /procure_offer`: trimmed, empty optional fields
    /// left out, and `cluster_name` only for cluster offers.
    pub fn to_request(&self, offer_id: &str, is_cluster: bool) -> ProcureRequest {
        let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        ProcureRequest {
            offer_id: offer_id.to_owned(),
            ssh_public_key: self.ssh_public_key.trim().to_owned(),
            cloud_init: Some(self.cloud_init.clone()).filter(|s| !s.trim().is_empty()),
            cluster_name: if is_cluster {
                optional(&self.cluster_name)
            } else {
                None
            },
            resource_name: optional(&self.resource_name),
        }
    }
}

/// A field of the form, as the API's `loc` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    SshPublicKey,
    CloudInit,
    ResourceName,
    ClusterName,
}

impl Field {
    pub fn from_body_field(name: &str) -> Option<Self> {
        Some(match name {
            "ssh_public_key" => Self::SshPublicKey,
            "cloud_init" => Self::CloudInit,
            "resource_name" => Self::ResourceName,
            "cluster_name" => Self::ClusterName,
            _ => return None,
        })
    }

    /// The id of the field's input on the page, for focus and links.
    pub fn input_id(self) -> &'static str {
        match self {
            Self::SshPublicKey => "ssh-public-key",
            Self::CloudInit => "cloud-init",
            Self::ResourceName => "resource-name",
            Self::ClusterName => "cluster-name",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SshPublicKey => "SSH public key",
            Self::CloudInit => "Cloud-init",
            Self::ResourceName => "Resource name",
            Self::ClusterName => "Cluster name",
        }
    }
}

/// Names accepted for resources and clusters: what vendors take as host
/// names, so the name survives every vendor unchanged.
pub const MAX_NAME_CHARS: usize = 63;

fn check_name(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Some(format!("At most {MAX_NAME_CHARS} characters."));
    }
    let valid = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    (!valid).then(|| "Use letters, digits, '-', '_' and '.' only.".to_owned())
}

/// The problems that stop the form from being sent, each on its field.
/// Warnings (an unknown cloud-init key) are not here: they do not block.
/// A `#cloud-config`'s YAML is checked with `check_yaml`
/// ([`crate::cloud_init::check_cloud_config`]; the console fetches the
/// parser on demand), and left unchecked without it.
pub fn blocking_problems(
    draft: &ProcureDraft,
    is_cluster: bool,
    check_yaml: Option<CheckYaml>,
) -> Vec<(Field, String)> {
    let mut problems = Vec::new();
    if let Err(err) = parse_public_key(&draft.ssh_public_key) {
        problems.push((Field::SshPublicKey, err.to_string()));
    }
    let report = check_cloud_init_with(&draft.cloud_init, check_yaml);
    if report.blocks_submit() {
        let count = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::cloud_init::Severity::Error)
            .count();
        let noun = if count == 1 { "error" } else { "errors" };
        problems.push((
            Field::CloudInit,
            format!("Fix the {count} cloud-init {noun} listed under the editor."),
        ));
    }
    if let Some(problem) = check_name(&draft.resource_name) {
        problems.push((Field::ResourceName, problem));
    }
    if is_cluster {
        if let Some(problem) = check_name(&draft.cluster_name) {
            problems.push((Field::ClusterName, problem));
        }
    }
    problems
}

/// A 422's messages, each on the field its `loc` names; the rest (the
/// offer id, the body as a whole) are general.
pub fn place_validation_errors(errors: &[ValidationError]) -> (Vec<(Field, String)>, Vec<String>) {
    let mut placed = Vec::new();
    let mut general = Vec::new();
    for error in errors {
        match error.body_field().and_then(Field::from_body_field) {
            Some(field) => placed.push((field, error.msg.clone())),
            None if error.loc.is_empty() => general.push(error.msg.clone()),
            None => general.push(format!("{}: {}", error.location(), error.msg)),
        }
    }
    (placed, general)
}

/// Durations offered with one click, in hours.
pub const PRESET_HOURS: [u32; 3] = [1, 8, 24];

/// The typed duration in hours: positive, at most a year.
pub fn parse_hours(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter a number of hours.".into());
    }
    match text.parse::<f64>() {
        Ok(hours) if hours.is_finite() && hours > 0.0 && hours <= 8_760.0 => Ok(hours),
        Ok(_) => Err("Enter between 0 and 8,760 hours (a year).".into()),
        Err(_) => Err("Enter a number of hours, e.g. 12 or 1.5.".into()),
    }
}

/// What running for `hours` costs at `hourly`.
pub fn total_cost(hourly: f64, hours: f64) -> f64 {
    hourly * hours
}

/// "$20.00 for 8 h", "$3.75 for 1.5 h": what an order costs over the hours
/// typed. The hours are written by `decimal::shortest`, as typed, not by
/// core's float formatter, which would come into the page with them.
pub fn cost_for_hours(hourly: f64, hours: f64) -> String {
    format!(
        "{} for {} h",
        crate::pricing::format_usd(total_cost(hourly, hours)),
        crate::decimal::shortest(hours)
    )
}

/// How much dearer an equivalent offer may be than the one it replaces.
pub const EQUIVALENT_PRICE_SLACK: f64 = 0.25;

/// The spec for offers like `offer`: the same GPU family (or canonical
/// name when the family is unknown), count, region group and contract, at
/// most a quarter dearer per GPU-hour.
pub fn equivalent_spec(offer: &Offer) -> OfferSpec {
    let mut spec = OfferSpec {
        region: offer.region.clone(),
        ..Default::default()
    };
    let gpu = offer.gpu_family.clone().or_else(|| offer.gpu_type.clone());
    spec.compute.gpu_types = gpu.into_iter().collect();
    spec.compute.gpu_count = offer.gpu_count;
    spec.compute.contract_type = offer.contract_type.as_ref().map(|c| c.as_str().to_owned());
    spec.compute.max_price_per_gpu_hour = offer
        .price_per_gpu_hour()
        .map(|price| round_cents_up(price * (1.0 + EQUIVALENT_PRICE_SLACK)));
    spec
}

fn round_cents_up(amount: f64) -> f64 {
    (amount * 100.0).ceil() / 100.0
}

/// The offers to suggest instead of `original`: live, not the original,
/// cheapest first, at most `limit`.
pub fn pick_equivalents(
    candidates: &[Offer],
    original_id: &str,
    now: DateTime<Utc>,
    limit: usize,
) -> Vec<Offer> {
    let mut picked: Vec<Offer> = candidates
        .iter()
        .filter(|o| o.offer_id != original_id)
        .filter(|o| !o.is_expired(now))
        .cloned()
        .collect();
    crate::ordering::sort_by(&mut picked, |a, b| {
        let price = |o: &Offer| o.total_hourly().unwrap_or(f64::INFINITY);
        price(a).total_cmp(&price(b))
    });
    picked.truncate(limit);
    picked
}

/// The offers page filtered to `offer`'s equivalents, for a link when the
/// page cannot list them itself.
pub fn equivalents_link(offer: &Offer) -> String {
    let query = crate::offer_query::OfferQuery {
        spec: equivalent_spec(offer),
        ..Default::default()
    };
    crate::routes::Route::Offers.href_with_query(&query.to_query_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud_init::check_cloud_config;
    use crate::LocItem;

    const YAML: Option<CheckYaml> = Some(check_cloud_config);
    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICo9uBeqxh3DMFA1oUxUvi24cBWWg9iSh6/XXb+UPRNC user@host";

    fn offer(id: &str, price: f64) -> Offer {
        serde_json::from_value(serde_json::json!({
            "offer_id": id,
            "type": "vm",
            "gpu_type": "nvidia-h100-sxm5-80gb",
            "gpu_family": "H100",
            "gpu_count": 8,
            "region": "US",
            "vendor_region": "us-east-1",
            "contract_type": "ondemand",
            "gpu_price_per_hour": price / 8.0,
            "total_price_per_hour": price,
            "expires_at": "2026-11-23T12:30:00Z",
        }))
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn drafts_round_trip_and_tolerate_junk() {
        let draft = ProcureDraft {
            ssh_public_key: KEY.into(),
            cloud_init: "#cloud-config\npackages: [htop]\n".into(),
            resource_name: "trainer".into(),
            cluster_name: String::new(),
            hours: "8".into(),
        };
        assert_eq!(ProcureDraft::from_json(Some(&draft.to_json())), draft);
        assert_eq!(
            ProcureDraft::from_json(Some("{not json")),
            ProcureDraft::default()
        );
        assert_eq!(ProcureDraft::from_json(None), ProcureDraft::default());
        // An older draft without some fields still restores the rest.
        let partial = ProcureDraft::from_json(Some(r#"{"resource_name":"x"}"#));
        assert_eq!(partial.resource_name, "x");
    }

    #[test]
    fn requests_leave_out_what_is_empty_and_cluster_names_on_vms() {
        let draft = ProcureDraft {
            ssh_public_key: format!("  {KEY}\n"),
            cloud_init: "   \n".into(),
            resource_name: " trainer ".into(),
            cluster_name: "c1".into(),
            hours: String::new(),
        };
        let vm = draft.to_request("id-1", false);
        assert_eq!(vm.ssh_public_key, KEY);
        assert_eq!(vm.cloud_init, None);
        assert_eq!(vm.resource_name.as_deref(), Some("trainer"));
        assert_eq!(vm.cluster_name, None);
        let cluster = draft.to_request("id-1", true);
        assert_eq!(cluster.cluster_name.as_deref(), Some("c1"));
        let json = serde_json::to_value(&vm).unwrap();
        assert!(json.get("cloud_init").is_none() && json.get("cluster_name").is_none());
    }

    #[test]
    fn problems_land_on_their_fields() {
        let draft = ProcureDraft {
            ssh_public_key: "ssh-rsa AAAA".into(),
            cloud_init: "packages: [htop]".into(),
            resource_name: "has space".into(),
            cluster_name: "x".repeat(64),
            hours: String::new(),
        };
        let fields: Vec<Field> = blocking_problems(&draft, true, YAML)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                Field::SshPublicKey,
                Field::CloudInit,
                Field::ResourceName,
                Field::ClusterName
            ]
        );
        // Not a cluster: its name is not checked (nor sent).
        assert_eq!(blocking_problems(&draft, false, YAML).len(), 3);
        let good = ProcureDraft {
            ssh_public_key: KEY.into(),
            cloud_init: "#cloud-config\npackges: [htop]\n".into(),
            ..Default::default()
        };
        // An unknown key is a warning, not a blocker.
        assert!(blocking_problems(&good, false, YAML).is_empty());
        // Without the YAML checker, the YAML is not what blocks.
        let unclosed = ProcureDraft {
            cloud_init: "#cloud-config\nkey: [unclosed\n".into(),
            ..good
        };
        assert_eq!(blocking_problems(&unclosed, false, YAML).len(), 1);
        assert!(blocking_problems(&unclosed, false, None).is_empty());
    }

    #[test]
    fn cloud_init_problems_are_counted() {
        let draft = ProcureDraft {
            ssh_public_key: KEY.into(),
            cloud_init: "#cloud-config\nkey: [unclosed\n".into(),
            ..Default::default()
        };
        let problems = blocking_problems(&draft, false, YAML);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, Field::CloudInit);
        assert!(
            problems[0].1.contains("1 cloud-init error"),
            "{}",
            problems[0].1
        );
    }

    #[test]
    fn validation_errors_are_placed_by_loc() {
        let error = |loc: Vec<LocItem>, msg: &str| ValidationError {
            loc,
            msg: msg.into(),
            kind: "value_error".into(),
            extra: Default::default(),
        };
        let body = |field: &str| vec![LocItem::Field("body".into()), LocItem::Field(field.into())];
        let (placed, general) = place_validation_errors(&[
            error(body("ssh_public_key"), "too short"),
            error(body("cloud_init"), "bad header"),
            error(body("offer_id"), "not a uuid"),
            error(vec![], "whole body"),
        ]);
        assert_eq!(
            placed,
            [
                (Field::SshPublicKey, "too short".to_owned()),
                (Field::CloudInit, "bad header".to_owned())
            ]
        );
        assert_eq!(general, ["body → offer_id: not a uuid", "whole body"]);
    }

    #[test]
    fn hours_and_cost() {
        assert_eq!(parse_hours(" 8 "), Ok(8.0));
        assert_eq!(parse_hours("1.5"), Ok(1.5));
        assert!(parse_hours("").is_err());
        assert!(parse_hours("0").is_err());
        assert!(parse_hours("-2").is_err());
        assert!(parse_hours("9000").is_err());
        assert!(parse_hours("ten").is_err());
        assert!(parse_hours("NaN").is_err());
        assert!((total_cost(2.5, 8.0) - 20.0).abs() < 1e-9);
        assert_eq!(cost_for_hours(2.5, 8.0), "$20.00 for 8 h");
        assert_eq!(cost_for_hours(2.5, 1.5), "$3.75 for 1.5 h");
        assert_eq!(cost_for_hours(0.4, 0.25), "$0.100 for 0.25 h");
        // The hours read as the standard formatter would write them.
        for typed in ["1", "12", "0.1", "1.5", "8760", "2.333"] {
            let hours = parse_hours(typed).unwrap();
            assert!(cost_for_hours(1.0, hours).ends_with(&format!(" for {hours} h")));
        }
    }

    #[test]
    fn equivalents_share_gpu_region_and_a_price_cap() {
        let original = offer("a", 10.0);
        let spec = equivalent_spec(&original);
        assert_eq!(spec.compute.gpu_types, ["H100"]);
        assert_eq!(spec.compute.gpu_count, Some(8));
        assert_eq!(spec.region.as_deref(), Some("US"));
        assert_eq!(spec.compute.contract_type.as_deref(), Some("ondemand"));
        assert_eq!(spec.compute.max_price_per_gpu_hour, Some(1.57));

        let mut expired = offer("e", 9.0);
        expired.expires_at = Some(crate::ApiTime("2026-11-23T11:59:00Z".into()));
        let mut taken = offer("t", 9.5);
        taken.status = Some(crate::OfferState::Expired);
        let candidates = [
            offer("a", 10.0),
            offer("c", 12.0),
            offer("b", 11.0),
            expired,
            taken,
        ];
        let ids: Vec<String> = pick_equivalents(&candidates, "a", now(), 5)
            .into_iter()
            .map(|o| o.offer_id)
            .collect();
        assert_eq!(ids, ["b", "c"]);
        assert_eq!(pick_equivalents(&candidates, "a", now(), 1).len(), 1);
    }

    #[test]
    fn the_equivalents_link_filters_the_offers_page() {
        let link = equivalents_link(&offer("a", 16.0));
        assert!(link.starts_with("/offers?"), "{link}");
        let query =
            crate::offer_query::OfferQuery::from_query_string(link.trim_start_matches("/offers"));
        assert_eq!(query.spec, equivalent_spec(&offer("a", 16.0)));
        assert_eq!(query.spec.compute.max_price_per_gpu_hour, Some(2.5));
    }
}
