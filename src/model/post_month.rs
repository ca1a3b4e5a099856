use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::Yuan;

/// A calendar month, written `YYYY-MM`.
///
/// ```
/// use jiuye_fupin::model::YearMonth;
/// let m: YearMonth = "2020-03".parse()?;
/// assert_eq!(m.to_string(), "2020-03");
/// assert_eq!(m.first_day_of_next().to_string(), "2020-04-01");
/// assert!("2020-13".parse::<YearMonth>().is_err());
/// # Ok::<(), jiuye_fupin::model::BadMonth>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    first: NaiveDate,
}

/// A string that is not a month `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a month (YYYY-MM)")]
pub struct BadMonth;

impl YearMonth {
    /// The month of `year` numbered `month` (1..=12).
    ///
    /// # Errors
    /// [`BadMonth`] for a month outside 1..=12 or a year chrono cannot represent.
    pub fn new(year: i32, month: u32) -> Result<YearMonth, BadMonth> {
        NaiveDate::from_ymd_opt(year, month, 1)
            .map(|first| YearMonth { first })
            .ok_or(BadMonth)
    }

    /// The first day of the month.
    pub const fn first_day(self) -> NaiveDate {
        self.first
    }

    /// The first day of the following month.
    pub fn first_day_of_next(self) -> NaiveDate {
        self.first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX)
    }
}

impl std::str::FromStr for YearMonth {
    type Err = BadMonth;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 7 || b.get(4) != Some(&b'-') {
            return Err(BadMonth);
        }
        let (y, m) = (s.get(..4).ok_or(BadMonth)?, s.get(5..).ok_or(BadMonth)?);
        if !y.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit()) {
            return Err(BadMonth);
        }
        YearMonth::new(
            y.parse().map_err(|_| BadMonth)?,
            m.parse().map_err(|_| BadMonth)?,
        )
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One month of a public-welfare post, one row of `post_months.csv`: the evidence R10
/// audits (attendance, who signed it, the wage paid and when).
///
/// ```
/// use jiuye_fupin::model::PostMonth;
/// let m = PostMonth { days_worked: 22, signed_by: Some("L0000001".into()), ..PostMonth::new("P0000001", "2020-03".parse()?) };
/// assert_eq!(m.month.to_string(), "2020-03");
/// # Ok::<(), jiuye_fupin::model::BadMonth>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostMonth {
    /// The post (an id of the roster's posts).
    pub post_id: String,
    /// The month.
    pub month: YearMonth,
    /// Days worked in the month.
    pub days_worked: u32,
    /// Who signed the attendance (a person id), if anyone.
    pub signed_by: Option<String>,
    /// Wage paid for the month.
    pub wage_paid: Yuan,
    /// When it was paid, if it was.
    pub paid_on: Option<NaiveDate>,
}

impl PostMonth {
    /// A month of `post_id` with nothing worked, signed or paid.
    pub fn new(post_id: impl Into<String>, month: YearMonth) -> PostMonth {
        PostMonth {
            post_id: post_id.into(),
            month,
            days_worked: 0,
            signed_by: None,
            wage_paid: Yuan::ZERO,
            paid_on: None,
        }
    }
}
