//! The county's own program, a plug-in rule: 零就业家庭求职创业补贴 (a one-time job-seeking
//! and startup subsidy for poor members of zero-employment households). Shared by the
//! `county_rule` example and `tests/county_rule.rs`.

use chrono::NaiveDate;
use jiuye_fupin::calc::Calc;
use jiuye_fupin::dated::DateWindow;
use jiuye_fupin::decision::{Label, ProgramDef, Reasons, Term};
use jiuye_fupin::model::Laborer;
use jiuye_fupin::rules::{Facts, Param, ParamError, ParamSpec, Rule, Values, common};
use jiuye_fupin::{Program, ProgramKind, Reason, SubjectKind, Yuan};

/// The county's policy file: the Yang County preset plus the new program's table. Found
/// where the crate was built (its numbers stay in the file, read at run time), so the
/// example runs from any folder; `county_rule --policy FILE` reads another.
pub const POLICY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/policies/county/job-seeking.toml"
);

pub const NOT_ZERO_EMPLOYMENT: Reason = Reason::new(&Label {
    code: "not_zero_employment_household",
    zh: "非零就业家庭成员",
    en: "not a member of a zero-employment household",
});
pub const NOT_SEEKING: Reason = Reason::new(&Label {
    code: "not_seeking_work",
    zh: "无劳动能力或无就业意愿",
    en: "not able and willing to work",
});

pub static DEF: ProgramDef = ProgramDef {
    code: "job_seeking_subsidy",
    name_zh: "零就业家庭求职创业补贴",
    name_en: "job-seeking subsidy for zero-employment households",
    kind: ProgramKind::Payout,
    subject: SubjectKind::Laborer,
    reasons: &[
        common::NOT_POOR,
        NOT_ZERO_EMPLOYMENT,
        NOT_SEEKING,
        common::OUTSIDE_WINDOW,
    ],
    rule: "C1",
};

const GRANT: Param<Yuan> = Param::required("grant");
const WINDOW: Param<DateWindow> = Param::required("window");
const GRANT_TERM: Term = Term::new(&Label {
    code: "grant",
    zh: "补贴标准",
    en: "grant",
});

/// The program's parameters on one date.
pub struct InForce {
    grant: Yuan,
    window: DateWindow,
}

/// 零就业家庭求职创业补贴.
pub struct JobSeekingSubsidy;

impl Rule for JobSeekingSubsidy {
    type Subject = Laborer;
    type Params = InForce;

    fn program(&self) -> Program {
        Program::new(&DEF)
    }

    fn parameters(&self) -> Vec<ParamSpec> {
        vec![GRANT.spec(), WINDOW.spec()]
    }

    fn params(&self, v: &Values<'_>) -> Result<InForce, ParamError> {
        Ok(InForce {
            grant: v.get(GRANT)?,
            window: v.get(WINDOW)?,
        })
    }

    /// The as-of date: the record has no date of its own for this program.
    fn date(&self, _: &Laborer, as_of: NaiveDate) -> NaiveDate {
        as_of
    }

    fn unmet(&self, l: &Laborer, _: &Facts, date: NaiveDate, p: &InForce, r: &mut Reasons) {
        r.check(!l.poverty_status.is_poor_laborer(), common::NOT_POOR);
        r.check(!l.zero_employment_household, NOT_ZERO_EMPLOYMENT);
        r.check(!(l.able_to_work && l.willing_to_work), NOT_SEEKING);
        r.check(!p.window.contains(date), common::OUTSIDE_WINDOW);
    }

    fn amount<C: Calc>(&self, _: &Laborer, _: &Facts, p: &InForce, c: &mut C) -> C::V {
        c.money(GRANT_TERM, p.grant)
    }
}
