//! `supply-console` over real sockets: the console files and config.json,
//! and the `--proxy` mode against in-process stub upstreams on loopback
//! that record what reached them.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use supply_sim::console_server::{self, RunningConsole, ServerOptions};
use supply_sim::http::{self as sim_http, LogSink, Options};
use supply_sim::proxy::{Limits, Upstream};
use supply_sim::SimConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LOOPBACK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

/// One request as a stub upstream saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Clone, Default)]
struct Stub {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Answer only after this long.
    delay: Duration,
}

impl Stub {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Records the request and answers 201 with headers the proxy must pass
/// (`X-Request-Id`, `Retry-After`) and must not (`Set-Cookie`, another).
async fn record(State(stub): State<Stub>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    stub.seen.lock().unwrap().push(Seen {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
    });
    tokio::time::sleep(stub.delay).await;
    (
        StatusCode::CREATED,
        [
            ("content-type", "application/json"),
            ("x-request-id", "req-123"),
            ("retry-after", "7"),
            ("set-cookie", "session=upstream-secret; HttpOnly"),
            ("x-internal", "upstream-only"),
        ],
        r#"{"ok":true}"#,
    )
        .into_response()
}

async fn start_stub(delay: Duration) -> (SocketAddr, Stub) {
    let stub = Stub {
        delay,
        ..Stub::default()
    };
    let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().fallback(record).with_state(stub.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, stub)
}

/// A console directory with an index.html, unique per test.
fn ui_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("supply-console-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    dir
}

fn options(name: &str, supply: &str, k0rdent: Option<&str>, proxy: bool) -> ServerOptions {
    ServerOptions {
        host: LOOPBACK,
        port: 0,
        ui_dir: ui_dir(name),
        supply: Upstream::parse(supply).unwrap(),
        k0rdent: k0rdent.map(|url| Upstream::parse(url).unwrap()),
        proxy,
        limits: Limits::default(),
        log: LogSink::Quiet,
    }
}

async fn start(options: ServerOptions) -> RunningConsole {
    console_server::start(options).await.expect("console binds")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

fn url(console: &RunningConsole, path: &str) -> String {
    format!("http://{}{path}", console.addr)
}

async fn json(response: reqwest::Response) -> Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{err}: {text}"))
}

async fn get_json(console: &RunningConsole, path: &str) -> (StatusCode, Value) {
    let response = client().get(url(console, path)).send().await.unwrap();
    let status = response.status();
    (status, json(response).await)
}

#[tokio::test]
async fn only_the_allowed_headers_reach_the_upstream_and_come_back() {
    let (addr, stub) = start_stub(Duration::ZERO).await;
    let console = start(options("headers", &format!("http://{addr}"), None, true)).await;
    let response = client()
        .post(url(
            &console,
            "/supply-api/get_offers?force_refresh=true&x=a%2Fb",
        ))
        .header("Authorization", "Bearer the-token")
        .header("Content-Type", "application/yaml")
        .header("Accept", "application/json")
        .header("Cookie", "console=browser-secret")
        .header("Origin", "http://evil.example")
        .header("Referer", "http://evil.example/page")
        .header("X-Forwarded-For", "203.0.113.9")
        .header("X-Custom", "custom")
        .body("compute:\n  gpu_count: 1\n")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let headers = response.headers().clone();
    assert_eq!(headers["x-request-id"], "req-123");
    assert_eq!(headers["retry-after"], "7");
    assert_eq!(headers["content-type"], "application/json");
    assert!(headers.get("set-cookie").is_none());
    assert!(headers.get("x-internal").is_none());
    assert_eq!(response.text().await.unwrap(), r#"{"ok":true}"#);

    let seen = stub.seen();
    assert_eq!(seen.len(), 1);
    let seen = &seen[0];
    assert_eq!(seen.method, Method::POST);
    assert_eq!(seen.path, "/get_offers");
    assert_eq!(seen.query.as_deref(), Some("force_refresh=true&x=a%2Fb"));
    assert_eq!(seen.header("authorization"), Some("Bearer the-token"));
    assert_eq!(seen.header("content-type"), Some("application/yaml"));
    assert_eq!(seen.header("accept"), Some("application/json"));
    assert_eq!(seen.header("host"), Some(addr.to_string().as_str()));
    assert_eq!(seen.body, "compute:\n  gpu_count: 1\n");
    for name in [
        "cookie",
        "origin",
        "referer",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "forwarded",
        "x-custom",
        "user-agent",
    ] {
        assert!(seen.headers.get(name).is_none(), "{name} was forwarded");
    }
    console.shutdown().await;
}

#[tokio::test]
async fn each_prefix_reaches_only_its_own_upstream_under_its_base_path() {
    let (supply_addr, supply) = start_stub(Duration::ZERO).await;
    let (k0rdent_addr, k0rdent) = start_stub(Duration::ZERO).await;
    let console = start(options(
        "prefixes",
        &format!("http://{supply_addr}/base/v1/"),
        Some(&format!("http://{k0rdent_addr}")),
        true,
    ))
    .await;
    let http = client();
    let to_supply = http
        .delete(url(&console, "/supply-api/resources/r-1?force=true"))
        .header("Authorization", "Bearer supply-token")
        .send()
        .await
        .unwrap();
    assert_eq!(to_supply.status(), StatusCode::CREATED);
    let to_k0rdent = http
        .get(url(&console, "/k0rdent-api/v1/regions/global/projects"))
        .header("Authorization", "Bearer k0rdent-token")
        .send()
        .await
        .unwrap();
    assert_eq!(to_k0rdent.status(), StatusCode::CREATED);
    // Other paths are the console's own and are never forwarded.
    for path in [
        "/resources",
        "/api/supply-api/x",
        "/supply-apix",
        "/config.json",
    ] {
        let other = http
            .get(url(&console, path))
            .header("Authorization", "Bearer supply-token")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::OK, "{path}");
    }

    let supply = supply.seen();
    assert_eq!(supply.len(), 1, "{supply:?}");
    assert_eq!(supply[0].method, Method::DELETE);
    assert_eq!(supply[0].path, "/base/v1/resources/r-1");
    assert_eq!(supply[0].query.as_deref(), Some("force=true"));
    assert_eq!(
        supply[0].header("authorization"),
        Some("Bearer supply-token")
    );
    let k0rdent = k0rdent.seen();
    assert_eq!(k0rdent.len(), 1, "{k0rdent:?}");
    assert_eq!(k0rdent[0].path, "/v1/regions/global/projects");
    assert_eq!(
        k0rdent[0].header("authorization"),
        Some("Bearer k0rdent-token")
    );
    console.shutdown().await;
}

#[tokio::test]
async fn paths_that_climb_out_of_the_prefix_are_refused() {
    let (addr, stub) = start_stub(Duration::ZERO).await;
    let console = start(options("climb", &format!("http://{addr}/api"), None, true)).await;
    for path in ["/supply-api/../admin", "/supply-api/%2e%2E/admin"] {
        // A raw request: an HTTP client would resolve the dots itself.
        let mut stream = TcpStream::connect(console.addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
    }
    assert!(stub.seen().is_empty());
    console.shutdown().await;
}

#[tokio::test]
async fn without_a_k0rdent_upstream_its_prefix_forwards_nothing() {
    let (addr, stub) = start_stub(Duration::ZERO).await;
    let console = start(options("no-k0rdent", &format!("http://{addr}"), None, true)).await;
    let (status, body) = get_json(&console, "/k0rdent-api/v1/regions/global/projects").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["detail"].as_str().unwrap().contains("k0rdent"));
    assert!(stub.seen().is_empty());
    let (_, config) = get_json(&console, "/config.json").await;
    assert_eq!(config, json!({ "api_base_url": "/supply-api" }));
    console.shutdown().await;
}

/// A loopback port with nothing listening on it.
async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_502_naming_its_origin_only() {
    let dead = closed_port().await;
    let console = start(options("dead", &format!("http://{dead}/api"), None, true)).await;
    let response = client()
        .get(url(&console, "/supply-api/resources?token=query-secret"))
        .header("Authorization", "Bearer header-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = json(response).await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("http://{dead}")), "{detail}");
    assert!(!detail.contains("secret"), "{detail}");
    assert!(!detail.contains("/resources"), "{detail}");
    assert_eq!(body.as_object().unwrap().len(), 1);
    console.shutdown().await;
}

#[tokio::test]
async fn a_slow_upstream_is_a_504() {
    let (addr, _stub) = start_stub(Duration::from_secs(3)).await;
    let mut slow = options("slow", &format!("http://{addr}"), None, true);
    slow.limits.timeout = Duration::from_millis(300);
    let console = start(slow).await;
    let (status, body) = get_json(&console, "/supply-api/available_gpus").await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert!(body["detail"].as_str().unwrap().contains("did not answer"));
    console.shutdown().await;
}

#[tokio::test]
async fn request_bodies_are_bounded() {
    let (addr, stub) = start_stub(Duration::ZERO).await;
    let console = start(options("body", &format!("http://{addr}"), None, true)).await;
    let big = vec![b'x'; Limits::default().request_body + 1];
    let response = client()
        .post(url(&console, "/supply-api/get_offers"))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(stub.seen().is_empty());
    console.shutdown().await;
}

fn connect_src(policy: &str) -> &str {
    policy
        .split(';')
        .map(str::trim)
        .find(|part| part.starts_with("connect-src"))
        .unwrap()
}

#[tokio::test]
async fn config_and_policy_name_the_upstreams_or_this_origin() {
    let direct = start(options(
        "direct",
        "https://supply.example.com/v1",
        Some("https://k0rdent.example.com:8443"),
        false,
    ))
    .await;
    let (_, config) = get_json(&direct, "/config.json").await;
    assert_eq!(
        config,
        json!({
            "api_base_url": "https://supply.example.com/v1",
            "k0rdent_base_url": "https://k0rdent.example.com:8443",
        })
    );
    let index = client().get(url(&direct, "/")).send().await.unwrap();
    let policy = index.headers()["content-security-policy"].to_str().unwrap();
    assert_eq!(
        connect_src(policy),
        "connect-src 'self' https://supply.example.com https://k0rdent.example.com:8443"
    );
    // Without --proxy nothing is forwarded: the prefix is a console path.
    let page = client()
        .get(url(&direct, "/supply-api/resources"))
        .send()
        .await
        .unwrap();
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("<title>console</title>"));
    direct.shutdown().await;

    let proxied = start(options(
        "proxied",
        "https://supply.example.com",
        Some("https://k0rdent.example.com"),
        true,
    ))
    .await;
    let config = client()
        .get(url(&proxied, "/config.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(config.headers()["cache-control"], "no-cache");
    let config = json(config).await;
    assert_eq!(
        config,
        json!({ "api_base_url": "/supply-api", "k0rdent_base_url": "/k0rdent-api" })
    );
    assert!(config.get("demo").is_none());
    let deep = client()
        .get(url(&proxied, "/resources/abc"))
        .send()
        .await
        .unwrap();
    let policy = deep.headers()["content-security-policy"].to_str().unwrap();
    assert_eq!(connect_src(policy), "connect-src 'self'");
    assert!(deep
        .text()
        .await
        .unwrap()
        .contains("<title>console</title>"));
    proxied.shutdown().await;
}

#[tokio::test]
async fn log_lines_carry_no_token_and_no_query() {
    let (addr, _stub) = start_stub(Duration::ZERO).await;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let mut logged = options("log", &format!("http://{addr}"), None, true);
    logged.log = LogSink::Memory(lines.clone());
    let console = start(logged).await;
    let response = client()
        .get(url(&console, "/supply-api/resources?token=query-secret"))
        .header("Authorization", "Bearer header-secret")
        .header("Cookie", "c=cookie-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert!(
        line.starts_with("[console] GET /supply-api/resources 201 "),
        "{line}"
    );
    assert!(line.ends_with("ms"), "{line}");
    assert!(!line.contains("secret"), "{line}");
    assert!(!line.contains('?'), "{line}");
    console.shutdown().await;
}

/// The simulator without CORS stands in for a service that allows no
/// browser origin: a cross-origin console gets no CORS grant from it, and
/// the same calls work through the proxy.
#[tokio::test]
async fn a_service_without_cors_works_through_the_proxy() {
    let sim = sim_http::start(Options {
        port: 0,
        k0rdent_port: 0,
        sim: SimConfig {
            seed: 7,
            offers: 20,
        },
        quiet: true,
        no_cors: true,
        ..Options::default()
    })
    .await
    .unwrap();
    let http = client();
    let cross = http
        .get(format!("http://{}/available_gpus", sim.supply))
        .header("Origin", "http://127.0.0.1:8080")
        .header("Authorization", "Bearer demo-token")
        .send()
        .await
        .unwrap();
    assert!(cross.headers().get("access-control-allow-origin").is_none());
    let preflight = http
        .request(Method::OPTIONS, format!("http://{}/resources", sim.supply))
        .header("Origin", "http://127.0.0.1:8080")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(preflight
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let console = start(options(
        "sim",
        &format!("http://{}", sim.supply),
        Some(&format!("http://{}", sim.k0rdent)),
        true,
    ))
    .await;
    let gpus = http
        .get(url(&console, "/supply-api/available_gpus"))
        .header("Authorization", "Bearer demo-token")
        .send()
        .await
        .unwrap();
    assert_eq!(gpus.status(), StatusCode::OK);
    let resources = http
        .get(url(&console, "/supply-api/resources"))
        .send()
        .await
        .unwrap();
    assert_eq!(resources.status(), StatusCode::UNAUTHORIZED);
    let projects = http
        .get(url(&console, "/k0rdent-api/v1/regions/global/projects"))
        .header("Authorization", "Bearer k0rdent-demo-token")
        .send()
        .await
        .unwrap();
    assert_eq!(projects.status(), StatusCode::OK);
    assert!(json(projects).await.is_object());
    console.shutdown().await;
    sim.shutdown().await;
}

/// Runs the binary with `args` and no URL in the environment.
fn run_binary(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_supply-console"))
        .args(args)
        .env_remove("SUPPLY_API_URL")
        .env_remove("K0RDENT_API_URL")
        .output()
        .unwrap()
}

#[test]
fn bad_urls_are_refused_with_exit_code_2() {
    let dir = ui_dir("cli");
    let dir = dir.to_str().unwrap();
    for (args, says) in [
        (
            vec!["--supply-url", "ftp://supply.example.com"],
            "not http or https",
        ),
        (
            vec!["--supply-url", "https://u:p@supply.example.com"],
            "credentials",
        ),
        (
            vec!["--supply-url", "https://supply.example.com?a=1"],
            "query",
        ),
        (vec!["--supply-url", "supply.example.com"], "absolute URL"),
        (
            vec![
                "--supply-url",
                "https://s.example",
                "--k0rdent-url",
                "gopher://k",
            ],
            "not http or https",
        ),
        (vec![], "--supply-url"),
    ] {
        let mut args = args;
        args.extend(["--ui-dir", dir, "--port", "0"]);
        let out = run_binary(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let missing = run_binary(&[
        "--supply-url",
        "https://s.example",
        "--ui-dir",
        "no-such-console-dir",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no index.html"));
}
