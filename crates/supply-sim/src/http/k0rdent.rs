//! The k0rdent API: its router, the instance and the project and
//! instance lists, its error envelopes (the spec's or the docs site's,
//! switchable), and the admin switches of both (envelope, JWT issuing).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::middleware::{
    count_requests, inject_faults, k0rdent_auth, log_requests, loopback_only, not_found, with_cors,
    LogSink, LogTag,
};
use super::supply::query_value;
use super::{json_response, lock, respond, AppState};
use crate::k0rdent::parse_page_size;
use crate::tokens::{Api, MAX_LIFETIME_SECS};
use crate::ApiTime;

/// `X-Request-Id`, which the docs site says carries the request id too.
pub(super) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Which published error body the k0rdent API answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Envelope {
    /// The OpenAPI spec's `{"error": {"code": 404, "message", "details"}}`.
    Spec,
    /// The docs site's `{"success": false, "error": {"code": "NOT_FOUND",
    /// …}, "meta": {"requestId", "timestamp"}}`, and `X-Request-Id`.
    Docs,
}

impl Envelope {
    pub fn parse_cli(raw: &str) -> Result<Self, String> {
        match raw {
            "spec" => Ok(Self::Spec),
            "docs" => Ok(Self::Docs),
            other => Err(format!("{other:?}: expected spec or docs")),
        }
    }
}

/// The k0rdent API's switches, shared by its handlers.
#[derive(Debug)]
pub struct K0rdentHttp {
    /// (current, the one a reset goes back to)
    envelope: Mutex<(Envelope, Envelope)>,
    pub tokens: Mutex<crate::tokens::Tokens>,
    requests: AtomicU64,
}

impl Default for K0rdentHttp {
    fn default() -> Self {
        Self {
            envelope: Mutex::new((Envelope::Spec, Envelope::Spec)),
            tokens: Mutex::default(),
            requests: AtomicU64::new(0),
        }
    }
}

impl K0rdentHttp {
    pub fn envelope(&self) -> Envelope {
        lock(&self.envelope).0
    }

    pub fn set_envelope(&self, envelope: Envelope) {
        lock(&self.envelope).0 = envelope;
    }

    /// The start-up choice, which a reset returns to.
    pub fn set_default_envelope(&self, envelope: Envelope) {
        *lock(&self.envelope) = (envelope, envelope);
    }

    pub fn reset(&self) {
        let mut envelope = lock(&self.envelope);
        envelope.0 = envelope.1;
    }

    /// `req_sim1-<unix ms>-<counter>`, shaped like the docs site's ids.
    fn next_request_id(&self, now_ms: i64) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        format!("req_sim1-{now_ms}-{n:012x}")
    }
}

/// The docs site's code for a status.
fn docs_code(status: u16) -> &'static str {
    match status {
        400 | 422 => "VALIDATION_ERROR",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        409 => "CONFLICT",
        429 => "RATE_LIMITED",
        _ => "INTERNAL_ERROR",
    }
}

/// The text of a FastAPI-style `detail`: a string, or a list's `msg`s.
fn detail_text(body: &Value) -> Option<String> {
    match body.get("detail")? {
        Value::String(text) => Some(text.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|item| item.get("msg").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    }
}

/// The error body in the chosen envelope.
fn envelope_body(
    envelope: Envelope,
    status: u16,
    message: &str,
    request_id: &str,
    timestamp: &str,
) -> Value {
    match envelope {
        Envelope::Spec => json!({
            "error": { "code": status, "message": message, "details": [] }
        }),
        Envelope::Docs => json!({
            "success": false,
            "error": { "code": docs_code(status), "message": message, "details": {} },
            "meta": { "requestId": request_id, "timestamp": timestamp },
        }),
    }
}

/// Rewrites every k0rdent error answer (handlers', auth's, injected
/// faults', unknown paths') into the chosen envelope; successes pass.
async fn envelope_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let message = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|value| detail_text(&value));
    let Some(message) = message else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let http = &state.0.k0rdent_http;
    let now = state.0.clock.now();
    let envelope = http.envelope();
    let request_id = http.next_request_id(now.timestamp_millis());
    let body = envelope_body(
        envelope,
        status.as_u16(),
        &message,
        &request_id,
        &ApiTime::from_datetime(now).0,
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    if envelope == Envelope::Docs {
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            parts.headers.insert(REQUEST_ID, value);
        }
    }
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| bytes.to_vec());
    Response::from_parts(parts, Body::from(bytes))
}

/// `GET /v1/regions/global/projects?pageToken=&pageSize=`.
async fn list_projects(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let token = query_value(query.as_deref(), "pageToken");
    let result =
        parse_page_size(query_value(query.as_deref(), "pageSize").as_deref()).and_then(|size| {
            lock(&state.0.sim)
                .k0rdent()
                .projects(token.as_deref(), size)
        });
    respond(result)
}

/// `GET /v1/regions/{region}/projects/{project}/compute/instances?pageToken=&pageSize=`.
async fn list_instances(
    State(state): State<AppState>,
    Path((region, project)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let now = state.0.clock.now();
    let token = query_value(query.as_deref(), "pageToken");
    let result =
        parse_page_size(query_value(query.as_deref(), "pageSize").as_deref()).and_then(|size| {
            lock(&state.0.sim)
                .k0rdent()
                .list(&region, &project, token.as_deref(), size, now)
        });
    respond(result)
}

async fn k0rdent_instance(
    State(state): State<AppState>,
    Path((region, project, id)): Path<(String, String, String)>,
) -> Response {
    let now = state.0.clock.now();
    let result = lock(&state.0.sim).k0rdent_instance(&region, &project, &id, now);
    respond(result)
}

pub fn k0rdent_router(state: AppState, quiet: bool, cors_on: bool) -> Router {
    let routes = Router::new()
        .route("/v1/regions/global/projects", get(list_projects))
        .route(
            "/v1/regions/{region}/projects/{project}/compute/instances",
            get(list_instances),
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
            envelope_errors,
        ));
    with_cors(routes, cors_on)
        .layer(middleware::from_fn_with_state(
            LogTag::new("k0rdent", LogSink::quiet_if(quiet)),
            log_requests,
        ))
        .with_state(state)
}

fn bad_request(text: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, &json!({ "detail": text }))
}

/// `POST /__admin/tokens {"api": "k0rdent"|"supply", "lifetime_secs": 900}`:
/// a JWT-shaped token the API accepts until its `exp` (simulated clock).
async fn issue_token(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    struct Ask {
        api: Api,
        #[serde(default = "default_lifetime")]
        lifetime_secs: i64,
    }
    fn default_lifetime() -> i64 {
        900
    }
    let ask = match serde_json::from_slice::<Ask>(&body) {
        Ok(ask) if (0..=MAX_LIFETIME_SECS).contains(&ask.lifetime_secs) => ask,
        Ok(_) => return bad_request("lifetime_secs must be from 0 to 86400"),
        Err(err) => {
            return bad_request(&format!(
                "Expected {{\"api\": \"k0rdent\"|\"supply\", \"lifetime_secs\": <seconds>}}: {err}"
            ))
        }
    };
    let now = state.0.clock.now();
    let (token, exp) = lock(&state.0.k0rdent_http.tokens).issue(ask.api, ask.lifetime_secs, now);
    json_response(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ask.lifetime_secs,
            "exp": exp,
        }),
    )
}

fn envelope_state(state: &AppState) -> Value {
    json!({ "envelope": state.0.k0rdent_http.envelope() })
}

/// `GET`/`POST /__admin/k0rdent-errors {"envelope": "spec"|"docs"}`.
async fn get_envelope(State(state): State<AppState>) -> Response {
    json_response(StatusCode::OK, &envelope_state(&state))
}

async fn set_envelope(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    struct Ask {
        envelope: Envelope,
    }
    match serde_json::from_slice::<Ask>(&body) {
        Ok(ask) => {
            state.0.k0rdent_http.set_envelope(ask.envelope);
            json_response(StatusCode::OK, &envelope_state(&state))
        }
        Err(err) => bad_request(&format!(
            "Expected {{\"envelope\": \"spec\"|\"docs\"}}: {err}"
        )),
    }
}

/// The admin routes of this module, loopback only.
pub(super) fn admin_routes() -> Router<AppState> {
    Router::new()
        .route("/__admin/tokens", post(issue_token))
        .route(
            "/__admin/k0rdent-errors",
            get(get_envelope).post(set_envelope),
        )
        .route_layer(middleware::from_fn(loopback_only))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_envelopes_decode_in_the_console() {
        use supply_model::ApiFailure;
        for envelope in [Envelope::Spec, Envelope::Docs] {
            let body = envelope_body(envelope, 404, "Project p not found", "req_sim1-1-1", "t");
            let failure = ApiFailure::from_response(404, &body.to_string(), None);
            assert!(
                failure.message().contains("Project p not found"),
                "{envelope:?}"
            );
            let expected = (envelope == Envelope::Docs).then_some("req_sim1-1-1");
            assert_eq!(failure.request_id(), expected);
        }
        assert_eq!(Envelope::parse_cli("docs"), Ok(Envelope::Docs));
        assert!(Envelope::parse_cli("json").is_err());
    }
}
