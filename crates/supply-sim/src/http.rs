//! The HTTP face of the simulator: the Supply API with its loopback-only
//! admin API, the k0rdent API, and an optional static console, each on its
//! own listener.
//!
//! Layers, outermost first: request log, CORS unless `--no-cors` (so every
//! answer, 401s and injected faults included, carries CORS headers and
//! preflights never need a token), then on API routes only: request counting, fault injection,
//! bearer auth.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, MatchedPath, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::cors::{Any, CorsLayer};

use crate::catalog;
use crate::clock::Clock;
use crate::console;
use crate::faults::{self, FaultKind, FaultRequest, FaultRule, Faults};
use crate::k0rdent_http::{self, K0rdentHttp};
use crate::tokens::{Api, Verdict};
use crate::{field_error, ApiError, ApiTime, Sim, SimConfig};

/// Requests counted per route, for tests that check what the console sent.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Stats {
    pub total: u64,
    pub by_route: BTreeMap<String, u64>,
}

pub struct Shared {
    pub sim: Mutex<Sim>,
    pub clock: Clock,
    pub faults: Mutex<Faults>,
    pub stats: Mutex<Stats>,
    sim_config: SimConfig,
    supply_tokens: Vec<String>,
    k0rdent_tokens: Vec<String>,
    /// The k0rdent API's error envelope and the JWTs issued for tests.
    pub k0rdent_http: K0rdentHttp,
    /// Milliseconds added to every valid `get_offers` answer, like a live
    /// vendor query.
    offers_latency_ms: AtomicU64,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

impl AppState {
    pub fn new(
        config: SimConfig,
        clock: Clock,
        supply_tokens: Vec<String>,
        k0rdent_tokens: Vec<String>,
        fault_rules: Vec<FaultRule>,
    ) -> Self {
        let mut faults = Faults::default();
        faults.set(fault_rules);
        Self(Arc::new(Shared {
            sim: Mutex::new(Sim::new(config.clone(), clock.now())),
            clock,
            faults: Mutex::new(faults),
            stats: Mutex::default(),
            sim_config: config,
            supply_tokens,
            k0rdent_tokens,
            k0rdent_http: K0rdentHttp::default(),
            offers_latency_ms: AtomicU64::new(0),
        }))
    }

    /// Delays every valid `get_offers` answer by `ms` from now on.
    pub fn set_offers_latency_ms(&self, ms: u64) {
        self.0.offers_latency_ms.store(ms, Ordering::Relaxed);
    }

    pub fn stats(&self) -> Stats {
        lock(&self.0.stats).clone()
    }
}

/// A poisoned lock only means a handler panicked mid-update; the data is
/// still the best we have.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `{"detail": text}`, FastAPI's error body.
pub(crate) fn detail(status: StatusCode, text: &str) -> Response {
    json_response(status, &json!({ "detail": text }))
}

fn error_response(error: &ApiError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    json_response(status, &error.body())
}

pub(crate) fn respond<T: Serialize>(result: Result<T, ApiError>) -> Response {
    match result {
        Ok(value) => json_response(StatusCode::OK, &value),
        Err(error) => error_response(&error),
    }
}

fn cors() -> CorsLayer {
    // `*` in Allow-Headers does not cover Authorization, so it is named.
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER, k0rdent_http::REQUEST_ID])
        .max_age(Duration::from_secs(600))
}

// ---- request log ----------------------------------------------------------

/// Marks a response whose answer a fault decided, for the log line.
#[derive(Clone, Copy)]
struct FaultTag(&'static str);

/// Where request log lines go.
#[derive(Debug, Clone, Default)]
pub enum LogSink {
    /// Nowhere.
    Quiet,
    /// Standard error, one line each.
    #[default]
    Stderr,
    /// Kept in memory, for tests that read what would have been logged.
    Memory(Arc<Mutex<Vec<String>>>),
}

impl LogSink {
    pub fn quiet_if(quiet: bool) -> Self {
        if quiet {
            Self::Quiet
        } else {
            Self::Stderr
        }
    }

    fn write(&self, line: String) {
        match self {
            Self::Quiet => {}
            Self::Stderr => eprintln!("{line}"),
            Self::Memory(lines) => lock(lines).push(line),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct LogTag {
    listener: &'static str,
    sink: LogSink,
}

impl LogTag {
    pub(crate) fn new(listener: &'static str, sink: LogSink) -> Self {
        Self { listener, sink }
    }
}

/// One request's log line: listener, method, path, status, time taken.
/// Only the path of `uri` is written, never its query, and no header is
/// ever given to it, so tokens stay out of the log.
pub fn log_line(
    listener: &str,
    method: &Method,
    uri: &Uri,
    status: StatusCode,
    elapsed: Duration,
    fault: Option<&str>,
) -> String {
    let fault = fault.map(|f| format!(" fault={f}")).unwrap_or_default();
    format!(
        "[{listener}] {method} {} {} {}ms{fault}",
        uri.path(),
        status.as_u16(),
        elapsed.as_millis()
    )
}

/// Writes one [`log_line`] per request.
pub(crate) async fn log_requests(
    State(tag): State<LogTag>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(tag.sink, LogSink::Quiet) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let uri = request.uri().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let fault = response.extensions().get::<FaultTag>().map(|tag| tag.0);
    tag.sink.write(log_line(
        tag.listener,
        &method,
        &uri,
        response.status(),
        started.elapsed(),
        fault,
    ));
    response
}

// ---- API middleware -------------------------------------------------------

async fn count_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or_else(
        || request.uri().path().to_owned(),
        |m| m.as_str().to_owned(),
    );
    let key = format!("{} {route}", request.method());
    {
        let mut stats = lock(&state.0.stats);
        stats.total += 1;
        *stats.by_route.entry(key).or_default() += 1;
    }
    next.run(request).await
}

/// A body that fails at once: hyper then aborts the connection instead of
/// finishing the response, which is what a dropped connection looks like
/// to a client. No panic is involved.
struct AbortBody;

impl http_body::Body for AbortBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault injection: drop",
        ))))
    }
}

async fn inject_faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let method = request.method().as_str().to_owned();
    let applied = lock(&state.0.faults).take(&method, &path);
    if applied.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(applied.latency_ms)).await;
    }
    let Some(rule) = applied.action else {
        return next.run(request).await;
    };
    let kind = rule.kind.unwrap_or(FaultKind::Status);
    let mut response = match kind {
        FaultKind::Status => {
            let code = rule.status.unwrap_or(503);
            let (body, retry_after) =
                faults::status_answer(code, request.method().as_str(), &path, rule.retry_after);
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut response = json_response(status, &body);
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            if code == 401 {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            response
        }
        FaultKind::Drop => Response::new(Body::new(AbortBody)),
        FaultKind::DropAfter => {
            // Served in full, so it took effect; the answer never arrives.
            let _served = next.run(request).await;
            Response::new(Body::new(AbortBody))
        }
        FaultKind::MalformedJson => {
            rewrite_success(next.run(request).await, faults::truncate).await
        }
        FaultKind::WrongTypes => rewrite_json(next.run(request).await, faults::wrong_types).await,
        FaultKind::HostileStrings => {
            rewrite_json(next.run(request).await, faults::hostile_strings).await
        }
        FaultKind::Huge => rewrite_json(next.run(request).await, faults::huge).await,
    };
    response.extensions_mut().insert(FaultTag(kind.as_str()));
    response
}

/// Rewrites a successful JSON answer as a value; anything else passes.
async fn rewrite_json(response: Response, change: fn(Value) -> Value) -> Response {
    rewrite_success(response, |bytes| {
        serde_json::from_slice::<Value>(bytes)
            .ok()
            .and_then(|value| serde_json::to_vec(&change(value)).ok())
            .unwrap_or_else(|| bytes.to_vec())
    })
    .await
}

/// Rewrites the body of a successful answer; errors pass unchanged.
async fn rewrite_success(response: Response, change: impl FnOnce(&[u8]) -> Vec<u8>) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::new(Body::new(AbortBody));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(change(&bytes)))
}

fn unauthorized(text: &str) -> Response {
    let mut response = detail(StatusCode::UNAUTHORIZED, text);
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// `Err` holds the 401's detail text.
fn check_bearer(tokens: &[String], headers: &HeaderMap) -> Result<(), &'static str> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err("Not authenticated");
    };
    let value = value.to_str().unwrap_or_default();
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            if tokens.iter().any(|accepted| accepted == token.trim()) {
                Ok(())
            } else {
                Err("Invalid or expired token")
            }
        }
        _ => Err("Not authenticated: use the Authorization header with the Bearer scheme"),
    }
}

/// The static tokens, or a JWT the admin API issued for this API and
/// whose `exp` has not passed on the simulated clock.
fn authorize(state: &AppState, api: Api, headers: &HeaderMap) -> Result<(), &'static str> {
    let tokens = match api {
        Api::Supply => &state.0.supply_tokens,
        Api::K0rdent => &state.0.k0rdent_tokens,
    };
    let refused = match check_bearer(tokens, headers) {
        Ok(()) => return Ok(()),
        Err(refused) => refused,
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let Some(token) = token else {
        return Err(refused);
    };
    let now = state.0.clock.now();
    match lock(&state.0.k0rdent_http.tokens).check(api, token, now) {
        Verdict::Valid => Ok(()),
        Verdict::Expired => Err("Token expired"),
        Verdict::Unknown => Err(refused),
    }
}

async fn supply_auth(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match authorize(&state, Api::Supply, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(text) => unauthorized(text),
    }
}

async fn k0rdent_auth(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match authorize(&state, Api::K0rdent, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(text) => unauthorized(text),
    }
}

pub(crate) async fn loopback_only(request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_canonical());
    if peer.is_some_and(|ip| ip.is_loopback()) {
        next.run(request).await
    } else {
        detail(
            StatusCode::FORBIDDEN,
            "The admin API answers loopback clients only",
        )
    }
}

async fn not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Not Found")
}

// ---- Supply API -----------------------------------------------------------

/// `POST /get_offers`: a YAML spec in, `{offers, total_count,
/// filters_applied}` out. A spec is checked at once; only a valid one waits
/// the offers latency, as the service queries its vendors only then.
async fn get_offers(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap_or("(not text)"));
    let query = match crate::spec::read_request(content_type, &body) {
        Ok(query) => query,
        Err(errors) => return error_response(&ApiError::Validation(errors)),
    };
    let latency = state.0.offers_latency_ms.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let now = state.0.clock.now();
    let answer = lock(&state.0.sim).get_offers(&query, now);
    let offers: Vec<Value> = answer
        .offers
        .iter()
        .map(|offer| catalog::offer_json(offer, catalog::LISTING_FIELDS))
        .collect();
    json_response(
        StatusCode::OK,
        &json!({
            "offers": offers,
            "total_count": answer.total_count,
            "filters_applied": answer.filters_applied,
        }),
    )
}

/// `GET /offers/{offer_id}`: `OfferDetails`.
async fn offer_details(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let now = state.0.clock.now();
    let result = lock(&state.0.sim).offer_details(&id, now);
    match result {
        Ok(offer) => json_response(
            StatusCode::OK,
            &catalog::offer_json(&offer, catalog::DETAILS_FIELDS),
        ),
        Err(error) => error_response(&error),
    }
}

async fn available_gpus() -> Response {
    json_response(StatusCode::OK, &catalog::available_gpus())
}

async fn available_vendors() -> Response {
    json_response(StatusCode::OK, &catalog::available_vendors())
}

async fn available_regions() -> Response {
    json_response(StatusCode::OK, &catalog::available_regions())
}

async fn available_contracts() -> Response {
    json_response(StatusCode::OK, &catalog::available_contracts())
}

async fn available_storage() -> Response {
    json_response(StatusCode::OK, &catalog::available_storage())
}

async fn procure_offer(State(state): State<AppState>, body: Bytes) -> Response {
    let now = state.0.clock.now();
    let result = lock(&state.0.sim).procure(&body, now);
    respond(result)
}

async fn offer_status(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let now = state.0.clock.now();
    let result = lock(&state.0.sim).offer_status(&id, now);
    respond(result)
}

/// `%xx` escapes and `+` in a query value, as a form decodes them.
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[at] {
            b'%' if at + 2 < bytes.len() => match (hex(bytes[at + 1]), hex(bytes[at + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    at += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The last value of query parameter `name`, decoded.
pub(crate) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query.unwrap_or_default().rsplit('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(key) == name).then(|| percent_decode(value))
    })
}

async fn list_resources(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let now = state.0.clock.now();
    let offer_id = query_value(query.as_deref(), "offer_id");
    let resources = lock(&state.0.sim).resources_of(offer_id.as_deref(), now);
    json_response(StatusCode::OK, &resources)
}

/// A boolean query parameter in FastAPI's spellings; `false` when absent.
fn parse_bool(query: Option<&str>, name: &str) -> Result<bool, ApiError> {
    let Some(value) = query_value(query, name) else {
        return Ok(false);
    };
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "t" | "y" => Ok(true),
        "false" | "0" | "no" | "off" | "f" | "n" => Ok(false),
        _ => Err(ApiError::Validation(vec![field_error(
            &["query", name],
            "Input should be a valid boolean, unable to interpret input",
            "bool_parsing",
        )])),
    }
}

fn parse_force_refresh(query: Option<&str>) -> Result<bool, ApiError> {
    parse_bool(query, "force_refresh")
}

async fn delete_resource(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let now = state.0.clock.now();
    let result = parse_bool(query.as_deref(), "force")
        .and_then(|force| lock(&state.0.sim).delete_resource(&id, force, now));
    respond(result)
}

async fn get_resource(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let now = state.0.clock.now();
    let result = parse_force_refresh(query.as_deref())
        .and_then(|force| lock(&state.0.sim).resource(&id, force, now));
    respond(result)
}

// ---- k0rdent API ----------------------------------------------------------

async fn k0rdent_instance(
    State(state): State<AppState>,
    Path((region, project, id)): Path<(String, String, String)>,
) -> Response {
    let now = state.0.clock.now();
    let result = lock(&state.0.sim).k0rdent_instance(&region, &project, &id, now);
    respond(result)
}

// ---- admin API ------------------------------------------------------------

fn faults_body(state: &AppState) -> Value {
    json!({ "faults": lock(&state.0.faults).rules() })
}

async fn get_faults(State(state): State<AppState>) -> Response {
    json_response(StatusCode::OK, &faults_body(&state))
}

/// One rule object, or a list of them; replaces the current rules.
async fn set_faults(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<FaultRequest>),
        One(FaultRequest),
    }
    let requests = match serde_json::from_slice::<OneOrMany>(&body) {
        Ok(OneOrMany::Many(list)) => list,
        Ok(OneOrMany::One(one)) => vec![one],
        Err(err) => {
            return detail(
                StatusCode::BAD_REQUEST,
                &format!("Expected a fault rule object or a list of them: {err}"),
            )
        }
    };
    let rules: Result<Vec<FaultRule>, String> =
        requests.into_iter().map(FaultRule::from_request).collect();
    match rules {
        Ok(rules) => {
            lock(&state.0.faults).set(rules);
            json_response(StatusCode::OK, &faults_body(&state))
        }
        Err(why) => detail(StatusCode::BAD_REQUEST, &why),
    }
}

async fn clear_faults(State(state): State<AppState>) -> Response {
    lock(&state.0.faults).clear();
    json_response(StatusCode::OK, &faults_body(&state))
}

async fn get_stats(State(state): State<AppState>) -> Response {
    json_response(StatusCode::OK, &state.stats())
}

async fn reset_stats(State(state): State<AppState>) -> Response {
    *lock(&state.0.stats) = Stats::default();
    json_response(StatusCode::OK, &state.stats())
}

fn clock_body(state: &AppState) -> Value {
    let clock = &state.0.clock;
    json!({
        "now": ApiTime::from_datetime(clock.now()),
        "started_at": ApiTime::from_datetime(lock(&state.0.sim).start()),
        "time_scale": clock.time_scale(),
        "advanced_secs": clock.advanced_ms() as f64 / 1000.0,
    })
}

async fn get_clock(State(state): State<AppState>) -> Response {
    json_response(StatusCode::OK, &clock_body(&state))
}

async fn advance_clock(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    struct Advance {
        advance_secs: f64,
    }
    match serde_json::from_slice::<Advance>(&body) {
        Ok(Advance { advance_secs }) if advance_secs.is_finite() && advance_secs >= 0.0 => {
            state.0.clock.advance(advance_secs);
            json_response(StatusCode::OK, &clock_body(&state))
        }
        Ok(_) => detail(
            StatusCode::BAD_REQUEST,
            "advance_secs must be a non-negative number: time only moves forward",
        ),
        Err(err) => detail(
            StatusCode::BAD_REQUEST,
            &format!("Expected {{\"advance_secs\": <seconds>}}: {err}"),
        ),
    }
}

async fn fail_next(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize, Default)]
    struct FailNext {
        #[serde(default)]
        reason: Option<String>,
        /// `true`: the `procure_offer` answer itself says `failed`, rather
        /// than provisioning failing later.
        #[serde(default)]
        immediately: bool,
    }
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        FailNext::default()
    } else {
        match serde_json::from_slice::<FailNext>(&body) {
            Ok(request) => request,
            Err(err) => {
                return detail(
                    StatusCode::BAD_REQUEST,
                    &format!("Expected {{\"reason\": \"...\"}}: {err}"),
                )
            }
        }
    };
    let mut sim = lock(&state.0.sim);
    if request.immediately {
        let reason = request
            .reason
            .clone()
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| "The vendor refused the order".to_owned());
        sim.refuse_next(reason);
    } else {
        sim.fail_next(request.reason.clone());
    }
    json_response(
        StatusCode::OK,
        &json!({ "fail_next": true, "reason": request.reason, "immediately": request.immediately }),
    )
}

/// A fresh world at the current simulated time: catalog, procurements and
/// resources as at start; faults, stats and fail-next cleared.
async fn reset(State(state): State<AppState>) -> Response {
    let start = state.0.clock.now().trunc_subsecs(0);
    *lock(&state.0.sim) = Sim::new(state.0.sim_config.clone(), start);
    lock(&state.0.faults).clear();
    *lock(&state.0.stats) = Stats::default();
    state.0.k0rdent_http.reset();
    json_response(StatusCode::OK, &clock_body(&state))
}

// ---- routers --------------------------------------------------------------

/// Adds the permissive CORS layer unless `cors` is false (`--no-cors`: a
/// console on another origin then cannot read any answer).
fn with_cors(router: Router<AppState>, cors_on: bool) -> Router<AppState> {
    if cors_on {
        router.layer(cors())
    } else {
        router
    }
}

pub fn supply_router(state: AppState, quiet: bool, cors_on: bool) -> Router {
    let api = Router::new()
        .route("/get_offers", post(get_offers))
        .route("/procure_offer", post(procure_offer))
        .route("/offers/{id}", get(offer_details))
        .route("/offers/{id}/status", get(offer_status))
        .route("/available_gpus", get(available_gpus))
        .route("/available_vendors", get(available_vendors))
        .route("/available_regions", get(available_regions))
        .route("/available_contracts", get(available_contracts))
        .route("/available_storage", get(available_storage))
        .route("/resources", get(list_resources))
        .route("/resources/{id}", get(get_resource).delete(delete_resource))
        .route_layer(middleware::from_fn_with_state(state.clone(), supply_auth))
        .route_layer(middleware::from_fn_with_state(state.clone(), inject_faults))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ));
    let admin = Router::new()
        .route(
            "/__admin/faults",
            get(get_faults).post(set_faults).delete(clear_faults),
        )
        .route("/__admin/stats", get(get_stats))
        .route("/__admin/reset-stats", post(reset_stats))
        .route("/__admin/clock", get(get_clock).post(advance_clock))
        .route("/__admin/fail-next", post(fail_next))
        .route("/__admin/reset", post(reset))
        .route_layer(middleware::from_fn(loopback_only));
    let routes = api
        .merge(admin)
        .merge(k0rdent_http::admin_routes())
        .fallback(not_found);
    with_cors(routes, cors_on)
        .layer(middleware::from_fn_with_state(
            LogTag::new("supply", LogSink::quiet_if(quiet)),
            log_requests,
        ))
        .with_state(state)
}

pub fn k0rdent_router(state: AppState, quiet: bool, cors_on: bool) -> Router {
    let routes = Router::new()
        .route(
            "/v1/regions/global/projects",
            get(k0rdent_http::list_projects),
        )
        .route(
            "/v1/regions/{region}/projects/{project}/compute/instances",
            get(k0rdent_http::list_instances),
        )
        .route(
            "/v1/regions/{region}/projects/{project}/compute/instances/{id}",
            get(k0rdent_instance),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), k0rdent_auth))
        .route_layer(middleware::from_fn_with_state(state.clone(), inject_faults))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            k0rdent_http::envelope_errors,
        ));
    with_cors(routes, cors_on)
        .layer(middleware::from_fn_with_state(
            LogTag::new("k0rdent", LogSink::quiet_if(quiet)),
            log_requests,
        ))
        .with_state(state)
}

/// Where the console's `config.json` points.
#[derive(Debug, Clone, Copy)]
pub struct ApiAddrs {
    pub supply: SocketAddr,
    pub k0rdent: SocketAddr,
}

/// The URL a browser that reached the console as `host` uses for `addr`:
/// a wildcard bind address is no URL a browser can use, so it names the
/// host the browser used instead.
fn origin_for(addr: SocketAddr, host: &str) -> String {
    if addr.ip().is_unspecified() {
        let host = if host.is_empty() { "127.0.0.1" } else { host };
        format!("http://{host}:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

/// The console `dir` beside the simulated APIs: its `config.json` names
/// them and offers the first accepted tokens for a one-click demo sign-in.
pub fn ui_router(dir: PathBuf, addrs: ApiAddrs, demo: Demo, quiet: bool) -> Router {
    let site = console::Site::new(move |host| {
        let supply = origin_for(addrs.supply, host);
        let k0rdent = origin_for(addrs.k0rdent, host);
        console::SiteView {
            config: json!({
                "api_base_url": supply,
                "k0rdent_base_url": k0rdent,
                "demo": {
                    "supply_token": demo.supply_token,
                    "k0rdent_token": demo.k0rdent_token,
                },
            }),
            connect: vec![supply, k0rdent],
        }
    });
    console::router(dir, site).layer(middleware::from_fn_with_state(
        LogTag::new("console", LogSink::quiet_if(quiet)),
        log_requests,
    ))
}

/// The tokens the simulator's `config.json` offers for a demo sign-in.
#[derive(Debug, Clone)]
pub struct Demo {
    pub supply_token: String,
    pub k0rdent_token: String,
}

// ---- start and stop -------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Options {
    pub host: IpAddr,
    pub port: u16,
    pub k0rdent_port: u16,
    pub supply_tokens: Vec<String>,
    pub k0rdent_tokens: Vec<String>,
    /// The k0rdent API's error envelope at start (and after a reset).
    pub k0rdent_errors: k0rdent_http::Envelope,
    pub sim: SimConfig,
    pub time_scale: f64,
    pub faults: Vec<FaultRule>,
    /// Delay of every valid `get_offers` answer, like a live vendor query.
    pub offers_latency_ms: u64,
    pub ui_dir: Option<PathBuf>,
    pub ui_port: u16,
    /// No per-request log lines.
    pub quiet: bool,
    /// No CORS headers on the API listeners (`--no-cors`), so a console on
    /// another origin fails as it would against a service that allows no
    /// browser origins.
    pub no_cors: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 8787,
            k0rdent_port: 8788,
            supply_tokens: vec!["demo-token".to_owned()],
            k0rdent_tokens: vec!["k0rdent-demo-token".to_owned()],
            k0rdent_errors: k0rdent_http::Envelope::Spec,
            sim: SimConfig::default(),
            time_scale: 1.0,
            faults: Vec::new(),
            offers_latency_ms: 0,
            ui_dir: None,
            ui_port: 8080,
            quiet: false,
            no_cors: false,
        }
    }
}

/// The running listeners. Dropping it stops them too.
pub struct Running {
    pub supply: SocketAddr,
    pub k0rdent: SocketAddr,
    pub ui: Option<SocketAddr>,
    pub state: AppState,
    shutdown: watch::Sender<()>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets in-flight requests finish, and waits.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

pub(crate) fn serve(
    listener: TcpListener,
    router: Router,
    mut stop: watch::Receiver<()>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let _ = axum::serve(listener, service)
            .with_graceful_shutdown(async move {
                // A dropped sender also means stop.
                let _ = stop.changed().await;
            })
            .await;
    })
}

/// Waits for Ctrl-C (or SIGTERM on unix).
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs `shutdown` once a stop signal comes, giving keep-alive connections
/// five seconds; `name` prefixes the messages.
pub async fn run_until_stopped(name: &str, shutdown: impl std::future::Future<Output = ()>) {
    stop_signal().await;
    eprintln!("{name}: stopping");
    if tokio::time::timeout(Duration::from_secs(5), shutdown)
        .await
        .is_err()
    {
        eprintln!("{name}: connections still open after 5 s; exiting anyway");
    }
}

pub async fn start(options: Options) -> std::io::Result<Running> {
    if let Some(dir) = &options.ui_dir {
        console::check_dir("--ui-dir", dir)?;
    }
    let supply_listener = TcpListener::bind((options.host, options.port)).await?;
    let k0rdent_listener = TcpListener::bind((options.host, options.k0rdent_port)).await?;
    let ui_listener = match &options.ui_dir {
        Some(_) => Some(TcpListener::bind((options.host, options.ui_port)).await?),
        None => None,
    };
    let addrs = ApiAddrs {
        supply: supply_listener.local_addr()?,
        k0rdent: k0rdent_listener.local_addr()?,
    };
    let ui = ui_listener
        .as_ref()
        .map(TcpListener::local_addr)
        .transpose()?;
    let state = AppState::new(
        options.sim.clone(),
        Clock::starting_at(Utc::now().trunc_subsecs(0), options.time_scale),
        options.supply_tokens.clone(),
        options.k0rdent_tokens.clone(),
        options.faults.clone(),
    );
    state.set_offers_latency_ms(options.offers_latency_ms);
    state
        .0
        .k0rdent_http
        .set_default_envelope(options.k0rdent_errors);
    let (shutdown, stop) = watch::channel(());
    let mut tasks = vec![
        serve(
            supply_listener,
            supply_router(state.clone(), options.quiet, !options.no_cors),
            stop.clone(),
        ),
        serve(
            k0rdent_listener,
            k0rdent_router(state.clone(), options.quiet, !options.no_cors),
            stop.clone(),
        ),
    ];
    if let (Some(listener), Some(dir)) = (ui_listener, options.ui_dir.clone()) {
        let demo = Demo {
            supply_token: options.supply_tokens.first().cloned().unwrap_or_default(),
            k0rdent_token: options.k0rdent_tokens.first().cloned().unwrap_or_default(),
        };
        tasks.push(serve(
            listener,
            ui_router(dir, addrs, demo, options.quiet),
            stop,
        ));
    }
    Ok(Running {
        supply: addrs.supply,
        k0rdent: addrs.k0rdent,
        ui,
        state,
        shutdown,
        tasks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(
            query_value(Some("a=1&offer_id=x%2Fy+z&b"), "offer_id").as_deref(),
            Some("x/y z")
        );
        assert_eq!(
            query_value(Some("offer_id=%zz%4"), "offer_id").as_deref(),
            Some("%zz%4")
        );
        assert_eq!(query_value(Some("force"), "force").as_deref(), Some(""));
        assert_eq!(query_value(None, "force"), None);
        assert!(parse_bool(Some("force"), "force").is_err());
        assert_eq!(parse_bool(Some("force=TRUE"), "force"), Ok(true));
    }

    #[test]
    fn force_refresh_reads_fastapi_booleans() {
        assert_eq!(parse_force_refresh(None), Ok(false));
        assert_eq!(parse_force_refresh(Some("force_refresh=true")), Ok(true));
        assert_eq!(parse_force_refresh(Some("x=1&force_refresh=1")), Ok(true));
        assert_eq!(parse_force_refresh(Some("force_refresh=off")), Ok(false));
        assert!(parse_force_refresh(Some("force_refresh=maybe")).is_err());
    }

    #[test]
    fn log_lines_hold_the_path_but_not_the_query() {
        let uri: Uri = "/supply-api/resources?token=secret&x=1".parse().unwrap();
        let line = log_line(
            "console",
            &Method::DELETE,
            &uri,
            StatusCode::BAD_GATEWAY,
            Duration::from_millis(12),
            None,
        );
        assert_eq!(line, "[console] DELETE /supply-api/resources 502 12ms");
        let line = log_line(
            "supply",
            &Method::GET,
            &"/resources".parse().unwrap(),
            StatusCode::OK,
            Duration::ZERO,
            Some("drop"),
        );
        assert_eq!(line, "[supply] GET /resources 200 0ms fault=drop");
    }

    async fn admin_from(peer: &str) -> StatusCode {
        use tower::ServiceExt;
        let state = AppState::new(
            SimConfig { seed: 1, offers: 5 },
            Clock::new(1.0),
            vec!["t".into()],
            vec!["k".into()],
            Vec::new(),
        );
        let mut request = Request::builder()
            .uri("/__admin/stats")
            .body(Body::empty())
            .unwrap();
        let addr: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        let response = supply_router(state, true, true)
            .oneshot(request)
            .await
            .unwrap();
        response.status()
    }

    #[tokio::test]
    async fn the_admin_api_answers_loopback_peers_only() {
        assert_eq!(admin_from("127.0.0.1:5000").await, StatusCode::OK);
        assert_eq!(admin_from("[::1]:5000").await, StatusCode::OK);
        assert_eq!(admin_from("[::ffff:127.0.0.1]:5000").await, StatusCode::OK);
        assert_eq!(admin_from("192.0.2.7:5000").await, StatusCode::FORBIDDEN);
        assert_eq!(
            admin_from("[2001:db8::1]:5000").await,
            StatusCode::FORBIDDEN
        );
    }
}
