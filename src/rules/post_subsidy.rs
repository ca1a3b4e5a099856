//! R8 `post_subsidy`: 公益性岗位补贴 (S3).
//!
//! > 继续对部分承担公益专岗安置任务的镇办及学校、卫生院给予60%的岗位补贴
//!
//! **Reading** (POLICY.md): a public-welfare post (the epidemic-prevention assistant post
//! included) held by a poor laborer, at an employer of an eligible kind (Yang County: town
//! office 镇办, school 学校, health center 卫生院), gets `rate × monthly_wage × months_paid`.
//! "部分" is not a column: every employer of those kinds qualifies. The as-of date selects
//! the parameters; there is no window.
//!
//! Parameters (`[post_subsidy]`): `rate` (0.60), `eligible_employers`
//! (`["town_office", "school", "health_center"]`).
//!
//! # Example: a school post, and a village post
//! ```
//! use jiuye_fupin::model::{EmployerKind, Post, PovertyStatus};
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::{Parameters, post_subsidy};
//! use jiuye_fupin::Policy;
//!
//! let policy = Policy::yang_county_2020();
//! let date = "2020-04-01".parse()?;
//! let p = policy.post_subsidy().in_force(date)?;
//! let mut post = Post { employer_kind: EmployerKind::School, holder_id: "L1".into(),
//!     monthly_wage: Yuan::parse("800.075")?, months_paid: 1, ..Post::new("P1") };
//! let d = post_subsidy::decide(&post, PovertyStatus::Lifted, date, &p, false)?;
//! assert_eq!(d.amount().to_string(), "480.05");
//! post.employer_kind = EmployerKind::Village;
//! let d = post_subsidy::decide(&post, PovertyStatus::None, date, &p, false)?;
//! assert_eq!(d.reason_codes().to_string(), "employer_not_eligible;holder_not_poor");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{NotInForce, Parameters, eligible, ineligible, value};
use crate::dated::History;
use crate::decision::{
    Citation, Decision, Outcome, Program, Quantity, Reason, Reasons, Step, Term,
};
use crate::model::{EmployerKind, Post, PovertyStatus};
use crate::money::{MoneyError, Rate, exact_mul, fast};

/// 科学指导适度设岗 (S3).
pub const CITATION: Citation = Citation {
    rule: "R8",
    paragraph: "S3 科学指导适度设岗",
    clause: "继续对部分承担公益专岗安置任务的镇办及学校、卫生院给予60%的岗位补贴",
};

/// R8's dated parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Share of the wage subsidised (岗位补贴比例).
    pub rate: History<Rate>,
    /// Employer kinds whose posts are subsidised.
    pub eligible_employers: History<Vec<EmployerKind>>,
}

/// R8's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// Share of the wage subsidised.
    pub rate: Rate,
    /// Employer kinds subsidised.
    pub eligible_employers: EmployerSet,
}

/// A set of employer kinds (no allocation).
///
/// ```
/// use jiuye_fupin::model::EmployerKind;
/// use jiuye_fupin::rules::post_subsidy::EmployerSet;
/// let s: EmployerSet = [EmployerKind::School].into_iter().collect();
/// assert!(s.contains(EmployerKind::School) && !s.contains(EmployerKind::Village));
/// // A kind listed twice is still in the set.
/// let twice: EmployerSet = [EmployerKind::School, EmployerKind::School].into_iter().collect();
/// assert!(twice.contains(EmployerKind::School));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EmployerSet(u8);

impl EmployerSet {
    /// `true` when `kind` is in the set.
    pub const fn contains(self, kind: EmployerKind) -> bool {
        self.0 & (1 << kind as u8) != 0
    }
}

impl FromIterator<EmployerKind> for EmployerSet {
    fn from_iter<I: IntoIterator<Item = EmployerKind>>(iter: I) -> Self {
        EmployerSet(iter.into_iter().fold(0, |bits, k| bits | 1 << k as u8))
    }
}

impl Parameters for Params {
    type InForce = InForce;

    fn change_dates(&self) -> Vec<NaiveDate> {
        (self.rate.change_dates())
            .chain(self.eligible_employers.change_dates())
            .collect()
    }

    fn in_force(&self, date: NaiveDate) -> Result<InForce, NotInForce> {
        Ok(InForce {
            rate: value(&self.rate, "post_subsidy.rate", date)?,
            eligible_employers: self
                .eligible_employers
                .at(date)
                .ok_or(NotInForce {
                    parameter: "post_subsidy.eligible_employers",
                    date,
                })?
                .iter()
                .copied()
                .collect(),
        })
    }
}

/// R8's parameters are those in force on the as-of date.
pub fn date(_post: &Post, as_of: NaiveDate) -> NaiveDate {
    as_of
}

/// The unmet conditions, in POLICY.md's order.
fn unmet(post: &Post, holder: PovertyStatus, p: &InForce) -> Reasons {
    let mut reasons = Reasons::new();
    reasons.check_distinct(
        !p.eligible_employers.contains(post.employer_kind),
        Reason::EmployerNotEligible,
    );
    reasons.check_distinct(!holder.is_poor_laborer(), Reason::HolderNotPoor);
    reasons
}

/// [`decide`]'s outcome (no steps) in integer arithmetic, for bulk runs; `None` when an
/// operand is outside the domain where that is provably identical (`money::fast`), and the
/// caller uses [`decide`].
pub(crate) fn outcome_fen(post: &Post, holder: PovertyStatus, p: &InForce) -> Option<Outcome> {
    let reasons = unmet(post, holder, p);
    if !reasons.is_empty() {
        return Some(Outcome::Ineligible { reasons });
    }
    let (rate, scale) = fast::rate(p.rate)?;
    let monthly = fast::mul(rate, fast::units(post.monthly_wage)?)?;
    let exact = fast::mul(monthly, post.months_paid.into())?;
    Some(Outcome::Eligible {
        amount: fast::round(exact, fast::SCALE.checked_add(scale)?)?,
        capped: false,
    })
}

/// Decides R8 for `post`, whose holder has `holder` status, under `p`.
///
/// # Errors
/// [`MoneyError::Overflow`] if `rate × wage × months` does not fit exactly.
pub fn decide<'r>(
    post: &'r Post,
    holder: PovertyStatus,
    date: NaiveDate,
    p: &InForce,
    explain: bool,
) -> Result<Decision<'r>, MoneyError> {
    let reasons = unmet(post, holder, p);
    let program = Program::PostSubsidy;
    if !reasons.is_empty() {
        return Ok(ineligible(program, &post.id, date, reasons));
    }
    let monthly = p.rate.of(post.monthly_wage)?;
    let exact = exact_mul(monthly, post.months_paid.into())?;
    let mut steps = Vec::new();
    if explain {
        steps.push(Step::Product {
            lhs: Quantity::new(Term::SubsidyRate, p.rate.as_decimal()),
            rhs: Quantity::new(Term::MonthlyWage, post.monthly_wage.as_decimal()),
            result: monthly,
        });
        steps.push(Step::Product {
            lhs: Quantity::new(Term::MonthlySubsidy, monthly),
            rhs: Quantity::new(Term::MonthsPaid, post.months_paid),
            result: exact,
        });
    }
    Ok(eligible(
        program, &post.id, date, exact, false, steps, explain,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_listed_twice_is_still_eligible_and_unlisted_kinds_are_not() {
        let s: EmployerSet = [
            EmployerKind::School,
            EmployerKind::School,
            EmployerKind::TownOffice,
        ]
        .into_iter()
        .collect();
        assert!(s.contains(EmployerKind::School) && s.contains(EmployerKind::TownOffice));
        assert!(!s.contains(EmployerKind::Village) && !s.contains(EmployerKind::HealthCenter));
    }
}
