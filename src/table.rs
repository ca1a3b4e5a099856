//! A rule's (or an audit's) table of a policy file: its dated parameters, whether the county
//! runs it, when it is in force, and the county's citation; and the values in force on a
//! date. Read by [`crate::policy`] against the rule's declared parameters.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::dated::History;
use crate::decision::{Citation, ParamNote};
use crate::rules::{ParamSpec, Value, Values};

/// The keys of a policy file beside its tables: no rule may have one as its code.
pub(crate) const FILE_KEYS: [&str; 2] = ["name", "source"];
/// The keys every table may have besides its rule's parameters: no parameter is named so.
pub(crate) const RESERVED: [&str; 3] = ["enabled", "in_effect", "citation"];

/// One rule's (or audit's) table in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub(crate) enabled: bool,
    pub(crate) in_effect: Option<History<bool>>,
    pub(crate) citation: Option<Citation>,
    pub(crate) params: BTreeMap<&'static str, History<Value>>,
}

impl Table {
    /// A table of a program the county does not run.
    pub fn disabled() -> Table {
        Table {
            enabled: false,
            in_effect: None,
            citation: None,
            params: BTreeMap::new(),
        }
    }

    /// `false` when the county does not run the program at all.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The county's citation of the rule: every enabled table of a policy has one (a
    /// policy file without it is refused when read); `None` for a disabled table that
    /// leaves it out.
    pub fn citation(&self) -> Option<&Citation> {
        self.citation.as_ref()
    }

    /// [`Table::citation`], or the rule's id `rule` alone for a table without one (never
    /// an enabled table of a policy read).
    pub(crate) fn citation_or(&self, rule: &'static str) -> Citation {
        (self.citation.clone()).unwrap_or_else(|| Citation::new(rule, "", ""))
    }

    /// Every date on which a parameter or `in_effect` changes, sorted, without repeats.
    pub fn change_dates(&self) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = (self.params.values())
            .flat_map(History::change_dates)
            .chain(self.in_effect.iter().flat_map(History::change_dates))
            .collect();
        dates.sort_unstable();
        dates.dedup();
        dates
    }

    /// The values in force on `date` and their notes, or `None` when the rule is not in
    /// force then: repealed by `in_effect`, or before the first entry of a required
    /// parameter (POLICY.md reading 8).
    ///
    /// Before the first entry of `in_effect`, the rule is in force when that entry is a
    /// repeal (`false`: repealed *from* its date, so in force before it), and not when it is
    /// an enactment (`true`: in force *from* its date).
    pub fn in_force(&self, specs: &[ParamSpec], date: NaiveDate) -> Option<InForce<'_>> {
        if let Some(h) = &self.in_effect {
            let in_effect = match h.at(date) {
                Some(&v) => v,
                None => h.entries().first().is_some_and(|first| !first.value),
            };
            if !in_effect {
                return None;
            }
        }
        let mut values = Vec::with_capacity(specs.len());
        let mut notes = Vec::with_capacity(specs.len().saturating_add(1));
        notes.extend(self.in_effect_note(date));
        for spec in specs {
            let entry = self.params.get(spec.name).and_then(|h| h.entry_at(date));
            match entry {
                Some(e) => {
                    values.push((spec.name, &e.value));
                    notes.push(ParamNote {
                        name: spec.name,
                        value: e.value.to_string(),
                        effective_from: e.effective_from,
                        source: e.source.clone(),
                    });
                }
                None if spec.required => return None,
                None => {}
            }
        }
        Some(InForce {
            values: Values::new(values),
            notes,
        })
    }

    /// The entry of `in_effect` in force on `date`, as an auditor is shown it with the
    /// parameters (`in_effect = false (from 2020-06-01; …)`): what repeals the rule on a date
    /// on which it is not in force, or enacts it on one on which it is. None for a table
    /// without `in_effect`, or before its first entry.
    pub fn in_effect_note(&self, date: NaiveDate) -> Option<ParamNote> {
        let e = self.in_effect.as_ref()?.entry_at(date)?;
        Some(ParamNote {
            name: "in_effect",
            value: e.value.to_string(),
            effective_from: e.effective_from,
            source: e.source.clone(),
        })
    }

    /// A parameter's history.
    pub fn param(&self, name: &str) -> Option<&History<Value>> {
        self.params.get(name)
    }
}

/// A table's values in force on one date, with their notes.
#[derive(Debug, Clone)]
pub struct InForce<'a> {
    /// The values, for [`Rule::params`](crate::rules::Rule::params).
    pub values: Values<'a>,
    /// The values as shown to an auditor, with their source notes.
    pub notes: Vec<ParamNote>,
}
