//! The Supply listener's admin API, for loopback clients only: faults,
//! request stats, the simulated clock, fail-next and a reset of the world.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::SubsecRound;
use serde::Deserialize;
use serde_json::{json, Value};

use super::middleware::loopback_only;
use super::{detail, json_response, lock, AppState, Stats};
use crate::faults::{FaultRequest, FaultRule};
use crate::{ApiTime, Sim};

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

/// The admin routes of the Supply listener, loopback only.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/__admin/faults",
            get(get_faults).post(set_faults).delete(clear_faults),
        )
        .route("/__admin/stats", get(get_stats))
        .route("/__admin/reset-stats", post(reset_stats))
        .route("/__admin/clock", get(get_clock).post(advance_clock))
        .route("/__admin/fail-next", post(fail_next))
        .route("/__admin/reset", post(reset))
        .route_layer(middleware::from_fn(loopback_only))
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::body::Body;
    use axum::extract::{ConnectInfo, Request};

    use super::*;
    use crate::clock::Clock;
    use crate::http::supply_router;
    use crate::SimConfig;

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
