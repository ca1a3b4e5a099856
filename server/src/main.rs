//! `jiuye-fupin-server [--listen ADDR] [--policy FILE] [--token-file F] [--max-body-bytes N]
//! [--timeout-seconds S] [--concurrency N] [--quiet] [--lang zh|en]`: serves the built-in
//! rules over HTTP (see the crate's documentation and [`jiuye_fupin_server::main_with`],
//! which a county calls with its own rule set).
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    jiuye_fupin_server::main_with(&jiuye_fupin::RuleSet::yang_county_2020())
}
