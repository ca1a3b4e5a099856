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
//! never a 500: 400 (not JSON, a bad query parameter), 401, 404, 405, 413 (a body over
//! the limit, 16 MiB by default), 415 (not `application/json`), 422 (a roster, reform or
//! subject that cannot be read), 503 (the request time limit, 30 s by default, ran out,
//! waiting included: at most `concurrency` requests are worked on at once).
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
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use jiuye_fupin::io::{InputError, InputErrors, JsonProblem};
use jiuye_fupin::json::{self, AuditRecord, DecisionRecord, EvaluationRecord, ReceiptRecord};
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
    /// The time limit of a request, waiting for a turn included (503 after).
    pub timeout: Duration,
    /// How many requests are worked on at once; the others wait their turn.
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
    turns: Semaphore,
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
        turns: Semaphore::new(config.concurrency.max(1)),
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
        Err(e) => internal(&e.to_string()),
    }
}

fn internal(detail: &str) -> Response {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Internal error",
        detail.to_owned(),
    )
    .into_response()
}

/// Every request: an id, the token, a turn among the bounded number, the time limit, and
/// one log line without any record's field.
async fn guard(State(s): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = s.next_id.fetch_add(1, Ordering::Relaxed);
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let mut response = if let Some(token) = &s.token
        && !authorized(req.headers(), token)
    {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Unauthorized",
            "this service asks for `Authorization: Bearer TOKEN`".to_owned(),
        )
        .into_response()
    } else if declared_length(req.headers()).is_some_and(|n| n > s.max_body_bytes) {
        // Refused before a byte of the body is read.
        too_large().into_response()
    } else {
        let work = async {
            let _turn = s.turns.acquire().await;
            next.run(req).await
        };
        match tokio::time::timeout(s.timeout, work).await {
            Ok(r) => r,
            Err(_) => {
                let mut r = Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "timeout",
                    "The request took too long",
                    format!(
                        "the request was not answered within {} s; send a smaller roster or try again later",
                        s.timeout.as_secs_f64()
                    ),
                )
                .into_response();
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                r
            }
        }
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

fn too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body-too-large",
        "Body too large",
        "the body is larger than this service's limit (--max-body-bytes, 16 MiB by default); split the roster".to_owned(),
    )
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
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        format!("no endpoint {}; see GET /v1/openapi.json", req.uri().path()),
    )
}

async fn method_not_allowed(req: Request) -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method not allowed",
        format!(
            "{} does not answer {}; see GET /v1/openapi.json",
            req.uri().path(),
            req.method()
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

async fn schema(Path(name): Path<String>) -> Response {
    match json::schema(&name) {
        Some(s) => answer(&s, 0),
        None => Problem::new(
            StatusCode::NOT_FOUND,
            "unknown-schema",
            "No such schema",
            format!(
                "there is no schema {name:?}; the schemas are: {}",
                json::SCHEMAS.join(", ")
            ),
        )
        .into_response(),
    }
}

/// A query's pairs, as read (or why they could not be).
type QueryPairs = Result<Query<Vec<(String, String)>>, QueryRejection>;
/// A body, as read within the limit (or why it could not be).
type Body = Result<Bytes, BytesRejection>;

/// A POST endpoint: its query (`as_of`, `lang` and those in `also`), a JSON body, and `f`
/// run off the async threads.
async fn posted(
    query: QueryPairs,
    headers: &HeaderMap,
    body: Body,
    also: &[&str],
    f: impl FnOnce(Params, Bytes) -> Response + Send + 'static,
) -> Response {
    let p = try_or_answer!(params(query, also));
    let body = try_or_answer!(json_body(headers, body));
    work(move || f(p, body)).await
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

/// Reads the query: `as_of`, `lang` and those in `also`; any other is refused.
fn params(query: QueryPairs, also: &[&str]) -> Result<Params, Problem> {
    let Query(pairs) = query.map_err(|e| Problem::bad_request(e.body_text()))?;
    let mut p = Params {
        as_of: DEFAULT_AS_OF.parse().unwrap_or_default(),
        lang: Lang::Zh,
        subject_id: None,
        program: None,
        read: jiuye_fupin::io::ReadOptions::default(),
    };
    for (k, v) in pairs {
        match k.as_str() {
            "as_of" => {
                p.as_of = v.parse().map_err(|_| {
                    Problem::bad_request(format!(
                        "query parameter as_of: {v:?} is not a date (YYYY-MM-DD)"
                    ))
                })?;
            }
            "lang" => {
                p.lang = match v.as_str() {
                    "zh" => Lang::Zh,
                    "en" => Lang::En,
                    _ => {
                        return Err(Problem::bad_request(format!(
                            "query parameter lang: {v:?} is not one of: zh, en"
                        )));
                    }
                };
            }
            "clerk_formats" => {
                let on = match v.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(Problem::bad_request(format!(
                            "query parameter clerk_formats: {v:?} is not one of: true, false"
                        )));
                    }
                };
                p.read = p.read.clerk_formats(on);
            }
            "subject_id" if also.contains(&"subject_id") => p.subject_id = Some(v),
            "program" if also.contains(&"program") => p.program = Some(v),
            _ => {
                let mut known = vec!["as_of", "lang", "clerk_formats"];
                known.extend(also);
                return Err(Problem::bad_request(format!(
                    "unknown query parameter {k:?}; this endpoint takes: {}",
                    known.join(", ")
                )));
            }
        }
    }
    Ok(p)
}

/// The body, if it is JSON and within the limit.
fn json_body(headers: &HeaderMap, body: Body) -> Result<Bytes, Problem> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = media.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            format!("the body must be JSON (Content-Type: application/json), not {media:?}"),
        ));
    }
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            Problem::bad_request(e.body_text())
        }
    })
}

/// Runs CPU work off the async threads; a panic there is an internal error, not a crash.
async fn work(f: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| internal("the evaluation failed unexpectedly"))
}

/// The roster of a body, or its problems.
fn read_roster(body: &[u8], p: &Params) -> Result<Roster, Problem> {
    json::parse_roster_with(body, &p.read).map_err(|e| Problem::input(e, p.lang))
}

/// The answer of `f` on the body's roster, or the problem.
fn on_roster<T: Serialize>(
    body: &[u8],
    p: &Params,
    f: impl FnOnce(&Roster) -> Result<T, Problem>,
) -> Response {
    let roster = try_or_answer!(read_roster(body, p));
    let out = try_or_answer!(f(&roster));
    answer(&out, roster.len())
}

fn eval_problem(e: &jiuye_fupin::EvalError) -> Problem {
    Problem::unprocessable(
        "cannot-evaluate",
        "The roster cannot be evaluated",
        e.to_string(),
    )
}

async fn evaluate(
    State(s): State<Arc<AppState>>,
    query: QueryPairs,
    headers: HeaderMap,
    body: Body,
) -> Response {
    posted(query, &headers, body, &[], move |p, body| {
        on_roster(&body, &p, |roster| {
            EvaluationRecord::evaluate(&s.policy, roster, p.as_of, p.lang)
                .map_err(|e| eval_problem(&e))
        })
    })
    .await
}

/// The answer of `/v1/decide`.
#[derive(Serialize)]
struct Decided {
    as_of: NaiveDate,
    subject_id: String,
    decisions: Vec<DecisionRecord>,
    receipt: ReceiptRecord,
}

async fn decide(
    State(s): State<Arc<AppState>>,
    query: QueryPairs,
    headers: HeaderMap,
    body: Body,
) -> Response {
    posted(
        query,
        &headers,
        body,
        &["subject_id", "program"],
        move |p, body| {
            let Some(subject_id) = p.subject_id.clone() else {
                return Problem::bad_request(
                    "query parameter subject_id is required: the id of the subject to decide"
                        .to_owned(),
                )
                .into_response();
            };
            let roster = try_or_answer!(read_roster(&body, &p));
            // Only this subject is decided (with its steps), not the whole roster.
            let engine = Engine::new(&s.policy);
            let mut decisions = Vec::new();
            let decided = engine.for_each_where(
                &roster,
                p.as_of,
                |id| id == subject_id,
                |_, d| {
                    if p.program.as_ref().is_none_or(|c| c == d.program.code()) {
                        decisions.push(DecisionRecord::new(&d, p.lang));
                    }
                    Ok(())
                },
            );
            try_or_answer!(decided.map_err(|e| eval_problem(&e)));
            if decisions.is_empty() {
                let what = match &p.program {
                    Some(c) => format!("no decision of program {c:?} on subject {subject_id:?}"),
                    None => format!("no subject {subject_id:?} in the roster"),
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
        },
    )
    .await
}

async fn audit(
    State(s): State<Arc<AppState>>,
    query: QueryPairs,
    headers: HeaderMap,
    body: Body,
) -> Response {
    posted(query, &headers, body, &[], move |p, body| {
        on_roster(&body, &p, |roster| {
            Ok(AuditRecord::audit(&s.policy, roster, p.as_of, p.lang))
        })
    })
    .await
}

async fn ledger(
    State(s): State<Arc<AppState>>,
    query: QueryPairs,
    headers: HeaderMap,
    body: Body,
) -> Response {
    posted(query, &headers, body, &[], move |p, body| {
        on_roster(&body, &p, |roster| {
            let engine = jiuye_fupin::Engine::new(&s.policy).explain(false);
            jiuye_fupin::ledger::Ledger::build(&engine, roster, p.as_of)
                .map_err(|e| eval_problem(&e))
        })
    })
    .await
}

async fn compare(
    State(s): State<Arc<AppState>>,
    query: QueryPairs,
    headers: HeaderMap,
    body: Body,
) -> Response {
    posted(query, &headers, body, &[], move |p, body| {
        let doc: Value = try_or_answer!(
            serde_json::from_slice(&body)
                .map_err(|e| { Problem::bad_request(format!("the body is not JSON: {e}")) })
        );
        let unknown = doc
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "roster" && *k != "reform"));
        if !doc.is_object() || unknown.is_some() {
            return Problem::unprocessable(
                "invalid-comparison",
                "The comparison cannot be read",
                "the body must be {\"roster\": {...}, \"reform\": \"TOML text\" or {...}}"
                    .to_owned(),
            )
            .into_response();
        }
        let roster = try_or_answer!(
            json::roster_from_value_with(&doc["roster"], &p.read)
                .map_err(|e| Problem::input(e, p.lang))
        );
        let reform = try_or_answer!(reform_of(&doc["reform"]));
        let reformed = try_or_answer!(reform.apply(&s.policy).map_err(|e| {
            Problem::unprocessable(
                "invalid-reform",
                "The reform cannot be applied",
                e.to_string(),
            )
        }));
        let c = jiuye_fupin::compare::compare(&s.policy, &reformed, &roster, p.as_of);
        let c = try_or_answer!(c.map_err(|e| {
            Problem::unprocessable(
                "cannot-evaluate",
                "The roster cannot be evaluated",
                e.to_string(),
            )
        }));
        answer(&c, roster.len())
    })
    .await
}

/// A reform: its TOML text, or the same document in JSON.
fn reform_of(v: &Value) -> Result<jiuye_fupin::reform::Reform, Problem> {
    json::reform_from_value(v).map_err(|e| {
        Problem::unprocessable(
            "invalid-reform",
            "The reform cannot be read",
            format!("reform: {e}"),
        )
    })
}
