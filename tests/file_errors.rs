//! Policy, overlay, reform and scenario files with a mistake, run through the examples
//! (`payouts`, `policy_change`, `scenarios`): the error is in `--lang`, and names the file,
//! the line, the parameter and the value. Every example's argument errors, and `verify`'s
//! unreadable receipt, are in `--lang` too.
//!
//! The examples are the binaries `cargo test` builds beside this test; a test run alone
//! (`cargo test --test file_errors`) builds the ones that are missing and runs the others as
//! last built.

use std::path::{Path, PathBuf};
use std::process::Command;

const ENTERPRISE_HEADER: &str = "id,name,town,kind,ui_insured,ui_insured_months,prior_year_ui_paid,insured_headcount,layoffs,hardship,deferral_months_requested,monthly_pension_premium,monthly_unemployment_premium,monthly_injury_premium,application_date";

/// The example `name`, built if it is not there yet.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/file_errors-HASH → target/<profile>/examples/NAME
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("examples");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "cargo build --example {name}");
    }
    path
}

/// Runs an example: (exit status, standard error).
fn run(name: &str, args: &[&str]) -> (i32, String) {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    run_os(name, &args)
}

/// [`run`] with its arguments as the system gives them (any bytes, on Unix).
fn run_os(name: &str, args: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = Command::new(example(name))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A fresh folder for this test's files.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("file-errors-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_bad_policy_or_overlay_is_named_in_chinese_with_its_file_line_parameter_and_value() {
    let dir = folder("policy");
    let policy = dir.join("county.toml");
    let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replacen(
        "value = \"500.00\"",
        "value = \"-5\"",
        1,
    );
    std::fs::write(&policy, text).unwrap();
    let out = dir.join("payouts.csv");
    let (status, err) = run(
        "payouts",
        &["--policy", s(&policy), "--lang", "zh", "--out", s(&out)],
    );
    assert_eq!(status, 1, "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "政策文件 {} 无效：参数 transport_subsidy.cap[0].value，第 24 行第 44 列：\"-5\" 为负数",
            policy.display()
        )
    );
    assert!(!out.exists());
    // The same in English, as before.
    let (_, err) = run(
        "payouts",
        &["--policy", s(&policy), "--lang", "en", "--out", s(&out)],
    );
    assert!(
        err.starts_with(&format!(
            "invalid policy file {}, at transport_subsidy.cap[0].value: TOML parse error at line 24, column 44",
        policy.display()
        )) && err.contains("\"-5\" is negative"),
        "{err}"
    );

    let overlay = dir.join("overlay.toml");
    std::fs::write(&overlay, "name=\"x\"\n[transport_subsidy]\nbogus=1\n").unwrap();
    let (status, err) = run(
        "payouts",
        &["--overlay", s(&overlay), "--lang", "zh", "--out", s(&out)],
    );
    assert_eq!(status, 1, "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "{} 第 3 行，transport_subsidy：未知参数 `bogus`，应为以下之一：cap, window, enabled, in_effect, citation",
            overlay.display()
        )
    );

    let missing = dir.join("none.toml");
    let (status, err) = run(
        "payouts",
        &["--policy", s(&missing), "--lang", "zh", "--out", s(&out)],
    );
    assert_eq!(status, 1, "{err}");
    assert_eq!(
        err.trim(),
        format!("无法读取政策文件 {}：文件不存在", missing.display())
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_partial_file_given_as_policy_says_to_use_overlay_in_the_chosen_language() {
    let partial = "policies/yang-county-2019-baseline.toml";
    let (status, err) = run("policy_change", &["--policy", partial, "--lang", "zh"]);
    assert_eq!(status, 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "政策文件 {partial} 无效：参数 ui_refund，第 12 行第 1 列：缺少 `"
        )) && err.contains(&format!(
            "(--policy 需要完整的政策文件；只写出不同之处的部分文件请用 --overlay {partial})"
        )),
        "{err}"
    );
    let (_, err) = run("policy_change", &["--policy", partial, "--lang", "en"]);
    assert!(
        err.contains(&format!("given as --overlay {partial})")),
        "{err}"
    );
}

#[test]
fn a_bad_reform_is_named_in_chinese_with_its_file_line_parameter_and_value() {
    let dir = folder("reform");
    let reform = dir.join("cap.toml");
    let zh = |text: &str| {
        std::fs::write(&reform, text).unwrap();
        let (status, err) = run("policy_change", &["--reform", s(&reform), "--lang", "zh"]);
        assert_eq!(status, 1, "{err}");
        err.trim().to_owned()
    };
    let change = "[[change]]\nparameter = \"transport_subsidy.cap\"\neffective_from = ";
    assert_eq!(
        zh(&format!(
            "name = \"bad\"\n\n{change}\"2021-03-01\"\nvalue = \"-600\"\n"
        )),
        format!(
            "改革方案 \"bad\"，{} 第 3 行，参数 transport_subsidy.cap（2021-03-01 起）：\"-600\" 为负数",
            reform.display()
        )
    );
    assert_eq!(
        zh(&format!(
            "name = \"bad\"\n{change}\"2021-02-30\"\nvalue = \"600\"\n"
        )),
        format!(
            "{} 第 4 行第 18 列，change[0].effective_from：\"2021-02-30\" 不是日期 (YYYY-MM-DD)",
            reform.display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_scenario_is_named_in_the_chosen_language() {
    let dir = folder("scenario");
    let file = dir.join("case.toml");
    std::fs::write(
        &file,
        "[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\nisolation_days = -1\n",
    )
    .unwrap();
    let (status, err) = run("scenarios", &[s(&file), "--lang", "zh"]);
    assert_eq!(status, 1, "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "{} 第 5 行，case[0].laborer[0].isolation_days：值无效：实为整数 -1，应为非负整数",
            file.display()
        )
    );
    let (_, err) = run("scenarios", &[s(&file), "--lang", "en"]);
    assert_eq!(
        err.trim(),
        format!(
            "{} line 5, at case[0].laborer[0].isolation_days: invalid value: integer `-1`, expected u32",
            file.display()
        )
    );
    let (status, err) = run(
        "scenarios",
        &[
            s(&file),
            "--policy",
            s(&dir.join("none.toml")),
            "--lang",
            "zh",
        ],
    );
    assert_eq!(status, 1, "{err}");
    assert!(err.starts_with("无法读取政策文件 "), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every example's own argument errors (an unknown argument, a flag without its value, a bad
/// `--as-of`, `--data` missing or not a folder) are in `--lang`, wherever it stands: they
/// were English in `template`, `verify`, `policy_change`, `scenarios` and `county_rule`,
/// whatever `--lang` said.
#[test]
#[cfg(unix)]
fn an_argument_that_is_not_utf8_is_refused_in_the_chosen_language_not_a_panic() {
    // A folder named in GBK on Linux: `std::env::args` panicked (exit status 101).
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"town\xff1");
    let flag = |f: &'static str| std::ffi::OsStr::new(f);
    for (name, value_flag) in [
        ("payouts", "--data"),
        ("audit", "--data"),
        ("ledger", "--data"),
        ("template", "--from"),
        ("verify", "--lang"),
        ("policy_change", "--data"),
        ("scenarios", "--lang"),
        ("county_rule", "--data"),
    ] {
        let (status, err) = run_os(name, &[flag("--lang"), flag("en"), flag(value_flag), bad]);
        assert_eq!(status, 1, "{name}: {err}");
        // (`county_rule` starts its errors with `error: `.)
        assert!(
            err.trim_end().ends_with(
                "the argument \"town\\xFF1\" is not UTF-8 text: give the file or folder a UTF-8 name and try again"
            ) && err.lines().count() == 1,
            "{name}: {err}"
        );
        let (status, err) = run_os(name, &[bad, flag("--lang"), flag("zh")]);
        assert_eq!(status, 1, "{name}: {err}");
        assert!(
            err.contains("参数 \"town\\xFF1\" 不是 UTF-8 文本"),
            "{name}: {err}"
        );
    }
}

#[test]
fn every_examples_argument_errors_are_in_the_chosen_language() {
    for name in [
        "payouts",
        "audit",
        "ledger",
        "template",
        "verify",
        "policy_change",
        "scenarios",
        "county_rule",
    ] {
        let (status, err) = run(name, &["--bogus", "--lang", "zh"]);
        assert_eq!(status, 1, "{name}: {err}");
        assert!(err.contains("未知参数 \"--bogus\"\n"), "{name}: {err}");
        let (status, err) = run(name, &["--lang", "en", "--bogus"]);
        assert_eq!(status, 1, "{name}: {err}");
        assert!(
            err.contains("unknown argument \"--bogus\"\n"),
            "{name}: {err}"
        );
    }
    for (name, flag) in [
        ("template", "--out"),
        ("verify", "--lang"),
        ("policy_change", "--reform"),
        ("scenarios", "--policy"),
        ("county_rule", "--data"),
    ] {
        let (status, err) = run(name, &[flag]);
        assert_eq!(status, 1, "{name}: {err}");
        assert!(
            err.contains(&format!("{flag} 需要一个值\n")),
            "{name}: {err}"
        );
    }
    let (status, err) = run(
        "template",
        &["--out", "t.xlsx", "--sample", "--from", "src"],
    );
    assert_eq!(status, 1, "{err}");
    assert!(err.starts_with("--sample 与 --from 只能二选一\n"), "{err}");
    let (status, err) = run("template", &["--out", "t.xlsx", "--encoding", "gbk"]);
    assert_eq!(status, 1, "{err}");
    assert!(
        err.starts_with("--encoding 只用于 --from DIR 的 CSV 文件\n"),
        "{err}"
    );
    for name in ["payouts", "template", "policy_change", "county_rule"] {
        let (status, err) = run(name, &["--encoding", "latin1"]);
        assert_eq!(status, 1, "{name}: {err}");
        assert!(
            err.contains("--encoding: \"latin1\" 不是可用的编码"),
            "{name}: {err}"
        );
    }
    let (status, err) = run("county_rule", &["--as-of", "2020-02-30"]);
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("--as-of: \"2020-02-30\" 不是日期"), "{err}");
    let (_, err) = run("county_rule", &["--lang", "zh"]);
    assert!(err.contains("缺少 --data DIR"), "{err}");
    let (_, err) = run("county_rule", &["--data", "no/such/folder"]);
    assert!(err.contains("--data no/such/folder：不是文件夹"), "{err}");
}

/// A receipt that cannot be read is said in `--lang`: it was the system's English words
/// under `--lang zh`.
#[test]
fn a_receipt_that_cannot_be_read_is_said_in_the_chosen_language() {
    let (status, err) = run("verify", &["no/such.receipt.toml"]);
    assert_eq!(status, 1, "{err}");
    assert_eq!(err.trim(), "无法读取 no/such.receipt.toml：文件不存在");
    let (status, err) = run("verify", &["--lang", "zh", "src"]);
    assert_eq!(status, 1, "{err}");
    assert_eq!(
        err.trim(),
        "无法读取 src：不是普通文件 (是文件夹、设备或管道)"
    );
    let (_, err) = run("verify", &["--lang", "en", "no/such.receipt.toml"]);
    assert!(
        err.starts_with("cannot read no/such.receipt.toml: "),
        "{err}"
    );
}

/// An output that cannot be written is said in `--lang`: it was the system's English words
/// under `--lang zh` (`cannot create ...: No such file or directory (os error 2)`).
#[test]
fn an_output_that_cannot_be_written_is_said_in_the_chosen_language() {
    for (name, out) in [
        ("ledger", "no/such/folder/l.txt"),
        ("template", "no/such/folder/t.xlsx"),
        ("county_rule", "no/such/folder/c.csv"),
    ] {
        for (lang, said) in [
            ("zh", format!("无法创建 {out}.partial：所在文件夹不存在")),
            ("en", format!("cannot create {out}.partial: ")),
        ] {
            let mut args = vec!["--out", out, "--lang", lang];
            if name != "template" {
                args.extend(["--data", "src/sample"]);
            }
            let (status, err) = run(name, &args);
            assert_eq!(status, 1, "{name}: {err}");
            assert!(err.contains(&said), "{name}: {err}");
        }
    }
    let (status, err) = run("ledger", &["--data", "src/sample", "--out", "/dev/full"]);
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("无法写入 /dev/full：磁盘空间不足"), "{err}");
    // `payouts` (streamed, with or without `--explain`, and in memory) and `audit` said
    // `无法写入 payouts: No space left on device` or the system's words alone.
    let tmp = folder("full-disk");
    let explained = tmp.join("explained.csv");
    let memory = ["--data", "src/sample", "--data", "tests/fixtures/n10000"];
    for (name, args) in [
        ("payouts", vec!["--data", "src/sample"]),
        (
            "payouts",
            vec!["--data", "src/sample", "--explain", s(&explained)],
        ),
        ("payouts", memory.to_vec()),
        ("audit", vec!["--data", "src/sample"]),
    ] {
        for (lang, said) in [
            ("zh", "无法写入 /dev/full：磁盘空间不足"),
            ("en", "cannot write /dev/full: No space left on device"),
        ] {
            let mut args = args.clone();
            args.extend(["--out", "/dev/full", "--lang", lang]);
            let (status, err) = run(name, &args);
            assert_eq!(status, 1, "{name} {args:?}: {err}");
            assert!(
                err.lines().last().is_some_and(|l| l.starts_with(said)),
                "{name} {args:?}: {err}"
            );
        }
    }
    assert!(!explained.exists());
    let (status, err) = run("payouts", &["--data", "src/sample", "--explain", "x.txt"]);
    assert_eq!(status, 1, "{err}");
    assert!(
        err.contains("--explain x.txt：文件名须以 .csv、.jsonl 或 .xlsx 结尾"),
        "{err}"
    );
    let (status, err) = run("policy_change", &["--csv", "/dev/null"]);
    assert_eq!(status, 1, "{err}");
    assert!(
        err.contains("无法创建 /dev/null：已存在，且不是文件夹"),
        "{err}"
    );
}

/// A workbook that cannot be made (a cell longer than Excel holds, which a CSV cell may be)
/// is named, then its sheet, row and column, in the chosen language. It was named by its
/// sheet only (a fuzzer's finding, 2026-12-04).
#[test]
fn a_workbook_output_that_cannot_be_made_names_its_path_in_the_chosen_language() {
    let tmp = folder("long-cell-out");
    let data = tmp.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let long_id = "YX-L".to_owned() + &"9".repeat(40_000);
    let laborers =
        jiuye_fupin::sample::LABORERS_CSV.replacen("\nYX-L001", &format!("\n{long_id}"), 1);
    std::fs::write(data.join("laborers.csv"), laborers).unwrap();
    let out = tmp.join("payouts.xlsx");
    for (lang, said) in [
        ("zh", format!("无法写入 {}：工作表 发放清单 第 ", s(&out))),
        (
            "en",
            format!("cannot write {}: sheet 发放清单, row ", s(&out)),
        ),
    ] {
        let (status, err) = run(
            "payouts",
            &["--data", s(&data), "--out", s(&out), "--lang", lang],
        );
        assert_eq!(status, 1, "{err}");
        assert!(
            err.lines().last().is_some_and(|l| l.starts_with(&said)),
            "{err}"
        );
        assert!(!out.exists());
    }
}

#[test]
fn an_amount_too_large_to_compute_names_its_file_and_line_on_every_path() {
    // The stream (`payouts --data DIR`) named the record's file and line; the in-memory
    // path (`payouts` with several sources, `ledger`, `policy_change`) only the program
    // and the subject.
    let dir = folder("overflow");
    std::fs::write(
        dir.join("startup_centers.csv"),
        "id,name,level,town,year,claimed_rent,claimed_utilities\nC1,n,town,t,2020,79228162514264337593543950335,1\n",
    )
    .unwrap();
    let other = folder("overflow-other");
    std::fs::write(
        other.join("enterprises.csv"),
        format!("{}\n", ENTERPRISE_HEADER),
    )
    .unwrap();
    let out = dir.join("p.csv");
    let file = dir.join("startup_centers.csv");
    // Where, then what (`policy_change` says which policy between them).
    for (lang, at, what) in [
        (
            "en",
            format!("{} line 2: ", file.display()),
            "startup_center_subsidy for C1: amount too large",
        ),
        (
            "zh",
            format!("{} 第 2 行：", file.display()),
            "创业中心房租水电补贴",
        ),
    ] {
        for (name, args) in [
            ("payouts", vec!["--data", s(&dir), "--out", s(&out)]),
            (
                "payouts",
                vec!["--data", s(&dir), "--data", s(&other), "--out", s(&out)],
            ),
            ("ledger", vec!["--data", s(&dir)]),
            ("policy_change", vec!["--data", s(&dir)]),
        ] {
            let mut args = args.clone();
            args.extend(["--lang", lang]);
            let (status, err) = run(name, &args);
            assert_eq!(status, 1, "{name} {args:?}: {err}");
            let said = err.find(&at).and_then(|i| err[i + at.len()..].find(what));
            assert!(said.is_some(), "{name} {args:?}: {err}");
        }
    }
    assert!(!out.exists());
    // `policy_change --csv DIR` makes its folder before any work: a failed run leaves no
    // folder it made (one that was there stays).
    let made = dir.join("impact/of/reforms");
    let (status, err) = run("policy_change", &["--data", s(&dir), "--csv", s(&made)]);
    assert_eq!(status, 1, "{err}");
    assert!(!dir.join("impact").exists(), "{err}");
    let (status, err) = run("policy_change", &["--data", s(&dir), "--csv", s(&other)]);
    assert_eq!(status, 1, "{err}");
    assert!(other.join("enterprises.csv").exists(), "{err}");
}

#[test]
fn a_run_that_fails_after_an_output_was_finished_leaves_no_output() {
    // `--explain e.jsonl` was written whole, then `--out p.xlsx` could not be (an id longer
    // than a cell holds): the explained list was left behind a failed run.
    let dir = folder("failed-after-output");
    let long = "L".repeat(40_000);
    std::fs::write(
        dir.join("startup_centers.csv"),
        format!(
            "id,name,level,town,year,claimed_rent,claimed_utilities\n{long},n,town,t,2020,1,1\n"
        ),
    )
    .unwrap();
    let (out, explained) = (dir.join("p.xlsx"), dir.join("e.jsonl"));
    let (status, err) = run(
        "payouts",
        &[
            "--data",
            s(&dir),
            "--out",
            s(&out),
            "--explain",
            s(&explained),
            "--lang",
            "en",
        ],
    );
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("32,767"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["startup_centers.csv"], "{err}");
}

/// `county_rule` on files that hold no record (a header alone) says so, as `payouts` does:
/// an empty result is never passed off as a finished run in silence.
#[test]
fn county_rule_says_when_the_files_hold_no_record() {
    let dir = folder("county-rule-empty");
    let header = std::fs::read_to_string("src/sample/laborers.csv").unwrap();
    let header = header.lines().next().unwrap();
    std::fs::write(dir.join("laborers.csv"), format!("{header}\n")).unwrap();
    let out = dir.join("c.csv");
    for (lang, said) in [
        ("zh", "注意：输入文件中没有任何记录（只有表头）"),
        (
            "en",
            "note: the input files hold no record (a header alone)",
        ),
    ] {
        let (status, err) = run(
            "county_rule",
            &["--data", s(&dir), "--out", s(&out), "--lang", lang],
        );
        assert_eq!(status, 0, "{err}");
        assert!(err.contains(said), "{err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `policy_change` finds an unusable `--csv` folder, and a reform that cannot be applied,
/// before it prints or writes anything: it used to print the report (and write the earlier
/// reforms' files) first.
#[test]
fn policy_change_refuses_before_any_output() {
    let dir = folder("policy-change");
    let file = dir.join("a-file");
    std::fs::write(&file, "").unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "name = \"bad\"\n[[change]]\nparameter = \"transport_subsidy.cap\"\neffective_from = \"2021-03-01\"\nvalue = \"-600\"\n",
    )
    .unwrap();
    let good = "policies/reforms/transport-cap-600.toml";
    let out_dir = dir.join("out");
    for args in [
        vec!["--csv", s(&file), "--lang", "en"],
        vec!["--reform", good, "--reform", s(&bad), "--csv", s(&out_dir)],
    ] {
        let out = Command::new(example("policy_change"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{args:?}");
    }
    // Nothing written, and the folder the run made is not left behind either.
    assert!(!out_dir.exists(), "nothing written");
}

/// `verify` sums the payouts again: a total edited in the receipt is a line of its own in
/// `--lang`, and the exit status is 1; the untouched receipt verifies with 0.
#[test]
fn verify_says_a_total_edited_in_the_receipt_in_the_chosen_language() {
    let dir = folder("verify-totals");
    let out = dir.join("payouts.csv");
    let status = Command::new(example("payouts"))
        .args(["--out", s(&out)])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    let receipt = dir.join("payouts.receipt.toml");
    let verify = |lang: &str| {
        let o = Command::new(example("verify"))
            .args(["--lang", lang, s(&receipt)])
            .output()
            .unwrap();
        let stdout = String::from_utf8(o.stdout).unwrap();
        (
            o.status.code(),
            stdout,
            String::from_utf8(o.stderr).unwrap(),
        )
    };
    let (code, stdout, _) = verify("en");
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("ok\ttotals\t"), "{stdout}");
    let text = std::fs::read_to_string(&receipt).unwrap();
    let edited = text.replacen("amount = \"4055.01\"", "amount = \"4155.01\"", 1);
    assert_ne!(edited, text);
    std::fs::write(&receipt, edited).unwrap();
    let (code, stdout, stderr) = verify("zh");
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("一致\t输出\t"), "{stdout}");
    assert!(
        stdout.contains("不符\t合计\t")
            && stdout.contains("transport_subsidy 金额: 回执 4155.01, 文件 4055.01"),
        "{stdout}"
    );
    assert_eq!(stderr.trim(), "回执中的合计与发放清单的汇总不符");
    let (code, _, stderr) = verify("en");
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr.trim(),
        "the receipt's totals differ from the payouts list's sums"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_run_without_laborers_says_its_errors_alone() {
    // The stream said "no laborer was read" before the errors of a run that then failed;
    // the in-memory path says it of a run that reads. Both now say it only then.
    let dir = folder("no-laborers-bad-post");
    std::fs::write(
        dir.join("posts.csv"),
        "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,school,s,t,,public_welfare,L1,-1,2\n",
    )
    .unwrap();
    let out = dir.join("p.csv");
    let (status, err) = run(
        "payouts",
        &["--data", s(&dir), "--out", s(&out), "--lang", "en"],
    );
    assert_eq!(status, 1, "{err}");
    assert!(!err.contains("note:"), "{err}");
    assert!(
        err.contains("posts.csv line 2, column monthly_wage"),
        "{err}"
    );
    std::fs::write(
        dir.join("posts.csv"),
        "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,school,s,t,,public_welfare,L1,1500,2\n",
    )
    .unwrap();
    let (status, err) = run(
        "payouts",
        &["--data", s(&dir), "--out", s(&out), "--lang", "en"],
    );
    assert_eq!(status, 0, "{err}");
    assert!(err.contains("note: no laborer was read"), "{err}");
}

#[test]
fn a_laborers_file_with_a_header_alone_is_noted_on_both_paths() {
    // The stream noted a missing laborers.csv but not one with a header alone (and blank
    // lines), which the in-memory path noted; and it noted posts.csv with a header alone,
    // which has no holder to speak of.
    let dir = folder("laborers-header-alone");
    let posts_header = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\n";
    let laborers_header = jiuye_fupin::sample::LABORERS_CSV.lines().next().unwrap();
    let note = "note: no laborer was read";
    // How many times `payouts` notes it, by the stream (`.csv`) and in memory (`.xlsx`).
    let notes = || {
        ["p.csv", "p.xlsx"].map(|out| {
            let out = dir.join(out);
            let (status, err) = run(
                "payouts",
                &["--data", s(&dir), "--out", s(&out), "--lang", "en"],
            );
            assert_eq!(status, 0, "{out:?}: {err}");
            err.matches(note).count()
        })
    };
    std::fs::write(dir.join("laborers.csv"), format!("{laborers_header}\n\n\n")).unwrap();
    std::fs::write(
        dir.join("posts.csv"),
        format!("{posts_header}P1,school,s,t,,public_welfare,L1,1500,2\n"),
    )
    .unwrap();
    assert_eq!(notes(), [1, 1]);
    // A laborer read: no note.
    std::fs::write(dir.join("laborers.csv"), jiuye_fupin::sample::LABORERS_CSV).unwrap();
    assert_eq!(notes(), [0, 0]);
    // Posts with a header alone and no laborers.csv: no post to speak of.
    std::fs::remove_file(dir.join("laborers.csv")).unwrap();
    std::fs::write(dir.join("posts.csv"), posts_header).unwrap();
    assert_eq!(notes(), [0, 0]);
    std::fs::remove_dir_all(&dir).unwrap();
}
