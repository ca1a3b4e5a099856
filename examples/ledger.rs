//! The three-level ledger (台帐): county → town → village → household → person, every
//! decision placed once, each level the exact sum of the level below.
//!
//! ```text
//! cargo run --release --example ledger                      # the embedded sample, in Chinese
//! cargo run --release --example ledger -- --lang en
//! cargo run --release --example ledger -- --data DIR [--as-of 2020-04-01] [--policy FILE]
//! ```

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;

use jiuye_fupin::Engine;
use jiuye_fupin::ledger::Ledger;

const USAGE: &str =
    "usage: ledger [--lang zh|en] [--data DIR] [--as-of YYYY-MM-DD] [--policy FILE]";

fn main() -> ExitCode {
    common::main_with(|| {
        let args = common::parse_args(USAGE)?;
        let policy = common::policy(&args)?;
        let roster = common::roster(&args)?;
        let ledger =
            Ledger::build(&Engine::new(&policy), &roster, args.as_of).map_err(|e| e.to_string())?;
        print!("{}", ledger.render(args.lang));
        println!();
        print!("{}", ledger.totals.render(args.lang));
        Ok(())
    })
}
