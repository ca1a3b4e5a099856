//! The service as a caller meets it: started on a free port of 127.0.0.1 and called with a
//! real HTTP client. Every endpoint, every class of error, and the decisions of
//! `payouts --data` (the streaming batch path) for the same roster, row for row.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jiuye_fupin::{Policy, json};
use serde_json::{Value, json};

/// A server process, ended when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jiuye-fupin-server"))
            .args(["--listen", "127.0.0.1:0", "--quiet"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap()
            .to_owned();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        Server { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status, content type and body (JSON) of a response, error statuses included.
fn answer(r: Result<ureq::Response, ureq::Error>) -> (u16, String, Value) {
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = resp.status();
    let media = resp.header("content-type").unwrap_or("").to_owned();
    let mut body = Vec::new();
    resp.into_reader().read_to_end(&mut body).unwrap();
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, media, value)
}

fn get(s: &Server, path: &str) -> (u16, String, Value) {
    answer(ureq::get(&s.url(path)).call())
}

fn post(s: &Server, path: &str, body: &[u8]) -> (u16, String, Value) {
    answer(
        ureq::post(&s.url(path))
            .set("Content-Type", "application/json")
            .send_bytes(body),
    )
}

/// A request written by hand on a new connection (`head`: header lines, each ending in
/// CRLF), and the whole answer as text.
fn raw(s: &Server, request_line: &str, head: &str, body: &str) -> String {
    let addr = s.base.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let request =
        format!("{request_line} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{head}\r\n{body}");
    let _ = std::io::Write::write_all(&mut stream, request.as_bytes());
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text
}

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(p)
}

fn roster_json(dir: &str) -> Vec<u8> {
    let roster = jiuye_fupin::io::read_roster_dir(&repo(dir)).unwrap();
    serde_json::to_vec(&json::roster_to_value(&roster)).unwrap()
}

const ONE: &str = r#"{"laborers": [{"id": "L1", "poverty_status": "lifted", "able_to_work": true,
    "work_destination": "out_of_county", "departure_date": "2020-02-20", "transport_cost": "523.40"}]}"#;

#[test]
fn evaluate_gives_exactly_the_rows_of_payouts_data() {
    let s = Server::start(&[]);
    let policy = Policy::yang_county_2020();
    for (dir, as_of) in [
        ("src/sample", "2020-04-01"),
        ("tests/fixtures/n10000", "2020-06-30"),
    ] {
        let inputs = jiuye_fupin::batch::Inputs::dir(&repo(dir)).unwrap();
        let mut csv = Vec::new();
        jiuye_fupin::batch::run(
            &inputs,
            &policy,
            as_of.parse().unwrap(),
            &mut csv,
            &Default::default(),
        )
        .unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let (status, media, v) = post(
            &s,
            &format!("/v1/evaluate?as_of={as_of}&lang=en"),
            &roster_json(dir),
        );
        assert_eq!((status, media.as_str()), (200, "application/json"), "{v}");
        let rows: Vec<String> = v["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let reasons: Vec<&str> = d["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap())
                    .collect();
                format!(
                    "{},{},{},{},{}",
                    d["program"].as_str().unwrap(),
                    d["subject_id"].as_str().unwrap(),
                    d["eligible"],
                    d["amount"].as_str().unwrap(),
                    reasons.join(";")
                )
            })
            .collect();
        let expected: Vec<&str> = csv.lines().skip(1).collect();
        assert_eq!(rows.len(), expected.len(), "{dir}");
        assert!(
            rows.iter().zip(&expected).all(|(a, b)| a == b),
            "{dir}: the decisions differ from payouts --data"
        );
        assert_eq!(
            v["receipt"]["policy_sha256"],
            get(&s, "/v1/policy").2["sha256"]
        );
        assert_eq!(v["as_of"], as_of);
        assert!(
            v["totals"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["amount"].is_string())
        );
    }
}

#[test]
fn every_endpoint_answers() {
    let s = Server::start(&[]);
    let (status, _, v) = get(&s, "/v1/health");
    assert_eq!((status, v["status"].as_str()), (200, Some("ok")));

    let (status, _, v) = get(&s, "/v1/policy");
    assert_eq!(status, 200);
    assert_eq!(
        v["sha256"],
        jiuye_fupin::receipt::policy_hash(&Policy::yang_county_2020())
    );
    assert_eq!(
        v["parameters"]["transport_subsidy"]["cap"][0]["value"],
        "500.00"
    );

    let (status, _, v) = get(&s, "/v1/openapi.json");
    assert_eq!((status, v["openapi"].as_str()), (200, Some("3.1.0")));
    for path in [
        "/v1/health",
        "/v1/policy",
        "/v1/openapi.json",
        "/v1/schema/{name}",
        "/v1/evaluate",
        "/v1/decide",
        "/v1/audit",
        "/v1/ledger",
        "/v1/compare",
    ] {
        assert!(v["paths"][path].is_object(), "{path}");
    }
    for name in json::SCHEMAS {
        let (status, _, v) = get(&s, &format!("/v1/schema/{name}"));
        assert_eq!((status, Some(v)), (200, json::schema(name)), "{name}");
    }

    let (status, _, v) = post(
        &s,
        "/v1/decide?subject_id=L1&program=transport_subsidy&lang=en",
        ONE.as_bytes(),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(v["decisions"][0]["amount"], "500.00");
    assert_eq!(v["decisions"][0]["reasons"], json!(["capped"]));
    assert_eq!(
        v["decisions"][0]["steps"][0],
        "min(transport cost 523.40, cap 500.00) = 500.00"
    );
    // A body that starts with a byte order mark (as Windows tools write) reads the same.
    let bom = [b"\xEF\xBB\xBF".as_slice(), ONE.as_bytes()].concat();
    let (status, _, with_bom) = post(&s, "/v1/decide?subject_id=L1", &bom);
    assert_eq!(status, 200, "{with_bom}");
    let (_, _, v) = post(&s, "/v1/decide?subject_id=L1", ONE.as_bytes());
    assert_eq!(with_bom, v);
    assert_eq!(
        v["decisions"].as_array().unwrap().len(),
        3,
        "R1, R2, R3 on the laborer"
    );

    // Each subject of the sample decided alone: its decisions as the whole evaluation has
    // them (a loan's subject is its laborer: both answered by the laborer's id).
    let sample = roster_json("src/sample");
    let (_, _, all) = post(&s, "/v1/evaluate?lang=en", &sample);
    let all = all["decisions"].as_array().unwrap();
    let mut ids: Vec<&str> = all
        .iter()
        .map(|d| d["subject_id"].as_str().unwrap())
        .collect();
    ids.dedup();
    for id in ids {
        let want: Vec<&Value> = all.iter().filter(|d| d["subject_id"] == id).collect();
        let (status, _, v) = post(&s, &format!("/v1/decide?subject_id={id}&lang=en"), &sample);
        assert_eq!(status, 200, "{v}");
        let got: Vec<&Value> = v["decisions"].as_array().unwrap().iter().collect();
        assert_eq!(got, want, "{id}");
    }

    let (status, _, v) = post(&s, "/v1/audit?lang=en", &roster_json("src/sample"));
    assert_eq!(status, 200, "{v}");
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"ghost_post") && kinds.contains(&"substitute"),
        "{kinds:?}"
    );

    let (status, _, v) = post(&s, "/v1/ledger", &roster_json("src/sample"));
    assert_eq!(status, 200, "{v}");
    let evaluation = post(&s, "/v1/evaluate", &roster_json("src/sample")).2;
    let payouts = |t: &Value| -> Vec<(Value, Value)> {
        t.as_array()
            .unwrap()
            .iter()
            .map(|p| (p["program"].clone(), p["amount"].clone()))
            .collect()
    };
    assert_eq!(
        payouts(&v["totals"]["programs"]),
        payouts(&evaluation["totals"]),
        "the ledger's totals are the evaluation's"
    );

    let reform = std::fs::read_to_string(repo("policies/reforms/transport-cap-600.toml")).unwrap();
    let sample: Value = serde_json::from_slice(&roster_json("src/sample")).unwrap();
    let body = json!({"roster": sample, "reform": reform});
    let (status, _, text_reform) = post(&s, "/v1/compare", &serde_json::to_vec(&body).unwrap());
    assert_eq!(status, 200, "{text_reform}");
    assert!(!text_reform["changed"].as_array().unwrap().is_empty());
    let body = json!({"roster": sample, "reform": {"name": "transport cap 600 from 2020-03-01", "change": [
        {"parameter": "transport_subsidy.cap", "effective_from": "2020-03-01", "value": "600.00"}]}});
    let (status, _, json_reform) = post(&s, "/v1/compare", &serde_json::to_vec(&body).unwrap());
    assert_eq!(status, 200, "{json_reform}");
    assert_eq!(json_reform["changed"], text_reform["changed"]);
    assert_eq!(json_reform["not_compared"], json!([]));
    // A change no decision shows (R10's deadline) is named, not left as "nothing changed".
    let body = json!({"roster": sample, "reform": {"name": "deadline", "change": [
        {"parameter": "post_compliance.payment_deadline_day", "effective_from": "2020-03-01", "value": 10}]}});
    let (status, _, v) = post(&s, "/v1/compare", &serde_json::to_vec(&body).unwrap());
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["changed"], json!([]));
    assert_eq!(
        v["not_compared"],
        json!([{"parameter": "post_compliance.payment_deadline_day", "effective_from": "2020-03-01", "why": "audit"}])
    );
}

/// A problem document with this status, naming what `detail` contains.
fn problem(a: (u16, String, Value), status: u16, detail: &str) -> Value {
    let (got, media, v) = a;
    assert_eq!(got, status, "{v}");
    assert_eq!(media, "application/problem+json");
    assert_eq!(v["status"], status);
    let d = v["detail"].as_str().unwrap();
    assert!(d.contains(detail), "{d:?} does not say {detail:?}");
    v
}

#[test]
fn every_mistake_is_a_problem_document_never_a_500() {
    let s = Server::start(&["--max-body-bytes", "100000"]);
    // 400: not JSON, a bad query parameter.
    problem(
        post(&s, "/v1/evaluate?lang=en", b"{\"laborers\": ["),
        400,
        "roster: is not JSON",
    );
    problem(
        post(&s, "/v1/evaluate?as_of=2020-02-30&lang=en", ONE.as_bytes()),
        400,
        "as_of: \"2020-02-30\" is not a date",
    );
    problem(
        post(&s, "/v1/evaluate?lang=fr", ONE.as_bytes()),
        400,
        "lang: \"fr\"",
    );
    problem(
        post(&s, "/v1/evaluate?as-of=2020-01-01&lang=en", ONE.as_bytes()),
        400,
        "unknown query parameter \"as-of\"",
    );
    problem(
        post(&s, "/v1/decide?lang=en", ONE.as_bytes()),
        400,
        "subject_id is required",
    );
    // 404, 405.
    problem(get(&s, "/v1/nothing"), 404, "/v1/nothing");
    problem(get(&s, "/v1/schema/nothing"), 404, "roster, evaluation");
    problem(get(&s, "/v1/evaluate"), 405, "GET");
    // 413: over the limit.
    // Refused on its declared length, before the body is read (sent whole, a client
    // may see the connection closed under it rather than the answer: so only the head).
    let text = raw(
        &s,
        "POST /v1/evaluate",
        "Content-Type: application/json\r\nContent-Length: 100001\r\n",
        "",
    );
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(
        text.contains("application/problem+json") && text.contains("--max-body-bytes"),
        "{text}"
    );
    // A chunked body (no declared length) over the limit: refused as it is read.
    let chunk = format!("{:x}\r\n{}\r\n0\r\n\r\n", 100_500, " ".repeat(100_500));
    let text = raw(
        &s,
        "POST /v1/evaluate",
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
        &chunk,
    );
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    // 415: not JSON.
    let a = answer(
        ureq::post(&s.url("/v1/evaluate"))
            .set("Content-Type", "text/csv")
            .send_bytes(b"id\nL1\n"),
    );
    problem(a, 415, "application/json");
    // 422: the record, field and value, every problem.
    let v = problem(
        post(&s, "/v1/evaluate?lang=en", br#"{"laborers": [{"id": "L1", "transport_cost": 523.4}, {"id": "L2", "isolation_days": -1}]}"#),
        422,
        "laborers[0] (id \"L1\"), field transport_cost: 523.4 is a JSON number",
    );
    assert_eq!(v["errors"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["errors"][1],
        json!({"list": "laborers", "index": 1, "id": "L2", "field": "isolation_days", "value": "-1",
        "message": "laborers[1] (id \"L2\"), field isolation_days: -1 is not a whole number >= 0"})
    );
    problem(
        post(
            &s,
            "/v1/evaluate",
            br#"{"laborers": [{"id": "L1", "transport_cost": "-3.00"}]}"#,
        ),
        422,
        "transport_cost 字段: \"-3.00\" 为负数",
    );
    problem(
        post(&s, "/v1/decide?subject_id=L9&lang=en", ONE.as_bytes()),
        422,
        "no subject \"L9\"",
    );
    // A roster with none of its lists is no empty success (POLICY.md reading 13).
    problem(
        post(&s, "/v1/evaluate?lang=en", b"{}"),
        422,
        "holds none of a roster's lists",
    );
    problem(
        post(
            &s,
            "/v1/compare?lang=en",
            br#"{"roster": {"laborers": []}, "reform": 3}"#,
        ),
        422,
        "a reform is a reform file's TOML text",
    );
    problem(
        post(
            &s,
            "/v1/compare?lang=en",
            br#"{"roster": {"posts": []}, "reform": "name = 1"}"#,
        ),
        422,
        "reform",
    );
    problem(
        post(
            &s,
            "/v1/compare?lang=en",
            br#"{"roster": {"laborers": [{}]}, "reform": "name = \"x\""}"#,
        ),
        422,
        "laborers[0], field id",
    );
    // A key given twice: refused, never the last one kept (in a roster, and in a comparison).
    problem(
        post(
            &s,
            "/v1/evaluate?lang=en",
            br#"{"laborers": [{"id": "L1"}], "laborers": [{"id": "L2"}]}"#,
        ),
        422,
        "gives the key \"laborers\" twice",
    );
    problem(
        post(
            &s,
            "/v1/compare?lang=en",
            br#"{"roster": {"laborers": []}, "roster": {"posts": []}, "reform": "name = \"x\""}"#,
        ),
        422,
        "gives the key \"roster\" twice",
    );
    // Hostile bodies: an answer below 500 (an empty roster is a roster), never a 500 or a
    // dropped connection.
    for body in [
        &b""[..],
        b"null",
        b"[]",
        b"\"x\"",
        b"{\"laborers\": null}",
        b"{\"posts\": [{\"id\": \"P\", \"holder_id\": \"\"}]}",
        b"{\"laborers\": [{\"id\": \"L\", \"isolation_days\": 1e400}]}",
        &[0xff, 0xfe, 0x00][..],
        &b"[".repeat(5000),
    ] {
        for path in [
            "/v1/evaluate",
            "/v1/decide?subject_id=x",
            "/v1/audit",
            "/v1/compare",
        ] {
            let (status, _, _) = post(&s, path, body);
            assert!(
                (200..500).contains(&status),
                "{path} {:?}: {status}",
                String::from_utf8_lossy(&body[..body.len().min(40)])
            );
        }
    }
    // Still serving.
    assert_eq!(get(&s, "/v1/health").0, 200);
}

#[test]
fn a_token_is_required_when_given_and_the_time_limit_holds() {
    let dir = std::env::temp_dir().join(format!("jiuye-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    std::fs::write(&file, "s3cret-token\n").unwrap();
    let s = Server::start(&["--token-file", file.to_str().unwrap()]);
    let v = problem(get(&s, "/v1/health"), 401, "Bearer");
    assert_eq!(v["title"], "Unauthorized");
    let wrong = answer(
        ureq::get(&s.url("/v1/health"))
            .set("Authorization", "Bearer s3cret-tokeN")
            .call(),
    );
    assert_eq!(wrong.0, 401);
    let right = answer(
        ureq::get(&s.url("/v1/health"))
            .set("Authorization", "Bearer s3cret-token")
            .call(),
    );
    assert_eq!(right.0, 200);
    let r = ureq::post(&s.url("/v1/evaluate"))
        .set("Authorization", "Bearer s3cret-token")
        .set("Content-Type", "application/json")
        .send_bytes(ONE.as_bytes());
    assert_eq!(answer(r).0, 200);
    std::fs::remove_dir_all(&dir).unwrap();

    // A caller that stops sending half way through its body is answered 408 at the limit
    // (not a 503 asking for a smaller roster: the roster was never received).
    let s = Server::start(&["--timeout-seconds", "1"]);
    let started = Instant::now();
    let text = raw(
        &s,
        "POST /v1/evaluate?lang=en",
        "Content-Type: application/json\r\nContent-Length: 100\r\n",
        "{\"laborers\": [",
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("application/problem+json"), "{text}");
    assert!(
        text.contains("the body was not received within 1 s"),
        "{text}"
    );
}

/// A connection that sends a request's head and `sent`, the start of a body of 100 bytes,
/// then nothing more.
fn stall(s: &Server, path: &str, sent: &str) -> std::net::TcpStream {
    let addr = s.base.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{sent}"
    );
    std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
    stream
}

#[test]
fn stalled_uploads_hold_no_work_slot_and_are_answered_408() {
    let s = Server::start(&["--concurrency", "2", "--timeout-seconds", "4"]);
    // More stalled uploads than work slots.
    let stalled: Vec<_> = [
        "/v1/evaluate?lang=en",
        "/v1/evaluate",
        "/v1/audit",
        "/v1/ledger",
    ]
    .iter()
    .map(|path| stall(&s, path, "{"))
    .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    // Health never waits for a work slot, and a roster sent whole is worked on at once.
    assert_eq!(get(&s, "/v1/health").0, 200);
    let health = started.elapsed();
    assert!(health < Duration::from_secs(2), "health waited {health:?}");
    let (status, _, v) = post(&s, "/v1/decide?subject_id=L1", ONE.as_bytes());
    assert_eq!(status, 200, "{v}");
    let work = started.elapsed();
    assert!(work < Duration::from_secs(2), "the roster waited {work:?}");
    // Each stalled upload: 408 at the time limit, in its language.
    for (i, mut c) in stalled.into_iter().enumerate() {
        let mut text = String::new();
        let _ = c.read_to_string(&mut text);
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("application/problem+json"), "{text}");
        let says = if i == 0 {
            "the body was not received within 4 s"
        } else {
            "请求体未在 4 秒内收完"
        };
        assert!(text.contains(says), "{text}");
        assert!(!text.contains("smaller roster"), "{text}");
    }
    assert!(started.elapsed() >= Duration::from_millis(3500));
    // Still serving.
    assert_eq!(get(&s, "/v1/health").0, 200);
}

#[test]
fn a_request_whose_head_never_ends_is_closed_at_the_time_limit() {
    // Part of a head, then nothing: the connection was held open for ever (no timer was
    // given to hyper, so its limit on reading a head did not apply).
    let s = Server::start(&["--timeout-seconds", "2"]);
    let addr = s.base.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    std::io::Write::write_all(&mut stream, b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n").unwrap();
    let mut text = Vec::new();
    let read = stream.read_to_end(&mut text);
    let waited = started.elapsed();
    assert!(
        read.is_ok()
            || read
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "{read:?} after {waited:?}"
    );
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(10),
        "closed after {waited:?}"
    );
    // A request sent whole on a new connection is answered as before.
    assert_eq!(get(&s, "/v1/health").0, 200);
}

#[test]
fn decide_finds_a_subject_by_its_id_as_the_roster_compares_ids() {
    let s = Server::start(&[]);
    // POLICY.md reading 12: ids equal after NFKC and trimming of white space (U+3000 and
    // U+00A0 included) are the same id. The decisions keep the roster's id.
    let trimmed = br#"{"laborers": [{"id": " L1", "poverty_status": "lifted"}]}"#;
    let wide = r#"{"laborers": [{"id": "Ｌ１", "poverty_status": "lifted"}]}"#;
    for (roster, shown) in [(&trimmed[..], " L1"), (wide.as_bytes(), "Ｌ１")] {
        for q in [
            "L1",
            "%20L1",
            "L1%E3%80%80",
            "%C2%A0L1",
            "%EF%BC%AC%EF%BC%91",
        ] {
            let (status, _, v) = post(&s, &format!("/v1/decide?subject_id={q}&lang=en"), roster);
            assert_eq!(status, 200, "{q}: {v}");
            let decisions = v["decisions"].as_array().unwrap();
            assert_eq!(decisions.len(), 3, "{q}: {v}");
            assert!(
                decisions.iter().all(|d| d["subject_id"] == shown),
                "{q}: {v}"
            );
        }
        problem(
            post(&s, "/v1/decide?subject_id=L2&lang=en", roster),
            422,
            "no subject \"L2\"",
        );
    }
    // The sample's YX-L002 asked for in fullwidth letters (ＹＸ-Ｌ002).
    let sample =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/roster.json")).unwrap();
    let (_, _, want) = post(&s, "/v1/decide?subject_id=YX-L002&lang=en", &sample);
    let (status, _, got) = post(
        &s,
        "/v1/decide?subject_id=%EF%BC%B9%EF%BC%B8-%EF%BC%AC002&lang=en",
        &sample,
    );
    assert_eq!(status, 200, "{got}");
    assert!(!got["decisions"].as_array().unwrap().is_empty());
    assert_eq!(got["decisions"], want["decisions"]);
}

#[test]
fn as_of_is_read_strictly_and_a_repeated_parameter_is_refused() {
    let s = Server::start(&[]);
    for (query, says) in [
        (
            "as_of=2020-4-1",
            "as_of: \"2020-4-1\" is not a date (YYYY-MM-DD)",
        ),
        ("as_of=-0001-01-01", "as_of: \"-0001-01-01\" is not a date"),
        (
            "as_of=%2B2020-04-01",
            "as_of: \"+2020-04-01\" is not a date",
        ),
        (
            "as_of=2020-04-01&as_of=2021-01-01",
            "query parameter as_of is given more than once",
        ),
        (
            "clerk_formats=true&clerk_formats=false",
            "query parameter clerk_formats is given more than once",
        ),
    ] {
        problem(
            post(&s, &format!("/v1/evaluate?{query}&lang=en"), ONE.as_bytes()),
            400,
            says,
        );
    }
    problem(
        post(
            &s,
            "/v1/decide?subject_id=L1&subject_id=L2&lang=en",
            ONE.as_bytes(),
        ),
        400,
        "query parameter subject_id is given more than once",
    );
    // A repeated lang: which language the caller reads is unknown, so both.
    let v = problem(
        post(&s, "/v1/evaluate?lang=zh&lang=en", ONE.as_bytes()),
        400,
        "query parameter lang is given more than once",
    );
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("查询参数 lang 重复出现")
    );
    let (status, _, v) = post(&s, "/v1/evaluate?as_of=2020-06-30&lang=en", ONE.as_bytes());
    assert_eq!((status, v["as_of"].as_str()), (200, Some("2020-06-30")));
}

#[test]
fn every_problem_follows_lang() {
    let s = Server::start(&["--max-body-bytes", "1000"]);
    // (request, lang=en says, the default and lang=zh say)
    let post_ = |path: &str, media: &str, body: &[u8]| {
        answer(
            ureq::post(&s.url(path))
                .set("Content-Type", media)
                .send_bytes(body),
        )
    };
    type Ask<'a> = Box<dyn Fn(&str) -> (u16, String, Value) + 'a>;
    let cases: Vec<(u16, Ask, &str, &str)> = vec![
        (
            400,
            Box::new(|q| {
                post_(
                    &format!("/v1/evaluate?as_of=bad{q}"),
                    "application/json",
                    ONE.as_bytes(),
                )
            }),
            "query parameter as_of: \"bad\" is not a date",
            "查询参数 as_of: \"bad\" 不是日期",
        ),
        (
            400,
            Box::new(|q| {
                post_(
                    &format!("/v1/audit?to=1{q}"),
                    "application/json",
                    ONE.as_bytes(),
                )
            }),
            "unknown query parameter \"to\"",
            "未知的查询参数 \"to\"",
        ),
        (
            400,
            Box::new(|q| {
                post_(
                    &format!("/v1/decide?as_of=2020-04-01{q}"),
                    "application/json",
                    ONE.as_bytes(),
                )
            }),
            "query parameter subject_id is required",
            "缺少查询参数 subject_id",
        ),
        (
            404,
            Box::new(|q| get(&s, &format!("/v1/nothing?x=1{q}"))),
            "no endpoint /v1/nothing",
            "没有端点 /v1/nothing",
        ),
        (
            404,
            Box::new(|q| get(&s, &format!("/v1/schema/nothing?x=1{q}"))),
            "there is no schema \"nothing\"",
            "没有名为 \"nothing\" 的 schema",
        ),
        (
            405,
            Box::new(|q| get(&s, &format!("/v1/evaluate?x=1{q}"))),
            "/v1/evaluate does not answer GET",
            "/v1/evaluate 不接受 GET 请求",
        ),
        (
            413,
            Box::new(|q| {
                post_(
                    &format!("/v1/evaluate?x=1{q}"),
                    "application/json",
                    &[b' '; 1001],
                )
            }),
            "the body is larger than this service's limit",
            "请求体超过本服务的上限",
        ),
        (
            415,
            Box::new(|q| {
                post_(
                    &format!("/v1/evaluate?as_of=2020-04-01{q}"),
                    "text/csv",
                    b"id\nL1\n",
                )
            }),
            "the body must be JSON",
            "请求体必须是 JSON",
        ),
        (
            422,
            Box::new(|q| {
                post_(
                    &format!("/v1/decide?subject_id=L9{q}"),
                    "application/json",
                    ONE.as_bytes(),
                )
            }),
            "no subject \"L9\" in the roster",
            "名册中没有对象 \"L9\"",
        ),
        (
            422,
            Box::new(|q| {
                post_(
                    &format!("/v1/compare?as_of=2020-04-01{q}"),
                    "application/json",
                    b"[]",
                )
            }),
            "the body must be {\"roster\"",
            "请求体应为 {\"roster\"",
        ),
    ];
    for (status, ask, en, zh) in &cases {
        problem(ask("&lang=en"), *status, en);
        problem(ask("&lang=zh"), *status, zh);
        problem(ask(""), *status, zh);
    }
    // Refused on the declared length, before the body is read: in the query's language.
    for (query, says) in [
        ("?lang=en", "the body is larger than this service's limit"),
        ("", "请求体超过本服务的上限"),
    ] {
        let text = raw(
            &s,
            &format!("POST /v1/evaluate{query}"),
            "Content-Type: application/json\r\nContent-Length: 1001\r\n",
            "",
        );
        assert!(text.starts_with("HTTP/1.1 413"), "{text}");
        assert!(text.contains(says), "{text}");
    }
    // A lang that is neither: its problem in both languages; other problems in the default.
    let v = problem(
        post(&s, "/v1/evaluate?lang=fr", ONE.as_bytes()),
        400,
        "query parameter lang: \"fr\" is not one of: zh, en",
    );
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("查询参数 lang: \"fr\" 不是 zh、en 之一")
    );
    problem(get(&s, "/v1/nothing?lang=fr"), 404, "没有端点 /v1/nothing");

    // 401, before anything else is read.
    let dir = std::env::temp_dir().join(format!("jiuye-token-lang-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    std::fs::write(&file, "s3cret-token\n").unwrap();
    let t = Server::start(&["--token-file", file.to_str().unwrap()]);
    problem(
        get(&t, "/v1/health"),
        401,
        "本服务要求 `Authorization: Bearer TOKEN`",
    );
    problem(
        get(&t, "/v1/health?lang=en"),
        401,
        "this service asks for `Authorization: Bearer TOKEN`",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg(unix)]
fn an_argument_that_is_not_utf8_stops_the_start_in_the_chosen_language_not_a_panic() {
    // `std::env::args` panicked (exit status 101) on `--policy` naming a file in GBK.
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"county\xff.toml");
    for (lang, says) in [
        ("en", "the argument \"county\\xFF.toml\" is not UTF-8 text"),
        ("zh", "参数 \"county\\xFF.toml\" 不是 UTF-8 文本"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_jiuye-fupin-server"))
            .args(["--lang", lang, "--listen", "127.0.0.1:0", "--policy"])
            .arg(bad)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(says) && !err.contains("panicked"), "{err}");
    }
}

#[test]
fn the_readme_sample_roster_is_the_embedded_sample() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/roster.json");
    let want = serde_json::to_string_pretty(&json::roster_to_value(&jiuye_fupin::sample::roster()))
        .unwrap()
        + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == want,
        "server/sample/roster.json is not current: run `UPDATE_SCHEMA=1 cargo test -p jiuye-fupin-server`"
    );
}

#[test]
fn another_countys_policy_is_served_and_a_bad_one_stops_the_start() {
    let file = repo("policies/example-county.toml");
    let s = Server::start(&["--policy", file.to_str().unwrap()]);
    let (_, _, v) = get(&s, "/v1/policy");
    let policy = Policy::load(&file).unwrap();
    assert_eq!(v["name"], policy.name());
    assert_eq!(v["sha256"], jiuye_fupin::receipt::policy_hash(&policy));
    let (_, _, e) = post(&s, "/v1/evaluate", ONE.as_bytes());
    assert_eq!(e["receipt"]["policy_sha256"], v["sha256"]);

    let out = Command::new(env!("CARGO_BIN_EXE_jiuye-fupin-server"))
        .args(["--listen", "127.0.0.1:0", "--policy", "no/such/policy.toml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/policy.toml"));

    // The program's own messages follow `--lang`, wherever it stands (Chinese by default).
    let said = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_jiuye-fupin-server"))
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let missing = ["--policy", "no/such/policy.toml"];
    assert_eq!(
        said(&missing),
        "jiuye-fupin-server: 无法读取政策文件 no/such/policy.toml：文件不存在\n"
    );
    assert!(
        said(&[&missing[..], &["--lang", "en"]].concat())
            .starts_with("jiuye-fupin-server: cannot read policy file no/such/policy.toml: ")
    );
    assert!(said(&["--token-file", "src"]).contains("--token-file src：不是普通文件"));
    assert!(
        said(&["--lang", "en", "--bogus"])
            .starts_with("jiuye-fupin-server: unknown argument \"--bogus\"\n")
    );
}

#[test]
fn clerk_formats_are_read_when_the_query_asks_and_refused_otherwise() {
    let s = Server::start(&[]);
    let body = r#"{"laborers": [{"id": "L1", "poverty_status": "lifted", "able_to_work": true,
        "work_destination": "out_of_county", "departure_date": "2020年3月1日",
        "transport_cost": "¥1,234.50"}]}"#;
    // By default POLICY.md's forms only: a 422 naming the field.
    problem(
        post(&s, "/v1/evaluate?lang=en", body.as_bytes()),
        422,
        "field departure_date: \"2020年3月1日\" is not a date",
    );
    let (status, _, v) = post(&s, "/v1/evaluate?clerk_formats=true", body.as_bytes());
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["decisions"][0]["amount"], "500.00");
    // Ambiguous even so: refused with the form to write.
    let us = body.replace("2020年3月1日", "3/1/2020");
    problem(
        post(&s, "/v1/audit?clerk_formats=true&lang=en", us.as_bytes()),
        422,
        "write the year first",
    );
    problem(
        post(
            &s,
            "/v1/evaluate?clerk_formats=yes&lang=en",
            body.as_bytes(),
        ),
        400,
        "clerk_formats: \"yes\" is not one of: true, false",
    );
}

#[test]
fn a_reforms_problem_is_in_the_requests_language() {
    let s = Server::start(&[]);
    let bad_value = json!({"roster": {"laborers": []}, "reform":
        "name = \"bad\"\n\n[[change]]\nparameter = \"transport_subsidy.cap\"\neffective_from = \"2021-03-01\"\nvalue = \"-600\"\n"});
    let body = serde_json::to_vec(&bad_value).unwrap();
    problem(
        post(&s, "/v1/compare?lang=zh", &body),
        422,
        "改革方案无法应用: 改革方案 \"bad\"，第 3 行，参数 transport_subsidy.cap（2021-03-01 起）：\"-600\" 为负数",
    );
    problem(
        post(&s, "/v1/compare?lang=en", &body),
        422,
        "reform \"bad\", line 3, at transport_subsidy.cap from 2021-03-01: \"-600\" is negative",
    );
    // The same reform as a JSON object: no line of a text the caller never wrote.
    let as_object = json!({"roster": {"laborers": []}, "reform": {"name": "bad", "change": [
        {"parameter": "transport_subsidy.cap", "effective_from": "2021-03-01", "value": "-600"}]}});
    problem(
        post(
            &s,
            "/v1/compare?lang=zh",
            &serde_json::to_vec(&as_object).unwrap(),
        ),
        422,
        "改革方案无法应用: 改革方案 \"bad\"，参数 transport_subsidy.cap（2021-03-01 起）：\"-600\" 为负数",
    );
    // Chinese by default, as every problem.
    let unknown_key = json!({"roster": {"laborers": []}, "reform": "name = \"x\"\nnam = 1\n"});
    problem(
        post(
            &s,
            "/v1/compare",
            &serde_json::to_vec(&unknown_key).unwrap(),
        ),
        422,
        "改革方案 (reform): 第 2 行",
    );
    let not_a_reform = json!({"roster": {"laborers": []}, "reform": 3});
    problem(
        post(
            &s,
            "/v1/compare?lang=zh",
            &serde_json::to_vec(&not_a_reform).unwrap(),
        ),
        422,
        "改革方案应为文件的 TOML 文本，或同一文档的 JSON 对象",
    );
}

#[test]
fn an_amount_too_large_to_compute_names_its_record_list_index_and_id() {
    // Each computing endpoint said only the program and the subject (`ui_refund for E1:
    // amount too large ...`), not where the record is in the body.
    let s = Server::start(&[]);
    let max = "79228162514264337593543950335";
    let roster = json!({
        "laborers": [{"id": "L1"}],
        "enterprises": [
            {"id": "E0", "kind": "other"},
            {"id": "E1", "kind": "other", "ui_insured": true, "ui_insured_months": 12,
             "insured_headcount": 10, "layoffs": 0, "prior_year_ui_paid": max,
             "application_date": "2020-03-01"},
        ],
    });
    let body = serde_json::to_vec(&roster).unwrap();
    let reform = std::fs::read_to_string(repo("policies/reforms/transport-cap-600.toml")).unwrap();
    let compared = serde_json::to_vec(&json!({"roster": roster, "reform": reform})).unwrap();
    let at = "enterprises[1] (id \"E1\")";
    for (lang, said, under) in [
        (
            "en",
            format!("{at}: ui_refund for E1: amount too large"),
            format!("{at}: under the base policy: ui_refund for E1: amount too large"),
        ),
        (
            "zh",
            format!("名册无法计算: {at}：失业保险稳岗返还 (ui_refund) 对象 E1：金额过大"),
            format!("名册无法计算: {at}：按原政策：失业保险稳岗返还 (ui_refund) 对象 E1："),
        ),
    ] {
        for (path, body, said) in [
            (format!("/v1/evaluate?lang={lang}"), &body, &said),
            (
                format!("/v1/decide?lang={lang}&subject_id=E1"),
                &body,
                &said,
            ),
            (format!("/v1/ledger?lang={lang}"), &body, &said),
            (format!("/v1/compare?lang={lang}"), &compared, &under),
        ] {
            let v = problem(post(&s, &path, body), 422, said);
            assert_eq!(
                v["type"], "urn:jiuye-fupin:problem:cannot-evaluate",
                "{path}"
            );
            let e = &v["errors"][0];
            assert_eq!(
                (&e["list"], &e["index"], &e["id"]),
                (&json!("enterprises"), &json!(1), &json!("E1")),
                "{path}: {v}"
            );
            // The operation that did not fit, and the field at fault by its column.
            let paid = json!({"term": "prior_year_ui_paid", "value": max});
            assert_eq!(e["operation"]["op"], "product", "{path}: {v}");
            assert_eq!(e["operation"]["rhs"], paid, "{path}: {v}");
            assert_eq!(
                e["inputs"],
                json!([{"term": "refund_rate", "value": "0.6"}, paid]),
                "{path}: {v}"
            );
            assert_eq!(
                e["message"].as_str(),
                v["detail"]
                    .as_str()
                    .map(|d| { d.strip_prefix("名册无法计算: ").unwrap_or(d) })
            );
        }
    }
    // The audit computes no amount: the roster is audited.
    let (status, _, _) = post(&s, "/v1/audit?lang=en", &body);
    assert_eq!(status, 200);
    // A total too large is no one record's: it says the program's total, and names none.
    let enterprise = |i: usize| {
        json!({"id": format!("E{i}"), "kind": "other", "ui_insured": true,
            "ui_insured_months": 12, "insured_headcount": 10, "layoffs": 0,
            "prior_year_ui_paid": "100000000000000000000000000",
            "application_date": "2020-03-01"})
    };
    let many = json!({"enterprises": (0..2000).map(enterprise).collect::<Vec<_>>()});
    for path in ["/v1/evaluate?lang=en", "/v1/ledger?lang=en"] {
        let v = problem(
            post(&s, path, &serde_json::to_vec(&many).unwrap()),
            422,
            "ui_refund total: amount too large",
        );
        assert!(v.get("errors").is_none(), "{v}");
    }
}
