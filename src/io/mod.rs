//! CSV interchange: `laborers.csv`, `enterprises.csv`, `posts.csv` in, `payouts.csv` out,
//! exactly as POLICY.md specifies.
//!
//! Reading is strict and says where: every problem is an [`InputError`] naming the file,
//! line, column and value (`laborers.csv line 14, column transport_cost: "-3.00" is
//! negative`), in English or Chinese ([`InputError::render`]). Reading does not stop at the
//! first problem: a clerk fixing a spreadsheet wants them all, so every file is read to the
//! end and every problem is reported ([`InputErrors`], up to [`InputErrors::LIMIT`]); no
//! roster is produced while any remains. Nothing is skipped silently: the only rows passed
//! over are empty ones (every cell blank).
//!
//! Real-world files: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8" writes
//! one), CRLF or LF line ends, a trailing blank line, cells with surrounding spaces (ASCII or
//! the ideographic space `U+3000`), full-width digits in numbers and dates (`１２３．５`).
//! A file in GBK/GB18030 (Chinese Excel's default "CSV") is decoded when its start is not
//! UTF-8 and decodes as GB18030 without a malformed sequence ([`decoded_encoding`]); bytes
//! that are neither are **refused**, never read as garbage: the error says so and how to
//! fix it (save as "CSV UTF-8").
//!
//! Conventions (POLICY.md, and the baselines' readings): a header row; columns found by
//! name, in any order, extra columns ignored (`name` is read when present); cells trimmed;
//! an empty cell is "none": `false`, `0`, no date, the enum's `none`/`other`, and for
//! `transport_cost` no documented cost. Booleans are `true`/`false`, dates `YYYY-MM-DD`,
//! money plain decimals (`1234.5`, no sign or separators), counts whole numbers `>= 0`.
//! `id` and a post's `holder_id` are required.
//!
//! ```
//! use jiuye_fupin::io::{parse_roster, InputError};
//!
//! let laborers = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date
//! L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,-3.00,,,false,
//! ";
//! let err = parse_roster(Some(laborers.as_bytes()), None, None).unwrap_err();
//! assert_eq!(err.to_string(), "laborers.csv line 2, column transport_cost: \"-3.00\" is negative");
//! assert_eq!(err.first().render(jiuye_fupin::Lang::Zh), "laborers.csv 第 2 行, transport_cost 列: \"-3.00\" 为负数");
//! ```

pub(crate) mod cells;
pub(crate) mod chunks;
mod decode;
mod options;
pub(crate) mod read;
pub(crate) mod records;
pub(crate) mod split;
pub mod workbook;
pub(crate) mod write;

use std::path::{Path, PathBuf};

use crate::file::hex_bytes;

pub use decode::{decoded_encoding, decoded_text};
pub use options::{Encoding, ReadOptions, UnknownEncoding};
pub use read::{
    CENTER_COLUMNS, ENTERPRISE_COLUMNS, LABORER_COLUMNS, LOAN_COLUMNS, Origin, Origins,
    POST_COLUMNS, POST_MONTH_COLUMNS, RosterFiles, parse_date, parse_roster, parse_roster_files,
    parse_roster_files_with, read_data, read_data_traced, read_data_with, read_roster_dir,
};
pub(crate) use read::{
    Source, ctr, date_of, ent, iso_date_digits, lab, loan, looks_like_gbk, pm, pst, read_sources,
    read_sources_traced, roster,
};
pub use write::{
    FINDINGS_HEADER, PAYOUTS_HEADER, WriteError, write_findings, write_findings_in, write_payouts,
};

/// What is wrong with a cell.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A required cell is empty.
    #[error("is empty, but a value is required")]
    Empty,
    /// Not one of the enum's codes.
    #[error("is not one of: {}", expected.join(", "))]
    UnknownValue {
        /// The accepted codes.
        expected: &'static [&'static str],
    },
    /// Not `true` or `false`.
    #[error("is not true or false")]
    BadBool,
    /// Not a real date written `YYYY-MM-DD`.
    #[error("is not a date (YYYY-MM-DD)")]
    BadDate,
    /// Not a non-negative amount.
    #[error("{}", money_problem(.0))]
    BadAmount(crate::money::MoneyError),
    /// Not a whole number `>= 0`.
    #[error("is not a whole number >= 0")]
    BadCount,
    /// A whole number above the largest count, 4,294,967,295 (`u32::MAX`).
    #[error("is larger than 4294967295, the largest count")]
    CountTooLarge,
    /// An id that appeared before.
    #[error("appears twice (first on line {first_line})")]
    DuplicateId {
        /// The line of the first occurrence.
        first_line: u64,
    },
    /// An id that appeared before in the same workbook sheet.
    #[error("appears twice (first on row {first_row})")]
    DuplicateRow {
        /// The sheet's row of the first occurrence, as Excel numbers it.
        first_row: u64,
    },
    /// An id that another source (another file, sheet or workbook of the same run) holds
    /// too: the same person, laborer or record reported twice (POLICY.md reading 12).
    #[error("appears twice (first in {first})")]
    DuplicateIn {
        /// Where it appears first: the source and its line or row.
        first: Box<Location>,
    },
    /// A workbook's error cell (`#DIV/0!`, `#N/A`): a formula that failed, not a value.
    #[error("is a spreadsheet error (a formula that failed), not a value")]
    SpreadsheetError,
    /// A workbook's formula cell saved without its value (a program that wrote the formula
    /// but never computed it): read as empty, it would decide on nothing.
    #[error("is a formula saved without its value: open the workbook in Excel or WPS and save it")]
    FormulaWithoutValue,
    /// A cell of a workbook's merged area (`E2:E3`): Excel keeps the value in the area's
    /// first cell only, and every other cell would read as empty.
    #[error("is in merged cells {cells}: unmerge them and fill in every cell")]
    MergedCells {
        /// The merged area, as Excel names it (`E2:E3`).
        cells: String,
    },
    /// A reference to a post that is not in `posts.csv`.
    #[error("is not an id in posts.csv")]
    UnknownPost,
    /// Not a year of four digits.
    #[error("is not a year (YYYY)")]
    BadYear,
    /// Not a month `YYYY-MM`.
    #[error("is not a month (YYYY-MM)")]
    BadMonth,
    /// An id with a control or invisible format character (POLICY.md reading 12).
    #[error("holds an invisible or control character (U+{:04X}); retype the id", u32::from(*.0))]
    InvisibleChar(char),
    /// More layoffs than insured employees.
    #[error("is more than insured_headcount ({headcount})")]
    LayoffsExceedHeadcount {
        /// The insured headcount.
        headcount: u32,
    },
    /// A JSON record's id that appeared before, in the same list.
    #[error("appears twice (first at index {first_index})")]
    DuplicateAt {
        /// The index of the first occurrence.
        first_index: u64,
    },
    /// A JSON number where an amount is expected: amounts are strings, so that no float
    /// ever holds one.
    #[error(
        "is a JSON number; write an amount as a string, like \"523.40\", so that no float rounds it"
    )]
    MoneyNumber,
    /// A JSON field of another type than its column's.
    #[error("is not {}", expected.en())]
    JsonType {
        /// The JSON type expected.
        expected: JsonType,
    },
    /// A JSON field that is no column of its list.
    #[error("is not a field of this list (expected one of: {})", expected.join(", "))]
    UnknownField {
        /// The fields of the list.
        expected: Vec<&'static str>,
    },
    /// A date, amount or count written as a clerk's spreadsheet writes it
    /// ([`ReadOptions::clerk_formats`]), but in a form that cannot be read for sure.
    #[error("{}", .0.en())]
    Ambiguous(Ambiguity),
    /// Text longer than a workbook's cell holds (32,767 characters), for the template made
    /// from a data folder (`template --from`): refused naming the file, line and column, as
    /// a CSV cell may hold up to 1 MiB.
    #[error(
        "has {chars} characters, more than an Excel cell holds (32,767): shorten it, or keep the file as CSV"
    )]
    TooLongForSheet {
        /// The characters of the cell.
        chars: usize,
    },
}

/// Why a clerk's form of a cell is refused ([`Problem::Ambiguous`]).
///
/// ```
/// use jiuye_fupin::io::{Ambiguity, Problem};
/// let p = Problem::Ambiguous(Ambiguity::YearLast);
/// assert!(p.to_string().contains("write the year first, like 2020-03-01"));
/// assert!(p.zh().contains("请把年份写在前面"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ambiguity {
    /// A date with the year last (`3/1/2020`): month/day/year or day/month/year?
    YearLast,
    /// A date with a time of day other than midnight (`2020/3/1 8:30`).
    TimeOfDay,
    /// Thousands separators that are not in groups of three (`1,23.4`, `1234,567`).
    Grouping,
}

impl Ambiguity {
    fn en(self) -> &'static str {
        match self {
            Ambiguity::YearLast => {
                "is ambiguous (month/day/year or day/month/year?); write the year first, like 2020-03-01 or 2020/3/1"
            }
            Ambiguity::TimeOfDay => {
                "has a time of day; write the date alone, like 2020-03-01 (a midnight time, 0:00, is accepted)"
            }
            Ambiguity::Grouping => {
                "has thousands separators out of place; group the digits by three, like 1,234.50, or write none, like 1234.50"
            }
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Ambiguity::YearLast => {
                "有歧义 (月/日/年还是日/月/年?); 请把年份写在前面, 如 2020-03-01 或 2020/3/1"
            }
            Ambiguity::TimeOfDay => "带有时刻; 请只写日期, 如 2020-03-01 (零点 0:00 可以)",
            Ambiguity::Grouping => {
                "千位分隔符位置不对; 请每三位一组, 如 1,234.50, 或不写分隔符, 如 1234.50"
            }
        }
    }
}

/// The JSON type of a field (see [`Problem::JsonType`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonType {
    /// `true` or `false`.
    Boolean,
    /// A whole number.
    Integer,
    /// A string.
    String,
}

impl JsonType {
    fn en(self) -> &'static str {
        match self {
            JsonType::Boolean => "a JSON boolean (true or false)",
            JsonType::Integer => "a JSON integer",
            JsonType::String => "a JSON string",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            JsonType::Boolean => "JSON 布尔值 (true 或 false)",
            JsonType::Integer => "JSON 整数",
            JsonType::String => "JSON 字符串",
        }
    }
}

impl Problem {
    /// The problem in Chinese.
    pub fn zh(&self) -> String {
        use crate::money::MoneyError as M;
        match self {
            Problem::Empty => "为空, 但此列必须填写".to_owned(),
            Problem::UnknownValue { expected } => format!("不是以下之一: {}", expected.join(", ")),
            Problem::BadBool => "不是 true 或 false".to_owned(),
            Problem::BadDate => "不是日期 (YYYY-MM-DD)".to_owned(),
            Problem::BadAmount(M::Negative(_)) => "为负数".to_owned(),
            Problem::BadAmount(M::TooLarge(_)) => "有效数字超过 28 位, 无法精确计算".to_owned(),
            Problem::BadAmount(M::Overflow) => "金额过大, 无法精确计算".to_owned(),
            Problem::BadAmount(_) => "不是金额 (如 1234.50)".to_owned(),
            Problem::BadCount => "不是非负整数".to_owned(),
            Problem::CountTooLarge => "超过最大计数 4294967295".to_owned(),
            Problem::DuplicateId { first_line } => format!("重复 (首次出现在第 {first_line} 行)"),
            Problem::DuplicateRow { first_row } => format!("重复 (首次出现在第 {first_row} 行)"),
            Problem::DuplicateIn { first } => format!("重复 (首次出现在 {})", first.zh()),
            Problem::SpreadsheetError => "是公式错误值, 不是数据".to_owned(),
            Problem::FormulaWithoutValue => {
                "是未保存计算结果的公式: 请在 Excel 或 WPS 中打开并保存该工作簿".to_owned()
            }
            Problem::MergedCells { cells } => {
                format!("位于合并单元格 {cells} 中: 请取消合并并逐格填写")
            }
            Problem::UnknownPost => "不在 posts.csv 中".to_owned(),
            Problem::BadYear => "不是年份 (YYYY)".to_owned(),
            Problem::BadMonth => "不是月份 (YYYY-MM)".to_owned(),
            Problem::LayoffsExceedHeadcount { headcount } => format!("超过参保人数 ({headcount})"),
            Problem::DuplicateAt { first_index } => format!("重复 (首次出现在第 {first_index} 项)"),
            Problem::MoneyNumber => {
                "是 JSON 数字; 金额须写成字符串 (如 \"523.40\"), 以免被浮点数舍入".to_owned()
            }
            Problem::JsonType { expected } => format!("不是{}", expected.zh()),
            Problem::UnknownField { expected } => {
                format!("不是此列表的字段 (应为以下之一: {})", expected.join(", "))
            }
            Problem::Ambiguous(a) => a.zh().to_owned(),
            Problem::TooLongForSheet { chars } => format!(
                "有 {chars} 个字符, 超过 Excel 单元格上限 32767, 无法写入工作簿 (请缩短, 或保留为 CSV 文件)"
            ),
            Problem::InvisibleChar(c) => {
                format!(
                    "含有不可见字符或控制字符 (U+{:04X}), 请重新输入",
                    u32::from(*c)
                )
            }
        }
    }
}

/// Where a record is: a file and its line, or a workbook's sheet and its row.
///
/// ```
/// use jiuye_fupin::io::Location;
/// let at = Location { source: "town1.xlsx [劳动力]".into(), sheet: true, line: 3 };
/// assert_eq!(at.to_string(), "town1.xlsx [劳动力] row 3");
/// assert_eq!(at.zh(), "town1.xlsx [劳动力] 第 3 行");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file (`town1/laborers.csv`) or the workbook and sheet (`town1.xlsx [劳动力]`).
    pub source: String,
    /// `true` for a sheet's row, `false` for a file's line.
    pub sheet: bool,
    /// The line (the header is line 1) or the sheet's row number as Excel shows it.
    pub line: u64,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = if self.sheet { "row" } else { "line" };
        write!(f, "{} {unit} {}", self.source, self.line)
    }
}

impl Location {
    /// The location in Chinese.
    pub fn zh(&self) -> String {
        format!("{} 第 {} 行", self.source, self.line)
    }
}

/// What is wrong with a workbook given as `--data`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WorkbookProblem {
    /// The workbook cannot be opened or read (the reader's message).
    Unreadable(String),
    /// It holds none of the roster's sheets ([`workbook::SHEETS`]).
    NoSheets,
    /// Two of its sheets are the same file (`laborers` and `劳动力`).
    TwoSheets {
        /// The one read first.
        first: String,
        /// The other.
        second: String,
    },
    /// A sheet named like one of the roster's but for its case (`Laborers`).
    WrongCase {
        /// The name expected.
        expected: &'static str,
        /// The name found.
        found: String,
    },
    /// A sheet whose name begins with one of the roster's but goes on (`劳动力 (2)`, as
    /// Excel names a copied sheet): a copy or more of the table's rows, never skipped.
    NamedLike {
        /// The table's sheet name it begins with.
        expected: &'static str,
        /// The name found.
        found: String,
    },
}

impl std::fmt::Display for WorkbookProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorkbookProblem::Unreadable(m) => write!(f, "cannot be read as a workbook ({m})"),
            WorkbookProblem::NoSheets => {
                write!(f, "holds none of the sheets {}", workbook::sheet_list())
            }
            WorkbookProblem::TwoSheets { first, second } => write!(
                f,
                "sheets {first:?} and {second:?} are the same table; keep one"
            ),
            WorkbookProblem::WrongCase { expected, found } => {
                write!(
                    f,
                    "holds sheet {found:?}; it must be named {expected:?} exactly"
                )
            }
            WorkbookProblem::NamedLike { expected, found } => write!(
                f,
                "holds sheet {found:?}, named like {expected:?} but not exactly: a copy, or more of its rows? Keep every row in the one sheet {expected:?}, or rename this one (a sheet of another name is not read)"
            ),
        }
    }
}

impl WorkbookProblem {
    /// The problem in Chinese.
    pub fn zh(&self) -> String {
        match self {
            WorkbookProblem::Unreadable(m) => format!("无法作为工作簿读取 ({m})"),
            WorkbookProblem::NoSheets => {
                format!("其中没有以下任何工作表: {}", workbook::sheet_list())
            }
            WorkbookProblem::TwoSheets { first, second } => {
                format!("工作表 {first:?} 与 {second:?} 是同一张表, 请只保留一张")
            }
            WorkbookProblem::WrongCase { expected, found } => {
                format!("其中有工作表 {found:?}; 名称必须恰好是 {expected:?}")
            }
            WorkbookProblem::NamedLike { expected, found } => format!(
                "其中有工作表 {found:?}, 名称近似 {expected:?} 但不相同: 是副本或续表? 请把所有记录放在名为 {expected:?} 的一张表中, 或为此表改名 (其他名称的工作表不会被读取)"
            ),
        }
    }
}

fn money_problem(e: &crate::money::MoneyError) -> &'static str {
    use crate::money::MoneyError as M;
    match e {
        M::Negative(_) => "is negative",
        M::TooLarge(_) => "has more than 28 significant digits, more than exact arithmetic holds",
        M::Overflow => "is too large for exact arithmetic",
        _ => "is not an amount (digits with an optional decimal point, like 1234.50)",
    }
}

/// The longest record the reader takes: a line, or lines joined by line breaks inside
/// quotes (a roster's line is a few hundred bytes). Memory and time per record are bounded
/// by it, whatever the file holds.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The longest header the reader takes (a format's header is a few hundred bytes).
pub const MAX_HEADER_BYTES: usize = 64 << 10;

/// A size limit of the reader ([`InputError::TooLong`]).
///
/// ```
/// use jiuye_fupin::io::{Limit, MAX_RECORD_BYTES};
/// assert_eq!(Limit::Record.bytes(), MAX_RECORD_BYTES);
/// assert_eq!(Limit::Header.bytes(), 65_536);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`MAX_HEADER_BYTES`].
    Header,
    /// [`MAX_RECORD_BYTES`] (a cell is bounded by its record).
    Record,
}

impl Limit {
    /// The limit in bytes.
    pub const fn bytes(self) -> usize {
        match self {
            Limit::Header => MAX_HEADER_BYTES,
            Limit::Record => MAX_RECORD_BYTES,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Limit::Header => "the header",
            Limit::Record => "a record",
        }
    }

    fn what_zh(self) -> &'static str {
        match self {
            Limit::Header => "表头",
            Limit::Record => "记录",
        }
    }
}

/// An error while reading `file` (at `path`) in chunks: a UTF-16 file, a header or record
/// over its limit starting at `line`, or the operating system's error.
pub(crate) fn read_failure(
    path: std::path::PathBuf,
    file: &str,
    line: u64,
    source: std::io::Error,
) -> InputError {
    if decode::is_utf16(&source) {
        return InputError::Utf16 {
            file: file.to_owned(),
        };
    }
    if let Some(e) = decode::not_utf8(&source) {
        return e.input_error(file);
    }
    if let Some(e) = decode::not_gb18030(&source) {
        return InputError::NotGb18030 {
            file: file.to_owned(),
            line: e.line,
            bytes: e.bytes.clone(),
        };
    }
    match chunks::limit_of(&source) {
        Some(limit) => InputError::TooLong {
            file: file.to_owned(),
            line: if limit == Limit::Header { 1 } else { line },
            limit,
        },
        None => InputError::Io { path, source },
    }
}

/// What is wrong with a data folder (POLICY.md reading 13).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FolderProblem {
    /// It does not exist.
    Missing,
    /// It is not a folder.
    NotAFolder,
    /// It holds none of the interchange files.
    NoFiles,
    /// It holds `post_months.csv` alone, which only the audit reads: nothing to decide
    /// (for `payouts`; [`crate::batch::Inputs::dir`]).
    NothingToDecide,
    /// Neither `laborers.csv` nor `posts.csv`, the files the audit reads places and posts
    /// from (R9) and holds post months against (R10): nothing to audit, never a clean bill
    /// ([`audited_files`]).
    NothingToAudit,
    /// A file whose name differs from an expected one only in case (`Laborers.csv`).
    WrongCase {
        /// The name expected.
        expected: &'static str,
        /// The name found.
        found: String,
    },
    /// An expected name that is not a regular file (a folder, a dangling link, a device).
    NotAFile {
        /// The name.
        name: &'static str,
    },
}

impl std::fmt::Display for FolderProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FolderProblem::Missing => f.write_str("no such folder"),
            FolderProblem::NotAFolder => f.write_str("is not a folder"),
            FolderProblem::NoFiles => {
                write!(f, "holds none of {}", files::ALL.join(", "))
            }
            FolderProblem::NothingToDecide => write!(
                f,
                "holds {} alone, which only the audit reads: nothing to decide (expected at least one of {})",
                files::POST_MONTHS,
                decided_files().join(", ")
            ),
            FolderProblem::NothingToAudit => write!(
                f,
                "holds neither {} nor {}, which the audit reads: nothing to audit",
                files::LABORERS,
                files::POSTS
            ),
            FolderProblem::WrongCase { expected, found } => {
                write!(
                    f,
                    "holds {found:?}; the file must be named {expected:?} exactly"
                )
            }
            FolderProblem::NotAFile { name } => {
                write!(
                    f,
                    "{name} is not a regular file (a folder, a broken link or a device)"
                )
            }
        }
    }
}

impl FolderProblem {
    /// The problem in Chinese.
    pub fn zh(&self) -> String {
        match self {
            FolderProblem::Missing => "文件夹不存在".to_owned(),
            FolderProblem::NotAFolder => "不是文件夹".to_owned(),
            FolderProblem::NoFiles => format!("其中没有以下任何文件: {}", files::ALL.join(", ")),
            FolderProblem::NothingToDecide => format!(
                "其中只有 {} (仅供审核使用), 没有可决定的对象 (至少应有以下之一: {})",
                files::POST_MONTHS,
                decided_files().join(", ")
            ),
            FolderProblem::NothingToAudit => format!(
                "其中既没有 {} 也没有 {} (审核读取的文件), 没有可审核的对象",
                files::LABORERS,
                files::POSTS
            ),
            FolderProblem::WrongCase { expected, found } => {
                format!("其中有 {found:?}; 文件名必须恰好是 {expected:?}")
            }
            FolderProblem::NotAFile { name } => {
                format!("{name} 不是普通文件 (是文件夹、失效的链接或设备)")
            }
        }
    }
}

/// The interchange files whose records are decided: every file but `post_months.csv`.
fn decided_files() -> Vec<&'static str> {
    (files::ALL.iter().copied())
        .filter(|&f| f != files::POST_MONTHS)
        .collect()
}

/// Input that cannot be read, with where it is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A data folder that cannot be read as one (POLICY.md reading 13): nothing is reported
    /// as an empty success because an input was not found.
    #[error("data folder {}: {problem}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What is wrong.
        problem: FolderProblem,
    },
    /// A file that exists but cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A cell with a bad value.
    #[error("{file} line {line}, column {column}: {value:?} {problem}")]
    Cell {
        /// The file.
        file: String,
        /// 1-based line (the header is line 1).
        line: u64,
        /// The column's name.
        column: &'static str,
        /// The cell as written (trimmed).
        value: String,
        /// What is wrong.
        problem: Problem,
    },
    /// A cell of a workbook's sheet with a bad value (the same problems, in the same words,
    /// as [`InputError::Cell`] for the same text in a CSV file).
    #[error("{file} row {row}, column {} ({column}): {value:?} {problem}", workbook::column_letter(*.col))]
    SheetCell {
        /// The workbook and its sheet (`town1.xlsx [劳动力]`).
        file: String,
        /// The row as Excel numbers it.
        row: u64,
        /// The column's 0-based index in the sheet (`12`: Excel's column `M`).
        col: u32,
        /// The column's name.
        column: &'static str,
        /// The cell as read (its text, trimmed: see [`workbook`]).
        value: String,
        /// What is wrong.
        problem: Problem,
    },
    /// A workbook that cannot be read as a roster.
    #[error("workbook {}: {problem}", path.display())]
    Workbook {
        /// The workbook.
        path: PathBuf,
        /// What is wrong.
        problem: WorkbookProblem,
    },
    /// The header lacks a column of the format.
    #[error("{file}: the header has no column {column:?}")]
    MissingColumn {
        /// The file.
        file: String,
        /// The missing column.
        column: &'static str,
    },
    /// No header: the file is empty, or its first line names no column (one error instead
    /// of one per missing column).
    #[error(
        "{file}: no header (the file is empty, or its first line names no column); the first line must name the columns: {columns}"
    )]
    NoHeader {
        /// The file.
        file: String,
        /// The format's columns, in order, comma-separated (a header to copy).
        columns: String,
    },
    /// The header names a column twice.
    #[error("{file}: the header names column {column:?} twice")]
    DuplicateColumn {
        /// The file.
        file: String,
        /// The repeated column.
        column: String,
    },
    /// A file that is not UTF-8.
    #[error("{file} line {line}: the file is not UTF-8{}{}; save it as \"CSV UTF-8\" and try again",
        shown_bytes(bytes),
        if *looks_like_gbk { " (it looks like GBK/GB18030, what Chinese Excel saves by default)" } else { "" })]
    NotUtf8 {
        /// The file.
        file: String,
        /// The line of the first byte that is not UTF-8.
        line: u64,
        /// The bytes there look like GBK/GB18030.
        looks_like_gbk: bool,
        /// The first bytes that are not UTF-8 (at most 4; empty when not known).
        bytes: Vec<u8>,
    },
    /// A file read as GB18030 (`--encoding gb18030`, or GBK by its start) holding bytes that
    /// are not GB18030.
    #[error(
        "{file} line {line}: the file was read as GB18030 (GBK), but holds bytes that are not GB18030{}; save it as \"CSV UTF-8\" and try again",
        shown_bytes(bytes)
    )]
    NotGb18030 {
        /// The file.
        file: String,
        /// The line of the first byte that is not GB18030.
        line: u64,
        /// Those bytes (at most 4).
        bytes: Vec<u8>,
    },
    /// A header or a record longer than its limit ([`Limit`]): reading stops there, so that
    /// no file, however made, takes more memory or time than its size allows. An unclosed
    /// quote makes the rest of a file one record, and ends here.
    #[error("{file} line {line}: {} is longer than {} bytes, the limit{}", limit.what(), limit.bytes(),
        if *limit == Limit::Record { " (an unclosed quote \" makes the rest of a file one record)" } else { "" })]
    TooLong {
        /// The file.
        file: String,
        /// The line where the header or record starts.
        line: u64,
        /// Which limit.
        limit: Limit,
    },
    /// A record with another number of fields than the header (a short or long row, or a
    /// stray quote that joined or split cells).
    #[error("{file} line {line}: has {fields} fields, but the header has {expected}")]
    FieldCount {
        /// The file.
        file: String,
        /// 1-based line where the record starts.
        line: u64,
        /// Fields found.
        fields: usize,
        /// Columns of the header.
        expected: usize,
    },
    /// A file in UTF-16 (what Excel saves as "Unicode text"), not a CSV file.
    #[error(
        "{file}: the file is UTF-16 (Excel's \"Unicode text\", tab-separated), not CSV; save it as \"CSV UTF-8\" and try again"
    )]
    Utf16 {
        /// The file.
        file: String,
    },
    /// A line that is not valid CSV.
    #[error("{file} line {line}: {message}")]
    Malformed {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// What the CSV reader says.
        message: String,
    },
    /// A field of a JSON record with a bad value ([`crate::json`]), named by its list, its
    /// index in the list (0-based) and its id when the record has one.
    #[error("{0}")]
    Field(Box<FieldError>),
    /// A JSON document that is not a roster: not JSON, not an object, an unknown list, a
    /// list that is not an array or a record that is not an object.
    #[error("{at}: {problem}")]
    Json {
        /// Where (`body`, `laborers`, `laborers[3]`).
        at: String,
        /// What is wrong.
        problem: JsonProblem,
    },
}

/// A field of a JSON record with a bad value (see [`InputError::Field`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{list}[{index}]{}, field {field}: {value} {problem}", id_note(id.as_deref()))]
#[non_exhaustive]
pub struct FieldError {
    /// The list (`laborers`).
    pub list: &'static str,
    /// The record's index in the list, from 0.
    pub index: u64,
    /// The record's id, if it has a readable one.
    pub id: Option<String>,
    /// The field's name.
    pub field: String,
    /// The value as JSON (`null` when absent; cut after 200 characters).
    pub value: String,
    /// What is wrong.
    pub problem: Problem,
}

impl FieldError {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        format!(
            "{}[{}]{}, {} 字段: {} {}",
            self.list,
            self.index,
            id_note(self.id.as_deref()),
            self.field,
            self.value,
            self.problem.zh()
        )
    }
}

/// The bytes that are not UTF-8, as a message shows them: ` (bytes 0xC1 0xFA)`.
fn shown_bytes(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    format!(" (bytes {})", hex_bytes(bytes))
}

/// [`shown_bytes`] in Chinese.
fn shown_bytes_zh(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    format!(" (字节 {})", hex_bytes(bytes))
}

fn id_note(id: Option<&str>) -> String {
    id.map(|id| format!(" (id {id:?})")).unwrap_or_default()
}

/// What is wrong with a JSON document's shape (see [`InputError::Json`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonProblem {
    /// Not JSON: the parser's message, with its line and column.
    #[error("is not JSON: {0}")]
    Syntax(String),
    /// An object that gives a key twice (JSON parsers differ on which one counts; a CSV
    /// file's repeated column is refused too).
    #[error("gives the key {key:?} twice in one object (line {line}, column {column})")]
    RepeatedKey {
        /// The key.
        key: String,
        /// The line of its second mention.
        line: usize,
        /// The column where that mention ends.
        column: usize,
    },
    /// Not a JSON object.
    #[error("is not a JSON object")]
    NotObject,
    /// Not a JSON array.
    #[error("is not a JSON array")]
    NotArray,
    /// A key that is not one of the roster's lists.
    #[error("is not a list of a roster (expected one of: {})", files::LISTS.join(", "))]
    UnknownList,
    /// A roster with none of its lists: as a data folder with none of its files (POLICY.md
    /// reading 13), never an empty success. An empty list (`"laborers": []`) is a list.
    #[error("holds none of a roster's lists (expected at least one of: {})", files::LISTS.join(", "))]
    NoList,
}

impl JsonProblem {
    /// The problem in Chinese.
    pub fn zh(&self) -> String {
        match self {
            JsonProblem::Syntax(m) => format!("不是 JSON: {m}"),
            JsonProblem::RepeatedKey { key, line, column } => {
                format!("同一对象中键 {key:?} 出现了两次 (第 {line} 行, 第 {column} 列)")
            }
            JsonProblem::NotObject => "不是 JSON 对象".to_owned(),
            JsonProblem::NotArray => "不是 JSON 数组".to_owned(),
            JsonProblem::UnknownList => {
                format!("不是名册的列表 (应为以下之一: {})", files::LISTS.join(", "))
            }
            JsonProblem::NoList => {
                format!(
                    "没有名册的任何列表 (至少应有以下之一: {})",
                    files::LISTS.join(", ")
                )
            }
        }
    }
}

impl InputError {
    /// The line it names (0 for a problem of the whole file: a column, or reading it).
    pub fn line(&self) -> u64 {
        match self {
            InputError::Cell { line, .. }
            | InputError::TooLong { line, .. }
            | InputError::NotUtf8 { line, .. }
            | InputError::NotGb18030 { line, .. }
            | InputError::FieldCount { line, .. }
            | InputError::Malformed { line, .. } => *line,
            InputError::SheetCell { row, .. } => *row,
            _ => 0,
        }
    }

    /// The error in the clerk's language.
    ///
    /// ```
    /// use jiuye_fupin::io::{InputError, Problem};
    /// use jiuye_fupin::Lang;
    /// let e = InputError::Cell { file: "laborers.csv".into(), line: 14, column: "isolation_days",
    ///     value: "-2".into(), problem: Problem::BadCount };
    /// assert_eq!(e.render(Lang::Zh), "laborers.csv 第 14 行, isolation_days 列: \"-2\" 不是非负整数");
    /// assert_eq!(e.render(Lang::En), e.to_string());
    /// ```
    pub fn render(&self, lang: crate::Lang) -> String {
        if lang == crate::Lang::En {
            return self.to_string();
        }
        match self {
            InputError::Folder { path, problem } => {
                format!("数据文件夹 {}: {}", path.display(), problem.zh())
            }
            InputError::Io { path, source } => format!("无法读取 {}: {source}", path.display()),
            InputError::Cell {
                file,
                line,
                column,
                value,
                problem,
            } => {
                format!(
                    "{file} 第 {line} 行, {column} 列: {value:?} {}",
                    problem.zh()
                )
            }
            InputError::SheetCell {
                file,
                row,
                col,
                column,
                value,
                problem,
            } => format!(
                "{file} 第 {row} 行, {} 列 ({column}): {value:?} {}",
                workbook::column_letter(*col),
                problem.zh()
            ),
            InputError::Workbook { path, problem } => {
                format!("工作簿 {}: {}", path.display(), problem.zh())
            }
            InputError::MissingColumn { file, column } => format!("{file}: 表头缺少 {column:?} 列"),
            InputError::NoHeader { file, columns } => {
                format!("{file}: 没有表头(文件为空,或第一行没有列名);第一行应为列名:{columns}")
            }
            InputError::DuplicateColumn { file, column } => {
                format!("{file}: 表头中 {column:?} 列重复")
            }
            InputError::NotUtf8 {
                file,
                line,
                looks_like_gbk,
                bytes,
            } => format!(
                "{file} 第 {line} 行: 文件不是 UTF-8 编码{}{}; 请在 Excel 中另存为 \"CSV UTF-8 (逗号分隔)\" 后重试",
                shown_bytes_zh(bytes),
                if *looks_like_gbk {
                    " (看起来是 GBK/GB18030, 即中文 Excel 默认的 CSV 格式)"
                } else {
                    ""
                }
            ),
            InputError::NotGb18030 { file, line, bytes } => format!(
                "{file} 第 {line} 行: 文件按 GB18030 (GBK) 编码读取, 但含有不是 GB18030 的字节{}; 请在 Excel 中另存为 \"CSV UTF-8 (逗号分隔)\" 后重试",
                shown_bytes_zh(bytes)
            ),
            InputError::FieldCount {
                file,
                line,
                fields,
                expected,
            } => format!("{file} 第 {line} 行: 有 {fields} 个字段, 而表头有 {expected} 列"),
            InputError::Utf16 { file } => format!(
                "{file}: 文件是 UTF-16 编码 (Excel 的 \"Unicode 文本\", 以制表符分隔), 不是 CSV; 请在 Excel 中另存为 \"CSV UTF-8 (逗号分隔)\" 后重试"
            ),
            InputError::Malformed {
                file,
                line,
                message,
            } => format!("{file} 第 {line} 行: 格式错误 ({message})"),
            InputError::Field(f) => f.zh(),
            InputError::Json { at, problem } => format!("{at}: {}", problem.zh()),
            InputError::TooLong { file, line, limit } => format!(
                "{file} 第 {line} 行: {}超过 {} 字节的上限{}",
                limit.what_zh(),
                limit.bytes(),
                if *limit == Limit::Record {
                    " (未闭合的引号 \" 会使文件其余部分成为一条记录)"
                } else {
                    ""
                }
            ),
        }
    }
}

/// Every problem of the input: at least one [`InputError`], in the order found, at most
/// [`InputErrors::LIMIT`] kept (the rest counted).
#[derive(Debug)]
pub struct InputErrors {
    first: Box<InputError>,
    rest: Vec<InputError>,
    omitted: usize,
}

impl InputErrors {
    /// The most problems kept; more are counted, not kept.
    pub const LIMIT: usize = 100;

    /// The first problem.
    pub fn first(&self) -> &InputError {
        &self.first
    }

    /// The problems kept, in order.
    pub fn iter(&self) -> impl Iterator<Item = &InputError> {
        std::iter::once(&*self.first).chain(&self.rest)
    }

    /// How many problems were found (kept and omitted).
    pub fn len(&self) -> usize {
        self.rest
            .len()
            .saturating_add(1)
            .saturating_add(self.omitted)
    }

    /// Always `false`: there is at least one problem.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// How many problems beyond [`InputErrors::LIMIT`] were counted but not kept.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// Every problem, one per line, in the clerk's language.
    pub fn render(&self, lang: crate::Lang) -> String {
        let mut lines: Vec<String> = self.iter().map(|e| e.render(lang)).collect();
        if self.omitted > 0 {
            lines.push(match lang {
                crate::Lang::Zh => format!("……另有 {} 个问题未列出", self.omitted),
                crate::Lang::En => format!("... and {} more problems", self.omitted),
            });
        }
        lines.join("\n")
    }
}

impl std::fmt::Display for InputErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(crate::Lang::En))
    }
}

impl std::error::Error for InputErrors {}

impl From<InputError> for InputErrors {
    fn from(first: InputError) -> Self {
        InputErrors {
            first: Box::new(first),
            rest: Vec::new(),
            omitted: 0,
        }
    }
}

impl IntoIterator for InputErrors {
    type Item = InputError;
    type IntoIter = std::iter::Chain<std::iter::Once<InputError>, std::vec::IntoIter<InputError>>;
    fn into_iter(self) -> Self::IntoIter {
        std::iter::once(*self.first).chain(self.rest)
    }
}

/// Gathers problems up to the limit.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    errors: Vec<InputError>,
    omitted: usize,
}

impl Collector {
    pub(crate) fn push(&mut self, e: InputError) {
        if self.errors.len() < InputErrors::LIMIT {
            self.errors.push(e);
        } else {
            self.omitted = self.omitted.saturating_add(1);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    /// `Err` with every problem so far, if there is any.
    pub(crate) fn check(&mut self) -> Result<(), InputErrors> {
        let mut errors = std::mem::take(&mut self.errors).into_iter();
        match errors.next() {
            None => Ok(()),
            Some(first) => Err(InputErrors {
                first: Box::new(first),
                rest: errors.collect(),
                omitted: self.omitted,
            }),
        }
    }
}

/// The file names of the interchange formats.
pub mod files {
    /// Laborers.
    pub const LABORERS: &str = "laborers.csv";
    /// Enterprises.
    pub const ENTERPRISES: &str = "enterprises.csv";
    /// Public-welfare posts.
    pub const POSTS: &str = "posts.csv";
    /// Guaranteed-loan applications (R4).
    pub const LOAN_APPLICATIONS: &str = "loan_applications.csv";
    /// Startup centers' claims (R7).
    pub const STARTUP_CENTERS: &str = "startup_centers.csv";
    /// Posts' monthly records (R10).
    pub const POST_MONTHS: &str = "post_months.csv";
    /// Findings out (R9, R10).
    pub const FINDINGS: &str = "findings.csv";
    /// The roster's files, in the order they are read.
    pub const ALL: [&str; 6] = [
        LABORERS,
        ENTERPRISES,
        POSTS,
        LOAN_APPLICATIONS,
        STARTUP_CENTERS,
        POST_MONTHS,
    ];
    /// Decisions out.
    pub const PAYOUTS: &str = "payouts.csv";
    /// The lists of a roster in JSON ([`crate::json`]), in the order of [`ALL`]: each file's
    /// name without `.csv`.
    pub const LISTS: [&str; 6] = [
        "laborers",
        "enterprises",
        "posts",
        "loan_applications",
        "startup_centers",
        "post_months",
    ];
}

/// The interchange files of a data folder, in the order of [`files::ALL`] (`None`: absent),
/// checked as POLICY.md reading 13 says: the folder exists and holds at least one of them,
/// no file is named like one but for its case, and each is a regular file.
///
/// ```
/// use jiuye_fupin::io::data_files;
/// let [laborers, ..] = data_files(std::path::Path::new("tests/fixtures/n10000"))?;
/// assert!(laborers.is_some());
/// assert!(data_files(std::path::Path::new("no/such/folder")).is_err());
/// # Ok::<(), jiuye_fupin::io::InputError>(())
/// ```
///
/// # Errors
/// [`InputError::Folder`] naming the folder and what is wrong; [`InputError::Io`] when it
/// cannot be listed.
pub fn data_files(dir: &Path) -> Result<[Option<PathBuf>; 6], InputError> {
    let folder = |problem| InputError::Folder {
        path: dir.to_owned(),
        problem,
    };
    let meta = std::fs::metadata(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => folder(FolderProblem::Missing),
        _ => InputError::Io {
            path: dir.to_owned(),
            source: e,
        },
    })?;
    if !meta.is_dir() {
        return Err(folder(FolderProblem::NotAFolder));
    }
    let io = |source| InputError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        names.push(
            entry
                .map_err(io)?
                .file_name()
                .to_string_lossy()
                .into_owned(),
        );
    }
    let mut found: [Option<PathBuf>; 6] = Default::default();
    for (slot, expected) in found.iter_mut().zip(files::ALL) {
        for name in &names {
            if name == expected {
                let path = dir.join(name);
                if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                    return Err(folder(FolderProblem::NotAFile { name: expected }));
                }
                *slot = Some(path);
            } else if name.eq_ignore_ascii_case(expected) {
                return Err(folder(FolderProblem::WrongCase {
                    expected,
                    found: name.clone(),
                }));
            }
        }
    }
    if found.iter().all(Option::is_none) {
        return Err(folder(FolderProblem::NoFiles));
    }
    Ok(found)
}

/// The interchange files of a data folder the audit reads ([`data_files`]), which must hold
/// `laborers.csv` or `posts.csv`: without either, R9 has no place and no post to count and
/// R10 no post, and an audit of nothing is never reported as a clean bill (POLICY.md
/// reading 13).
///
/// ```
/// use jiuye_fupin::io::{audited_files, FolderProblem, InputError};
/// let [laborers, ..] = audited_files(std::path::Path::new("tests/fixtures/n10000"))?;
/// assert!(laborers.is_some());
/// let dir = std::env::temp_dir().join(format!("audited-files-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("enterprises.csv"), "id\n")?;
/// let e = audited_files(&dir).unwrap_err();
/// assert!(matches!(e, InputError::Folder { problem: FolderProblem::NothingToAudit, .. }));
/// std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`data_files`]; [`FolderProblem::NothingToAudit`] for a folder with neither file.
pub fn audited_files(dir: &Path) -> Result<[Option<PathBuf>; 6], InputError> {
    let found = data_files(dir)?;
    let [laborers, _, posts, ..] = &found;
    if laborers.is_none() && posts.is_none() {
        return Err(InputError::Folder {
            path: dir.to_owned(),
            problem: FolderProblem::NothingToAudit,
        });
    }
    Ok(found)
}
