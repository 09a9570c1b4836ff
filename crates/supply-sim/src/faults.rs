//! Fault injection rules, set by CLI flags at start or by the admin API.
//! Every rule whose path prefix matches a request applies: the longest
//! latency is waited, and the first rule with a `kind` decides the answer.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer this status with a plausible body.
    Status,
    /// 200 with truncated JSON.
    MalformedJson,
    /// Close the connection without a valid HTTP response.
    Drop,
    /// Serve the request, then close the connection before the answer: the
    /// call took effect and the client never hears so.
    DropAfter,
    /// 200 with JSON of the right outline but wrong types.
    WrongTypes,
    /// 200 with the real answer, its free-text fields replaced by markup,
    /// script tags, a 10,000-character word, right-to-left text and emoji.
    HostileStrings,
    /// 200 with the real answer grown past 1 MB: list fields repeated.
    Huge,
}

impl FaultKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "status" => Some(Self::Status),
            "malformed_json" | "malformed" => Some(Self::MalformedJson),
            "drop" => Some(Self::Drop),
            "drop_after" => Some(Self::DropAfter),
            "wrong_types" => Some(Self::WrongTypes),
            "hostile_strings" | "hostile" => Some(Self::HostileStrings),
            "huge" => Some(Self::Huge),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::MalformedJson => "malformed_json",
            Self::Drop => "drop",
            Self::DropAfter => "drop_after",
            Self::WrongTypes => "wrong_types",
            Self::HostileStrings => "hostile_strings",
            Self::Huge => "huge",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaultRule {
    pub latency_ms: u64,
    pub kind: Option<FaultKind>,
    pub status: Option<u16>,
    pub path_prefix: Option<String>,
    /// Only requests of this method (upper case), when set.
    pub method: Option<String>,
    /// Requests left to affect; `None` until cleared.
    pub times: Option<u32>,
    pub retry_after: Option<u64>,
}

/// The admin API's body for one rule.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub path_prefix: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub times: Option<u32>,
    #[serde(default)]
    pub retry_after: Option<u64>,
}

impl FaultRule {
    pub fn from_request(request: FaultRequest) -> Result<Self, String> {
        let kind = match request.kind.as_deref() {
            Some(raw) => Some(FaultKind::parse(raw).ok_or_else(|| {
                format!(
                    "unknown fault kind {raw:?}; use status, malformed_json, drop, drop_after, \
                     wrong_types, hostile_strings or huge"
                )
            })?),
            None if request.status.is_some() => Some(FaultKind::Status),
            None => None,
        };
        if let Some(status) = request.status {
            if !(400..=599).contains(&status) {
                return Err(format!("status {status} is not an error status (400-599)"));
            }
        }
        if kind == Some(FaultKind::Status) && request.status.is_none() {
            return Err("a status fault needs a status, e.g. 503".to_owned());
        }
        if request.times == Some(0) {
            return Err("times must be at least 1; omit it to affect every request".to_owned());
        }
        Ok(Self {
            latency_ms: request.latency_ms.unwrap_or(0),
            kind,
            status: if kind == Some(FaultKind::Status) {
                request.status
            } else {
                None
            },
            path_prefix: request.path_prefix.filter(|p| !p.is_empty()),
            method: request
                .method
                .map(|m| m.trim().to_ascii_uppercase())
                .filter(|m| !m.is_empty()),
            times: request.times,
            retry_after: request.retry_after,
        })
    }

    /// A `--fault` flag: comma-separated items such as `status=503`,
    /// `malformed-json`, `drop`, `drop-after`, `wrong-types`, `path=/get_offers`, `method=DELETE`,
    /// `times=3`, `retry-after=5`, `latency=200`.
    pub fn parse_cli(spec: &str) -> Result<Self, String> {
        let mut request = FaultRequest::default();
        for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, value) = match item.split_once('=') {
                Some((key, value)) => (key.trim(), Some(value.trim())),
                None => (item, None),
            };
            let number = |what: &str| -> Result<u64, String> {
                value
                    .and_then(|v| v.parse::<u64>().ok())
                    .ok_or_else(|| format!("{what} needs a number, e.g. {what}=3"))
            };
            match key.to_ascii_lowercase().replace('_', "-").as_str() {
                "status" => request.status = Some(number("status")? as u16),
                "path" | "path-prefix" => request.path_prefix = value.map(str::to_owned),
                "method" => request.method = value.map(str::to_owned),
                "times" => request.times = Some(number("times")? as u32),
                "retry-after" => request.retry_after = Some(number("retry-after")?),
                "latency" | "latency-ms" => request.latency_ms = Some(number("latency")?),
                "kind" => request.kind = value.map(str::to_owned),
                other if FaultKind::parse(other).is_some() && value.is_none() => {
                    request.kind = Some(other.to_owned());
                }
                _ => return Err(format!("unknown fault item {item:?}")),
            }
        }
        Self::from_request(request)
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.path_prefix
            .as_deref()
            .is_none_or(|prefix| path.starts_with(prefix))
            && self
                .method
                .as_deref()
                .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method))
    }
}

/// What the rules say about one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    pub latency_ms: u64,
    pub action: Option<FaultRule>,
}

#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    pub fn set(&mut self, rules: Vec<FaultRule>) {
        self.rules = rules;
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Applies the rules to one request, counting down `times`.
    pub fn take(&mut self, method: &str, path: &str) -> Applied {
        let mut applied = Applied::default();
        for rule in self
            .rules
            .iter_mut()
            .filter(|rule| rule.matches(method, path))
        {
            applied.latency_ms = applied.latency_ms.max(rule.latency_ms);
            if applied.action.is_none() && rule.kind.is_some() {
                applied.action = Some(rule.clone());
            }
            if let Some(times) = &mut rule.times {
                *times = times.saturating_sub(1);
            }
        }
        self.rules.retain(|rule| rule.times != Some(0));
        applied
    }
}

/// A plausible error body for an injected status. 422 names a field the
/// route has; 429 and 503 carry `Retry-After`.
pub fn status_answer(
    status: u16,
    method: &str,
    path: &str,
    retry_after: Option<u64>,
) -> (Value, Option<u64>) {
    let detail = match status {
        401 => json!("Invalid or expired token"),
        403 => json!("This token is not allowed to use this resource"),
        404 => json!("Not Found"),
        409 => json!("Conflict: the resource changed; reload and try again"),
        410 => json!("Offer expired; request new offers"),
        422 => {
            let loc = match (method, path) {
                ("POST", p) if p.starts_with("/procure_offer") => json!(["body", "ssh_public_key"]),
                ("POST", _) => json!(["body", "compute", "gpu_count"]),
                (_, p) if p.starts_with("/offers/") => json!(["path", "offer_id"]),
                (_, p) if p.starts_with("/resources/") => json!(["path", "resource_id"]),
                (_, p) if p.starts_with("/v1/") => json!(["path", "id"]),
                (_, p) if p.starts_with("/available_") => json!(["query"]),
                _ => json!(["query", "force_refresh"]),
            };
            json!([{"loc": loc, "msg": "Injected validation error", "type": "value_error"}])
        }
        429 => json!(format!(
            "Rate limit exceeded; retry after {} seconds",
            retry_after.unwrap_or(5)
        )),
        500 => json!("Internal Server Error"),
        502 => json!("Bad Gateway: the vendor API did not answer"),
        503 => json!("Service temporarily unavailable; try again shortly"),
        504 => json!("Gateway Timeout: the vendor API took too long"),
        other => json!(format!("Injected error {other}")),
    };
    let retry = match status {
        429 => Some(retry_after.unwrap_or(5)),
        503 => retry_after,
        _ => None,
    };
    (json!({ "detail": detail }), retry)
}

/// A proper prefix of a JSON object or array never parses.
pub fn truncate(body: &[u8]) -> Vec<u8> {
    let cut = (body.len() / 2).max(1).min(body.len().saturating_sub(1));
    if cut == 0 {
        return b"{\"detail\": ".to_vec();
    }
    body[..cut].to_vec()
}

/// The same outline with wrong types: numbers and booleans become strings,
/// and ids become numbers.
pub fn wrong_types(value: Value) -> Value {
    fn walk(key: Option<&str>, value: Value) -> Value {
        match value {
            Value::Number(n) => Value::String(n.to_string()),
            Value::Bool(b) => Value::String(if b { "yes" } else { "no" }.to_owned()),
            Value::String(s) if key.is_some_and(|k| k == "id" || k.ends_with("_id")) => {
                json!(s.len())
            }
            Value::Array(items) => Value::Array(items.into_iter().map(|v| walk(None, v)).collect()),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let v = walk(Some(&k), v);
                        (k, v)
                    })
                    .collect(),
            ),
            other => other,
        }
    }
    walk(None, value)
}

/// Text a console must show as text, and survive: markup, script, a word
/// too long for any column, right-to-left overrides and emoji.
pub fn hostile_texts() -> [String; 5] {
    [
        "<img src=x onerror=\"document.title='pwned'\"><b>bold</b>".to_owned(),
        "<script>document.title='pwned'</script>".to_owned(),
        "W".repeat(10_000),
        "\u{202E}gnp.exe \u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{0645}\u{0631}\u{062D}\u{0628}\u{0627}"
            .to_owned(),
        "🚀🔥💥 GPU 👩‍💻🏳️‍🌈".to_owned(),
    ]
}

/// Fields people read, as opposed to ids, times and states the console
/// acts on: these get the hostile texts.
const FREE_TEXT_KEYS: &[&str] = &[
    "vendor",
    "vendor_region",
    "gpu_type",
    "gpu_family",
    "vendor_class",
    "deployment_type",
    "name",
    "instance_name",
    "zone",
    "status_message",
    "failure_reason",
    "progress",
    "description",
    "displayName",
    "hostname",
    "error",
    "detail",
    "role",
];

/// The same answer with every free-text field replaced, in turn, by one
/// of [`hostile_texts`].
pub fn hostile_strings(value: Value) -> Value {
    fn walk(key: Option<&str>, value: Value, texts: &[String], next: &mut usize) -> Value {
        match value {
            Value::String(_) if key.is_some_and(|k| FREE_TEXT_KEYS.contains(&k)) => {
                let text = texts[*next % texts.len()].clone();
                *next += 1;
                Value::String(text)
            }
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(|v| walk(None, v, texts, next))
                    .collect(),
            ),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let v = walk(Some(&k), v, texts, next);
                        (k, v)
                    })
                    .collect(),
            ),
            other => other,
        }
    }
    let texts = hostile_texts();
    walk(None, value, &texts, &mut 0)
}

/// Answers must reach this size under the `huge` fault.
pub const HUGE_BYTES: usize = 1_048_576;

/// The same answer past [`HUGE_BYTES`]: the top-level list, or else every
/// list inside the top-level object, repeated; with no list, a padding
/// field is added. Ids are left as they are, so lists hold repeats.
pub fn huge(value: Value) -> Value {
    fn grow(items: Vec<Value>, size: usize) -> Vec<Value> {
        if items.is_empty() || size == 0 {
            return items;
        }
        // Each copy adds the list's bytes less its brackets, plus a comma.
        let copies = HUGE_BYTES / size.saturating_sub(1).max(1) + 1;
        let mut out = Vec::with_capacity(items.len() * copies);
        for _ in 0..copies {
            out.extend(items.iter().cloned());
        }
        out
    }
    let size = |v: &Value| serde_json::to_vec(v).map_or(1, |b| b.len().max(1));
    match value {
        Value::Array(items) => {
            let n = size(&Value::Array(items.clone()));
            Value::Array(grow(items, n))
        }
        Value::Object(mut map) => {
            let lists: Vec<String> = map
                .iter()
                .filter(|(_, v)| v.as_array().is_some_and(|a| !a.is_empty()))
                .map(|(k, _)| k.clone())
                .collect();
            if lists.is_empty() {
                map.insert("padding".into(), Value::String("x".repeat(HUGE_BYTES)));
            }
            for key in lists {
                if let Some(Value::Array(items)) = map.remove(&key) {
                    let n = size(&Value::Array(items.clone()));
                    map.insert(key, Value::Array(grow(items, n)));
                }
            }
            Value::Object(map)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_specs_parse() {
        let rule =
            FaultRule::parse_cli("status=429,retry-after=7,path=/get_offers,times=2").unwrap();
        assert_eq!(rule.kind, Some(FaultKind::Status));
        assert_eq!(rule.status, Some(429));
        assert_eq!(rule.retry_after, Some(7));
        assert_eq!(rule.path_prefix.as_deref(), Some("/get_offers"));
        assert_eq!(rule.times, Some(2));
        assert_eq!(
            FaultRule::parse_cli("malformed-json").unwrap().kind,
            Some(FaultKind::MalformedJson)
        );
        assert_eq!(
            FaultRule::parse_cli("drop").unwrap().kind,
            Some(FaultKind::Drop)
        );
        assert_eq!(
            FaultRule::parse_cli("wrong_types").unwrap().kind,
            Some(FaultKind::WrongTypes)
        );
        assert!(FaultRule::parse_cli("status=200").is_err());
        assert!(FaultRule::parse_cli("status").is_err());
        assert!(FaultRule::parse_cli("explode").is_err());
        assert!(FaultRule::parse_cli("times=0,drop").is_err());
    }

    #[test]
    fn rules_count_down_and_match_prefixes() {
        let mut faults = Faults::default();
        faults.set(vec![
            FaultRule::parse_cli("status=503,path=/get_offers,times=2").unwrap(),
            FaultRule::parse_cli("latency=40").unwrap(),
        ]);
        let other = faults.take("GET", "/resources");
        assert_eq!(other.latency_ms, 40);
        assert_eq!(other.action, None);
        for _ in 0..2 {
            let hit = faults.take("POST", "/get_offers");
            assert_eq!(hit.action.unwrap().status, Some(503));
        }
        assert_eq!(faults.take("POST", "/get_offers").action, None);
        assert_eq!(faults.rules().len(), 1);
    }

    #[test]
    fn a_rule_can_name_its_method() {
        let mut faults = Faults::default();
        faults.set(vec![FaultRule::parse_cli(
            "drop-after,method=delete,path=/resources/,times=1",
        )
        .unwrap()]);
        assert_eq!(faults.take("GET", "/resources/r1").action, None);
        let hit = faults.take("DELETE", "/resources/r1").action.unwrap();
        assert_eq!(hit.kind, Some(FaultKind::DropAfter));
        assert_eq!(hit.method.as_deref(), Some("DELETE"));
        assert!(faults.rules().is_empty());
    }

    #[test]
    fn answers_look_like_the_service() {
        let (body, retry) = status_answer(429, "POST", "/get_offers", None);
        assert_eq!(retry, Some(5));
        assert!(body["detail"].as_str().unwrap().contains("retry after 5"));
        let (body, _) = status_answer(422, "POST", "/procure_offer", None);
        assert_eq!(body["detail"][0]["loc"], json!(["body", "ssh_public_key"]));
        let (body, retry) = status_answer(503, "GET", "/resources", None);
        assert!(body["detail"].is_string());
        assert_eq!(retry, None);
    }

    #[test]
    fn truncated_json_never_parses() {
        for body in [&b"[]"[..], b"{}", br#"[{"a":1}]"#, br#"{"offer_id":"x"}"#] {
            let cut = truncate(body);
            assert!(serde_json::from_slice::<Value>(&cut).is_err(), "{cut:?}");
        }
    }

    #[test]
    fn hostile_strings_replace_free_text_only() {
        let answer = json!({"offers": [{"offer_id": "a", "vendor": "nebius",
            "vendor_region": "eu-north1", "gpu_type": "nvidia-h100-sxm5-80gb",
            "gpu_family": "H100", "region": "EU", "contract_type": "spot",
            "expires_at": "2026-01-01T00:00:00Z", "total_price_per_hour": 2.0}],
            "total_count": 1});
        let out = hostile_strings(answer);
        let offer = &out["offers"][0];
        assert_eq!(offer["offer_id"], "a");
        assert_eq!(offer["expires_at"], "2026-01-01T00:00:00Z");
        assert_eq!(offer["region"], "EU");
        assert_eq!(offer["contract_type"], "spot");
        let texts = hostile_texts();
        for key in ["vendor", "vendor_region", "gpu_type", "gpu_family"] {
            let text = offer[key].as_str().unwrap();
            assert!(texts.iter().any(|t| t == text), "{key}: {text}");
        }
    }

    #[test]
    fn huge_answers_pass_a_megabyte() {
        let offers = huge(json!({"offers": [{"offer_id": "a"}], "total_count": 1}));
        assert!(serde_json::to_vec(&offers).unwrap().len() > HUGE_BYTES);
        assert!(offers["offers"].as_array().unwrap().len() > 1000);
        assert_eq!(offers["total_count"], 1);
        let list = huge(json!([{"offer_id": "a"}, {"offer_id": "b"}]));
        assert!(serde_json::to_vec(&list).unwrap().len() > HUGE_BYTES);
        let object = huge(json!({"offer_id": "a", "instances": [{"instance_id": "i"}]}));
        assert!(serde_json::to_vec(&object).unwrap().len() > HUGE_BYTES);
        assert_eq!(object["offer_id"], "a");
        let plain = huge(json!({"id": "x"}));
        assert!(serde_json::to_vec(&plain).unwrap().len() > HUGE_BYTES);
    }

    #[test]
    fn wrong_types_break_decoding() {
        let answer = json!({"offers": [{"offer_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            "gpu_count": 8, "gpu_price_per_hour": 2.5,
            "storage_details": [{"name": "data", "persistent": true}]}],
            "total_count": 1, "filters_applied": {}});
        let broken = wrong_types(answer);
        let offer = &broken["offers"][0];
        assert_eq!(offer["gpu_count"], json!("8"));
        assert_eq!(offer["gpu_price_per_hour"], json!("2.5"));
        assert_eq!(offer["storage_details"][0]["persistent"], json!("yes"));
        assert!(offer["offer_id"].is_number());
        assert_eq!(broken["total_count"], json!("1"));
        assert!(supply_model::decode_offers_answer(&broken.to_string()).is_err());
    }
}
