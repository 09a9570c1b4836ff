//! Contract test: the simulator against the project's OpenAPI document of
//! the published Supply Service (`tests/contract/supply-openapi.yaml`).
//!
//! The simulator runs in-process on loopback port 0. Every Supply endpoint
//! is driven, to success and to error answers (401, 404, 409, 410, 422),
//! and every answer body is validated against the response schema of its
//! path, method and status (JSON Schema 2020-12, formats checked, `$ref`s
//! resolved into the document's `components/schemas`, nothing fetched).
//! The request bodies the test sends are validated too (the get_offers
//! YAML parsed first), and the bodies it sends on purpose to be refused are
//! checked to be refused by the document as well. Failures are collected and
//! reported together, one line each: method, path, status and the schema
//! errors.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use jsonschema::Validator;
use serde_json::{json, Map, Value};
use supply_sim::http::{self, Options, Running};
use supply_sim::SimConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yaml_rust2::{Yaml, YamlLoader};

const TOKEN: &str = "demo-token";
const CONTRACT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/contract/supply-openapi.yaml"
);
const YAML: &str = "application/yaml";
const JSON: &str = "application/json";
/// Ids no simulated world has.
const UNKNOWN_ID: &str = "00000000-0000-4000-8000-00000000c0de";
/// Seeded procurements (crates/supply-sim/README.md).
const SEEDED_OFFERS: [&str; 4] = [
    "7d3f1a52-0c4e-4b8a-9f61-2e5d8c7b9a01",
    "8e402b63-1d5f-4c9b-8a72-3f6e9d8cab12",
    "9f513c74-2e60-4dac-9b83-407fae9dbc23",
    "a0624d85-3f71-4ebd-8c94-5180bfaecd34",
];
const SEEDED_RESOURCE: &str = "0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01";
const SSH_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIContractTestKey contract@test";

// ---- YAML -----------------------------------------------------------------

/// One YAML document as JSON. Keys that are not strings become their text.
fn yaml_to_json(yaml: &Yaml) -> Result<Value, String> {
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => json!(i),
        Yaml::Real(text) => {
            let number: f64 = text
                .parse()
                .map_err(|_| format!("not a finite number: {text}"))?;
            serde_json::Number::from_f64(number)
                .map(Value::Number)
                .ok_or_else(|| format!("not a finite number: {text}"))?
        }
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(items) => {
            Value::Array(items.iter().map(yaml_to_json).collect::<Result<_, _>>()?)
        }
        Yaml::Hash(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let key = match key {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    Yaml::Null => "null".to_owned(),
                    other => return Err(format!("a key that is not a scalar: {other:?}")),
                };
                out.insert(key, yaml_to_json(value)?);
            }
            Value::Object(out)
        }
        Yaml::Alias(_) | Yaml::BadValue => return Err("an unresolved alias".to_owned()),
    })
}

fn parse_yaml(text: &str) -> Result<Value, String> {
    let docs = YamlLoader::load_from_str(text).map_err(|err| err.to_string())?;
    match docs.as_slice() {
        [] => Ok(Value::Null),
        [one] => yaml_to_json(one),
        _ => Err("more than one YAML document".to_owned()),
    }
}

// ---- the contract ---------------------------------------------------------

/// `#/components/schemas/X` becomes `#/$defs/X`: each validator's root
/// carries the document's schemas as `$defs`.
fn rewrite_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(target) = inner {
                        if let Some(name) = target.strip_prefix("#/components/schemas/") {
                            *target = format!("#/$defs/{name}");
                        }
                    }
                } else {
                    rewrite_refs(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

struct Contract {
    doc: Value,
    defs: Value,
    validators: HashMap<String, Validator>,
}

impl Contract {
    fn load() -> Self {
        let text =
            std::fs::read_to_string(CONTRACT).unwrap_or_else(|err| panic!("{CONTRACT}: {err}"));
        let doc = parse_yaml(&text).unwrap_or_else(|err| panic!("{CONTRACT}: {err}"));
        let mut defs = doc["components"]["schemas"].clone();
        assert!(defs.is_object(), "the contract has no components/schemas");
        rewrite_refs(&mut defs);
        Self {
            doc,
            defs,
            validators: HashMap::new(),
        }
    }

    /// The path template and operation that `method path` (query
    /// stripped) is, e.g. `/offers/{offer_id}/status`.
    fn operation(&self, method: &str, path: &str) -> Option<(String, Value)> {
        let path = path.split('?').next().unwrap_or(path);
        let parts: Vec<&str> = path.split('/').collect();
        let paths = self.doc["paths"].as_object()?;
        paths.iter().find_map(|(template, item)| {
            let pattern: Vec<&str> = template.split('/').collect();
            let fits = pattern.len() == parts.len()
                && pattern.iter().zip(&parts).all(|(want, got)| {
                    (want.starts_with('{') && want.ends_with('}') && !got.is_empty()) || want == got
                });
            let op = item.get(method.to_ascii_lowercase())?;
            fits.then(|| (template.clone(), op.clone()))
        })
    }

    /// `#/components/responses/X` and friends, followed.
    fn follow(&self, value: &Value) -> Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => {
                let pointer = target.trim_start_matches('#');
                self.doc.pointer(pointer).cloned().unwrap_or(Value::Null)
            }
            None => value.clone(),
        }
    }

    /// The schema of an answer: the status's own entry, else `4XX`/`5XX`,
    /// else `default`.
    fn response_schema(&self, op: &Value, status: u16) -> Option<(String, Value)> {
        let responses = op.get("responses")?;
        let range = format!("{}XX", status / 100);
        let (key, response) = [status.to_string(), range, "default".to_owned()]
            .into_iter()
            .find_map(|key| responses.get(&key).map(|r| (key, self.follow(r))))?;
        let schema = response
            .pointer("/content/application~1json/schema")?
            .clone();
        Some((key, schema))
    }

    fn request_schema(&self, op: &Value, content_type: &str) -> Option<Value> {
        let content = op.pointer("/requestBody/content")?;
        content.get(content_type)?.get("schema").cloned()
    }

    /// Every schema error of `instance`, empty when it conforms.
    fn check(&mut self, key: &str, schema: &Value, instance: &Value) -> Vec<String> {
        if !self.validators.contains_key(key) {
            let mut root = schema.clone();
            rewrite_refs(&mut root);
            match &mut root {
                Value::Object(map) => {
                    map.insert("$defs".to_owned(), self.defs.clone());
                }
                Value::Bool(_) => {}
                other => panic!("{key}: a schema that is not an object: {other}"),
            }
            let validator = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&root)
                .unwrap_or_else(|err| {
                    panic!("{key}: the contract's schema does not compile: {err}")
                });
            self.validators.insert(key.to_owned(), validator);
        }
        let validator = &self.validators[key];
        validator
            .iter_errors(instance)
            .map(|err| {
                let at = err.instance_path().to_string();
                let at = if at.is_empty() { "/".to_owned() } else { at };
                format!("at {at}: {err}")
            })
            .take(8)
            .collect()
    }

    /// A named schema of components/schemas, for the self-checks.
    fn check_named(&mut self, name: &str, instance: &Value) -> Vec<String> {
        let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        self.check(&format!("schema {name}"), &schema, instance)
    }
}

// ---- a minimal HTTP/1.1 client ------------------------------------------

struct Reply {
    status: u16,
    body: String,
}

/// One request on a fresh connection; `None` when the server closed it
/// without a complete response.
async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &str,
) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .ok()?;
    if read.is_err() && raw.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let body = if let Some(length) = find("content-length") {
        let length: usize = length.parse().ok()?;
        rest.get(..length)?.to_owned()
    } else if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        let mut out = String::new();
        let mut rest = rest;
        loop {
            let (size, after) = rest.split_once("\r\n")?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            if size == 0 {
                break;
            }
            out.push_str(after.get(..size)?);
            rest = after.get(size + 2..)?;
        }
        out
    } else {
        rest.to_owned()
    };
    Some(Reply { status, body })
}

// ---- the run --------------------------------------------------------------

/// How a call's request body is to be judged.
#[derive(Clone, Copy, PartialEq)]
enum Sent {
    /// Must conform to the request schema.
    Valid,
    /// Sent on purpose to be refused: the contract must refuse it too.
    Invalid,
}

struct Run {
    sim: Running,
    contract: Contract,
    answers: usize,
    requests: usize,
    failures: Vec<String>,
    /// Answers validated per `METHOD template status`.
    seen: BTreeMap<String, usize>,
}

struct Call<'a> {
    method: &'a str,
    path: &'a str,
    body: Option<(&'a str, &'a str)>,
    sent: Sent,
    token: Option<&'a str>,
    expect: &'a [u16],
}

impl<'a> Call<'a> {
    fn get(path: &'a str, expect: &'a [u16]) -> Self {
        Self {
            method: "GET",
            path,
            body: None,
            sent: Sent::Valid,
            token: Some(TOKEN),
            expect,
        }
    }

    fn delete(path: &'a str, expect: &'a [u16]) -> Self {
        Self {
            method: "DELETE",
            ..Self::get(path, expect)
        }
    }

    fn post(path: &'a str, content_type: &'a str, body: &'a str, expect: &'a [u16]) -> Self {
        Self {
            method: "POST",
            body: Some((content_type, body)),
            ..Self::get(path, expect)
        }
    }

    fn invalid(self) -> Self {
        Self {
            sent: Sent::Invalid,
            ..self
        }
    }

    fn token(self, token: Option<&'a str>) -> Self {
        Self { token, ..self }
    }
}

impl Run {
    async fn start() -> Self {
        let sim = http::start(Options {
            port: 0,
            k0rdent_port: 0,
            sim: SimConfig {
                seed: 42,
                offers: 80,
            },
            quiet: true,
            ..Options::default()
        })
        .await
        .expect("the simulator's listeners bind");
        Self {
            sim,
            contract: Contract::load(),
            answers: 0,
            requests: 0,
            failures: Vec::new(),
            seen: BTreeMap::new(),
        }
    }

    fn fail(&mut self, what: String) {
        eprintln!("contract: FAIL {what}");
        self.failures.push(what);
    }

    /// The request body, judged against the request schema.
    fn check_request(&mut self, call: &Call<'_>) {
        let Some((content_type, body)) = call.body else {
            return;
        };
        let what = format!("request {} {}", call.method, call.path);
        let Some((template, op)) = self.contract.operation(call.method, call.path) else {
            return;
        };
        let Some(schema) = self.contract.request_schema(&op, content_type) else {
            if call.sent == Sent::Valid {
                self.fail(format!("{what}: the contract takes no {content_type} body"));
            }
            return;
        };
        let parsed = if content_type == YAML {
            parse_yaml(body)
        } else {
            serde_json::from_str(body).map_err(|err| err.to_string())
        };
        let errors = match parsed {
            Ok(value) => {
                let key = format!("request {} {template} {content_type}", call.method);
                self.contract.check(&key, &schema, &value)
            }
            Err(err) => vec![format!("the body does not parse: {err}")],
        };
        match call.sent {
            Sent::Valid if !errors.is_empty() => self.fail(format!(
                "{what}: the test's own body breaks the contract: {}",
                errors.join("; ")
            )),
            Sent::Invalid if errors.is_empty() => self.fail(format!(
                "{what}: the contract lets through a body the service refuses: {body}"
            )),
            _ => self.requests += 1,
        }
    }

    /// Sends the call, checks its status is one of those expected and its
    /// body conforms to the contract; the body, when it is JSON.
    async fn call(&mut self, call: Call<'_>) -> Option<Value> {
        self.check_request(&call);
        let mut headers = Vec::new();
        if let Some(token) = call.token {
            headers.push(("Authorization", format!("Bearer {token}")));
        }
        if let Some((content_type, _)) = call.body {
            headers.push(("Content-Type", content_type.to_owned()));
        }
        let body = call.body.map_or("", |(_, body)| body);
        let label = format!("{} {}", call.method, call.path);
        let Some(reply) = send(self.sim.supply, call.method, call.path, &headers, body).await
        else {
            self.fail(format!("{label}: no complete response"));
            return None;
        };
        let status = reply.status;
        let (value, problems) = self.judge(&call, status, &reply.body);
        if !problems.is_empty() {
            let mut line = format!("{label} -> {status}: {}", problems.join("; "));
            if !call.expect.contains(&status) {
                line.push_str(&format!(" [body: {}]", clip(&reply.body)));
            }
            self.fail(line);
        }
        value
    }

    /// The answer's body, when it is JSON, and everything wrong with it.
    fn judge(&mut self, call: &Call<'_>, status: u16, body: &str) -> (Option<Value>, Vec<String>) {
        let mut problems = Vec::new();
        if !call.expect.contains(&status) {
            problems.push(format!("expected status {:?}", call.expect));
        }
        let Some((template, op)) = self.contract.operation(call.method, call.path) else {
            problems.push("no such operation in the contract".to_owned());
            return (None, problems);
        };
        let Some((key, schema)) = self.contract.response_schema(&op, status) else {
            problems.push(format!(
                "{template} has no JSON answer for {status} in the contract"
            ));
            return (None, problems);
        };
        let value: Value = match serde_json::from_str(body) {
            Ok(value) => value,
            Err(err) => {
                problems.push(format!("the answer is not JSON ({err})"));
                return (None, problems);
            }
        };
        let errors = self.contract.check(
            &format!("answer {} {template} {key}", call.method),
            &schema,
            &value,
        );
        self.answers += 1;
        *self
            .seen
            .entry(format!("{} {template} {status}", call.method))
            .or_default() += 1;
        if !errors.is_empty() {
            problems.push(format!("schema {template} {key}: {}", errors.join("; ")));
        }
        (Some(value), problems)
    }

    async fn admin(&mut self, method: &str, path: &str, body: &str) {
        let headers = [("Content-Type", JSON.to_owned())];
        match send(self.sim.supply, method, path, &headers, body).await {
            Some(reply) if (200..300).contains(&reply.status) => {}
            Some(reply) => self.fail(format!(
                "admin {method} {path}: {} {}",
                reply.status,
                clip(&reply.body)
            )),
            None => self.fail(format!("admin {method} {path}: no response")),
        }
    }

    async fn advance(&mut self, secs: u64) {
        self.admin(
            "POST",
            "/__admin/clock",
            &json!({ "advance_secs": secs }).to_string(),
        )
        .await;
    }
}

fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(300).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// A YAML string, double-quoted (JSON strings are YAML strings).
fn q(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

fn offers_of(answer: &Option<Value>) -> Vec<Value> {
    match answer {
        Some(Value::Object(map)) => map
            .get("offers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

fn id_of(offer: &Value) -> Option<String> {
    offer.get("offer_id")?.as_str().map(str::to_owned)
}

fn is_cluster(offer: &Value) -> bool {
    offer
        .get("node_count")
        .and_then(Value::as_u64)
        .is_some_and(|n| n > 1)
        || offer
            .get("deployment_type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.to_ascii_lowercase().contains("cluster"))
}

fn resources_of(answer: &Option<Value>) -> Vec<Value> {
    match answer {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Object(map)) => ["resources", "items", "data"]
            .iter()
            .find_map(|key| map.get(*key)?.as_array().cloned())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn procure_body(offer_id: &str, extra: Value) -> String {
    let mut body = json!({ "offer_id": offer_id, "ssh_public_key": SSH_KEY });
    if let (Value::Object(body), Value::Object(extra)) = (&mut body, extra) {
        body.extend(extra);
    }
    body.to_string()
}

#[tokio::test]
async fn every_simulated_answer_follows_the_published_contract() {
    let mut run = Run::start().await;

    // ---- discovery, and the token -------------------------------------
    let gpus = run.call(Call::get("/available_gpus", &[200])).await;
    for path in [
        "/available_vendors",
        "/available_regions",
        "/available_contracts",
        "/available_storage",
    ] {
        run.call(Call::get(path, &[200])).await;
    }
    let families: Vec<String> = match &gpus {
        Some(Value::Object(map)) if !map.is_empty() => map.keys().cloned().collect(),
        _ => ["H100", "H200", "A100", "L40S", "L4", "RTX 4090"]
            .map(str::to_owned)
            .to_vec(),
    };
    let any_gpu = families.join(" | ");

    // ---- get_offers ------------------------------------------------------
    let mut offers = Vec::new();
    for count in [1, 2, 4, 8] {
        let spec = format!(
            "compute:\n  gpu_type: {}\n  gpu_count: {count}\n",
            q(&any_gpu)
        );
        let answer = run
            .call(Call::post("/get_offers", YAML, &spec, &[200]))
            .await;
        offers.extend(offers_of(&answer));
    }
    let full = format!(
        "region: \"EU\"\nvendor: \"nebius\"\nmax_procure_time_seconds: 3600\ncompute:\n  \
         gpu_type: {}\n  gpu_count: 8\n  type: \"vm\"\n  max_price_per_gpu_hour: 40\n  \
         contract_type: \"ondemand\"\n  min_boot_disk_gb: 0\nnetwork:\n  supports_cilium: true\n\
         storage:\n  - type: \"filesystem\"\n    class: \"standard\"\n    size: \"2TB\"\n    \
         persistent: true\n  - type: \"block_disk\"\n    size: \"500GB\"\n",
        q(&any_gpu)
    );
    run.call(Call::post("/get_offers", YAML, &full, &[200]))
        .await;
    let one = format!(
        "compute:\n  gpu_type: {}\n  gpu_count: 1\n  contract_type: \"spot\"\n",
        q(families.first().map_or("H100", String::as_str))
    );
    run.call(Call::post("/get_offers", YAML, &one, &[200]))
        .await;
    // Refused: a JSON body, a spec without compute.gpu_type, broken YAML.
    run.call(
        Call::post(
            "/get_offers",
            JSON,
            r#"{"gpu_type": "H100", "offer_type": "vm"}"#,
            &[422],
        )
        .invalid(),
    )
    .await;
    run.call(Call::post("/get_offers", YAML, "compute:\n  gpu_count: 1\n", &[422]).invalid())
        .await;
    run.call(Call::post("/get_offers", YAML, "compute: [\n", &[422]).invalid())
        .await;
    if offers.is_empty() {
        run.fail("POST /get_offers: no offers to go on with".to_owned());
    }
    let ids: Vec<String> = offers.iter().filter_map(id_of).collect();
    let vms: Vec<String> = offers
        .iter()
        .filter(|o| !is_cluster(o))
        .filter_map(id_of)
        .collect();
    let cluster = offers.iter().find(|o| is_cluster(o)).and_then(id_of);

    // ---- offer details and status before procurement -----------------------
    for id in ids.iter().take(5) {
        run.call(Call::get(&format!("/offers/{id}"), &[200])).await;
        run.call(Call::get(&format!("/offers/{id}/status"), &[200]))
            .await;
    }
    if let Some(id) = &cluster {
        run.call(Call::get(&format!("/offers/{id}"), &[200])).await;
    }
    for path in [
        format!("/offers/{UNKNOWN_ID}"),
        format!("/offers/{UNKNOWN_ID}/status"),
    ] {
        run.call(Call::get(&path, &[404])).await;
    }
    for path in ["/offers/not-a-uuid", "/offers/not-a-uuid/status"] {
        run.call(Call::get(path, &[422])).await;
    }
    for id in SEEDED_OFFERS {
        run.call(Call::get(&format!("/offers/{id}/status"), &[200]))
            .await;
    }

    // ---- procurement -----------------------------------------------------
    let mut vm_ids = vms.iter();
    let first = vm_ids.next().cloned();
    let mut procured = Vec::new();
    if let Some(id) = &first {
        let body = procure_body(
            id,
            json!({
                "cloud_init": "#cloud-config\npackages:\n  - htop\n",
                "resource_name": "contract-vm",
            }),
        );
        let answer = run
            .call(Call::post("/procure_offer", JSON, &body, &[200]))
            .await;
        procured.push(id.clone());
        if let Some(answer) = &answer {
            if answer["status"] != "provisioning_in_progress" && answer["status"] != "procured" {
                run.fail(format!("POST /procure_offer: status {}", answer["status"]));
            }
        }
        run.call(Call::get(&format!("/offers/{id}/status"), &[200]))
            .await;
        run.call(Call::get(&format!("/offers/{id}"), &[200])).await;
        // Procured already.
        run.call(Call::post("/procure_offer", JSON, &body, &[409]))
            .await;
        // A missing key, an empty key, a script that is neither, an
        // invented field, a bad id: refused by the service and the contract.
        let no_key = json!({ "offer_id": id }).to_string();
        let empty_key = json!({ "offer_id": id, "ssh_public_key": "" }).to_string();
        for body in [no_key, empty_key] {
            run.call(Call::post("/procure_offer", JSON, &body, &[422]).invalid())
                .await;
        }
    }
    // Refused by the contract; whether the service refuses them is not
    // published, so only their answers are checked, whatever they are.
    if let Some(id) = vm_ids.next() {
        let body = procure_body(id, json!({ "cloud_init": "echo hi" }));
        run.call(Call::post("/procure_offer", JSON, &body, &[200, 422]).invalid())
            .await;
    }
    let bad_id = json!({ "offer_id": "not-a-uuid", "ssh_public_key": SSH_KEY }).to_string();
    run.call(Call::post("/procure_offer", JSON, &bad_id, &[422]).invalid())
        .await;
    run.call(Call::post(
        "/procure_offer",
        JSON,
        &procure_body(UNKNOWN_ID, json!({})),
        &[404],
    ))
    .await;
    run.call(Call::post("/procure_offer", JSON, "{\"offer_id\": ", &[422]).invalid())
        .await;
    if let Some(id) = &cluster {
        let body = procure_body(id, json!({ "cluster_name": "contract-cluster" }));
        run.call(Call::post("/procure_offer", JSON, &body, &[200]))
            .await;
        procured.push(id.clone());
    }
    // Fails while provisioning, and fails at once.
    if let Some(id) = vm_ids.next() {
        run.admin("POST", "/__admin/fail-next", r#"{"reason": "No capacity"}"#)
            .await;
        run.call(Call::post(
            "/procure_offer",
            JSON,
            &procure_body(id, json!({})),
            &[200],
        ))
        .await;
        procured.push(id.clone());
    }
    if let Some(id) = vm_ids.next() {
        run.admin(
            "POST",
            "/__admin/fail-next",
            r#"{"reason": "Refused", "immediately": true}"#,
        )
        .await;
        let answer = run
            .call(Call::post(
                "/procure_offer",
                JSON,
                &procure_body(id, json!({})),
                &[200],
            ))
            .await;
        if let Some(answer) = &answer {
            if answer["status"] != "failed" {
                run.fail(format!(
                    "POST /procure_offer (refused at once): status {}",
                    answer["status"]
                ));
            }
        }
    }
    let spare = vm_ids.next().cloned();

    // Provisioning goes on: every state's answer is checked.
    for secs in [15, 30, 60, 600] {
        run.advance(secs).await;
        for id in &procured {
            run.call(Call::get(&format!("/offers/{id}/status"), &[200]))
                .await;
        }
    }

    // ---- resources -------------------------------------------------------
    let all = run.call(Call::get("/resources", &[200])).await;
    let mut mine = Vec::new();
    if let Some(id) = &first {
        let answer = run
            .call(Call::get(&format!("/resources?offer_id={id}"), &[200]))
            .await;
        let listed = resources_of(&answer);
        // Behaviour, not shape: the filter is applied (each resource made
        // by an order has the order in its offer_history).
        mine = listed
            .iter()
            .filter(|r| {
                r["offer_history"]
                    .as_array()
                    .is_some_and(|h| h.iter().any(|e| e["offer_id"] == id.as_str()))
            })
            .cloned()
            .collect();
        if mine.is_empty() {
            run.fail(format!(
                "GET /resources?offer_id={id}: no resource of the order once it is ready"
            ));
        }
        if mine.len() < listed.len() {
            run.fail(format!(
                "GET /resources?offer_id={id}: {} of {} resources answered are not the order's (offer_id not applied)",
                listed.len() - mine.len(),
                listed.len()
            ));
        }
    }
    let listed: Vec<String> = resources_of(&all)
        .iter()
        .filter_map(|r| r.get("resource_id")?.as_str().map(str::to_owned))
        .collect();
    for id in listed.iter().take(8) {
        run.call(Call::get(&format!("/resources/{id}"), &[200]))
            .await;
    }
    for path in [
        format!("/resources/{SEEDED_RESOURCE}"),
        format!("/resources/{SEEDED_RESOURCE}?force_refresh=true"),
        format!("/resources/{SEEDED_RESOURCE}?force_refresh=false"),
    ] {
        run.call(Call::get(&path, &[200])).await;
    }
    run.call(Call::get(
        &format!("/resources/{SEEDED_RESOURCE}?force_refresh=maybe"),
        &[422],
    ))
    .await;
    run.call(Call::get(&format!("/resources/{UNKNOWN_ID}"), &[404]))
        .await;
    run.call(Call::get("/resources/not-a-uuid", &[422])).await;

    // Deleting: deleting, then deleted, then 409.
    let target = mine
        .iter()
        .find_map(|r| r.get("resource_id")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| SEEDED_RESOURCE.to_owned());
    let answer = run
        .call(Call::delete(
            &format!("/resources/{target}?force=true"),
            &[200],
        ))
        .await;
    if let Some(answer) = &answer {
        if answer["resource_id"] != target.as_str() {
            run.fail(format!(
                "DELETE /resources/{target}: answers for {}",
                answer["resource_id"]
            ));
        }
    }
    run.call(Call::get(&format!("/resources/{target}"), &[200]))
        .await;
    run.advance(600).await;
    run.call(Call::get(
        &format!("/resources/{target}?force_refresh=true"),
        &[200],
    ))
    .await;
    run.call(Call::delete(&format!("/resources/{target}"), &[409]))
        .await;
    run.call(Call::delete(&format!("/resources/{UNKNOWN_ID}"), &[404]))
        .await;
    run.call(Call::delete("/resources/not-a-uuid", &[422]))
        .await;
    run.call(Call::delete(
        &format!("/resources/{SEEDED_RESOURCE}?force=maybe"),
        &[422],
    ))
    .await;
    run.call(Call::get("/resources", &[200])).await;

    // ---- expiry: 410 -----------------------------------------------------
    run.advance(1800).await;
    if let Some(id) = &spare {
        run.call(Call::post(
            "/procure_offer",
            JSON,
            &procure_body(id, json!({})),
            &[410],
        ))
        .await;
        run.call(Call::get(&format!("/offers/{id}/status"), &[200]))
            .await;
        run.call(Call::get(&format!("/offers/{id}"), &[200, 404]))
            .await;
    }

    // ---- 401 on every operation --------------------------------------------
    let some_offer = first.clone().unwrap_or_else(|| SEEDED_OFFERS[0].to_owned());
    let spec = format!("compute:\n  gpu_type: {}\n  gpu_count: 1\n", q(&any_gpu));
    let procure = procure_body(&some_offer, json!({}));
    let gets = [
        "/available_gpus".to_owned(),
        "/available_vendors".to_owned(),
        "/available_regions".to_owned(),
        "/available_contracts".to_owned(),
        "/available_storage".to_owned(),
        "/resources".to_owned(),
        format!("/resources/{SEEDED_RESOURCE}"),
        format!("/offers/{some_offer}"),
        format!("/offers/{some_offer}/status"),
    ];
    for token in [None, Some("wrong-token")] {
        for path in &gets {
            run.call(Call::get(path, &[401]).token(token)).await;
        }
        run.call(Call::post("/get_offers", YAML, &spec, &[401]).token(token))
            .await;
        run.call(Call::post("/procure_offer", JSON, &procure, &[401]).token(token))
            .await;
        run.call(Call::delete(&format!("/resources/{SEEDED_RESOURCE}"), &[401]).token(token))
            .await;
    }

    let Run {
        sim,
        answers,
        requests,
        failures,
        seen,
        ..
    } = run;
    sim.shutdown().await;
    println!(
        "contract: {} offers ({} VM, cluster: {}), procured {:?}",
        offers.len(),
        vms.len(),
        cluster.as_deref().unwrap_or("none"),
        procured
    );
    for (what, n) in &seen {
        println!("contract:   {what} x{n}");
    }
    // Straight to stderr, so the count shows without --nocapture too.
    let _ = writeln!(
        std::io::stderr(),
        "contract: {answers} answers validated, {requests} request bodies validated, {} failures",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} answers break the contract (tests/contract/supply-openapi.yaml):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---- the document itself ----------------------------------------------------

#[test]
fn the_contract_refuses_the_old_shapes_and_takes_the_published_ones() {
    let mut contract = Contract::load();
    let good = json!({
        "offer_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
        "gpu_type": "nvidia-h100-sxm5-80gb",
        "gpu_family": "H100",
        "gpu_count": 8,
        "vendor": "nebius",
        "region": "EU",
        "vendor_region": "eu-north1",
        "contract_type": "ondemand",
        "type": "vm",
        "gpu_price_per_hour": 2.95,
        "storage_price_per_hour": 0.1,
        "total_price_per_hour": 23.7,
        "boot_disk_in_gb": null,
        "vcpu_count": 128,
        "memory_in_gb": 1600,
        "storage_details": [{
            "name": "data", "size_gb": 2048, "type": "filesystem",
            "storage_class": "standard", "vendor_class": "network-ssd",
            "vendor_region": "eu-north1", "price_per_gb_month": 0.07,
            "monthly_cost": 143.36, "hourly_cost": 0.196, "persistent": true
        }],
        "created_at": "2026-01-01T00:00:00Z",
        "expires_at": "2026-01-01T00:30:00Z",
        "something_new": {"kept": true}
    });
    let answer = json!({ "offers": [good.clone()], "total_count": 1, "filters_applied": {} });
    assert_eq!(
        contract.check_named("GetOffersResponse", &answer),
        Vec::<String>::new()
    );

    for (field, value) in [
        ("pricing_hourly", json!(23.7)),
        ("offer_type", json!("vm")),
        ("available", json!(true)),
        ("gpu_memory_gb", json!(80)),
        ("vcpus", json!(128)),
        ("memory_gb", json!(1600)),
        ("storage_gb", json!(200)),
        ("spec", json!({})),
    ] {
        let mut old = good.clone();
        old[field] = value;
        let errors = contract.check_named("Offer", &old);
        assert!(!errors.is_empty(), "an offer with {field} passes");
    }
    let mut wrong = good.clone();
    wrong["gpu_count"] = json!("8");
    assert!(!contract.check_named("Offer", &wrong).is_empty());
    wrong = good.clone();
    wrong["offer_id"] = json!(42);
    assert!(!contract.check_named("Offer", &wrong).is_empty());
    wrong = good.clone();
    wrong["storage_details"][0]["size_gb"] = json!("2TB");
    assert!(!contract.check_named("Offer", &wrong).is_empty());
    // The old answer: a bare list.
    assert!(!contract
        .check_named("GetOffersResponse", &json!([good.clone()]))
        .is_empty());
    // Details need the published required fields.
    let mut details = good.clone();
    details["status"] = json!("available");
    assert_eq!(
        contract.check_named("OfferDetails", &details),
        Vec::<String>::new()
    );
    details.as_object_mut().unwrap().remove("gpu_family");
    assert!(!contract.check_named("OfferDetails", &details).is_empty());

    // Requests.
    let spec =
        parse_yaml("region: EU\ncompute:\n  gpu_type: H100 | A100\n  gpu_count: 8\nx-later: 1\n")
            .unwrap();
    assert_eq!(
        contract.check_named("OfferSpec", &spec),
        Vec::<String>::new()
    );
    let no_gpu = parse_yaml("region: EU\ncompute:\n  gpu_count: 8\n").unwrap();
    assert!(!contract.check_named("OfferSpec", &no_gpu).is_empty());
    let old_query = json!({"gpu_type": "H100", "offer_type": "vm", "max_price_hourly": 4});
    assert!(!contract.check_named("OfferSpec", &old_query).is_empty());
    let procure = json!({
        "offer_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
        "ssh_public_key": SSH_KEY,
        "cloud_init": "#!/bin/sh\necho hi\n",
        "cluster_name": null,
    });
    assert_eq!(
        contract.check_named("ProcureRequest", &procure),
        Vec::<String>::new()
    );
    let mut invented = procure.clone();
    invented["ssh_user"] = json!("root");
    assert!(!contract.check_named("ProcureRequest", &invented).is_empty());
    let mut long = procure.clone();
    long["cloud_init"] = json!(format!("#cloud-config\n{}", "x".repeat(65_536)));
    assert!(!contract.check_named("ProcureRequest", &long).is_empty());

    // Errors.
    let fastapi = json!({"detail": [{"loc": ["body", "compute", "gpu_type"], "msg": "Field required", "type": "missing"}]});
    assert_eq!(
        contract.check_named("HTTPValidationError", &fastapi),
        Vec::<String>::new()
    );
    assert!(!contract
        .check_named("HTTPValidationError", &json!({"detail": "text"}))
        .is_empty());
    assert_eq!(
        contract.check_named("ErrorDetail", &json!({"detail": "Not Found"})),
        Vec::<String>::new()
    );
}

/// Every operation and schema names the page it comes from, and every
/// `$ref` points at something the document has.
#[test]
fn the_contract_names_its_sources() {
    let contract = Contract::load();
    let mut missing = Vec::new();
    for (path, item) in contract.doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("x-source").and_then(Value::as_str).is_none() {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    for (name, schema) in contract.doc["components"]["schemas"].as_object().unwrap() {
        if schema.get("x-source").is_none() && schema.get("x-assumed").is_none() {
            missing.push(format!("schema {name}"));
        }
    }
    assert!(
        missing.is_empty(),
        "no x-source (or x-assumed): {missing:?}"
    );

    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    match (key.as_str(), inner) {
                        ("$ref", Value::String(target)) => out.push(target.clone()),
                        _ => refs(inner, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
            _ => {}
        }
    }
    let mut targets = Vec::new();
    refs(&contract.doc, &mut targets);
    let dangling: Vec<&String> = targets
        .iter()
        .filter(|target| {
            target
                .strip_prefix('#')
                .is_none_or(|pointer| contract.doc.pointer(pointer).is_none())
        })
        .collect();
    assert!(dangling.is_empty(), "$refs to nothing: {dangling:?}");
}
