//! The three-level ledger (台帐): county → town → village → household → person, every
//! decision placed once, each level the exact sum of the level below.
//!
//! ```text
//! cargo run --release --example ledger                      # the embedded sample, in Chinese
//! cargo run --release --example ledger -- --lang en
//! cargo run --release --example ledger -- --data DIR [--as-of 2020-04-01] [--policy FILE] [--overlay FILE]... [--out FILE]
//! ```
//!
//! `--out FILE.xlsx` writes the ledger as a workbook (sheets 县, 镇, 村, 户 with their 合计
//! rows, every decision placed, a chart per town and program, the receipt); any other
//! `--out FILE` writes the printed ledger to FILE instead of printing it.

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;

use jiuye_fupin::Engine;
use jiuye_fupin::ledger::Ledger;

const USAGE: &str = "usage: ledger [--lang zh|en] [--data DIR|FILE.xlsx]... [--as-of YYYY-MM-DD] [--policy FILE] [--overlay FILE]... [--out FILE.xlsx|FILE.txt] [--encoding auto|utf-8|gb18030] [--clerk-formats]";

fn main() -> ExitCode {
    common::main_with(|| {
        let args = common::parse_args(USAGE)?;
        let policy = common::policy(&args)?;
        let (roster, origins) = common::roster_traced(&args)?;
        let mut ledger = Ledger::build(&Engine::new(&policy), &roster, args.as_of)
            .map_err(|e| e.render_at(origins.as_ref(), args.lang))?;
        if let Some(origins) = &origins {
            ledger = ledger.with_origins(origins);
        }
        // Rendered as it is written, never held whole (tens of MB for a large county).
        let (text, totals) = (ledger.render(args.lang), ledger.totals.render(args.lang));
        let mut receipt = jiuye_fupin::receipt::Receipt::new(&policy, args.as_of);
        receipt.totals = Some(ledger.totals.clone());
        match &args.out {
            None => common::out!("{text}\n{totals}"),
            Some(path) => {
                if common::is_xlsx(path) {
                    common::workbook_receipt(path, &mut receipt, &common::input_paths(&args))?;
                    let bytes = jiuye_fupin::xlsx::ledger(&ledger, &receipt, args.lang)
                        .map_err(|e| common::cannot_make(path, &e))?;
                    common::write_bytes(path, &bytes)?;
                } else {
                    common::write_file(path, |w| {
                        use std::io::Write;
                        write!(w, "{text}\n{totals}").map_err(|e| common::cannot_write(path, &e))
                    })?;
                }
                common::write_receipt(path, receipt, &common::input_paths(&args))?;
                common::outln!("→ {}", path.display());
            }
        }
        Ok(())
    })
}
