//! `supply-console`: the built console against a real Supply Service (and
//! optionally k0rdent), without the simulator.
//!
//! Without `proxy`, `config.json` names the upstream URLs and the CSP lets
//! the console reach their origins; the services must then allow the
//! console's origin (CORS). With `proxy`, `config.json` names the
//! same-origin paths [`SUPPLY_PREFIX`] and [`K0RDENT_PREFIX`], which
//! [`crate::proxy`] forwards, and the CSP's `connect-src` is `'self'` only.
//! Its `config.json` never carries a `demo` key or any token.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use axum::middleware;
use axum::Router;
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::console::{self, Site, SiteView};
use crate::http::{log_requests, serve, LogSink, LogTag};
use crate::proxy::{self, Limits, Upstream};

/// Where the Supply API is reached on the console's origin with `--proxy`.
pub const SUPPLY_PREFIX: &str = "/supply-api";
/// Where the k0rdent API is reached on the console's origin with `--proxy`.
pub const K0RDENT_PREFIX: &str = "/k0rdent-api";

#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub host: IpAddr,
    pub port: u16,
    /// The built console (its index.html beside the assets).
    pub ui_dir: PathBuf,
    pub supply: Upstream,
    pub k0rdent: Option<Upstream>,
    /// Forward the APIs under the console's own origin.
    pub proxy: bool,
    pub limits: Limits,
    pub log: LogSink,
}

/// What `config.json` and the CSP say.
pub fn site_view(supply: &Upstream, k0rdent: Option<&Upstream>, proxy: bool) -> SiteView {
    let mut config = Map::new();
    let mut connect = Vec::new();
    if proxy {
        config.insert("api_base_url".into(), SUPPLY_PREFIX.into());
        if k0rdent.is_some() {
            config.insert("k0rdent_base_url".into(), K0RDENT_PREFIX.into());
        }
    } else {
        config.insert("api_base_url".into(), supply.as_str().into());
        connect.push(supply.origin());
        if let Some(k0rdent) = k0rdent {
            config.insert("k0rdent_base_url".into(), k0rdent.as_str().into());
            if !connect.contains(&k0rdent.origin()) {
                connect.push(k0rdent.origin());
            }
        }
    }
    SiteView {
        config: Value::Object(config),
        connect,
    }
}

/// The whole server: the console, and with `proxy` the two forwarding
/// prefixes; one log line per request.
pub fn router(options: &ServerOptions) -> Result<Router, String> {
    let view = site_view(&options.supply, options.k0rdent.as_ref(), options.proxy);
    let mut app = console::router(options.ui_dir.clone(), Site::fixed(view));
    if options.proxy {
        let client = proxy::client(options.limits)?;
        app = app
            .merge(proxy::routes(
                "Supply",
                SUPPLY_PREFIX,
                Some(options.supply.clone()),
                client.clone(),
                options.limits,
            ))
            .merge(proxy::routes(
                "k0rdent",
                K0RDENT_PREFIX,
                options.k0rdent.clone(),
                client,
                options.limits,
            ));
    }
    Ok(app.layer(middleware::from_fn_with_state(
        LogTag::new("console", options.log.clone()),
        log_requests,
    )))
}

/// A running `supply-console`. Dropping it stops it too.
pub struct RunningConsole {
    pub addr: SocketAddr,
    shutdown: watch::Sender<()>,
    task: JoinHandle<()>,
}

impl RunningConsole {
    /// Stops accepting, lets in-flight requests finish, and waits.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        let _ = self.task.await;
    }
}

/// Checks the console directory, binds, and serves.
pub async fn start(options: ServerOptions) -> std::io::Result<RunningConsole> {
    console::check_dir("--ui-dir", &options.ui_dir)?;
    let app = router(&options).map_err(std::io::Error::other)?;
    let listener = TcpListener::bind((options.host, options.port)).await?;
    let addr = listener.local_addr()?;
    let (shutdown, stop) = watch::channel(());
    let task = serve(listener, app, stop);
    Ok(RunningConsole {
        addr,
        shutdown,
        task,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn up(url: &str) -> Upstream {
        Upstream::parse(url).unwrap()
    }

    #[test]
    fn direct_mode_names_the_upstreams() {
        let supply = up("https://supply.example.com/v1/");
        let k0rdent = up("https://k0rdent.example.com");
        let view = site_view(&supply, Some(&k0rdent), false);
        assert_eq!(
            view.config,
            json!({
                "api_base_url": "https://supply.example.com/v1",
                "k0rdent_base_url": "https://k0rdent.example.com",
            })
        );
        assert_eq!(
            view.connect,
            ["https://supply.example.com", "https://k0rdent.example.com"]
        );
        let alone = site_view(&supply, None, false);
        assert_eq!(
            alone.config,
            json!({ "api_base_url": "https://supply.example.com/v1" })
        );
    }

    #[test]
    fn proxy_mode_names_paths_on_this_origin() {
        let supply = up("https://supply.example.com");
        let k0rdent = up("https://k0rdent.example.com");
        let view = site_view(&supply, Some(&k0rdent), true);
        assert_eq!(
            view.config,
            json!({ "api_base_url": "/supply-api", "k0rdent_base_url": "/k0rdent-api" })
        );
        assert!(view.connect.is_empty());
    }
}
