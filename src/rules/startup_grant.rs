//! R3 `startup_grant`: 一次性创业补贴 (S2).
//!
//! > 对在洋县境内开办店面的建档立卡贫困劳动力和应届高校毕业生给予一次性5000元创业补贴
//!
//! **Reading** (POLICY.md): a poor laborer **or** a fresh graduate (应届高校毕业生) who opened
//! a store in the county, with the opening date (empty: the as-of date) in the window, gets
//! the grant once.
//!
//! Parameters (`[startup_grant]`): `amount` (5,000.00), `window` (2020-01-25..=2020-12-31).
//!
//! # Example: a graduate on the last day of the window, and the day after
//! ```
//! use jiuye_fupin::model::Laborer;
//! use jiuye_fupin::rules::{Parameters, startup_grant};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let mut l = Laborer { fresh_graduate: true, opened_store_in_county: true,
//!                       store_opened_date: Some("2020-12-31".parse()?), ..Laborer::new("L1") };
//! let date = startup_grant::date(&l, "2020-04-01".parse()?);
//! let p = policy.startup_grant().in_force(date)?;
//! assert_eq!(startup_grant::decide(&l, date, &p, false)?.amount().to_string(), "5000.00");
//! l.store_opened_date = Some("2021-01-01".parse()?);
//! let date = startup_grant::date(&l, "2020-04-01".parse()?);
//! let p = policy.startup_grant().in_force(date)?;
//! assert_eq!(startup_grant::decide(&l, date, &p, false)?.reason_codes().to_string(), "outside_window");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{NotInForce, Parameters, eligible, ineligible, value};
use crate::dated::{DateWindow, History};
use crate::decision::{
    Citation, Decision, Outcome, Program, Quantity, Reason, Reasons, Step, Term,
};
use crate::model::Laborer;
use crate::money::{MoneyError, Yuan, fast};

/// 因势顺导复产转产 (S2).
pub const CITATION: Citation = Citation {
    rule: "R3",
    paragraph: "S2 因势顺导复产转产",
    clause: "对在洋县境内开办店面的建档立卡贫困劳动力和应届高校毕业生给予一次性5000元创业补贴",
};

/// R3's dated parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The one-time grant.
    pub amount: History<Yuan>,
    /// Store opening dates the measure covers.
    pub window: History<DateWindow>,
}

/// R3's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// The one-time grant.
    pub amount: Yuan,
    /// Opening dates covered.
    pub window: DateWindow,
}

impl Parameters for Params {
    type InForce = InForce;

    fn change_dates(&self) -> Vec<NaiveDate> {
        self.amount
            .change_dates()
            .chain(self.window.change_dates())
            .collect()
    }

    fn in_force(&self, date: NaiveDate) -> Result<InForce, NotInForce> {
        Ok(InForce {
            amount: value(&self.amount, "startup_grant.amount", date)?,
            window: value(&self.window, "startup_grant.window", date)?,
        })
    }
}

/// The store opening date, or `as_of` when there is none.
pub fn date(l: &Laborer, as_of: NaiveDate) -> NaiveDate {
    l.store_opened_date.unwrap_or(as_of)
}

/// The unmet conditions, in POLICY.md's order.
fn unmet(l: &Laborer, date: NaiveDate, p: &InForce) -> Reasons {
    let mut reasons = Reasons::new();
    reasons.check_distinct(
        !(l.poverty_status.is_poor_laborer() || l.fresh_graduate),
        Reason::NotPoorOrGraduate,
    );
    reasons.check_distinct(!l.opened_store_in_county, Reason::NoStoreInCounty);
    reasons.check_distinct(!p.window.contains(date), Reason::OutsideWindow);
    reasons
}

/// [`decide`]'s outcome (no steps) in integer arithmetic, for bulk runs; `None` when an
/// operand is outside the domain where that is provably identical (`money::fast`), and the
/// caller uses [`decide`].
pub(crate) fn outcome_fen(l: &Laborer, date: NaiveDate, p: &InForce) -> Option<Outcome> {
    let reasons = unmet(l, date, p);
    if !reasons.is_empty() {
        return Some(Outcome::Ineligible { reasons });
    }
    Some(Outcome::Eligible {
        amount: fast::round(fast::units(p.amount)?, fast::SCALE)?,
        capped: false,
    })
}

/// Decides R3 for `l`, whose rule date is `date`, under `p`; `explain` records the steps.
///
/// # Errors
/// None in practice; the `Result` keeps every rule's signature alike.
pub fn decide<'r>(
    l: &'r Laborer,
    date: NaiveDate,
    p: &InForce,
    explain: bool,
) -> Result<Decision<'r>, MoneyError> {
    let reasons = unmet(l, date, p);
    let program = Program::StartupGrant;
    if !reasons.is_empty() {
        return Ok(ineligible(program, &l.id, date, reasons));
    }
    let exact = p.amount.as_decimal();
    let mut steps = Vec::new();
    if explain {
        steps.push(Step::Fixed {
            amount: Quantity::new(Term::Grant, exact),
        });
    }
    Ok(eligible(program, &l.id, date, exact, false, steps, explain))
}
