//! The listeners over real sockets (port 0), with a minimal HTTP/1.1
//! client so a dropped connection can be seen as such.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{json, Value};
use supply_sim::http::{self, Options, Running};
use supply_sim::SimConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "demo-token";
const K0RDENT_TOKEN: &str = "k0rdent-demo-token";
const INSTANCE_PATH: &str =
    "/v1/regions/us-texas-1/projects/project-x9y8z7/compute/instances/instance-d4e5f6";

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|err| panic!("{err}: {}", self.body))
    }
}

/// Sends one request on a fresh connection; `None` when the server closed
/// it without a complete HTTP response.
async fn try_send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("the server answers within 10 s");
    if read.is_err() && raw.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let body = if let Some(length) = find("content-length") {
        let length: usize = length.parse().ok()?;
        if rest.len() < length {
            return None;
        }
        rest[..length].to_owned()
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
    Some(Reply {
        status,
        headers,
        body,
    })
}

async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    try_send(addr, method, path, headers, body)
        .await
        .unwrap_or_else(|| panic!("{method} {path}: no complete response"))
}

async fn authed(sim: &Running, method: &str, path: &str, body: &str) -> Reply {
    let auth = format!("Bearer {TOKEN}");
    send(
        sim.supply,
        method,
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body,
    )
    .await
}

/// Every family the catalog sells, single GPUs.
const EVERY_GPU: &str =
    "compute:\n  gpu_type: \"H100 | H200 | A100 | L40S | L4 | RTX 4090\"\n  gpu_count: 1\n";

/// `POST /get_offers` with `spec` as YAML.
async fn offers(sim: &Running, spec: &str) -> Reply {
    with_type(sim, "/get_offers", Some("application/yaml"), spec).await
}

async fn with_type(sim: &Running, path: &str, content_type: Option<&str>, body: &str) -> Reply {
    let auth = format!("Bearer {TOKEN}");
    let mut headers = vec![("Authorization", auth.as_str())];
    if let Some(content_type) = content_type {
        headers.push(("Content-Type", content_type));
    }
    send(sim.supply, "POST", path, &headers, body).await
}

async fn admin(sim: &Running, method: &str, path: &str, body: &str) -> Reply {
    send(sim.supply, method, path, &[], body).await
}

async fn start(ui_dir: Option<std::path::PathBuf>) -> Running {
    start_with(Options {
        ui_dir,
        ..Options::default()
    })
    .await
}

async fn start_with(options: Options) -> Running {
    http::start(Options {
        port: 0,
        k0rdent_port: 0,
        ui_port: 0,
        sim: SimConfig {
            seed: 42,
            offers: 60,
        },
        quiet: true,
        ..options
    })
    .await
    .expect("listeners bind")
}

#[tokio::test]
async fn api_calls_need_a_valid_token_and_errors_carry_cors() {
    let sim = start(None).await;
    let none = send(
        sim.supply,
        "GET",
        "/resources",
        &[("Origin", "http://localhost:8080")],
        "",
    )
    .await;
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    assert_eq!(none.header("access-control-allow-origin"), Some("*"));
    assert!(none.json()["detail"].is_string());

    let wrong = send(
        sim.supply,
        "GET",
        "/resources",
        &[("Authorization", "Bearer nope")],
        "",
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert!(!wrong.body.contains("nope"));

    let ok = authed(&sim, "GET", "/resources", "").await;
    assert_eq!(ok.status, 200);
    assert!(ok.json().as_array().unwrap().len() >= 6);

    let answer = offers(&sim, EVERY_GPU).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let answer = answer.json();
    let listed = answer["offers"].as_array().unwrap();
    assert!(!listed.is_empty());
    assert_eq!(answer["total_count"], listed.len());
    assert_eq!(answer["filters_applied"]["compute"]["gpu_count"], 1);

    let without = send(
        sim.supply,
        "POST",
        "/get_offers",
        &[("Content-Type", "application/yaml")],
        EVERY_GPU,
    )
    .await;
    assert_eq!(without.status, 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn preflight_allows_authorization_without_a_token() {
    let sim = start(None).await;
    for (addr, path) in [(sim.supply, "/get_offers"), (sim.k0rdent, INSTANCE_PATH)] {
        let reply = send(
            addr,
            "OPTIONS",
            path,
            &[
                ("Origin", "http://127.0.0.1:8080"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization,content-type",
                ),
            ],
            "",
        )
        .await;
        assert!((200..300).contains(&reply.status), "{}", reply.status);
        let allowed = reply
            .header("access-control-allow-headers")
            .unwrap()
            .to_ascii_lowercase();
        assert!(allowed.contains("authorization"), "{allowed}");
        assert!(allowed.contains("content-type"), "{allowed}");
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        assert!(reply
            .header("access-control-allow-methods")
            .unwrap()
            .contains("POST"));
    }
    // Preflights are not API requests.
    assert_eq!(
        admin(&sim, "GET", "/__admin/stats", "").await.json()["total"],
        0
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn each_api_takes_only_its_own_token() {
    let sim = start(None).await;
    let supply = format!("Bearer {TOKEN}");
    let k0rdent = format!("Bearer {K0RDENT_TOKEN}");
    let refused = send(
        sim.k0rdent,
        "GET",
        INSTANCE_PATH,
        &[("Authorization", &supply)],
        "",
    )
    .await;
    assert_eq!(refused.status, 401);
    let instance = send(
        sim.k0rdent,
        "GET",
        INSTANCE_PATH,
        &[("Authorization", &k0rdent)],
        "",
    )
    .await;
    assert_eq!(instance.status, 200);
    assert_eq!(instance.json()["lifecycle"]["status"], "PROVISIONING");
    let refused = send(
        sim.supply,
        "GET",
        "/resources",
        &[("Authorization", &k0rdent)],
        "",
    )
    .await;
    assert_eq!(refused.status, 401);

    let bad_id = INSTANCE_PATH.replace("instance-d4e5f6", "Bad_Id");
    let reply = send(
        sim.k0rdent,
        "GET",
        &bad_id,
        &[("Authorization", &k0rdent)],
        "",
    )
    .await;
    assert_eq!(reply.status, 400);
    let unknown = INSTANCE_PATH.replace("instance-d4e5f6", "instance-ffffff");
    let reply = send(
        sim.k0rdent,
        "GET",
        &unknown,
        &[("Authorization", &k0rdent)],
        "",
    )
    .await;
    assert_eq!(reply.status, 404);

    // Advancing the clock boots the instance.
    admin(&sim, "POST", "/__admin/clock", r#"{"advance_secs": 61}"#).await;
    let instance = send(
        sim.k0rdent,
        "GET",
        INSTANCE_PATH,
        &[("Authorization", &k0rdent)],
        "",
    )
    .await;
    assert_eq!(instance.json()["lifecycle"]["status"], "RUNNING");
    sim.shutdown().await;
}

#[tokio::test]
async fn status_faults_answer_for_a_number_of_requests() {
    let sim = start(None).await;
    let set = admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"status": 503, "times": 2, "path_prefix": "/get_offers"}"#,
    )
    .await;
    assert_eq!(set.status, 200);
    for _ in 0..2 {
        let reply = offers(&sim, EVERY_GPU).await;
        assert_eq!(reply.status, 503);
        assert!(reply.json()["detail"].is_string());
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    }
    assert_eq!(offers(&sim, EVERY_GPU).await.status, 200);

    admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"status": 429, "retry_after": 7}"#,
    )
    .await;
    let limited = authed(&sim, "GET", "/resources", "").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("7"));
    assert!(limited
        .header("access-control-expose-headers")
        .unwrap()
        .contains("retry-after"));

    admin(&sim, "POST", "/__admin/faults", r#"{"status": 422}"#).await;
    let invalid = authed(&sim, "POST", "/procure_offer", "{}").await;
    assert_eq!(invalid.status, 422);
    assert_eq!(
        invalid.json()["detail"][0]["loc"],
        json!(["body", "ssh_public_key"])
    );

    // Admin calls are never faulted, and clearing restores service.
    let cleared = admin(&sim, "DELETE", "/__admin/faults", "").await;
    assert_eq!(cleared.json()["faults"], json!([]));
    assert_eq!(authed(&sim, "GET", "/resources", "").await.status, 200);

    let refused = admin(&sim, "POST", "/__admin/faults", r#"{"kind": "explode"}"#).await;
    assert_eq!(refused.status, 400);
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_json_wrong_types_and_drop() {
    let sim = start(None).await;
    admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"kind": "malformed_json", "times": 1}"#,
    )
    .await;
    let broken = offers(&sim, EVERY_GPU).await;
    assert_eq!(broken.status, 200);
    assert!(!broken.body.is_empty());
    assert!(serde_json::from_str::<Value>(&broken.body).is_err());

    admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"kind": "wrong_types", "times": 1}"#,
    )
    .await;
    let odd = offers(&sim, EVERY_GPU).await;
    assert_eq!(odd.status, 200);
    let answer = odd.json();
    assert!(answer["offers"][0]["gpu_count"].is_string());
    assert!(answer["offers"][0]["gpu_price_per_hour"].is_string());
    assert!(answer["offers"][0]["offer_id"].is_number());
    assert!(answer["total_count"].is_string());
    assert!(supply_model::decode_offers_answer(&odd.body).is_err());

    admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"kind": "drop", "times": 1}"#,
    )
    .await;
    let auth = format!("Bearer {TOKEN}");
    let dropped = try_send(
        sim.supply,
        "GET",
        "/resources",
        &[("Authorization", &auth)],
        "",
    )
    .await;
    assert!(
        dropped.is_none(),
        "expected no response, got {}",
        dropped.unwrap().status
    );
    // The listener lives on.
    assert_eq!(authed(&sim, "GET", "/resources", "").await.status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn stats_count_each_request_once() {
    let sim = start(None).await;
    let answer = offers(&sim, EVERY_GPU).await.json();
    let listed = answer["offers"].as_array().unwrap().clone();
    let offer = listed[0].clone();
    let id = offer["offer_id"].as_str().unwrap().to_owned();
    admin(&sim, "POST", "/__admin/reset-stats", "").await;
    let body = json!({"offer_id": id, "ssh_public_key": "ssh-ed25519 AAAA me"}).to_string();
    let first = authed(&sim, "POST", "/procure_offer", &body).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.json()["status"], "provisioning_in_progress");
    let path = format!("/offers/{id}/status");
    let status = authed(&sim, "GET", &path, "").await;
    assert_eq!(status.json()["procurement_status"], "provisioning_started");
    let details = authed(&sim, "GET", &format!("/offers/{id}"), "")
        .await
        .json();
    assert_eq!(details["status"], "procured");
    assert!(details["procured_at"].is_string());
    let stats = admin(&sim, "GET", "/__admin/stats", "").await.json();
    assert_eq!(stats["total"], 3);
    assert_eq!(stats["by_route"]["POST /procure_offer"], 1);
    assert_eq!(stats["by_route"]["GET /offers/{id}/status"], 1);
    assert_eq!(stats["by_route"]["GET /offers/{id}"], 1);
    assert_eq!(
        authed(&sim, "POST", "/procure_offer", &body).await.status,
        409
    );
    // Procured, it is no longer on sale.
    let again = offers(&sim, EVERY_GPU).await.json();
    assert!(!again["offers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["offer_id"] == id.as_str()));

    // After the clock passes the 30-minute lifetime, old offers are gone.
    admin(&sim, "POST", "/__admin/clock", r#"{"advance_secs": 1800}"#).await;
    let old = &listed[1];
    let body =
        json!({"offer_id": old["offer_id"], "ssh_public_key": "ssh-ed25519 AAAA me"}).to_string();
    let gone = authed(&sim, "POST", "/procure_offer", &body).await;
    assert_eq!(gone.status, 410);
    assert!(gone.json()["detail"]
        .as_str()
        .unwrap()
        .contains("expired at"));
    let old_path = format!("/offers/{}", old["offer_id"].as_str().unwrap());
    assert_eq!(
        authed(&sim, "GET", &old_path, "").await.json()["status"],
        "expired"
    );
    let status = authed(&sim, "GET", &path, "").await.json();
    assert_eq!(status["procurement_status"], "ready");
    sim.shutdown().await;
}

#[tokio::test]
async fn get_offers_takes_yaml_only_and_answers_422_like_fastapi() {
    let sim = start(None).await;
    let cases: [(Option<&str>, &str, Value, &str); 6] = [
        (Some("application/json"), "{}", json!(["body"]), "content_type"),
        (None, EVERY_GPU, json!(["body"]), "content_type"),
        (
            Some("application/yaml"),
            "{}",
            json!(["body", "compute", "gpu_type"]),
            "missing",
        ),
        (
            Some("application/yaml"),
            "compute: [",
            json!(["body"]),
            "yaml_invalid",
        ),
        (
            Some("text/yaml"),
            "compute:\n  gpu_type: H100\n  gpu_count: 16\n",
            json!(["body", "compute", "gpu_count"]),
            "literal_error",
        ),
        (
            Some("application/yaml"),
            "compute:\n  gpu_type: H100\nstorage:\n  - type: filesystem\n    size: 1TB\n    persistent: maybe\n",
            json!(["body", "storage", 0, "persistent"]),
            "bool_type",
        ),
    ];
    for (content_type, body, loc, kind) in cases {
        let reply = with_type(&sim, "/get_offers", content_type, body).await;
        assert_eq!(reply.status, 422, "{body}");
        let detail = reply.json()["detail"].clone();
        assert_eq!(detail[0]["loc"], loc, "{body}");
        assert_eq!(detail[0]["type"], kind, "{body}");
        assert!(detail[0]["msg"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // What the console sends reads back in `filters_applied`.
    let reply = offers(
        &sim,
        "region: EU\ncompute:\n  gpu_type: \"H100 | A100\"\n  contract_type: ondemand\nstorage:\n  - type: block_disk\n    size: 500GB\n",
    )
    .await;
    assert_eq!(reply.status, 200);
    let answer = reply.json();
    assert_eq!(answer["filters_applied"]["region"], "EU");
    assert_eq!(answer["filters_applied"]["storage"][0]["class"], "standard");
    for offer in answer["offers"].as_array().unwrap() {
        assert_eq!(offer["region"], "EU");
        assert_eq!(offer["storage_details"][0]["size_gb"], 500.0);
        assert!(offer["storage_price_per_hour"].as_f64().unwrap() > 0.0);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn offer_details_answer_the_published_fields() {
    let sim = start(None).await;
    let answer = offers(&sim, EVERY_GPU).await.json();
    let offer = &answer["offers"][0];
    let path = format!("/offers/{}", offer["offer_id"].as_str().unwrap());
    let reply = authed(&sim, "GET", &path, "").await;
    assert_eq!(reply.status, 200);
    let details = reply.json();
    let keys: Vec<&str> = details
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "offer_id",
        "gpu_type",
        "gpu_family",
        "gpu_count",
        "vendor",
        "region",
        "status",
        "created_at",
        "contract_type",
        "gpu_price_per_hour",
        "boot_disk_in_gb",
        "vcpu_count",
        "memory_in_gb",
        "total_price_per_hour",
        "expires_at",
        "procured_at",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(details["status"], "available");
    assert!(details["procured_at"].is_null());
    for key in ["gpu_type", "gpu_family", "vendor", "total_price_per_hour"] {
        assert_eq!(details[key], offer[key], "{key}");
    }
    let unknown = authed(
        &sim,
        "GET",
        "/offers/3c90c3cc-0d44-4b50-8888-8dd25736052a",
        "",
    )
    .await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.json()["detail"].is_string());
    let bad = authed(&sim, "GET", "/offers/not-a-uuid", "").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["detail"][0]["loc"], json!(["path", "offer_id"]));
    sim.shutdown().await;
}

#[tokio::test]
async fn discovery_endpoints_list_what_is_on_sale() {
    let sim = start(None).await;
    for path in [
        "/available_gpus",
        "/available_vendors",
        "/available_regions",
        "/available_contracts",
        "/available_storage",
    ] {
        let refused = send(sim.supply, "GET", path, &[("Origin", "http://x")], "").await;
        assert_eq!(refused.status, 401, "{path}");
        assert_eq!(refused.header("access-control-allow-origin"), Some("*"));
    }
    let gpus = authed(&sim, "GET", "/available_gpus", "").await.json();
    assert_eq!(
        gpus["H100"],
        json!(["nvidia-h100-sxm5-80gb", "nvidia-h100-pcie-80gb"])
    );
    assert_eq!(gpus["L40S"], json!(["nvidia-l40s-pcie-48gb"]));
    let vendors = authed(&sim, "GET", "/available_vendors", "").await.json();
    assert!(vendors.as_array().unwrap().iter().all(Value::is_string));
    assert!(vendors.as_array().unwrap().contains(&json!("nebius")));
    assert_eq!(
        authed(&sim, "GET", "/available_regions", "").await.json(),
        json!(["US", "EU", "APAC", "Other"])
    );
    assert_eq!(
        authed(&sim, "GET", "/available_contracts", "").await.json(),
        json!(["ondemand", "spot"])
    );
    let storage = authed(&sim, "GET", "/available_storage", "").await.json();
    let first = &storage[0];
    for key in [
        "vendor",
        "vendor_region",
        "type",
        "class",
        "price_per_gb_month",
        "persistent_supported",
    ] {
        assert!(!first[key].is_null(), "{key}");
    }
    // The model reads each shape.
    use supply_model::discovery;
    let body = authed(&sim, "GET", "/available_gpus", "").await.body;
    let catalog = discovery::read_gpus(&body).unwrap();
    assert_eq!(catalog.family_of("nvidia-rtx-4090-24gb"), Some("RTX 4090"));
    let body = authed(&sim, "GET", "/available_vendors", "").await.body;
    assert!(discovery::read_names(&body).unwrap().len() >= 4);
    let body = authed(&sim, "GET", "/available_storage", "").await.body;
    assert!(discovery::read_storage_classes(&body)
        .unwrap()
        .contains(&"premium".to_owned()));

    // The fault switches reach them too.
    admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"status": 503, "path_prefix": "/available_", "times": 1}"#,
    )
    .await;
    assert_eq!(
        authed(&sim, "GET", "/available_regions", "").await.status,
        503
    );
    assert_eq!(
        authed(&sim, "GET", "/available_regions", "").await.status,
        200
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn hostile_and_huge_answers_act_on_the_published_fields() {
    let sim = start(None).await;
    admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"kind": "hostile_strings", "times": 1}"#,
    )
    .await;
    let answer = offers(&sim, EVERY_GPU).await.json();
    let hostile = |value: &Value| {
        let text = value.as_str().unwrap();
        text.contains('<')
            || text.len() >= 10_000
            || text.contains('\u{202E}')
            || text.contains('🚀')
    };
    let offers_list = answer["offers"].as_array().unwrap();
    for key in ["vendor", "vendor_region", "gpu_type", "gpu_family"] {
        assert!(offers_list.iter().all(|o| hostile(&o[key])), "{key}");
    }
    // Ids, times and the states the console acts on are left alone.
    assert!(offers_list
        .iter()
        .all(|o| o["region"].as_str().unwrap().len() <= 5));
    assert!(offers_list
        .iter()
        .all(|o| uuid::Uuid::parse_str(o["offer_id"].as_str().unwrap()).is_ok()));

    admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"kind": "huge", "times": 1}"#,
    )
    .await;
    let big = offers(&sim, "compute:\n  gpu_type: L4\n").await;
    assert!(big.body.len() > 1_048_576);
    let answer = big.json();
    assert!(answer["offers"].as_array().unwrap().len() > 100);
    sim.shutdown().await;
}

#[tokio::test]
async fn offers_latency_delays_valid_get_offers_answers() {
    let sim = start_with(Options {
        offers_latency_ms: 400,
        ..Options::default()
    })
    .await;
    let started = std::time::Instant::now();
    assert_eq!(offers(&sim, EVERY_GPU).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(400));
    // A refused spec is answered at once, and other calls are not delayed.
    let started = std::time::Instant::now();
    assert_eq!(offers(&sim, "{}").await.status, 422);
    assert_eq!(authed(&sim, "GET", "/available_gpus", "").await.status, 200);
    assert!(started.elapsed() < Duration::from_millis(400));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_console_listener_serves_files_config_and_fallback() {
    let dir = std::env::temp_dir().join(format!("supply-sim-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    let sim = start(Some(dir.clone())).await;
    let ui = sim.ui.unwrap();

    let config = send(ui, "GET", "/config.json", &[], "").await;
    assert_eq!(config.header("cache-control"), Some("no-cache"));
    let config = config.json();
    assert_eq!(config["api_base_url"], format!("http://{}", sim.supply));
    assert_eq!(
        config["k0rdent_base_url"],
        format!("http://{}", sim.k0rdent)
    );
    // The simulator (only) offers its first accepted tokens for a demo sign-in.
    assert_eq!(
        config["demo"],
        json!({ "supply_token": TOKEN, "k0rdent_token": K0RDENT_TOKEN })
    );
    let index = send(ui, "GET", "/", &[], "").await;
    let policy = index.header("content-security-policy").unwrap();
    assert!(policy.contains(&format!(
        "connect-src 'self' http://{} http://{};",
        sim.supply, sim.k0rdent
    )));

    let index = send(ui, "GET", "/", &[], "").await;
    assert_eq!(index.status, 200);
    assert!(index.body.contains("console"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    let script = send(ui, "GET", "/app.js", &[], "").await;
    assert_eq!(script.body, "console.log(1)");
    let deep = send(
        ui,
        "GET",
        "/resources/0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01",
        &[],
        "",
    )
    .await;
    assert_eq!(deep.status, 200);
    assert!(deep.body.contains("<title>console</title>"));

    sim.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn resources_filter_by_order_and_delete_over_http() {
    let sim = start(None).await;
    let preflight = send(
        sim.supply,
        "OPTIONS",
        "/resources/0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01",
        &[
            ("Origin", "http://127.0.0.1:8080"),
            ("Access-Control-Request-Method", "DELETE"),
            ("Access-Control-Request-Headers", "authorization"),
        ],
        "",
    )
    .await;
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("DELETE"));

    let mine = authed(
        &sim,
        "GET",
        "/resources?offer_id=7d3f1a52-0c4e-4b8a-9f61-2e5d8c7b9a01",
        "",
    )
    .await
    .json();
    assert_eq!(mine.as_array().unwrap().len(), 2);
    let all = authed(&sim, "GET", "/resources", "").await.json();
    assert!(all.as_array().unwrap().len() > 2);

    let path = "/resources/0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01";
    let deleting = authed(&sim, "DELETE", &format!("{path}?force=true"), "").await;
    assert_eq!(deleting.status, 200);
    let answer = deleting.json();
    assert_eq!(
        answer["resource_id"],
        "0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01"
    );
    assert_eq!(answer["status"], "deleting");
    assert!(answer["message"].is_string());
    assert_eq!(
        authed(&sim, "GET", path, "").await.json()["status"],
        "deleting"
    );
    admin(&sim, "POST", "/__admin/clock", r#"{"advance_secs": 30}"#).await;
    assert_eq!(
        authed(&sim, "GET", path, "").await.json()["status"],
        "deleted"
    );
    let again = authed(&sim, "DELETE", path, "").await;
    assert_eq!(again.status, 409);
    assert!(again.json()["detail"].is_string());
    let bad = authed(&sim, "DELETE", &format!("{path}?force=maybe"), "").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["detail"][0]["loc"], json!(["query", "force"]));
    let stats = admin(&sim, "GET", "/__admin/stats", "").await.json();
    assert_eq!(stats["by_route"]["DELETE /resources/{id}"], 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_delete_whose_answer_is_lost_still_took_effect() {
    let sim = start(None).await;
    let path = "/resources/0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01";
    admin(
        &sim,
        "POST",
        "/__admin/faults",
        r#"{"kind": "drop_after", "method": "DELETE", "path_prefix": "/resources/", "times": 1}"#,
    )
    .await;
    // A GET on the same path is not the method the rule names.
    assert_eq!(authed(&sim, "GET", path, "").await.status, 200);
    let auth = format!("Bearer {TOKEN}");
    let lost = try_send(sim.supply, "DELETE", path, &[("Authorization", &auth)], "").await;
    assert!(lost.is_none(), "the answer should have been dropped");
    assert_eq!(
        authed(&sim, "GET", path, "").await.json()["status"],
        "deleting",
        "the delete went through although its answer was lost"
    );
    sim.shutdown().await;
}
