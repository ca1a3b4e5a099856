//! R4 `guaranteed_loan`: 创业担保贷款 (S2).
//!
//! > 符合创业担保政策规定并成功创业的可申请不超过15万元的创业担保贷款
//!
//! **Reading** (POLICY.md): an applicant who meets the guaranteed-loan conditions (a flag
//! the lending office supplies), has started a business and requests an amount above zero
//! is approved up to `min(requested, cap)`. It is a loan ceiling, not a payout: reports
//! keep it apart from subsidies. The application date (empty: the as-of date) selects the
//! parameters. (财金〔2020〕21号 raised the national cap to 200,000 from 2020-04-15: a county
//! that follows it adds a dated entry to `cap`.)
//!
//! Parameters (`[guaranteed_loan]`): `cap` (150,000.00).
//!
//! # Example: above the cap, and an applicant who has not started
//! ```
//! use jiuye_fupin::model::LoanApplication;
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::rules::guaranteed_loan::PROGRAM;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let date = "2020-03-01".parse()?;
//! let mut a = LoanApplication { meets_guarantee_conditions: true, business_started: true,
//!     requested_amount: Yuan::parse("180000")?, ..LoanApplication::new("L1") };
//! let d = engine.decide(PROGRAM, &a, date)?;
//! assert_eq!((d.amount().to_string(), d.reason_codes().to_string()), ("150000.00".into(), "capped".into()));
//! a.business_started = false;
//! assert_eq!(engine.decide(PROGRAM, &a, date)?.reason_codes().to_string(), "business_not_started");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use super::{Facts, Param, ParamError, ParamSpec, Rule, Values};
use crate::calc::Calc;
use crate::decision::{
    Label, Program, ProgramDef, ProgramKind, Reason, Reasons, SubjectKind, Term,
};
use crate::model::LoanApplication;
use crate::money::Yuan;

/// R4: the guaranteed-loan conditions are not met.
pub const GUARANTEE_CONDITIONS_UNMET: Reason = Reason::new(&Label {
    code: "guarantee_conditions_unmet",
    zh: "不符合创业担保贷款政策规定",
    en: "guaranteed-loan conditions not met",
});
/// R4: no business started.
pub const BUSINESS_NOT_STARTED: Reason = Reason::new(&Label {
    code: "business_not_started",
    zh: "未成功创业",
    en: "no business started",
});
/// R4: no amount requested.
pub const NO_AMOUNT_REQUESTED: Reason = Reason::new(&Label {
    code: "no_amount_requested",
    zh: "未申请贷款金额",
    en: "no amount requested",
});

/// R4's program.
static DEF: ProgramDef = ProgramDef {
    code: "guaranteed_loan",
    name_zh: "创业担保贷款",
    name_en: "guaranteed business loan",
    kind: ProgramKind::LoanCeiling,
    subject: SubjectKind::LoanApplication,
    reasons: &[
        GUARANTEE_CONDITIONS_UNMET,
        BUSINESS_NOT_STARTED,
        NO_AMOUNT_REQUESTED,
    ],
    rule: "R4",
};

/// R4's program.
pub const PROGRAM: Program = Program::new(&DEF);

const CAP: Param<Yuan> = Param::required("cap");
const REQUESTED: Term = Term::new(&Label {
    code: "requested_amount",
    zh: "申请额度",
    en: "requested",
});
const LOAN_CAP: Term = Term::new(&Label {
    code: "loan_cap",
    zh: "贷款上限",
    en: "loan cap",
});

/// R4, the guaranteed business loan.
#[derive(Debug, Clone, Copy, Default)]
pub struct GuaranteedLoan;

impl Rule for GuaranteedLoan {
    type Subject = LoanApplication;
    type Params = Yuan;

    fn program(&self) -> Program {
        PROGRAM
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![CAP.spec()]
    }

    fn params(&self, v: &Values<'_>) -> Result<Yuan, ParamError> {
        v.get(CAP)
    }

    /// The application date, or `as_of` when there is none.
    fn date(&self, a: &LoanApplication, as_of: NaiveDate) -> NaiveDate {
        a.application_date.unwrap_or(as_of)
    }

    fn unmet(&self, a: &LoanApplication, _: &Facts, _: NaiveDate, _: &Yuan, r: &mut Reasons) {
        r.check(!a.meets_guarantee_conditions, GUARANTEE_CONDITIONS_UNMET);
        r.check(!a.business_started, BUSINESS_NOT_STARTED);
        r.check(a.requested_amount.is_zero(), NO_AMOUNT_REQUESTED);
    }

    /// `min(requested, cap)`.
    fn amount<C: Calc>(&self, a: &LoanApplication, _: &Facts, cap: &Yuan, c: &mut C) -> C::V {
        let requested = c.money(REQUESTED, a.requested_amount);
        let cap = c.money(LOAN_CAP, *cap);
        c.min(requested, cap)
    }
}
