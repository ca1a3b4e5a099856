//! `jiuye-fupin-server [--listen ADDR] [--policy FILE] [--token-file F] [--max-body-bytes N]
//! [--timeout-seconds S] [--concurrency N] [--quiet]`: serves the rules over HTTP (see the
//! crate's documentation). Prints `listening on http://ADDR` once it accepts connections.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::time::Duration;

use jiuye_fupin_server::{Config, app};

const USAGE: &str = "usage: jiuye-fupin-server [--listen 127.0.0.1:8080] [--policy FILE] [--token-file FILE] [--max-body-bytes N] [--timeout-seconds S] [--concurrency N] [--quiet]";

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jiuye-fupin-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut config = Config {
        log: true,
        ..Config::default()
    };
    let mut listen: SocketAddr = ([127, 0, 0, 1], 8080).into();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--listen" => {
                let v = value("--listen")?;
                listen = v
                    .parse()
                    .map_err(|_| format!("--listen {v:?}: not an address like 127.0.0.1:8080"))?;
            }
            "--policy" => {
                let path = value("--policy")?;
                config.policy = jiuye_fupin::Policy::load(&path).map_err(|e| e.to_string())?;
            }
            "--token-file" => {
                let path = value("--token-file")?;
                let token = std::fs::read_to_string(&path)
                    .map_err(|e| format!("--token-file {path}: {e}"))?;
                let token = token.trim().to_owned();
                if token.is_empty() {
                    return Err(format!("--token-file {path}: the file is empty"));
                }
                config.token = Some(token);
            }
            "--max-body-bytes" => config.max_body_bytes = number(&value("--max-body-bytes")?)?,
            "--timeout-seconds" => {
                config.timeout = Duration::from_secs(number(&value("--timeout-seconds")?)? as u64)
            }
            "--concurrency" => config.concurrency = number(&value("--concurrency")?)?.max(1),
            "--quiet" => config.log = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        println!("listening on http://{addr}");
        if !addr.ip().is_loopback() {
            eprintln!("jiuye-fupin-server: listening on {addr}, beyond this machine: rosters are personal data; use --token-file and TLS in front");
        }
        axum::serve(listener, app(config))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    })
}

fn number(v: &str) -> Result<usize, String> {
    v.parse()
        .map_err(|_| format!("{v:?} is not a whole number"))
}
