//! Whether the totals a receipt records are the sums of the payouts list it names
//! (`payouts.csv`, or `payouts.xlsx`'s 发放清单 sheets)
//! ([`verify_totals`]): [`super::verify`] tells which file changed, this whether the
//! figures written in the receipt are the file's, so that neither can be edited alone.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::{ReceiptError, Role, locate, read};
use crate::Lang;
use crate::io::PAYOUTS_HEADER;
use crate::money::Yuan;

/// The totals of a receipt (`[[totals.programs]]`), as [`verify_totals`] reads them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WrittenTotals {
    #[serde(default)]
    programs: Vec<WrittenTotal>,
}

/// One program's line of a receipt's totals ([`crate::report::ProgramTotal`] as written).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenTotal {
    program: String,
    subjects: u64,
    eligible: u64,
    amount: Yuan,
}

/// What [`verify_totals`] found: whether the totals a receipt records are the sums of the
/// payouts it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TotalsVerdict {
    /// The receipt records no totals (an audit's receipt records findings, not payouts).
    NotRecorded,
    /// No output found is a payouts list to sum again (a ledger, an explained list only,
    /// a missing file): the totals were not checked, which is said, never passed off as a
    /// match.
    NotChecked,
    /// Each payouts list found, summed again.
    Checked(Vec<TotalsCheck>),
}

/// One payouts list's sums against the receipt's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalsCheck {
    /// The output's path as the receipt holds it.
    pub path: String,
    /// What the sums show.
    pub status: TotalsStatus,
}

/// The verdict of one [`TotalsCheck`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TotalsStatus {
    /// Every program's count of subjects, of eligible subjects and its amount are the
    /// receipt's.
    Agree,
    /// Each figure that differs, in the receipt's program order then the file's.
    Differ(Vec<TotalsDifference>),
    /// A row that is not a payouts row (a `true`/`false` or an amount that is not one):
    /// the file cannot be summed.
    Unreadable {
        /// The sheet, in a workbook.
        sheet: Option<String>,
        /// The line of a CSV file, or the row of a sheet (from 1, the header's being 1;
        /// 0 when the sheet cannot be read at all).
        line: u64,
        /// The field: `eligible`, `amount`, or `row` for a row of the wrong shape.
        field: &'static str,
        /// The value as written (for `row`, what is wrong with it).
        value: String,
    },
    /// A row whose amount, itself a payouts amount, makes its program's sum too large for
    /// exact arithmetic (an edited file): the file cannot be summed.
    TooLarge {
        /// The sheet, in a workbook.
        sheet: Option<String>,
        /// The line of a CSV file, or the row of a sheet (from 1, the header's being 1).
        line: u64,
        /// The row's program code, as written.
        program: String,
        /// The row's amount, as written.
        amount: String,
    },
}

/// One figure of one program that the file's sums and the receipt disagree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalsDifference {
    /// The program's code (`transport_subsidy`).
    pub program: String,
    /// `subjects`, `eligible` or `amount`.
    pub field: &'static str,
    /// The receipt's figure (`0`, `0.00`, for a program the receipt does not list).
    pub receipt: String,
    /// The file's sum (`0`, `0.00`, for a program with no row in the file).
    pub file: String,
}

impl TotalsCheck {
    /// One line per finding: `ok  totals  payouts.csv`, or one line per differing figure
    /// (一致 / 不符 / 无法读取 in Chinese).
    ///
    /// ```
    /// use jiuye_fupin::receipt::{TotalsCheck, TotalsDifference, TotalsStatus};
    /// use jiuye_fupin::Lang;
    /// let c = TotalsCheck {
    ///     path: "payouts.csv".into(),
    ///     status: TotalsStatus::Differ(vec![TotalsDifference {
    ///         program: "transport_subsidy".into(),
    ///         field: "amount",
    ///         receipt: "4055.01".into(),
    ///         file: "4055.00".into(),
    ///     }]),
    /// };
    /// assert_eq!(
    ///     c.render(Lang::En),
    ///     "differs\ttotals\tpayouts.csv: transport_subsidy amount: receipt 4055.01, file 4055.00"
    /// );
    /// assert!(c.render(Lang::Zh).starts_with("不符\t合计\tpayouts.csv: transport_subsidy 金额: 回执 4055.01, 文件 4055.00"));
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let role = if zh { "合计" } else { "totals" };
        match &self.status {
            TotalsStatus::Agree => {
                format!("{}\t{role}\t{}", if zh { "一致" } else { "ok" }, self.path)
            }
            TotalsStatus::Differ(diffs) => {
                let mut out = String::new();
                for d in diffs {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    let _ = if zh {
                        let field = match d.field {
                            "subjects" => "判定对象数",
                            "eligible" => "符合条件数",
                            _ => "金额",
                        };
                        write!(
                            out,
                            "不符\t{role}\t{}: {} {field}: 回执 {}, 文件 {}",
                            self.path, d.program, d.receipt, d.file
                        )
                    } else {
                        write!(
                            out,
                            "differs\t{role}\t{}: {} {}: receipt {}, file {}",
                            self.path, d.program, d.field, d.receipt, d.file
                        )
                    };
                }
                out
            }
            TotalsStatus::Unreadable {
                sheet,
                line,
                field,
                value,
            } => {
                let (path, at) = (&self.path, place(sheet.as_deref(), *line, lang));
                if zh {
                    format!("无法读取\t{role}\t{path}: {at} {field} {value:?} 不是发放清单的内容")
                } else {
                    format!(
                        "unreadable\t{role}\t{path}: {at}, {field} {value:?} is not a payouts row"
                    )
                }
            }
            TotalsStatus::TooLarge {
                sheet,
                line,
                program,
                amount,
            } => {
                let (path, at) = (&self.path, place(sheet.as_deref(), *line, lang));
                if zh {
                    format!(
                        "无法读取\t{role}\t{path}: {at} {program} 金额 {amount} 使合计过大, 无法精确求和"
                    )
                } else {
                    format!(
                        "unreadable\t{role}\t{path}: {at}, {program} amount {amount} makes the total too large to sum exactly"
                    )
                }
            }
        }
    }
}

/// Where a row is, in `lang`: a CSV file's line, or a sheet's row.
fn place(sheet: Option<&str>, line: u64, lang: Lang) -> String {
    match (sheet, lang) {
        (Some(s), Lang::Zh) => format!("工作表 {s} 第 {line} 行"),
        (None, Lang::Zh) => format!("第 {line} 行"),
        (Some(s), Lang::En) => format!("sheet {s}, row {line}"),
        (None, Lang::En) => format!("line {line}"),
    }
}

/// Sums again each payouts list a receipt names (an output found where
/// [`verify`](super::verify) finds it: a CSV file whose first line is `payouts.csv`'s header, after an Excel byte-order
/// mark if any, or a workbook with `payouts.xlsx`'s 发放清单 sheets)
/// and compares, program by program, its subjects, its eligible subjects and its amount
/// with the receipt's totals. [`verify`](super::verify) tells whether a file changed; this tells whether
/// the totals written in the receipt are the file's, so that neither can be edited alone.
/// A CSV file is read by the `csv` crate and a workbook by `calamine`, not by the writers
/// that wrote them.
///
/// ```
/// use jiuye_fupin::receipt::{FileRecord, Receipt, TotalsStatus, TotalsVerdict, verify_totals};
/// use jiuye_fupin::{Engine, Policy, io, sample};
/// let dir = std::env::temp_dir().join(format!("verify-totals-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let policy = Policy::yang_county_2020();
/// let (engine, roster) = (Engine::new(&policy), sample::roster());
/// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
/// let file = std::fs::File::create(dir.join("payouts.csv"))?;
/// let totals = io::write_payouts(file, eval.decisions.into_iter().map(Ok))?;
/// let mut r = Receipt::new(&policy, "2020-04-01".parse()?);
/// r.outputs.push(FileRecord::of(&dir.join("payouts.csv"))?);
/// assert_eq!(verify_totals(&r.to_toml(), &dir)?, TotalsVerdict::NotRecorded);
/// r.totals = Some(totals);
/// let TotalsVerdict::Checked(checks) = verify_totals(&r.to_toml(), &dir)? else { panic!() };
/// assert_eq!(checks[0].status, TotalsStatus::Agree);
/// // A receipt whose amount was edited.
/// let edited = r.to_toml().replacen("amount = \"4055.01\"", "amount = \"4155.01\"", 1);
/// let TotalsVerdict::Checked(checks) = verify_totals(&edited, &dir)? else { panic!() };
/// assert!(matches!(&checks[0].status, TotalsStatus::Differ(d) if d[0].file == "4055.01"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ReceiptError`] for text that is not a receipt (a total that is not one included).
pub fn verify_totals(text: &str, receipt_dir: &Path) -> Result<TotalsVerdict, ReceiptError> {
    let w = read(text)?;
    let Some(totals) = &w.totals else {
        return Ok(TotalsVerdict::NotRecorded);
    };
    let mut checks = Vec::new();
    for f in &w.outputs {
        let Some(found) = locate(&w, Role::Output, f.path.get_ref(), receipt_dir) else {
            continue;
        };
        let status = match sum_payouts(&found) {
            Ok(None) => continue,
            Ok(Some(summed)) => compare_totals(&totals.programs, &summed.programs),
            Err(unreadable) => unreadable,
        };
        checks.push(TotalsCheck {
            path: f.path.get_ref().clone(),
            status,
        });
    }
    Ok(if checks.is_empty() {
        TotalsVerdict::NotChecked
    } else {
        TotalsVerdict::Checked(checks)
    })
}

/// One program's sums in a payouts list: subjects, eligible subjects, amount.
type Sums = (u64, u64, Yuan);

/// The sums per program of a payouts list, in order of first row, one row at a time: the
/// one reading of a row, whether it came from `payouts.csv` or `payouts.xlsx`.
#[derive(Default)]
struct Summed {
    programs: Vec<(String, Sums)>,
    /// The sheet being read (a workbook's).
    sheet: Option<String>,
}

impl Summed {
    /// Counts the row at `line` (a CSV file's line, a sheet's row): its program's code,
    /// `true`/`false` and amount, as written.
    fn row(
        &mut self,
        line: u64,
        program: &str,
        eligible: &str,
        amount: &str,
    ) -> Result<(), TotalsStatus> {
        let bad = |field: &'static str, value: &str| TotalsStatus::Unreadable {
            sheet: self.sheet.clone(),
            line,
            field,
            value: value.to_owned(),
        };
        let eligible = match eligible {
            "true" => 1,
            "false" => 0,
            other => return Err(bad("eligible", other)),
        };
        let written = amount;
        let amount = Yuan::parse(written).map_err(|_| bad("amount", written))?;
        let at =
            (self.programs.iter().position(|(p, _)| p == program)).unwrap_or(self.programs.len());
        if at == self.programs.len() {
            self.programs.push((program.to_owned(), (0, 0, Yuan::ZERO)));
        }
        let Some((_, (subjects, n_eligible, total))) = self.programs.get_mut(at) else {
            return Ok(());
        };
        *subjects = subjects.saturating_add(1);
        *n_eligible = n_eligible.saturating_add(eligible);
        *total = total
            .checked_add(amount)
            .map_err(|_| TotalsStatus::TooLarge {
                sheet: self.sheet.clone(),
                line,
                program: program.to_owned(),
                amount: written.to_owned(),
            })?;
        Ok(())
    }
}

/// The sums per program of the payouts list at `path`: a workbook's 发放清单 sheets
/// ([`sum_workbook`]), any other file as `payouts.csv`; `None` when it is not one (another
/// header, another workbook, a file that cannot be opened).
fn sum_payouts(path: &Path) -> Result<Option<Summed>, TotalsStatus> {
    if crate::io::workbook::is_workbook(path) {
        return sum_workbook(path);
    }
    let Ok(file) = crate::file::open_regular(path) else {
        return Ok(None);
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(std::io::BufReader::new(file));
    let mut rows = csv.records();
    let header = match rows.next() {
        Some(Ok(h)) => h,
        _ => return Ok(None),
    };
    let names = (header.iter().enumerate()).map(|(k, name)| {
        if k == 0 {
            name.trim_start_matches('\u{feff}')
        } else {
            name
        }
    });
    if header.len() != PAYOUTS_HEADER.len() || !names.eq(PAYOUTS_HEADER) {
        return Ok(None);
    }
    let mut summed = Summed::default();
    // The line of a row is counted only for a row that cannot be summed (see
    // [`physical_line`]): `u64::MAX` stands for it until then.
    let placed = |mut status: TotalsStatus, at: Option<&csv::Position>| {
        if let TotalsStatus::Unreadable { line, .. } | TotalsStatus::TooLarge { line, .. } =
            &mut status
        {
            *line = at.map_or(0, |p| physical_line(path, p.byte()));
        }
        status
    };
    for row in rows {
        let row = row.map_err(|e| {
            let status = TotalsStatus::Unreadable {
                sheet: None,
                line: u64::MAX,
                field: "row",
                value: e.to_string(),
            };
            placed(status, e.position())
        })?;
        let summing = match (row.get(0), row.get(2), row.get(3), row.len()) {
            (Some(program), Some(eligible), Some(amount), 5) => {
                summed.row(u64::MAX, program, eligible, amount)
            }
            _ => Err(TotalsStatus::Unreadable {
                sheet: None,
                line: u64::MAX,
                field: "row",
                value: format!("{} fields, not 5", row.len()),
            }),
        };
        summing.map_err(|status| placed(status, row.position()))?;
    }
    Ok(Some(summed))
}

/// The line (from 1) of the record that the `csv` reader places at byte `at` of the file
/// at `path`, its line ends counted as the roster reader counts them (a LF, a CRLF once, a
/// bare CR). The reader's own line is one short in a file of CRLF line ends (it places a
/// record at the LF that ends the line before it), and names a blank line skipped before
/// the record: the record starts at the first byte from `at` that is no line end. Read
/// again only for a row that cannot be summed; `0` when the file cannot be.
fn physical_line(path: &Path, at: u64) -> u64 {
    use std::io::BufRead;
    let Ok(file) = crate::file::open_regular(path) else {
        return 0;
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let (mut ends, mut pos, mut after_cr) = (0u64, 0u64, false);
    loop {
        let Ok(buf) = reader.fill_buf() else {
            return 0;
        };
        if buf.is_empty() {
            return ends.saturating_add(1);
        }
        let n = buf.len();
        for &c in buf {
            let line_end = c == b'\n' || c == b'\r';
            if pos >= at && !line_end {
                // The record's first byte: a CR just before it ended a line.
                return ends.saturating_add(u64::from(after_cr)).saturating_add(1);
            }
            // A LF ends a line (a CRLF's, once); a CR followed by anything else does.
            ends = ends.saturating_add(u64::from(c == b'\n' || after_cr));
            after_cr = c == b'\r';
            pos = pos.saturating_add(1);
        }
        reader.consume(n);
    }
}

/// The sums per program of a `payouts.xlsx`: its sheets 发放清单, 发放清单 (2), ... (a
/// list too long for one sheet goes on in the next), each read cell by cell (never held
/// whole), by the header's codes `program_code`, `eligible` and `amount`; money cells are
/// read as Excel shows them ([`crate::io::workbook::cell_text`]), as a roster's are.
fn sum_workbook(path: &Path) -> Result<Option<Summed>, TotalsStatus> {
    use calamine::{Data, Reader};
    if crate::file::open_regular(path).is_err() {
        return Ok(None);
    }
    let Ok(mut book) = calamine::open_workbook::<calamine::Xlsx<_>, _>(path) else {
        return Ok(None);
    };
    let lists: Vec<String> = (book.sheet_names().into_iter())
        .filter(|n| crate::io::workbook::is_table_sheet(n, crate::io::workbook::PAYOUTS_LIST))
        .collect();
    if lists.is_empty() {
        return Ok(None);
    }
    let mut summed = Summed::default();
    for name in lists {
        summed.sheet = Some(name.clone());
        let unreadable = |e: calamine::XlsxError| TotalsStatus::Unreadable {
            sheet: Some(name.clone()),
            line: 0,
            field: "row",
            value: e.to_string(),
        };
        let mut cells = book.worksheet_cells_reader(&name).map_err(unreadable)?;
        // The columns of program_code, eligible and amount, from the header (row 0).
        let mut columns: [Option<u32>; 3] = [None; 3];
        // The row being read, and its three cells.
        let mut row: Option<(u32, [String; 3])> = None;
        loop {
            let cell = cells.next_cell().map_err(unreadable)?;
            let at = cell.as_ref().map(|c| c.get_position());
            if let Some((r, [program, eligible, amount])) = &row {
                if at.is_none_or(|(next, _)| next != *r) {
                    let line = u64::from(*r).saturating_add(1);
                    summed.row(line, program, eligible, amount)?;
                    row = None;
                }
            }
            let Some(cell) = cell else { break };
            let (r, c) = cell.get_position();
            let text = crate::io::workbook::cell_text(&Data::from(cell.get_value().clone()));
            if r == 0 {
                for (slot, code) in columns
                    .iter_mut()
                    .zip(["program_code", "eligible", "amount"])
                {
                    let named = (text.strip_suffix(&format!("({code})")))
                        .is_some_and(|zh| zh.is_empty() || zh.ends_with(' '));
                    if text == code || named {
                        *slot = Some(c);
                    }
                }
                continue;
            }
            let [Some(p), Some(e), Some(a)] = columns else {
                return Ok(None);
            };
            let (_, cells_of_row) = row.get_or_insert_with(|| (r, Default::default()));
            for (k, col) in [p, e, a].into_iter().enumerate() {
                if c == col {
                    if let Some(slot) = cells_of_row.get_mut(k) {
                        *slot = text.clone();
                    }
                }
            }
        }
        if columns.iter().any(Option::is_none) {
            return Ok(None);
        }
    }
    Ok(Some(summed))
}

/// The receipt's `totals` against a file's `sums`: every figure that differs, in the
/// receipt's program order, then the programs the receipt does not list.
fn compare_totals(totals: &[WrittenTotal], sums: &[(String, Sums)]) -> TotalsStatus {
    let zero = (0, 0, Yuan::ZERO);
    let mut diffs = Vec::new();
    let mut push = |program: &str, r: &Sums, f: &Sums| {
        // Compared as numbers (`400.0` is `400.00`), shown as written.
        for (field, same, receipt, file) in [
            ("subjects", r.0 == f.0, r.0.to_string(), f.0.to_string()),
            ("eligible", r.1 == f.1, r.1.to_string(), f.1.to_string()),
            ("amount", r.2 == f.2, r.2.to_string(), f.2.to_string()),
        ] {
            if !same {
                diffs.push(TotalsDifference {
                    program: program.to_owned(),
                    field,
                    receipt,
                    file,
                });
            }
        }
    };
    for t in totals {
        let found = sums.iter().find(|(p, _)| *p == t.program);
        push(
            &t.program,
            &(t.subjects, t.eligible, t.amount),
            found.map_or(&zero, |(_, s)| s),
        );
    }
    for (program, s) in sums {
        if !totals.iter().any(|t| t.program == *program) {
            push(program, &zero, s);
        }
    }
    if diffs.is_empty() {
        TotalsStatus::Agree
    } else {
        TotalsStatus::Differ(diffs)
    }
}
