//! `supply-sim`: serves the simulated Supply and k0rdent APIs (and, with
//! `--ui-dir`, the built console) on loopback.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use supply_sim::faults::FaultRule;
use supply_sim::http::{self, Envelope, Options};
use supply_sim::SimConfig;

#[derive(Debug, Parser)]
#[command(
    name = "supply-sim",
    version,
    about = "Loopback simulator of the GPU Supply Service and k0rdent compute APIs"
)]
struct Cli {
    /// Address every listener binds.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Supply API port (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// k0rdent API port (0 picks a free one).
    #[arg(long, default_value_t = 8788)]
    k0rdent_port: u16,
    /// Accepted Supply bearer token; repeatable.
    #[arg(
        long = "token",
        env = "SUPPLY_SIM_TOKENS",
        value_delimiter = ',',
        hide_env_values = true,
        default_value = "demo-token"
    )]
    tokens: Vec<String>,
    /// Accepted k0rdent bearer token; repeatable.
    #[arg(
        long = "k0rdent-token",
        env = "K0RDENT_SIM_TOKENS",
        value_delimiter = ',',
        hide_env_values = true,
        default_value = "k0rdent-demo-token"
    )]
    k0rdent_tokens: Vec<String>,
    /// The k0rdent API's error body: `spec` (the OpenAPI document's
    /// `{"error": {code, message, details}}`) or `docs` (the docs site's,
    /// with `success`, `meta.requestId` and `X-Request-Id`). Switchable at
    /// run time with `POST /__admin/k0rdent-errors`.
    #[arg(long, default_value = "spec", value_parser = Envelope::parse_cli)]
    k0rdent_errors: Envelope,
    /// Seed of the offer catalog.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Live offers at any time.
    #[arg(long, default_value_t = 300)]
    offers: usize,
    /// Simulated seconds per real second.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Delay added to every API request.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Delay of every valid `POST /get_offers` answer, like a live vendor
    /// query (on top of --latency-ms).
    #[arg(long, default_value_t = 0)]
    offers_latency_ms: u64,
    /// A fault rule, e.g. `status=503`, `status=429,retry-after=5,path=/get_offers,times=3`,
    /// `malformed-json`, `wrong-types`, `hostile-strings`, `huge`, `drop`, `drop-after`
    /// (served, then the answer lost), `method=DELETE`; repeatable.
    #[arg(long = "fault", value_parser = FaultRule::parse_cli)]
    faults: Vec<FaultRule>,
    /// Serve this directory (the built console) on its own listener.
    #[arg(long)]
    ui_dir: Option<PathBuf>,
    /// Console port (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    ui_port: u16,
    /// No per-request log lines.
    #[arg(long)]
    quiet: bool,
    /// No CORS headers on the API listeners: a console on another origin
    /// then fails, as against a service that allows no browser origins.
    #[arg(long)]
    no_cors: bool,
}

fn tokens_or(tokens: Vec<String>, default: &str) -> Vec<String> {
    let tokens: Vec<String> = tokens
        .into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        vec![default.to_owned()]
    } else {
        tokens
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if !(cli.time_scale.is_finite() && cli.time_scale >= 0.0) {
        eprintln!("supply-sim: --time-scale must be a non-negative number");
        return ExitCode::from(2);
    }
    let mut faults = cli.faults;
    if cli.latency_ms > 0 {
        faults.push(FaultRule {
            latency_ms: cli.latency_ms,
            kind: None,
            status: None,
            path_prefix: None,
            method: None,
            times: None,
            retry_after: None,
        });
    }
    let options = Options {
        host: cli.host,
        port: cli.port,
        k0rdent_port: cli.k0rdent_port,
        supply_tokens: tokens_or(cli.tokens, "demo-token"),
        k0rdent_tokens: tokens_or(cli.k0rdent_tokens, "k0rdent-demo-token"),
        k0rdent_errors: cli.k0rdent_errors,
        sim: SimConfig {
            seed: cli.seed,
            offers: cli.offers,
        },
        time_scale: cli.time_scale,
        faults,
        offers_latency_ms: cli.offers_latency_ms,
        ui_dir: cli.ui_dir,
        ui_port: cli.ui_port,
        quiet: cli.quiet,
        no_cors: cli.no_cors,
    };
    let demo_token = options.supply_tokens[0].clone();
    let k0rdent_token = options.k0rdent_tokens[0].clone();
    let running = match http::start(options).await {
        Ok(running) => running,
        Err(err) => {
            eprintln!("supply-sim: {err}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Supply API:  http://{}", running.supply);
        let _ = writeln!(out, "k0rdent API: http://{}", running.k0rdent);
        if let Some(ui) = running.ui {
            let _ = writeln!(out, "Console:     http://{ui}");
        }
        let _ = writeln!(out, "Demo token:  {demo_token}");
        let _ = writeln!(out, "k0rdent token: {k0rdent_token}");
        let _ = writeln!(out, "ready");
        let _ = out.flush();
    }
    http::run_until_stopped("supply-sim", running.shutdown()).await;
    ExitCode::SUCCESS
}
