//! The Supply API: its handlers and its router, which also carries the
//! loopback-only admin API.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::middleware::{
    count_requests, inject_faults, log_requests, not_found, supply_auth, with_cors, LogSink, LogTag,
};
use super::{admin, error_response, json_response, k0rdent, lock, respond, AppState};
use crate::catalog;
use crate::{field_error, ApiError};

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
pub(super) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
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
    let routes = api
        .merge(admin::routes())
        .merge(k0rdent::admin_routes())
        .fallback(not_found);
    with_cors(routes, cors_on)
        .layer(middleware::from_fn_with_state(
            LogTag::new("supply", LogSink::quiet_if(quiet)),
            log_requests,
        ))
        .with_state(state)
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
}
