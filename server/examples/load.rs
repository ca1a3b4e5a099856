//! A bounded load test of `/v1/evaluate` on loopback: starts the service (the release
//! binary beside this example), fires a fixed number of requests from concurrent clients,
//! stops after `--max-seconds` whatever happens, and reports requests per second, p50 and
//! p99 latency and the server's peak resident memory (`VmHWM`).
//!
//! ```sh
//! cargo build --release -p jiuye-fupin-server
//! cargo run --release -p jiuye-fupin-server --example load -- [--requests 2000] [--clients 4]
//!     [--roster server/sample/roster.json | --data DIR] [--lang en] [--max-seconds 60]
//! ```
#![forbid(unsafe_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let (mut requests, mut clients, mut max_seconds) = (2000usize, 4usize, 60u64);
    let mut lang = "en".to_owned();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut body = std::fs::read(root.join("server/sample/roster.json"))?;
    let mut what = "server/sample/roster.json".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut v = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--requests" => requests = v()?.parse()?,
            "--clients" => clients = v()?.parse::<usize>()?.max(1),
            "--max-seconds" => max_seconds = v()?.parse()?,
            "--lang" => lang = v()?,
            "--roster" => {
                what = v()?;
                body = std::fs::read(&what)?;
            }
            "--data" => {
                what = v()?;
                let roster = jiuye_fupin::io::read_roster_dir(std::path::Path::new(&what))?;
                body = serde_json::to_vec(&jiuye_fupin::json::roster_to_value(&roster))?;
            }
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    // The server binary: the release build beside this example.
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(|p| p.parent())
        .ok_or("no target folder")?;
    let server = dir.join("jiuye-fupin-server");
    let mut child = Command::new(&server)
        .args(["--listen", "127.0.0.1:0", "--quiet"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "{}: {e} (cargo build --release -p jiuye-fupin-server)",
                server.display()
            )
        })?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let base = line.trim().trim_start_matches("listening on ").to_owned();
    let url = format!("{base}/v1/evaluate?as_of=2020-04-01&lang={lang}");

    let next = AtomicUsize::new(0);
    let deadline = Instant::now() + Duration::from_secs(max_seconds);
    let started = Instant::now();
    let results: Vec<Vec<(Duration, u16, usize)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                s.spawn(|| {
                    let agent = ureq::AgentBuilder::new().build();
                    let mut mine = Vec::new();
                    while next.fetch_add(1, Ordering::Relaxed) < requests
                        && Instant::now() < deadline
                    {
                        let t = Instant::now();
                        let r = agent
                            .post(&url)
                            .set("Content-Type", "application/json")
                            .send_bytes(&body);
                        let (status, bytes) = match r {
                            Ok(resp) | Err(ureq::Error::Status(_, resp)) => {
                                let status = resp.status();
                                let mut buf = Vec::new();
                                let _ = resp.into_reader().read_to_end(&mut buf);
                                (status, buf.len())
                            }
                            Err(_) => (0, 0),
                        };
                        mine.push((t.elapsed(), status, bytes));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let wall = started.elapsed();
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: ?")
        .to_owned();
    let _ = child.kill();
    let _ = child.wait();

    let mut all: Vec<(Duration, u16, usize)> = results.into_iter().flatten().collect();
    all.sort_by_key(|r| r.0);
    let n = all.len();
    let ok = all.iter().filter(|r| r.1 == 200).count();
    let at = |q: f64| {
        let i = ((n as f64 * q).ceil() as usize).clamp(1, n.max(1)) - 1;
        all.get(i).map_or(0.0, |r| r.0.as_secs_f64() * 1000.0)
    };
    println!(
        "roster: {what} ({} bytes of JSON; answer {} bytes)",
        body.len(),
        all.first().map_or(0, |r| r.2)
    );
    println!(
        "requests: {n} ({ok} answered 200) from {clients} clients in {:.2} s",
        wall.as_secs_f64()
    );
    println!(
        "throughput: {:.1} requests/s",
        n as f64 / wall.as_secs_f64()
    );
    println!(
        "latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.50),
        at(0.99),
        at(1.0)
    );
    println!(
        "server peak memory: {}",
        hwm.trim_start_matches("VmHWM:").trim()
    );
    if ok != n {
        return Err(format!("{} requests failed", n - ok).into());
    }
    Ok(())
}
