//! [`DecisionRecord`]: a decision that owns its data, to store, send or compare later.
//!
//! A [`Decision`] borrows its subject's id from the roster and points to a static citation,
//! so it serializes but cannot be read back. A record owns the id, keeps everything else,
//! and survives a serde round trip unchanged (money as strings, reasons as codes, steps as
//! tagged tables); its citation is found again from its program.
//!
//! ```
//! use jiuye_fupin::record::DecisionRecord;
//! use jiuye_fupin::{Engine, Policy, sample};
//!
//! let roster = sample::roster();
//! let eval = Engine::new(&Policy::yang_county_2020()).evaluate(&roster, "2020-04-01".parse()?)?;
//! let records: Vec<DecisionRecord> = eval.decisions.iter().map(DecisionRecord::from).collect();
//! let text = toml::to_string(&DecisionRecord::table(&records))?;
//! assert!(text.contains("amount = \"500.00\""));
//! let back = DecisionRecord::from_table_str(&text)?;
//! assert_eq!(back, records);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::decision::{Citation, Decision, Outcome, Program, Step};
use crate::money::Yuan;

/// An owned, serializable copy of a [`Decision`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// The program.
    pub program: Program,
    /// The subject's id.
    pub subject_id: String,
    /// The date that selected the parameters.
    pub date: NaiveDate,
    /// Eligible with an amount, or ineligible with reasons.
    pub outcome: Outcome,
    /// How the amount was computed.
    #[serde(default)]
    pub steps: Vec<Step>,
}

impl DecisionRecord {
    /// The amount; `0.00` when ineligible.
    pub fn amount(&self) -> Yuan {
        match self.outcome {
            Outcome::Eligible { amount, .. } => amount,
            Outcome::Ineligible { .. } => Yuan::ZERO,
        }
    }

    /// The clause the decision applied (the program's).
    pub fn citation(&self) -> &'static Citation {
        self.program.citation()
    }

    /// Records as a TOML document `{ decision = [...] }` (TOML has no top-level list).
    pub fn table(records: &[DecisionRecord]) -> RecordTable<'_> {
        RecordTable { decision: records }
    }

    /// Reads back what [`DecisionRecord::table`] wrote.
    ///
    /// # Errors
    /// The TOML error, with its line.
    pub fn from_table_str(text: &str) -> Result<Vec<DecisionRecord>, toml::de::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Owned {
            #[serde(default)]
            decision: Vec<DecisionRecord>,
        }
        toml::from_str::<Owned>(text).map(|o| o.decision)
    }
}

/// A list of records to serialize as a TOML document (see [`DecisionRecord::table`]).
#[derive(Debug, Serialize)]
pub struct RecordTable<'a> {
    decision: &'a [DecisionRecord],
}

impl From<&Decision<'_>> for DecisionRecord {
    fn from(d: &Decision<'_>) -> DecisionRecord {
        DecisionRecord {
            program: d.program,
            subject_id: d.subject_id.to_owned(),
            date: d.date,
            outcome: d.outcome,
            steps: d.steps.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::{Reason, Reasons};

    #[test]
    fn programs_and_reasons_read_back_from_their_codes() {
        for p in Program::ALL {
            let v: Program = toml::Value::String(p.code().into()).try_into().unwrap();
            assert_eq!(v, p);
        }
        let mut r = Reasons::new();
        for reason in [
            Reason::NotPoor,
            Reason::UnableToWork,
            Reason::NotOutOfCounty,
            Reason::NoTransportCost,
            Reason::OutsideWindow,
            Reason::NotIsolated,
        ] {
            r.push(reason);
        }
        let text = toml::to_string(&Wrap { r }).unwrap();
        assert_eq!(toml::from_str::<Wrap>(&text).unwrap().r, r);
        for reason in [
            Reason::IncompleteIsolation,
            Reason::NotPoorOrGraduate,
            Reason::NoStoreInCounty,
            Reason::NotInsured,
            Reason::InsuredTooShort,
            Reason::TooManyLayoffs,
            Reason::NoHardship,
            Reason::NoMonthsRequested,
            Reason::EmployerNotEligible,
            Reason::HolderNotPoor,
        ] {
            let v: Reason = toml::Value::String(reason.code().into())
                .try_into()
                .unwrap();
            assert_eq!(v, reason);
        }
        assert!(toml::from_str::<Wrap>("r = [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]").is_err());
    }

    #[derive(Debug, Serialize, Deserialize)]
    struct Wrap {
        r: Reasons,
    }
}
