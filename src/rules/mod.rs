//! The rules, one module each: R1 [`transport`], R2 [`isolation`], R3 [`startup_grant`],
//! R4 [`guaranteed_loan`], R5 [`ui_refund`], R6 [`premium_deferral`], R7
//! [`startup_center`], R8 [`post_subsidy`]; and the audits R9 [`assistant_quota`] and R10
//! [`post_compliance`], which produce findings rather than decisions.
//!
//! Every module has the same shape, so a rule's code, parameters, citation and tests are
//! found in one place:
//! - `CITATION`: the clause of the article, verbatim;
//! - `Params`: its dated parameters, as they appear under the rule's table in a policy file;
//! - `InForce`: the values of those parameters on one date (implements [`Parameters`]);
//! - `date(subject, as_of)`: the date that selects the parameters and is tested against the
//!   rule's window (the record's own date, or the as-of date when it has none);
//! - `decide(...)`: the decision, with every unmet condition and the steps of the amount.
//!
//! Rule code holds no number of the policy: every cap, rate, day count, threshold and window
//! comes from `InForce`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::dated::History;
use crate::decision::{Decision, Outcome, Program, Reasons, Step};
use crate::money::Yuan;

pub mod assistant_quota;
pub mod guaranteed_loan;
pub mod isolation;
pub mod post_compliance;
pub mod post_subsidy;
pub mod premium_deferral;
pub mod startup_center;
pub mod startup_grant;
pub mod transport;
pub mod ui_refund;

#[cfg(test)]
mod fast_tests;

/// A parameter with no value in force on a date (the date is before its first entry).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter {parameter} is not in force on {date} (its history starts later)")]
pub struct NotInForce {
    /// The parameter, as named in the policy file (`ui_refund.rate`).
    pub parameter: &'static str,
    /// The date.
    pub date: NaiveDate,
}

/// A rule's dated parameters: which dates change them, and their values on a date.
///
/// ```
/// use jiuye_fupin::Policy;
/// use jiuye_fupin::rules::Parameters;
///
/// let policy = Policy::yang_county_2020();
/// let p = policy.ui_refund().in_force("2020-03-01".parse()?)?;
/// assert_eq!(p.rate.to_string(), "0.6");
/// assert!(policy.ui_refund().in_force("1999-01-01".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Parameters {
    /// The values on one date: small and `Copy`, resolved once per change of parameters.
    type InForce: Copy;

    /// Every date on which a value changes, in any order.
    fn change_dates(&self) -> Vec<NaiveDate>;

    /// The values in force on `date`.
    ///
    /// # Errors
    /// [`NotInForce`] naming the first parameter with no value on that date.
    fn in_force(&self, date: NaiveDate) -> Result<Self::InForce, NotInForce>;
}

/// The value of `history` on `date`, or [`NotInForce`] naming it.
pub(crate) fn value<T: Clone>(
    history: &History<T>,
    parameter: &'static str,
    date: NaiveDate,
) -> Result<T, NotInForce> {
    history
        .at(date)
        .cloned()
        .ok_or(NotInForce { parameter, date })
}

/// An ineligible decision (no steps).
pub(crate) fn ineligible<'r>(
    program: Program,
    id: &'r str,
    date: NaiveDate,
    reasons: Reasons,
) -> Decision<'r> {
    Decision::new(
        program,
        id,
        date,
        Outcome::Ineligible { reasons },
        Vec::new(),
    )
}

/// An eligible decision: rounds `exact` once, and records the rounding as a step when it
/// changed the value.
pub(crate) fn eligible<'r>(
    program: Program,
    id: &'r str,
    date: NaiveDate,
    exact: Decimal,
    capped: bool,
    mut steps: Vec<Step>,
    explain: bool,
) -> Decision<'r> {
    let amount = Yuan::round_to_fen(exact);
    if explain && amount.as_decimal() != exact {
        steps.push(Step::Round {
            exact,
            result: amount,
        });
    }
    Decision::new(
        program,
        id,
        date,
        Outcome::Eligible { amount, capped },
        steps,
    )
}
