//! Workbooks out (`.xlsx`, through `rust_xlsxwriter`): what officials and auditors open.
//!
//! Every sheet has its header in Chinese with the column's code beside it (`金额
//! (amount)`), frozen, with a filter, and columns wide enough for Chinese text (a CJK
//! character counts two). Program, reason and finding labels are in the chosen language.
//! Money is written as a number formatted `0.00`, **from the exact decimal**: its text
//! (`523.40`) parsed once as the nearest double, the only float on the way out, as reading
//! a number cell is the only one on the way in (see `DESIGN.md`); dates are dates. Each
//! workbook ends with a receipt sheet (回执): the crate's version, the policy and its
//! SHA-256, the as-of date, the totals, the input files and the outputs finished before
//! the workbook (path, size, records, SHA-256), and the name of the complete receipt
//! ([`Receipt::complete_in`]: a workbook cannot hold its own hash).
//!
//! ```
//! use jiuye_fupin::{Engine, Lang, Policy, sample, xlsx};
//! use jiuye_fupin::receipt::Receipt;
//! let policy = Policy::yang_county_2020();
//! let roster = sample::roster();
//! let engine = Engine::new(&policy);
//! let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
//! let bytes = xlsx::payouts(&eval, &roster, &Receipt::new(&policy, eval.as_of), Lang::Zh)?;
//! assert!(bytes.starts_with(b"PK")); // a zip, as every .xlsx
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartType, ExcelDateTime, Format, FormatAlign, Formula, Workbook, Worksheet,
};

use crate::compare::Comparison;
use crate::decision::{Decision, Lang, Outcome, ProgramKind};
use crate::engine::Evaluation;
use crate::finding::{Finding, NotAudited};
use crate::io::records::{self, TableSpec, Type as Ty, table_specs};
use crate::ledger::{Ledger, Line};
use crate::model::Roster;
use crate::money::Yuan;
use crate::receipt::Receipt;
use crate::report::Totals;

pub use rust_xlsxwriter::XlsxError;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Text.
    Text(String),
    /// An exact amount, written as a number formatted `0.00`.
    Money(Decimal),
    /// A whole number.
    Int(i128),
    /// A date.
    Date(NaiveDate),
    /// `true`/`false`.
    Bool(bool),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Yuan> for Cell {
    fn from(y: Yuan) -> Cell {
        Cell::Money(y.as_decimal())
    }
}

/// A column: its Chinese label and its code.
pub(crate) type Col = (String, String);

/// A column from static text.
pub(crate) fn col(zh: &str, code: &str) -> Col {
    (zh.to_owned(), code.to_owned())
}

/// The row closing a kind's programs in a sheet of programs: its label, an empty program
/// code, its kind, `blanks` empty cells (the counts), then its `sums`.
fn kind_total_row<const N: usize>(
    kind: ProgramKind,
    lang: Lang,
    blanks: usize,
    sums: [Cell; N],
) -> Vec<Cell> {
    let head = [kind.total_label(lang).into(), "".into(), kind.code().into()];
    let blank = std::iter::repeat_with(|| Cell::from("")).take(blanks);
    head.into_iter().chain(blank).chain(sums).collect()
}

/// The double a decimal's text reads as: the one float of an amount on its way out.
pub(crate) fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

/// `true` when the number cell of the double nearest `d` reads back as `d`
/// ([`crate::io::workbook::number_text`]: 15 significant digits, as Excel shows it): the
/// crate's reader, and Excel, get `d` back exactly. Otherwise `d` is written as text.
pub(crate) fn exact_as_f64(d: Decimal) -> bool {
    crate::io::workbook::number_text(to_f64(d)).parse::<Decimal>() == Ok(d.normalize())
}

/// Width of text as a spreadsheet shows it: a wide (CJK) character counts two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if u32::from(c) >= 0x1100 { 2 } else { 1 })
        .fold(0, usize::saturating_add)
}

fn row_num(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

fn col_num(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A new workbook whose sheets may keep their rows in temporary files (rust_xlsxwriter's
/// constant-memory mode, see [`table`]): the system's temporary folder is checked first, so
/// that one that is missing or not writable is an error, not a panic inside the writer
/// (which creates a temporary file for every sheet, and unwraps).
pub(crate) fn workbook() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let dir = std::env::temp_dir();
    book.set_tempdir(&dir).map_err(|e| {
        XlsxError::CustomError(format!(
            "临时文件夹 {0} 无法写入,工作簿写出时需要它(可用 TMPDIR 指定其他文件夹)/ the temporary folder {0} cannot be written, and a workbook needs it while it is written (TMPDIR names another): {e}",
            dir.display()
        ))
    })?;
    Ok(book)
}

/// The formats every sheet uses.
pub(crate) struct Formats {
    pub header: Format,
    pub money: Format,
    pub date: Format,
    /// Text, indented by one character: a right-aligned number never touches the text of
    /// the next column.
    pub text: Format,
    /// Text of a column wider than [`WIDEST`]: wrapped within it.
    pub wrapped: Format,
    /// The language of the writer's errors: `None` for both (a template's sheets, which
    /// are in both).
    pub lang: Option<Lang>,
}

impl Formats {
    /// The formats, with errors in `lang` (`None`: in both languages).
    fn in_lang(lang: Option<Lang>) -> Formats {
        Formats {
            lang,
            ..Formats::default()
        }
    }
}

/// The widest column, in characters (a Chinese character counts two; a SHA-256 in hex, 64,
/// stays on one line); longer text wraps.
const WIDEST: usize = 64;

impl Default for Formats {
    fn default() -> Self {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#DDEBF7")
                .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
            money: Format::new()
                .set_num_format("0.00")
                .set_align(FormatAlign::VerticalCenter),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::VerticalCenter),
            text: Format::new()
                .set_indent(1)
                .set_align(FormatAlign::VerticalCenter),
            wrapped: Format::new()
                .set_indent(1)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            lang: None,
        }
    }
}

/// The characters an Excel cell holds.
const CELL_CHARS: usize = 32_767;

/// Text too long for a cell, refused naming the sheet, row and column in `lang` (`None`:
/// in both; the writer's own error names none of them): a valid CSV cell may hold up to
/// 1 MiB.
fn too_long(ws: &Worksheet, row: u32, c: u16, s: &str, lang: Option<Lang>) -> XlsxError {
    let (sheet, n) = (ws.name(), s.chars().count());
    let at = u64::from(row).saturating_add(1);
    let col = crate::io::workbook::column_letter(u32::from(c));
    let zh = || {
        format!(
            "工作表 {sheet} 第 {at} 行, {col} 列: 文本有 {n} 个字符, 超过 Excel 单元格上限 32767, 无法写入工作簿 (请缩短, 或改用 CSV)"
        )
    };
    let en = || {
        format!(
            "sheet {sheet}, row {at}, column {col}: text of {n} characters, more than an Excel cell holds (32,767): shorten it, or keep the list as CSV"
        )
    };
    XlsxError::CustomError(match lang {
        Some(Lang::Zh) => zh(),
        Some(Lang::En) => en(),
        None => format!("{} / {}", zh(), en()),
    })
}

/// Writes one cell.
pub(crate) fn put(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    c: u16,
    cell: &Cell,
) -> Result<(), XlsxError> {
    put_with(ws, f, row, c, cell, &f.text)
}

/// Writes one cell, text in the format `text`.
fn put_with(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    c: u16,
    cell: &Cell,
    text: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) if s.is_empty() => {}
        Cell::Text(s) if s.chars().count() > CELL_CHARS => {
            return Err(too_long(ws, row, c, s, f.lang));
        }
        Cell::Text(s) => {
            ws.write_string_with_format(row, c, s, text)?;
        }
        // A number only when the double reads back as the same decimal (at most 15
        // significant digits): otherwise the exact decimal as text.
        Cell::Money(d) if exact_as_f64(*d) => {
            ws.write_number_with_format(row, c, to_f64(*d), &f.money)?;
        }
        Cell::Money(d) => {
            ws.write_string(row, c, d.to_string())?;
        }
        Cell::Int(n) => {
            // Counts of a roster: far below 2^53, exact as a double.
            ws.write_number(row, c, *n as f64)?;
        }
        // No Excel date is before 1900 or after 9999: such a date (valid, and decided
        // `not_in_force`) is its text, which the reader reads as the same date.
        Cell::Date(d) if !(1900..=9999).contains(&d.year()) => {
            ws.write_string_with_format(row, c, d.format("%Y-%m-%d").to_string(), text)?;
        }
        Cell::Date(d) => {
            let month = u8::try_from(d.month()).unwrap_or(1);
            let day = u8::try_from(d.day()).unwrap_or(1);
            let year = u16::try_from(d.year()).unwrap_or(1900);
            let x = ExcelDateTime::from_ymd(year, month, day)?;
            ws.write_date_with_format(row, c, &x, &f.date)?;
        }
        Cell::Bool(b) => {
            ws.write_boolean(row, c, *b)?;
        }
    }
    Ok(())
}

/// The text a cell shows, for its column's width.
fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Money(d) => format!("{d:.2}"),
        Cell::Int(n) => n.to_string(),
        Cell::Date(_) => "2020-01-01".to_owned(),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
    }
}

/// The width a header needs on its two lines, `中文` above `(code)` (it wraps at the
/// space), so that no code is broken inside a word.
fn header_width(col: &Col) -> usize {
    header_text(col)
        .split(' ')
        .map(width)
        .max()
        .unwrap_or_default()
}

/// A header cell: `中文 (code)`.
pub(crate) fn header_text((zh, code): &Col) -> String {
    if zh.is_empty() || zh == code {
        code.clone()
    } else {
        format!("{zh} ({code})")
    }
}

/// The rows a sheet holds under its header: Excel's 1,048,576, less the header.
pub(crate) const SHEET_ROWS: usize = 1_048_575;

/// A sheet of `rows` under `cols`: header frozen, filter over the rows, widths to fit (up
/// to [`WIDEST`]; longer text wraps within its column, so that a printed page stays
/// readable). Rows beyond what a sheet holds ([`SHEET_ROWS`]) go on in sheets
/// `name (2)`, `name (3)`, ..., each with the header: a large roster's list is split, never
/// refused. Returns each sheet's name and its number of rows.
///
/// The rows are written as they come, in rust_xlsxwriter's constant-memory mode (each row
/// goes to a temporary file once the next one starts): a list of a million rows is never
/// held whole, neither here nor by the writer.
pub(crate) fn table(
    book: &mut Workbook,
    name: &str,
    cols: &[Col],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    lang: Option<Lang>,
) -> Result<Vec<(String, usize)>, XlsxError> {
    table_in_sheets(book, name, cols, rows, SHEET_ROWS, lang)
}

/// [`table`], at most `per_sheet` rows on a sheet.
fn table_in_sheets(
    book: &mut Workbook,
    name: &str,
    cols: &[Col],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    per_sheet: usize,
    lang: Option<Lang>,
) -> Result<Vec<(String, usize)>, XlsxError> {
    let f = Formats::in_lang(lang);
    let mut rows = rows.into_iter().peekable();
    let mut sheets = Vec::new();
    loop {
        let sheet = crate::io::workbook::table_sheet(name, sheets.len().saturating_add(1));
        let ws = book.add_worksheet_with_constant_memory();
        ws.set_name(&sheet)?;
        let n = sheet_of(ws, &f, cols, rows.by_ref().take(per_sheet.max(1)))?;
        sheets.push((sheet, n));
        if rows.peek().is_none() {
            return Ok(sheets);
        }
    }
}

/// One sheet of a [`table`]; returns its number of rows.
fn sheet_of(
    ws: &mut Worksheet,
    f: &Formats,
    cols: &[Col],
    rows: impl Iterator<Item = Vec<Cell>>,
) -> Result<usize, XlsxError> {
    for (c, column) in cols.iter().enumerate() {
        ws.write_string_with_format(0, col_num(c), header_text(column), &f.header)?;
    }
    ws.set_row_height(0, 32)?;
    let mut widths: Vec<usize> = cols.iter().map(header_width).collect();
    let mut n: usize = 0;
    for cells in rows {
        n = n.saturating_add(1);
        let row = row_num(n);
        // Lines of the tallest wrapped cell: the row's height is set, since not every
        // spreadsheet program fits a row to its wrapped text when it opens a file.
        let mut lines = 1;
        for (c, cell) in cells.iter().enumerate() {
            let w = width(&shown(cell));
            if let Some(widest) = widths.get_mut(c) {
                *widest = (*widest).max(w);
            }
            let text = if w > WIDEST {
                lines = lines.max(w.div_ceil(WIDEST.saturating_add(2)));
                &f.wrapped
            } else {
                &f.text
            };
            put_with(ws, f, row, col_num(c), cell, text)?;
        }
        if lines > 1 {
            ws.set_row_height(row, 15u32.saturating_mul(u32::try_from(lines).unwrap_or(1)))?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let w = (*w).clamp(6, WIDEST).saturating_add(3);
        ws.set_column_width(col_num(c), u32::try_from(w).unwrap_or(8))?;
    }
    ws.set_freeze_panes(1, 0)?;
    let last = col_num(cols.len().saturating_sub(1));
    ws.autofilter(0, 0, row_num(n), last)?;
    print_setup(ws)?;
    Ok(n)
}

/// Printed as an official would file it: landscape A4, one page wide, the header on every
/// page.
fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// The receipt sheet (回执): what produced the figures.
fn receipt_sheet(book: &mut Workbook, r: &Receipt, lang: Lang) -> Result<(), XlsxError> {
    let mut rows: Vec<Vec<Cell>> = vec![
        vec![
            "软件版本".into(),
            "crate_version".into(),
            r.crate_version.into(),
        ],
        vec![
            "政策".into(),
            "policy_name".into(),
            r.policy_name.clone().into(),
        ],
        vec![
            "政策参数 SHA-256".into(),
            "policy_sha256".into(),
            r.policy_sha256.clone().into(),
        ],
        vec!["截至日期".into(), "as_of".into(), Cell::Date(r.as_of)],
    ];
    if let Some(t) = &r.totals {
        for p in t.iter() {
            rows.push(vec![
                format!("{} 金额", p.program.name(lang)).into(),
                format!("totals.{}.amount", p.program.code()).into(),
                p.amount.into(),
            ]);
            rows.push(vec![
                format!("{} 符合/对象", p.program.name(lang)).into(),
                format!("totals.{}.eligible", p.program.code()).into(),
                format!("{}/{}", p.eligible, p.subjects).into(),
            ]);
        }
    }
    receipt_files(&mut rows, r);
    let cols = [col("项目", "item"), col("代码", "key"), col("值", "value")];
    table(book, "回执", &cols, rows, Some(lang)).map(drop)
}

/// The receipt sheet's rows of the run's files: its inputs, the outputs finished before
/// the workbook, and where the complete receipt is.
fn receipt_files(rows: &mut Vec<Vec<Cell>>, r: &Receipt) {
    files_rows(rows, "输入", "inputs", &r.inputs);
    files_rows(rows, "输出", "outputs", &r.outputs);
    if let Some(complete) = &r.complete_in {
        rows.push(vec![
            "完整回执 (含本工作簿及其后输出的 SHA-256)".into(),
            "complete_receipt".into(),
            complete.clone().into(),
        ]);
    }
}

/// The receipt sheet's rows of its input or output files: path, size, records, SHA-256
/// (keys as in the receipt's TOML: `inputs[0].sha256`).
fn files_rows(
    rows: &mut Vec<Vec<Cell>>,
    zh: &str,
    key: &str,
    files: &[crate::receipt::FileRecord],
) {
    for (i, f) in files.iter().enumerate() {
        let n = i.saturating_add(1);
        rows.push(vec![
            format!("{zh} {n} 路径").into(),
            format!("{key}[{i}].path").into(),
            f.path.clone().into(),
        ]);
        rows.push(vec![
            format!("{zh} {n} 大小 (字节)").into(),
            format!("{key}[{i}].bytes").into(),
            Cell::Int(i128::from(f.bytes)),
        ]);
        if let Some(records) = f.records {
            rows.push(vec![
                format!("{zh} {n} 记录数").into(),
                format!("{key}[{i}].records").into(),
                Cell::Int(i128::from(records)),
            ]);
        }
        rows.push(vec![
            format!("{zh} {n} SHA-256").into(),
            format!("{key}[{i}].sha256").into(),
            f.sha256.clone().into(),
        ]);
    }
}

/// Subject id → a name to show: the laborer's name, the enterprise's, the center's, the
/// post's employer.
fn names(roster: &Roster) -> HashMap<&str, &str> {
    let laborers =
        (roster.laborers().iter()).filter_map(|l| Some((l.id.as_str(), l.name.as_deref()?)));
    let enterprises = (roster.enterprises().iter()).map(|e| (e.id.as_str(), e.name.as_str()));
    let centers = (roster.centers().iter()).map(|c| (c.id.as_str(), c.name.as_str()));
    let posts = (roster.posts().iter()).map(|p| (p.id.as_str(), p.employer_name.as_str()));
    laborers
        .chain(enterprises)
        .chain(centers)
        .chain(posts)
        .collect()
}

/// The result of a decision in words.
fn result(eligible: bool, lang: Lang) -> &'static str {
    match (eligible, lang) {
        (true, Lang::Zh) => "符合",
        (false, Lang::Zh) => "不符合",
        (true, Lang::En) => "eligible",
        (false, Lang::En) => "ineligible",
    }
}

/// The reasons of an outcome as labels (`capped` too), `; `-separated.
pub(crate) fn reason_labels(outcome: &Outcome, lang: Lang) -> String {
    match outcome {
        Outcome::Ineligible { reasons } => reasons.render(lang),
        Outcome::Eligible { capped: true, .. } => lang.capped().to_owned(),
        Outcome::Eligible { .. } => String::new(),
    }
}

/// The per-program totals as rows, kept apart by kind as every report of totals keeps them
/// ([`ProgramKind::ALL`]: payouts, deferrals, loan ceilings), each kind closed by its sum
/// (发放合计, 缓缴合计, 贷款额度合计), so that no one adds a deferral or a loan ceiling to
/// the money paid out.
fn totals_rows(t: &Totals, lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for kind in ProgramKind::ALL {
        for p in t.of_kind(kind) {
            rows.push(vec![
                p.program.name(lang).into(),
                p.program.code().into(),
                kind.code().into(),
                Cell::Int(i128::from(p.subjects)),
                Cell::Int(i128::from(p.eligible)),
                p.amount.into(),
            ]);
        }
        let sum = t
            .total_of(kind)
            .map_or_else(|e| e.to_string().into(), Cell::from);
        rows.push(kind_total_row(kind, lang, 2, [sum]));
    }
    rows
}

fn totals_cols() -> Vec<Col> {
    vec![
        col("项目", "program"),
        col("项目代码", "program_code"),
        col("类别", "kind"),
        col("对象数", "subjects"),
        col("符合数", "eligible"),
        col("金额", "amount"),
    ]
}

/// The columns of the payouts sheet.
pub(crate) fn decision_cols() -> Vec<Col> {
    vec![
        col("项目", "program"),
        col("项目代码", "program_code"),
        col("对象", "subject_id"),
        col("姓名/名称", "name"),
        col("是否符合", "eligible"),
        col("结果", "result"),
        col("金额", "amount"),
        col("原因", "reasons"),
        col("原因代码", "reason_codes"),
    ]
}

fn decision_row(d: &Decision<'_>, name: &str, lang: Lang) -> Vec<Cell> {
    vec![
        d.program.name(lang).into(),
        d.program.code().into(),
        d.subject_id.into(),
        name.into(),
        if d.is_eligible() { "true" } else { "false" }.into(),
        result(d.is_eligible(), lang).into(),
        d.amount().into(),
        reason_labels(&d.outcome, lang).into(),
        d.reason_codes().to_string().into(),
    ]
}

/// `payouts.xlsx`: every decision (发放清单), the totals per program (汇总) and the
/// receipt (回执).
///
/// # Errors
/// [`XlsxError`] from the writer (a sheet too large for Excel's limits).
pub fn payouts(
    eval: &Evaluation<'_>,
    roster: &Roster,
    receipt: &Receipt,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    payouts_in_sheets(eval, roster, receipt, lang, SHEET_ROWS)
}

/// [`payouts`], its list at most `per_sheet` rows on a sheet (the tests' small sheets).
fn payouts_in_sheets(
    eval: &Evaluation<'_>,
    roster: &Roster,
    receipt: &Receipt,
    lang: Lang,
    per_sheet: usize,
) -> Result<Vec<u8>, XlsxError> {
    let names = names(roster);
    let rows = (eval.decisions.iter())
        .map(|d| decision_row(d, names.get(d.subject_id).copied().unwrap_or(""), lang));
    let mut book = workbook()?;
    let list = crate::io::workbook::PAYOUTS_LIST;
    table_in_sheets(
        &mut book,
        list,
        &decision_cols(),
        rows,
        per_sheet,
        Some(lang),
    )?;
    table(
        &mut book,
        "汇总",
        &totals_cols(),
        totals_rows(&eval.totals, lang),
        Some(lang),
    )?;
    receipt_sheet(&mut book, receipt, lang)?;
    book.save_to_buffer()
}

/// `findings.xlsx`: every finding with its evidence and clause (问题清单), what was not
/// audited and why (未审核: [`crate::Engine::not_audited`]; its header alone when everything
/// was), the candidates for open assistant posts, priority groups first (候选人:
/// [`crate::rules::assistant_quota::candidates`]), and the receipt.
///
/// ```
/// use jiuye_fupin::{Engine, Lang, Policy, sample, xlsx};
/// let policy = Policy::yang_county_2020();
/// let as_of = "2020-04-01".parse()?;
/// let findings = Engine::new(&policy).audit(&sample::roster(), as_of);
/// let receipt = jiuye_fupin::receipt::Receipt::new(&policy, as_of);
/// assert!(xlsx::findings(&findings, &[], &[], &receipt, Lang::Zh)?.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`XlsxError`] from the writer.
pub fn findings(
    findings: &[Finding],
    not_audited: &[NotAudited],
    candidates: &[&crate::model::Laborer],
    receipt: &Receipt,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let cols = [
        col("规则", "rule"),
        col("问题", "kind_label"),
        col("问题代码", "kind"),
        col("对象", "subject_id"),
        col("人员", "person_id"),
        col("月份", "month"),
        col("证据", "evidence"),
        col("依据", "clause"),
    ];
    let rows: Vec<Vec<Cell>> = (findings.iter())
        .map(|f| {
            vec![
                f.kind.rule().into(),
                f.kind.name(lang).into(),
                f.kind.code().into(),
                f.subject_id.clone().into(),
                f.person_id.clone().unwrap_or_default().into(),
                f.month.map(|m| m.to_string()).unwrap_or_default().into(),
                f.evidence.render(lang).to_string().into(),
                f.citation.to_string().into(),
            ]
        })
        .collect();
    let mut book = workbook()?;
    table(&mut book, "问题清单", &cols, rows, Some(lang))?;
    // What was not audited: no finding there is no clean bill (POLICY.md readings 8-10).
    let not_rows =
        (not_audited.iter()).map(|n| vec![n.rule().into(), n.code().into(), n.render(lang).into()]);
    let not_cols = [
        col("规则", "rule"),
        col("代码", "code"),
        col("未审核事项", "not_audited"),
    ];
    table(&mut book, "未审核", &not_cols, not_rows, Some(lang))?;
    // The candidates for open assistant posts, priority groups first (R9, S1), as printed.
    let candidate_rows = candidates.iter().zip(1_i128..).map(|(l, rank)| {
        vec![
            Cell::Int(rank),
            l.id.clone().into(),
            l.name.clone().unwrap_or_default().into(),
            l.town.clone().into(),
            l.village.clone().into(),
            crate::rules::assistant_quota::priority_groups(l, lang).into(),
        ]
    });
    let candidate_cols = [
        col("序号", "rank"),
        col("人员", "laborer_id"),
        col("姓名", "name"),
        col("镇", "town"),
        col("村", "village"),
        col("重点人群", "priority_groups"),
    ];
    table(
        &mut book,
        "候选人",
        &candidate_cols,
        candidate_rows,
        Some(lang),
    )?;
    receipt_sheet(&mut book, receipt, lang)?;
    book.save_to_buffer()
}

/// A level's cells: its eligible decisions, its sums per kind (payouts, deferrals, loan
/// ceilings), then per program its amount, then per program its eligible decisions.
fn level_cells(t: &Totals) -> Vec<Cell> {
    let eligible: u64 = t.iter().map(|p| p.eligible).fold(0, u64::saturating_add);
    let mut cells = vec![Cell::Int(i128::from(eligible))];
    cells.extend(
        ProgramKind::ALL
            .map(|kind| Cell::Money(t.total_of(kind).map_or(Decimal::ZERO, Yuan::as_decimal))),
    );
    cells.extend(t.iter().map(|p| Cell::from(p.amount)));
    cells.extend(t.iter().map(|p| Cell::Int(i128::from(p.eligible))));
    cells
}

/// The columns of [`level_cells`].
fn level_cols(t: &Totals) -> Vec<Col> {
    let mut cols = vec![
        col("符合项数", "eligible"),
        col("发放金额", "payouts"),
        col("缓缴金额", "deferrals"),
        col("贷款额度", "loan_ceilings"),
    ];
    cols.extend(t.iter().map(|p| {
        (
            p.program.name(Lang::Zh).to_owned(),
            p.program.code().to_owned(),
        )
    }));
    cols.extend(t.iter().map(|p| {
        (
            format!("{} 符合数", p.program.name(Lang::Zh)),
            format!("{}.eligible", p.program.code()),
        )
    }));
    cols
}

/// A level sheet with a 合计 row under its rows: `SUM` formulas whose cached results are the
/// parent level's exact totals (equal to the rows above by construction of the ledger).
fn level_sheet(
    book: &mut Workbook,
    name: &str,
    keys: &[Col],
    rows: Vec<(Vec<String>, &Totals)>,
    parent: &Totals,
    lang: Lang,
) -> Result<(), XlsxError> {
    let mut cols = keys.to_vec();
    cols.extend(level_cols(parent));
    let n = rows.len();
    let body = rows.into_iter().map(|(k, t)| {
        let mut cells: Vec<Cell> = k.into_iter().map(Cell::Text).collect();
        cells.extend(level_cells(t));
        cells
    });
    // One row left under the last sheet's rows for the 合计.
    let sheets = table_in_sheets(
        book,
        name,
        &cols,
        body,
        SHEET_ROWS.saturating_sub(1),
        Some(lang),
    )?;
    let f = Formats::default();
    let Some(ws) = book.worksheets_mut().last_mut() else {
        return Ok(());
    };
    let last_rows = sheets.last().map_or(n, |&(_, rows)| rows);
    let total_row = row_num(last_rows.saturating_add(1));
    ws.write_string_with_format(total_row, 0, "合计 (total)", &f.header)?;
    for (i, cell) in level_cells(parent).iter().enumerate() {
        let c = col_num(keys.len().saturating_add(i));
        let letter = crate::io::workbook::column_letter(u32::from(c));
        let formula = Formula::new(sum_of(&letter, &sheets)).set_result(shown(cell));
        match cell {
            Cell::Money(_) => ws.write_formula_with_format(total_row, c, formula, &f.money)?,
            _ => ws.write_formula(total_row, c, formula)?,
        };
    }
    Ok(())
}

/// The sum of column `letter` over the rows of every sheet of a table (one, unless it is a
/// very large one): `=SUM(J2:J41)`, or `=SUM('户'!J2:J1048575,'户 (2)'!J2:J7)`.
fn sum_of(letter: &str, sheets: &[(String, usize)]) -> String {
    let ranges: Vec<String> = (sheets.iter())
        .map(|(sheet, rows)| {
            let range = format!("{letter}2:{letter}{}", rows.saturating_add(1));
            match sheets.len() {
                1 => range,
                _ => format!("'{sheet}'!{range}"),
            }
        })
        .collect();
    format!("=SUM({})", ranges.join(","))
}

/// A town's name in the ledger: the empty town holds the county's own subjects.
fn town_name(t: &str, lang: Lang) -> String {
    match (t.is_empty(), lang) {
        (false, _) => t.to_owned(),
        (true, Lang::Zh) => "(县级)".to_owned(),
        (true, Lang::En) => "(county level)".to_owned(),
    }
}

/// The town level's name in the ledger.
fn village_name(v: &str, lang: Lang) -> String {
    match (v.is_empty(), lang) {
        (false, _) => v.to_owned(),
        (true, Lang::Zh) => "(镇级)".to_owned(),
        (true, Lang::En) => "(town level)".to_owned(),
    }
}

/// `ledger.xlsx`: one sheet per level, 县 (county), 镇 (towns), 村 (villages), 户
/// (households), each with a 合计 row equal to the level above, then every decision placed
/// (明细), a chart of each town's payouts per program, and the receipt.
///
/// ```
/// use jiuye_fupin::{Engine, Lang, Policy, ledger::Ledger, sample, xlsx};
/// let policy = Policy::yang_county_2020();
/// let as_of = "2020-04-01".parse()?;
/// let ledger = Ledger::build(&Engine::new(&policy), &sample::roster(), as_of)?;
/// let receipt = jiuye_fupin::receipt::Receipt::new(&policy, as_of);
/// assert!(xlsx::ledger(&ledger, &receipt, Lang::Zh)?.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`XlsxError`] from the writer.
pub fn ledger(ledger: &Ledger, receipt: &Receipt, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = workbook()?;
    let county = vec![(vec![receipt.policy_name.clone()], &ledger.totals)];
    level_sheet(
        &mut book,
        "县",
        &[col("县", "county")],
        county,
        &ledger.totals,
        lang,
    )?;
    let towns: Vec<(Vec<String>, &Totals)> = (ledger.towns.iter())
        .map(|t| (vec![town_name(&t.town, lang)], &t.totals))
        .collect();
    let n_towns = towns.len();
    level_sheet(
        &mut book,
        "镇",
        &[col("镇", "town")],
        towns,
        &ledger.totals,
        lang,
    )?;
    let mut villages = Vec::new();
    let mut households = Vec::new();
    let mut lines: Vec<Vec<Cell>> = Vec::new();
    let mut line = |town: &str, village: &str, household: &str, person: &str, l: &Line| {
        lines.push(vec![
            town.into(),
            village.into(),
            household.into(),
            person.into(),
            l.program.name(lang).into(),
            l.program.code().into(),
            l.subject_id.clone().into(),
            l.label.clone().into(),
            result(l.is_eligible(), lang).into(),
            l.amount().into(),
            reason_labels(&l.outcome, lang).into(),
        ]);
    };
    for t in &ledger.towns {
        let tname = town_name(&t.town, lang);
        for v in &t.villages {
            let vname = village_name(&v.village, lang);
            villages.push((vec![tname.clone(), vname.clone()], &v.totals));
            for h in &v.households {
                households.push((
                    vec![
                        tname.clone(),
                        vname.clone(),
                        h.household_id.clone(),
                        h.sources.join("; "),
                    ],
                    &h.totals,
                ));
                for p in &h.people {
                    for l in &p.lines {
                        line(&tname, &vname, &h.household_id, &p.laborer_id, l);
                    }
                }
            }
            for l in &v.others {
                line(&tname, &vname, "", "", l);
            }
        }
    }
    let keys = [col("镇", "town"), col("村", "village")];
    level_sheet(&mut book, "村", &keys, villages, &ledger.totals, lang)?;
    // Households hold people's decisions; a village also holds its enterprises', centers'
    // and posts' (明细): the households' 合计 is their own sum.
    let mut of_households = Totals::new(ledger.totals.iter().map(|p| p.program));
    for (_, t) in &households {
        of_households
            .merge(t)
            .map_err(|(_, e)| XlsxError::ParameterError(e.to_string()))?;
    }
    let keys = [
        col("镇", "town"),
        col("村", "village"),
        col("户", "household_id"),
        col("来源", "sources"),
    ];
    level_sheet(&mut book, "户", &keys, households, &of_households, lang)?;
    let cols = [
        col("镇", "town"),
        col("村", "village"),
        col("户", "household_id"),
        col("人", "laborer_id"),
        col("项目", "program"),
        col("项目代码", "program_code"),
        col("对象", "subject_id"),
        col("名称", "label"),
        col("结果", "result"),
        col("金额", "amount"),
        col("原因", "reasons"),
    ];
    table(&mut book, "明细", &cols, lines, Some(lang))?;
    town_chart(&mut book, &ledger.totals, n_towns, lang)?;
    receipt_sheet(&mut book, receipt, lang)?;
    book.save_to_buffer()
}

/// A column chart on the 镇 sheet: each town's amount per payout program.
fn town_chart(
    book: &mut Workbook,
    totals: &Totals,
    n_towns: usize,
    lang: Lang,
) -> Result<(), XlsxError> {
    if n_towns == 0 {
        return Ok(());
    }
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart.set_width(960).set_height(480);
    let last = row_num(n_towns);
    for (i, p) in totals.iter().enumerate() {
        if p.program.kind() != ProgramKind::Payout {
            continue;
        }
        let c = col_num(i.saturating_add(5));
        chart
            .add_series()
            .set_name(p.program.name(lang))
            .set_categories(("镇", 1, 0, last, 0))
            .set_values(("镇", 1, c, last, c));
    }
    chart.title().set_name(match lang {
        Lang::Zh => "各镇发放金额 (按项目)",
        Lang::En => "Payouts per town and program",
    });
    chart.y_axis().set_name(match lang {
        Lang::Zh => "元",
        Lang::En => "yuan",
    });
    let ws = book.worksheet_from_name("镇")?;
    let at = row_num(n_towns.saturating_add(3));
    ws.insert_chart(at, 1, &chart)?;
    Ok(())
}

/// `impact.xlsx` of a reform: per program (项目), per town (镇), every changed decision
/// (变化), and a chart of the gainers and losers per program.
///
/// ```
/// use jiuye_fupin::{Lang, Policy, compare::compare, reform::Reform, sample, xlsx};
/// let base = Policy::yang_county_2020();
/// let reformed = Reform::load("policies/reforms/transport-cap-600.toml")?.apply(&base)?;
/// let cmp = compare(&base, &reformed, &sample::roster(), "2020-04-01".parse()?)?;
/// assert!(xlsx::comparison(&cmp, Lang::En)?.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`XlsxError`] from the writer.
pub fn comparison(cmp: &Comparison, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    comparison_book(cmp, None, lang)
}

/// [`comparison`], its receipt sheet (回执) also holding the run's `receipt`: the crate's
/// version, the base policy's SHA-256, the input files and the outputs finished before
/// the workbook, and where the complete receipt is.
///
/// ```
/// use jiuye_fupin::{Lang, Policy, compare::compare, receipt::Receipt, reform::Reform, sample, xlsx};
/// let base = Policy::yang_county_2020();
/// let reformed = Reform::load("policies/reforms/transport-cap-600.toml")?.apply(&base)?;
/// let cmp = compare(&base, &reformed, &sample::roster(), "2020-04-01".parse()?)?;
/// let receipt = Receipt::new(&base, cmp.as_of);
/// assert!(xlsx::comparison_with_receipt(&cmp, &receipt, Lang::En)?.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`XlsxError`] from the writer.
pub fn comparison_with_receipt(
    cmp: &Comparison,
    receipt: &Receipt,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    comparison_book(cmp, Some(receipt), lang)
}

fn comparison_book(
    cmp: &Comparison,
    receipt: Option<&Receipt>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = workbook()?;
    let impact_cols = |first: Vec<Col>| {
        let mut cols = first;
        cols.extend([
            col("对象数", "subjects"),
            col("调整前符合", "eligible_before"),
            col("调整后符合", "eligible_after"),
            col("调整前金额", "amount_before"),
            col("调整后金额", "amount_after"),
            col("差额", "difference"),
        ]);
        cols
    };
    let impact = |i: &crate::compare::Impact| {
        vec![
            Cell::Int(i128::from(i.subjects)),
            Cell::Int(i128::from(i.before.eligible)),
            Cell::Int(i128::from(i.after.eligible)),
            i.before.amount.into(),
            i.after.amount.into(),
            Cell::Money(i.difference()),
        ]
    };
    // Payouts, deferrals and loan ceilings apart, each kind closed by its sums, as the
    // printed comparison and every report of totals keep them (ProgramKind::ALL).
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for kind in ProgramKind::ALL {
        for i in cmp.programs.iter().filter(|i| i.program.kind() == kind) {
            let mut r: Vec<Cell> = vec![
                i.program.name(lang).into(),
                i.program.code().into(),
                kind.code().into(),
            ];
            r.extend(impact(i));
            rows.push(r);
        }
        let (before, after) = cmp.kind_amounts(kind);
        let difference = cmp.kind_difference(kind);
        let sums = [before, after, difference].map(Cell::Money);
        rows.push(kind_total_row(kind, lang, 3, sums));
    }
    let cols = impact_cols(vec![
        col("项目", "program"),
        col("项目代码", "program_code"),
        col("类别", "kind"),
    ]);
    table(&mut book, "项目", &cols, rows, Some(lang))?;
    let rows: Vec<Vec<Cell>> = (cmp.towns.iter())
        .map(|t| {
            let mut r: Vec<Cell> = vec![
                t.town.clone().into(),
                t.impact.program.name(lang).into(),
                t.impact.program.kind().code().into(),
            ];
            r.extend(impact(&t.impact));
            r
        })
        .collect();
    let cols = impact_cols(vec![
        col("镇", "town"),
        col("项目", "program"),
        col("类别", "kind"),
    ]);
    table(&mut book, "镇", &cols, rows, Some(lang))?;
    let mut gainers: Vec<(String, i128, i128)> = Vec::new();
    let rows: Vec<Vec<Cell>> = (cmp.changed.iter())
        .map(|c| {
            let name = c.program.name(lang).to_owned();
            let diff = c.difference();
            let slot = match gainers.iter().position(|g| g.0 == name) {
                Some(i) => i,
                None => {
                    gainers.push((name.clone(), 0, 0));
                    gainers.len().saturating_sub(1)
                }
            };
            if let Some(g) = gainers.get_mut(slot) {
                if diff > Decimal::ZERO {
                    g.1 = g.1.saturating_add(1);
                } else if diff < Decimal::ZERO {
                    g.2 = g.2.saturating_sub(1);
                }
            }
            vec![
                name.into(),
                c.subject_id.clone().into(),
                c.town.clone().into(),
                result(matches!(c.before, Outcome::Eligible { .. }), lang).into(),
                result(matches!(c.after, Outcome::Eligible { .. }), lang).into(),
                c.amount_before().into(),
                c.amount_after().into(),
                Cell::Money(diff),
                reason_labels(&c.before, lang).into(),
                reason_labels(&c.after, lang).into(),
            ]
        })
        .collect();
    let cols = [
        col("项目", "program"),
        col("对象", "subject_id"),
        col("镇", "town"),
        col("调整前", "before"),
        col("调整后", "after"),
        col("调整前金额", "amount_before"),
        col("调整后金额", "amount_after"),
        col("差额", "difference"),
        col("调整前原因", "reasons_before"),
        col("调整后原因", "reasons_after"),
    ];
    table(&mut book, "变化", &cols, rows, Some(lang))?;
    let rows: Vec<Vec<Cell>> = (gainers.iter())
        .map(|(p, up, down)| vec![p.clone().into(), Cell::Int(*up), Cell::Int(*down)])
        .collect();
    let cols = [
        col("项目", "program"),
        col("增加人数", "gainers"),
        col("减少人数 (负数)", "losers"),
    ];
    table(&mut book, "增减", &cols, rows, Some(lang))?;
    if !gainers.is_empty() {
        let last = row_num(gainers.len());
        let mut chart = Chart::new(ChartType::Bar);
        chart.set_width(720).set_height(360);
        for (c, name) in [(1u16, "增加人数"), (2, "减少人数")] {
            chart
                .add_series()
                .set_name(name)
                .set_categories(("增减", 1, 0, last, 0))
                .set_values(("增减", 1, c, last, c));
        }
        chart.title().set_name(match lang {
            Lang::Zh => "政策调整的受益与受损人数",
            Lang::En => "Gainers and losers per program",
        });
        let ws = book.worksheet_from_name("增减")?;
        ws.insert_chart(row_num(gainers.len().saturating_add(3)), 1, &chart)?;
    }
    let mut note = vec![
        vec!["调整前政策".into(), "base".into(), cmp.base.clone().into()],
        vec![
            "调整后政策".into(),
            "reformed".into(),
            cmp.reformed.clone().into(),
        ],
        vec!["截至日期".into(), "as_of".into(), Cell::Date(cmp.as_of)],
    ];
    if let Some(r) = receipt {
        note.push(vec![
            "软件版本".into(),
            "crate_version".into(),
            r.crate_version.into(),
        ]);
        note.push(vec![
            "调整前政策参数 SHA-256".into(),
            "policy_sha256".into(),
            r.policy_sha256.clone().into(),
        ]);
        receipt_files(&mut note, r);
    }
    table(
        &mut book,
        "回执",
        &[col("项目", "item"), col("代码", "key"), col("值", "value")],
        note,
        Some(lang),
    )?;
    book.save_to_buffer()
}

/// Rows of the template's sheets that carry formats and drop-down lists.
const TEMPLATE_ROWS: u32 = 5000;

/// The template's description of a column type.
fn type_note(ty: Ty) -> String {
    match ty {
        Ty::Id => "文本, 必填 (编号不能重复)".to_owned(),
        Ty::Text => "文本".to_owned(),
        Ty::Bool => "true 或 false (下拉选择); 空白为 false".to_owned(),
        Ty::Date => "日期 (2020-03-01); 空白为无".to_owned(),
        Ty::Money => "金额, 元, 不为负 (1234.50)".to_owned(),
        Ty::Count => "非负整数; 空白为 0".to_owned(),
        Ty::Year => "年份 (2020)".to_owned(),
        Ty::Month => "月份, 文本 YYYY-MM (2020-03)".to_owned(),
        Ty::Code(codes) => format!("下拉选择: {}", codes.join(" / ")),
    }
}

/// The empty roster workbook for clerks: the instructions sheet (说明), then one sheet per
/// table under its Chinese name, every column with its label and code, a format for its
/// type (text for ids, `0.00` for money, dates as dates) and, for enum and boolean columns,
/// a drop-down list of the accepted codes; money and counts refuse negative input.
/// [`io::read_data`](crate::io::read_data) reads it back as an empty roster.
///
/// With `files`, each table's CSV rows are filled in, every cell typed as its column is
/// (a CSV folder made into a workbook): it reads back as the same roster. The files are
/// read by the one reader (decoding, header, quoting, blank rows, as `--data` reads them),
/// but their cells are not checked here: a clerk may make a workbook of a file to correct
/// it in Excel; `--data` checks the workbook, naming its sheet, row and column.
///
/// ```
/// use jiuye_fupin::xlsx;
/// let bytes = xlsx::template(None)?;
/// assert!(bytes.starts_with(b"PK"));
/// let bad = jiuye_fupin::io::RosterFiles { laborers: Some(b"id,town\nL1,x\n"), ..Default::default() };
/// let e = xlsx::template(Some(&bad)).unwrap_err();
/// assert!(e.to_string().contains("laborers.csv"), "{e}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`TemplateError::Input`] for a file of `files` that cannot be read as its format (not
/// UTF-8 or GB18030, a missing or repeated column, a record with too many or too few
/// fields), each problem naming the file (`laborers.csv`) and line;
/// [`TemplateError::Write`] from the writer.
pub fn template(files: Option<&crate::io::RosterFiles<'_>>) -> Result<Vec<u8>, TemplateError> {
    let names = crate::io::files::ALL.map(str::to_owned);
    build_template(files.map(|f| (f, &names)))
}

/// [`template`] of a data folder's files, read from `dir`: each problem names its file as
/// `dir/laborers.csv`.
///
/// ```
/// use jiuye_fupin::{io::RosterFiles, xlsx};
/// let bad = RosterFiles { enterprises: Some(b"id\nE1\n"), ..Default::default() };
/// let e = xlsx::template_from(&bad, "town1".as_ref()).unwrap_err();
/// assert!(e.to_string().contains("town1/enterprises.csv"), "{e}");
/// ```
///
/// # Errors
/// As [`template`].
pub fn template_from(
    files: &crate::io::RosterFiles<'_>,
    dir: &std::path::Path,
) -> Result<Vec<u8>, TemplateError> {
    let names = crate::io::files::ALL.map(|f| dir.join(f).display().to_string());
    build_template(Some((files, &names)))
}

/// Why a template could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A file to fill it with cannot be read as its format.
    #[error("{0}")]
    Input(#[from] crate::io::InputErrors),
    /// The workbook could not be written.
    #[error(transparent)]
    Write(#[from] XlsxError),
}

impl TemplateError {
    /// The error in `lang` (the writer's own message stays as it is).
    ///
    /// ```
    /// use jiuye_fupin::{Lang, io::RosterFiles, xlsx};
    /// let bad = RosterFiles { laborers: Some(b"id,town\nL1,x\n"), ..Default::default() };
    /// let e = xlsx::template(Some(&bad)).unwrap_err();
    /// assert!(e.render(Lang::Zh).contains("laborers.csv"));
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        match self {
            TemplateError::Input(e) => e.render(lang),
            TemplateError::Write(e) => e.to_string(),
        }
    }
}

fn build_template(
    files: Option<(&crate::io::RosterFiles<'_>, &[String; 6])>,
) -> Result<Vec<u8>, TemplateError> {
    let f = Formats::default();
    let text = Format::new().set_num_format("@");
    let count = Format::new().set_num_format("0");
    let mut book = workbook()?;
    let specs = table_specs();
    instructions(&mut book, &specs)?;
    let contents = files.map(|(f, names)| (f.all(), names));
    let mut errors = crate::io::Collector::default();
    for (i, spec) in specs.iter().enumerate() {
        let ws = book.add_worksheet();
        ws.set_name(spec.zh)?;
        for (c, (code, label, ty)) in spec.columns.iter().enumerate() {
            let c = col_num(c);
            let header = header_text(&col(label, code));
            ws.write_string_with_format(0, c, &header, &f.header)?;
            let w = width(&header).max(12).saturating_add(2);
            ws.set_column_width(c, u32::try_from(w).unwrap_or(14))?;
            let format = match ty {
                Ty::Money => Some(&f.money),
                Ty::Date => Some(&f.date),
                Ty::Count | Ty::Year => Some(&count),
                Ty::Bool => None,
                Ty::Id | Ty::Text | Ty::Month | Ty::Code(_) => Some(&text),
            };
            if let Some(format) = format {
                ws.set_column_format(c, format)?;
            }
            if let Some(v) = validation(*ty, label)? {
                ws.add_data_validation(1, c, TEMPLATE_ROWS, c, &v)?;
            }
        }
        ws.set_row_height(0, 32)?;
        ws.set_freeze_panes(1, 1)?;
        print_setup(ws)?;
        let last = col_num(spec.columns.len().saturating_sub(1));
        ws.autofilter(0, 0, 0, last)?;
        let Some((contents, names)) = &contents else {
            continue;
        };
        if let (Some(Some(bytes)), Some(name)) = (contents.get(i), names.get(i)) {
            let rows = match i {
                0 => rows::<records::Laborers>(spec, bytes, name, &mut errors),
                1 => rows::<records::Enterprises>(spec, bytes, name, &mut errors),
                2 => rows::<records::Posts>(spec, bytes, name, &mut errors),
                3 => rows::<records::Loans>(spec, bytes, name, &mut errors),
                4 => rows::<records::Centers>(spec, bytes, name, &mut errors),
                _ => rows::<records::PostMonths>(spec, bytes, name, &mut errors),
            };
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row {
                    put(ws, &f, row_num(r.saturating_add(1)), col_num(*c), cell)?;
                }
            }
        }
    }
    errors.check()?;
    Ok(book.save_to_buffer()?)
}

/// The drop-down list or the bound of a column, with its Chinese prompt.
fn validation(ty: Ty, label: &str) -> Result<Option<rust_xlsxwriter::DataValidation>, XlsxError> {
    use rust_xlsxwriter::{DataValidation, DataValidationRule};
    let v = match ty {
        Ty::Bool => DataValidation::new().allow_list_strings(&["true", "false"])?,
        Ty::Code(codes) => DataValidation::new().allow_list_strings(codes)?,
        Ty::Money => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
        Ty::Count => {
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        }
        Ty::Id | Ty::Text | Ty::Date | Ty::Year | Ty::Month => return Ok(None),
    };
    let v = v
        .set_input_title(label)?
        .set_input_message(type_note(ty))?
        .set_error_title(label)?
        .set_error_message(type_note(ty))?;
    Ok(Some(v))
}

/// The instructions sheet (说明).
fn instructions(book: &mut Workbook, specs: &[TableSpec; 6]) -> Result<(), XlsxError> {
    let mut rows: Vec<Vec<Cell>> = vec![
        vec![
            "使用说明".into(),
            "".into(),
            "".into(),
            "每张表第一行为表头, 请勿修改; 从第二行起每行一条记录。空白行会被忽略。".into(),
        ],
        vec![
            "".into(),
            "".into(),
            "".into(),
            "工作表可用中文名或英文名 (如 劳动力 或 laborers); 本说明表不会被读取。".into(),
        ],
        vec![
            "".into(),
            "".into(),
            "".into(),
            "编号类列请按文本填写 (长数字编号勿用数值格式, 以免丢失位数)。".into(),
        ],
        vec![
            "".into(),
            "".into(),
            "".into(),
            "多个村或镇的文件可一并提交: 同一人员在两份文件中出现会报错, 不会重复发放。".into(),
        ],
    ];
    for spec in specs {
        for (code, label, ty) in &spec.columns {
            rows.push(vec![
                format!("{} ({})", spec.zh, spec.en).into(),
                (*label).into(),
                (*code).into(),
                type_note(*ty).into(),
            ]);
        }
    }
    let cols = [
        col("工作表", "sheet"),
        col("列", "label"),
        col("代码", "code"),
        col("填写要求", "rule"),
    ];
    table(book, "说明", &cols, rows, None).map(drop)
}

/// A CSV file's records as a template sheet's rows (each its non-blank cells with their
/// columns, typed as the column is), read by the one reader ([`records::read_records`]);
/// every problem goes to `errors`.
fn rows<K: records::Kind>(
    spec: &TableSpec,
    csv: &[u8],
    name: &str,
    errors: &mut crate::io::Collector,
) -> Vec<Vec<(usize, Cell)>> {
    let mut rows = Vec::new();
    let options = crate::io::ReadOptions::default();
    records::read_records::<K>(csv, name, &options, errors, |cells, _| {
        let mut row = Vec::new();
        for (k, (_, _, ty)) in spec.columns.iter().enumerate() {
            // An id keeps its bytes (POLICY.md reading 12); other cells are trimmed, as
            // the reader trims them.
            let trimmed = records::text(cells, k);
            let value = if matches!(ty, Ty::Id) {
                cells.text(cells.get(k))
            } else {
                trimmed
            };
            if trimmed.is_empty() {
                continue;
            }
            // A cell no sheet can hold is refused here, naming the file, line and column
            // (the writer would know only the sheet's row).
            let chars = value.chars().count();
            if chars > CELL_CHARS {
                let shown: String = value.chars().take(40).collect();
                return Err(records::CellFault {
                    column: k,
                    value: Some(format!("{shown}…")),
                    problem: crate::io::Problem::TooLongForSheet { chars },
                });
            }
            row.push((k, typed(*ty, value)));
        }
        rows.push(row);
        Ok(())
    });
    rows
}

/// A CSV cell as the template types it: a number, a date or a boolean where its column is
/// one and the text reads as one exactly; text otherwise (then read back as the same text).
///
/// Only plain digits (with a point, for money) are typed: what `str::parse` reads beyond
/// them (`1E2`, `+5`), and the reader refuses, stays text, so that `--data` refuses the
/// workbook's cell as it refuses the file's (typed, `1E2` was the number 100, and paid).
fn typed(ty: Ty, value: &str) -> Cell {
    let text = || Cell::Text(value.to_owned());
    let digits = |point: bool| {
        let ends = |b: Option<&u8>| b.is_some_and(u8::is_ascii_digit);
        ends(value.as_bytes().first())
            && ends(value.as_bytes().last())
            && (value.bytes()).all(|b| b.is_ascii_digit() || (point && b == b'.'))
    };
    match ty {
        Ty::Money if digits(true) => value
            .parse::<Decimal>()
            .map_or_else(|_| text(), Cell::Money),
        Ty::Count | Ty::Year if digits(false) => value
            .parse::<u32>()
            .map_or_else(|_| text(), |n| Cell::Int(i128::from(n))),
        Ty::Money | Ty::Count | Ty::Year => text(),
        Ty::Date => value
            .parse::<NaiveDate>()
            .ok()
            .filter(|d| d.format("%Y-%m-%d").to_string() == value)
            .map_or_else(text, Cell::Date),
        Ty::Bool => match value {
            "true" => Cell::Bool(true),
            "false" => Cell::Bool(false),
            _ => text(),
        },
        Ty::Id | Ty::Text | Ty::Month | Ty::Code(_) => text(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};

    #[test]
    fn rows_beyond_a_sheet_go_on_in_numbered_sheets_each_with_the_header() {
        let cols = [col("对象", "subject_id"), col("金额", "amount")];
        let rows: Vec<Vec<Cell>> = (0..5)
            .map(|i| vec![format!("L{i}").into(), Cell::Int(i)])
            .collect();
        let mut book = workbook().unwrap();
        let sheets = table_in_sheets(&mut book, "明细", &cols, rows.clone(), 2, None).unwrap();
        let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["明细", "明细 (2)", "明细 (3)"]);
        assert_eq!(
            sheets.iter().map(|&(_, n)| n).collect::<Vec<_>>(),
            [2, 2, 1]
        );
        let bytes = book.save_to_buffer().unwrap();
        let mut read: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let mut ids = Vec::new();
        for name in names {
            let range = read.worksheet_range(name).unwrap();
            let mut lines = range.rows();
            assert_eq!(lines.next().unwrap()[0].to_string(), "对象 (subject_id)");
            ids.extend(lines.map(|r| r[0].to_string()));
        }
        assert_eq!(ids, ["L0", "L1", "L2", "L3", "L4"]);
        let mut empty = workbook().unwrap();
        let one = table_in_sheets(&mut empty, "明细", &cols, Vec::new(), 2, None).unwrap();
        assert_eq!(one, [("明细".to_owned(), 0)]);
        // Rows that fill their last sheet exactly leave no empty sheet after it.
        let mut full = workbook().unwrap();
        let two =
            table_in_sheets(&mut full, "明细", &cols, rows.into_iter().take(4), 2, None).unwrap();
        assert_eq!(two, [("明细".to_owned(), 2), ("明细 (2)".to_owned(), 2)]);
    }

    /// A payouts list over several sheets (three rows a sheet here, 1,048,575 in a real
    /// workbook) is summed across all of them by the receipt's check, which finds them by the
    /// same naming: its totals agree, and a row moved out of the list would not.
    #[test]
    fn a_payouts_list_over_several_sheets_is_summed_whole_by_verify() {
        use crate::io::workbook::{PAYOUTS_LIST, is_table_sheet};
        use crate::receipt::{FileRecord, TotalsStatus, TotalsVerdict, verify_totals};
        let policy = crate::Policy::yang_county_2020();
        let roster = crate::sample::roster();
        let engine = crate::Engine::new(&policy);
        let eval = engine
            .evaluate(&roster, "2020-04-01".parse().unwrap())
            .unwrap();
        let mut receipt = Receipt::new(&policy, eval.as_of);
        receipt.totals = Some(eval.totals.clone());
        let bytes = payouts_in_sheets(&eval, &roster, &receipt, Lang::Zh, 3).unwrap();
        let read: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let lists: Vec<String> = (read.sheet_names().into_iter())
            .filter(|n| is_table_sheet(n, PAYOUTS_LIST))
            .collect();
        let sheets = eval.decisions.len().div_ceil(3);
        assert!(sheets >= 3, "{sheets}");
        assert_eq!((lists.len(), lists[1].as_str()), (sheets, "发放清单 (2)"));

        let dir = std::env::temp_dir().join(format!("jiuye-xlsx-sheets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("payouts.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        receipt.outputs.push(FileRecord::of(&path).unwrap());
        let verdict = verify_totals(&receipt.to_toml(), &dir).unwrap();
        // Every row counts in its program's subjects: a check that missed a sheet would differ.
        let TotalsVerdict::Checked(checks) = verdict else {
            panic!("{verdict:?}")
        };
        assert_eq!(checks[0].status, TotalsStatus::Agree);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_table_s_sheets_are_told_by_their_one_naming() {
        use crate::io::workbook::{is_table_sheet, table_sheet};
        assert_eq!(
            [table_sheet("户", 1), table_sheet("户", 12)],
            ["户", "户 (12)"]
        );
        for k in 1..30 {
            assert!(is_table_sheet(&table_sheet("发放清单", k), "发放清单"));
        }
        for other in [
            "发放清单 (1)",
            "发放清单 (02)",
            "发放清单 (x)",
            "发放清单(2)",
            "汇总",
            "发放清单 (2",
        ] {
            assert!(!is_table_sheet(other, "发放清单"), "{other}");
        }
    }

    #[test]
    fn a_total_sums_every_sheet_of_its_level() {
        assert_eq!(sum_of("J", &[("户".into(), 40)]), "=SUM(J2:J41)");
        assert_eq!(
            sum_of("J", &[("户".into(), SHEET_ROWS - 1), ("户 (2)".into(), 6)]),
            "=SUM('户'!J2:J1048575,'户 (2)'!J2:J7)"
        );
    }
}
