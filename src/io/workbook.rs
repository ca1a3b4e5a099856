//! Workbooks in: a roster kept in Excel or WPS (`.xlsx`, also `.xls`, `.xlsb` and `.ods`),
//! read through the one reader.
//!
//! A workbook holds one sheet per interchange file, named by the file's stem or by its
//! Chinese name ([`SHEETS`]); other sheets (an instructions sheet, a clerk's notes) are
//! left alone. Each sheet's first row holding something other than white space is its
//! header: a cell names a column by its code (`transport_cost`), by its code in trailing
//! parentheses (`往返交通费 (transport_cost)`, as the template writes it) or by its Chinese
//! label alone.
//!
//! **Every cell is read as text, then parsed by the same cell parsers as a CSV file**, so a
//! workbook and a CSV file accept and refuse the same values with the same messages; only
//! the place differs (the workbook, its sheet, the row and the column's letter):
//!
//! - a text cell is its text;
//! - a number cell is its double **to 15 significant digits, as Excel shows it and saves
//!   it as CSV** ([`number_text`]: `523.4`, `500`, `0.3`), then parsed like any CSV cell: a
//!   money cell typed `523.40` is stored by Excel as the double nearest 523.4 and read
//!   exactly as the decimal 523.4 — never the double's binary expansion
//!   `523.39999999999997726...`; a formula's `=1.1*1.15`, shown `1.265`, reads `1.265`,
//!   not its double's tail `1.2649999999999999`. A number Excel cannot hold exactly (more
//!   than 15 significant digits) is already changed when typed: keep such ids as text;
//! - a date cell is `YYYY-MM-DD` (with its time, and then refused, when it has one); one
//!   before Excel's first day (0, shown `1900-01-00`, or negative) is its number, refused;
//! - a boolean cell is `true` or `false`;
//! - an error cell (`#DIV/0!`, `#N/A`: a formula that failed) is refused in any column,
//!   free text too ([`super::Problem::SpreadsheetError`]), and so is a formula saved
//!   without its value (as programs that write workbooks leave them), which would read as
//!   an empty cell ([`super::Problem::FormulaWithoutValue`]).
//!
//! ```
//! use jiuye_fupin::io::workbook::SHEETS;
//! assert_eq!(SHEETS[0], ("laborers", "劳动力"));
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use super::records::{Centers, Enterprises, Kind, Laborers, Loans, PostMonths, Posts};
use super::{InputError, WorkbookProblem};

/// The sheets of a roster workbook, in the order of [`super::files::ALL`]: the English name
/// (the CSV file's stem) and the Chinese one. Either is accepted, not both.
pub const SHEETS: [(&str, &str); 6] = [
    ("laborers", Laborers::SHEET_ZH),
    ("enterprises", Enterprises::SHEET_ZH),
    ("posts", Posts::SHEET_ZH),
    ("loan_applications", Loans::SHEET_ZH),
    ("startup_centers", Centers::SHEET_ZH),
    ("post_months", PostMonths::SHEET_ZH),
];

/// The sheet names, for messages.
pub(crate) fn sheet_list() -> String {
    SHEETS
        .iter()
        .map(|(en, zh)| format!("{en}/{zh}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One sheet's cells that hold something, every cell as text.
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    /// The workbook, as named in messages.
    pub book: String,
    /// The sheet's name.
    pub name: String,
    /// The rows holding a cell that is not blank, in order, the header first: each its
    /// 0-based row in the sheet and its cells that hold something, by 0-based column, in
    /// order. Only what is there is kept: a stray cell in `XFD1048576` costs one cell, not
    /// the rectangle up to it.
    pub rows: Vec<(u32, Vec<(u32, String)>)>,
    /// The cells that hold no value to read, by 0-based row and column in the sheet, in
    /// order, with why: error cells (`#DIV/0!`, `#N/A`: a formula that failed), formulas
    /// saved without their value (whose text in `rows` is the formula) and merged areas.
    /// Refused in any column, free text too.
    pub errors: Vec<(u32, u32, super::Problem)>,
}

impl Sheet {
    /// The sheet in messages: `town1.xlsx [劳动力]`.
    pub(crate) fn label(&self) -> String {
        format!("{} [{}]", self.book, self.name)
    }
}

/// `true` when `path` names a workbook (by its extension) rather than a data folder.
///
/// ```
/// use jiuye_fupin::io::workbook::is_workbook;
/// assert!(is_workbook("town1.xlsx".as_ref()));
/// assert!(is_workbook("TOWN1.XLSX".as_ref()));
/// assert!(!is_workbook("town1".as_ref()));
/// ```
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xls", "xlsb", "ods"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// A cell as the text the cell parsers read (see the module's documentation).
///
/// ```
/// use calamine::Data;
/// use jiuye_fupin::io::workbook::cell_text;
/// assert_eq!(cell_text(&Data::Float(523.4)), "523.4");
/// assert_eq!(cell_text(&Data::Float(500.0)), "500");
/// assert_eq!(cell_text(&Data::Bool(true)), "true");
/// assert_eq!(cell_text(&Data::Empty), "");
/// ```
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => number_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "true" } else { "false" }.to_owned(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
            // Before Excel's first day (1900-01-01, or 1904-01-01): 0 is shown as
            // `1900-01-00`, a negative serial as `#####`, never as a date; the number it
            // holds is read, and refused where a date is expected.
            if dt.as_f64() < 0.0 || y < 1900 {
                number_text(dt.as_f64())
            } else if (hh, mm, ss, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTime(dt) => number_text(dt.as_f64()),
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number cell's text: the double to **15 significant digits**, as Excel shows it and
/// saves it as CSV (Excel keeps 15 digits of a typed number, and hides a formula's binary
/// tail beyond them), without trailing zeros. A typed `523.40` is the double nearest 523.4
/// and reads `523.4`; `=1.1*1.15`, shown `1.265` (`1.27` at two decimals), is the double
/// 1.26499999999999990230... and reads `1.265`, so it is paid as Excel rounds it, 1.27,
/// never 1.26; `=0.1+0.2` reads `0.3`. A number beyond what a decimal holds keeps its
/// shortest text, and is refused where it is read.
///
/// ```
/// use jiuye_fupin::io::workbook::number_text;
/// assert_eq!(number_text(523.4), "523.4");
/// assert_eq!(number_text(1.1 * 1.15), "1.265");
/// assert_eq!(number_text(0.1 + 0.2), "0.3");
/// assert_eq!(number_text(500.0), "500");
/// assert_eq!(number_text(1e-7), "0.0000001");
/// assert_eq!(number_text(123_456_789_012_345_678.0), "123456789012346000");
/// ```
pub fn number_text(f: f64) -> String {
    match rust_decimal::Decimal::from_scientific(&format!("{f:.14e}")) {
        Ok(d) if f.is_finite() => d.normalize().to_string(),
        _ => format!("{f}"),
    }
}

/// The sheet of `payouts.xlsx` that lists every decision (its first sheet; see
/// [`table_sheet`]): written by [`crate::xlsx::payouts`], summed again by
/// [`crate::receipt::verify_totals`].
pub(crate) const PAYOUTS_LIST: &str = "发放清单";

/// The name of table `name`'s `k`-th sheet, from 1: `name`, then `name (2)`, `name (3)`,
/// ... (a table longer than a sheet holds goes on in the next). The one naming both the
/// workbook writer ([`crate::xlsx`]) and the receipt's check ([`is_table_sheet`]) use.
pub(crate) fn table_sheet(name: &str, k: usize) -> String {
    match k {
        0 | 1 => name.to_owned(),
        k => format!("{name} ({k})"),
    }
}

/// Whether `sheet` is one of table `name`'s sheets, as [`table_sheet`] names them (`name
/// (02)` or `name (1)` is not).
pub(crate) fn is_table_sheet(sheet: &str, name: &str) -> bool {
    sheet == name
        || (sheet.strip_prefix(name))
            .and_then(|rest| rest.strip_prefix(" ("))
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(|k| k.parse::<usize>().ok())
            .is_some_and(|k| k >= 2 && table_sheet(name, k) == sheet)
}

/// Excel's name of the 0-based column `n`.
///
/// ```
/// use jiuye_fupin::io::workbook::column_letter;
/// assert_eq!([column_letter(0), column_letter(25), column_letter(26), column_letter(701)], ["A", "Z", "AA", "ZZ"]);
/// ```
pub fn column_letter(n: u32) -> String {
    let mut n = u64::from(n).saturating_add(1);
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n.saturating_sub(1)) % 26;
        letters.push(char::from(
            b'A'.saturating_add(u8::try_from(r).unwrap_or(0)),
        ));
        n = (n.saturating_sub(1)) / 26;
    }
    letters.iter().rev().collect()
}

/// The table's name that the sheet name `n` begins with, in any case, and goes on from
/// (`劳动力 (2)`, `Laborers(2)`): Excel's name of a copied sheet, or a clerk's second part.
fn named_like(n: &str, en: &'static str, zh: &'static str) -> Option<&'static str> {
    let begins = |x: &str| n.get(..x.len()).is_some_and(|p| p.eq_ignore_ascii_case(x));
    [zh, en]
        .into_iter()
        .find(|x| n.len() > x.len() && begins(x))
}

/// The cells of sheet `name` that hold a value, and those that hold a formula, each where
/// it stands: `.xlsx` and `.xlsb` read cell by cell, so that a stray cell far away costs
/// one cell (calamine's `worksheet_range` makes the whole rectangle up to it, which for
/// `XFD1048576` is 17 billion cells); `.xls` and `.ods`, which calamine reads no other
/// way, through their ranges.
type Cells = (Vec<calamine::Cell<Data>>, Vec<calamine::Cell<String>>);

fn cells<R: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<R>,
    name: &str,
) -> Result<Cells, calamine::Error> {
    use calamine::Cell;
    fn sparse<T: calamine::CellType>(range: &calamine::Range<T>) -> Vec<Cell<T>> {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let at = |i: usize, first: u32| first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        (range.used_cells())
            .map(|(i, j, v)| Cell::new((at(i, r0), at(j, c0)), v.clone()))
            .collect()
    }
    // The same two passes over `.xlsx` and `.xlsb`, whose readers share no trait.
    macro_rules! cell_by_cell {
        ($x:expr) => {{
            let mut values = Vec::new();
            {
                let mut reader = $x.worksheet_cells_reader(name)?;
                while let Some(cell) = reader.next_cell()? {
                    let value = Data::from(cell.get_value().clone());
                    values.push(Cell::new(cell.get_position(), value));
                }
            }
            let mut formulas = Vec::new();
            let mut reader = $x.worksheet_cells_reader(name)?;
            while let Some(cell) = reader.next_formula()? {
                formulas.push(cell);
            }
            (values, formulas)
        }};
    }
    let (values, formulas) = match book {
        calamine::Sheets::Xlsx(x) => cell_by_cell!(x),
        calamine::Sheets::Xlsb(x) => cell_by_cell!(x),
        other => (
            sparse(&other.worksheet_range(name)?),
            sparse(&other.worksheet_formula(name)?),
        ),
    };
    Ok((values, formulas))
}

/// The merged areas of sheet `name` (`.xlsx` and `.xls`; calamine reads none of `.xlsb` or
/// `.ods`).
fn merged_areas<R: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<R>,
    name: &str,
) -> Result<Vec<calamine::Dimensions>, calamine::Error> {
    Ok(match book {
        calamine::Sheets::Xlsx(x) => x
            .worksheet_merge_cells(name)
            .transpose()
            .map_err(calamine::Error::Xlsx)?
            .unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.worksheet_merge_cells(name).unwrap_or_default(),
        calamine::Sheets::Xlsb(_) | calamine::Sheets::Ods(_) => Vec::new(),
    })
}

/// The roster's sheets of the workbook at `path`, in the order of [`SHEETS`] (`None`: no
/// such sheet).
///
/// # Errors
/// [`InputError::Workbook`]: it cannot be opened or read, holds none of the sheets, holds
/// one under both names, or one named wrongly but for its case.
pub(crate) fn open(path: &Path) -> Result<[Option<Sheet>; 6], InputError> {
    let problem = |problem| InputError::Workbook {
        path: PathBuf::from(path),
        problem,
    };
    let unreadable = |e: calamine::Error| problem(WorkbookProblem::Unreadable(e.to_string()));
    // A named pipe or a device is refused before calamine opens it (and waits on it).
    crate::file::open_regular(path)
        .map_err(|e| problem(WorkbookProblem::Unreadable(e.to_string())))?;
    let mut book = calamine::open_workbook_auto(path).map_err(unreadable)?;
    let names = book.sheet_names();
    let mut found: [Option<Sheet>; 6] = Default::default();
    for (slot, (en, zh)) in found.iter_mut().zip(SHEETS) {
        let mut chosen: Option<&String> = None;
        for name in &names {
            let n = name.trim();
            if n == en || n == zh {
                if let Some(first) = chosen {
                    return Err(problem(WorkbookProblem::TwoSheets {
                        first: first.clone(),
                        second: name.clone(),
                    }));
                }
                chosen = Some(name);
            } else if n.eq_ignore_ascii_case(en) {
                return Err(problem(WorkbookProblem::WrongCase {
                    expected: en,
                    found: name.clone(),
                }));
            } else if let Some(expected) = named_like(n, en, zh) {
                return Err(problem(WorkbookProblem::NamedLike {
                    expected,
                    found: name.clone(),
                }));
            }
        }
        let Some(name) = chosen else { continue };
        let (values, formulas) = cells(&mut book, name).map_err(unreadable)?;
        let mut grid: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
        let mut errors: Vec<(u32, u32, super::Problem)> = Vec::new();
        for cell in values {
            let (r, c) = cell.get_position();
            let value = cell.get_value();
            if matches!(value, Data::Empty) {
                continue;
            }
            if matches!(value, Data::Error(_)) {
                errors.push((r, c, super::Problem::SpreadsheetError));
            }
            grid.entry(r).or_default().insert(c, cell_text(value));
        }
        let blank = |row: &BTreeMap<u32, String>| row.values().all(|t| t.trim().is_empty());
        let header = grid.iter().find(|(_, row)| !blank(row)).map(|(r, _)| *r);
        // Formulas saved without their value read as empty cells: each one is found, and
        // refused where it stands (in or above the header, the sheet is).
        for cell in formulas {
            let ((r, c), formula) = (cell.get_position(), cell.get_value());
            if formula.is_empty() || grid.get(&r).is_some_and(|row| row.contains_key(&c)) {
                continue;
            }
            if header.is_none_or(|h| r <= h) {
                return Err(problem(WorkbookProblem::Unreadable(format!(
                    "sheet {name}, cell {}{}: {}",
                    column_letter(c),
                    u64::from(r).saturating_add(1),
                    super::Problem::FormulaWithoutValue
                ))));
            }
            grid.entry(r).or_default().insert(c, format!("={formula}"));
            errors.push((r, c, super::Problem::FormulaWithoutValue));
        }
        // Rows with nothing but white space are no record (nor the header).
        grid.retain(|_, row| !blank(row));
        // A merged area keeps its value in its first cell; the others read as empty. One
        // whose first cell holds something and that covers a record's row is refused at its
        // first cell in that row (a merged header leaves a column unnamed, refused as
        // missing; one over empty rows, or with nothing in it, misreads nothing).
        for area in merged_areas(&mut book, name).map_err(unreadable)? {
            let first = grid
                .get(&area.start.0)
                .and_then(|row| row.get(&area.start.1));
            if area.start == area.end || first.is_none_or(|t| t.trim().is_empty()) {
                continue;
            }
            let mut records = grid.range(area.start.0..=area.end.0).map(|(r, _)| *r);
            let Some(r) = records.find(|r| header.is_some_and(|h| *r > h)) else {
                continue;
            };
            let cells = format!(
                "{}{}:{}{}",
                column_letter(area.start.1),
                u64::from(area.start.0).saturating_add(1),
                column_letter(area.end.1),
                u64::from(area.end.0).saturating_add(1)
            );
            errors.push((r, area.start.1, super::Problem::MergedCells { cells }));
        }
        // Each row's first flawed cell is the one reported.
        errors.sort_by_key(|(r, c, _)| (*r, *c));
        *slot = Some(Sheet {
            book: path.display().to_string(),
            name: name.clone(),
            rows: (grid.into_iter())
                .map(|(r, row)| (r, row.into_iter().collect()))
                .collect(),
            errors,
        });
    }
    if found.iter().all(Option::is_none) {
        return Err(problem(WorkbookProblem::NoSheets));
    }
    Ok(found)
}
