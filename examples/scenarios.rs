//! Run scenario files: a county's expectations of its policy, checked without writing Rust.
//!
//! ```text
//! cargo run --example scenarios -- tests/scenarios                 # a folder of *.toml files
//! cargo run --example scenarios -- my-cases.toml --policy my-county.toml --lang en
//! ```
//!
//! Prints a `FAIL` line for every mismatch of a failing expectation (file, line, case,
//! program, subject, expected and actual) and a summary that counts the expectations that
//! failed and the mismatches; exits with status 1 if any fails or a file is not a valid
//! scenario (the error names the file, line and key). A run that would check nothing is an
//! error too, never "all passed": a folder with no `*.toml` file (the extension in any
//! case), a file with no `[[case]]`, a case with no `[[case.expect]]`, an expectation with
//! none of `eligible`, `amount` and `reasons`. Errors (a scenario or `--policy` file that
//! cannot be read or used), the `FAIL` lines and the summary are in `--lang` (default
//! Chinese; each mismatch's line starts with `FAIL` in both). The format is documented in
//! `jiuye_fupin::scenario` and at the top of each file of `tests/scenarios/`.

use std::path::PathBuf;
use std::process::ExitCode;

mod common;

use jiuye_fupin::scenario::{Report, Runner};
use jiuye_fupin::{Lang, Policy};

const USAGE: &str = "usage: scenarios PATH... [--policy FILE] [--lang zh|en]   (PATH: a scenario file or a folder of them)";

fn main() -> ExitCode {
    match run() {
        Ok((report, lang)) => {
            common::outln!("{}", report.render(lang));
            if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(message) => {
            common::errln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(Report, Lang), String> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut policy = None;
    // Every message below is in `--lang`, wherever it stands among the arguments.
    let mut lang = common::lang_of_args();
    let said = lang;
    let mut it = common::arguments()?;
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| common::needs_value(&arg, USAGE, said))
        };
        match arg.as_str() {
            "--policy" => policy = Some(value()?),
            "--lang" => {
                let value = value()?;
                lang = value.parse().map_err(|e| format!("--lang: {e}"))?;
            }
            "-h" | "--help" => {
                common::outln!("{USAGE}");
                std::process::exit(0);
            }
            flag if flag.starts_with("--") => {
                return Err(common::unknown_argument(flag, USAGE, said));
            }
            path => paths.push(path.into()),
        }
    }
    if paths.is_empty() {
        return Err(USAGE.to_owned());
    }
    let mut runner = Runner::new();
    if let Some(file) = policy {
        runner = runner.with_base(Policy::load(&file).map_err(|e| e.render(lang))?);
    }
    let mut total = Report::default();
    for path in paths {
        total.merge(runner.run_path(&path).map_err(|e| e.render(lang))?);
    }
    Ok((total, lang))
}
