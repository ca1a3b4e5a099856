//! The command line of `jiuye-fupin-server`, for any rule set: [`main_with`].

use std::net::SocketAddr;
use std::time::Duration;

use jiuye_fupin::{Lang, Policy, RuleSet};

use crate::{Config, app};

const OPTIONS: &str = "[--listen 127.0.0.1:8080] [--policy FILE] [--token-file FILE] [--max-body-bytes N] [--timeout-seconds S] [--concurrency N] [--quiet] [--lang zh|en]";

/// The name this program was started by (`nanxi-server` for a county's binary), for its
/// messages: `jiuye-fupin-server` when the system does not say.
fn program() -> String {
    let arg0 = std::env::args_os().next().unwrap_or_default();
    let name = std::path::Path::new(&arg0).file_name();
    name.map_or_else(
        || "jiuye-fupin-server".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `jiuye-fupin-server [--listen ADDR] [--policy FILE] [--token-file F] [--max-body-bytes N]
/// [--timeout-seconds S] [--concurrency N] [--quiet] [--lang zh|en]` over `rules`: serves
/// them over HTTP (see the crate's documentation), with `--policy FILE` read against
/// `rules` (`Policy::load_with`), so that a county serves its own rules from its own
/// binary without copying this one:
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     // RuleSet::yang_county_2020().with(MyRule) in a county's crate
///     jiuye_fupin_server::main_with(&jiuye_fupin::RuleSet::yang_county_2020())
/// }
/// ```
///
/// Prints `listening on http://ADDR` once it accepts connections. `--lang` is the language
/// of this program's own messages (an unreadable policy, a bad argument; Chinese by
/// default); each request picks its answers' with `?lang=`. Without `--policy`, the Yang
/// County preset read against `rules` (a rule set with a table the preset has not needs
/// `--policy`).
pub fn main_with(rules: &RuleSet) -> std::process::ExitCode {
    match run(rules) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}: {e}", program());
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(rules: &RuleSet) -> Result<(), String> {
    let mut config = Config {
        log: true,
        ..Config::default()
    };
    let mut policy_file = None;
    let mut listen: SocketAddr = ([127, 0, 0, 1], 8080).into();
    // `std::env::args` panics on an argument that is not UTF-8 (`--policy $'\xff'`): such an
    // argument is refused, naming it, in the `--lang` given (Chinese without one), in the
    // examples' words (`jiuye_fupin::args`).
    let os: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let said = jiuye_fupin::args::lang_of(&os);
    let all = jiuye_fupin::args::texts(os).map_err(|e| e.render(said))?;
    let usage = format!("usage: {} {OPTIONS}", program());
    // The language first (the last `--lang`, as `jiuye_fupin::args::lang_of` takes it),
    // wherever it stands, so that every message follows it.
    let lang = match all.iter().rposition(|a| a == "--lang") {
        None => Lang::default(),
        Some(i) => match all.get(i + 1).map(String::as_str) {
            Some("zh") => Lang::Zh,
            Some("en") => Lang::En,
            Some(v) => {
                return Err(format!(
                    "--lang {v:?}: 不是 zh、en 之一 / not one of: zh, en"
                ));
            }
            None => return Err(format!("--lang 需要一个值 / needs a value\n{usage}")),
        },
    };
    let mut args = all.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next().ok_or_else(|| {
                say!(
                    lang,
                    "{name} 需要一个值\n{usage}",
                    "{name} needs a value\n{usage}"
                )
            })
        };
        match arg.as_str() {
            "--listen" => {
                let v = value("--listen")?;
                listen = v.parse().map_err(|_| {
                    say!(
                        lang,
                        "--listen {v:?}：不是 127.0.0.1:8080 这样的地址",
                        "--listen {v:?}: not an address like 127.0.0.1:8080"
                    )
                })?;
            }
            "--policy" => {
                policy_file = Some(value("--policy")?);
            }
            "--token-file" => {
                let path = value("--token-file")?;
                let token = read_token(&path, lang)?;
                if token.is_empty() {
                    return Err(say!(
                        lang,
                        "--token-file {path}：文件是空的",
                        "--token-file {path}: the file is empty"
                    ));
                }
                config.token = Some(token);
            }
            "--max-body-bytes" => {
                config.max_body_bytes = number(&value("--max-body-bytes")?, lang)?;
            }
            "--timeout-seconds" => {
                let seconds = number(&value("--timeout-seconds")?, lang)?;
                config.timeout = Duration::from_secs(seconds as u64);
            }
            "--concurrency" => config.concurrency = number(&value("--concurrency")?, lang)?.max(1),
            "--quiet" => config.log = false,
            "--lang" => {
                value("--lang")?;
            }
            "-h" | "--help" => {
                println!("{usage}");
                return Ok(());
            }
            other => {
                return Err(say!(
                    lang,
                    "未知参数 {other:?}\n{usage}",
                    "unknown argument {other:?}\n{usage}"
                ));
            }
        }
    }
    config.policy = match policy_file {
        Some(path) => Policy::load_with(rules, &path).map_err(|e| e.render(lang))?,
        None => Policy::yang_county_2020()
            .with_rules(rules)
            .map_err(|e| e.render(lang))?,
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| say!(lang, "无法在 {listen} 上监听：{e}", "cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        println!("listening on http://{addr}");
        if !addr.ip().is_loopback() {
            eprintln!("{}: listening on {addr}, beyond this machine: rosters are personal data; use --token-file and TLS in front", program());
        }
        let head_timeout = config.timeout;
        serve(listener, app(config), head_timeout).await;
        Ok(())
    })
}

/// Serves `app` on `listener` until Ctrl-C, then lets the connections finish their
/// requests. As `axum::serve`, with one difference: a request's head (its line and headers)
/// must arrive within `head_timeout` (`--timeout-seconds`), else the connection is closed.
/// `axum::serve` gives hyper no timer, so a client that sent part of a head and then
/// nothing held its connection for ever.
async fn serve(listener: tokio::net::TcpListener, app: axum::Router, head_timeout: Duration) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let (close_tx, close_rx) = tokio::sync::watch::channel(());
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Too many open files, or a connection reset before it was accepted: as
                // `axum::serve`, wait a moment and go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let mut close = close_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(head_timeout);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = close.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(close);
        });
    }
    drop(listener);
    drop(close_rx);
    let _ = close_tx.send(());
    close_tx.closed().await;
}

fn number(v: &str, lang: Lang) -> Result<usize, String> {
    v.parse()
        .map_err(|_| say!(lang, "{v:?} 不是非负整数", "{v:?} is not a whole number"))
}

/// The bearer token in `path`, trimmed. A folder, a device or a named pipe is refused
/// without being read (a pipe would wait for a writer), and so is a file over 64 KiB.
fn read_token(path: &str, lang: Lang) -> Result<String, String> {
    use std::io::Read;
    let refuse = |why: String| {
        say!(
            lang,
            "--token-file {path}：{why}",
            "--token-file {path}: {why}"
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| refuse(io_cause(&e, lang)))?;
    if !meta.is_file() {
        return Err(refuse(say!(lang, "不是普通文件", "not a regular file")));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024 + 1).read_to_string(&mut text))
        .map_err(|e| refuse(io_cause(&e, lang)))?;
    if text.len() > 64 * 1024 {
        return Err(refuse(say!(lang, "超过 64 KiB", "larger than 64 KiB")));
    }
    Ok(text.trim().to_owned())
}

/// The system's words for `e`, the usual causes in Chinese when asked.
fn io_cause(e: &std::io::Error, lang: Lang) -> String {
    match (lang, e.kind()) {
        (Lang::Zh, std::io::ErrorKind::NotFound) => "文件不存在".to_owned(),
        (Lang::Zh, std::io::ErrorKind::PermissionDenied) => "没有读取权限".to_owned(),
        (Lang::Zh, std::io::ErrorKind::InvalidData) => "不是 UTF-8 文本".to_owned(),
        _ => e.to_string(),
    }
}
