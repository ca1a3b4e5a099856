//! The audit receipt of a run: which code, which rules, which date and which files produced
//! a set of figures, so that any figure can be traced to the exact rules behind it.
//!
//! A receipt names the crate version, the policy (its name and the SHA-256 of its
//! parameters, serialized canonically), the as-of date and the totals. The `payouts`
//! example writes it beside `payouts.csv` (`payouts.receipt.toml`) and prints it in its
//! summary. (Input files are not hashed: hashing 100 MB costs more than evaluating it; a
//! county that needs it hashes its files with `sha256sum` beside the receipt.)
//!
//! ```
//! use jiuye_fupin::receipt::{Receipt, policy_hash};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let r = Receipt::new(&policy, "2020-04-01".parse()?);
//! assert_eq!(r.crate_version, env!("CARGO_PKG_VERSION"));
//! assert_eq!(r.policy_sha256, policy_hash(&policy));
//! assert_eq!(r.policy_sha256.len(), 64);
//! // Any change of a parameter changes the hash.
//! let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace("\"500.00\"", "\"500.01\"");
//! assert_ne!(policy_hash(&Policy::from_toml_str(&text)?), r.policy_sha256);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::policy::Policy;
use crate::report::Totals;

/// What produced a set of figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// This crate's version.
    pub crate_version: &'static str,
    /// The policy's name.
    pub policy_name: String,
    /// SHA-256 of the policy's parameters ([`policy_hash`]).
    pub policy_sha256: String,
    /// The as-of date of the evaluation.
    pub as_of: NaiveDate,
    /// The totals per program, once evaluated.
    pub totals: Option<Totals>,
}

/// SHA-256 of the policy's canonical TOML serialization: the same parameters always give
/// the same hash, and any change of a value, a date or a source note changes it.
pub fn policy_hash(policy: &Policy) -> String {
    let canonical = toml::to_string(policy).unwrap_or_default();
    hex(&Sha256::digest(canonical.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Receipt {
    /// A receipt for evaluating under `policy` as of `as_of` (totals to be added).
    pub fn new(policy: &Policy, as_of: NaiveDate) -> Receipt {
        Receipt {
            crate_version: env!("CARGO_PKG_VERSION"),
            policy_name: policy.name().to_owned(),
            policy_sha256: policy_hash(policy),
            as_of,
            totals: None,
        }
    }

    /// The receipt as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// One line for a printed summary.
    pub fn summary(&self) -> String {
        format!(
            "jiuye-fupin {} · policy {} (sha256 {}) · as of {}",
            self.crate_version,
            self.policy_name,
            self.policy_sha256.get(..16).unwrap_or(&self.policy_sha256),
            self.as_of
        )
    }
}
