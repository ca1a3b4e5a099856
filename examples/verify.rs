//! Re-check a run's receipt against its files: which input or output changed since.
//!
//! ```text
//! cargo run --example verify -- payouts.receipt.toml             # in Chinese
//! cargo run --example verify -- --lang en payouts.receipt.toml   # in English
//! ```
//!
//! Recomputes each input's and output's size and SHA-256 and prints, for each file,
//! `ok`, `changed` or `missing` (一致, 已改变, 缺失). Then sums each payouts list output
//! (`payouts.csv`, or `payouts.xlsx`'s 发放清单 sheets) again and compares its subjects,
//! eligible subjects and amount per program with the totals the receipt records: `ok`, or
//! `differs` with each figure (一致, 不符), or `not checked` when no output is a payouts
//! list (未核对), never a silent match. A relative path is looked up as the
//! receipt holds it (relative to the working directory of the run), then relative to the
//! receipt's folder, an output also by its file name beside the receipt, and last relative
//! to the run's working directory, which the receipt holds (`working_dir`). Exits with 0
//! when every file and the totals match, 1 otherwise. A malformed receipt is an error naming the file
//! and the line (exit 1): any other TOML file, a key no receipt has, a receipt without the
//! crate version, the policy's name and SHA-256 or the as-of date, one naming no output
//! file, a SHA-256 that is not 64 hexadecimal digits.

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use jiuye_fupin::Lang;
use jiuye_fupin::problem::cannot_read;
use jiuye_fupin::receipt::{
    Status, TotalsStatus, TotalsVerdict, read_receipt, verify, verify_totals,
};

const USAGE: &str = "usage: verify [--lang zh|en] RECEIPT.toml";

fn main() -> ExitCode {
    common::main_with(|| {
        let (mut lang, mut receipt) = (common::lang_of_args(), None::<PathBuf>);
        let said = lang;
        let mut it = common::arguments()?;
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--lang" => {
                    let v = (it.next()).ok_or_else(|| common::needs_value(&arg, USAGE, said))?;
                    lang = v.parse().map_err(|e| format!("--lang: {e}"))?;
                }
                "-h" | "--help" => {
                    common::outln!("{USAGE}");
                    return Ok(());
                }
                _ if receipt.is_none() && !arg.starts_with("--") => receipt = Some(arg.into()),
                other => return Err(common::unknown_argument(other, USAGE, said)),
            }
        }
        let path = receipt.ok_or(USAGE)?;
        let text = read_receipt(&path).map_err(|e| cannot_read(&path, &e, lang))?;
        let dir = path.parent().unwrap_or(std::path::Path::new(""));
        // Not a receipt (any other TOML file, one naming no output): an error, never
        // "all 0 files match".
        let checks =
            verify(&text, dir).map_err(|e| format!("{}: {}", path.display(), e.render(lang)))?;
        for c in &checks {
            common::outln!("{}", c.render(lang));
        }
        // The totals written in the receipt against the payouts they sum.
        let totals = verify_totals(&text, dir)
            .map_err(|e| format!("{}: {}", path.display(), e.render(lang)))?;
        let mut totals_bad = 0;
        match &totals {
            TotalsVerdict::NotRecorded => {}
            TotalsVerdict::NotChecked if lang == Lang::Zh => {
                common::outln!(
                    "未核对\t合计\t输出中没有可重新汇总的发放清单 (payouts.csv, payouts.xlsx)"
                )
            }
            TotalsVerdict::NotChecked => {
                common::outln!(
                    "not checked\ttotals\tno payouts list (payouts.csv, payouts.xlsx) among the outputs to sum again"
                )
            }
            TotalsVerdict::Checked(sums) => {
                for c in sums {
                    common::outln!("{}", c.render(lang));
                    totals_bad += usize::from(c.status != TotalsStatus::Agree);
                }
            }
        }
        let bad = checks.iter().filter(|c| c.status != Status::Ok).count();
        match (bad, totals_bad, lang) {
            (0, 0, Lang::Zh) => common::outln!("回执与 {} 个文件一致", checks.len()),
            (0, 0, Lang::En) => common::outln!("all {} files match the receipt", checks.len()),
            (0, _, Lang::Zh) => return Err("回执中的合计与发放清单的汇总不符".to_owned()),
            (0, _, Lang::En) => {
                return Err("the receipt's totals differ from the payouts list's sums".to_owned());
            }
            (n, _, Lang::Zh) => return Err(format!("{n} 个文件与回执不符")),
            (n, _, Lang::En) => {
                return Err(format!(
                    "{n} of {} files differ from the receipt",
                    checks.len()
                ));
            }
        }
        Ok(())
    })
}
