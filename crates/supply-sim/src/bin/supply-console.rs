//! `supply-console`: serves the built console against a real Supply
//! Service (and optionally k0rdent), with an optional same-origin proxy.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use supply_sim::console;
use supply_sim::console_server::{self, ServerOptions, K0RDENT_PREFIX, SUPPLY_PREFIX};
use supply_sim::http::{self, LogSink};
use supply_sim::proxy::{Limits, Upstream};

#[derive(Debug, Parser)]
#[command(
    name = "supply-console",
    version,
    about = "Serves the built console against a real Supply Service and k0rdent"
)]
struct Cli {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to bind (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The built console (trunk's dist directory).
    #[arg(long, default_value = "dist")]
    ui_dir: PathBuf,
    /// Supply API base URL (http or https; no credentials, no query).
    #[arg(long, env = "SUPPLY_API_URL", value_parser = Upstream::parse_cli)]
    supply_url: Upstream,
    /// k0rdent API base URL; without it the console has no k0rdent default.
    #[arg(long, env = "K0RDENT_API_URL", value_parser = Upstream::parse_cli)]
    k0rdent_url: Option<Upstream>,
    /// Forward /supply-api/* and /k0rdent-api/* to the upstreams, so the
    /// browser only ever talks to this origin.
    #[arg(long)]
    proxy: bool,
    /// Seconds an upstream has to answer a forwarded request (then 504).
    #[arg(long, default_value_t = 60)]
    upstream_timeout_secs: u64,
    /// No per-request log lines.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.upstream_timeout_secs == 0 {
        eprintln!("supply-console: --upstream-timeout-secs must be at least 1");
        return ExitCode::from(2);
    }
    if let Err(err) = console::check_dir("--ui-dir", &cli.ui_dir) {
        eprintln!("supply-console: {err} (build the console first)");
        return ExitCode::from(2);
    }
    let options = ServerOptions {
        host: cli.host,
        port: cli.port,
        ui_dir: cli.ui_dir,
        supply: cli.supply_url,
        k0rdent: cli.k0rdent_url,
        proxy: cli.proxy,
        limits: Limits {
            timeout: Duration::from_secs(cli.upstream_timeout_secs),
            ..Limits::default()
        },
        log: LogSink::quiet_if(cli.quiet),
    };
    // With --proxy the console reaches each API under a path of its own.
    let via = |prefix: &str| {
        if options.proxy {
            format!("{prefix} -> ")
        } else {
            String::new()
        }
    };
    let mut summary = vec![format!(
        "Supply API:  {}{}",
        via(SUPPLY_PREFIX),
        options.supply.as_str()
    )];
    if let Some(k0rdent) = &options.k0rdent {
        summary.push(format!(
            "k0rdent API: {}{}",
            via(K0RDENT_PREFIX),
            k0rdent.as_str()
        ));
    }
    let running = match console_server::start(options).await {
        Ok(running) => running,
        Err(err) => {
            eprintln!("supply-console: {err}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Console:     http://{}", running.addr);
        for line in summary {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "ready");
        let _ = out.flush();
    }
    http::run_until_stopped("supply-console", running.shutdown()).await;
    ExitCode::SUCCESS
}
