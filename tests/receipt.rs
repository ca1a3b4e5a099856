//! Receipts (issue #11, item 7): a run on a copy of the sample folder, its receipt, and
//! `verify` saying which file changed.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiuye_fupin::receipt::{self, FileRecord, HashingWriter, Receipt, Role, Status};
use jiuye_fupin::{Policy, batch};

/// A fresh folder under the system's temporary one.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jiuye-fupin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs payouts on `dir` as the example does: payouts.csv hashed as written, the inputs
/// hashed and counted, the receipt beside the output. Returns the receipt's text.
fn run(dir: &Path) -> String {
    let policy = Policy::yang_county_2020();
    let as_of = "2020-04-01".parse().unwrap();
    let inputs = batch::Inputs::dir(dir).unwrap();
    let out_path = dir.join("payouts.csv");
    let mut out = HashingWriter::new(std::fs::File::create(&out_path).unwrap());
    let totals = batch::run(&inputs, &policy, as_of, &mut out, &Default::default()).unwrap();
    out.flush().unwrap();
    let (_, bytes, sha256) = out.finish();
    let mut r = Receipt::new(&policy, as_of);
    r.totals = Some(totals);
    r.time = Some(receipt::now());
    r.inputs = receipt::inputs(&[dir]).unwrap();
    r.outputs.push(FileRecord {
        path: out_path.display().to_string(),
        bytes,
        records: None,
        sha256,
    });
    // The hash of the bytes written is the hash of the file.
    assert_eq!(r.outputs[0], FileRecord::of(&out_path).unwrap());
    let text = r.to_toml();
    std::fs::write(dir.join("payouts.receipt.toml"), &text).unwrap();
    text
}

fn statuses(text: &str, dir: &Path) -> Vec<(Role, String, Status)> {
    let checks = receipt::verify(text, dir).unwrap();
    checks
        .into_iter()
        .map(|c| {
            let name = Path::new(&c.path).file_name().unwrap();
            (c.role, name.to_string_lossy().into_owned(), c.status)
        })
        .collect()
}

/// The files that are not `ok`.
fn not_ok(text: &str, dir: &Path) -> Vec<(Role, String, Status)> {
    let mut found = statuses(text, dir);
    found.retain(|(_, _, s)| *s != Status::Ok);
    found
}

#[test]
fn a_receipt_names_every_file_and_verify_finds_the_one_that_changed() {
    let dir = folder("receipt-sample");
    for name in ["laborers.csv", "enterprises.csv", "posts.csv"] {
        std::fs::copy(Path::new("src/sample").join(name), dir.join(name)).unwrap();
    }
    let text = run(&dir);
    assert!(text.contains("\ntime = \""), "{text}");
    assert!(text.contains("[[inputs]]") && text.contains("[[outputs]]"));
    assert!(text.contains("policy_sha256 = ") && text.contains("[[totals.programs]]"));
    // Record counts: the data rows of each file.
    let laborers = std::fs::read_to_string(dir.join("laborers.csv")).unwrap();
    let rows = laborers.lines().count() - 1;
    assert!(text.contains(&format!("records = {rows}\n")), "{text}");

    let all_ok = statuses(&text, &dir);
    assert_eq!(all_ok.len(), 4);
    assert!(
        all_ok.iter().all(|(_, _, s)| *s == Status::Ok),
        "{all_ok:?}"
    );

    // One byte of an input changed: that file, and only it.
    let path = dir.join("enterprises.csv");
    let original = std::fs::read(&path).unwrap();
    let mut changed = original.clone();
    let last = changed.len() - 2;
    changed[last] ^= 1;
    std::fs::write(&path, &changed).unwrap();
    assert_eq!(
        not_ok(&text, &dir),
        [(Role::Input, "enterprises.csv".into(), Status::Changed)]
    );
    std::fs::write(&path, &original).unwrap();

    // The output changed, then missing.
    let out = dir.join("payouts.csv");
    let mut bytes = std::fs::read(&out).unwrap();
    bytes.push(b'\n');
    std::fs::write(&out, &bytes).unwrap();
    assert_eq!(
        not_ok(&text, &dir),
        [(Role::Output, "payouts.csv".into(), Status::Changed)]
    );
    std::fs::remove_file(&out).unwrap();
    assert_eq!(
        not_ok(&text, &dir),
        [(Role::Output, "payouts.csv".into(), Status::Missing)]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_malformed_receipt_is_an_error_naming_its_line() {
    let text = "crate_version = \"0.1.0\"\n\n[[inputs]]\npath = \"a.csv\"\nbytes = \"many\"\nsha256 = \"00\"\n";
    let e = receipt::verify(text, Path::new(".")).unwrap_err();
    assert!(e.to_string().contains("line 5"), "{e}");
}

#[test]
fn a_workbook_is_one_input_with_the_records_of_its_sheets() {
    let dir = folder("receipt-workbook");
    let path = dir.join("sample.xlsx");
    let bytes = jiuye_fupin::xlsx::template(Some(&jiuye_fupin::sample::files())).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    let inputs = receipt::inputs(&[&path]).unwrap();
    let roster = jiuye_fupin::sample::roster();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].bytes, bytes.len() as u64);
    let n = roster.laborers().len()
        + roster.enterprises().len()
        + roster.posts().len()
        + roster.loans().len()
        + roster.centers().len()
        + roster.post_months().len();
    assert_eq!(inputs[0].records, Some(n as u64));
    std::fs::remove_dir_all(&dir).unwrap();
}
