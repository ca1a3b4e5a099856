//! A county's own program, added without touching the crate: a one-time 求职创业补贴
//! (job-seeking and startup subsidy) for poor members of zero-employment households.
//!
//! **Reading.** A laborer is eligible when registered poor (still poor or lifted out), a
//! member of a zero-employment household (零就业家庭), able and willing to work, and the
//! as-of date lies in the program's window; the amount is the fixed `grant` of the
//! county's policy file (`policies/county/job-seeking.toml`: 1,000.00 from 2020-02-01).
//! It uses only POLICY.md's columns of `laborers.csv`, so it runs on roster files as they
//! are: nothing is refused for a column of its own.
//!
//! ```sh
//! cargo run --example county_rule -- --data DIR [--as-of 2020-04-01] [--out FILE.csv] [--policy FILE]
//! ```
//!
//! Writes `payouts.csv` (default `DIR/payouts.csv`) with the built-in rows unchanged and
//! the new program's rows in rule order (after R3 for each laborer), and prints the totals.
//! The policy is the county's file (`policies/county/job-seeking.toml` of the crate, found
//! from any folder), or `--policy FILE`: another county's file with the program's table.
//! `--out` is CSV: a `.xlsx` name is refused before any work.

#[path = "../common/mod.rs"]
mod common;
mod rule;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use jiuye_fupin::batch::{self, Inputs, Options};
use jiuye_fupin::{Lang, Policy, RuleSet};
use rule::{JobSeekingSubsidy, POLICY};

const USAGE: &str = "usage: county_rule --data DIR [--as-of YYYY-MM-DD] [--out FILE.csv] [--policy FILE] [--lang zh|en] [--encoding auto|utf-8|gb18030] [--clerk-formats]";

fn main() -> ExitCode {
    // The language of the messages, `--lang`'s once it is read.
    let mut lang = Lang::Zh;
    common::main_with(|| {
        run(&mut lang).map_err(|e| format!("{}{e}", lang.pick("错误：", "error: ")))
    })
}

fn run(lang: &mut Lang) -> Result<(), String> {
    let mut data: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut policy_file: Option<PathBuf> = None;
    let mut as_of: NaiveDate = "2020-04-01".parse().map_err(|e| format!("{e}"))?;
    let mut read = jiuye_fupin::io::ReadOptions::default();
    // Every message below is in `--lang`, wherever it stands among the arguments.
    let said = common::lang_of_args();
    *lang = said;
    let mut args = common::arguments()?;
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| common::needs_value(&a, USAGE, said))
        };
        match a.as_str() {
            "--data" => data = Some(value()?.into()),
            "--out" => out = Some(value()?.into()),
            "--policy" => policy_file = Some(value()?.into()),
            "--as-of" => {
                as_of = common::parse_as_of(&value()?, said)?;
            }
            "--lang" => *lang = value()?.parse().map_err(|e| format!("--lang: {e}"))?,
            "--encoding" => read = read.encoding(common::parse_encoding(&value()?, said)?),
            "--clerk-formats" => read = read.clerk_formats(true),
            "--help" | "-h" => {
                common::outln!("{USAGE}");
                return Ok(());
            }
            other => return Err(common::unknown_argument(other, USAGE, said)),
        }
    }
    let lang = *lang;
    let dir = data.ok_or_else(|| {
        lang.pick("缺少 --data DIR", "--data DIR is required")
            .to_owned()
    })?;
    if !dir.is_dir() {
        let dir = dir.display();
        return Err(match lang {
            Lang::Zh => format!("--data {dir}：不是文件夹"),
            Lang::En => format!("--data {dir}: not a folder"),
        });
    }
    let out = out.unwrap_or_else(|| dir.join("payouts.csv"));
    // The rows are CSV: a workbook's name would hold them under the wrong extension.
    if common::is_xlsx(&out) {
        let out = out.display();
        return Err(match lang {
            Lang::Zh => format!("--out {out}：county_rule 写出的是 CSV，请用 .csv 文件名。"),
            Lang::En => format!("--out {out}: county_rule writes CSV: give a .csv name."),
        });
    }
    let policy_path = policy_file.unwrap_or_else(|| PathBuf::from(POLICY));
    let files = [dir.as_path(), policy_path.as_path()];
    common::stamp_inputs(&files, lang);
    let rules = RuleSet::yang_county_2020()
        .with(JobSeekingSubsidy)
        .map_err(|e| e.to_string())?;
    let policy = Policy::load_with(&rules, &policy_path).map_err(|e| e.render(lang))?;
    let inputs = Inputs::dir(&dir).map_err(|e| e.render(lang))?;
    common::note_encodings(std::slice::from_ref(&dir), read.encoding_of(), lang);
    let options = Options::default().read(read);
    let totals = common::write_file(&out, |w| {
        batch::run(&inputs, &policy, as_of, w, &options)
            .map_err(|e: batch::BatchError| e.render(lang))
    })?;
    common::outln!("{} · as of {as_of} → {}", policy.name(), out.display());
    common::out!("{}", totals.render(lang));
    common::note_no_records(totals.iter().all(|t| t.subjects == 0), lang);
    let mut receipt = jiuye_fupin::receipt::Receipt::new(&policy, as_of);
    receipt.totals = Some(totals);
    common::write_receipt(&out, receipt, &files)?;
    Ok(())
}
