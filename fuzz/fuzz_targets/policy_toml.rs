//! Fuzzes the policy-file loader; a policy that loads must also build an engine and
//! evaluate the sample without panicking.
#![no_main]

use jiuye_fupin::{Engine, Policy, sample};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(policy) = Policy::from_toml_str(text) {
        let engine = Engine::new(&policy);
        let roster = sample::roster();
        let as_of = chrono::NaiveDate::from_ymd_opt(2020, 4, 1).unwrap_or_default();
        let _ = engine.evaluate(&roster, as_of);
        let _ = engine.audit(&roster, as_of);
    }
});
