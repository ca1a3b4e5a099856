//! [`DecisionRecord`]: a decision that owns its data, to store, send or compare later.
//!
//! A [`Decision`] borrows its subject's id from the roster and its citation from the
//! engine, so it serializes but cannot be read back. A record owns everything: the
//! program's code, the outcome, the reason codes, the steps as text (in Chinese, the
//! policy's language) and the citation; it survives a serde round trip unchanged (money as
//! strings).
//!
//! ```
//! use jiuye_fupin::record::DecisionRecord;
//! use jiuye_fupin::{Engine, Policy, sample};
//!
//! let roster = sample::roster();
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
//! let records: Vec<DecisionRecord> = eval.decisions.iter().map(DecisionRecord::from).collect();
//! let text = toml::to_string(&DecisionRecord::table(&records))?;
//! assert!(text.contains("amount = \"500.00\""));
//! let back = DecisionRecord::from_table_str(&text)?;
//! assert_eq!(back, records);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::decision::{Citation, Decision, Lang};
use crate::money::Yuan;

/// An owned, serializable copy of a [`Decision`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// The program's code.
    pub program: String,
    /// The subject's id.
    pub subject_id: String,
    /// The date that selected the parameters.
    pub date: NaiveDate,
    /// Every condition met.
    pub eligible: bool,
    /// The amount (`0.00` when ineligible).
    pub amount: Yuan,
    /// A limit cut the amount.
    #[serde(default)]
    pub capped: bool,
    /// The unmet conditions' codes (`capped` when a limit cut an eligible amount).
    #[serde(default)]
    pub reasons: Vec<String>,
    /// The same conditions in words, in the record's language.
    #[serde(default)]
    pub reason_labels: Vec<String>,
    /// How the amount was computed, one step a line, in the record's language (Chinese
    /// unless made with [`DecisionRecord::new`]).
    #[serde(default)]
    pub steps: Vec<String>,
    /// The parameters in force on `date` that decided it, each with its entry's date and
    /// `source`; on a decision that a repeal made `not_in_force`, the repealing entry of
    /// `in_effect` (none before a parameter's first entry).
    #[serde(default)]
    pub parameters: Vec<ParamRecord>,
    /// The clause applied.
    pub citation: Citation,
}

/// A parameter in force on a decision's date, as the policy file states it: an owned
/// [`crate::decision::ParamNote`].
///
/// ```
/// use jiuye_fupin::record::DecisionRecord;
/// use jiuye_fupin::{Engine, Lang, Policy, sample};
/// let roster = sample::roster();
/// let engine = Engine::new(&Policy::yang_county_2020());
/// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
/// let r = DecisionRecord::new(&eval.decisions[0], Lang::En);
/// let cap = r.parameters.iter().find(|p| p.name == "cap").unwrap();
/// assert_eq!(cap.value, "500.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamRecord {
    /// The parameter's name in the rule's table (`cap`, `in_effect`).
    pub name: String,
    /// Its value, as the policy file states it.
    pub value: String,
    /// The first day of the entry in force.
    pub effective_from: NaiveDate,
    /// The entry's `source` note, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl From<&crate::decision::ParamNote> for ParamRecord {
    fn from(n: &crate::decision::ParamNote) -> ParamRecord {
        ParamRecord {
            name: n.name.to_owned(),
            value: n.value.clone(),
            effective_from: n.effective_from,
            source: n.source.clone(),
        }
    }
}

impl DecisionRecord {
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
    /// The record in Chinese, the policy's language.
    fn from(d: &Decision<'_>) -> DecisionRecord {
        DecisionRecord::new(d, Lang::Zh)
    }
}

impl DecisionRecord {
    /// An owned copy of `d`, its reasons' labels and steps in `lang`; `reasons` lists the
    /// codes of `payouts.csv` (`capped` for an eligible amount a limit cut).
    ///
    /// ```
    /// use jiuye_fupin::record::DecisionRecord;
    /// use jiuye_fupin::{Engine, Lang, Policy, sample};
    /// let roster = sample::roster();
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
    /// let r = DecisionRecord::new(&eval.decisions[0], Lang::En);
    /// assert_eq!(r.reasons.join(";"), eval.decisions[0].reason_codes().to_string());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(d: &Decision<'_>, lang: Lang) -> DecisionRecord {
        let capped = matches!(d.outcome, crate::Outcome::Eligible { capped: true, .. });
        let mut reasons: Vec<String> = d.reasons().iter().map(|r| r.code().to_owned()).collect();
        let mut reason_labels: Vec<String> = d
            .reasons()
            .iter()
            .map(|r| r.text(lang).to_owned())
            .collect();
        if capped {
            reasons.push("capped".to_owned());
            reason_labels.push(
                lang.pick("超过上限, 按上限发放", "capped at a limit")
                    .to_owned(),
            );
        }
        DecisionRecord {
            program: d.program.code().to_owned(),
            subject_id: d.subject_id.to_owned(),
            date: d.date,
            eligible: d.is_eligible(),
            amount: d.amount(),
            capped,
            reasons,
            reason_labels,
            steps: d.steps.iter().map(|s| s.render(lang).to_string()).collect(),
            parameters: d.parameters.iter().map(ParamRecord::from).collect(),
            citation: d.citation.clone(),
        }
    }
}
