//! The static console beside the simulated APIs: its listener's router,
//! whose `config.json` points at them.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::middleware;
use axum::Router;
use serde_json::json;

use super::middleware::{log_requests, LogSink, LogTag};
use crate::console;

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
