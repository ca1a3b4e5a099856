//! # jiuye-fupin-server: the rules of `jiuye-fupin` as an HTTP service
//!
//! County systems in Java, .NET or PHP send a roster in JSON (the format of
//! [`jiuye_fupin::json`]) and receive decisions, totals, findings or a reform's impact,
//! every amount a string, exact to the fen.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /v1/health` | `{"status": "ok", "version"}` |
//! | `GET /v1/policy` | the policy in force: name, SHA-256 of its parameters, parameters |
//! | `GET /v1/openapi.json` | an OpenAPI 3.1 description of every endpoint |
//! | `GET /v1/schema/{name}` | the JSON Schema `name` (`roster`, `evaluation`, ...) |
//! | `POST /v1/evaluate?as_of=YYYY-MM-DD&lang=zh\|en` | every decision, in payouts.csv's order, totals, receipt |
//! | `POST /v1/decide?subject_id=ID&as_of&lang[&program=CODE]` | the decisions on one subject |
//! | `POST /v1/audit?as_of&lang` | R9 and R10 findings (R10 with `post_months`) |
//! | `POST /v1/ledger?as_of` | the three-level ledger (台帐): town, village, household, person |
//! | `POST /v1/compare?as_of` | a reform's impact: `{"roster": {...}, "reform": "TOML" or {...}}` |
//!
//! The rosters are personal data of poor households: the service listens on 127.0.0.1
//! unless told otherwise; with a token every request must carry `Authorization: Bearer
//! TOKEN` (compared in constant time; 401 otherwise); its log lines hold a request id,
//! method, path, status, record count and time, never a record's field.
//!
//! A caller's mistake is a 4xx answer with an RFC 9457 problem document
//! (`application/problem+json`) naming the record (list, index, id), field and value,
//! never a 500: 400 (not JSON, a bad or repeated query parameter), 401, 404, 405, 408 (the
//! body was not received within the request time limit, 30 s by default), 413 (a body over
//! the limit, 16 MiB by default), 415 (not `application/json`), 422 (a roster, reform or
//! subject that cannot be read; an amount too large to compute, naming its record's list,
//! index and id), 503 (the time limit ran out before the work was done,
//! waiting for a turn included: at most `concurrency` rosters are worked on at once, once
//! their bodies are received; a `GET` never waits for a turn). A problem's `detail` and
//! messages are in the request's `lang` (Chinese by default, and when `lang` itself is
//! wrong: its own problem is then written in both languages); `type` and `title` are
//! fixed.
//!
//! ```
//! use jiuye_fupin_server::{Config, app};
//! let router = app(Config::default());
//! # let _ = router;
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use jiuye_fupin::decision::{SubjectKind, Unfit};
use jiuye_fupin::io::{InputError, InputErrors, JsonProblem, Origins, parse_date};
use jiuye_fupin::json::{self, AuditRecord, DecisionRecord, EvaluationRecord, ReceiptRecord};
use jiuye_fupin::model::id_key;
use jiuye_fupin::{Engine, Lang, Policy, Roster};
use serde::Serialize;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

mod openapi;

/// The value, or the problem as the answer.
macro_rules! try_or_answer {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(p) => return p.into_response(),
        }
    };
}

/// A message in `lang`: the Chinese or the English text, formatted.
macro_rules! say {
    ($lang:expr, $zh:literal, $en:literal $(,)?) => {
        match $lang {
            Lang::Zh => format!($zh),
            Lang::En => format!($en),
        }
    };
}

mod cli;

pub use cli::main_with;

/// The as-of date when a request names none (POLICY.md's default).
pub const DEFAULT_AS_OF: &str = "2020-04-01";

/// How the service runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The policy in force.
    pub policy: Policy,
    /// The bearer token every request must carry (`None`: no token asked).
    pub token: Option<String>,
    /// The largest body accepted, in bytes (413 above).
    pub max_body_bytes: usize,
    /// The time limit of a request, from its arrival: its body must be received within it
    /// (408 after), and its work done within what is left, waiting for a turn included
    /// (503 after).
    pub timeout: Duration,
    /// How many rosters are worked on at once, once their bodies are received; the others
    /// wait their turn. A `GET` never waits for a turn.
    pub concurrency: usize,
    /// Write one log line per request to standard error.
    pub log: bool,
}

impl Default for Config {
    /// The Yang County 2020 policy, no token, 16 MiB, 30 s, 2 requests per core.
    fn default() -> Config {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Config {
            policy: Policy::yang_county_2020(),
            token: None,
            max_body_bytes: 16 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            concurrency: cores.saturating_mul(2),
            log: false,
        }
    }
}

struct AppState {
    policy: Policy,
    sha256: String,
    token: Option<Vec<u8>>,
    timeout: Duration,
    max_body_bytes: usize,
    /// The work slots: a permit is held from the body's receipt until the work stops.
    turns: Arc<Semaphore>,
    next_id: AtomicU64,
    log: bool,
}

/// The service's routes and layers, for `axum::serve`.
pub fn app(config: Config) -> Router {
    let state = Arc::new(AppState {
        sha256: jiuye_fupin::receipt::policy_hash(&config.policy),
        policy: config.policy,
        token: config.token.map(String::into_bytes),
        timeout: config.timeout,
        max_body_bytes: config.max_body_bytes,
        turns: Arc::new(Semaphore::new(config.concurrency.max(1))),
        next_id: AtomicU64::new(1),
        log: config.log,
    });
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/policy", get(policy))
        .route("/v1/openapi.json", get(openapi))
        .route("/v1/schema/{name}", get(schema))
        .route("/v1/evaluate", post(evaluate))
        .route("/v1/decide", post(decide))
        .route("/v1/audit", post(audit))
        .route("/v1/ledger", post(ledger))
        .route("/v1/compare", post(compare))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// A problem document (RFC 9457).
#[derive(Debug, Serialize)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind in words.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// This occurrence in words (the first problem, for a roster).
    pub detail: String,
    /// Every problem of the input (up to 100), each naming where it is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Value>,
}

impl Problem {
    fn new(status: StatusCode, slug: &str, title: &'static str, detail: String) -> Problem {
        Problem {
            kind: format!("urn:jiuye-fupin:problem:{slug}"),
            title,
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
        }
    }

    fn bad_request(detail: String) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail,
        )
    }

    fn unprocessable(slug: &str, title: &'static str, detail: String) -> Problem {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, slug, title, detail)
    }

    /// The problems of a roster, in `lang`: 400 for a body that is not JSON, 422 otherwise.
    fn input(errors: InputErrors, lang: Lang) -> Problem {
        let syntax = matches!(
            errors.first(),
            InputError::Json {
                problem: JsonProblem::Syntax(_),
                ..
            }
        );
        let mut p = if syntax {
            Problem::bad_request(errors.first().render(lang))
        } else {
            Problem::unprocessable(
                "invalid-roster",
                "The roster cannot be read",
                errors.first().render(lang),
            )
        };
        let omitted = errors.omitted();
        p.errors = errors.iter().map(|e| error_json(e, lang)).collect();
        if omitted > 0 {
            p.errors.push(json!({ "omitted": omitted }));
        }
        p
    }
}

/// One input problem as JSON: where it is and the message.
fn error_json(e: &InputError, lang: Lang) -> Value {
    match e {
        InputError::Field(f) => json!({
            "list": f.list, "index": f.index, "id": f.id, "field": f.field,
            "value": f.value, "message": e.render(lang),
        }),
        InputError::Json { at, .. } => json!({ "at": at, "message": e.render(lang) }),
        _ => json!({ "message": e.render(lang) }),
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

/// How many records a request carried, for the log line (never the records themselves).
#[derive(Clone, Copy)]
struct Records(usize);

/// A JSON answer, with the count of records for the log.
fn answer(value: &impl Serialize, records: usize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let mut r = (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response();
            r.extensions_mut().insert(Records(records));
            r
        }
        Err(e) => internal(&format!("无法写出答复 / the answer cannot be written: {e}")),
    }
}

/// A 500: a bug of the service, never a caller's mistake (`detail` in both languages when
/// the request's language is not at hand).
fn internal(detail: &str) -> Response {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Internal error",
        detail.to_owned(),
    )
    .into_response()
}

/// Every request: an id, the token, the declared length, and one log line without any
/// record's field. Turns and time limits are the POST endpoints' own (see [`posted`]): a
/// request waits for a turn only once its body is received, and a `GET` never does.
async fn guard(State(s): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = s.next_id.fetch_add(1, Ordering::Relaxed);
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let lang = lang_of(req.uri());
    let mut response = if let Some(token) = &s.token
        && !authorized(req.headers(), token)
    {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Unauthorized",
            say!(
                lang,
                "本服务要求 `Authorization: Bearer TOKEN`",
                "this service asks for `Authorization: Bearer TOKEN`"
            ),
        )
        .into_response()
    } else if declared_length(req.headers()).is_some_and(|n| n > s.max_body_bytes) {
        // Refused before a byte of the body is read.
        too_large(lang).into_response()
    } else {
        next.run(req).await
    };
    if let Ok(v) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert("x-request-id", v);
    }
    if s.log {
        let records = response.extensions().get::<Records>().map_or(0, |r| r.0);
        eprintln!(
            "request_id={id} method={method} path={path} status={} records={records} ms={:.3}",
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    response
}

/// The body's declared length (`Content-Length`), if any.
fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn too_large(lang: Lang) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body-too-large",
        "Body too large",
        say!(
            lang,
            "请求体超过本服务的上限 (--max-body-bytes, 默认 16 MiB); 请拆分名册",
            "the body is larger than this service's limit (--max-body-bytes, 16 MiB by default); split the roster"
        ),
    )
}

/// 408: the body was not received within the time limit (the connection is closed: the
/// rest of the body is not read).
fn body_timeout(limit: Duration, lang: Lang) -> Response {
    let secs = limit.as_secs_f64();
    let mut r = Problem::new(
        StatusCode::REQUEST_TIMEOUT,
        "body-timeout",
        "The body was not received in time",
        say!(
            lang,
            "请求体未在 {secs} 秒内收完 (--timeout-seconds); 请重新发送",
            "the body was not received within {secs} s (--timeout-seconds); send it again"
        ),
    )
    .into_response();
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// 503: the work, waiting for a turn included, was not done within the time limit.
fn work_timeout(limit: Duration, lang: Lang) -> Response {
    let secs = limit.as_secs_f64();
    let mut r = Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        "The request took too long",
        say!(
            lang,
            "请求未在 {secs} 秒内得到答复; 请发送较小的名册, 或稍后重试",
            "the request was not answered within {secs} s; send a smaller roster or try again later"
        ),
    )
    .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r
}

/// `Authorization: Bearer TOKEN`, compared in constant time.
fn authorized(headers: &HeaderMap, token: &[u8]) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
    else {
        return false;
    };
    bool::from(given.ct_eq(token))
}

async fn not_found(req: Request) -> Problem {
    let (lang, path) = (lang_of(req.uri()), req.uri().path());
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        say!(
            lang,
            "没有端点 {path}; 见 GET /v1/openapi.json",
            "no endpoint {path}; see GET /v1/openapi.json"
        ),
    )
}

async fn method_not_allowed(req: Request) -> Problem {
    let (lang, path, method) = (lang_of(req.uri()), req.uri().path(), req.method());
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method not allowed",
        say!(
            lang,
            "{path} 不接受 {method} 请求; 见 GET /v1/openapi.json",
            "{path} does not answer {method}; see GET /v1/openapi.json"
        ),
    )
}

async fn health() -> Response {
    answer(
        &json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}),
        0,
    )
}

async fn policy(State(s): State<Arc<AppState>>) -> Response {
    let parameters = serde_json::to_value(&s.policy).unwrap_or(Value::Null);
    answer(
        &json!({
            "name": s.policy.name(),
            "sha256": s.sha256,
            "crate_version": ReceiptRecord::new(&s.policy, NaiveDate::MIN).crate_version,
            "parameters": parameters,
        }),
        0,
    )
}

async fn openapi() -> Response {
    answer(&openapi::document(), 0)
}

async fn schema(
    State(s): State<Arc<AppState>>,
    uri: Uri,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    let lang = lang_of(&uri);
    let Ok(Path(name)) = name else {
        return Problem::bad_request(say!(
            lang,
            "无法读取路径 {uri}",
            "the path of {uri} cannot be read"
        ))
        .into_response();
    };
    // A policy file's tables are those of the rules served (a county's own ones too).
    let found = match name.as_str() {
        "policy" => Some(json::policy_schema(s.policy.rules())),
        _ => json::schema(&name),
    };
    match found {
        Some(s) => answer(&s, 0),
        None => {
            let schemas = json::SCHEMAS.join(", ");
            Problem::new(
                StatusCode::NOT_FOUND,
                "unknown-schema",
                "No such schema",
                say!(
                    lang,
                    "没有名为 {name:?} 的 schema; 已有: {schemas}",
                    "there is no schema {name:?}; the schemas are: {schemas}"
                ),
            )
            .into_response()
        }
    }
}

/// A query's pairs, as read (or why they could not be).
type QueryPairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// A POST endpoint: its query (`as_of`, `lang` and those in `also`), a JSON body received
/// within the time limit (408 after), then a turn among the bounded number and `f` run off
/// the async threads, both within what is left of the limit (503 after). The turn is taken
/// only once the body is received (a caller that sends slowly holds no work slot) and held
/// until `f` returns, even past a 503, so that no more than `concurrency` rosters are ever
/// worked on at once.
async fn posted(
    s: Arc<AppState>,
    query: QueryPairs,
    req: Request,
    also: &[&str],
    f: impl FnOnce(&AppState, Params, Bytes) -> Response + Send + 'static,
) -> Response {
    let started = Instant::now();
    let left = || s.timeout.saturating_sub(started.elapsed());
    let p = try_or_answer!(params(query, also));
    let lang = p.lang;
    try_or_answer!(json_media(req.headers(), lang));
    let body = match tokio::time::timeout(left(), Bytes::from_request(req, &())).await {
        Ok(body) => try_or_answer!(body.map_err(|e| body_problem(&e, lang))),
        Err(_) => return body_timeout(s.timeout, lang),
    };
    let turn = match tokio::time::timeout(left(), s.turns.clone().acquire_owned()).await {
        Ok(Ok(turn)) => turn,
        Ok(Err(_)) => return internal("工作槽已关闭 / the work slots are closed"),
        Err(_) => return work_timeout(s.timeout, lang),
    };
    let state = s.clone();
    let done = work(lang, move || {
        let _turn = turn;
        f(&state, p, body)
    });
    match tokio::time::timeout(left(), done).await {
        Ok(r) => r,
        Err(_) => work_timeout(s.timeout, lang),
    }
}

/// The query parameters of a POST endpoint.
struct Params {
    as_of: NaiveDate,
    lang: Lang,
    subject_id: Option<String>,
    program: Option<String>,
    /// `clerk_formats=true`: the roster's cells may be written as Excel and WPS write them
    /// (see `io::ReadOptions::clerk_formats`).
    read: jiuye_fupin::io::ReadOptions,
}

/// The language a request asks for, for its problems: its `lang` as [`params`] reads it,
/// Chinese (the default) when the query or `lang` cannot be read.
fn lang_of(uri: &Uri) -> Lang {
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .ok()
        .and_then(|Query(pairs)| lang_param(&pairs).ok())
        .unwrap_or_default()
}

/// The `lang` of a query (Chinese when absent). A `lang` that is not `zh` or `en`, or that
/// is given twice, is refused in both languages: which one the caller reads is unknown.
fn lang_param(pairs: &[(String, String)]) -> Result<Lang, Problem> {
    let mut given = pairs.iter().filter(|(k, _)| k == "lang").map(|(_, v)| v);
    match (given.next(), given.next()) {
        (None, _) => Ok(Lang::default()),
        (Some(_), Some(_)) => Err(Problem::bad_request(
            "查询参数 lang 重复出现; 每个参数只能给一次 / query parameter lang is given more than once; give each parameter once"
                .to_owned(),
        )),
        (Some(v), None) => match v.as_str() {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            _ => Err(Problem::bad_request(format!(
                "查询参数 lang: {v:?} 不是 zh、en 之一 / query parameter lang: {v:?} is not one of: zh, en"
            ))),
        },
    }
}

/// Reads the query: `as_of`, `lang` and those in `also`; any other, and any given twice,
/// is refused.
fn params(query: QueryPairs, also: &[&str]) -> Result<Params, Problem> {
    let Query(pairs) = query.map_err(|e| {
        let why = e.body_text();
        Problem::bad_request(say!(
            Lang::default(),
            "无法读取查询字符串: {why}",
            "the query cannot be read: {why}"
        ))
    })?;
    let lang = lang_param(&pairs)?;
    let mut p = Params {
        as_of: parse_date(DEFAULT_AS_OF).unwrap_or_default(),
        lang,
        subject_id: None,
        program: None,
        read: jiuye_fupin::io::ReadOptions::default(),
    };
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in &pairs {
        if seen.contains(&k.as_str()) {
            return Err(Problem::bad_request(say!(
                lang,
                "查询参数 {k} 重复出现; 每个参数只能给一次",
                "query parameter {k} is given more than once; give each parameter once"
            )));
        }
        seen.push(k);
        match k.as_str() {
            "as_of" => {
                p.as_of = parse_date(v).ok_or_else(|| {
                    Problem::bad_request(say!(
                        lang,
                        "查询参数 as_of: {v:?} 不是日期 (YYYY-MM-DD)",
                        "query parameter as_of: {v:?} is not a date (YYYY-MM-DD)"
                    ))
                })?;
            }
            // Read above, before any problem is written.
            "lang" => {}
            "clerk_formats" => {
                let on = match v.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(Problem::bad_request(say!(
                            lang,
                            "查询参数 clerk_formats: {v:?} 不是 true、false 之一",
                            "query parameter clerk_formats: {v:?} is not one of: true, false"
                        )));
                    }
                };
                p.read = p.read.clerk_formats(on);
            }
            "subject_id" if also.contains(&"subject_id") => p.subject_id = Some(v.clone()),
            "program" if also.contains(&"program") => p.program = Some(v.clone()),
            _ => {
                let mut known = vec!["as_of", "lang", "clerk_formats"];
                known.extend(also);
                let known = known.join(", ");
                return Err(Problem::bad_request(say!(
                    lang,
                    "未知的查询参数 {k:?}; 本端点接受: {known}",
                    "unknown query parameter {k:?}; this endpoint takes: {known}"
                )));
            }
        }
    }
    Ok(p)
}

/// 415 unless the body is declared JSON.
fn json_media(headers: &HeaderMap, lang: Lang) -> Result<(), Problem> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = media.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        return Ok(());
    }
    Err(Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "Unsupported media type",
        say!(
            lang,
            "请求体必须是 JSON (Content-Type: application/json), 而不是 {media:?}",
            "the body must be JSON (Content-Type: application/json), not {media:?}"
        ),
    ))
}

/// Why the body could not be received: 413 over the limit, 400 otherwise.
fn body_problem(e: &BytesRejection, lang: Lang) -> Problem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large(lang);
    }
    let why = e.body_text();
    Problem::bad_request(say!(
        lang,
        "无法接收请求体: {why}",
        "the body cannot be received: {why}"
    ))
}

/// Runs CPU work off the async threads; a panic there is an internal error, not a crash.
async fn work(lang: Lang, f: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|_| {
        internal(&say!(
            lang,
            "计算意外失败",
            "the evaluation failed unexpectedly"
        ))
    })
}

/// The roster of a body, with where each record is (its list and index), or its problems.
fn read_roster(body: &[u8], p: &Params) -> Result<(Roster, Origins), Problem> {
    json::parse_roster_traced(body, &p.read).map_err(|e| Problem::input(e, p.lang))
}

/// The answer of `f` on the body's roster, or the problem.
fn on_roster<T: Serialize>(
    body: &[u8],
    p: &Params,
    f: impl FnOnce(&Roster, &Origins) -> Result<T, Problem>,
) -> Response {
    let (roster, origins) = try_or_answer!(read_roster(body, p));
    let out = try_or_answer!(f(&roster, &origins));
    answer(&out, roster.len())
}

/// 422: the roster cannot be evaluated (the cause in the request's language), naming the
/// record at fault (list, index, id) when there is one, as a roster's problems name theirs.
fn eval_problem(e: &jiuye_fupin::EvalError, origins: &Origins, lang: Lang) -> Problem {
    cannot_evaluate(e.render(lang), e.subject(), e.unfit(), origins, lang)
}

/// 422 `cannot-evaluate`: `message`, about `subject` (an amount too large for exact
/// arithmetic), preceded by where its record is, and with the record in `errors`, when
/// `origins` knows it: the `operation` that did not fit and the `inputs` given up to it
/// (each `{term, value}`: a field by its column) with it.
fn cannot_evaluate(
    message: String,
    subject: Option<(SubjectKind, &str)>,
    unfit: Option<&Unfit>,
    origins: &Origins,
    lang: Lang,
) -> Problem {
    let located = subject.is_some_and(|(kind, id)| origins.get(kind, id).is_some());
    let message = origins.name(subject, message, lang);
    let mut p = Problem::unprocessable(
        "cannot-evaluate",
        "The roster cannot be evaluated",
        say!(lang, "名册无法计算: {message}", "{message}"),
    );
    if located {
        p.errors = vec![json::subject_error(origins, subject, &message, unfit)];
    }
    p
}

async fn evaluate(State(s): State<Arc<AppState>>, query: QueryPairs, req: Request) -> Response {
    posted(s, query, req, &[], |s, p, body| {
        on_roster(&body, &p, |roster, origins| {
            EvaluationRecord::evaluate(&s.policy, roster, p.as_of, p.lang)
                .map_err(|e| eval_problem(&e, origins, p.lang))
        })
    })
    .await
}

/// The answer of `/v1/decide`.
#[derive(Serialize)]
struct Decided {
    as_of: NaiveDate,
    /// As the query gave it; the decisions have the roster's id.
    subject_id: String,
    decisions: Vec<DecisionRecord>,
    receipt: ReceiptRecord,
}

/// The decisions on the subject `subject_id`, compared with the roster's ids as the roster
/// compares its ids (NFKC, trimmed of white space: POLICY.md reading 12).
async fn decide(State(s): State<Arc<AppState>>, query: QueryPairs, req: Request) -> Response {
    posted(s, query, req, &["subject_id", "program"], |s, p, body| {
        let lang = p.lang;
        let Some(subject_id) = p.subject_id.clone() else {
            return Problem::bad_request(say!(
                lang,
                "缺少查询参数 subject_id: 要决定的对象的 id",
                "query parameter subject_id is required: the id of the subject to decide"
            ))
            .into_response();
        };
        let (roster, origins) = try_or_answer!(read_roster(&body, &p));
        // Only this subject is decided (with its steps), not the whole roster.
        let engine = Engine::new(&s.policy);
        let key = id_key(&subject_id);
        let mut decisions = Vec::new();
        let decided = engine.for_each_where(
            &roster,
            p.as_of,
            |id| id_key(id) == key,
            |_, d| {
                if p.program.as_ref().is_none_or(|c| c == d.program.code()) {
                    decisions.push(DecisionRecord::new(&d, lang));
                }
                Ok(())
            },
        );
        try_or_answer!(decided.map_err(|e| eval_problem(&e, &origins, lang)));
        if decisions.is_empty() {
            let what = match &p.program {
                Some(c) => say!(
                    lang,
                    "对象 {subject_id:?} 没有项目 {c:?} 的决定",
                    "no decision of program {c:?} on subject {subject_id:?}"
                ),
                None => say!(
                    lang,
                    "名册中没有对象 {subject_id:?}",
                    "no subject {subject_id:?} in the roster"
                ),
            };
            return Problem::unprocessable("unknown-subject", "No such subject", what)
                .into_response();
        }
        answer(
            &Decided {
                as_of: p.as_of,
                subject_id,
                decisions,
                receipt: ReceiptRecord::new(&s.policy, p.as_of),
            },
            roster.len(),
        )
    })
    .await
}

async fn audit(State(s): State<Arc<AppState>>, query: QueryPairs, req: Request) -> Response {
    posted(s, query, req, &[], |s, p, body| {
        on_roster(&body, &p, |roster, _| {
            Ok(AuditRecord::audit(&s.policy, roster, p.as_of, p.lang))
        })
    })
    .await
}

async fn ledger(State(s): State<Arc<AppState>>, query: QueryPairs, req: Request) -> Response {
    posted(s, query, req, &[], |s, p, body| {
        on_roster(&body, &p, |roster, origins| {
            let engine = jiuye_fupin::Engine::new(&s.policy).explain(false);
            jiuye_fupin::ledger::Ledger::build(&engine, roster, p.as_of)
                .map_err(|e| eval_problem(&e, origins, p.lang))
        })
    })
    .await
}

async fn compare(State(s): State<Arc<AppState>>, query: QueryPairs, req: Request) -> Response {
    posted(s, query, req, &[], |s, p, body| {
        let lang = p.lang;
        // A key given twice is refused, as in a roster (`json::parse_value`).
        let doc: Value = try_or_answer!(json::parse_value(&body).map_err(|problem| {
            let at = "body".to_owned();
            Problem::input(InputError::Json { at, problem }.into(), lang)
        }));
        let unknown = doc
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "roster" && *k != "reform"));
        if !doc.is_object() || unknown.is_some() {
            return Problem::unprocessable(
                "invalid-comparison",
                "The comparison cannot be read",
                say!(
                    lang,
                    "请求体应为 {{\"roster\": {{...}}, \"reform\": \"TOML 文本\" 或 {{...}}}}",
                    "the body must be {{\"roster\": {{...}}, \"reform\": \"TOML text\" or {{...}}}}"
                ),
            )
            .into_response();
        }
        let (roster, origins) = try_or_answer!(
            json::roster_from_value_traced(&doc["roster"], &p.read)
                .map_err(|e| Problem::input(e, lang))
        );
        let reform = try_or_answer!(reform_of(&doc["reform"], lang));
        let reformed = try_or_answer!(reform.apply(&s.policy).map_err(|e| {
            let e = e.render(lang);
            Problem::unprocessable(
                "invalid-reform",
                "The reform cannot be applied",
                say!(lang, "改革方案无法应用: {e}", "{e}"),
            )
        }));
        let c = jiuye_fupin::compare::compare(&s.policy, &reformed, &roster, p.as_of)
            .map(|c| c.noting(&reform, &s.policy));
        let c = try_or_answer!(c.map_err(|e| {
            cannot_evaluate(e.render(lang), e.subject(), e.unfit(), &origins, lang)
        }));
        answer(&c, roster.len())
    })
    .await
}

/// A reform: its TOML text, or the same document in JSON (the cause in the request's
/// language).
fn reform_of(v: &Value, lang: Lang) -> Result<jiuye_fupin::reform::Reform, Problem> {
    json::reform_from_value(v).map_err(|e| {
        let e = e.render(lang);
        Problem::unprocessable(
            "invalid-reform",
            "The reform cannot be read",
            say!(lang, "改革方案 (reform): {e}", "reform: {e}"),
        )
    })
}
