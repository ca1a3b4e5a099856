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
//! sample's, or the folder's).

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use jiuye_fupin::io::{self, RosterFiles};
use jiuye_fupin::{sample, xlsx};

const USAGE: &str = "usage: template --out FILE.xlsx [--sample | --from DIR]";

fn main() -> ExitCode {
    common::main_with(|| {
        let (mut out, mut from, mut with_sample) = (None::<PathBuf>, None::<PathBuf>, false);
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
            match flag.as_str() {
                "--out" => out = Some(value()?.into()),
                "--from" => from = Some(value()?.into()),
                "--sample" => with_sample = true,
                "-h" | "--help" => {
                    common::outln!("{USAGE}");
                    return Ok(());
                }
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        let out = out.ok_or(USAGE)?;
        let inputs: Vec<&std::path::Path> = from.iter().map(PathBuf::as_path).collect();
        common::stamp_inputs(&inputs, jiuye_fupin::Lang::Zh);
        let contents: Vec<Option<Vec<u8>>> = match &from {
            Some(dir) => io::data_files(dir)
                .map_err(|e| e.to_string())?
                .iter()
                .map(|p| p.as_ref().map(std::fs::read).transpose())
                .collect::<Result<_, _>>()
                .map_err(|e| format!("{}: {e}", dir.display()))?,
            None => Vec::new(),
        };
        let get = |i: usize| contents.get(i).and_then(|c| c.as_deref());
        let files = if from.is_some() {
            Some(RosterFiles {
                laborers: get(0),
                enterprises: get(1),
                posts: get(2),
                loan_applications: get(3),
                startup_centers: get(4),
                post_months: get(5),
            })
        } else if with_sample {
            Some(sample::files())
        } else {
            None
        };
        let bytes = xlsx::template(files.as_ref()).map_err(|e| e.to_string())?;
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
