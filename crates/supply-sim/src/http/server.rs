//! Start-up and stop: the listeners, the tasks serving them, and the
//! handle that stops them.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use chrono::{SubsecRound, Utc};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{k0rdent_router, supply_router, ui_router, ApiAddrs, AppState, Demo, Envelope};
use crate::clock::Clock;
use crate::console;
use crate::faults::FaultRule;
use crate::SimConfig;

#[derive(Debug, Clone)]
pub struct Options {
    pub host: IpAddr,
    pub port: u16,
    pub k0rdent_port: u16,
    pub supply_tokens: Vec<String>,
    pub k0rdent_tokens: Vec<String>,
    /// The k0rdent API's error envelope at start (and after a reset).
    pub k0rdent_errors: Envelope,
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
            k0rdent_errors: Envelope::Spec,
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
