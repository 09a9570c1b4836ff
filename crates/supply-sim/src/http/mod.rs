//! The HTTP face of the simulator: the Supply API with its loopback-only
//! admin API, the k0rdent API, and an optional static console, each on its
//! own listener.
//!
//! Layers, outermost first: request log, CORS unless `--no-cors` (so every
//! answer, 401s and injected faults included, carries CORS headers and
//! preflights never need a token), then on API routes only: request counting, fault injection,
//! bearer auth.
//!
//! One room a file: `middleware` (those layers), `supply` (the Supply API
//! and its router), `k0rdent` (the k0rdent API and its router), `admin`
//! (the loopback-only admin API), `console` (the static console beside the
//! APIs) and `server` (start-up and stop). This file holds what they share:
//! the state and the JSON answers.

mod admin;
mod console;
mod k0rdent;
mod middleware;
mod server;
mod supply;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use crate::clock::Clock;
use crate::faults::{FaultRule, Faults};
use crate::{ApiError, Sim, SimConfig};

pub use console::{ui_router, ApiAddrs, Demo};
pub use k0rdent::{k0rdent_router, Envelope, K0rdentHttp};
pub use middleware::{log_line, LogSink};
pub(crate) use middleware::{log_requests, LogTag};
pub(crate) use server::serve;
pub use server::{run_until_stopped, start, stop_signal, Options, Running};
pub use supply::supply_router;

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
