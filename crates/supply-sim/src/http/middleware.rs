//! The layers around the API routes: the request log, CORS, request
//! counting, fault injection (with its body rewrites) and bearer auth, and
//! the loopback-only guard of the admin API.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use serde_json::Value;
use tower_http::cors::{Any, CorsLayer};

use super::k0rdent::REQUEST_ID;
use super::{detail, json_response, lock, AppState};
use crate::faults::{self, FaultKind};
use crate::tokens::{Api, Verdict};

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

// ---- CORS -----------------------------------------------------------------

fn cors() -> CorsLayer {
    // `*` in Allow-Headers does not cover Authorization, so it is named.
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER, REQUEST_ID])
        .max_age(Duration::from_secs(600))
}

/// Adds the permissive CORS layer unless `cors` is false (`--no-cors`: a
/// console on another origin then cannot read any answer).
pub(super) fn with_cors(router: Router<AppState>, cors_on: bool) -> Router<AppState> {
    if cors_on {
        router.layer(cors())
    } else {
        router
    }
}

// ---- API middleware -------------------------------------------------------

pub(super) async fn count_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
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

pub(super) async fn inject_faults(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
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

pub(super) async fn supply_auth(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match authorize(&state, Api::Supply, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(text) => unauthorized(text),
    }
}

pub(super) async fn k0rdent_auth(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match authorize(&state, Api::K0rdent, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(text) => unauthorized(text),
    }
}

pub(super) async fn loopback_only(request: Request, next: Next) -> Response {
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

pub(super) async fn not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Not Found")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
