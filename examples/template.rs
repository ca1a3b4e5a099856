//! The roster workbook for village collectors (村级信息员): every sheet and column, Chinese
//! labels with the codes, drop-down lists for enum and boolean columns, date and money
//! formats, and an instructions sheet (说明).
//!
//! ```text
//! cargo run --example template -- --out roster.xlsx              # empty, to fill in
//! cargo run --example template -- --out sample.xlsx --sample     # filled with the embedded sample
//! cargo run --example template -- --out town1.xlsx --from DIR    # a data folder's CSV files as a workbook
//! ```
//!
//! What it writes reads back through `--data FILE.xlsx` as the same roster (empty, the
//! sample's, or the folder's). `--from DIR` decodes each file as `payouts --data` does
//! (UTF-8, or GBK when its start says so; `--encoding` forces one) and reads it with the
//! same reader (header, quoting, blank rows): a missing or repeated column or a record with
//! the wrong number of fields is refused, naming the file and line. Its cells are checked
//! when the workbook is read. `--sample` and `--from` are alternatives; `--out` must be
//! named `.xlsx`.

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jiuye_fupin::io::{self, Encoding, ReadOptions, RosterFiles};
use jiuye_fupin::{Lang, sample, xlsx};

const USAGE: &str = "usage: template --out FILE.xlsx [--sample | --from DIR [--encoding auto|utf-8|gb18030]] [--lang zh|en]";

fn main() -> ExitCode {
    common::main_with(|| {
        let (mut out, mut from, mut with_sample) = (None::<PathBuf>, None::<PathBuf>, false);
        let (mut encoding, mut lang) = (None::<Encoding>, common::lang_of_args());
        let said = lang;
        let mut it = common::arguments()?;
        while let Some(flag) = it.next() {
            let mut value = || {
                it.next()
                    .ok_or_else(|| common::needs_value(&flag, USAGE, said))
            };
            match flag.as_str() {
                "--out" => out = Some(value()?.into()),
                "--from" => from = Some(value()?.into()),
                "--sample" => with_sample = true,
                "--encoding" => encoding = Some(common::parse_encoding(&value()?, said)?),
                "--lang" => lang = value()?.parse().map_err(|e| format!("--lang: {e}"))?,
                "-h" | "--help" => {
                    common::outln!("{USAGE}");
                    return Ok(());
                }
                other => return Err(common::unknown_argument(other, USAGE, said)),
            }
        }
        if with_sample && from.is_some() {
            return Err(match lang {
                Lang::Zh => format!("--sample 与 --from 只能二选一\n{USAGE}"),
                Lang::En => {
                    format!("--sample and --from are alternatives: give one of them\n{USAGE}")
                }
            });
        }
        if encoding.is_some() && from.is_none() {
            return Err(match lang {
                Lang::Zh => format!("--encoding 只用于 --from DIR 的 CSV 文件\n{USAGE}"),
                Lang::En => format!("--encoding is for --from DIR's CSV files\n{USAGE}"),
            });
        }
        let out = out.ok_or(USAGE)?;
        // A workbook is written: refused before any work when the name says otherwise (a
        // device such as `/dev/stdout` has no name to say it).
        if !common::is_xlsx(&out) && !common::is_special(&out) {
            let out = out.display();
            return Err(match lang {
                Lang::Zh => format!("--out {out}：模板是 Excel 工作簿，请用 .xlsx 文件名。"),
                Lang::En => {
                    format!("--out {out}: the template is an Excel workbook: give a .xlsx name.")
                }
            });
        }
        let inputs: Vec<&Path> = from.iter().map(PathBuf::as_path).collect();
        common::stamp_inputs(&inputs, lang);
        let read = ReadOptions::default().encoding(encoding.unwrap_or_default());
        let contents = match &from {
            Some(dir) => folder(dir, &read, lang)?,
            None => Vec::new(),
        };
        let get = |i: usize| contents.get(i).and_then(|c| c.as_deref());
        let bytes = match &from {
            Some(dir) => {
                let files = RosterFiles {
                    laborers: get(0),
                    enterprises: get(1),
                    posts: get(2),
                    loan_applications: get(3),
                    startup_centers: get(4),
                    post_months: get(5),
                };
                xlsx::template_from(&files, dir)
            }
            None => xlsx::template(with_sample.then(sample::files).as_ref()),
        }
        .map_err(|e| e.render(lang))?;
        common::write_bytes(&out, &bytes)?;
        common::outln!("→ {}", out.display());
        // The template depends on no policy or date: the receipt names the preset's and the
        // default date, for its form; its point is the files.
        let policy = jiuye_fupin::Policy::yang_county_2020();
        let as_of = chrono::NaiveDate::from_ymd_opt(2020, 4, 1).ok_or("bad default date")?;
        let receipt = jiuye_fupin::receipt::Receipt::new(&policy, as_of);
        common::write_receipt(&out, receipt, &inputs)?;
        Ok(())
    })
}

/// The folder's six files as UTF-8 text, each `None` when absent, each decoded as the one
/// reader decodes it (`io::decoded_text`: UTF-8, or GB18030 when `--encoding` or the file's
/// start says so), a GBK file noted on standard error. Their cells are not checked here (a
/// town's folder may hold posts whose holders are in another town's, merged at the county;
/// a clerk may make a workbook to correct a file in Excel); `--data` checks the workbook,
/// naming its sheet, row and column.
fn folder(dir: &Path, read: &ReadOptions, lang: Lang) -> Result<Vec<Option<Vec<u8>>>, String> {
    common::note_encodings(&[dir.to_path_buf()], read.encoding_of(), lang);
    let paths = io::data_files(dir).map_err(|e| e.render(lang))?;
    (paths.iter())
        .map(|path| {
            path.as_deref()
                .map(|p| io::decoded_text(p, read).map(String::into_bytes))
                .transpose()
                .map_err(|e| e.render(lang))
        })
        .collect()
}
