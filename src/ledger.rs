//! The three-level ledger (台帐): county → town → village → household → person (到户到人).
//!
//! > 按照村级信息员采集、镇办社保所上报、县人社局汇总的三级网格管理模式,精准建立人员台帐……建立到户到人的就业帮扶台帐
//!
//! Every decision is placed once: a laborer's (R1, R2, R3, and R4 for a loan application)
//! under the person, in the household, in the village of `laborers.csv`; an enterprise's
//! (R5, R6) and a startup center's (R7) under its town, at the town level; a post's (R8)
//! under its village, or at the town level for a post of the town office. A county-level
//! startup center with no town, and a loan application by someone who is not among the
//! laborers, are placed under the county itself. Each level's totals are
//! the exact sum of the level below: the county of its towns, a town of its villages (the
//! town level counting as one), a village of its households and its other subjects, a
//! household of its people.
//!
//! Towns, villages and households come in order of first appearance in the roster.
//!
//! ```
//! use jiuye_fupin::{Engine, Lang, Policy, sample};
//! use jiuye_fupin::ledger::Ledger;
//!
//! let roster = sample::roster();
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let ledger = Ledger::build(&engine, &roster, "2020-04-01".parse()?)?;
//! let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
//! assert_eq!(ledger.totals, eval.totals);
//! println!("{}", ledger.render(Lang::Zh));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::decision::{Decision, Lang, Outcome, Program};
use crate::engine::{Engine, EvalError};
use crate::model::Roster;
use crate::money::Yuan;
use crate::report::Totals;

/// One decision as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Line {
    /// The program.
    pub program: Program,
    /// The subject (laborer, enterprise, center or post).
    pub subject_id: String,
    /// A name to show (the enterprise's, the center's, the post's employer; empty for a
    /// person's own decisions).
    pub label: String,
    /// Eligible with an amount, or ineligible with its reasons.
    pub outcome: Outcome,
}

impl Line {
    fn new(d: &Decision<'_>, label: &str) -> Line {
        Line {
            program: d.program,
            subject_id: d.subject_id.to_owned(),
            label: label.to_owned(),
            outcome: d.outcome,
        }
    }

    /// The amount (0.00 when ineligible).
    pub fn amount(&self) -> Yuan {
        match self.outcome {
            Outcome::Eligible { amount, .. } => amount,
            Outcome::Ineligible { .. } => Yuan::ZERO,
        }
    }

    /// `true` when eligible.
    pub fn is_eligible(&self) -> bool {
        matches!(self.outcome, Outcome::Eligible { .. })
    }
}

/// A person (人): every decision on a laborer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Person {
    /// Laborer id.
    pub laborer_id: String,
    /// Name, if the roster has one.
    pub name: Option<String>,
    /// In a priority group (重点人群).
    pub priority: bool,
    /// The person's decisions, in rule order.
    pub lines: Vec<Line>,
    /// Their totals.
    pub totals: Totals,
}

/// A household (户).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Household {
    /// Household id.
    pub household_id: String,
    /// Its people, in input order.
    pub people: Vec<Person>,
    /// The sum of its people.
    pub totals: Totals,
    /// The files its people were read from (`town1/laborers.csv`, `town1.xlsx`), distinct,
    /// in the order of its people; empty until [`Ledger::with_origins`] says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// A village (村/社区), or the town level of a town (`village` empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Village {
    /// The village; empty for the town level (镇级).
    pub village: String,
    /// Its households.
    pub households: Vec<Household>,
    /// Decisions on subjects that are not people (enterprises, centers, posts).
    pub others: Vec<Line>,
    /// The sum of its households and other subjects.
    pub totals: Totals,
}

/// A town or sub-district (镇/街道办); the empty town holds county-level subjects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Town {
    /// The town; empty for subjects of the county itself.
    pub town: String,
    /// Its villages, the town level among them.
    pub villages: Vec<Village>,
    /// The sum of its villages.
    pub totals: Totals,
}

/// The county's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Ledger {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// Its towns.
    pub towns: Vec<Town>,
    /// The sum of its towns: the county's totals.
    pub totals: Totals,
}

/// A tree under construction: children in order of first appearance.
struct Index<T> {
    items: HashMap<String, T>,
    order: Vec<String>,
}

impl<T> Default for Index<T> {
    fn default() -> Self {
        Index {
            items: HashMap::new(),
            order: Vec::new(),
        }
    }
}

impl<T: Default> Index<T> {
    fn get(&mut self, key: &str) -> &mut T {
        let Index { items, order } = self;
        items.entry(key.to_owned()).or_insert_with(|| {
            order.push(key.to_owned());
            T::default()
        })
    }

    /// The children, in order of first appearance.
    fn into_items(mut self) -> Vec<(String, T)> {
        let items = &mut self.items;
        (self.order.into_iter())
            .filter_map(|k| items.remove(&k).map(|v| (k, v)))
            .collect()
    }
}

#[derive(Default)]
struct VillageAcc {
    households: Index<Vec<Person>>,
    others: Vec<Line>,
}

type TownAcc = Index<VillageAcc>;

fn sum<'a>(
    zero: &Totals,
    parts: impl IntoIterator<Item = &'a Totals>,
) -> Result<Totals, EvalError> {
    let mut t = zero.clone();
    for p in parts {
        t.merge(p)
            .map_err(|(program, source)| EvalError::Arithmetic {
                program,
                subject_id: String::new(),
                source,
                unfit: None,
            })?;
    }
    Ok(t)
}

fn totals_of(zero: &Totals, lines: &[Line]) -> Result<Totals, EvalError> {
    let mut t = zero.clone();
    for l in lines {
        // A sum too large: a total's error, not the line's (its own amount was computed).
        t.add_amount(l.program, l.is_eligible(), l.amount())
            .map_err(|source| EvalError::Arithmetic {
                program: l.program,
                subject_id: String::new(),
                source,
                unfit: None,
            })?;
    }
    Ok(t)
}

impl Ledger {
    /// The ledger with each household's sources: the files its people were read from
    /// (distinct, in the order of its people), among `origins` ([`crate::io::read_data_traced`]).
    ///
    /// ```
    /// use jiuye_fupin::io::{ReadOptions, read_data_traced};
    /// use jiuye_fupin::{Engine, Policy, ledger::Ledger};
    /// let (roster, origins) = read_data_traced(&["src/sample"], &ReadOptions::default())?;
    /// let ledger = Ledger::build(&Engine::new(&Policy::yang_county_2020()), &roster, "2020-04-01".parse()?)?
    ///     .with_origins(&origins);
    /// let household = &ledger.towns[0].villages[0].households[0];
    /// assert_eq!(household.sources, ["src/sample/laborers.csv"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_origins(mut self, origins: &crate::io::Origins) -> Ledger {
        let households = (self.towns.iter_mut())
            .flat_map(|t| t.villages.iter_mut())
            .flat_map(|v| v.households.iter_mut());
        for h in households {
            for p in &h.people {
                let at = origins.get(crate::decision::SubjectKind::Laborer, &p.laborer_id);
                if let Some(file) = at.map(|o| o.file) {
                    if !h.sources.iter().any(|s| s == file) {
                        h.sources.push(file.to_owned());
                    }
                }
            }
        }
        self
    }

    /// Evaluates `roster` with `engine` as of `as_of` and places every decision.
    ///
    /// # Errors
    /// The first [`EvalError`].
    pub fn build(engine: &Engine, roster: &Roster, as_of: NaiveDate) -> Result<Ledger, EvalError> {
        let zero = &engine.empty_totals();
        let mut towns: Index<TownAcc> = Index::default();
        // Keyed by the applicant as the roster resolved it (POLICY.md reading 12: a
        // `laborer_id` written `ＹＸ-L1 ` is `YX-L1`'s), never by the cell as written.
        let mut loans: HashMap<&str, Vec<Line>> = HashMap::new();
        // An applicant who is not among the laborers has no household: the county level.
        let mut unlisted: Vec<Line> = Vec::new();
        for (a, applicant) in roster.loans_with_applicants() {
            let lines = match applicant {
                Some(l) => loans.entry(l.id.as_str()).or_default(),
                None => &mut unlisted,
            };
            engine.decide_all(a, as_of, |_, d| {
                lines.push(Line::new(&d, ""));
                Ok(())
            })?;
        }
        for l in roster.laborers() {
            let mut lines: Vec<Line> = Vec::new();
            engine.decide_all(l, as_of, |_, d| {
                lines.push(Line::new(&d, ""));
                Ok(())
            })?;
            if let Some(more) = loans.remove(l.id.as_str()) {
                lines.extend(more);
            }
            let person = Person {
                laborer_id: l.id.clone(),
                name: l.name.clone(),
                priority: l.is_priority(),
                totals: totals_of(zero, &lines)?,
                lines,
            };
            let village = towns.get(&l.town).get(&l.village);
            village.households.get(&l.household_id).push(person);
        }
        if !unlisted.is_empty() {
            towns.get("").get("").others.extend(unlisted);
        }
        for e in roster.enterprises() {
            let others = &mut towns.get(&e.town).get("").others;
            engine.decide_all(e, as_of, |_, d| {
                others.push(Line::new(&d, &e.name));
                Ok(())
            })?;
        }
        for c in roster.centers() {
            let others = &mut towns.get(&c.town).get("").others;
            engine.decide_all(c, as_of, |_, d| {
                others.push(Line::new(&d, &c.name));
                Ok(())
            })?;
        }
        for (p, holder) in roster.posts_with_holders() {
            let village = p.village.as_deref().unwrap_or("");
            let label = format!("{} ({})", p.employer_name, holder.id);
            let others = &mut towns.get(&p.town).get(village).others;
            engine.decide_all((p, holder.poverty_status()), as_of, |_, d| {
                others.push(Line::new(&d, &label));
                Ok(())
            })?;
        }
        let towns = (towns.into_items().into_iter())
            .map(|(town, villages)| {
                let villages = (villages.into_items().into_iter())
                    .map(|(village, acc)| {
                        let households = (acc.households.into_items().into_iter())
                            .map(|(household_id, people)| {
                                let totals = sum(zero, people.iter().map(|p| &p.totals))?;
                                Ok(Household {
                                    household_id,
                                    people,
                                    totals,
                                    sources: Vec::new(),
                                })
                            })
                            .collect::<Result<Vec<_>, EvalError>>()?;
                        let others_totals = totals_of(zero, &acc.others)?;
                        let totals = sum(
                            zero,
                            households.iter().map(|h| &h.totals).chain([&others_totals]),
                        )?;
                        Ok(Village {
                            village,
                            households,
                            others: acc.others,
                            totals,
                        })
                    })
                    .collect::<Result<Vec<_>, EvalError>>()?;
                let totals = sum(zero, villages.iter().map(|v| &v.totals))?;
                Ok(Town {
                    town,
                    villages,
                    totals,
                })
            })
            .collect::<Result<Vec<_>, EvalError>>()?;
        let totals = sum(zero, towns.iter().map(|t| &t.totals))?;
        Ok(Ledger {
            as_of,
            towns,
            totals,
        })
    }

    /// The ledger as indented text: one line per level with its eligible count, payouts,
    /// deferrals and loan ceilings; under each person and subject, its decisions.
    pub fn render(&self, lang: Lang) -> impl fmt::Display + '_ {
        LedgerText { l: self, lang }
    }
}

struct LedgerText<'a> {
    l: &'a Ledger,
    lang: Lang,
}

fn summary(t: &Totals, lang: Lang) -> String {
    let eligible: u64 = t.iter().map(|p| p.eligible).sum();
    let show = |r: Result<Yuan, crate::money::MoneyError>| {
        r.map_or_else(|e| e.to_string(), |y| y.to_string())
    };
    match lang {
        Lang::Zh => format!(
            "符合 {eligible} 项; 发放 {} 元; 缓缴 {} 元; 贷款额度 {} 元",
            show(t.payout_total()),
            show(t.deferral_total()),
            show(t.loan_total())
        ),
        Lang::En => format!(
            "{eligible} eligible; paid {}; deferred {}; loan ceilings {}",
            show(t.payout_total()),
            show(t.deferral_total()),
            show(t.loan_total())
        ),
    }
}

fn line(f: &mut fmt::Formatter<'_>, indent: &str, l: &Line, lang: Lang) -> fmt::Result {
    let label = if l.label.is_empty() {
        String::new()
    } else {
        format!(" {}", l.label)
    };
    let result = match (l.outcome, lang) {
        (Outcome::Eligible { amount, .. }, _) => amount.to_string(),
        (Outcome::Ineligible { reasons }, Lang::Zh) => format!("不符合: {}", reasons.render(lang)),
        (Outcome::Ineligible { reasons }, Lang::En) => {
            format!("ineligible: {}", reasons.render(lang))
        }
    };
    writeln!(
        f,
        "{indent}{} {} {}{label}: {result}",
        l.program.rule(),
        l.program.name(lang),
        l.subject_id
    )
}

impl fmt::Display for LedgerText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (zh, lang) = (self.lang == Lang::Zh, self.lang);
        // The whole roster, under whichever county's policy decided it: the ledger does
        // not know the county's name (the receipt and ledger.xlsx's 县 sheet give it).
        let county = if zh { "全县" } else { "County" };
        writeln!(
            f,
            "{county} ({}): {}",
            self.l.as_of,
            summary(&self.l.totals, lang)
        )?;
        for t in &self.l.towns {
            let town = match (t.town.as_str(), zh) {
                ("", true) => "县级",
                ("", false) => "county level",
                (name, _) => name,
            };
            writeln!(f, "  {town}: {}", summary(&t.totals, lang))?;
            for v in &t.villages {
                let village = match (v.village.as_str(), zh) {
                    ("", true) => "镇级",
                    ("", false) => "town level",
                    (name, _) => name,
                };
                writeln!(f, "    {village}: {}", summary(&v.totals, lang))?;
                for h in &v.households {
                    let label = if zh { "户" } else { "household" };
                    let sources = if h.sources.is_empty() {
                        String::new()
                    } else {
                        format!("  [{}]", h.sources.join("; "))
                    };
                    writeln!(
                        f,
                        "      {label} {}: {}{sources}",
                        h.household_id,
                        summary(&h.totals, lang)
                    )?;
                    for p in &h.people {
                        let star = if p.priority {
                            if zh { " [重点人群]" } else { " [priority]" }
                        } else {
                            ""
                        };
                        writeln!(
                            f,
                            "        {} {}{star}",
                            p.laborer_id,
                            p.name.as_deref().unwrap_or("")
                        )?;
                        for l in &p.lines {
                            line(f, "          ", l, lang)?;
                        }
                    }
                }
                for l in &v.others {
                    line(f, "      ", l, lang)?;
                }
            }
        }
        Ok(())
    }
}
