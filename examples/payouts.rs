//! Decide every payout of a roster.
//!
//! ```text
//! cargo run --release --example payouts                      # the embedded Yang County sample, in Chinese
//! cargo run --release --example payouts -- --lang en         # the same, in English
//! cargo run --release --example payouts -- --out FILE         # the sample's payouts.csv too
//! cargo run --release --example payouts -- --data DIR [--as-of 2020-04-01] [--out FILE] [--policy FILE] [--overlay FILE]... [--threads N] [--chunk-kib K]
//! cargo run --release --example payouts -- --data town1.xlsx --data town2/ --out payouts.xlsx
//! cargo run --release --example payouts -- --data DIR --explain explained.csv   # or .jsonl, .xlsx
//! ```
//!
//! `--explain FILE` also writes the explained payout list: one row per decision with its
//! reasons as labels, the steps of its amount, its clause and the parameters in force with
//! their source notes, in `--lang`. CSV and JSON Lines are streamed with `payouts.csv` (the
//! exact path, with steps: slower than without); a workbook is written from memory.
//! `--excel-bom` starts the CSV outputs with a UTF-8 byte-order mark so that Excel opens
//! them as UTF-8; by default payouts.csv is byte for byte POLICY.md's format.
//!
//! A workbook, several `--data` or `--out FILE.xlsx` read every source into memory (merged
//! in order; a person in two sources is an error naming both) and decide it with the same
//! engine: the same rows as the stream, or a workbook (every decision with labels, the
//! totals, the receipt).
//!
//! With `--data`, streams `laborers.csv`, `enterprises.csv` and `posts.csv` from DIR (each
//! optional) through [`jiuye_fupin::batch`] on N worker threads (default: one per core) in
//! chunks of K KiB (default 512; the output does not depend on N or K),
//! writes `payouts.csv` (to FILE, default `DIR/payouts.csv`) and prints the totals. On bad
//! input it prints the error (file, line, column, value), leaves no output file and exits
//! with 1.

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::process::ExitCode;

use common::Args;
use jiuye_fupin::receipt::Receipt;
use jiuye_fupin::report::Table;
use jiuye_fupin::{Engine, Lang, Outcome, Policy, Roster, SubjectKind, batch, explain, io, sample};

const USAGE: &str = "usage: payouts [--lang zh|en] [--data DIR|FILE.xlsx]... [--as-of YYYY-MM-DD] [--out FILE.csv|FILE.xlsx] [--policy FILE] [--overlay FILE]... [--threads N] [--chunk-kib K] [--explain FILE.csv|FILE.jsonl|FILE.xlsx] [--excel-bom] [--encoding auto|utf-8|gb18030] [--clerk-formats]";

fn main() -> ExitCode {
    common::main_with(|| {
        let args = common::parse_args(USAGE)?;
        let policy = common::policy(&args)?;
        let workbook_out = args.out.as_deref().is_some_and(common::is_xlsx);
        let explain = match &args.explain {
            None => None,
            Some(path) => Some(explain::Format::of(path).ok_or_else(|| match args.lang {
                Lang::Zh => format!(
                    "--explain {}：文件名须以 .csv、.jsonl 或 .xlsx 结尾",
                    path.display()
                ),
                Lang::En => format!(
                    "--explain {}: the file must end in .csv, .jsonl or .xlsx",
                    path.display()
                ),
            })?),
        };
        let streamed = matches!(
            explain,
            None | Some(explain::Format::Csv | explain::Format::Jsonl)
        );
        match args.data.as_slice() {
            // The sample's table; with `--out`, its payouts.csv too (as any roster's).
            [] if args.out.is_none() && explain.is_none() => run_sample(&args, &policy),
            [dir] if dir.is_dir() && !workbook_out && streamed => {
                run_files(&args, &policy, dir, explain)
            }
            _ => run_in_memory(&args, &policy, explain),
        }
    })
}

/// `--data DIR`: CSVs in, payouts.csv out (streamed, on every core), totals printed.
///
/// The rows go to a temporary file beside FILE, renamed to FILE on success: on bad input,
/// a full disk or an interruption nothing is left under FILE.
fn run_files(
    args: &Args,
    policy: &Policy,
    dir: &std::path::Path,
    explain: Option<explain::Format>,
) -> Result<(), String> {
    let out_path = args
        .out
        .clone()
        .unwrap_or_else(|| dir.join(io::files::PAYOUTS));
    // Every program of the rule set, every file, streamed: one path whatever files exist.
    let inputs = batch::Inputs::dir(dir).map_err(|e| e.render(args.lang))?;
    let mut options = batch::Options::default()
        .threads(args.threads)
        .read(common::read_options(args));
    if let Some(kib) = args.chunk_kib {
        options = options.chunk_bytes(kib.saturating_mul(1024));
    }
    options.check().map_err(|e| e.to_string())?;
    common::note_encodings(&args.data, args.encoding, args.lang);
    // Only for a receipt, which is left beside a regular file only.
    if !common::is_special(&out_path) {
        common::hash_inputs_early(&common::input_paths(args));
    }
    // Every problem, in the clerk's language (as `audit --data` reports them).
    // A write error names its file, in the run's language (`common::Named`).
    let message = |e: batch::BatchError| match e {
        batch::BatchError::Write(e) => common::named_error(&e),
        e => e.render(args.lang),
    };
    let totals = common::write_file(&out_path, |out| match (&args.explain, explain) {
        (Some(path), Some(format)) => common::write_file(path, |explained| {
            common::bom(
                args.excel_bom && format == explain::Format::Csv,
                explained,
                path,
            )?;
            common::bom(args.excel_bom, out, &out_path)?;
            let lang = args.lang;
            let (out, explained) = (
                common::Named::new(&out_path, out),
                common::Named::new(path, explained),
            );
            batch::run_explained(
                &inputs, policy, args.as_of, out, explained, format, lang, &options,
            )
            .map_err(message)
        }),
        _ => {
            common::bom(args.excel_bom, out, &out_path)?;
            let out = common::Named::new(&out_path, out);
            batch::run(&inputs, policy, args.as_of, out, &options).map_err(message)
        }
    })?;
    // Said once the files are read, as the in-memory path says it (not before their errors):
    // posts with records, and no laborers.csv or one with a header alone.
    let records = |src: &Option<batch::Source<'_>>, kind| match src {
        Some(src) => batch::has_records(src, kind, &options).map_err(message),
        None => Ok(false),
    };
    // A laborer program that decided someone read a laborer: the file is not read again.
    let decided =
        (totals.iter()).any(|t| t.program.subject() == SubjectKind::Laborer && t.subjects > 0);
    let posts_alone = !decided
        && !records(&inputs.laborers, SubjectKind::Laborer)?
        && records(&inputs.posts, SubjectKind::Post)?;
    common::note_no_laborers(posts_alone, args.lang);
    common::note_no_records(totals.iter().all(|t| t.subjects == 0), args.lang);
    finish(args, policy, &out_path, totals)
}

/// Workbooks, several `--data`, or `--out FILE.xlsx`: every source read into memory and
/// merged (workbooks are small; a person in two sources is an error naming both), then
/// decided by the same engine, written as the streaming path writes (byte for byte the
/// same rows), or as a workbook.
fn run_in_memory(
    args: &Args,
    policy: &Policy,
    explain: Option<explain::Format>,
) -> Result<(), String> {
    let out_path = (args.out.clone())
        .or_else(|| common::default_out(args, io::files::PAYOUTS))
        .ok_or(USAGE)?;
    let (roster, origins) = common::roster_traced(args)?;
    let origins = origins.as_ref();
    let engine = Engine::new(policy).explain(explain.is_some());
    let eval = engine
        .evaluate(&roster, args.as_of)
        .map_err(|e| e.render_at(origins, args.lang))?;
    if let (Some(path), Some(format)) = (&args.explain, explain) {
        let bytes = match format {
            explain::Format::Xlsx => explain::xlsx_traced(&eval.decisions, origins, args.lang)
                .map_err(|e| common::cannot_make(path, &e))?,
            _ => {
                let mut out = Vec::new();
                if args.excel_bom && format == explain::Format::Csv {
                    out.extend_from_slice(common::BOM);
                }
                explain::write_header(&mut out, format);
                for d in &eval.decisions {
                    let source = explain::source_of(d, origins);
                    explain::write_row_at(&mut out, d, &source, args.lang, format);
                }
                out
            }
        };
        common::write_bytes(path, &bytes)?;
    }
    if common::is_xlsx(&out_path) {
        let mut receipt = Receipt::new(policy, args.as_of);
        receipt.totals = Some(eval.totals.clone());
        common::workbook_receipt(&out_path, &mut receipt, &common::input_paths(args))?;
        let bytes = jiuye_fupin::xlsx::payouts(&eval, &roster, &receipt, args.lang)
            .map_err(|e| common::cannot_make(&out_path, &e))?;
        common::write_bytes(&out_path, &bytes)?;
    } else {
        common::write_file(&out_path, |out| {
            common::bom(args.excel_bom, out, &out_path)?;
            let out = common::Named::new(&out_path, out);
            io::write_payouts(out, eval.decisions.iter().cloned().map(Ok)).map_err(|e| match e {
                io::WriteError::Io(e) => common::named_error(&e),
                e => e.to_string(),
            })
        })?;
    }
    finish(args, policy, &out_path, eval.totals)
}

/// The receipt beside the output, and the summary.
fn finish(
    args: &Args,
    policy: &Policy,
    out_path: &std::path::Path,
    totals: jiuye_fupin::report::Totals,
) -> Result<(), String> {
    let mut receipt = Receipt::new(policy, args.as_of);
    receipt.totals = Some(totals.clone());
    common::outln!("{}", receipt.summary());
    // Beside a regular file only: no receipt is left beside a device such as /dev/null.
    if let Some(receipt_path) =
        common::write_receipt(out_path, receipt, &common::input_paths(args))?
    {
        common::outln!("→ {}  ({})", out_path.display(), receipt_path.display());
    }
    common::out!("{}", totals.render(args.lang));
    Ok(())
}

/// No `--data`: the embedded sample, every decision explained.
fn run_sample(args: &Args, policy: &Policy) -> Result<(), String> {
    let lang = args.lang;
    let zh = lang == Lang::Zh;
    let roster = sample::roster();
    let names = display_names(&roster);
    let engine = Engine::new(policy);
    let eval = engine
        .evaluate(&roster, args.as_of)
        .map_err(|e| e.render(args.lang))?;
    common::outln!(
        "{}: {}
",
        if zh {
            "洋县样本花名册"
        } else {
            "Yang County sample roster"
        },
        Receipt::new(policy, args.as_of).summary()
    );
    let mut table = Table::new(if zh {
        ["规则", "项目", "对象", "姓名/名称", "结果", "金额", "说明"]
    } else {
        [
            "rule",
            "program",
            "subject",
            "name",
            "result",
            "amount",
            "explanation",
        ]
    });
    for d in &eval.decisions {
        let (result, note) = match d.outcome {
            Outcome::Eligible { .. } => (
                if zh { "符合" } else { "eligible" },
                d.steps
                    .iter()
                    .map(|s| s.render(lang).to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Outcome::Ineligible { reasons } => (
                if zh { "不符合" } else { "ineligible" },
                reasons.render(lang),
            ),
        };
        table.row([
            d.citation.rule.to_string(),
            d.program.name(lang).to_owned(),
            d.subject_id.to_owned(),
            names.get(d.subject_id).copied().unwrap_or("").to_owned(),
            result.to_owned(),
            d.amount().to_string(),
            note,
        ]);
    }
    common::outln!("{table}");
    // The clauses are the policy's (`--policy`), whichever county's it is.
    common::outln!(
        "{} ({}):",
        if zh { "依据" } else { "Clauses applied" },
        policy.name()
    );
    let mut shown = Vec::new();
    for d in &eval.decisions {
        if !shown.contains(&d.program) {
            shown.push(d.program);
            common::outln!("  {}", d.citation);
        }
    }
    common::outln!("\n{}", eval.totals.render(lang));
    Ok(())
}

/// Subject id → a name to show: the laborer's name, the enterprise's, the post's employer.
fn display_names(roster: &Roster) -> HashMap<&str, &str> {
    let laborers =
        (roster.laborers().iter()).filter_map(|l| Some((l.id.as_str(), l.name.as_deref()?)));
    let enterprises = (roster.enterprises().iter()).map(|e| (e.id.as_str(), e.name.as_str()));
    let posts = (roster.posts().iter()).map(|p| (p.id.as_str(), p.employer_name.as_str()));
    laborers.chain(enterprises).chain(posts).collect()
}
