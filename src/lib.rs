//! # jiuye-fupin (就业扶贫): employment-support rules as code
//!
//! In 2020 Yang County (洋县, Shaanxi) kept its poor laborers employed through the COVID-19
//! epidemic with transport subsidies, isolation allowances, startup grants, unemployment
//! insurance refunds, premium deferrals and public-welfare post subsidies. This crate decides
//! who is eligible for what, and how much, **to the fen**, and explains every decision with
//! the clause of the policy it applies.
//!
//! - [`money`]: exact yuan ([`Yuan`]) and rates over `rust_decimal`; one rounding per amount,
//!   half away from zero; no float anywhere.
//! - [`dated`]: parameter histories; the value in force on a date.
//! - [`model`]: laborers, enterprises, posts, and the validated [`Roster`].
//! - [`policy`]: every number of every rule as dated data; the Yang County 2020 preset.
//! - [`calc`]: the combinators a rule's amount is written with, evaluated exactly (with
//!   steps) or in integer fen.
//! - [`rules`]: the [`rules::Rule`] trait, and one module per built-in rule (R1–R10), each
//!   with its citation, parameters and reading.
//! - [`ruleset`]: the ordered set of rules a county runs: built-in, added, replaced, dropped.
//! - [`decision`]: decisions, reason codes, explanation steps, Chinese and English text.
//! - [`engine`]: evaluate subjects or a whole roster as of a date.
//! - [`report`]: totals per program, payouts apart from deferrals.
//! - [`io`]: the CSV interchange files.
//! - [`json`]: rosters in JSON (read by the same reader as the CSV files), owned JSON
//!   results, and their JSON Schemas.
//! - [`reform`]: county overlays (partial policy files) and dated reforms, applied to a base
//!   policy without changing it.
//! - [`compare`]: the impact of a policy change per program, per town and per subject.
//! - [`scenario`]: typed TOML scenario files of expected decisions, and their runner.
//! - [`record`]: an owned, serializable copy of a decision.
//! - [`batch`]: the streaming, parallel path from the CSVs to `payouts.csv`, in constant memory.
//! - `testing` (cargo feature `proptest`): strategies for every record kind and policy, and
//!   invariant checks a county runs on its own rules.
//!
//! # Example
//! ```
//! use jiuye_fupin::{Engine, Lang, Policy};
//! use jiuye_fupin::model::{Laborer, PovertyStatus};
//! use jiuye_fupin::rules::isolation;
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let laborer = Laborer {
//!     poverty_status: PovertyStatus::RemainingPoor,
//!     isolation_start: Some("2020-02-10".parse()?),
//!     isolation_days: 8,
//!     ..Laborer::new("YX-L001")
//! };
//! let d = engine.decide(isolation::PROGRAM, &laborer, "2020-04-01".parse()?)?;
//! assert_eq!(d.amount().to_string(), "140.00"); // 20.00 × min(8, 7)
//! println!("{}", d.render(Lang::Zh));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![doc = ""]
#![doc = include_str!("../DESIGN.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
// Unit tests may index and count freely: a panic there is a failing test.
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::arithmetic_side_effects))]

/// `impl schemars::JsonSchema` for a type with its own serialization: its name and the
/// schema of what it serializes to.
macro_rules! schema_as {
    ($ty:ty, $name:literal, $schema:tt) => {
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($schema)
            }
        }
    };
}

pub mod args;
pub mod batch;
mod boxed;
pub mod calc;
pub mod compare;
pub mod dated;
pub mod decision;
pub mod engine;
pub mod explain;
mod file;
pub mod finding;
pub mod io;
pub mod json;
pub mod ledger;
pub mod model;
pub mod money;
pub mod policy;
pub mod problem;
pub mod receipt;
pub mod record;
pub mod reform;
pub mod report;
pub mod rules;
pub mod ruleset;
pub mod sample;
pub mod scenario;
pub mod table;
#[cfg(feature = "proptest")]
pub mod testing;
pub mod xlsx;

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use decision::{Decision, Lang, Outcome, Program, ProgramKind, Reason, SubjectKind};
pub use engine::{Engine, EvalError, Evaluation};
pub use model::Roster;
pub use money::Yuan;
pub use policy::Policy;
pub use ruleset::RuleSet;
