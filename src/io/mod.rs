//! CSV interchange: `laborers.csv`, `enterprises.csv`, `posts.csv` in, `payouts.csv` out,
//! exactly as POLICY.md specifies.
//!
//! Reading is strict and says where: every problem is an [`InputError`] naming the file,
//! line, column and value (`laborers.csv line 14, column transport_cost: "-3.00" is
//! negative`). Reading stops at the first problem; nothing is skipped silently.
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
//! ```

mod read;
mod write;

use std::path::{Path, PathBuf};

pub use read::{ENTERPRISE_COLUMNS, LABORER_COLUMNS, POST_COLUMNS, parse_roster, read_roster_dir};
pub(crate) use read::{ent, lab, pst};
pub use write::{PAYOUTS_HEADER, WriteError, write_payouts};

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
    /// An id that appeared before.
    #[error("appears twice (first on line {first_line})")]
    DuplicateId {
        /// The line of the first occurrence.
        first_line: u64,
    },
    /// A post holder who is not in `laborers.csv`.
    #[error("is not an id in laborers.csv")]
    UnknownHolder,
    /// More layoffs than insured employees.
    #[error("is more than insured_headcount ({headcount})")]
    LayoffsExceedHeadcount {
        /// The insured headcount.
        headcount: u32,
    },
}

fn money_problem(e: &crate::money::MoneyError) -> &'static str {
    use crate::money::MoneyError as M;
    match e {
        M::Negative(_) => "is negative",
        M::TooLarge(_) | M::Overflow => "is too large for exact arithmetic",
        _ => "is not an amount (digits with an optional decimal point, like 1234.50)",
    }
}

/// Input that cannot be read, with where it is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
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
    /// The header lacks a column of the format.
    #[error("{file}: the header has no column {column:?}")]
    MissingColumn {
        /// The file.
        file: String,
        /// The missing column.
        column: &'static str,
    },
    /// The header names a column twice.
    #[error("{file}: the header names column {column:?} twice")]
    DuplicateColumn {
        /// The file.
        file: String,
        /// The repeated column.
        column: String,
    },
    /// A line that is not valid CSV (wrong number of fields, invalid UTF-8).
    #[error("{file} line {line}: {message}")]
    Malformed {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// What the CSV reader says.
        message: String,
    },
}

/// The file names of the interchange formats.
pub mod files {
    /// Laborers.
    pub const LABORERS: &str = "laborers.csv";
    /// Enterprises.
    pub const ENTERPRISES: &str = "enterprises.csv";
    /// Public-welfare posts.
    pub const POSTS: &str = "posts.csv";
    /// Decisions out.
    pub const PAYOUTS: &str = "payouts.csv";
}

/// `dir/name`, or `None` when there is no such file.
fn optional_file(dir: &Path, name: &str) -> Option<PathBuf> {
    let p = dir.join(name);
    p.is_file().then_some(p)
}
