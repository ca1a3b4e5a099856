//! Nanxi's own binary of the HTTP service (`src/bin/nanxi-server.rs`, three lines over
//! `jiuye_fupin_server::main_with`), started with Nanxi's policy file: C1 is evaluated,
//! compared under a reform, and its table is in the policy schema the service publishes.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nanxi-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--quiet",
            "--policy",
            nanxi_county::POLICY,
        ])
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
    Server(child, base)
}

fn call(r: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    let r = match r {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    let mut body = Vec::new();
    r.into_reader().read_to_end(&mut body).unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn roster() -> Value {
    json!({"laborers": [
        {"id": "NX-L3", "town": "河口镇", "village": "西村", "poverty_status": "remaining_poor",
         "able_to_work": true, "zero_employment_household": true, "work_destination": "in_county"},
        {"id": "NX-L4", "town": "河口镇", "village": "西村", "poverty_status": "lifted",
         "able_to_work": true, "work_destination": "in_county"}
    ]})
}

#[test]
fn the_county_service_decides_compares_and_describes_its_own_rule() {
    let s = start();
    let body = serde_json::to_vec(&roster()).unwrap();
    let (status, v) = call(
        ureq::post(&format!("{}/v1/evaluate?lang=en", s.1))
            .set("Content-Type", "application/json")
            .send_bytes(&body),
    );
    assert_eq!(status, 200, "{v}");
    let c1: Vec<(&str, &str)> = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["program"] == "return_to_work_grant")
        .map(|d| {
            (
                d["subject_id"].as_str().unwrap(),
                d["amount"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(c1, [("NX-L3", "1000.00"), ("NX-L4", "800.00")]);
    let cited = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["program"] == "return_to_work_grant")
        .unwrap();
    assert!(
        cited["citation"]["clause"]
            .as_str()
            .unwrap()
            .contains("一次性800元奖补"),
        "{cited}"
    );

    let reform = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reforms/grant-1000.toml"),
    )
    .unwrap();
    let body = serde_json::to_vec(&json!({"roster": roster(), "reform": reform})).unwrap();
    let (status, v) = call(
        ureq::post(&format!("{}/v1/compare", s.1))
            .set("Content-Type", "application/json")
            .send_bytes(&body),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["changed"].as_array().unwrap().len(), 2, "{v}");

    let (status, v) = call(ureq::get(&format!("{}/v1/schema/policy", s.1)).call());
    assert_eq!(status, 200);
    assert!(v["properties"]["return_to_work_grant"].is_object(), "{v}");
}

/// The county's binary speaks under its own name (its usage line and its errors said
/// `jiuye-fupin-server`, a program the county does not ship).
#[test]
fn the_county_binary_names_itself() {
    let out = Command::new(env!("CARGO_BIN_EXE_nanxi-server"))
        .args(["--lang", "en", "--bogus"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("nanxi-server: "), "{err}");
    assert!(err.contains("usage: nanxi-server [--listen"), "{err}");
    assert!(!err.contains("jiuye-fupin-server"), "{err}");
}
