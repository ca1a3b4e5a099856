//! Reading whole rosters into memory, through the one reader of [`super::records`].

use std::path::Path;

use chrono::NaiveDate;

use std::collections::HashMap;
use std::io::Read;

use super::records::{self, CellFault, Centers, Enterprises, Laborers, Loans, PostMonths, Posts};
use super::{Collector, InputError, InputErrors, Problem, ReadOptions, data_files, files};
use crate::decision::SubjectKind;
use crate::model::{Roster, RosterParts};

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

columns!(
    /// The columns of `loan_applications.csv`, in POLICY.md's order.
    LOAN_COLUMNS, loan {
    LABORER = "laborer_id", CONDITIONS = "meets_guarantee_conditions",
    STARTED = "business_started", REQUESTED = "requested_amount", APPLIED = "application_date",
});

columns!(
    /// The columns of `startup_centers.csv`, in POLICY.md's order.
    CENTER_COLUMNS, ctr {
    ID = "id", NAME = "name", LEVEL = "level", TOWN = "town", YEAR = "year",
    RENT = "claimed_rent", UTILITIES = "claimed_utilities",
});

columns!(
    /// The columns of `post_months.csv`, in POLICY.md's order.
    POST_MONTH_COLUMNS, pm {
    POST = "post_id", MONTH = "month", DAYS = "days_worked", SIGNED_BY = "signed_by",
    WAGE_PAID = "wage_paid", PAID_ON = "paid_on",
});

/// The digits of `YYYY-MM-DD` as the number `YYYYMMDD`, if `s` is written so (any digits).
/// Shared with the batch path, which caches dates by this number.
#[inline]
pub(crate) fn iso_date_digits(s: &[u8]) -> Option<u32> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = s else {
        return None;
    };
    [y0, y1, y2, y3, m0, m1, d0, d1]
        .iter()
        .try_fold(0u32, |n, &c| {
            let digit = c.checked_sub(b'0').filter(|d| *d <= 9)?;
            n.checked_mul(10)?.checked_add(u32::from(digit))
        })
}

/// A date as the interchange files write it: `YYYY-MM-DD`, ASCII digits, a real calendar
/// date; anything else is `None` (chrono's own parser also takes `2020-4-1` and signed
/// years). What every `as_of` and `--as-of` is read with, so that the date a run is
/// decided on is read as strictly as the dates in its files.
///
/// ```
/// use jiuye_fupin::io::parse_date;
/// assert_eq!(parse_date("2020-04-01"), chrono::NaiveDate::from_ymd_opt(2020, 4, 1));
/// assert_eq!(parse_date("2020-4-1"), None);
/// assert_eq!(parse_date("2021-02-29"), None);
/// assert_eq!(parse_date("+2020-04-01"), None);
/// ```
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    date_of(iso_date_digits(s.as_bytes())?)
}

/// The calendar date of the number `YYYYMMDD`, if it is a real one.
pub(crate) fn date_of(n: u32) -> Option<NaiveDate> {
    let year = i32::try_from(n / 10_000).ok()?;
    NaiveDate::from_ymd_opt(year, n / 100 % 100, n % 100)
}

/// `true` when `bytes` (from the first byte that is not UTF-8) start with a GBK character:
/// a lead byte 0x81..=0xFE and a trail byte 0x40..=0xFE (not 0x7F).
pub(crate) fn looks_like_gbk(bytes: &[u8]) -> bool {
    matches!(bytes, [lead, trail, ..]
        if (0x81..=0xFE).contains(lead) && (0x40..=0xFE).contains(trail) && *trail != 0x7F)
}

/// The contents of a roster's files, each optional (`None`: no such file).
///
/// ```
/// use jiuye_fupin::io::{RosterFiles, parse_roster_files};
/// let centers = "id,name,level,town,year,claimed_rent,claimed_utilities\nC1,洋县创业孵化中心,county,,2020,150000,62000.50\n";
/// let roster = parse_roster_files(&RosterFiles { startup_centers: Some(centers.as_bytes()), ..Default::default() })?;
/// assert_eq!(roster.centers().len(), 1);
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct RosterFiles<'a> {
    /// `laborers.csv`.
    pub laborers: Option<&'a [u8]>,
    /// `enterprises.csv`.
    pub enterprises: Option<&'a [u8]>,
    /// `posts.csv`.
    pub posts: Option<&'a [u8]>,
    /// `loan_applications.csv`.
    pub loan_applications: Option<&'a [u8]>,
    /// `startup_centers.csv`.
    pub startup_centers: Option<&'a [u8]>,
    /// `post_months.csv`.
    pub post_months: Option<&'a [u8]>,
}

impl<'a> RosterFiles<'a> {
    /// The six files in the order of [`files::ALL`].
    ///
    /// ```
    /// let [laborers, .., post_months] = jiuye_fupin::sample::files().all();
    /// assert!(laborers.is_some() && post_months.is_some());
    /// ```
    pub fn all(&self) -> [Option<&'a [u8]>; 6] {
        [
            self.laborers,
            self.enterprises,
            self.posts,
            self.loan_applications,
            self.startup_centers,
            self.post_months,
        ]
    }
}

/// Reads a roster from the contents of its three main files (each optional: `None` is no
/// file). See [`parse_roster_files`] for all six.
///
/// # Errors
/// Every [`InputError`] (up to [`InputErrors::LIMIT`]): a bad cell, a missing or repeated
/// column, a malformed line, a duplicate id, a post held by someone not in `laborers.csv`.
pub fn parse_roster(
    laborers: Option<&[u8]>,
    enterprises: Option<&[u8]>,
    posts: Option<&[u8]>,
) -> Result<Roster, InputErrors> {
    parse_roster_files(&RosterFiles {
        laborers,
        enterprises,
        posts,
        ..RosterFiles::default()
    })
}

/// Reads a roster from the contents of its files.
///
/// # Errors
/// Every [`InputError`] (up to [`InputErrors::LIMIT`]), files in the order of
/// [`files::ALL`]: a file that is not UTF-8, a missing or repeated column, a malformed line,
/// a bad cell (one per record: its first), a duplicate id, a reference to an unknown laborer
/// or post, more layoffs than insured employees. References and duplicates are checked only
/// once every record reads.
pub fn parse_roster_files(f: &RosterFiles<'_>) -> Result<Roster, InputErrors> {
    parse_roster_files_with(f, &ReadOptions::default())
}

/// [`parse_roster_files`], read as `options` say: the files' encoding, and whether cells
/// may be written as a clerk's spreadsheet writes them (see [`ReadOptions`]).
///
/// ```
/// use jiuye_fupin::io::{Encoding, ReadOptions, RosterFiles, parse_roster_files_with};
/// let centers = "id,name,level,town,year,claimed_rent,claimed_utilities\nC1,洋县创业孵化中心,county,,2020,\"150,000\",¥62000.50\n";
/// let files = RosterFiles { startup_centers: Some(centers.as_bytes()), ..Default::default() };
/// let options = ReadOptions::default().encoding(Encoding::Utf8).clerk_formats(true);
/// let roster = parse_roster_files_with(&files, &options)?;
/// assert_eq!(roster.centers()[0].claimed_rent.to_string(), "150000.00");
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
///
/// # Errors
/// As [`parse_roster_files`].
pub fn parse_roster_files_with(
    f: &RosterFiles<'_>,
    options: &ReadOptions,
) -> Result<Roster, InputErrors> {
    parse_named(&files::ALL.map(str::to_owned), f, options)
}

/// Where one table's records come from: a CSV file's bytes, or a workbook's sheet.
pub(crate) enum Src<'a> {
    /// CSV bytes.
    Csv(Box<dyn Read + 'a>),
    /// A sheet, read into memory.
    Sheet(super::workbook::Sheet),
}

/// One file to read: its name in messages and its bytes.
pub(crate) type Named<'a> = Option<(String, Src<'a>)>;

/// Every source of each of the six tables, in the order of [`files::ALL`].
pub(crate) type Sources<'a> = [Vec<(String, Src<'a>)>; 6];

/// The sources of one file each.
pub(crate) fn single(files: [Named<'_>; 6]) -> Sources<'_> {
    files.map(|f| f.into_iter().collect())
}

/// Where one file's records come from: a CSV file's bytes, a workbook's sheet, or a list of
/// a JSON roster (`crate::json`). Either way each record is read by
/// [`records::Kind::parse`].
pub(crate) trait Source {
    /// Reads every record of `K`, in order, handing each good one to `keep` with its
    /// position (its line or row, or its index in a JSON list); every problem goes to
    /// `errors` (one per record: its first).
    fn read<K: records::Kind>(
        self,
        options: &ReadOptions,
        errors: &mut Collector,
        keep: impl FnMut(&K::Scratch, u64) -> Result<(), CellFault>,
    );

    /// The source in messages naming it as where an id first appears (`town1.xlsx
    /// [劳动力]`), and whether its positions are a sheet's rows (else a file's lines).
    fn place(&self) -> (String, bool) {
        (String::new(), false)
    }

    /// The source as a record's [`Origin`] names it (`town1/laborers.csv`,
    /// `town1.xlsx!劳动力`), and its file (`town1.xlsx`).
    fn origin(&self) -> (String, String) {
        let place = self.place().0;
        (place.clone(), place)
    }
}

impl Source for (String, Src<'_>) {
    fn read<K: records::Kind>(
        self,
        options: &ReadOptions,
        errors: &mut Collector,
        keep: impl FnMut(&K::Scratch, u64) -> Result<(), CellFault>,
    ) {
        let (name, src) = self;
        match src {
            Src::Csv(r) => records::read_all::<K>(r, &name, options, errors, keep),
            Src::Sheet(s) => records::read_sheet::<K>(&s, options, errors, keep),
        }
    }

    fn place(&self) -> (String, bool) {
        (self.0.clone(), matches!(self.1, Src::Sheet(_)))
    }

    fn origin(&self) -> (String, String) {
        match &self.1 {
            Src::Sheet(s) => (format!("{}!{}", s.book, s.name), s.book.clone()),
            Src::Csv(_) => (self.0.clone(), self.0.clone()),
        }
    }
}

/// Where each id of a table was first seen (its source's index and line); a repeated one
/// is a [`Problem::DuplicateId`] (same source) or a [`Problem::DuplicateIn`] (another).
#[derive(Default)]
struct Seen {
    first: HashMap<String, (usize, u64)>,
    /// Each source's name and whether it is a sheet.
    sources: Vec<(String, bool)>,
    /// Each source as an [`Origin`] names it, and its file.
    origins: Vec<(String, String)>,
}

impl Seen {
    fn add(&mut self, id: &str, column: usize, line: u64) -> Result<(), CellFault> {
        let id = crate::model::id_key(id);
        let here = self.sources.len().saturating_sub(1);
        match self.first.get(id.as_ref()) {
            Some(&(src, first_line)) => Err(CellFault {
                column,
                value: None,
                problem: match self.sources.get(src).filter(|_| src != here) {
                    None => Problem::DuplicateId { first_line },
                    Some((source, sheet)) => Problem::DuplicateIn {
                        first: Box::new(super::Location {
                            source: source.clone(),
                            sheet: *sheet,
                            line: first_line,
                        }),
                    },
                },
            }),
            None => {
                self.first.insert(id.into_owned(), (here, line));
                Ok(())
            }
        }
    }

    fn has(&self, id: &str) -> bool {
        self.first.contains_key(crate::model::id_key(id).as_ref())
    }
}

/// A reference to an unknown record, at `column`.
fn unknown(column: usize, problem: Problem) -> CellFault {
    CellFault {
        column,
        value: None,
        problem,
    }
}

/// Reads every source of one table through the one reader ([`records::read_all`] for CSV,
/// [`records::read_sheet`] for a sheet), each id checked against `seen` (every source of
/// the table: the same id in two sources is refused, naming both).
fn read_table<K: records::Kind, S: Source>(
    sources: impl IntoIterator<Item = S>,
    options: &ReadOptions,
    seen: &mut Seen,
    errors: &mut Collector,
    mut keep: impl FnMut(&K::Scratch, u64, &mut Seen) -> Result<(), CellFault>,
) {
    for src in sources {
        seen.sources.push(src.place());
        seen.origins.push(src.origin());
        src.read::<K>(options, errors, |x: &K::Scratch, line| keep(x, line, seen));
    }
}

/// Reads the six tables in the order of [`files::ALL`], each from every one of its sources
/// in turn, through the one reader, checking every record: its cells, a repeated id (within
/// a source or across them), a reference to a laborer or post not read (in any source).
/// Every problem is collected (one per record: its first). With `keep`, the records are
/// kept for a roster, in source order; without, only the ids are (a check of the files, in
/// constant memory but for the ids).
///
/// # Errors
/// Every problem found (up to [`InputErrors::LIMIT`]).
pub(crate) fn read_sources<S: Source, T: IntoIterator<Item = S>>(
    files: [T; 6],
    keep: bool,
    options: &ReadOptions,
) -> Result<RosterParts, InputErrors> {
    read_sources_traced(files, keep, options).map(|(parts, _)| parts)
}

/// [`read_sources`], with where each record was read ([`Origins`]: the ids already kept to
/// find duplicates, with their source and line; nothing more is read or kept).
pub(crate) fn read_sources_traced<S: Source, T: IntoIterator<Item = S>>(
    files: [T; 6],
    keep: bool,
    options: &ReadOptions,
) -> Result<(RosterParts, Origins), InputErrors> {
    let [l, e, p, a, c, m] = files;
    let mut errors = Collector::default();
    let mut parts = RosterParts::default();
    let mut laborer_ids = Seen::default();
    let (mut enterprise_ids, mut loan_ids, mut center_ids) =
        (Seen::default(), Seen::default(), Seen::default());
    let o = options;
    read_table::<Laborers, _>(l, o, &mut laborer_ids, &mut errors, |x, line, ids| {
        ids.add(&x.id, lab::ID, line)?;
        if keep {
            parts.laborers.push(x.clone());
        }
        Ok(())
    });
    read_table::<Enterprises, _>(e, o, &mut enterprise_ids, &mut errors, |x, line, ids| {
        ids.add(&x.id, ent::ID, line)?;
        if keep {
            parts.enterprises.push(x.clone());
        }
        Ok(())
    });
    let mut post_ids = Seen::default();
    read_table::<Posts, _>(p, o, &mut post_ids, &mut errors, |x, line, ids| {
        ids.add(&x.id, pst::ID, line)?;
        if keep {
            parts.posts.push(x.clone());
        }
        Ok(())
    });
    read_table::<Loans, _>(a, o, &mut loan_ids, &mut errors, |x, line, ids| {
        ids.add(&x.laborer_id, loan::LABORER, line)?;
        if keep {
            parts.loans.push(x.clone());
        }
        Ok(())
    });
    read_table::<Centers, _>(c, o, &mut center_ids, &mut errors, |x, line, ids| {
        ids.add(&x.id, ctr::ID, line)?;
        if keep {
            parts.centers.push(x.clone());
        }
        Ok(())
    });
    let m: Vec<S> = m.into_iter().collect();
    parts.post_months_read = !m.is_empty();
    read_table::<PostMonths, _>(m, o, &mut Seen::default(), &mut errors, |x, line, ids| {
        let Some(month) = x.to_post_month() else {
            return Ok(());
        };
        // The post as ids are compared (POLICY.md reading 12): `YX-P01` and `YX-P01\u{a0}`
        // are one post, whose two records of a month are refused here, at their line.
        let key = format!(
            "{}\u{0}{}",
            crate::model::id_key(&month.post_id),
            month.month
        );
        ids.add(&key, pm::MONTH, line).map_err(|f| CellFault {
            value: Some(month.month.to_string()),
            ..f
        })?;
        if !post_ids.has(&month.post_id) {
            return Err(unknown(pm::POST, Problem::UnknownPost));
        }
        if keep {
            parts.post_months.push(month);
        }
        Ok(())
    });
    errors.check()?;
    let tables = [laborer_ids, enterprise_ids, post_ids, loan_ids, center_ids];
    Ok((parts, Origins::of(tables.map(|s| (s.origins, s.first)))))
}

fn parse_named(
    names: &[String; 6],
    f: &RosterFiles<'_>,
    options: &ReadOptions,
) -> Result<Roster, InputErrors> {
    let [l, e, p, a, c, m] = f.all();
    fn named<'b>(names: &[String; 6], i: usize, b: Option<&'b [u8]>) -> Named<'b> {
        let name = names.get(i).cloned().unwrap_or_default();
        b.map(|b| (name, Src::Csv(Box::new(b))))
    }
    let files = [
        named(names, 0, l),
        named(names, 1, e),
        named(names, 2, p),
        named(names, 3, a),
        named(names, 4, c),
        named(names, 5, m),
    ];
    roster(read_sources(single(files), true, options)?)
}

/// The roster of parts already checked while read.
pub(crate) fn roster(parts: RosterParts) -> Result<Roster, InputErrors> {
    Roster::from_parts(parts).map_err(|errors| {
        // Every check of `from_parts` was made while reading: this is not reached.
        let mut all = Collector::default();
        for e in errors {
            all.push(InputError::Malformed {
                file: "roster".into(),
                line: 0,
                message: e.to_string(),
            });
        }
        match all.check() {
            Err(e) => e,
            Ok(()) => InputError::Malformed {
                file: "roster".into(),
                line: 0,
                message: "invalid roster".into(),
            }
            .into(),
        }
    })
}

/// Reads the roster's files from `dir`, each optional: `laborers.csv`, `enterprises.csv`,
/// `posts.csv`, `loan_applications.csv`, `startup_centers.csv`, `post_months.csv`.
///
/// # Errors
/// [`InputError::Folder`] for a folder that is missing, holds none of the files, or names
/// one wrongly ([`super::data_files`]); [`InputError::Io`] for a file that exists but
/// cannot be read; otherwise as [`parse_roster_files`], with the file's path in the message.
pub fn read_roster_dir(dir: &Path) -> Result<Roster, InputErrors> {
    let mut sources: [Named<'_>; 6] = Default::default();
    for (slot, path) in sources.iter_mut().zip(data_files(dir)?) {
        if let Some(path) = path {
            let f = std::fs::File::open(&path).map_err(|source| InputError::Io {
                path: path.clone(),
                source,
            })?;
            *slot = Some((path.display().to_string(), Src::Csv(Box::new(f))));
        }
    }
    let parts = read_sources(single(sources), true, &ReadOptions::default())?;
    roster(parts)
}

/// Reads one roster from every source given, in order: data folders (as
/// [`read_roster_dir`]) and workbooks ([`super::workbook`], by their extension), one per
/// village or town. The tables are merged in the order given; an id that two sources hold
/// (equal after POLICY.md reading 12) is an error naming both, never two records; a post or
/// loan may name a laborer of any source.
///
/// ```
/// use jiuye_fupin::io::read_data;
/// let roster = read_data(&["tests/fixtures/n10000"])?;
/// assert_eq!(roster.laborers().len(), 10_000);
/// // The same folder twice: every laborer is reported by two sources.
/// let err = read_data(&["tests/fixtures/n10000", "tests/fixtures/n10000"]).unwrap_err();
/// assert!(err.first().to_string().contains("appears twice (first in tests/fixtures/n10000/laborers.csv line 2)"));
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
///
/// # Errors
/// As [`read_roster_dir`] for a folder, [`InputError::Workbook`] for a workbook that cannot
/// be read as one, and every problem of every source's records (up to
/// [`InputErrors::LIMIT`]), a workbook's naming its sheet, row and column.
pub fn read_data<P: AsRef<Path>>(paths: &[P]) -> Result<Roster, InputErrors> {
    read_data_with(paths, &ReadOptions::default())
}

/// [`read_data`], read as `options` say (the CSV files' encoding, the clerk forms of cells:
/// see [`ReadOptions`]).
///
/// ```
/// use jiuye_fupin::io::{Encoding, ReadOptions, read_data_with};
/// let options = ReadOptions::default().encoding(Encoding::Utf8);
/// let roster = read_data_with(&["tests/fixtures/n10000"], &options)?;
/// assert_eq!(roster.laborers().len(), 10_000);
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
///
/// # Errors
/// As [`read_data`].
pub fn read_data_with<P: AsRef<Path>>(
    paths: &[P],
    options: &ReadOptions,
) -> Result<Roster, InputErrors> {
    read_data_traced(paths, options).map(|(roster, _)| roster)
}

/// [`read_data_with`], with where each record was read: its file (or workbook and sheet)
/// and line (or row), for the explained list and the ledger ([`Origins`]).
///
/// ```
/// use jiuye_fupin::decision::SubjectKind;
/// use jiuye_fupin::io::{ReadOptions, read_data_traced};
/// let (roster, origins) = read_data_traced(&["tests/fixtures/n10000"], &ReadOptions::default())?;
/// let first = &roster.laborers()[0].id;
/// let at = origins.get(SubjectKind::Laborer, first).unwrap();
/// assert_eq!(at.to_string(), "tests/fixtures/n10000/laborers.csv:2");
/// assert_eq!(at.file, "tests/fixtures/n10000/laborers.csv");
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
///
/// # Errors
/// As [`read_data`].
pub fn read_data_traced<P: AsRef<Path>>(
    paths: &[P],
    options: &ReadOptions,
) -> Result<(Roster, Origins), InputErrors> {
    let mut sources: Sources<'_> = Default::default();
    for path in paths {
        let path = path.as_ref();
        if super::workbook::is_workbook(path) && !path.is_dir() {
            for (table, sheet) in sources.iter_mut().zip(super::workbook::open(path)?) {
                if let Some(sheet) = sheet {
                    table.push((sheet.label(), Src::Sheet(sheet)));
                }
            }
            continue;
        }
        for (table, file) in sources.iter_mut().zip(data_files(path)?) {
            if let Some(file) = file {
                let f = std::fs::File::open(&file).map_err(|source| InputError::Io {
                    path: file.clone(),
                    source,
                })?;
                table.push((file.display().to_string(), Src::Csv(Box::new(f))));
            }
        }
    }
    let (parts, origins) = read_sources_traced(sources, true, options)?;
    Ok((roster(parts)?, origins))
}

/// A source as an [`Origin`] names it, and its file.
type SourceName = (String, String);

/// Each id's key, with its source's index and its line.
type IdPlaces = HashMap<String, (usize, u64)>;

/// Where each record of a roster was read ([`read_data_traced`]): its source and its line
/// (a CSV file's line where the record starts, the header being line 1) or its row (a
/// sheet's row as Excel numbers it); of a JSON roster
/// ([`crate::json::parse_roster_traced`]), its list and its index in the list, from 0.
///
/// ```
/// use jiuye_fupin::decision::SubjectKind;
/// use jiuye_fupin::io::{ReadOptions, read_data_traced};
/// let (_, origins) = read_data_traced(&["src/sample"], &ReadOptions::default())?;
/// let at = origins.get(SubjectKind::StartupCenter, "YX-C02").unwrap();
/// assert_eq!(at.to_string(), "src/sample/startup_centers.csv:3");
/// # Ok::<(), jiuye_fupin::io::InputErrors>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Each source: as an origin names it, and its file.
    sources: Vec<SourceName>,
    /// Per table (laborers, enterprises, posts, loans, centers): each id's key, its
    /// source's index in `sources` and its line.
    tables: [IdPlaces; 5],
}

/// Where one record was read (see [`Origins`]).
///
/// ```
/// use jiuye_fupin::io::Origin;
/// let at = Origin { source: "town1.xlsx!劳动力", file: "town1.xlsx", line: 12 };
/// assert_eq!(at.to_string(), "town1.xlsx!劳动力:12");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    /// The file as given (`town1/laborers.csv`), or the workbook and its sheet
    /// (`town1.xlsx!劳动力`).
    pub source: &'a str,
    /// The file alone (`town1/laborers.csv`, `town1.xlsx`); empty for a record of a JSON
    /// roster, whose `source` is its list (`laborers`).
    pub file: &'a str,
    /// The line where the record starts, or the sheet's row; the record's index in its
    /// JSON list, from 0.
    pub line: u64,
}

impl std::fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.source, self.line)
    }
}

impl Origins {
    /// The origins of the five tables of subjects, from their sources and ids.
    fn of(tables: [(Vec<SourceName>, IdPlaces); 5]) -> Origins {
        let mut origins = Origins::default();
        for (slot, (sources, ids)) in origins.tables.iter_mut().zip(tables) {
            let base = origins.sources.len();
            origins.sources.extend(sources);
            *slot = ids
                .into_iter()
                .map(|(id, (src, line))| (id, (src.saturating_add(base), line)))
                .collect();
        }
        origins
    }

    /// Where the subject `id` of `kind` was read, if it was (a loan application by its
    /// laborer's id).
    ///
    /// ```
    /// use jiuye_fupin::decision::SubjectKind;
    /// let origins = jiuye_fupin::io::Origins::default();
    /// assert_eq!(origins.get(SubjectKind::Post, "P1"), None);
    /// ```
    pub fn get(&self, kind: SubjectKind, id: &str) -> Option<Origin<'_>> {
        let table = match kind {
            SubjectKind::Laborer => 0,
            SubjectKind::Enterprise => 1,
            SubjectKind::Post => 2,
            SubjectKind::LoanApplication => 3,
            SubjectKind::StartupCenter => 4,
        };
        let &(src, line) = self
            .tables
            .get(table)?
            .get(crate::model::id_key(id).as_ref())?;
        let (source, file) = self.sources.get(src)?;
        Some(Origin { source, file, line })
    }

    /// `message`, an error about `subject` (its kind and id, as
    /// [`EvalError::subject`](crate::EvalError::subject) names it) in `lang`, preceded by
    /// where its record was read when it was: `laborers.csv line 3: `, `town1.xlsx!劳动力
    /// row 3: ` (`第 3 行：` in Chinese), or, in a JSON roster, `laborers[1] (id "L2"): ` as
    /// a JSON record's field error names its record. Else `message` alone.
    ///
    /// ```
    /// use jiuye_fupin::decision::SubjectKind;
    /// use jiuye_fupin::io::ReadOptions;
    /// use jiuye_fupin::{Lang, json};
    /// let text = br#"{"laborers": [{"id": "L1"}, {"id": "L2"}]}"#;
    /// let (_, origins) = json::parse_roster_traced(text, &ReadOptions::default())?;
    /// let said = origins.name(Some((SubjectKind::Laborer, "L2")), "too large".into(), Lang::En);
    /// assert_eq!(said, "laborers[1] (id \"L2\"): too large");
    /// assert_eq!(origins.name(None, "too large".into(), Lang::En), "too large");
    /// # Ok::<(), jiuye_fupin::io::InputErrors>(())
    /// ```
    pub fn name(
        &self,
        subject: Option<(SubjectKind, &str)>,
        message: String,
        lang: crate::Lang,
    ) -> String {
        let Some((at, id)) = subject.and_then(|(kind, id)| Some((self.get(kind, id)?, id))) else {
            return message;
        };
        match lang {
            // A JSON list's record: its index and id, as `FieldError` names them.
            _ if at.file.is_empty() => {
                let colon = lang.pick("：", ": ");
                format!("{}[{}] (id {id:?}){colon}{message}", at.source, at.line)
            }
            crate::Lang::Zh => format!("{} 第 {} 行：{message}", at.source, at.line),
            // A workbook's sheet (`town1.xlsx!劳动力`) has rows, a file lines.
            crate::Lang::En => {
                let unit = if at.source == at.file { "line" } else { "row" };
                format!("{} {unit} {}: {message}", at.source, at.line)
            }
        }
    }

    /// [`Origins::name`] when there are origins, else `message` alone: the one place that
    /// puts a record's place before an error about it (`EvalError::render_at`,
    /// `CompareError::render_at`).
    pub(crate) fn name_in(
        origins: Option<&Origins>,
        subject: Option<(SubjectKind, &str)>,
        message: String,
        lang: crate::Lang,
    ) -> String {
        match origins {
            Some(o) => o.name(subject, message, lang),
            None => message,
        }
    }
}
