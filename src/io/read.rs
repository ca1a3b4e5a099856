//! Reading the roster CSVs.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use csv::StringRecord;

use super::{InputError, Problem, files, optional_file};
use crate::model::{Enterprise, Laborer, Post, Roster, RosterError, UnknownCode};
use crate::money::Yuan;

/// Declares a file's columns (in POLICY.md order) and a module of their positions.
macro_rules! columns {
    ($(#[$m:meta])* $all:ident, $idx:ident { $($c:ident = $name:literal),+ $(,)? }) => {
        $(#[$m])*
        pub const $all: &[&str] = &[$($name),+];
        #[allow(dead_code)]
        pub(crate) mod $idx { columns!(@idx 0usize; $($c),+); }
    };
    (@idx $n:expr; $c:ident $(, $rest:ident)*) => {
        pub const $c: usize = $n;
        columns!(@idx $n + 1usize; $($rest),*);
    };
    (@idx $n:expr;) => {};
}

columns!(
    /// The columns of `laborers.csv`, in POLICY.md's order.
    LABORER_COLUMNS, lab {
    ID = "id", HOUSEHOLD = "household_id", TOWN = "town", VILLAGE = "village",
    POVERTY = "poverty_status", ABLE = "able_to_work", WILLING = "willing_to_work",
    GRADUATE = "fresh_graduate", HUBEI = "hubei_returnee", ZERO = "zero_employment_household",
    DESTINATION = "work_destination", DEPARTURE = "departure_date", COST = "transport_cost",
    ISO_START = "isolation_start", ISO_DAYS = "isolation_days",
    STORE = "opened_store_in_county", STORE_DATE = "store_opened_date",
});

columns!(
    /// The columns of `enterprises.csv`, in POLICY.md's order.
    ENTERPRISE_COLUMNS, ent {
    ID = "id", NAME = "name", TOWN = "town", KIND = "kind", INSURED = "ui_insured",
    MONTHS = "ui_insured_months", PRIOR = "prior_year_ui_paid", HEADCOUNT = "insured_headcount",
    LAYOFFS = "layoffs", HARDSHIP = "hardship", REQUESTED = "deferral_months_requested",
    PENSION = "monthly_pension_premium", UNEMPLOYMENT = "monthly_unemployment_premium",
    INJURY = "monthly_injury_premium", APPLIED = "application_date",
});

columns!(
    /// The columns of `posts.csv`, in POLICY.md's order.
    POST_COLUMNS, pst {
    ID = "id", EMPLOYER_KIND = "employer_kind", EMPLOYER_NAME = "employer_name", TOWN = "town",
    VILLAGE = "village", POST_KIND = "post_kind", HOLDER = "holder_id", WAGE = "monthly_wage",
    MONTHS = "months_paid",
});

/// Positions of a file's columns in its header.
struct Header {
    file: String,
    names: &'static [&'static str],
    positions: Vec<usize>,
    /// Position of the optional `name` column (laborers only).
    display_name: Option<usize>,
}

impl Header {
    fn read(
        file: &str,
        rdr: &mut csv::Reader<&[u8]>,
        names: &'static [&'static str],
    ) -> Result<Header, InputError> {
        let header = rdr.headers().map_err(|e| malformed(file, &e))?.clone();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            if seen.insert(h, i).is_some() {
                return Err(InputError::DuplicateColumn {
                    file: file.to_owned(),
                    column: h.to_owned(),
                });
            }
        }
        let positions = (names.iter())
            .map(|&column| {
                seen.get(column)
                    .copied()
                    .ok_or_else(|| InputError::MissingColumn {
                        file: file.to_owned(),
                        column,
                    })
            })
            .collect::<Result<_, _>>()?;
        let display_name = if names.contains(&"name") {
            None
        } else {
            seen.get("name").copied()
        };
        Ok(Header {
            file: file.to_owned(),
            names,
            positions,
            display_name,
        })
    }

    /// The cells of one record.
    fn cells<'a>(&'a self, rec: &'a StringRecord) -> Cells<'a> {
        Cells {
            header: self,
            line: rec.position().map_or(0, csv::Position::line),
            rec,
        }
    }
}

fn malformed(file: &str, e: &csv::Error) -> InputError {
    let line = e.position().map_or(0, csv::Position::line);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields, but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => {
            "is not valid UTF-8 (save the file as \"CSV UTF-8\")".to_owned()
        }
        _ => e.to_string(),
    };
    InputError::Malformed {
        file: file.to_owned(),
        line,
        message,
    }
}

/// Typed access to the cells of one record, with errors that say where.
struct Cells<'a> {
    header: &'a Header,
    line: u64,
    rec: &'a StringRecord,
}

impl Cells<'_> {
    fn raw(&self, k: usize) -> &str {
        (self.header.positions.get(k))
            .and_then(|&i| self.rec.get(i))
            .unwrap_or("")
    }

    fn error(&self, k: usize, problem: Problem) -> InputError {
        InputError::Cell {
            file: self.header.file.clone(),
            line: self.line,
            column: self.header.names.get(k).copied().unwrap_or("?"),
            value: self.raw(k).to_owned(),
            problem,
        }
    }

    fn text(&self, k: usize) -> String {
        self.raw(k).to_owned()
    }

    fn optional_text(&self, k: usize) -> Option<String> {
        Some(self.raw(k))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }

    fn required(&self, k: usize) -> Result<String, InputError> {
        self.optional_text(k)
            .ok_or_else(|| self.error(k, Problem::Empty))
    }

    fn boolean(&self, k: usize) -> Result<bool, InputError> {
        match self.raw(k) {
            "" => Ok(false),
            s if s.eq_ignore_ascii_case("true") => Ok(true),
            s if s.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(self.error(k, Problem::BadBool)),
        }
    }

    fn date(&self, k: usize) -> Result<Option<NaiveDate>, InputError> {
        let s = self.raw(k);
        if s.is_empty() {
            return Ok(None);
        }
        parse_date(s)
            .map(Some)
            .ok_or_else(|| self.error(k, Problem::BadDate))
    }

    fn money(&self, k: usize) -> Result<Option<Yuan>, InputError> {
        let s = self.raw(k);
        if s.is_empty() {
            return Ok(None);
        }
        Yuan::parse(s)
            .map(Some)
            .map_err(|e| self.error(k, Problem::BadAmount(e)))
    }

    fn money_or_zero(&self, k: usize) -> Result<Yuan, InputError> {
        Ok(self.money(k)?.unwrap_or(Yuan::ZERO))
    }

    fn count(&self, k: usize) -> Result<u32, InputError> {
        let s = self.raw(k);
        if s.is_empty() {
            return Ok(0);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(k, Problem::BadCount));
        }
        s.parse().map_err(|_| self.error(k, Problem::BadCount))
    }

    fn code<T: FromStr<Err = UnknownCode> + Default>(&self, k: usize) -> Result<T, InputError> {
        match self.raw(k) {
            "" => Ok(T::default()),
            s => s.parse().map_err(|e: UnknownCode| {
                self.error(
                    k,
                    Problem::UnknownValue {
                        expected: e.expected,
                    },
                )
            }),
        }
    }
}

/// `YYYY-MM-DD`, a real calendar date.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| d.parse::<u32>().ok())
    };
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// Reads every record of one file with `parse`, keeping each record's line.
fn read_records<T>(
    file: &str,
    bytes: &[u8],
    names: &'static [&'static str],
    parse: impl Fn(&Cells<'_>) -> Result<T, InputError>,
) -> Result<(Vec<T>, Vec<u64>), InputError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = Header::read(file, &mut rdr, names)?;
    let (mut items, mut lines) = (Vec::new(), Vec::new());
    let mut rec = StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(malformed(file, &e)),
        }
        // A blank line (every cell empty) is no record: the csv reader already skips truly
        // empty lines; a line of only commas is refused by the id check below.
        let cells = header.cells(&rec);
        items.push(parse(&cells)?);
        lines.push(cells.line);
    }
    Ok((items, lines))
}

fn laborer(c: &Cells<'_>) -> Result<Laborer, InputError> {
    use lab::*;
    Ok(Laborer {
        id: c.required(ID)?,
        name: c
            .header
            .display_name
            .and_then(|i| c.rec.get(i))
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        household_id: c.text(HOUSEHOLD),
        town: c.text(TOWN),
        village: c.text(VILLAGE),
        poverty_status: c.code(POVERTY)?,
        able_to_work: c.boolean(ABLE)?,
        willing_to_work: c.boolean(WILLING)?,
        fresh_graduate: c.boolean(GRADUATE)?,
        hubei_returnee: c.boolean(HUBEI)?,
        zero_employment_household: c.boolean(ZERO)?,
        work_destination: c.code(DESTINATION)?,
        departure_date: c.date(DEPARTURE)?,
        transport_cost: c.money(COST)?,
        isolation_start: c.date(ISO_START)?,
        isolation_days: c.count(ISO_DAYS)?,
        opened_store_in_county: c.boolean(STORE)?,
        store_opened_date: c.date(STORE_DATE)?,
    })
}

fn enterprise(c: &Cells<'_>) -> Result<Enterprise, InputError> {
    use ent::*;
    Ok(Enterprise {
        id: c.required(ID)?,
        name: c.text(NAME),
        town: c.text(TOWN),
        kind: c.code(KIND)?,
        ui_insured: c.boolean(INSURED)?,
        ui_insured_months: c.count(MONTHS)?,
        prior_year_ui_paid: c.money_or_zero(PRIOR)?,
        insured_headcount: c.count(HEADCOUNT)?,
        layoffs: c.count(LAYOFFS)?,
        hardship: c.boolean(HARDSHIP)?,
        deferral_months_requested: c.count(REQUESTED)?,
        monthly_pension_premium: c.money_or_zero(PENSION)?,
        monthly_unemployment_premium: c.money_or_zero(UNEMPLOYMENT)?,
        monthly_injury_premium: c.money_or_zero(INJURY)?,
        application_date: c.date(APPLIED)?,
    })
}

fn post(c: &Cells<'_>) -> Result<Post, InputError> {
    use pst::*;
    Ok(Post {
        id: c.required(ID)?,
        employer_kind: c.code(EMPLOYER_KIND)?,
        employer_name: c.text(EMPLOYER_NAME),
        town: c.text(TOWN),
        village: c.optional_text(VILLAGE),
        post_kind: c.code(POST_KIND)?,
        holder_id: c.required(HOLDER)?,
        monthly_wage: c.money_or_zero(WAGE)?,
        months_paid: c.count(MONTHS)?,
    })
}

/// Reads a roster from the contents of its three files (each optional: `None` is no file).
///
/// # Errors
/// The first [`InputError`]: a bad cell, a missing or repeated column, a malformed line,
/// a duplicate id, a post held by someone not in `laborers.csv`.
pub fn parse_roster(
    laborers: Option<&[u8]>,
    enterprises: Option<&[u8]>,
    posts: Option<&[u8]>,
) -> Result<Roster, InputError> {
    parse_named(
        [files::LABORERS, files::ENTERPRISES, files::POSTS].map(str::to_owned),
        laborers,
        enterprises,
        posts,
    )
}

fn parse_named(
    names: [String; 3],
    laborers: Option<&[u8]>,
    enterprises: Option<&[u8]>,
    posts: Option<&[u8]>,
) -> Result<Roster, InputError> {
    let [lname, ename, pname] = names;
    let (l, l_lines) = match laborers {
        Some(b) => read_records(&lname, b, LABORER_COLUMNS, laborer)?,
        None => Default::default(),
    };
    let (e, e_lines) = match enterprises {
        Some(b) => read_records(&ename, b, ENTERPRISE_COLUMNS, enterprise)?,
        None => Default::default(),
    };
    let (p, p_lines) = match posts {
        Some(b) => read_records(&pname, b, POST_COLUMNS, post)?,
        None => Default::default(),
    };
    let line = |lines: &[u64], i: usize| lines.get(i).copied().unwrap_or(0);
    Roster::new(l, e, p).map_err(|err| {
        let (file, lines, i, column, value, problem) = match err {
            RosterError::DuplicateLaborer { id, first, second } => {
                let first_line = line(&l_lines, first);
                (
                    &lname,
                    &l_lines,
                    second,
                    "id",
                    id,
                    Problem::DuplicateId { first_line },
                )
            }
            RosterError::DuplicateEnterprise { id, first, second } => {
                let first_line = line(&e_lines, first);
                (
                    &ename,
                    &e_lines,
                    second,
                    "id",
                    id,
                    Problem::DuplicateId { first_line },
                )
            }
            RosterError::DuplicatePost { id, first, second } => {
                let first_line = line(&p_lines, first);
                (
                    &pname,
                    &p_lines,
                    second,
                    "id",
                    id,
                    Problem::DuplicateId { first_line },
                )
            }
            RosterError::UnknownHolder {
                post, holder_id, ..
            } => (
                &pname,
                &p_lines,
                post,
                "holder_id",
                holder_id,
                Problem::UnknownHolder,
            ),
            RosterError::LayoffsExceedHeadcount {
                enterprise,
                layoffs,
                headcount,
                ..
            } => (
                &ename,
                &e_lines,
                enterprise,
                "layoffs",
                layoffs.to_string(),
                Problem::LayoffsExceedHeadcount { headcount },
            ),
        };
        InputError::Cell {
            file: file.clone(),
            line: line(lines, i),
            column,
            value,
            problem,
        }
    })
}

/// Reads `laborers.csv`, `enterprises.csv` and `posts.csv` from `dir` (each optional).
///
/// # Errors
/// [`InputError::Io`] for a file that exists but cannot be read; otherwise as
/// [`parse_roster`], with the file's path in the message.
pub fn read_roster_dir(dir: &Path) -> Result<Roster, InputError> {
    let read = |name: &str| -> Result<Option<(String, Vec<u8>)>, InputError> {
        optional_file(dir, name)
            .map(|path| {
                std::fs::read(&path)
                    .map(|bytes| (path.display().to_string(), bytes))
                    .map_err(|source| InputError::Io { path, source })
            })
            .transpose()
    };
    let (l, e, p) = (
        read(files::LABORERS)?,
        read(files::ENTERPRISES)?,
        read(files::POSTS)?,
    );
    let name = |f: &Option<(String, Vec<u8>)>, default: &str| {
        f.as_ref()
            .map_or_else(|| default.to_owned(), |(n, _)| n.clone())
    };
    parse_named(
        [
            name(&l, files::LABORERS),
            name(&e, files::ENTERPRISES),
            name(&p, files::POSTS),
        ],
        l.as_ref().map(|(_, b)| b.as_slice()),
        e.as_ref().map(|(_, b)| b.as_slice()),
        p.as_ref().map(|(_, b)| b.as_slice()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_iso() {
        assert!(parse_date("2020-02-29").is_some());
        for bad in [
            "2020-02-30",
            "2019-02-29",
            "2020-2-3",
            "2020/02/03",
            "20200203",
            "2020-13-01",
            "+202-01-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }
}
