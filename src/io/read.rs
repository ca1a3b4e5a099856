//! Reading the roster CSVs.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use csv::StringRecord;

use super::{Collector, InputError, InputErrors, Problem, files, optional_file};
use crate::model::{
    Enterprise, Laborer, LoanApplication, Post, PostMonth, Roster, RosterError, RosterParts,
    StartupCenter, UnknownCode, YearMonth,
};
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
        errors: &mut Collector,
    ) -> Option<Header> {
        let header = match rdr.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                errors.push(malformed(file, &e));
                return None;
            }
        };
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let before = errors.len();
        for (i, h) in header.iter().enumerate() {
            let h = h.trim_matches(char::is_whitespace);
            if seen.insert(h, i).is_some() {
                errors.push(InputError::DuplicateColumn {
                    file: file.to_owned(),
                    column: h.to_owned(),
                });
            }
        }
        let mut positions = Vec::with_capacity(names.len());
        for &column in names {
            match seen.get(column) {
                Some(&i) => positions.push(i),
                None => errors.push(InputError::MissingColumn {
                    file: file.to_owned(),
                    column,
                }),
            }
        }
        if errors.len() > before {
            return None;
        }
        let display_name = if names.contains(&"name") {
            None
        } else {
            seen.get("name").copied()
        };
        Some(Header {
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
    /// The cell, trimmed of every kind of white space (the ideographic space of Chinese
    /// input methods included).
    fn raw(&self, k: usize) -> &str {
        (self.header.positions.get(k))
            .and_then(|&i| self.rec.get(i))
            .unwrap_or("")
            .trim_matches(char::is_whitespace)
    }

    /// The cell for a number or a date: full-width digits, point and minus (`１２３．５`, as
    /// Chinese input methods type them) read as their ASCII forms.
    fn numeric(&self, k: usize) -> Cow<'_, str> {
        let s = self.raw(k);
        if s.is_ascii() {
            return Cow::Borrowed(s);
        }
        Cow::Owned(
            s.chars()
                .map(|c| match c {
                    '０'..='９' => {
                        let digit = u32::from(c).saturating_sub(u32::from('０'));
                        char::from_digit(digit, 10).unwrap_or(c)
                    }
                    '．' => '.',
                    '－' => '-',
                    _ => c,
                })
                .collect(),
        )
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
        let s = self.numeric(k);
        if s.is_empty() {
            return Ok(None);
        }
        parse_date(&s)
            .map(Some)
            .ok_or_else(|| self.error(k, Problem::BadDate))
    }

    fn money(&self, k: usize) -> Result<Option<Yuan>, InputError> {
        let s = self.numeric(k);
        if s.is_empty() {
            return Ok(None);
        }
        Yuan::parse(&s)
            .map(Some)
            .map_err(|e| self.error(k, Problem::BadAmount(e)))
    }

    fn money_or_zero(&self, k: usize) -> Result<Yuan, InputError> {
        Ok(self.money(k)?.unwrap_or(Yuan::ZERO))
    }

    fn count(&self, k: usize) -> Result<u32, InputError> {
        let s = self.numeric(k);
        if s.is_empty() {
            return Ok(0);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(k, Problem::BadCount));
        }
        s.parse().map_err(|_| self.error(k, Problem::BadCount))
    }

    fn year(&self, k: usize) -> Result<Option<i32>, InputError> {
        let s = self.numeric(k);
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<i32>() {
            Ok(y) if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(y)),
            _ => Err(self.error(k, Problem::BadYear)),
        }
    }

    fn month(&self, k: usize) -> Result<YearMonth, InputError> {
        match &*self.numeric(k) {
            "" => Err(self.error(k, Problem::Empty)),
            s => s.parse().map_err(|_| self.error(k, Problem::BadMonth)),
        }
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
    date_of(iso_date_digits(s.as_bytes())?)
}

/// The digits of `YYYY-MM-DD` as the number `YYYYMMDD`, if `s` is written so (any digits).
/// Shared with the batch path, which caches dates by this number.
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

/// The calendar date of the number `YYYYMMDD`, if it is a real one.
pub(crate) fn date_of(n: u32) -> Option<NaiveDate> {
    let year = i32::try_from(n / 10_000).ok()?;
    NaiveDate::from_ymd_opt(year, n / 100 % 100, n % 100)
}

/// Reads every record of one file with `parse`, keeping each record's line; every problem
/// goes to `errors` and reading goes on with the next record. `None` when the file cannot be
/// read at all (not UTF-8, or a header without the format's columns).
///
/// A row whose every cell is empty (Excel leaves them: `,,,,`) is no record and is skipped;
/// truly empty lines are skipped by the CSV reader.
fn read_records<T>(
    file: &str,
    bytes: &[u8],
    names: &'static [&'static str],
    parse: impl Fn(&Cells<'_>) -> Result<T, InputError>,
    errors: &mut Collector,
) -> Option<(Vec<T>, Vec<u64>)> {
    if let Err(e) = std::str::from_utf8(bytes) {
        errors.push(not_utf8(file, bytes, e.valid_up_to()));
        return None;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = Header::read(file, &mut rdr, names, errors)?;
    let (mut items, mut lines) = (Vec::new(), Vec::new());
    let mut rec = StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push(malformed(file, &e));
                if errors.is_full() {
                    break;
                }
                continue;
            }
        }
        if rec
            .iter()
            .all(|c| c.trim_matches(char::is_whitespace).is_empty())
        {
            continue;
        }
        let cells = header.cells(&rec);
        match parse(&cells) {
            Ok(item) => {
                items.push(item);
                lines.push(cells.line);
            }
            Err(e) => {
                errors.push(e);
                if errors.is_full() {
                    break;
                }
            }
        }
    }
    Some((items, lines))
}

/// The error for a file that is not UTF-8, at the line of its first invalid byte, saying
/// whether it looks like GBK/GB18030 (what Chinese Excel writes by default).
fn not_utf8(file: &str, bytes: &[u8], valid_up_to: usize) -> InputError {
    let (before, after) = bytes.split_at(valid_up_to.min(bytes.len()));
    let newlines = before.iter().filter(|&&b| b == b'\n').count();
    let line = u64::try_from(newlines).map_or(u64::MAX, |n| n.saturating_add(1));
    InputError::NotUtf8 {
        file: file.to_owned(),
        line,
        looks_like_gbk: looks_like_gbk(after),
    }
}

/// `true` when `bytes` (from the first byte that is not UTF-8) start with a GBK character:
/// a lead byte 0x81..=0xFE and a trail byte 0x40..=0xFE (not 0x7F).
pub(crate) fn looks_like_gbk(bytes: &[u8]) -> bool {
    matches!(bytes, [lead, trail, ..]
        if (0x81..=0xFE).contains(lead) && (0x40..=0xFE).contains(trail) && *trail != 0x7F)
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

fn loan(c: &Cells<'_>) -> Result<LoanApplication, InputError> {
    use loan::*;
    Ok(LoanApplication {
        laborer_id: c.required(LABORER)?,
        meets_guarantee_conditions: c.boolean(CONDITIONS)?,
        business_started: c.boolean(STARTED)?,
        requested_amount: c.money_or_zero(REQUESTED)?,
        application_date: c.date(APPLIED)?,
    })
}

fn center(c: &Cells<'_>) -> Result<StartupCenter, InputError> {
    use ctr::*;
    Ok(StartupCenter {
        id: c.required(ID)?,
        name: c.text(NAME),
        level: c.code(LEVEL)?,
        town: c.text(TOWN),
        year: c.year(YEAR)?,
        claimed_rent: c.money_or_zero(RENT)?,
        claimed_utilities: c.money_or_zero(UTILITIES)?,
    })
}

fn post_month(c: &Cells<'_>) -> Result<PostMonth, InputError> {
    use pm::*;
    Ok(PostMonth {
        post_id: c.required(POST)?,
        month: c.month(MONTH)?,
        days_worked: c.count(DAYS)?,
        signed_by: c.optional_text(SIGNED_BY),
        wage_paid: c.money_or_zero(WAGE_PAID)?,
        paid_on: c.date(PAID_ON)?,
    })
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
    parse_named(&files::ALL.map(str::to_owned), f)
}

/// A file's name and the line of each of its records, to name where a record is.
struct Lines<'a> {
    file: &'a str,
    lines: Vec<u64>,
}

impl Lines<'_> {
    fn line(&self, i: usize) -> u64 {
        self.lines.get(i).copied().unwrap_or(0)
    }

    fn error(&self, i: usize, column: &'static str, value: String, problem: Problem) -> InputError {
        InputError::Cell {
            file: self.file.to_owned(),
            line: self.line(i),
            column,
            value,
            problem,
        }
    }
}

fn read_optional<'n, T>(
    name: &'n str,
    bytes: Option<&[u8]>,
    columns: &'static [&'static str],
    parse: impl Fn(&Cells<'_>) -> Result<T, InputError>,
    errors: &mut Collector,
) -> (Vec<T>, Lines<'n>) {
    let (items, lines) = bytes
        .and_then(|b| read_records(name, b, columns, parse, errors))
        .unwrap_or_default();
    (items, Lines { file: name, lines })
}

fn parse_named(names: &[String; 6], f: &RosterFiles<'_>) -> Result<Roster, InputErrors> {
    let [ln, en, pn, an, cn, mn] = names;
    let mut errors = Collector::default();
    let (laborers, l_at) = read_optional(ln, f.laborers, LABORER_COLUMNS, laborer, &mut errors);
    let (enterprises, e_at) = read_optional(
        en,
        f.enterprises,
        ENTERPRISE_COLUMNS,
        enterprise,
        &mut errors,
    );
    let (posts, p_at) = read_optional(pn, f.posts, POST_COLUMNS, post, &mut errors);
    let (loans, a_at) = read_optional(an, f.loan_applications, LOAN_COLUMNS, loan, &mut errors);
    let (centers, c_at) = read_optional(cn, f.startup_centers, CENTER_COLUMNS, center, &mut errors);
    let (post_months, m_at) = read_optional(
        mn,
        f.post_months,
        POST_MONTH_COLUMNS,
        post_month,
        &mut errors,
    );
    errors.check()?;
    let parts = RosterParts {
        laborers,
        enterprises,
        posts,
        loans,
        centers,
        post_months,
    };
    match Roster::from_parts(parts) {
        Ok(roster) => Ok(roster),
        Err(roster_errors) => {
            for err in roster_errors {
                errors.push(locate(err, [&l_at, &e_at, &p_at, &a_at, &c_at, &m_at]));
            }
            // `errors` holds at least the roster's errors here, so this is always `Err`.
            errors.check().map(|()| Roster::default())
        }
    }
}

/// A roster error as an input error naming the file, line, column and value.
fn locate(err: RosterError, at: [&Lines<'_>; 6]) -> InputError {
    let [l_at, e_at, p_at, a_at, c_at, m_at] = at;
    {
        let dup = |at: &Lines<'_>, column, id, first, second| {
            let first_line = at.line(first);
            at.error(second, column, id, Problem::DuplicateId { first_line })
        };
        match err {
            RosterError::DuplicateLaborer { id, first, second } => {
                dup(l_at, "id", id, first, second)
            }
            RosterError::DuplicateEnterprise { id, first, second } => {
                dup(e_at, "id", id, first, second)
            }
            RosterError::DuplicatePost { id, first, second } => dup(p_at, "id", id, first, second),
            RosterError::DuplicateLoan { id, first, second } => {
                dup(a_at, "laborer_id", id, first, second)
            }
            RosterError::DuplicateCenter { id, first, second } => {
                dup(c_at, "id", id, first, second)
            }
            RosterError::DuplicatePostMonth {
                month,
                first,
                second,
                ..
            } => dup(m_at, "month", month, first, second),
            RosterError::UnknownHolder {
                post, holder_id, ..
            } => p_at.error(post, "holder_id", holder_id, Problem::UnknownPerson),
            RosterError::UnknownApplicant { loan, laborer_id } => {
                a_at.error(loan, "laborer_id", laborer_id, Problem::UnknownPerson)
            }
            RosterError::UnknownPost { month, post_id } => {
                m_at.error(month, "post_id", post_id, Problem::UnknownPost)
            }
            RosterError::LayoffsExceedHeadcount {
                enterprise,
                layoffs,
                headcount,
                ..
            } => e_at.error(
                enterprise,
                "layoffs",
                layoffs.to_string(),
                Problem::LayoffsExceedHeadcount { headcount },
            ),
        }
    }
}

/// Reads the roster's files from `dir`, each optional: `laborers.csv`, `enterprises.csv`,
/// `posts.csv`, `loan_applications.csv`, `startup_centers.csv`, `post_months.csv`.
///
/// # Errors
/// [`InputError::Io`] for a file that exists but cannot be read; otherwise as
/// [`parse_roster_files`], with the file's path in the message.
pub fn read_roster_dir(dir: &Path) -> Result<Roster, InputErrors> {
    let mut names: [String; 6] = files::ALL.map(str::to_owned);
    let mut contents: [Option<Vec<u8>>; 6] = Default::default();
    for ((name, slot), file) in names.iter_mut().zip(&mut contents).zip(files::ALL) {
        if let Some(path) = optional_file(dir, file) {
            *name = path.display().to_string();
            *slot = Some(std::fs::read(&path).map_err(|source| InputError::Io { path, source })?);
        }
    }
    let [l, e, p, a, c, m] = contents.each_ref().map(|b| b.as_deref());
    parse_named(
        &names,
        &RosterFiles {
            laborers: l,
            enterprises: e,
            posts: p,
            loan_applications: a,
            startup_centers: c,
            post_months: m,
        },
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
