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
//! use jiuye_fupin::rules::post_subsidy::PROGRAM;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let as_of = "2020-04-01".parse()?;
//! let mut post = Post { employer_kind: EmployerKind::School, holder_id: "L1".into(),
//!     monthly_wage: Yuan::parse("800.075")?, months_paid: 1, ..Post::new("P1") };
//! let d = engine.decide(PROGRAM, (&post, PovertyStatus::Lifted), as_of)?;
//! assert_eq!(d.amount().to_string(), "480.05");
//! post.employer_kind = EmployerKind::Village;
//! let d = engine.decide(PROGRAM, (&post, PovertyStatus::None), as_of)?;
//! assert_eq!(d.reason_codes().to_string(), "employer_not_eligible;holder_not_poor");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::NaiveDate;

use super::{Facts, Param, ParamError, ParamSpec, Rule, Values};
use crate::calc::Calc;
use crate::decision::{
    Label, Program, ProgramDef, ProgramKind, Reason, Reasons, SubjectKind, Term,
};
use crate::model::{EmployerKind, Post};
use crate::money::Rate;

/// R8: the employer is not of an eligible kind.
pub const EMPLOYER_NOT_ELIGIBLE: Reason = Reason::new(&Label {
    code: "employer_not_eligible",
    zh: "用人单位不是镇办、学校或卫生院",
    en: "employer is not a town office, school or health center",
});
/// R8: the holder is not a registered poor laborer.
pub const HOLDER_NOT_POOR: Reason = Reason::new(&Label {
    code: "holder_not_poor",
    zh: "在岗人员非建档立卡贫困劳动力",
    en: "holder is not a registered poor laborer",
});

/// R8's program.
static DEF: ProgramDef = ProgramDef {
    code: "post_subsidy",
    name_zh: "公益性岗位补贴",
    name_en: "public-welfare post subsidy",
    kind: ProgramKind::Payout,
    subject: SubjectKind::Post,
    reasons: &[EMPLOYER_NOT_ELIGIBLE, HOLDER_NOT_POOR],
    rule: "R8",
};

/// R8's program.
pub const PROGRAM: Program = Program::new(&DEF);

const RATE: Param<Rate> = Param::required("rate");
const EMPLOYERS: Param<Vec<String>> = Param::codes("eligible_employers", EmployerKind::CODES);

const SUBSIDY_RATE: Term = Term::new(&Label {
    code: "subsidy_rate",
    zh: "补贴比例",
    en: "subsidy rate",
});
const WAGE: Term = Term::new(&Label {
    code: "monthly_wage",
    zh: "月工资",
    en: "monthly wage",
});
const MONTHLY: Term = Term::new(&Label {
    code: "monthly_subsidy",
    zh: "月补贴",
    en: "monthly subsidy",
});
const MONTHS: Term = Term::new(&Label {
    code: "months_paid",
    zh: "发放月数",
    en: "months paid",
});

/// R8's parameters on one date.
#[derive(Debug, Clone, Copy)]
pub struct InForce {
    rate: Rate,
    /// Employer kinds subsidised, as a bit set (no allocation).
    employers: u8,
}

fn bit(kind: EmployerKind) -> u8 {
    1_u8.checked_shl(kind as u32).unwrap_or(0)
}

/// R8, the public-welfare post subsidy.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostSubsidy;

impl Rule for PostSubsidy {
    type Subject = Post;
    type Params = InForce;

    fn program(&self) -> Program {
        PROGRAM
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![RATE.spec(), EMPLOYERS.spec()]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        let kinds: Vec<EmployerKind> = v.codes(EMPLOYERS)?;
        Ok(InForce {
            rate: v.get(RATE)?,
            employers: kinds.into_iter().fold(0, |bits, k| bits | bit(k)),
        })
    }

    /// The as-of date (a post has no date of its own).
    fn date(&self, _: &Post, as_of: NaiveDate) -> NaiveDate {
        as_of
    }

    fn unmet(&self, post: &Post, facts: &Facts, _: NaiveDate, p: &InForce, r: &mut Reasons) {
        r.check(
            p.employers & bit(post.employer_kind) == 0,
            EMPLOYER_NOT_ELIGIBLE,
        );
        let poor = facts.holder_status.is_some_and(|s| s.is_poor_laborer());
        r.check(!poor, HOLDER_NOT_POOR);
    }

    /// `rate × monthly_wage × months_paid`.
    fn amount<C: Calc>(&self, post: &Post, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        let rate = c.rate(SUBSIDY_RATE, p.rate);
        let wage = c.money(WAGE, post.monthly_wage);
        let monthly = c.mul(rate, wage);
        let monthly = c.named(MONTHLY, monthly);
        let months = c.count(MONTHS, post.months_paid);
        c.mul(monthly, months)
    }
}
