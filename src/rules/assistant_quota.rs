//! R9 epidemic-prevention assistant post quotas: 疫情防控协管员临时性公益专岗 (S3).
//!
//! > 按照每个镇(办)4至6名、每个村(社区)1名的配额开发疫情防控协管员临时性公益专岗
//!
//! **Reading** (POLICY.md): count the `epidemic_assistant` posts of each town office (a
//! post with an empty `village`) and of each village, over every town and village that the
//! roster's laborers or posts name, so a place with too few posts is found as well as one
//! with too many. A count outside the quota is a finding (`quota_under`, `quota_over`),
//! never silently accepted. The as-of date selects the parameters.
//!
//! The candidates for open posts are the poor laborers back from a severely affected area
//! (Hubei) who cannot go out for now (not working out of the county), are willing to work
//! and hold no post yet, priority groups (重点人群) first.
//!
//! Parameters (`[assistant_quota]`): `town` (4 to 6), `village` (1 to 1).
//!
//! # Example: a town with 3 posts
//! ```
//! use jiuye_fupin::model::{Laborer, Post, PostKind, Roster};
//! use jiuye_fupin::rules::assistant_quota;
//! use jiuye_fupin::Policy;
//!
//! let holder = Laborer { town: "龙亭镇".into(), ..Laborer::new("L1") };
//! let post = |id: &str| Post { town: "龙亭镇".into(), post_kind: PostKind::EpidemicAssistant,
//!                              holder_id: "L1".into(), ..Post::new(id) };
//! let roster = Roster::new(vec![holder], vec![], vec![post("P1"), post("P2"), post("P3")])?;
//! let policy = Policy::yang_county_2020();
//! let as_of = "2020-04-01".parse()?;
//! let table = policy.table(assistant_quota::TABLE).unwrap();
//! let in_force = table.in_force(&assistant_quota::parameters(), as_of).unwrap();
//! let p = assistant_quota::from_values(&in_force.values, as_of).unwrap();
//! let findings = assistant_quota::audit(&roster, &p, table.citation().unwrap());
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].kind.code(), "quota_under");
//! assert_eq!(findings[0].subject_id, "龙亭镇");
//! assert_eq!(findings[0].citation.rule, "R9");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use serde::Serialize;

use super::{Param, ParamSpec, Range, Values};
use crate::dated::DateWindow;
use crate::decision::{Citation, Lang};
use crate::finding::{Evidence, Finding, FindingKind};
use crate::model::{Laborer, PostKind, Roster, WorkDestination};

/// R9's table in a policy file.
pub const TABLE: &str = "assistant_quota";
const TOWN: Param<Range> = Param::required("town");
const VILLAGE: Param<Range> = Param::required("village");
/// The as-of dates on which quotas are audited (POLICY.md reading 9); none: always.
const WINDOW: Param<DateWindow> = Param::optional("window");

/// R9's parameters.
pub fn parameters() -> Vec<ParamSpec> {
    vec![TOWN.spec(), VILLAGE.spec(), WINDOW.spec()]
}

/// R9's parameters from the values of its table in force on `as_of`, or `None` when quotas
/// are not audited then (outside the quota window).
pub fn from_values(values: &Values<'_>, as_of: chrono::NaiveDate) -> Option<InForce> {
    let quota = |p| {
        values
            .get(p)
            .ok()
            .and_then(|r: Range| Quota::new(r.min, r.max))
    };
    let window: Option<DateWindow> = values.optional(WINDOW).ok().flatten();
    if window.is_some_and(|w| !w.contains(as_of)) {
        return None;
    }
    Some(InForce {
        town: quota(TOWN)?,
        village: quota(VILLAGE)?,
    })
}

/// A quota: at least `min`, at most `max` posts.
///
/// ```
/// use jiuye_fupin::rules::assistant_quota::Quota;
/// let q = Quota::new(4, 6).unwrap();
/// assert!(q.admits(4) && q.admits(6) && !q.admits(3) && !q.admits(7));
/// assert!(Quota::new(6, 4).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quota {
    min: u32,
    max: u32,
}

impl Quota {
    /// `min..=max`, or `None` when `max < min`.
    pub const fn new(min: u32, max: u32) -> Option<Quota> {
        if max < min {
            None
        } else {
            Some(Quota { min, max })
        }
    }

    /// Fewest posts.
    pub const fn min(self) -> u32 {
        self.min
    }

    /// Most posts.
    pub const fn max(self) -> u32 {
        self.max
    }

    /// `true` when `min <= count <= max`.
    pub const fn admits(self, count: u32) -> bool {
        self.min <= count && count <= self.max
    }
}

/// R9's parameters on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// Per town office.
    pub town: Quota,
    /// Per village.
    pub village: Quota,
}

/// A place of the quota: a town office (`village` empty) or a village of a town.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Place<'r> {
    town: &'r str,
    village: &'r str,
}

/// The quota findings over every place the roster names, towns first then villages, each
/// in order of first appearance (laborers, then posts). Each finding cites `citation`
/// (the `[assistant_quota]` table's).
pub fn audit(roster: &Roster, p: &InForce, citation: &Citation) -> Vec<Finding> {
    let mut order: Vec<Place<'_>> = Vec::new();
    let mut counts: HashMap<Place<'_>, u32> = HashMap::new();
    fn name<'r>(
        order: &mut Vec<Place<'r>>,
        counts: &mut HashMap<Place<'r>, u32>,
        place: Place<'r>,
    ) {
        if !place.town.is_empty() && !counts.contains_key(&place) {
            counts.insert(place, 0);
            order.push(place);
        }
    }
    let town_of = |town| Place { town, village: "" };
    for l in roster.laborers() {
        name(&mut order, &mut counts, town_of(&l.town));
        if !l.village.is_empty() {
            name(
                &mut order,
                &mut counts,
                Place {
                    town: &l.town,
                    village: &l.village,
                },
            );
        }
    }
    for post in roster.posts() {
        let village = post.village.as_deref().unwrap_or("");
        name(&mut order, &mut counts, town_of(&post.town));
        name(
            &mut order,
            &mut counts,
            Place {
                town: &post.town,
                village,
            },
        );
    }
    for post in roster.posts() {
        if post.post_kind == PostKind::EpidemicAssistant {
            let place = Place {
                town: &post.town,
                village: post.village.as_deref().unwrap_or(""),
            };
            if let Some(n) = counts.get_mut(&place) {
                *n = n.saturating_add(1);
            }
        }
    }
    let towns = order.iter().filter(|p| p.village.is_empty());
    let villages = order.iter().filter(|p| !p.village.is_empty());
    towns
        .chain(villages)
        .filter_map(|place| {
            let posts = counts.get(place).copied().unwrap_or(0);
            let (quota, subject_id) = if place.village.is_empty() {
                (p.town, place.town.to_owned())
            } else {
                (p.village, format!("{}/{}", place.town, place.village))
            };
            let kind = match posts {
                n if n < quota.min() => FindingKind::QuotaUnder,
                n if n > quota.max() => FindingKind::QuotaOver,
                _ => return None,
            };
            Some(Finding {
                kind,
                subject_id,
                person_id: None,
                month: None,
                evidence: Evidence::Quota {
                    posts,
                    min: quota.min(),
                    max: quota.max(),
                },
                citation: citation.clone(),
            })
        })
        .collect()
}

/// The candidates for open assistant posts: poor laborers back from Hubei who are not
/// working out of the county, are willing to work and hold no post; priority groups first
/// (those in both groups before those in one), then input order.
///
/// ```
/// use jiuye_fupin::model::{Laborer, PovertyStatus, Roster};
/// use jiuye_fupin::rules::assistant_quota::candidates;
/// let back = |id: &str, zero| Laborer { poverty_status: PovertyStatus::Lifted, willing_to_work: true,
///     hubei_returnee: true, zero_employment_household: zero, ..Laborer::new(id) };
/// let roster = Roster::new(vec![back("L1", false), back("L2", true), Laborer::new("L3")], vec![], vec![])?;
/// let ids: Vec<&str> = candidates(&roster).iter().map(|l| l.id.as_str()).collect();
/// assert_eq!(ids, ["L2", "L1"]);
/// # Ok::<(), jiuye_fupin::model::RosterError>(())
/// ```
pub fn candidates(roster: &Roster) -> Vec<&Laborer> {
    // The holders as the roster resolved them (POLICY.md reading 12: `ＹＸ-L1 ` is `YX-L1`),
    // never the posts' cells as written.
    let holders: std::collections::HashSet<&str> = (roster.posts_with_holders())
        .map(|(_, holder)| holder.id)
        .collect();
    let mut list: Vec<&Laborer> = (roster.laborers().iter())
        .filter(|l| {
            l.poverty_status.is_poor_laborer()
                && l.hubei_returnee
                && l.willing_to_work
                && l.work_destination != WorkDestination::OutOfCounty
                && !holders.contains(l.id.as_str())
        })
        .collect();
    list.sort_by_key(|l| std::cmp::Reverse(priority_rank(l)));
    list
}

/// The priority groups (重点人群, POLICY.md "Priority groups (S1)") `l` belongs to, as a
/// work list names them in `lang`, `, `-separated (empty for none): the printed audit's
/// candidates, `findings.xlsx` and `/v1/audit` alike.
///
/// ```
/// use jiuye_fupin::model::Laborer;
/// use jiuye_fupin::rules::assistant_quota::priority_groups;
/// use jiuye_fupin::Lang;
/// let l = Laborer { hubei_returnee: true, zero_employment_household: true, ..Laborer::new("L1") };
/// assert_eq!(priority_groups(&l, Lang::Zh), "湖北返乡, 零就业家庭");
/// assert_eq!(priority_groups(&Laborer::new("L2"), Lang::En), "");
/// ```
pub fn priority_groups(l: &Laborer, lang: Lang) -> String {
    let groups = [
        (l.hubei_returnee, lang.pick("湖北返乡", "Hubei returnee")),
        (
            l.zero_employment_household,
            lang.pick("零就业家庭", "zero-employment household"),
        ),
    ];
    let on: Vec<&str> = (groups.iter())
        .filter(|(on, _)| *on)
        .map(|(_, g)| *g)
        .collect();
    on.join(", ")
}

/// How many priority groups a laborer belongs to (0, 1 or 2): work lists sort by it,
/// descending, keeping input order among equals.
pub fn priority_rank(l: &Laborer) -> u8 {
    u8::from(l.hubei_returnee).saturating_add(u8::from(l.zero_employment_household))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_admits_exactly_its_bounds_and_what_lies_between() {
        let q = Quota::new(4, 6).unwrap();
        assert_eq!(
            (3..=7).map(|n| q.admits(n)).collect::<Vec<_>>(),
            [false, true, true, true, false]
        );
        let one = Quota::new(1, 1).unwrap();
        assert_eq!(
            (0..=2).map(|n| one.admits(n)).collect::<Vec<_>>(),
            [false, true, false]
        );
        assert_eq!((q.min(), q.max()), (4, 6));
        assert!(Quota::new(2, 1).is_none());
    }
}
