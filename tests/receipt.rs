//! Receipts (issue #11, item 7): a run on a copy of the sample folder, its receipt, and
//! `verify` saying which file changed.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiuye_fupin::receipt::{self, FileRecord, HashingWriter, Receipt, ReceiptError, Role, Status};
use jiuye_fupin::{Lang, Policy, batch};

/// The examples' helpers: where a run's receipt goes.
#[path = "../examples/common/mod.rs"]
mod common;

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
    let (dir, text) = sample_receipt("receipt-sample");
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

/// A receipt's text for `dir/payouts.csv` (written by [`run`] on a copy of the sample).
fn sample_receipt(name: &str) -> (PathBuf, String) {
    let dir = folder(name);
    for name in ["laborers.csv", "enterprises.csv", "posts.csv"] {
        std::fs::copy(Path::new("src/sample").join(name), dir.join(name)).unwrap();
    }
    let text = run(&dir);
    (dir, text)
}

/// The text without the `[[section]]` blocks (each to the next header or the end).
fn without_blocks(text: &str, section: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = line == format!("[[{section}]]");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn a_toml_file_that_is_not_a_receipt_is_an_error_never_all_0_files_match() {
    let here = Path::new(".");
    // Nothing at all: the first field every receipt has is named.
    assert_eq!(
        receipt::verify("", here),
        Err(ReceiptError::Missing {
            field: "crate_version"
        })
    );
    // Keys no receipt has: named, with their line.
    let e = receipt::verify("x = 1\n", here).unwrap_err();
    assert_eq!(e.line(), Some(1), "{e}");
    assert!(e.to_string().contains("unknown field `x`"), "{e}");
    let cargo = std::fs::read_to_string("Cargo.toml").unwrap();
    let e = receipt::verify(&cargo, here).unwrap_err();
    assert!(e.to_string().contains("unknown field `"), "{e}");
    let line = e.line().unwrap();
    let key = cargo.lines().nth(line - 1).unwrap();
    assert!(key.starts_with('['), "{e}: {key}");
    let reform = std::fs::read_to_string("policies/reforms/ui-refund-60.toml").unwrap();
    let e = receipt::verify(&reform, here).unwrap_err();
    assert!(e.to_string().contains("unknown field"), "{e}");
    assert!(e.line().is_some(), "{e}");
    // In Chinese too.
    assert!(
        receipt::verify("", here)
            .unwrap_err()
            .render(Lang::Zh)
            .contains("缺少 crate_version")
    );
}

#[test]
fn a_receipt_without_its_fields_or_its_outputs_is_malformed() {
    let (dir, text) = sample_receipt("receipt-fields");
    assert_eq!(statuses(&text, &dir).len(), 4);
    // Every file block deleted: no output to vouch for.
    let bare = without_blocks(&without_blocks(&text, "inputs"), "outputs");
    assert!(!bare.contains("sha256 = \"") || bare.contains("policy_sha256"));
    assert_eq!(receipt::verify(&bare, &dir), Err(ReceiptError::NoOutput));
    let e = receipt::verify(&bare, &dir).unwrap_err();
    assert!(e.render(Lang::Zh).contains("没有任何输出文件"), "{e}");
    // The outputs alone deleted: the same.
    let no_outputs = without_blocks(&text, "outputs");
    assert_eq!(
        receipt::verify(&no_outputs, &dir),
        Err(ReceiptError::NoOutput)
    );
    // Each field every receipt has, deleted in turn.
    for field in ["crate_version", "policy_name", "policy_sha256", "as_of"] {
        let cut: String = (text.lines())
            .filter(|l| !l.starts_with(&format!("{field} = ")))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            receipt::verify(&cut, &dir),
            Err(ReceiptError::Missing { field }),
            "{field}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_key_in_a_file_block_is_named_with_its_line() {
    let (dir, text) = sample_receipt("receipt-unknown-key");
    let at = text.find("[[outputs]]\n").unwrap() + "[[outputs]]\n".len();
    let line = text[..at].lines().count() + 1;
    let edited = format!("{}sha512 = \"00\"\n{}", &text[..at], &text[at..]);
    let e = receipt::verify(&edited, &dir).unwrap_err();
    assert!(e.to_string().contains("unknown field `sha512`"), "{e}");
    assert_eq!(e.line(), Some(line), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_sha256_that_is_not_64_hex_digits_is_malformed_not_changed() {
    let (dir, text) = sample_receipt("receipt-bad-hash");
    let out = FileRecord::of(&dir.join("payouts.csv")).unwrap();
    let hash_line = |t: &str, needle: &str| t.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for bad in ["00", &"g".repeat(64), &format!("{}0", out.sha256)] {
        let edited = text.replace(&out.sha256, bad);
        assert_eq!(
            receipt::verify(&edited, &dir),
            Err(ReceiptError::BadHash {
                line: hash_line(&edited, &format!("sha256 = \"{bad}\"")),
                field: "sha256",
                value: bad.to_owned(),
            })
        );
    }
    let policy = receipt::policy_hash(&Policy::yang_county_2020());
    let edited = text.replace(&policy, "abc");
    let e = receipt::verify(&edited, &dir).unwrap_err();
    assert_eq!(
        e.line(),
        Some(hash_line(&edited, "policy_sha256 = \"abc\""))
    );
    assert!(e.to_string().contains("policy_sha256"), "{e}");
    // Upper-case hex is a SHA-256 still, and the same one.
    let upper = text.replace(&out.sha256, &out.sha256.to_uppercase());
    assert!(not_ok(&upper, &dir).is_empty());
    // A file with no path.
    let at = text.find("path = \"").unwrap();
    let line = text[..at].lines().count() + 1;
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[line - 1] = "path = \"\"".into();
    let edited = lines.join("\n");
    assert_eq!(
        receipt::verify(&edited, &dir),
        Err(ReceiptError::EmptyPath { line })
    );
    // A date that is not one.
    let edited = text.replace("as_of = \"2020-04-01\"", "as_of = \"2020-4-1\"");
    let e = receipt::verify(&edited, &dir).unwrap_err();
    assert!(matches!(e, ReceiptError::BadDate { .. }), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The receipts of earlier versions: no `time`, `working_dir` nor `records` (an input's
/// count), no totals; they verify.
#[test]
fn a_receipt_with_the_fields_of_earlier_versions_verifies() {
    let (dir, text) = sample_receipt("receipt-old");
    let old: String = (without_blocks(&text, "totals.programs").lines())
        .filter(|l| {
            !["time = ", "working_dir = ", "records = "]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!old.contains("records") && !old.contains("totals"), "{old}");
    assert_eq!(statuses(&old, &dir).len(), 4);
    assert!(not_ok(&old, &dir).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `policy_change --out DIR/impact.xlsx`, then `--csv DIR` (its files taken as the one output
/// `DIR/impact.csv`); or `--csv DIR` with two reforms, then with one: the earlier receipt
/// names a file still there that the later run does not write, so it is kept, whatever
/// that file's name.
#[test]
fn a_receipt_naming_any_other_file_still_there_is_kept() {
    let dir = folder("receipt-other-files");
    let (xlsx, csvs) = (dir.join("impact.xlsx"), dir.join("impact.csv"));
    std::fs::write(&xlsx, "workbook\n").unwrap();
    let mut r = Receipt::new(&Policy::yang_county_2020(), "2020-04-01".parse().unwrap());
    r.outputs.push(FileRecord::of(&xlsx).unwrap());
    std::fs::write(dir.join("impact.receipt.toml"), r.to_toml()).unwrap();
    assert_eq!(
        common::receipt_path(&csvs),
        dir.join("impact.csv.receipt.toml")
    );
    let second = dir.join("impact-2-programs.csv");
    std::fs::write(&second, "program\n").unwrap();
    r.outputs = vec![FileRecord::of(&second).unwrap()];
    std::fs::write(dir.join("impact.receipt.toml"), r.to_toml()).unwrap();
    assert_eq!(
        common::receipt_path(&csvs),
        dir.join("impact.csv.receipt.toml")
    );
    // Gone: the usual name again.
    std::fs::remove_file(&second).unwrap();
    assert_eq!(common::receipt_path(&csvs), dir.join("impact.receipt.toml"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `ledger --out l.txt`, then `ledger --out l.xlsx`: both are `l.receipt.toml` by name; the
/// second run's receipt goes to `l.xlsx.receipt.toml`, the first one's is kept. Run again,
/// each run replaces its own.
#[test]
fn a_receipt_of_another_output_of_the_same_name_is_kept() {
    let dir = folder("receipt-same-stem");
    let (txt, xlsx) = (dir.join("l.txt"), dir.join("l.xlsx"));
    std::fs::write(&txt, "ledger\n").unwrap();
    let mut r = Receipt::new(&Policy::yang_county_2020(), "2020-04-01".parse().unwrap());
    r.outputs.push(FileRecord::of(&txt).unwrap());
    assert_eq!(common::receipt_path(&txt), dir.join("l.receipt.toml"));
    std::fs::write(dir.join("l.receipt.toml"), r.to_toml()).unwrap();
    // The usual name for the same output again, the full one for the other.
    assert_eq!(common::receipt_path(&txt), dir.join("l.receipt.toml"));
    assert_eq!(common::receipt_path(&xlsx), dir.join("l.xlsx.receipt.toml"));
    // Another stem: the usual name.
    assert_eq!(
        common::receipt_path(&dir.join("m.xlsx")),
        dir.join("m.receipt.toml")
    );
    // The earlier output gone: nothing left to keep its receipt for.
    std::fs::remove_file(&txt).unwrap();
    assert_eq!(common::receipt_path(&xlsx), dir.join("l.receipt.toml"));
    // A file of that name that is not a receipt is replaced, as it always was.
    std::fs::write(&txt, "ledger\n").unwrap();
    std::fs::write(dir.join("l.receipt.toml"), "x = 1\n").unwrap();
    assert_eq!(common::receipt_path(&xlsx), dir.join("l.receipt.toml"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_as_of_is_said_in_the_chosen_language() {
    // `--as-of` was refused in English under `--lang zh` (the default).
    assert_eq!(
        common::parse_as_of("2020-02-30", Lang::Zh).unwrap_err(),
        "--as-of: \"2020-02-30\" 不是日期 (YYYY-MM-DD)"
    );
    assert_eq!(
        common::parse_as_of("2020-02-30", Lang::En).unwrap_err(),
        "--as-of: \"2020-02-30\" is not a date (YYYY-MM-DD)"
    );
    assert_eq!(
        common::parse_as_of("2020-02-29", Lang::Zh)
            .unwrap()
            .to_string(),
        "2020-02-29"
    );
}

/// The totals a receipt records are the sums of its `payouts.csv`: `verify_totals` finds
/// an edited figure, whichever side was edited, and says when there was nothing to sum.
#[test]
fn verify_totals_finds_a_figure_edited_in_the_receipt_or_in_the_payouts() {
    use receipt::{TotalsStatus, TotalsVerdict, verify_totals};
    let (dir, text) = sample_receipt("receipt-totals");
    let checked = |text: &str| match verify_totals(text, &dir).unwrap() {
        TotalsVerdict::Checked(c) => {
            assert_eq!(c.len(), 1);
            c.into_iter().next().unwrap().status
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(checked(&text), TotalsStatus::Agree);

    // An amount written with one decimal is the same amount.
    let short = text.replacen("amount = \"400.00\"", "amount = \"400.0\"", 1);
    assert_ne!(short, text);
    assert_eq!(checked(&short), TotalsStatus::Agree);

    // The receipt's amount and eligible count edited: each figure named.
    let edited = text
        .replacen("amount = \"4055.01\"", "amount = \"4155.01\"", 1)
        .replacen(
            "subjects = 37\neligible = 10",
            "subjects = 37\neligible = 11",
            1,
        );
    let TotalsStatus::Differ(d) = checked(&edited) else {
        panic!()
    };
    let figures: Vec<_> = (d.iter())
        .map(|d| {
            (
                d.program.as_str(),
                d.field,
                d.receipt.as_str(),
                d.file.as_str(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("transport_subsidy", "eligible", "11", "10"),
            ("transport_subsidy", "amount", "4155.01", "4055.01"),
        ]
    );

    // A program the receipt does not list is a difference, as is one the file lacks.
    let start = text.find("[[totals.programs]]").unwrap();
    let end = start + text[start + 1..].find("[[totals.programs]]").unwrap() + 1;
    let without_r1 = format!("{}{}", &text[..start], &text[end..]);
    let TotalsStatus::Differ(d) = checked(&without_r1) else {
        panic!()
    };
    assert!(
        (d.iter()).all(
            |d| d.program == "transport_subsidy" && ["0", "0.00"].contains(&d.receipt.as_str())
        ),
        "{d:?}"
    );
    assert_eq!(d.len(), 3);

    // A payouts row edited: the file changed, and its sums differ.
    let out = dir.join("payouts.csv");
    let original = std::fs::read_to_string(&out).unwrap();
    let row = original
        .lines()
        .find(|l| l.starts_with("isolation_allowance,") && l.contains(",true,"))
        .unwrap();
    let raised = row.replacen(",true,", ",true,1", 1);
    std::fs::write(&out, original.replacen(row, &raised, 1)).unwrap();
    assert_eq!(
        not_ok(&text, &dir),
        [(Role::Output, "payouts.csv".into(), Status::Changed)]
    );
    let TotalsStatus::Differ(d) = checked(&text) else {
        panic!()
    };
    assert_eq!(
        (d.len(), d[0].program.as_str(), d[0].field),
        (1, "isolation_allowance", "amount")
    );

    // A row that is not a payouts row: its line, field and value.
    let bad = original.replacen(row, &row.replacen(",true,", ",yes,", 1), 1);
    std::fs::write(&out, &bad).unwrap();
    let line = bad.lines().position(|l| l.contains(",yes,")).unwrap() as u64 + 1;
    assert_eq!(
        checked(&text),
        TotalsStatus::Unreadable {
            sheet: None,
            line,
            field: "eligible",
            value: "yes".into()
        }
    );
    let message = TotalsCheckLike::render(&text, &dir);
    assert!(
        message.contains(&format!("第 {line} 行 eligible \"yes\"")),
        "{message}"
    );

    // Saved again with Windows line ends, a blank line above, or old Mac ones: the same
    // line (the `csv` reader's own was one short after a CRLF, and named the blank line).
    for (ends, blank) in [("\r\n", false), ("\n", true), ("\r\n", true), ("\r", false)] {
        let mut lines: Vec<&str> = bad.lines().collect();
        if blank {
            lines.insert(1, "");
        }
        std::fs::write(&out, lines.join(ends)).unwrap();
        let at = line + u64::from(blank);
        let TotalsStatus::Unreadable { line: said, .. } = checked(&text) else {
            panic!("{ends:?}")
        };
        assert_eq!(said, at, "{ends:?} {blank}");
    }

    // An amount that makes its program's sum too large: the file's own value, at its line.
    let huge = "79228162514264337593543950335";
    let mut fields: Vec<&str> = row.split(',').collect();
    fields[3] = huge;
    std::fs::write(&out, original.replacen(row, &fields.join(","), 1)).unwrap();
    assert_eq!(
        checked(&text),
        TotalsStatus::TooLarge {
            sheet: None,
            line,
            program: "isolation_allowance".into(),
            amount: huge.into(),
        }
    );

    // With an Excel byte-order mark the file is still summed.
    std::fs::write(&out, format!("\u{feff}{original}")).unwrap();
    assert_eq!(checked(&text), TotalsStatus::Agree);

    // An output that is not a payouts.csv: not checked, said; no totals: not recorded.
    std::fs::write(&out, "program,subject\n").unwrap();
    assert_eq!(
        verify_totals(&text, &dir).unwrap(),
        TotalsVerdict::NotChecked
    );
    std::fs::remove_file(&out).unwrap();
    assert_eq!(
        verify_totals(&text, &dir).unwrap(),
        TotalsVerdict::NotChecked
    );
    let start = text.find("[[totals.programs]]").unwrap();
    let end = text.find("[[outputs]]").unwrap();
    let no_totals = format!("{}{}", &text[..start], &text[end..]);
    assert_eq!(
        verify_totals(&no_totals, &dir).unwrap(),
        TotalsVerdict::NotRecorded
    );

    // A total that is not an amount is a malformed receipt, with its line.
    let wrong = text.replacen("amount = \"4055.01\"", "amount = \"4,055.01\"", 1);
    let e = verify_totals(&wrong, &dir).unwrap_err();
    let line = wrong.lines().position(|l| l.contains("4,055.01")).unwrap() + 1;
    assert_eq!(e.line(), Some(line), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The Chinese line of the first totals check.
struct TotalsCheckLike;

impl TotalsCheckLike {
    fn render(text: &str, dir: &Path) -> String {
        match receipt::verify_totals(text, dir).unwrap() {
            receipt::TotalsVerdict::Checked(c) => c[0].render(Lang::Zh),
            other => panic!("{other:?}"),
        }
    }
}

/// `payouts.xlsx` is summed too, from its 发放清单 sheet (money cells read as Excel shows
/// them), in either language: its totals agree, and an edited total is found.
#[test]
fn verify_totals_sums_a_payouts_workbook() {
    use jiuye_fupin::receipt::{TotalsStatus, TotalsVerdict, verify_totals};
    use jiuye_fupin::{Engine, sample, xlsx};
    let dir = folder("receipt-totals-xlsx");
    let policy = Policy::yang_county_2020();
    let roster = sample::roster();
    let engine = Engine::new(&policy);
    let eval = engine
        .evaluate(&roster, "2020-04-01".parse().unwrap())
        .unwrap();
    for lang in [Lang::Zh, Lang::En] {
        let mut r = Receipt::new(&policy, eval.as_of);
        r.totals = Some(eval.totals.clone());
        let path = dir.join("payouts.xlsx");
        std::fs::write(&path, xlsx::payouts(&eval, &roster, &r, lang).unwrap()).unwrap();
        r.outputs.push(FileRecord::of(&path).unwrap());
        let text = r.to_toml();
        let TotalsVerdict::Checked(c) = verify_totals(&text, &dir).unwrap() else {
            panic!()
        };
        assert_eq!(c[0].status, TotalsStatus::Agree, "{lang:?}");
        let edited = text.replacen("amount = \"112596.63\"", "amount = \"112596.64\"", 1);
        assert_ne!(edited, text);
        let TotalsVerdict::Checked(c) = verify_totals(&edited, &dir).unwrap() else {
            panic!()
        };
        let TotalsStatus::Differ(d) = &c[0].status else {
            panic!("{:?}", c[0].status)
        };
        assert_eq!(
            (d.len(), d[0].program.as_str(), d[0].file.as_str()),
            (1, "ui_refund", "112596.63")
        );
    }
    // A workbook without the list (a ledger, say) is not a payouts list: not checked.
    let path = dir.join("payouts.xlsx");
    let findings = engine.audit(&roster, eval.as_of);
    let mut r = Receipt::new(&policy, eval.as_of);
    r.totals = Some(eval.totals.clone());
    std::fs::write(
        &path,
        xlsx::findings(&findings, &[], &[], &r, Lang::Zh).unwrap(),
    )
    .unwrap();
    r.outputs.push(FileRecord::of(&path).unwrap());
    assert_eq!(
        verify_totals(&r.to_toml(), &dir).unwrap(),
        TotalsVerdict::NotChecked
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// For any roster, the payouts written and the totals the run returns agree when the
    /// file is summed again by another reader.
    #[test]
    fn any_runs_payouts_sum_to_its_totals(r in jiuye_fupin::testing::roster()) {
        use jiuye_fupin::receipt::{TotalsStatus, TotalsVerdict, verify_totals};
        let dir = folder("receipt-totals-prop");
        let policy = Policy::yang_county_2020();
        let engine = jiuye_fupin::Engine::new(&policy);
        let eval = engine.evaluate(&r, "2020-04-01".parse().unwrap()).unwrap();
        let path = dir.join("payouts.csv");
        let file = std::fs::File::create(&path).unwrap();
        let totals = jiuye_fupin::io::write_payouts(file, eval.decisions.into_iter().map(Ok)).unwrap();
        let mut receipt = Receipt::new(&policy, eval.as_of);
        receipt.totals = Some(totals);
        receipt.outputs.push(FileRecord::of(&path).unwrap());
        let verdict = verify_totals(&receipt.to_toml(), &dir).unwrap();
        let TotalsVerdict::Checked(c) = verdict else { panic!("{verdict:?}") };
        proptest::prop_assert_eq!(&c[0].status, &TotalsStatus::Agree);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
