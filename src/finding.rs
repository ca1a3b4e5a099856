//! Audit findings (R9 quotas, R10 post compliance): what is wrong, where, who, when, and the
//! evidence, with the clause it breaks.
//!
//! A finding is not a decision: it pays nothing, it asks an official to look. Findings are
//! written to `findings.csv` (`rule, kind, subject_id, person_id, month, detail`) and render
//! in Chinese and English.
//!
//! ```
//! use jiuye_fupin::finding::{Evidence, Finding, FindingKind};
//! use jiuye_fupin::Lang;
//! use jiuye_fupin::decision::Citation;
//!
//! let f = Finding {
//!     kind: FindingKind::QuotaUnder,
//!     subject_id: "龙亭镇".into(),
//!     person_id: None,
//!     month: None,
//!     evidence: Evidence::Quota { posts: 3, min: 4, max: 6 },
//!     citation: Citation::new("R9", "S3 科学指导适度设岗", "按照每个镇(办)4至6名、每个村(社区)1名的配额开发疫情防控协管员临时性公益专岗"),
//! };
//! assert_eq!(f.kind.rule(), "R9");
//! assert_eq!(f.evidence.render(Lang::En).to_string(), "3 epidemic-assistant posts; quota 4 to 6");
//! assert!(f.render(Lang::Zh).to_string().contains("名额不足"));
//! ```

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::decision::{Citation, Lang};

use crate::model::YearMonth;
use crate::money::Yuan;

/// What an audit did not audit, said wherever its findings are read (the printed audit,
/// `findings.xlsx`, `/v1/audit`), so that no finding is never passed off as a clean bill
/// (POLICY.md readings 8, 9 and 10). [`crate::Engine::not_audited`] lists them.
///
/// ```
/// use jiuye_fupin::finding::NotAudited;
/// use jiuye_fupin::Lang;
/// assert_eq!(NotAudited::NoPostMonths.rule(), "R10");
/// assert!(NotAudited::NoPostMonths.render(Lang::Zh).contains("post_months.csv"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotAudited {
    /// R9's quotas: the as-of date lies outside R9's window, or R9 is not in force then.
    Quotas {
        /// The as-of date of the audit.
        as_of: NaiveDate,
    },
    /// R10: no `post_months.csv` was read.
    NoPostMonths,
    /// R10: the policy does not run it (`enabled = false` in `[post_compliance]`), so no
    /// monthly record was audited, whatever `post_months.csv` holds.
    ComplianceNotRun,
    /// R10: monthly records of months in which R10 is not in force.
    MonthsNotInForce {
        /// How many monthly records.
        records: usize,
    },
}

impl NotAudited {
    /// `R9` or `R10`.
    pub fn rule(&self) -> &'static str {
        match self {
            NotAudited::Quotas { .. } => "R9",
            NotAudited::NoPostMonths
            | NotAudited::ComplianceNotRun
            | NotAudited::MonthsNotInForce { .. } => "R10",
        }
    }

    /// Its code (`quotas`, `no_post_months`, `not_run`, `months_not_in_force`).
    pub fn code(&self) -> &'static str {
        match self {
            NotAudited::Quotas { .. } => "quotas",
            NotAudited::NoPostMonths => "no_post_months",
            NotAudited::ComplianceNotRun => "not_run",
            NotAudited::MonthsNotInForce { .. } => "months_not_in_force",
        }
    }

    /// What was not audited, and why, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match *self {
            NotAudited::Quotas { as_of } if zh => {
                format!("截至 {as_of} 不在 R9 的执行期内 (或 R9 未实施): 未审核协管员岗位配额。")
            }
            NotAudited::Quotas { as_of } => format!(
                "R9 (assistant-post quotas) not audited: {as_of} lies outside its window, or R9 is not in force."
            ),
            NotAudited::NoPostMonths if zh => {
                "无 post_months.csv: 未审核 R10 (挂岗、替岗、一人多岗、工资发放)。".to_owned()
            }
            NotAudited::NoPostMonths => {
                "No post_months.csv: R10 (ghost posts, substitutes, several posts, wages) not audited."
                    .to_owned()
            }
            NotAudited::ComplianceNotRun if zh => {
                "本政策不实施 R10: 未审核挂岗、替岗、一人多岗、工资发放。".to_owned()
            }
            NotAudited::ComplianceNotRun => {
                "R10 is not run by this policy: ghost posts, substitutes, several posts and wages not audited."
                    .to_owned()
            }
            NotAudited::MonthsNotInForce { records } if zh => format!(
                "{records} 条岗位月报所在月份 R10 未实施: 未审核 (挂岗、替岗、一人多岗、工资发放)。"
            ),
            NotAudited::MonthsNotInForce { records } => format!(
                "{records} monthly records not audited: R10 is not in force in their month (ghost posts, substitutes, several posts, wages)."
            ),
        }
    }
}

/// What kind of irregularity a finding reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// R9 名额不足: fewer epidemic-assistant posts than the quota.
    QuotaUnder,
    /// R9 超配: more epidemic-assistant posts than the quota.
    QuotaOver,
    /// R10 挂岗: a month paid with no day worked.
    GhostPost,
    /// R10 替岗: attendance signed by someone other than the holder.
    Substitute,
    /// R10 一人多岗: one person holding two or more posts with records in the same month.
    MultiplePosts,
    /// R10 未足额: a month's wage paid short of the post's wage.
    WageShort,
    /// R10 未及时: a month's wage paid after the deadline.
    WageLate,
    /// R10: more months paid than months recorded.
    UnrecordedMonth,
}

impl FindingKind {
    /// The code in `findings.csv`.
    pub const fn code(self) -> &'static str {
        match self {
            FindingKind::QuotaUnder => "quota_under",
            FindingKind::QuotaOver => "quota_over",
            FindingKind::GhostPost => "ghost_post",
            FindingKind::Substitute => "substitute",
            FindingKind::MultiplePosts => "multiple_posts",
            FindingKind::WageShort => "wage_short",
            FindingKind::WageLate => "wage_late",
            FindingKind::UnrecordedMonth => "unrecorded_month",
        }
    }

    /// The kind in words.
    pub const fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            FindingKind::QuotaUnder => ("协管员名额不足", "fewer assistant posts than the quota"),
            FindingKind::QuotaOver => ("协管员超配", "more assistant posts than the quota"),
            FindingKind::GhostPost => ("挂岗", "ghost post: paid with no day worked"),
            FindingKind::Substitute => ("替岗", "substitute: attendance signed by another person"),
            FindingKind::MultiplePosts => ("一人多岗", "one person holding several posts"),
            FindingKind::WageShort => ("工资未足额发放", "wage paid short"),
            FindingKind::WageLate => ("工资未及时发放", "wage paid late"),
            FindingKind::UnrecordedMonth => ("发放月份无考勤记录", "paid month with no record"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// `R9` or `R10`.
    pub fn rule(self) -> &'static str {
        match self {
            FindingKind::QuotaUnder | FindingKind::QuotaOver => "R9",
            _ => "R10",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The evidence behind a finding: the numbers, amounts, dates and people involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "evidence", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Evidence {
    /// Posts counted at a place, and its quota.
    Quota {
        /// Epidemic-assistant posts counted.
        posts: u32,
        /// Fewest allowed.
        min: u32,
        /// Most allowed.
        max: u32,
    },
    /// Paid for a month with no day worked.
    GhostPost {
        /// The wage paid.
        wage_paid: Yuan,
    },
    /// Attendance signed by someone else.
    Substitute {
        /// Who signed.
        signed_by: String,
    },
    /// The posts one person held in the month, in input order.
    MultiplePosts {
        /// Post ids.
        posts: Vec<String>,
    },
    /// Paid less than the post's wage.
    WageShort {
        /// Paid.
        paid: Yuan,
        /// The post's monthly wage.
        wage: Yuan,
    },
    /// Paid after the deadline, or with no payment date.
    WageLate {
        /// When it was paid (`None`: no date recorded).
        paid_on: Option<NaiveDate>,
        /// The deadline.
        deadline: NaiveDate,
    },
    /// Months paid without a monthly record.
    UnrecordedMonth {
        /// Months paid (`months_paid` of posts.csv).
        months_paid: u32,
        /// Months recorded in post_months.csv.
        recorded: u32,
    },
}

impl Evidence {
    /// The evidence as one line of text (the `detail` of `findings.csv` is the English one).
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        EvidenceText { e: self, lang }
    }
}

struct EvidenceText<'a> {
    e: &'a Evidence,
    lang: Lang,
}

impl fmt::Display for EvidenceText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let zh = self.lang == Lang::Zh;
        match self.e {
            Evidence::Quota { posts, min, max } => match (zh, min == max) {
                (true, true) => write!(f, "协管员岗位 {posts} 个; 配额 {min} 个"),
                (true, false) => write!(f, "协管员岗位 {posts} 个; 配额 {min} 至 {max} 个"),
                (false, true) => write!(f, "{posts} epidemic-assistant posts; quota {min}"),
                (false, false) => {
                    write!(f, "{posts} epidemic-assistant posts; quota {min} to {max}")
                }
            },
            Evidence::GhostPost { wage_paid } => match zh {
                true => write!(f, "出勤 0 天, 发放工资 {wage_paid} 元"),
                false => write!(f, "0 days worked, wage paid {wage_paid}"),
            },
            Evidence::Substitute { signed_by } => match zh {
                true => write!(f, "考勤由 {signed_by} 签字"),
                false => write!(f, "attendance signed by {signed_by}"),
            },
            Evidence::MultiplePosts { posts } => match zh {
                true => write!(f, "同月在岗: {}", posts.join("、")),
                false => write!(f, "holds posts {} in the same month", posts.join(", ")),
            },
            Evidence::WageShort { paid, wage } => match zh {
                true => write!(f, "实发 {paid} 元, 岗位工资 {wage} 元"),
                false => write!(f, "paid {paid} of a monthly wage of {wage}"),
            },
            Evidence::WageLate { paid_on, deadline } => match (zh, paid_on) {
                (true, Some(d)) => write!(f, "{d} 发放, 应于 {deadline} 前发放"),
                (true, None) => write!(f, "无发放日期, 应于 {deadline} 前发放"),
                (false, Some(d)) => write!(f, "paid on {d}, deadline {deadline}"),
                (false, None) => write!(f, "no payment date recorded, deadline {deadline}"),
            },
            Evidence::UnrecordedMonth {
                months_paid,
                recorded,
            } => match zh {
                true => write!(f, "发放 {months_paid} 个月, 仅有 {recorded} 个月考勤记录"),
                false => write!(f, "{months_paid} months paid, {recorded} recorded"),
            },
        }
    }
}

/// One irregularity found by an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// The place (`town` or `town/village`) for R9, the post for R10.
    pub subject_id: String,
    /// The person concerned (R10), if any.
    pub person_id: Option<String>,
    /// The month concerned (R10), if any.
    pub month: Option<YearMonth>,
    /// The evidence.
    pub evidence: Evidence,
    /// The clause it applies: the policy's (the `citation` of its `[assistant_quota]` or
    /// `[post_compliance]` table).
    pub citation: Citation,
}

impl Finding {
    /// The finding as readable text: rule, kind, subject, person, month, evidence, clause.
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        FindingText { f: self, lang }
    }
}

struct FindingText<'a> {
    f: &'a Finding,
    lang: Lang,
}

impl fmt::Display for FindingText<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (f, l) = (self.f, self.lang);
        write!(out, "{} {} {}", f.kind.rule(), f.kind.name(l), f.subject_id)?;
        if let Some(p) = &f.person_id {
            write!(out, " {p}")?;
        }
        if let Some(m) = f.month {
            write!(out, " {m}")?;
        }
        let basis = if l == Lang::Zh { "依据" } else { "per" };
        write!(
            out,
            ": {}\n    {basis} {}",
            f.evidence.render(l),
            f.citation
        )
    }
}
