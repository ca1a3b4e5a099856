//! The one reader of the interchange files: each file's columns and how one record is read
//! from its cells ([`Kind`]), the header's layout, and a collecting pass over a file.
//!
//! The in-memory reader ([`crate::io::read_roster_dir`] and friends) and the streaming
//! batch path ([`crate::batch`]) both split lines with [`super::split::Splitter`], read
//! headers with [`layout`], and read records with [`Kind::parse`] through the cell parsers
//! of [`super::cells`]: they accept and refuse the same bytes, with the same messages.

use std::collections::HashMap;
use std::io::Read;

use super::cells::{
    Dates, boolean, code, month, plain_boolean, plain_code, plain_count, plain_money, year,
};
use super::chunks::ChunkReader;
use super::split::{Cells, Layout, Malformed, SKIP, Splitter, trim};
use super::{Collector, InputError, Problem, ctr, ent, files, lab, loan, pm, pst};
use crate::model::{
    Coded, Enterprise, Laborer, LoanApplication, Post, PostMonth, StartupCenter, YearMonth,
};
use crate::money::Yuan;

/// A bad cell: the column's index, the value to show (`None`: the cell as written), and
/// what is wrong.
#[derive(Debug)]
pub(crate) struct CellFault {
    pub column: usize,
    pub value: Option<String>,
    pub problem: Problem,
}

/// `CellFault` for the cell as written.
#[inline]
fn at(column: usize) -> impl Fn(Problem) -> CellFault {
    move |problem| CellFault {
        column,
        value: None,
        problem,
    }
}

// Each column below is read by a `plain` reader of the cell as written, when it reads it:
// every cell such a reader takes is empty or has a visible ASCII character at both ends,
// so that trimming it changes nothing, and the full reader reads it as `plain` does. Any
// other cell is trimmed and read by the full reader, as every cell was ([`trimmed_at`], out
// of line): the same values and the same problems, and the usual cell is not trimmed.

/// Column `k`'s cell `raw` trimmed and read by `full` (the cell its plain reader did not
/// take: out of line, so that a record's reading keeps to the usual cells).
#[cold]
#[inline(never)]
fn trimmed_at<T>(
    raw: &[u8],
    k: usize,
    full: impl FnOnce(&[u8]) -> Result<T, Problem>,
) -> Result<T, CellFault> {
    full(trim(raw)).map_err(at(k))
}

/// The boolean of column `k` ([`boolean`]).
#[inline(always)]
fn boolean_at(c: &Cells<'_>, k: usize) -> Result<bool, CellFault> {
    let raw = c.get(k);
    match plain_boolean(raw) {
        Some(v) => Ok(v),
        None => trimmed_at(raw, k, boolean),
    }
}

/// The code of column `k` ([`code`]).
#[inline(always)]
fn code_at<T: Coded + Default>(c: &Cells<'_>, k: usize) -> Result<T, CellFault> {
    let raw = c.get(k);
    match plain_code(raw) {
        Some(v) => Ok(v),
        None => trimmed_at(raw, k, code),
    }
}

/// The date of column `k` ([`Dates::get`]).
#[inline(always)]
fn date_at(
    c: &Cells<'_>,
    k: usize,
    dates: &mut Dates,
) -> Result<Option<chrono::NaiveDate>, CellFault> {
    let raw = c.get(k);
    match dates.plain(raw) {
        Some(v) => Ok(v),
        None => trimmed_at(raw, k, |s| dates.get(s)),
    }
}

/// The count of column `k` ([`Dates::count`]).
#[inline(always)]
fn count_at(c: &Cells<'_>, k: usize, dates: &Dates) -> Result<u32, CellFault> {
    let raw = c.get(k);
    match plain_count(raw) {
        Some(v) => Ok(v),
        None => trimmed_at(raw, k, |s| dates.count(s)),
    }
}

/// The amount of column `k` ([`Dates::money`]).
#[inline(always)]
fn money_at(c: &Cells<'_>, k: usize, dates: &Dates) -> Result<Option<Yuan>, CellFault> {
    let mut v = None;
    money_into(c, k, dates, &mut v)?;
    Ok(v)
}

/// [`money_at`] written into `into`: the usual amount stored there field by field, with
/// no `Result` of it built first (that went through the stack, for every record).
#[inline(always)]
fn money_into(
    c: &Cells<'_>,
    k: usize,
    dates: &Dates,
    into: &mut Option<Yuan>,
) -> Result<(), CellFault> {
    let raw = c.get(k);
    match plain_money(raw) {
        Some(v) => *into = v,
        None => money_rest(raw, k, dates, into)?,
    }
    Ok(())
}

/// [`money_into`] of a cell its plain reader does not take (out of line).
#[cold]
#[inline(never)]
fn money_rest(
    raw: &[u8],
    k: usize,
    dates: &Dates,
    into: &mut Option<Yuan>,
) -> Result<(), CellFault> {
    *into = trimmed_at(raw, k, |s| dates.money(s))?;
    Ok(())
}

/// The cell of column `k`, trimmed.
#[inline(always)]
pub(crate) fn cell<'a>(c: &Cells<'a>, k: usize) -> &'a [u8] {
    trim(c.get(k))
}

/// The cell of column `k`, trimmed, as text.
#[inline(always)]
pub(crate) fn text<'a>(c: &Cells<'a>, k: usize) -> &'a str {
    c.text(cell(c, k))
}

/// Copies column `k` into `into` (reused: no allocation once it is large enough; nothing
/// done for an empty cell into an empty text). The stream does not call it
/// ([`reads_text`]).
#[inline(always)]
fn copy(c: &Cells<'_>, k: usize, into: &mut String) {
    // Tested on the cell as written: an empty one needs no trim and no text.
    if c.get(k).is_empty() && into.is_empty() {
        return;
    }
    into.clear();
    into.push_str(text(c, k));
}

/// The required id of column `k`, copied into `id` as written, white space around it
/// included (POLICY.md reading 12: an id keeps its bytes in every output; ids are compared
/// by [`crate::model::id_key`], which trims): not empty once trimmed, and without a control
/// or invisible character inside.
#[inline(always)]
fn required_id_at(c: &Cells<'_>, k: usize, id: &mut String) -> Result<(), CellFault> {
    let raw = c.get(k);
    // The usual id, visible ASCII from end to end: nothing to trim, nothing invisible, not
    // empty; one test of its bytes, and the rest out of line.
    if crate::model::is_plain(raw) && !raw.is_empty() {
        set_id(id, c.text(raw));
        return Ok(());
    }
    required_id_rest(c, k, id)
}

/// Replaces `id` with the plain id `t`. The usual id has 8 bytes (`L0000001`, `P0000001`).
#[inline(always)]
fn set_id(id: &mut String, t: &str) {
    id.clear();
    // The same copy in both arms; in the first, the compiler knows the length: one 8-byte
    // load and store, where any other length is a call of `memcpy` (which, with the
    // registers saved around it, cost about 20 instructions a record).
    match t.len() {
        8 => id.push_str(t),
        _ => id.push_str(t),
    }
}

/// [`required_id_at`] of an id that is empty or not visible ASCII throughout.
#[cold]
#[inline(never)]
fn required_id_rest(c: &Cells<'_>, k: usize, id: &mut String) -> Result<(), CellFault> {
    let raw = c.get(k);
    let value = c.text(trim(raw));
    if value.is_empty() {
        return Err(at(k)(Problem::Empty));
    }
    if let Some(ch) = crate::model::invisible_char(value) {
        return Err(at(k)(Problem::InvisibleChar(ch)));
    }
    id.clear();
    id.push_str(if value.len() == raw.len() {
        value
    } else {
        c.text(raw)
    });
    Ok(())
}

/// What the reader of a record knows of it before [`Kind::parse_with`] reads it (nothing,
/// for [`Kind::parse`]).
#[derive(Clone, Copy, Default)]
pub(crate) struct Known<'a> {
    /// Its id cell, when the reader found it plain ([`PlainId`]).
    pub id: Option<PlainId<'a>>,
    /// No field of its layout holds the format's `UNREAD` and `OPTIONAL` columns (the
    /// stream's layout): their cells are empty, and the record's texts of them, never read
    /// there, stay empty without a look at them.
    pub lean: bool,
}

/// A record's id cell (column 0) as written, found plain by its reader before
/// [`Kind::parse_with`] reads the record (the stream tests its ids for its own use): not
/// empty, and visible ASCII from end to end ([`crate::model::is_plain`]), so that there is
/// nothing to trim and nothing invisible, and the id is these bytes. Handed to
/// [`required_id`], it spares the record's reading a second cut and test of the same cell.
#[derive(Clone, Copy)]
pub(crate) struct PlainId<'a>(&'a [u8]);

impl<'a> PlainId<'a> {
    /// Column 0's cell `raw`, when it is plain; `plain` is the caller's own test of it,
    /// [`crate::model::is_plain`]`(raw)` (not repeated here).
    #[inline(always)]
    pub(crate) fn tested(raw: &'a [u8], plain: bool) -> Option<PlainId<'a>> {
        debug_assert_eq!(plain, crate::model::is_plain(raw));
        (plain && !raw.is_empty()).then_some(PlainId(raw))
    }
}

/// The required id (column 0), copied into the record's `id`: the plain cell `known` its
/// reader found, if any, else read as [`required_id_at`] reads it.
#[inline(always)]
fn required_id(c: &Cells<'_>, known: Known<'_>, id: &mut String) -> Result<(), CellFault> {
    match known.id {
        Some(PlainId(raw)) => {
            set_id(id, c.text(raw));
            Ok(())
        }
        None => required_id_at(c, 0, id),
    }
}

/// Whether a record's free text (its columns in `K::UNREAD` and `K::OPTIONAL`, which
/// [`copy`] and [`optional`] read) is read: not when `known.lean`, the stream's case, whose
/// layout gives those columns no field: their cells are empty, and the record's texts of
/// them stay as they are, empty and never read there.
#[inline(always)]
fn reads_text<K: Kind>(c: &Cells<'_>, known: Known<'_>) -> bool {
    let optional = (K::COLUMNS.len()..).take(K::OPTIONAL.len());
    debug_assert!(
        !known.lean || (K::UNREAD.iter().copied().chain(optional)).all(|k| c.get(k).is_empty())
    );
    !known.lean
}

/// An optional text cell, into `into` (nothing done for an empty cell into none: no store
/// of a `None` over a `None`). The stream does not call it ([`reads_text`]).
#[inline(always)]
fn optional(c: &Cells<'_>, k: usize, into: &mut Option<String>) {
    if c.get(k).is_empty() && into.is_none() {
        return;
    }
    *into = Some(text(c, k))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
}

/// What a column holds: how a JSON record gives its cell (`crate::json`) and its type in
/// the JSON Schema. The value itself is still read and checked by [`Kind::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    /// A required id (a string).
    Id,
    /// Free text (a string).
    Text,
    /// One of an enum's codes (a string).
    Code(&'static [&'static str]),
    /// `true`/`false` (a JSON boolean).
    Bool,
    /// A whole number >= 0 (a JSON integer).
    Count,
    /// An amount (a string, never a JSON number).
    Money,
    /// A date `YYYY-MM-DD` (a string).
    Date,
    /// A year `YYYY` (a JSON integer).
    Year,
    /// A month `YYYY-MM` (a string, required).
    Month,
}

/// The codes of an enum, as a column type.
const fn codes<T: crate::model::Coded>() -> Type {
    Type::Code(T::CODES)
}

/// One interchange file: its columns, and how one record is read.
pub(crate) trait Kind: Sync {
    /// Its name in messages when read from bytes (`laborers.csv`).
    const FILE: &'static str;
    /// Its sheet's Chinese name in a workbook (`劳动力`); its English one is `FILE`'s stem.
    const SHEET_ZH: &'static str;
    /// Its columns, the id first.
    const COLUMNS: &'static [&'static str];
    /// Each column's Chinese label: `COLUMNS`, then `OPTIONAL` (types: `TYPES`).
    const LABELS: &'static [&'static str];
    /// Its id column (unique within the file).
    const ID: &'static str = "id";
    /// Columns it may have besides (read when present; `laborers.csv`'s `name`). Their
    /// cells are at `COLUMNS.len() + j`.
    const OPTIONAL: &'static [&'static str] = &[];
    /// The type of each column, then of each optional one.
    const TYPES: &'static [Type];
    /// Free-text columns a streaming run does not need (never looked at there).
    const UNREAD: &'static [usize];
    /// A reusable record.
    type Scratch: Default + Send;
    /// Reads one record's cells into `s`: every column, in the order of `COLUMNS`; the
    /// first bad cell is the error.
    #[inline(always)]
    fn parse(c: &Cells<'_>, s: &mut Self::Scratch, dates: &mut Dates) -> Result<(), CellFault> {
        Self::parse_with(c, Known::default(), s, dates)
    }
    /// [`Kind::parse`] of a record of which its reader knows what `known` says: the same
    /// reading, without a second test of its id cell, and, `lean`, without the columns no
    /// field holds.
    fn parse_with(
        c: &Cells<'_>,
        known: Known<'_>,
        s: &mut Self::Scratch,
        dates: &mut Dates,
    ) -> Result<(), CellFault>;
}

/// `laborers.csv`.
pub(crate) struct Laborers;

impl Kind for Laborers {
    const FILE: &'static str = files::LABORERS;
    const SHEET_ZH: &'static str = "劳动力";
    const COLUMNS: &'static [&'static str] = super::LABORER_COLUMNS;
    const LABELS: &'static [&'static str] = &[
        "编号",
        "户编号",
        "镇(街道)",
        "村(社区)",
        "贫困状态",
        "有劳动能力",
        "有就业意愿",
        "应届毕业生",
        "湖北返乡",
        "零就业家庭",
        "务工去向",
        "外出日期",
        "往返交通费",
        "隔离开始日期",
        "隔离天数",
        "在县内开店",
        "开店日期",
        "姓名",
    ];
    const OPTIONAL: &'static [&'static str] = &["name"];
    const UNREAD: &'static [usize] = &[lab::HOUSEHOLD, lab::TOWN, lab::VILLAGE];
    const TYPES: &'static [Type] = &[
        Type::Id,
        Type::Text,
        Type::Text,
        Type::Text,
        codes::<crate::model::PovertyStatus>(),
        Type::Bool,
        Type::Bool,
        Type::Bool,
        Type::Bool,
        Type::Bool,
        codes::<crate::model::WorkDestination>(),
        Type::Date,
        Type::Money,
        Type::Date,
        Type::Count,
        Type::Bool,
        Type::Date,
        Type::Text,
    ];
    type Scratch = Laborer;

    // Always inlined: in the stream's per-record loop the call, its six saved registers and
    // its `Result` through memory cost about 34 instructions a laborer line (1.5% of a run).
    #[inline(always)]
    fn parse_with(
        c: &Cells<'_>,
        known: Known<'_>,
        l: &mut Laborer,
        dates: &mut Dates,
    ) -> Result<(), CellFault> {
        use lab::*;
        required_id(c, known, &mut l.id)?;
        if reads_text::<Self>(c, known) {
            optional(c, Self::COLUMNS.len(), &mut l.name);
            copy(c, HOUSEHOLD, &mut l.household_id);
            copy(c, TOWN, &mut l.town);
            copy(c, VILLAGE, &mut l.village);
        }
        l.poverty_status = code_at(c, POVERTY)?;
        l.able_to_work = boolean_at(c, ABLE)?;
        l.willing_to_work = boolean_at(c, WILLING)?;
        l.fresh_graduate = boolean_at(c, GRADUATE)?;
        l.hubei_returnee = boolean_at(c, HUBEI)?;
        l.zero_employment_household = boolean_at(c, ZERO)?;
        l.work_destination = code_at(c, DESTINATION)?;
        l.departure_date = date_at(c, DEPARTURE, dates)?;
        money_into(c, COST, dates, &mut l.transport_cost)?;
        l.isolation_start = date_at(c, ISO_START, dates)?;
        l.isolation_days = count_at(c, ISO_DAYS, dates)?;
        l.opened_store_in_county = boolean_at(c, STORE)?;
        l.store_opened_date = date_at(c, STORE_DATE, dates)?;
        Ok(())
    }
}

/// `enterprises.csv`.
pub(crate) struct Enterprises;

impl Kind for Enterprises {
    const FILE: &'static str = files::ENTERPRISES;
    const SHEET_ZH: &'static str = "企业";
    const COLUMNS: &'static [&'static str] = super::ENTERPRISE_COLUMNS;
    const LABELS: &'static [&'static str] = &[
        "编号",
        "名称",
        "镇(街道)",
        "类型",
        "参加失业保险",
        "参保月数",
        "上年缴纳失业保险费",
        "参保人数",
        "裁员人数",
        "生产经营困难",
        "申请缓缴月数",
        "月养老保险费",
        "月失业保险费",
        "月工伤保险费",
        "申请日期",
    ];
    const UNREAD: &'static [usize] = &[ent::NAME, ent::TOWN];
    const TYPES: &'static [Type] = &[
        Type::Id,
        Type::Text,
        Type::Text,
        codes::<crate::model::EnterpriseKind>(),
        Type::Bool,
        Type::Count,
        Type::Money,
        Type::Count,
        Type::Count,
        Type::Bool,
        Type::Count,
        Type::Money,
        Type::Money,
        Type::Money,
        Type::Date,
    ];
    type Scratch = Enterprise;

    #[inline]
    fn parse_with(
        c: &Cells<'_>,
        known: Known<'_>,
        e: &mut Enterprise,
        dates: &mut Dates,
    ) -> Result<(), CellFault> {
        use ent::*;
        let zero = |m: Option<Yuan>| m.unwrap_or(Yuan::ZERO);
        required_id(c, known, &mut e.id)?;
        if reads_text::<Self>(c, known) {
            copy(c, NAME, &mut e.name);
            copy(c, TOWN, &mut e.town);
        }
        e.kind = code_at(c, KIND)?;
        e.ui_insured = boolean_at(c, INSURED)?;
        e.ui_insured_months = count_at(c, MONTHS, dates)?;
        e.prior_year_ui_paid = zero(money_at(c, PRIOR, dates)?);
        e.insured_headcount = count_at(c, HEADCOUNT, dates)?;
        e.layoffs = count_at(c, LAYOFFS, dates)?;
        e.hardship = boolean_at(c, HARDSHIP)?;
        e.deferral_months_requested = count_at(c, REQUESTED, dates)?;
        e.monthly_pension_premium = zero(money_at(c, PENSION, dates)?);
        e.monthly_unemployment_premium = zero(money_at(c, UNEMPLOYMENT, dates)?);
        e.monthly_injury_premium = zero(money_at(c, INJURY, dates)?);
        e.application_date = date_at(c, APPLIED, dates)?;
        if e.layoffs > e.insured_headcount {
            return Err(CellFault {
                column: LAYOFFS,
                value: Some(e.layoffs.to_string()),
                problem: Problem::LayoffsExceedHeadcount {
                    headcount: e.insured_headcount,
                },
            });
        }
        Ok(())
    }
}

/// `posts.csv` (its holder is checked against `laborers.csv` by the caller).
pub(crate) struct Posts;

impl Kind for Posts {
    const FILE: &'static str = files::POSTS;
    const SHEET_ZH: &'static str = "公益岗位";
    const COLUMNS: &'static [&'static str] = super::POST_COLUMNS;
    const LABELS: &'static [&'static str] = &[
        "岗位编号",
        "用人单位类型",
        "用人单位",
        "镇(街道)",
        "村(社区)",
        "岗位类型",
        "在岗人员编号",
        "月工资",
        "已发工资月数",
    ];
    const UNREAD: &'static [usize] = &[pst::EMPLOYER_NAME, pst::TOWN, pst::VILLAGE];
    const TYPES: &'static [Type] = &[
        Type::Id,
        codes::<crate::model::EmployerKind>(),
        Type::Text,
        Type::Text,
        Type::Text,
        codes::<crate::model::PostKind>(),
        Type::Id,
        Type::Money,
        Type::Count,
    ];
    type Scratch = Post;

    #[inline]
    fn parse_with(
        c: &Cells<'_>,
        known: Known<'_>,
        p: &mut Post,
        dates: &mut Dates,
    ) -> Result<(), CellFault> {
        use pst::*;
        required_id(c, known, &mut p.id)?;
        p.employer_kind = code_at(c, EMPLOYER_KIND)?;
        if reads_text::<Self>(c, known) {
            copy(c, EMPLOYER_NAME, &mut p.employer_name);
            copy(c, TOWN, &mut p.town);
            optional(c, VILLAGE, &mut p.village);
        }
        p.post_kind = code_at(c, POST_KIND)?;
        required_id_at(c, HOLDER, &mut p.holder_id)?;
        p.monthly_wage = money_at(c, WAGE, dates)?.unwrap_or(Yuan::ZERO);
        p.months_paid = count_at(c, MONTHS, dates)?;
        Ok(())
    }
}

/// `loan_applications.csv`: one application per laborer (checked by the caller).
pub(crate) struct Loans;

impl Kind for Loans {
    const FILE: &'static str = files::LOAN_APPLICATIONS;
    const SHEET_ZH: &'static str = "创业担保贷款";
    const COLUMNS: &'static [&'static str] = super::LOAN_COLUMNS;
    const LABELS: &'static [&'static str] = &[
        "劳动力编号",
        "符合担保条件",
        "已创业",
        "申请金额",
        "申请日期",
    ];
    const ID: &'static str = "laborer_id";
    const UNREAD: &'static [usize] = &[];
    const TYPES: &'static [Type] = &[Type::Id, Type::Bool, Type::Bool, Type::Money, Type::Date];
    type Scratch = LoanApplication;

    #[inline]
    fn parse_with(
        c: &Cells<'_>,
        known: Known<'_>,
        a: &mut LoanApplication,
        dates: &mut Dates,
    ) -> Result<(), CellFault> {
        use loan::*;
        required_id(c, known, &mut a.laborer_id)?;
        a.meets_guarantee_conditions = boolean_at(c, CONDITIONS)?;
        a.business_started = boolean_at(c, STARTED)?;
        a.requested_amount = money_at(c, REQUESTED, dates)?.unwrap_or(Yuan::ZERO);
        a.application_date = date_at(c, APPLIED, dates)?;
        Ok(())
    }
}

/// `startup_centers.csv`.
pub(crate) struct Centers;

impl Kind for Centers {
    const FILE: &'static str = files::STARTUP_CENTERS;
    const SHEET_ZH: &'static str = "创业中心";
    const COLUMNS: &'static [&'static str] = super::CENTER_COLUMNS;
    const LABELS: &'static [&'static str] = &[
        "编号",
        "名称",
        "级别",
        "镇(街道)",
        "年度",
        "申报房租",
        "申报水电费",
    ];
    const UNREAD: &'static [usize] = &[ctr::NAME, ctr::TOWN];
    const TYPES: &'static [Type] = &[
        Type::Id,
        Type::Text,
        codes::<crate::model::CenterLevel>(),
        Type::Text,
        Type::Year,
        Type::Money,
        Type::Money,
    ];
    type Scratch = StartupCenter;

    #[inline]
    fn parse_with(
        c: &Cells<'_>,
        known: Known<'_>,
        s: &mut StartupCenter,
        dates: &mut Dates,
    ) -> Result<(), CellFault> {
        use ctr::*;
        let zero = |m: Option<Yuan>| m.unwrap_or(Yuan::ZERO);
        required_id(c, known, &mut s.id)?;
        s.level = code_at(c, LEVEL)?;
        if reads_text::<Self>(c, known) {
            copy(c, NAME, &mut s.name);
            copy(c, TOWN, &mut s.town);
        }
        s.year = year(cell(c, YEAR)).map_err(at(YEAR))?;
        s.claimed_rent = zero(money_at(c, RENT, dates)?);
        s.claimed_utilities = zero(money_at(c, UTILITIES, dates)?);
        Ok(())
    }
}

/// `post_months.csv` (its post is checked by the caller).
pub(crate) struct PostMonths;

/// A reusable post month (a `PostMonth` has no default month of its own).
#[derive(Default)]
pub(crate) struct MonthScratch {
    post_id: String,
    month: Option<YearMonth>,
    days_worked: u32,
    signed_by: Option<String>,
    wage_paid: Yuan,
    paid_on: Option<chrono::NaiveDate>,
}

impl MonthScratch {
    /// The record read (every record that parses has its month).
    pub(crate) fn to_post_month(&self) -> Option<PostMonth> {
        Some(PostMonth {
            post_id: self.post_id.clone(),
            month: self.month?,
            days_worked: self.days_worked,
            signed_by: self.signed_by.clone(),
            wage_paid: self.wage_paid,
            paid_on: self.paid_on,
        })
    }
}

impl Kind for PostMonths {
    const FILE: &'static str = files::POST_MONTHS;
    const SHEET_ZH: &'static str = "岗位月报";
    const COLUMNS: &'static [&'static str] = super::POST_MONTH_COLUMNS;
    const LABELS: &'static [&'static str] = &[
        "岗位编号",
        "月份",
        "出勤天数",
        "考勤签字人编号",
        "实发工资",
        "发放日期",
    ];
    const ID: &'static str = "post_id";
    const UNREAD: &'static [usize] = &[];
    const TYPES: &'static [Type] = &[
        Type::Id,
        Type::Month,
        Type::Count,
        Type::Text,
        Type::Money,
        Type::Date,
    ];
    type Scratch = MonthScratch;

    #[inline]
    fn parse_with(
        c: &Cells<'_>,
        known: Known<'_>,
        s: &mut MonthScratch,
        dates: &mut Dates,
    ) -> Result<(), CellFault> {
        use pm::*;
        let m = s;
        required_id(c, known, &mut m.post_id)?;
        m.month = Some(month(cell(c, MONTH)).map_err(at(MONTH))?);
        m.days_worked = count_at(c, DAYS, dates)?;
        optional(c, SIGNED_BY, &mut m.signed_by);
        if let Some(ch) = m
            .signed_by
            .as_deref()
            .and_then(crate::model::invisible_char)
        {
            return Err(at(SIGNED_BY)(Problem::InvisibleChar(ch)));
        }
        m.wage_paid = money_at(c, WAGE_PAID, dates)?.unwrap_or(Yuan::ZERO);
        m.paid_on = date_at(c, PAID_ON, dates)?;
        Ok(())
    }
}

/// The positions of a format's columns (then its optional ones) in a header; every
/// problem of the header (a repeated or missing column) goes to `errors`. Columns in
/// `unread` are checked for but not read.
pub(crate) fn layout(
    file: &str,
    header: &[String],
    columns: &[&'static str],
    optional: &[&'static str],
    unread: &[usize],
    errors: &mut Collector,
) -> Option<Layout> {
    if header.iter().all(String::is_empty) {
        errors.push(InputError::NoHeader {
            file: file.to_owned(),
            columns: columns.join(","),
        });
        return None;
    }
    let before = errors.len();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // A column named twice is ambiguous; unnamed columns (Excel writes a trailing comma for
    // each formatted but empty column) are never read, and may repeat.
    for (i, h) in header.iter().enumerate() {
        if seen.insert(h, i).is_some() && !h.is_empty() {
            errors.push(InputError::DuplicateColumn {
                file: file.to_owned(),
                column: h.clone(),
            });
        }
    }
    let mut slot_of = [SKIP; 256];
    let mut wide = if header.len() > 256 {
        vec![SKIP; header.len()]
    } else {
        Vec::new()
    };
    let mut place = |i: usize, slot: u8| {
        for s in [slot_of.get_mut(i), wide.get_mut(i)].into_iter().flatten() {
            *s = slot;
        }
    };
    for (k, &column) in columns.iter().enumerate() {
        let Some(&i) = seen.get(column) else {
            errors.push(InputError::MissingColumn {
                file: file.to_owned(),
                column,
            });
            continue;
        };
        let slot = if unread.contains(&k) {
            SKIP
        } else {
            u8::try_from(k).unwrap_or(SKIP)
        };
        place(i, slot);
    }
    for (j, column) in optional.iter().enumerate() {
        if let Some(&i) = seen.get(column) {
            let k = columns.len().saturating_add(j);
            place(i, u8::try_from(k).unwrap_or(SKIP));
        }
    }
    (errors.len() == before).then_some(Layout {
        n_fields: header.len(),
        slot_of,
        wide,
    })
}

/// A bad cell of `K` as the error naming its file, line, column and value.
pub(crate) fn cell_error<K: Kind>(
    file: &str,
    line: u64,
    cells: &Cells<'_>,
    f: CellFault,
) -> InputError {
    let value = f.value.unwrap_or_else(|| text(cells, f.column).to_owned());
    InputError::Cell {
        file: file.to_owned(),
        line,
        column: K::COLUMNS.get(f.column).copied().unwrap_or("?"),
        value,
        problem: f.problem,
    }
}

/// A malformed record as the error naming its file and line (`line`: of its chunk's start).
pub(crate) fn malformed_error(file: &str, line: u64, n_fields: usize, m: Malformed) -> InputError {
    match m {
        Malformed::FieldCount { line: l, len } => InputError::FieldCount {
            file: file.to_owned(),
            line: line.saturating_add(l),
            fields: len,
            expected: n_fields,
        },
        Malformed::TooLong { line: l } => InputError::TooLong {
            file: file.to_owned(),
            line: line.saturating_add(l),
            limit: crate::io::Limit::Record,
        },
        Malformed::Utf8 { line: l, gbk } => InputError::NotUtf8 {
            file: file.to_owned(),
            line: line.saturating_add(l),
            looks_like_gbk: gbk,
            bytes: Vec::new(),
        },
    }
}

/// `true` when every field of the record `raw` is blank (Excel leaves such rows: `,,,,`):
/// no record. Only asked of a record whose id is empty.
pub(crate) fn is_blank(raw: &[u8]) -> bool {
    let (_, fields) = Splitter::default().fields_of_first(raw);
    fields.iter().all(String::is_empty)
}

/// The bytes of `chunk` from its first that is not UTF-8 (at most 4: a GBK character is
/// two), for a message.
fn bad_bytes(chunk: &[u8]) -> Vec<u8> {
    match std::str::from_utf8(chunk) {
        Ok(_) => Vec::new(),
        Err(e) => crate::file::NotUtf8::at(chunk, e).bytes,
    }
}

/// Why a collecting pass stopped early.
enum Stop {
    /// The rest of the file cannot be read (not UTF-8).
    Done,
}

/// Reads every record of one file with [`Kind::parse`], in order, handing each good one to
/// `keep` with its line (`keep` may refuse it: a repeated id, an unknown reference); every
/// problem goes to `errors` (one per record: its first) and reading goes on with the next
/// record, except after bytes that are not UTF-8.
pub(crate) fn read_all<K: Kind>(
    src: impl Read,
    file: &str,
    options: &super::ReadOptions,
    errors: &mut Collector,
    mut keep: impl FnMut(&K::Scratch, u64) -> Result<(), CellFault>,
) {
    let mut scratch = K::Scratch::default();
    let mut dates = Dates::new(options);
    read_records::<K>(src, file, options, errors, |cells, at| {
        K::parse(cells, &mut scratch, &mut dates)?;
        keep(&scratch, at)
    });
}

/// Reads every record of one file of `K`'s format as its cells, in order: the file decoded
/// (UTF-8, or GB18030 as `options` say), its header matched to `K`'s columns, each line
/// split, blank records passed over; each record's cells (indexed as `K`'s columns, then
/// its optional ones) go to `each` with their line. Every problem (of the header, of a
/// malformed record, or refused by `each`) goes to `errors`, naming the file, line and
/// column; reading goes on with the next record, except after bytes that are not UTF-8.
/// [`read_all`] is this with [`Kind::parse`]; the template's `--from` is this alone.
pub(crate) fn read_records<K: Kind>(
    src: impl Read,
    file: &str,
    options: &super::ReadOptions,
    errors: &mut Collector,
    mut each: impl FnMut(&Cells<'_>, u64) -> Result<(), CellFault>,
) {
    // GBK/GB18030 is decoded by the chunk reader, for every reader of files (`super::decode`).
    let mut reader = ChunkReader::new(src, 256 * 1024).encoding(options.encoding_of());
    let (header, newlines) = match reader.header() {
        Ok(h) => h,
        Err(source) => {
            errors.push(super::read_failure(file.into(), file, 1, source));
            return;
        }
    };
    let Some(layout) = layout(file, &header, K::COLUMNS, K::OPTIONAL, &[], errors) else {
        return;
    };
    let mut split = Splitter::default();
    let mut buf = Vec::new();
    let mut line = newlines.saturating_add(1);
    loop {
        match reader.next_chunk(&mut buf) {
            Ok(true) => {}
            Ok(false) => return,
            Err(source) => {
                errors.push(super::read_failure(file.into(), file, line, source));
                return;
            }
        }
        let errs = std::cell::RefCell::new(&mut *errors);
        let r = split.for_each(
            &buf,
            &layout,
            |cells, l, raw| {
                if cell(cells, 0).is_empty() && is_blank(raw) {
                    return Ok(());
                }
                let at = line.saturating_add(l);
                if let Err(f) = each(cells, at) {
                    // Past the limit, a problem is counted, not kept (`Collector`).
                    errs.borrow_mut().push(cell_error::<K>(file, at, cells, f));
                }
                Ok(())
            },
            |m| {
                let stop = matches!(m, Malformed::Utf8 { .. });
                let mut errors = errs.borrow_mut();
                let mut e = malformed_error(file, line, layout.n_fields, m);
                if let InputError::NotUtf8 { bytes, .. } = &mut e {
                    *bytes = bad_bytes(&buf);
                }
                errors.push(e);
                if stop { Err(Stop::Done) } else { Ok(()) }
            },
        );
        match r {
            Ok(n) => line = line.saturating_add(n),
            Err(Stop::Done) => return,
        }
    }
}

/// The column code a workbook's header cell names: the code itself (`transport_cost`), the
/// code in trailing parentheses (`往返交通费 (transport_cost)`, as the template and the
/// crate's workbooks write it), or the column's Chinese label alone (`往返交通费`). A blank
/// header cell names no column (a unique name no format has).
fn header_code<K: Kind>(h: &str, i: usize) -> String {
    let h = h.trim();
    if h.is_empty() {
        return format!("\u{1}{i}");
    }
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let (Some(inner), Some(at)) = (h.strip_suffix(close), h.rfind(open)) {
            let code = inner
                .get(at.saturating_add(open.len_utf8())..)
                .map(str::trim);
            if let Some(code) = code.filter(|c| K::COLUMNS.contains(c) || K::OPTIONAL.contains(c)) {
                return code.to_owned();
            }
        }
    }
    let columns = K::COLUMNS.iter().chain(K::OPTIONAL);
    (columns.zip(K::LABELS))
        .find_map(|(code, label)| (*label == h).then(|| (*code).to_owned()))
        .unwrap_or_else(|| h.to_owned())
}

/// Reads every record of one workbook sheet with [`Kind::parse`], exactly as [`read_all`]
/// reads a file: each row's cells, as text ([`super::workbook`]), go through the same
/// parsers; every problem goes to `errors` naming the sheet, row and column.
pub(crate) fn read_sheet<K: Kind>(
    sheet: &super::workbook::Sheet,
    options: &super::ReadOptions,
    errors: &mut Collector,
    mut keep: impl FnMut(&K::Scratch, u64) -> Result<(), CellFault>,
) {
    let file = sheet.label();
    let (header, rows) = match sheet.rows.split_first() {
        Some(((_, h), rows)) => (h.as_slice(), rows),
        None => (&[][..], &[][..]),
    };
    // The header as one cell a column, from column A to its last one.
    let width = header
        .last()
        .map_or(0, |(c, _)| (*c as usize).saturating_add(1));
    let mut named = vec![String::new(); width];
    for (c, h) in header {
        if let Some(slot) = named.get_mut(*c as usize) {
            slot.clone_from(h);
        }
    }
    let header: Vec<String> = (named.iter().enumerate())
        .map(|(i, h)| header_code::<K>(h, i))
        .collect();
    let Some(layout) = layout(&file, &header, K::COLUMNS, K::OPTIONAL, &[], errors) else {
        return;
    };
    let col = |k: usize| {
        let code = K::COLUMNS.get(k).copied().unwrap_or_default();
        let i = header.iter().position(|h| h == code).unwrap_or_default();
        u32::try_from(i).unwrap_or(0)
    };
    let mut scratch = K::Scratch::default();
    let mut dates = Dates::new(options);
    let mut joined = String::new();
    for (r, row) in rows {
        let cells = super::split::row_cells(row, &layout, &mut joined);
        let at = u64::from(*r).saturating_add(1);
        // A cell with no value to read (an error cell, a formula saved without its value,
        // a merged area), in any column, read or not: refused, whatever the column's parser
        // would say.
        let flawed = (sheet.errors.iter()).find(|(i, _, _)| i == r);
        if let Some((_, j, problem)) = flawed {
            errors.push(InputError::SheetCell {
                file: file.clone(),
                row: at,
                col: *j,
                column: (K::COLUMNS.iter().chain(K::OPTIONAL))
                    .find(|c| header.get(*j as usize).is_some_and(|h| h == *c))
                    .copied()
                    .unwrap_or("-"),
                value: (row.iter())
                    .find(|(c, _)| c == j)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default(),
                problem: problem.clone(),
            });
            continue;
        }
        let read = K::parse(&cells, &mut scratch, &mut dates);
        if let Err(f) = read.and_then(|()| keep(&scratch, at)) {
            let col = col(f.column);
            let InputError::Cell {
                column,
                value,
                problem,
                ..
            } = cell_error::<K>(&file, at, &cells, f)
            else {
                continue;
            };
            // A sheet has rows, not lines.
            let problem = match problem {
                Problem::DuplicateId { first_line } => Problem::DuplicateRow {
                    first_row: first_line,
                },
                p => p,
            };
            errors.push(InputError::SheetCell {
                file: file.clone(),
                row: at,
                col,
                column,
                value,
                problem,
            });
        }
    }
}

/// One table as the template and the workbook writers see it.
pub(crate) struct TableSpec {
    /// The sheet's English name (the CSV file's stem).
    pub en: &'static str,
    /// Its Chinese name.
    pub zh: &'static str,
    /// Its columns, then its optional ones, each with its Chinese label and type.
    pub columns: Vec<(&'static str, &'static str, Type)>,
}

fn spec<K: Kind>(en: &'static str) -> TableSpec {
    let codes = K::COLUMNS.iter().chain(K::OPTIONAL);
    TableSpec {
        en,
        zh: K::SHEET_ZH,
        columns: (codes.zip(K::LABELS).zip(K::TYPES))
            .map(|((code, label), ty)| (*code, *label, *ty))
            .collect(),
    }
}

/// The six tables, in the order of [`super::files::ALL`].
pub(crate) fn table_specs() -> [TableSpec; 6] {
    let [l, e, p, a, c, m] = super::workbook::SHEETS.map(|(en, _)| en);
    [
        spec::<Laborers>(l),
        spec::<Enterprises>(e),
        spec::<Posts>(p),
        spec::<Loans>(a),
        spec::<Centers>(c),
        spec::<PostMonths>(m),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One laborer's row with these cells for poverty status, able to work, destination,
    /// departure date, transport cost and isolation days.
    fn laborer(cells: [&str; 6]) -> Result<crate::model::Laborer, String> {
        let [poverty, able, destination, departure, cost, days] = cells;
        let csv = format!(
            "{}\nL1,H1,T,V,{poverty},{able},false,false,false,false,{destination},{departure},{cost},,{days},false,\n",
            super::super::LABORER_COLUMNS.join(",")
        );
        let files = crate::io::RosterFiles {
            laborers: Some(csv.as_bytes()),
            ..Default::default()
        };
        match crate::io::parse_roster_files(&files) {
            Ok(r) => Ok(r.laborers()[0].clone()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// A cell with white space around it, in another case or ill-formed: read as the
    /// trimmed cell is (`trimmed_at`), or refused with the full reader's problem.
    #[test]
    fn cells_beside_the_plain_forms_read_as_trimmed_or_are_refused() {
        use crate::model::{PovertyStatus, WorkDestination};
        let plain = laborer(["lifted", "true", "in_county", "2020-03-01", "500.00", "14"]).unwrap();
        assert_eq!(plain.poverty_status, PovertyStatus::Lifted);
        assert!(plain.able_to_work);
        assert_eq!(plain.work_destination, WorkDestination::InCounty);
        for cells in [
            [
                " lifted",
                " true ",
                "in_county ",
                " 2020-03-01",
                " 500.00 ",
                " 14",
            ],
            [
                "lifted\u{3000}",
                "TRUE",
                "\u{a0}in_county",
                "2020-03-01\u{3000}",
                "500.00",
                "14 ",
            ],
            [
                "lifted",
                "True",
                "in_county",
                "２０２０-０３-０１",
                "５００.００",
                "１４",
            ],
        ] {
            let l = laborer(cells).unwrap_or_else(|e| panic!("{cells:?}: {e}"));
            assert_eq!(l.poverty_status, plain.poverty_status, "{cells:?}");
            assert_eq!(l.able_to_work, plain.able_to_work, "{cells:?}");
            assert_eq!(l.work_destination, plain.work_destination, "{cells:?}");
            assert_eq!(l.departure_date, plain.departure_date, "{cells:?}");
            assert_eq!(l.transport_cost, plain.transport_cost, "{cells:?}");
            assert_eq!(l.isolation_days, plain.isolation_days, "{cells:?}");
        }
        let empty = laborer(["", "", "", "", "", ""]).unwrap();
        assert_eq!(empty.poverty_status, PovertyStatus::default());
        assert!(!empty.able_to_work);
        assert_eq!(empty.departure_date, None);
        assert_eq!(empty.transport_cost, None);
        for (cells, column) in [
            (["poor", "true", "none", "", "", ""], "poverty_status"),
            (["lifted", "yes", "none", "", "", ""], "able_to_work"),
            (["lifted", "tru e", "none", "", "", ""], "able_to_work"),
            (
                ["lifted", "true", "In_County", "", "", ""],
                "work_destination",
            ),
            (
                ["lifted", "true", "none", "2020-02-30", "", ""],
                "departure_date",
            ),
            (
                ["lifted", "true", "none", "2020-3-1", "", ""],
                "departure_date",
            ),
            (["lifted", "true", "none", "", "5..0", ""], "transport_cost"),
            (["lifted", "true", "none", "", "", "-1"], "isolation_days"),
        ] {
            let e = laborer(cells).expect_err(column);
            assert!(e.contains(column), "{cells:?}: {e}");
        }
    }

    #[test]
    fn every_column_has_a_label_and_a_type() {
        fn check<K: Kind>() {
            assert_eq!(
                K::LABELS.len(),
                K::COLUMNS.len() + K::OPTIONAL.len(),
                "{}",
                K::FILE
            );
        }
        check::<Laborers>();
        check::<Enterprises>();
        check::<Posts>();
        check::<Loans>();
        check::<Centers>();
        check::<PostMonths>();
    }
}
