//! See who gains and who loses from a policy change, before it takes effect.
//!
//! ```text
//! cargo run --example policy_change                      # two reforms on the embedded sample, in Chinese
//! cargo run --example policy_change -- --lang en         # in English
//! cargo run --example policy_change -- [--policy FILE] [--overlay FILE]... [--reform FILE]... [--data DIR]
//!                                      [--as-of 2020-04-01] [--csv DIR] [--out FILE.xlsx]
//! ```
//!
//! Without `--reform`, applies the two example reforms of `policies/reforms/`
//! (`transport-cap-600.toml`, `isolation-full-stay.toml`), each on its own, to the base
//! policy (`--policy FILE`, default the Yang County 2020 preset) and prints the impact on the
//! roster (`--data DIR` with `laborers.csv`, `enterprises.csv`, `posts.csv`; default the
//! embedded sample): per program, per town, and every subject whose decision changed.
//! `--csv DIR` also writes `impact-N-programs.csv`, `impact-N-towns.csv` and
//! `impact-N-changes.csv` for the N-th reform; `--out FILE.xlsx` a workbook per reform
//! (`FILE.xlsx`, or `FILE-N.xlsx` for several: per program, per town, every change, and
//! gainers and losers with a chart); an `--out` not named `.xlsx` is refused before any
//! work (CSV files are `--csv DIR`'s). `--data` takes folders and workbooks, as many as
//! given, merged. Errors name the file, line and parameter, and exit with status 1.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use jiuye_fupin::compare::compare;
use jiuye_fupin::reform::Reform;
use jiuye_fupin::{Lang, io};

const USAGE: &str = "usage: policy_change [--lang zh|en] [--policy FILE] [--overlay FILE]... [--reform FILE]... [--data DIR|FILE.xlsx]... [--as-of YYYY-MM-DD] [--csv DIR] [--out FILE.xlsx] [--encoding auto|utf-8|gb18030] [--clerk-formats]";

/// The example reforms, embedded so that the example runs from anywhere.
const EXAMPLES: [&str; 2] = [
    include_str!("../policies/reforms/transport-cap-600.toml"),
    include_str!("../policies/reforms/isolation-full-stay.toml"),
];

struct Args {
    lang: Lang,
    policy: Option<PathBuf>,
    /// `--overlay FILE`, each time given: partial policy files laid over the policy.
    overlays: Vec<PathBuf>,
    reforms: Vec<PathBuf>,
    data: Vec<PathBuf>,
    as_of: NaiveDate,
    csv: Option<PathBuf>,
    out: Option<PathBuf>,
    encoding: io::Encoding,
    clerk_formats: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        lang: Lang::Zh,
        policy: None,
        overlays: Vec::new(),
        reforms: Vec::new(),
        data: Vec::new(),
        as_of: NaiveDate::from_ymd_opt(2020, 4, 1).ok_or("bad default date")?,
        csv: None,
        out: None,
        encoding: io::Encoding::Auto,
        clerk_formats: false,
    };
    // Every message below is in `--lang`, wherever it stands among the arguments.
    let lang = common::lang_of_args();
    let mut it = common::arguments()?;
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| common::needs_value(&flag, USAGE, lang))
        };
        match flag.as_str() {
            "--lang" => args.lang = value()?.parse().map_err(|e| format!("--lang: {e}"))?,
            "--policy" => args.policy = Some(value()?.into()),
            "--overlay" => args.overlays.push(value()?.into()),
            "--reform" => args.reforms.push(value()?.into()),
            "--data" => args.data.push(value()?.into()),
            "--csv" => args.csv = Some(value()?.into()),
            "--out" => args.out = Some(value()?.into()),
            "--encoding" => args.encoding = common::parse_encoding(&value()?, lang)?,
            "--clerk-formats" => args.clerk_formats = true,
            "--as-of" => {
                args.as_of = common::parse_as_of(&value()?, lang)?;
            }
            "-h" | "--help" => {
                common::outln!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(common::unknown_argument(other, USAGE, lang)),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    common::main_with(|| parse_args().and_then(|args| run(&args)))
}

/// The run's input files: its data, its policy and its reforms.
fn inputs(args: &Args) -> Vec<&std::path::Path> {
    (args.data.iter().map(PathBuf::as_path))
        .chain(args.policy.as_deref())
        .chain(args.overlays.iter().map(PathBuf::as_path))
        .chain(args.reforms.iter().map(PathBuf::as_path))
        .collect()
}

fn run(args: &Args) -> Result<(), String> {
    // `--out` is a workbook: refused before any work when its name says otherwise (a
    // device such as `/dev/stdout` has no name to say it).
    let named_otherwise = |p: &&std::path::Path| !common::is_xlsx(p) && !common::is_special(p);
    if let Some(out) = args.out.as_deref().filter(named_otherwise) {
        let out = out.display();
        return Err(match args.lang {
            Lang::Zh => format!(
                "--out {out}：policy_change 的 --out 写出 Excel 工作簿，请用 .xlsx 文件名；要 CSV 文件请用 --csv DIR。"
            ),
            Lang::En => format!(
                "--out {out}: policy_change's --out writes an Excel workbook: give a .xlsx name; for CSV files use --csv DIR."
            ),
        });
    }
    common::stamp_inputs(&inputs(args), args.lang);
    // `--csv DIR` made (or found) before any work, so that an unusable folder (a file of
    // that name, no permission) is said before the report, not after it.
    if let Some(dir) = &args.csv {
        common::output_dir(dir)?;
    }
    let base = common::load_policy(args.policy.as_deref(), &args.overlays, args.lang)?;
    let reforms = if args.reforms.is_empty() {
        EXAMPLES
            .iter()
            .map(|text| Reform::from_toml_str(text))
            .collect::<Result<Vec<_>, _>>()
    } else {
        args.reforms.iter().map(Reform::load).collect()
    }
    .map_err(|e| e.render(args.lang))?;
    // Every reform applied before anything is printed or written: one that cannot be
    // applied stops the run with no output, not after the reforms before it were written.
    let reformed = reforms
        .iter()
        .map(|r| r.apply(&base))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.render(args.lang))?;
    let read = io::ReadOptions::default()
        .encoding(args.encoding)
        .clerk_formats(args.clerk_formats);
    let (roster, origins) = common::read_roster(&args.data, &read, args.lang)?;
    // One receipt for the run, for the base policy, beside its outputs: `FILE.receipt.toml`
    // for `--out FILE.xlsx`, else `DIR/impact.receipt.toml` for `--csv DIR` (its files
    // taken as one output, `impact.csv`: `DIR/impact.csv.receipt.toml` when the usual name
    // is another output's receipt, `common::receipt_path`).
    let receipt_at = (args.out.clone()).or_else(|| args.csv.as_ref().map(|d| d.join("impact.csv")));
    let inputs = inputs(args);
    for (i, (reform, reformed)) in reforms.iter().zip(&reformed).enumerate() {
        let cmp = compare(&base, reformed, &roster, args.as_of)
            .map_err(|e| e.render_at(origins.as_ref(), args.lang))?
            .noting(reform, &base);
        let heading = if args.lang == Lang::Zh {
            "政策调整"
        } else {
            "Reform"
        };
        common::outln!("══ {heading} {}: {}", i + 1, reform.name);
        if let Some(d) = &reform.description {
            common::outln!("   {d}");
        }
        for c in &reform.changes {
            common::outln!("   {} = {} ({})", c.parameter, c.value, c.effective_from);
        }
        for n in &cmp.not_compared {
            let (note, sep) = if args.lang == Lang::Zh {
                ("注意：", "：")
            } else {
                ("note: ", ": ")
            };
            common::outln!("   {note}{}{sep}{}", n.parameter, n.why.render(args.lang));
        }
        common::outln!("\n{}\n", cmp.render(args.lang));
        if let Some(path) = &args.out {
            // One workbook per reform: FILE, or FILE-N.xlsx when there are several.
            let path = if reforms.len() == 1 {
                path.clone()
            } else {
                let stem = path.file_stem().unwrap_or_default().to_string_lossy();
                path.with_file_name(format!("{stem}-{}.xlsx", i + 1))
            };
            // Its receipt sheet: the inputs, the workbooks of the reforms before it.
            let mut receipt = jiuye_fupin::receipt::Receipt::new(&base, args.as_of);
            let at = receipt_at.as_deref().unwrap_or(&path);
            common::workbook_receipt(at, &mut receipt, &inputs)?;
            let bytes = jiuye_fupin::xlsx::comparison_with_receipt(&cmp, &receipt, args.lang)
                .map_err(|e| common::cannot_make(&path, &e))?;
            common::write_bytes(&path, &bytes)?;
            common::outln!("→ {}", path.display());
        }
        if let Some(dir) = &args.csv {
            let n = i + 1;
            let path = |name: &str| dir.join(format!("impact-{n}-{name}.csv"));
            common::write_file(&path("programs"), |w| {
                cmp.write_programs_csv(w).map_err(|e| e.to_string())
            })?;
            common::write_file(&path("towns"), |w| {
                cmp.write_towns_csv(w).map_err(|e| e.to_string())
            })?;
            common::write_file(&path("changes"), |w| {
                cmp.write_changes_csv(w).map_err(|e| e.to_string())
            })?;
        }
    }
    if let Some(at) = receipt_at {
        let receipt = jiuye_fupin::receipt::Receipt::new(&base, args.as_of);
        if let Some(path) = common::write_receipt(&at, receipt, &inputs)? {
            common::outln!("→ {}", path.display());
        }
    }
    Ok(())
}
