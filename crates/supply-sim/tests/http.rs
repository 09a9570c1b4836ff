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

async fn admin(sim: &Running, method: &str, path: &str, body: &str) -> Reply {
    send(sim.supply, method, path, &[], body).await
}

async fn start(ui_dir: Option<std::path::PathBuf>) -> Running {
    http::start(Options {
        port: 0,
        k0rdent_port: 0,
        ui_port: 0,
        ui_dir,
        sim: SimConfig {
            seed: 42,
            offers: 60,
        },
        quiet: true,
        ..Options::default()
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

    let offers = authed(&sim, "POST", "/get_offers", "").await;
    assert_eq!(offers.json().as_array().unwrap().len(), 60);
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
        let reply = authed(&sim, "POST", "/get_offers", "{}").await;
        assert_eq!(reply.status, 503);
        assert!(reply.json()["detail"].is_string());
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    }
    assert_eq!(authed(&sim, "POST", "/get_offers", "{}").await.status, 200);

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
    let broken = authed(&sim, "POST", "/get_offers", "{}").await;
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
    let odd = authed(&sim, "POST", "/get_offers", "{}").await;
    assert_eq!(odd.status, 200);
    assert!(odd.json()[0]["gpu_count"].is_string());
    assert!(supply_model::decode_offers(&odd.body).is_err());

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
    let offers = authed(&sim, "POST", "/get_offers", r#"{"offer_type": "vm"}"#)
        .await
        .json();
    let offer = offers
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["available"] == json!(true))
        .unwrap()
        .clone();
    admin(&sim, "POST", "/__admin/reset-stats", "").await;
    let body =
        json!({"offer_id": offer["offer_id"], "ssh_public_key": "ssh-ed25519 AAAA me"}).to_string();
    let first = authed(&sim, "POST", "/procure_offer", &body).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.json()["status"], "provisioning_in_progress");
    let path = format!("/offers/{}/status", offer["offer_id"].as_str().unwrap());
    let status = authed(&sim, "GET", &path, "").await;
    assert_eq!(status.json()["procurement_status"], "provisioning_started");
    let stats = admin(&sim, "GET", "/__admin/stats", "").await.json();
    assert_eq!(stats["total"], 2);
    assert_eq!(stats["by_route"]["POST /procure_offer"], 1);
    assert_eq!(stats["by_route"]["GET /offers/{id}/status"], 1);
    assert_eq!(
        authed(&sim, "POST", "/procure_offer", &body).await.status,
        409
    );

    // After the clock passes the 30-minute lifetime, old offers are gone.
    admin(&sim, "POST", "/__admin/clock", r#"{"advance_secs": 1800}"#).await;
    let old = offers
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["offer_id"] != offer["offer_id"])
        .unwrap();
    let body =
        json!({"offer_id": old["offer_id"], "ssh_public_key": "ssh-ed25519 AAAA me"}).to_string();
    let gone = authed(&sim, "POST", "/procure_offer", &body).await;
    assert_eq!(gone.status, 410);
    assert!(gone.json()["detail"]
        .as_str()
        .unwrap()
        .contains("expired at"));
    let status = authed(&sim, "GET", &path, "").await.json();
    assert_eq!(status["procurement_status"], "ready");
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
