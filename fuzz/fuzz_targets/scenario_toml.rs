//! Fuzzes the scenario-file runner: any text either runs or is a located error.
#![no_main]

use jiuye_fupin::scenario::Runner;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Runner::new().run_str(text, "fuzz.toml");
});
