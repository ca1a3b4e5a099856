//! R10 post compliance: 挂岗、替岗、一人多岗; wages 按月足额及时 (S3).
//!
//! > 坚决杜绝挂岗、替岗、一人多岗等违规行为,确保疫情期间在岗人员工资待遇按月足额及时发放
//!
//! **Reading** (POLICY.md): over the posts and their monthly records (`post_months.csv`):
//! - `ghost_post` (挂岗): a month paid (wage above zero) with no day worked;
//! - `substitute` (替岗): attendance signed by someone other than the holder;
//! - `multiple_posts` (一人多岗): one person holding two or more posts with records in the
//!   same month (one finding per person and month, on the first of the posts);
//! - `wage_short` (未足额): a month's wage paid below the post's monthly wage;
//! - `wage_late` (未及时): a wage paid after the deadline, day `payment_deadline_day` of the
//!   next month (default the 15th: paid on the 15th is on time), or paid with no date;
//! - `unrecorded_month`: `months_paid` above the number of months recorded for the post.
//!
//! The first day of the record's month selects the parameters. With no monthly records at
//! all there is nothing to audit: the audit returns no R10 finding (it cannot tell).
//!
//! Parameters (`[post_compliance]`): `payment_deadline_day` (15).
//!
//! # Example: paid on the 16th
//! ```
//! use jiuye_fupin::model::{Laborer, Post, PostMonth, Roster};
//! use jiuye_fupin::money::Yuan;
//! use jiuye_fupin::{Engine, Policy};
//!
//! let post = Post { holder_id: "L1".into(), monthly_wage: Yuan::parse("1500")?, months_paid: 1, ..Post::new("P1") };
//! let month = PostMonth { days_worked: 22, signed_by: Some("L1".into()), wage_paid: Yuan::parse("1500")?,
//!     paid_on: Some("2020-04-16".parse()?), ..PostMonth::new("P1", "2020-03".parse()?) };
//! let roster = Roster::new(vec![Laborer::new("L1")], vec![], vec![post])?.with_post_months(vec![month])?;
//! let findings = Engine::new(&Policy::yang_county_2020()).audit(&roster, "2020-04-01".parse()?);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].kind.code(), "wage_late");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Param, ParamSpec, Values};
use crate::decision::Citation;
use crate::finding::{Evidence, Finding, FindingKind};
use crate::model::{Holder, Post, PostMonth, Roster, YearMonth};

/// R10's table in a policy file.
pub const TABLE: &str = "post_compliance";
const DEADLINE_DAY: Param<u32> = Param::day("payment_deadline_day");

/// R10's parameters.
pub fn parameters() -> Vec<ParamSpec> {
    vec![DEADLINE_DAY.spec()]
}

/// R10's parameters from the values of its table in force on one date.
pub fn from_values(values: &Values<'_>) -> Option<InForce> {
    Some(InForce {
        payment_deadline_day: values.get(DEADLINE_DAY).ok()?,
    })
}

/// R10's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// Day of the following month.
    pub payment_deadline_day: u32,
}

/// The first day of the record's month.
pub fn date(m: &PostMonth) -> NaiveDate {
    m.month.first_day()
}

/// The last day a month's wage may be paid: day `p.payment_deadline_day` of the next month,
/// or that month's last day if it is shorter.
///
/// ```
/// use jiuye_fupin::rules::post_compliance::{deadline, InForce};
/// let p = InForce { payment_deadline_day: 15 };
/// assert_eq!(deadline("2020-03".parse()?, &p).to_string(), "2020-04-15");
/// let p = InForce { payment_deadline_day: 31 };
/// assert_eq!(deadline("2020-01".parse()?, &p).to_string(), "2020-02-29");
/// # Ok::<(), jiuye_fupin::model::BadMonth>(())
/// ```
pub fn deadline(month: YearMonth, p: &InForce) -> NaiveDate {
    let next = month.first_day_of_next();
    let last = next
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(next);
    let day = p.payment_deadline_day.max(1).saturating_sub(1);
    next.checked_add_days(chrono::Days::new(u64::from(day)))
        .map_or(last, |d| d.min(last))
}

/// The findings of one monthly record of `post`, held by `holder` (a laborer or not: the
/// audit needs only the holder's id), in this order: ghost post, substitute, wage short,
/// wage late; each citing `citation`.
pub fn audit_month(
    m: &PostMonth,
    post: &Post,
    holder: Holder<'_>,
    p: &InForce,
    citation: &Citation,
) -> Vec<Finding> {
    let finding = |kind, evidence| Finding {
        kind,
        subject_id: post.id.clone(),
        person_id: Some(holder.id.to_owned()),
        month: Some(m.month),
        evidence,
        citation: citation.clone(),
    };
    let mut out = Vec::new();
    let paid = !m.wage_paid.is_zero();
    if paid && m.days_worked == 0 {
        out.push(finding(
            FindingKind::GhostPost,
            Evidence::GhostPost {
                wage_paid: m.wage_paid,
            },
        ));
    }
    let other = |s: &&str| crate::model::id_key(s) != crate::model::id_key(holder.id);
    if let Some(signer) = m.signed_by.as_deref().filter(other) {
        out.push(finding(
            FindingKind::Substitute,
            Evidence::Substitute {
                signed_by: signer.to_owned(),
            },
        ));
    }
    if m.wage_paid < post.monthly_wage {
        out.push(finding(
            FindingKind::WageShort,
            Evidence::WageShort {
                paid: m.wage_paid,
                wage: post.monthly_wage,
            },
        ));
    }
    let due = deadline(m.month, p);
    if paid && m.paid_on.is_none_or(|d| d > due) {
        out.push(finding(
            FindingKind::WageLate,
            Evidence::WageLate {
                paid_on: m.paid_on,
                deadline: due,
            },
        ));
    }
    out
}

/// Every R10 finding of the roster: the findings of each monthly record in input order,
/// then one `multiple_posts` per person and month (in order of first appearance), then one
/// `unrecorded_month` per post (in post order). `params` gives the parameters in force in a
/// record's month (`None`: R10 is not in force then, and that record is not audited, nor
/// counted toward `multiple_posts`; it still counts as a recorded month of its post).
/// Without post months read at all ([`Roster::has_post_months`]), nothing is audited.
/// Each finding cites `citation` (the `[post_compliance]` table's).
pub fn audit(
    roster: &Roster,
    mut params: impl FnMut(NaiveDate) -> Option<InForce>,
    citation: &Citation,
) -> Vec<Finding> {
    let mut out = Vec::new();
    // No post_months.csv at all: R10 is not audited (the caller says so). With its header
    // alone, every paid month is unrecorded (POLICY.md reading 10).
    if !roster.has_post_months() {
        return out;
    }
    let mut recorded: HashMap<&str, u32> = HashMap::new();
    let mut held: Vec<((&str, YearMonth), Vec<&str>)> = Vec::new();
    let mut held_index: HashMap<(&str, YearMonth), usize> = HashMap::new();
    for (m, post, holder) in roster.post_months_with_posts() {
        let n = recorded.entry(post.id.as_str()).or_insert(0);
        *n = n.saturating_add(1);
        // A month in which R10 is not in force is not audited (POLICY.md reading 8): no
        // finding of its own, and no `multiple_posts` either (a record still counts as a
        // recorded month of its post).
        let Some(p) = params(date(m)) else {
            continue;
        };
        out.extend(audit_month(m, post, holder, &p, citation));
        let key = (holder.id, m.month);
        let i = *held_index.entry(key).or_insert_with(|| {
            held.push((key, Vec::new()));
            held.len().saturating_sub(1)
        });
        if let Some((_, posts)) = held.get_mut(i) {
            if !posts.contains(&post.id.as_str()) {
                posts.push(post.id.as_str());
            }
        }
    }
    for ((person, month), posts) in held.into_iter().filter(|(_, p)| p.len() > 1) {
        out.push(Finding {
            kind: FindingKind::MultiplePosts,
            subject_id: posts.first().map(|p| (*p).to_owned()).unwrap_or_default(),
            person_id: Some(person.to_owned()),
            month: Some(month),
            evidence: Evidence::MultiplePosts {
                posts: posts.iter().map(|p| (*p).to_owned()).collect(),
            },
            citation: citation.clone(),
        });
    }
    for (post, holder) in roster.posts_with_holders() {
        let n = recorded.get(post.id.as_str()).copied().unwrap_or(0);
        if post.months_paid > n {
            out.push(Finding {
                kind: FindingKind::UnrecordedMonth,
                subject_id: post.id.clone(),
                person_id: Some(holder.id.to_owned()),
                month: None,
                evidence: Evidence::UnrecordedMonth {
                    months_paid: post.months_paid,
                    recorded: n,
                },
                citation: citation.clone(),
            });
        }
    }
    out
}
