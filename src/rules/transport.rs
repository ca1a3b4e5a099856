//! R1 `transport_subsidy`: 外出务工往返交通补贴 (S1).
//!
//! > 对外出务工的贫困劳动力按照最高500元标准发放往返交通补贴
//!
//! **Reading** (POLICY.md): a poor laborer (still poor or lifted out) who is able to work,
//! works out of the county, has a documented round-trip transport cost above zero and
//! departed within the policy window gets `min(transport_cost, cap)`, rounded once to the
//! fen. The cap is applied to the exact cost before rounding (500.005 pays 500.00, and is
//! `capped`). The departure date (empty: the as-of date) selects the parameters.
//!
//! Parameters (`[transport_subsidy]`): `cap` (Yang County: 500.00), `window`
//! (2020-01-25..=2020-12-31).
//!
//! # Example: eligible, capped, and the day before the window
//! ```
//! use jiuye_fupin::model::{Laborer, PovertyStatus, WorkDestination};
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::{Parameters, transport};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let mut l = Laborer {
//!     poverty_status: PovertyStatus::Lifted,
//!     able_to_work: true,
//!     work_destination: WorkDestination::OutOfCounty,
//!     transport_cost: Some(Yuan::parse("523.40")?),
//!     departure_date: Some("2020-03-01".parse()?),
//!     ..Laborer::new("L1")
//! };
//! let date = transport::date(&l, "2020-04-01".parse()?);
//! let d = transport::decide(&l, date, &policy.transport_subsidy().in_force(date)?, true)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("500.00".into(), "capped".into()));
//!
//! l.departure_date = Some("2020-01-24".parse()?);
//! l.poverty_status = PovertyStatus::None;
//! let date = transport::date(&l, "2020-04-01".parse()?);
//! let d = transport::decide(&l, date, &policy.transport_subsidy().in_force(date)?, true)?;
//! assert_eq!(d.reason_codes().to_string(), "not_poor;outside_window");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{NotInForce, Parameters, eligible, ineligible, value};
use crate::dated::{DateWindow, History};
use crate::decision::{
    Citation, Decision, Outcome, Program, Quantity, Reason, Reasons, Step, Term,
};
use crate::model::{Laborer, WorkDestination};
use crate::money::{MoneyError, Yuan, fast};

/// 有序引导复工返岗 (S1).
pub const CITATION: Citation = Citation {
    rule: "R1",
    paragraph: "S1 有序引导复工返岗",
    clause: "对外出务工的贫困劳动力按照最高500元标准发放往返交通补贴",
};

/// R1's dated parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Most paid per laborer (最高 … 标准).
    pub cap: History<Yuan>,
    /// Departure dates the measure covers.
    pub window: History<DateWindow>,
}

/// R1's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// Most paid per laborer.
    pub cap: Yuan,
    /// Departure dates covered.
    pub window: DateWindow,
}

impl Parameters for Params {
    type InForce = InForce;

    fn change_dates(&self) -> Vec<NaiveDate> {
        self.cap
            .change_dates()
            .chain(self.window.change_dates())
            .collect()
    }

    fn in_force(&self, date: NaiveDate) -> Result<InForce, NotInForce> {
        Ok(InForce {
            cap: value(&self.cap, "transport_subsidy.cap", date)?,
            window: value(&self.window, "transport_subsidy.window", date)?,
        })
    }
}

/// The departure date, or `as_of` when there is none.
pub fn date(l: &Laborer, as_of: NaiveDate) -> NaiveDate {
    l.departure_date.unwrap_or(as_of)
}

/// The unmet conditions, in POLICY.md's order.
fn unmet(l: &Laborer, date: NaiveDate, p: &InForce) -> Reasons {
    let mut reasons = Reasons::new();
    reasons.check_distinct(!l.poverty_status.is_poor_laborer(), Reason::NotPoor);
    reasons.check_distinct(!l.able_to_work, Reason::UnableToWork);
    reasons.check_distinct(
        l.work_destination != WorkDestination::OutOfCounty,
        Reason::NotOutOfCounty,
    );
    let no_cost = l.transport_cost.is_none_or(|c| c.is_zero());
    reasons.check_distinct(no_cost, Reason::NoTransportCost);
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
    let cost = fast::units(l.transport_cost?)?;
    let cap = fast::units(p.cap)?;
    Some(Outcome::Eligible {
        amount: fast::round(cost.min(cap), fast::SCALE)?,
        capped: cost > cap,
    })
}

/// Decides R1 for `l`, whose rule date is `date`, under `p`; `explain` records the steps.
///
/// # Errors
/// None in practice (no arithmetic can overflow); the `Result` keeps every rule's signature
/// alike.
pub fn decide<'r>(
    l: &'r Laborer,
    date: NaiveDate,
    p: &InForce,
    explain: bool,
) -> Result<Decision<'r>, MoneyError> {
    let reasons = unmet(l, date, p);
    let program = Program::TransportSubsidy;
    let cost = l.transport_cost.filter(|c| !c.is_zero());
    let Some(cost) = cost.filter(|_| reasons.is_empty()) else {
        return Ok(ineligible(program, &l.id, date, reasons));
    };
    let paid = cost.min(p.cap).as_decimal();
    let mut steps = Vec::new();
    if explain {
        steps.push(Step::Min {
            value: Quantity::new(Term::TransportCost, cost.as_decimal()),
            limit: Quantity::new(Term::Cap, p.cap.as_decimal()),
            result: paid,
        });
    }
    Ok(eligible(
        program,
        &l.id,
        date,
        paid,
        cost > p.cap,
        steps,
        explain,
    ))
}
