//! R5 `ui_refund`: 失业保险稳岗返还 (S2).
//!
//! > 疫情防控期间坚持不裁员或少裁员的参保企业,将失业保险费返还比例由上年度实际缴费的50%提高到60%
//!
//! **Reading** (POLICY.md): an enterprise insured for unemployment insurance (`ui_insured`)
//! for at least `min_insured_months` *(national: 12)*, with a layoff rate
//! `layoffs / insured_headcount` of at most `max_layoff_rate` *(national: 5.5%)*, or, with at
//! most `small_enterprise_max_headcount` *(30)* insured employees, at most
//! `small_enterprise_max_layoff_rate` *(20%)*, gets `rate × prior_year_ui_paid`. Rates are
//! compared exactly (`11 ≤ 0.055 × 200`). The `rate` is a dated history: 50% normally, 60%
//! for applications dated in the epidemic window. The application date (empty: the as-of
//! date) selects the parameters. There is no window condition: outside it the rate falls
//! back to 50%.
//!
//! # Example: POLICY.md's figure, and the 50% of the day before
//! ```
//! use jiuye_fupin::model::Enterprise;
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::ui_refund::PROGRAM;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let as_of = "2020-04-01".parse()?;
//! let mut e = Enterprise { ui_insured: true, ui_insured_months: 24, insured_headcount: 100,
//!     prior_year_ui_paid: Yuan::parse("12345.675")?,
//!     application_date: Some("2020-03-01".parse()?), ..Enterprise::new("E1") };
//! assert_eq!(engine.decide(PROGRAM, &e, as_of)?.amount().to_string(), "7407.41");
//! e.application_date = Some("2020-01-24".parse()?);
//! assert_eq!(engine.decide(PROGRAM, &e, as_of)?.amount().to_string(), "6172.84");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use super::{Facts, Param, ParamError, ParamSpec, Rule, Values};
use crate::calc::Calc;
use crate::decision::{
    Label, Program, ProgramDef, ProgramKind, Reason, Reasons, SubjectKind, Term,
};
use crate::model::Enterprise;
use crate::money::Rate;

/// R5: not insured for unemployment insurance.
pub const NOT_INSURED: Reason = Reason::new(&Label {
    code: "not_insured",
    zh: "未参加失业保险",
    en: "not insured for unemployment",
});
/// R5: insured for fewer months than required.
pub const INSURED_TOO_SHORT: Reason = Reason::new(&Label {
    code: "insured_too_short",
    zh: "参保时间不足",
    en: "insured for too few months",
});
/// R5: layoff rate above the limit.
pub const TOO_MANY_LAYOFFS: Reason = Reason::new(&Label {
    code: "too_many_layoffs",
    zh: "裁员率超过标准",
    en: "layoff rate above the limit",
});

/// R5's program.
static DEF: ProgramDef = ProgramDef {
    code: "ui_refund",
    name_zh: "失业保险稳岗返还",
    name_en: "unemployment-insurance refund",
    kind: ProgramKind::Payout,
    subject: SubjectKind::Enterprise,
    reasons: &[NOT_INSURED, INSURED_TOO_SHORT, TOO_MANY_LAYOFFS],
    rule: "R5",
};

/// R5's program.
pub const PROGRAM: Program = Program::new(&DEF);

const RATE: Param<Rate> = Param::required("rate");
const MIN_INSURED_MONTHS: Param<u32> = Param::required("min_insured_months");
const MAX_LAYOFF_RATE: Param<Rate> = Param::required("max_layoff_rate");
const SMALL_HEADCOUNT: Param<u32> = Param::required("small_enterprise_max_headcount");
const SMALL_LAYOFF_RATE: Param<Rate> = Param::required("small_enterprise_max_layoff_rate");

const REFUND_RATE: Term = Term::new(&Label {
    code: "refund_rate",
    zh: "返还比例",
    en: "refund rate",
});
const PRIOR_YEAR: Term = Term::new(&Label {
    code: "prior_year_ui_paid",
    zh: "上年度实际缴费",
    en: "prior-year UI paid",
});

/// R5's parameters on one date.
#[derive(Debug, Clone, Copy)]
pub struct InForce {
    rate: Rate,
    min_insured_months: u32,
    max_layoff_rate: Rate,
    small_enterprise_max_headcount: u32,
    small_enterprise_max_layoff_rate: Rate,
}

/// R5, the unemployment-insurance refund.
#[derive(Debug, Clone, Copy, Default)]
pub struct UiRefund;

impl Rule for UiRefund {
    type Subject = Enterprise;
    type Params = InForce;

    fn program(&self) -> Program {
        PROGRAM
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![
            RATE.spec(),
            MIN_INSURED_MONTHS.spec(),
            MAX_LAYOFF_RATE.spec(),
            SMALL_HEADCOUNT.spec(),
            SMALL_LAYOFF_RATE.spec(),
        ]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        Ok(InForce {
            rate: v.get(RATE)?,
            min_insured_months: v.get(MIN_INSURED_MONTHS)?,
            max_layoff_rate: v.get(MAX_LAYOFF_RATE)?,
            small_enterprise_max_headcount: v.get(SMALL_HEADCOUNT)?,
            small_enterprise_max_layoff_rate: v.get(SMALL_LAYOFF_RATE)?,
        })
    }

    /// The application date, or `as_of` when there is none.
    fn date(&self, e: &Enterprise, as_of: NaiveDate) -> NaiveDate {
        e.application_date.unwrap_or(as_of)
    }

    fn unmet(&self, e: &Enterprise, _: &Facts, _: NaiveDate, p: &InForce, r: &mut Reasons) {
        let few_layoffs = p.max_layoff_rate.admits(e.layoffs, e.insured_headcount)
            || (e.insured_headcount <= p.small_enterprise_max_headcount
                && (p.small_enterprise_max_layoff_rate).admits(e.layoffs, e.insured_headcount));
        r.check(!e.ui_insured, NOT_INSURED);
        r.check(
            e.ui_insured_months < p.min_insured_months,
            INSURED_TOO_SHORT,
        );
        r.check(!few_layoffs, TOO_MANY_LAYOFFS);
    }

    /// `rate × prior_year_ui_paid`.
    fn amount<C: Calc>(&self, e: &Enterprise, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        let rate = c.rate(REFUND_RATE, p.rate);
        let paid = c.money(PRIOR_YEAR, e.prior_year_ui_paid);
        c.mul(rate, paid)
    }
}
