//! R6 `premium_deferral`: 社会保险费缓缴 (S2).
//!
//! > 对受疫情影响面临暂时性生产经营困难,无力足额缴纳社会保险费的企业,按照最长6个月缓缴养老保险、失业保险和工伤保险费
//!
//! **Reading** (POLICY.md): an enterprise in temporary hardship that requests at least one
//! month defers `min(requested, max_months)` months of its pension, unemployment and
//! work-injury premiums (not medical); the amount is `(pension + unemployment + injury) ×
//! months`. It is a deferral, not a payout: reports keep it apart. Yang County sets no
//! window; a county may (`window`), and an application dated outside it is then
//! `outside_window`. The application date (empty: the as-of date) selects the parameters.
//!
//! Parameters (`[premium_deferral]`): `max_months` (6), `window` (optional).
//!
//! # Example: 6 and 7 months requested
//! ```
//! use jiuye_fupin::model::Enterprise;
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::premium_deferral::PROGRAM;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let date = "2020-03-01".parse()?;
//! let mut e = Enterprise { hardship: true, deferral_months_requested: 6,
//!     monthly_pension_premium: Yuan::parse("48000")?, monthly_unemployment_premium: Yuan::parse("1500")?,
//!     monthly_injury_premium: Yuan::parse("600")?, ..Enterprise::new("E1") };
//! assert_eq!(engine.decide(PROGRAM, &e, date)?.amount().to_string(), "300600.00");
//! e.deferral_months_requested = 7;
//! let d = engine.decide(PROGRAM, &e, date)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("300600.00".into(), "capped".into()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use super::common::OUTSIDE_WINDOW;
use super::{Facts, Param, ParamError, ParamSpec, Rule, Values};
use crate::calc::Calc;
use crate::dated::DateWindow;
use crate::decision::{
    Label, Program, ProgramDef, ProgramKind, Reason, Reasons, SubjectKind, Term,
};
use crate::model::Enterprise;

/// R6: no temporary hardship.
pub const NO_HARDSHIP: Reason = Reason::new(&Label {
    code: "no_hardship",
    zh: "无暂时性生产经营困难",
    en: "no temporary hardship",
});
/// R6: no month of deferral requested.
pub const NO_MONTHS_REQUESTED: Reason = Reason::new(&Label {
    code: "no_months_requested",
    zh: "未申请缓缴月数",
    en: "no month of deferral requested",
});

/// R6's program.
static DEF: ProgramDef = ProgramDef {
    code: "premium_deferral",
    name_zh: "社会保险费缓缴",
    name_en: "social-insurance premium deferral",
    kind: ProgramKind::Deferral,
    subject: SubjectKind::Enterprise,
    reasons: &[NO_HARDSHIP, NO_MONTHS_REQUESTED, OUTSIDE_WINDOW],
    rule: "R6",
};

/// R6's program.
pub const PROGRAM: Program = Program::new(&DEF);

const MAX_MONTHS: Param<u32> = Param::required("max_months");
const WINDOW: Param<DateWindow> = Param::optional("window");

const REQUESTED: Term = Term::new(&Label {
    code: "deferral_months_requested",
    zh: "申请月数",
    en: "months requested",
});
const MOST: Term = Term::new(&Label {
    code: "max_months",
    zh: "最长月数",
    en: "most months",
});
const DEFERRED: Term = Term::new(&Label {
    code: "months_deferred",
    zh: "缓缴月数",
    en: "months deferred",
});
const PENSION: Term = Term::new(&Label {
    code: "monthly_pension_premium",
    zh: "养老保险费",
    en: "pension",
});
const UNEMPLOYMENT: Term = Term::new(&Label {
    code: "monthly_unemployment_premium",
    zh: "失业保险费",
    en: "unemployment",
});
const INJURY: Term = Term::new(&Label {
    code: "monthly_injury_premium",
    zh: "工伤保险费",
    en: "work injury",
});
const MONTHLY: Term = Term::new(&Label {
    code: "monthly_premiums",
    zh: "月缴费合计",
    en: "monthly premiums",
});

/// R6's parameters on one date.
#[derive(Debug, Clone, Copy)]
pub struct InForce {
    max_months: u32,
    window: Option<DateWindow>,
}

/// R6, the social-insurance premium deferral.
#[derive(Debug, Clone, Copy, Default)]
pub struct PremiumDeferral;

impl Rule for PremiumDeferral {
    type Subject = Enterprise;
    type Params = InForce;

    fn program(&self) -> Program {
        PROGRAM
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![MAX_MONTHS.spec(), WINDOW.spec()]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        Ok(InForce {
            max_months: v.get(MAX_MONTHS)?,
            window: v.optional(WINDOW)?,
        })
    }

    /// The application date, or `as_of` when there is none.
    fn date(&self, e: &Enterprise, as_of: NaiveDate) -> NaiveDate {
        e.application_date.unwrap_or(as_of)
    }

    fn unmet(&self, e: &Enterprise, _: &Facts, date: NaiveDate, p: &InForce, r: &mut Reasons) {
        r.check(!e.hardship, NO_HARDSHIP);
        r.check(e.deferral_months_requested == 0, NO_MONTHS_REQUESTED);
        r.check(p.window.is_some_and(|w| !w.contains(date)), OUTSIDE_WINDOW);
    }

    /// `(pension + unemployment + injury) × min(requested, max_months)`.
    fn amount<C: Calc>(&self, e: &Enterprise, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        let requested = c.count(REQUESTED, e.deferral_months_requested);
        let most = c.count(MOST, p.max_months);
        let months = c.min(requested, most);
        let months = c.named(DEFERRED, months);
        let premiums = [
            c.money(PENSION, e.monthly_pension_premium),
            c.money(UNEMPLOYMENT, e.monthly_unemployment_premium),
            c.money(INJURY, e.monthly_injury_premium),
        ];
        let monthly = c.sum(MONTHLY, &premiums);
        c.mul(monthly, months)
    }
}
