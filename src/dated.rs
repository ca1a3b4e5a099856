//! Dated values: a parameter's [`History`] and the [`DateWindow`] of a measure.
//!
//! A parameter is not a number but a history of `(effective_from, value)` entries. The value
//! in force on a date is the one of the latest entry whose `effective_from` is on or before
//! that date; before the first entry the parameter is **not in force** ([`History::at`] gives
//! `None`; a subject dated there is decided `not_in_force`, POLICY.md reading 8, never a
//! silent zero).
//!
//! ```
//! use chrono::NaiveDate;
//! use jiuye_fupin::dated::{Entry, History};
//!
//! let d = |s: &str| s.parse::<NaiveDate>().unwrap();
//! let rate = History::new(vec![
//!     Entry::new(d("2015-01-01"), 50),
//!     Entry::new(d("2020-01-25"), 60),
//!     Entry::new(d("2021-01-01"), 50),
//! ])?;
//! assert_eq!(rate.at(d("2020-01-24")), Some(&50));
//! assert_eq!(rate.at(d("2020-01-25")), Some(&60));
//! assert_eq!(rate.at(d("2020-12-31")), Some(&60));
//! assert_eq!(rate.at(d("2021-01-01")), Some(&50));
//! assert_eq!(rate.at(d("2014-12-31")), None);
//! # Ok::<(), jiuye_fupin::dated::HistoryError>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// Why a list of entries is not a valid history.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// A history needs at least one entry.
    #[error("has no entries")]
    Empty,
    /// Entries must be in strictly increasing order of `effective_from`.
    #[error(
        "entry dated {later} does not come after {earlier}: effective dates must be strictly increasing"
    )]
    NotIncreasing {
        /// The date of the entry before.
        earlier: NaiveDate,
        /// The date that is not later.
        later: NaiveDate,
    },
}

/// One value of a parameter, in force from `effective_from` until the next entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry<T> {
    /// The first day the value is in force.
    pub effective_from: NaiveDate,
    /// The value.
    pub value: T,
    /// Where the value comes from (a document number, a clause): shown to auditors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl<T> Entry<T> {
    /// An entry without a source note.
    pub fn new(effective_from: NaiveDate, value: T) -> Entry<T> {
        Entry {
            effective_from,
            value,
            source: None,
        }
    }
}

/// A non-empty history of dated values, sorted by strictly increasing `effective_from`.
///
/// Deserializes from a list of `{ effective_from, value, source? }` tables and validates it,
/// so an unsorted or empty history cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct History<T> {
    entries: Vec<Entry<T>>,
}

impl<T> History<T> {
    /// A validated history.
    ///
    /// # Errors
    /// [`HistoryError::Empty`] or [`HistoryError::NotIncreasing`].
    pub fn new(entries: Vec<Entry<T>>) -> Result<History<T>, HistoryError> {
        if entries.is_empty() {
            return Err(HistoryError::Empty);
        }
        for pair in entries.windows(2) {
            if let [a, b] = pair {
                if b.effective_from <= a.effective_from {
                    return Err(HistoryError::NotIncreasing {
                        earlier: a.effective_from,
                        later: b.effective_from,
                    });
                }
            }
        }
        Ok(History { entries })
    }

    /// A history with one value in force from `effective_from` on.
    ///
    /// ```
    /// use jiuye_fupin::dated::History;
    /// let h = History::constant("2015-01-01".parse().unwrap(), 7);
    /// assert_eq!(h.at("2020-04-01".parse().unwrap()), Some(&7));
    /// ```
    pub fn constant(effective_from: NaiveDate, value: T) -> History<T> {
        History {
            entries: vec![Entry::new(effective_from, value)],
        }
    }

    /// The value in force on `date`: the latest entry on or before it, if any.
    pub fn at(&self, date: NaiveDate) -> Option<&T> {
        let after = self.entries.partition_point(|e| e.effective_from <= date);
        after
            .checked_sub(1)
            .and_then(|i| self.entries.get(i))
            .map(|e| &e.value)
    }

    /// The entry in force on `date`: the latest on or before it, if any.
    pub fn entry_at(&self, date: NaiveDate) -> Option<&Entry<T>> {
        let after = self.entries.partition_point(|e| e.effective_from <= date);
        after.checked_sub(1).and_then(|i| self.entries.get(i))
    }

    /// The same history with every value mapped by `f`.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> History<U> {
        History {
            entries: (self.entries.into_iter())
                .map(|e| Entry {
                    effective_from: e.effective_from,
                    value: f(e.value),
                    source: e.source,
                })
                .collect(),
        }
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[Entry<T>] {
        &self.entries
    }

    /// The dates on which the value changes, oldest first.
    pub fn change_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.entries.iter().map(|e| e.effective_from)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for History<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = Vec::<Entry<T>>::deserialize(d)?;
        History::new(entries).map_err(crate::problem::raise)
    }
}

/// An inclusive range of dates, `from..=to`: the period in which a measure applies.
///
/// ```
/// use jiuye_fupin::dated::DateWindow;
/// let d = |s: &str| s.parse().unwrap();
/// let w = DateWindow::new(d("2020-01-25"), d("2020-12-31"))?;
/// assert!(w.contains(d("2020-01-25")) && w.contains(d("2020-12-31")));
/// assert!(!w.contains(d("2020-01-24")) && !w.contains(d("2021-01-01")));
/// assert!(DateWindow::new(d("2021-01-01"), d("2020-01-01")).is_err());
/// # Ok::<(), jiuye_fupin::dated::WindowError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DateWindow {
    from: NaiveDate,
    to: NaiveDate,
}

/// A window whose end comes before its start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("window ends on {to}, before it starts on {from}")]
pub struct WindowError {
    /// The start.
    pub from: NaiveDate,
    /// The (earlier) end.
    pub to: NaiveDate,
}

impl DateWindow {
    /// The window `from..=to`.
    ///
    /// # Errors
    /// [`WindowError`] if `to < from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<DateWindow, WindowError> {
        if to < from {
            return Err(WindowError { from, to });
        }
        Ok(DateWindow { from, to })
    }

    /// The first day.
    pub const fn from(self) -> NaiveDate {
        self.from
    }

    /// The last day.
    pub const fn to(self) -> NaiveDate {
        self.to
    }

    /// `true` when `from <= date <= to`.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

impl<'de> Deserialize<'de> for DateWindow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            from: NaiveDate,
            to: NaiveDate,
        }
        let raw = Raw::deserialize(d)?;
        DateWindow::new(raw.from, raw.to).map_err(crate::problem::raise)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn value_in_force_is_the_latest_on_or_before_the_date() {
        let h = History::new(vec![
            Entry::new(d("2020-01-25"), 1),
            Entry::new(d("2021-01-01"), 2),
        ])
        .unwrap();
        assert_eq!(h.at(d("2020-01-24")), None);
        assert_eq!(h.at(d("2020-01-25")), Some(&1));
        assert_eq!(h.at(d("2020-12-31")), Some(&1));
        assert_eq!(h.at(d("2021-01-01")), Some(&2));
        assert_eq!(h.at(d("2099-01-01")), Some(&2));
    }

    #[test]
    fn unsorted_duplicate_or_empty_histories_are_refused() {
        assert_eq!(History::<u8>::new(vec![]), Err(HistoryError::Empty));
        let same = vec![
            Entry::new(d("2020-01-01"), 1),
            Entry::new(d("2020-01-01"), 2),
        ];
        assert!(matches!(
            History::new(same),
            Err(HistoryError::NotIncreasing { .. })
        ));
        let back = vec![
            Entry::new(d("2020-02-01"), 1),
            Entry::new(d("2020-01-01"), 2),
        ];
        assert!(matches!(
            History::new(back),
            Err(HistoryError::NotIncreasing { .. })
        ));
    }
}
