//! What is wrong in a policy, overlay, reform or scenario file: one typed [`FileProblem`],
//! rendered in Chinese or English ([`FileProblem::render`]).
//!
//! The crate's own causes (a negative amount, an unknown parameter, a history out of
//! order, ...) are raised while the file is deserialized; serde and the TOML parser only
//! carry text, so each such cause is also kept, typed, in a slot beside the deserializer
//! (one per thread) and taken back when the error comes out, if its text is still the
//! error's. serde's few fixed messages (`missing field`, `unknown field`, `invalid type`,
//! ...) are read back into variants by one small function ([`FileProblem::from_message`]);
//! anything else (a TOML syntax error) is [`FileProblem::Toml`], said in Chinese by a
//! table of the parser's fixed words (the private module `toml_syntax`), its English kept
//! beside it.
//!
//! # Example
//! ```
//! use jiuye_fupin::problem::FileProblem;
//! use jiuye_fupin::money::MoneyError;
//! use jiuye_fupin::Lang;
//!
//! let p = FileProblem::Money(MoneyError::Negative("-5".into()));
//! assert_eq!(p.render(Lang::En), "\"-5\" is negative");
//! assert_eq!(p.render(Lang::Zh), "\"-5\" 为负数");
//!
//! let p = FileProblem::from_message("missing field `cap`");
//! assert_eq!(p, FileProblem::MissingField("cap".into()));
//! assert_eq!(p.render(Lang::Zh), "缺少 `cap`");
//! ```

use std::cell::RefCell;
use std::fmt;

mod toml_syntax;

use chrono::NaiveDate;

use crate::Lang;
use crate::dated::{HistoryError, WindowError};
use crate::model::RosterErrors;
use crate::money::MoneyError;
use crate::reform::Located;

/// "Cannot read `path`: why", in `lang`: the frame of a reform's, a scenario's or a
/// receipt's file that cannot be read (the system's words in English; the usual causes,
/// missing, not allowed, not a regular file, too large, not UTF-8, said in Chinese).
///
/// ```
/// use jiuye_fupin::{Lang, problem::cannot_read};
/// let e = std::fs::read("/no/such/receipt.toml").unwrap_err();
/// let path = std::path::Path::new("/no/such/receipt.toml");
/// assert_eq!(cannot_read(path, &e, Lang::Zh), "无法读取 /no/such/receipt.toml：文件不存在");
/// assert!(cannot_read(path, &e, Lang::En).starts_with("cannot read /no/such/receipt.toml: "));
/// ```
pub fn cannot_read(path: &std::path::Path, source: &std::io::Error, lang: Lang) -> String {
    match lang {
        Lang::Zh => crate::file::cannot_read_zh("", path, source),
        Lang::En => format!("cannot read {}: {source}", path.display()),
    }
}

/// What is wrong at one place of a policy, overlay, reform or scenario file (the place, the
/// file and the line are the error's: [`crate::policy::PolicyError`],
/// [`crate::reform::Located`]). Its `Display` is the English text; [`FileProblem::render`]
/// gives either language.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileProblem {
    /// An amount or a rate that is not valid.
    Money(MoneyError),
    /// A history that is empty or out of order.
    History(HistoryError),
    /// A window that ends before it starts.
    Window(WindowError),
    /// A range `{ min, max }` with `max < min`.
    RangeBelowMin {
        /// Least.
        min: u32,
        /// Most, below `min`.
        max: u32,
    },
    /// A day of the month outside `1..=31`.
    NotADayOfMonth {
        /// The day written.
        day: u32,
        /// The entry's date.
        on: NaiveDate,
    },
    /// A code that the parameter does not know.
    UnknownCode {
        /// The code written.
        code: String,
        /// The entry's date.
        on: NaiveDate,
        /// The codes it knows.
        expected: &'static [&'static str],
    },
    /// A string that is not a date.
    NotADate(String),
    /// A value of another type where a date is expected (`found`: TOML's name of the type).
    DateExpected {
        /// `integer`, `table`, ...
        found: &'static str,
    },
    /// A table that is no rule's or audit's.
    UnknownTable {
        /// The table.
        table: String,
        /// The tables of the rule set.
        known: Vec<&'static str>,
    },
    /// A table given twice.
    RepeatedTable(String),
    /// A table of the rule set that the policy leaves out.
    MissingTable(String),
    /// A key of a rule's table that is no parameter of the rule.
    UnknownParameter {
        /// The key.
        name: String,
        /// The keys the table takes.
        expected: Vec<&'static str>,
    },
    /// A reform that gives one parameter two values on one date.
    TwoValuesForOneDate {
        /// The first value.
        first: String,
        /// The other value.
        second: String,
    },
    /// A reform's `parameter` that is not `table.parameter`.
    NotAParameterPath,
    /// A path through a parameter, as if it were a table.
    NotATable(String),
    /// A path through a table the policy does not have.
    NoTable(String),
    /// A path to something that is not a dated parameter.
    NotADatedParameter,
    /// A problem of the policy at another place than the change that caused it.
    Elsewhere {
        /// Where the policy's validation found it.
        path: String,
        /// What it found.
        problem: Box<FileProblem>,
    },
    /// A JSON value that is not the document expected.
    NotADocument {
        /// What was expected.
        what: Document,
        /// Why it cannot be read as one, when it is an object (the TOML writer's words);
        /// `None`: it is neither an object nor a string.
        cause: Option<String>,
    },
    /// Two cases of a scenario file with one name.
    RepeatedCase {
        /// The name.
        name: String,
        /// The index of the first case of that name (0-based, as in `case[0]`).
        first: usize,
    },
    /// An expectation's program that the rule set does not have.
    UnknownProgram {
        /// The program written.
        program: String,
        /// The rule set's programs.
        expected: Vec<&'static str>,
    },
    /// An expectation's reason code that the program does not have.
    UnknownReasonCode {
        /// The code written.
        code: String,
        /// The program.
        program: &'static str,
        /// Its codes.
        expected: Vec<&'static str>,
    },
    /// A field of a scenario's record that its type does not have.
    UnknownRecordField {
        /// The field.
        field: String,
        /// The record's kind (`laborer`, ...).
        kind: String,
        /// Its fields.
        expected: &'static [&'static str],
    },
    /// A scenario's record without its identifying field.
    RecordWithoutId {
        /// The record's kind.
        kind: String,
        /// The field (`id`, `laborer_id`).
        id_field: &'static str,
    },
    /// A scenario's records that do not make a roster.
    Roster(RosterErrors),
    /// A scenario's reform that cannot be read or applied.
    Reform(Box<Located>),
    /// serde: a required key is missing.
    MissingField(String),
    /// serde: a key that is not expected (`expected`: serde's list, `` one of `a`, `b` ``;
    /// `None`: the table takes no key).
    UnknownField {
        /// The key.
        field: String,
        /// serde's words for what is expected.
        expected: Option<String>,
    },
    /// serde: a value of another type (`integer `800``, expected `a string`).
    InvalidType {
        /// serde's words for what was found.
        found: String,
        /// serde's words for what was expected.
        expected: String,
    },
    /// serde: a value of the right type that is not valid.
    InvalidValue {
        /// serde's words for what was found.
        found: String,
        /// serde's words for what was expected.
        expected: String,
    },
    /// serde: a key given twice.
    DuplicateField(String),
    /// TOML: a key given twice.
    DuplicateKey,
    /// Any other message of the TOML parser or of serde (a syntax error), in English.
    Toml(String),
}

/// The kind of document a JSON value should have been ([`FileProblem::NotADocument`]).
///
/// ```
/// use jiuye_fupin::problem::{Document, FileProblem};
/// use jiuye_fupin::Lang;
/// let e = jiuye_fupin::json::reform_from_value(&serde_json::json!(3)).unwrap_err();
/// let p = FileProblem::NotADocument { what: Document::Reform, cause: None };
/// assert_eq!(e.located().map(|at| &at.problem), Some(&p));
/// assert_eq!(p.render(Lang::Zh), "改革方案应为文件的 TOML 文本，或同一文档的 JSON 对象");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Document {
    /// A policy.
    Policy,
    /// A reform.
    Reform,
    /// A scenario.
    Scenario,
}

impl Document {
    fn en(self) -> &'static str {
        match self {
            Document::Policy => "a policy",
            Document::Reform => "a reform",
            Document::Scenario => "a scenario",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Document::Policy => "policy",
            Document::Reform => "reform",
            Document::Scenario => "scenario",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Document::Policy => "政策",
            Document::Reform => "改革方案",
            Document::Scenario => "场景",
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FileProblem as P;
        match self {
            P::Money(e) => write!(f, "{e}"),
            P::History(e) => write!(f, "{e}"),
            P::Window(e) => write!(f, "{e}"),
            P::RangeBelowMin { min, max } => write!(f, "range max {max} is below min {min}"),
            P::NotADayOfMonth { day, on } => {
                write!(f, "day {day} (on {on}) is not a day of a month (1..=31)")
            }
            P::UnknownCode { code, on, expected } => write!(
                f,
                "unknown code `{code}` (on {on}), expected one of {}",
                expected.join(", ")
            ),
            P::NotADate(s) => write!(f, "{s:?} is not a date (YYYY-MM-DD)"),
            P::DateExpected { found } => write!(f, "expected a date (YYYY-MM-DD), found {found}"),
            P::UnknownTable { table, known } => write!(
                f,
                "unknown rule table `{table}`; the rule set has {}",
                known.join(", ")
            ),
            P::RepeatedTable(t) => write!(f, "table `{t}` repeated"),
            P::MissingTable(t) => write!(
                f,
                "missing table [{t}] (write `enabled = false` in it to not run the program)"
            ),
            P::UnknownParameter { name, expected } => write!(
                f,
                "unknown parameter `{name}`, expected one of {}",
                expected.join(", ")
            ),
            P::TwoValuesForOneDate { first, second } => write!(
                f,
                "two values for one date: {first} and {second} (keep one)"
            ),
            P::NotAParameterPath => {
                f.write_str("not a parameter path (expected table.parameter, like ui_refund.rate)")
            }
            P::NotATable(path) => write!(f, "{path} is a parameter, not a table"),
            P::NoTable(path) => write!(f, "no parameter table [{path}] in the policy"),
            P::NotADatedParameter => {
                f.write_str("not a dated parameter (a list of { effective_from, value } entries)")
            }
            P::Elsewhere { path, problem } => write!(f, "{problem} (at {path})"),
            P::NotADocument { what, cause } => match cause {
                Some(cause) => write!(f, "not {}: {cause}", what.en()),
                None => write!(
                    f,
                    "{} is a {} file's TOML text, or the same document as a JSON object",
                    what.en(),
                    what.noun()
                ),
            },
            P::RepeatedCase { name, first } => {
                write!(f, "case {name:?} repeats the name of case {first}")
            }
            P::UnknownProgram { program, expected } => write!(
                f,
                "unknown program {program:?}, expected one of {}",
                expected.join(", ")
            ),
            P::UnknownReasonCode {
                code,
                program,
                expected,
            } => write!(
                f,
                "unknown reason code {code:?} for program {program}, expected one of {}",
                expected.join(", ")
            ),
            P::UnknownRecordField {
                field,
                kind,
                expected,
            } => write!(
                f,
                "unknown field `{field}` of a {kind}, expected one of {}",
                expected.join(", ")
            ),
            P::RecordWithoutId { kind, id_field } => write!(f, "a {kind} needs an `{id_field}`"),
            P::Roster(e) => write!(f, "{e}"),
            P::Reform(at) => write!(f, "{at}"),
            P::MissingField(field) => write!(f, "missing field `{field}`"),
            P::UnknownField { field, expected } => match expected {
                Some(expected) => write!(f, "unknown field `{field}`, expected {expected}"),
                None => write!(f, "unknown field `{field}`, there are no fields"),
            },
            P::InvalidType { found, expected } => {
                write!(f, "invalid type: {found}, expected {expected}")
            }
            P::InvalidValue { found, expected } => {
                write!(f, "invalid value: {found}, expected {expected}")
            }
            P::DuplicateField(field) => write!(f, "duplicate field `{field}`"),
            P::DuplicateKey => f.write_str("duplicate key"),
            P::Toml(message) => f.write_str(message),
        }
    }
}

impl FileProblem {
    /// The problem in `lang`.
    ///
    /// ```
    /// use jiuye_fupin::problem::FileProblem;
    /// use jiuye_fupin::Lang;
    /// let p = FileProblem::UnknownParameter { name: "bogus".into(), expected: vec!["cap", "window"] };
    /// assert_eq!(p.render(Lang::En), "unknown parameter `bogus`, expected one of cap, window");
    /// assert_eq!(p.render(Lang::Zh), "未知参数 `bogus`，应为以下之一：cap, window");
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => self.zh(),
        }
    }

    fn zh(&self) -> String {
        use FileProblem as P;
        match self {
            P::Money(e) => e.render(Lang::Zh),
            P::History(HistoryError::Empty) => "没有任何条目".to_owned(),
            P::History(HistoryError::NotIncreasing { earlier, later }) => {
                format!("{later} 的条目不在 {earlier} 之后：生效日期必须严格递增")
            }
            P::Window(WindowError { from, to }) => {
                format!("期间结束于 {to}，早于开始日期 {from}")
            }
            P::RangeBelowMin { min, max } => format!("范围上限 {max} 小于下限 {min}"),
            P::NotADayOfMonth { day, on } => {
                format!("{day} 日 ({on} 起) 不是一个月中的日期 (1..=31)")
            }
            P::UnknownCode { code, on, expected } => format!(
                "未知代码 `{code}` ({on} 起)，应为以下之一：{}",
                expected.join(", ")
            ),
            P::NotADate(s) => format!("{s:?} 不是日期 (YYYY-MM-DD)"),
            P::DateExpected { found } => {
                format!("应为日期 (YYYY-MM-DD)，实为{}", toml_type_zh(found))
            }
            P::UnknownTable { table, known } => format!(
                "未知的规则表 `{table}`；规则集中的表为 {}",
                known.join(", ")
            ),
            P::RepeatedTable(t) => format!("表 `{t}` 重复出现"),
            P::MissingTable(t) => {
                format!("缺少表 [{t}] (不实施该项目时，请在表中写 `enabled = false`)")
            }
            P::UnknownParameter { name, expected } => {
                format!("未知参数 `{name}`，应为以下之一：{}", expected.join(", "))
            }
            P::TwoValuesForOneDate { first, second } => {
                format!("同一日期有两个值：{first} 和 {second} (请只保留一个)")
            }
            P::NotAParameterPath => "不是参数路径 (应为 表名.参数名，如 ui_refund.rate)".to_owned(),
            P::NotATable(path) => format!("{path} 是参数，不是表"),
            P::NoTable(path) => format!("政策中没有参数表 [{path}]"),
            P::NotADatedParameter => {
                "不是按日期生效的参数 (应为 { effective_from, value } 条目的列表)".to_owned()
            }
            P::Elsewhere { path, problem } => format!("{} (位于 {path})", problem.zh()),
            P::NotADocument { what, cause } => match cause {
                Some(cause) => format!("不是{}：{cause}", what.zh()),
                None => format!("{}应为文件的 TOML 文本，或同一文档的 JSON 对象", what.zh()),
            },
            P::RepeatedCase { name, first } => {
                format!("案例 {name:?} 与 case[{first}] 同名")
            }
            P::UnknownProgram { program, expected } => format!(
                "未知项目 {program:?}，应为以下之一：{}",
                expected.join(", ")
            ),
            P::UnknownReasonCode {
                code,
                program,
                expected,
            } => format!(
                "项目 {program} 没有原因代码 {code:?}，应为以下之一：{}",
                expected.join(", ")
            ),
            P::UnknownRecordField {
                field,
                kind,
                expected,
            } => format!(
                "{kind} 记录没有字段 `{field}`，应为以下之一：{}",
                expected.join(", ")
            ),
            P::RecordWithoutId { kind, id_field } => {
                format!("{kind} 记录必须有 `{id_field}`")
            }
            P::Roster(e) => roster_zh(e),
            P::Reform(at) => at.render(Lang::Zh),
            P::MissingField(field) => format!("缺少 `{field}`"),
            P::UnknownField { field, expected } => match expected {
                Some(expected) => format!("未知的键 `{field}`，应为{}", expected_keys_zh(expected)),
                None => format!("未知的键 `{field}`，此处不接受任何键"),
            },
            P::InvalidType { found, expected } => format!(
                "类型不符：实为{}，应为{}",
                found_zh(found),
                expected_zh(expected)
            ),
            P::InvalidValue { found, expected } => format!(
                "值无效：实为{}，应为{}",
                found_zh(found),
                expected_zh(expected)
            ),
            P::DuplicateField(field) => format!("键 `{field}` 重复出现"),
            P::DuplicateKey => "键重复出现".to_owned(),
            P::Toml(message) => match toml_syntax::zh(message) {
                Some(zh) => format!("TOML 格式错误：{zh} ({message})"),
                None => format!("TOML 格式错误 ({message})"),
            },
        }
    }

    /// The key a problem names as unknown, if it is one (to find its line).
    pub(crate) fn unknown_key(&self) -> Option<&str> {
        match self {
            FileProblem::UnknownField { field, .. }
            | FileProblem::UnknownRecordField { field, .. } => Some(field),
            FileProblem::UnknownParameter { name, .. } => Some(name),
            _ => None,
        }
    }

    /// serde's and the TOML parser's messages, as variants: `missing field`, `unknown
    /// field`, `invalid type`, `invalid value`, `duplicate field`, `duplicate key`; any
    /// other text is [`FileProblem::Toml`]. The English rendering of the result is the text.
    ///
    /// ```
    /// use jiuye_fupin::problem::FileProblem;
    /// let text = "invalid type: integer `800`, expected a string";
    /// let p = FileProblem::from_message(text);
    /// assert_eq!(p, FileProblem::InvalidType { found: "integer `800`".into(), expected: "a string".into() });
    /// assert_eq!(p.to_string(), text);
    /// ```
    pub fn from_message(message: &str) -> FileProblem {
        let m = message.trim();
        let quoted = |rest: &str| -> Option<(String, String)> {
            let (name, tail) = rest.strip_prefix('`')?.split_once('`')?;
            Some((name.to_owned(), tail.to_owned()))
        };
        let pair = |rest: &str| -> Option<(String, String)> {
            let (found, expected) = rest.split_once(", expected ")?;
            Some((found.to_owned(), expected.to_owned()))
        };
        let parsed = if let Some(rest) = m.strip_prefix("missing field ") {
            quoted(rest)
                .filter(|(_, tail)| tail.is_empty())
                .map(|(f, _)| FileProblem::MissingField(f))
        } else if let Some(rest) = m.strip_prefix("unknown field ") {
            quoted(rest).and_then(|(field, tail)| {
                if tail == ", there are no fields" {
                    Some(FileProblem::UnknownField {
                        field,
                        expected: None,
                    })
                } else {
                    let expected = tail.strip_prefix(", expected ")?.to_owned();
                    Some(FileProblem::UnknownField {
                        field,
                        expected: Some(expected),
                    })
                }
            })
        } else if let Some(rest) = m.strip_prefix("invalid type: ") {
            pair(rest).map(|(found, expected)| FileProblem::InvalidType { found, expected })
        } else if let Some(rest) = m.strip_prefix("invalid value: ") {
            pair(rest).map(|(found, expected)| FileProblem::InvalidValue { found, expected })
        } else if let Some(rest) = m.strip_prefix("duplicate field ") {
            quoted(rest)
                .filter(|(_, tail)| tail.is_empty())
                .map(|(f, _)| FileProblem::DuplicateField(f))
        } else if m == "duplicate key" {
            Some(FileProblem::DuplicateKey)
        } else {
            None
        };
        parsed.unwrap_or_else(|| FileProblem::Toml(m.to_owned()))
    }

    /// The problem of a deserializer's error message: the typed cause raised with it, if
    /// it is this message's, else [`FileProblem::from_message`].
    pub(crate) fn of(message: &str) -> FileProblem {
        let message = message.trim();
        let raised = SLOT.with(|s| s.borrow_mut().take());
        match raised {
            Some(p) if p.to_string() == message => p,
            _ => FileProblem::from_message(message),
        }
    }
}

thread_local! {
    /// The typed cause of the last error raised by [`raise`] on this thread.
    static SLOT: RefCell<Option<FileProblem>> = const { RefCell::new(None) };
}

/// A deserializer's error for `problem`, its English text, with the typed problem kept
/// beside it for [`FileProblem::of`].
pub(crate) fn raise<E: serde::de::Error>(problem: impl Into<FileProblem>) -> E {
    let problem = problem.into();
    let e = E::custom(&problem);
    SLOT.with(|s| *s.borrow_mut() = Some(problem));
    e
}

/// Forgets a cause raised before (a deserialization about to start).
pub(crate) fn forget() {
    SLOT.with(|s| *s.borrow_mut() = None);
}

impl From<MoneyError> for FileProblem {
    fn from(e: MoneyError) -> Self {
        FileProblem::Money(e)
    }
}

impl From<HistoryError> for FileProblem {
    fn from(e: HistoryError) -> Self {
        FileProblem::History(e)
    }
}

impl From<WindowError> for FileProblem {
    fn from(e: WindowError) -> Self {
        FileProblem::Window(e)
    }
}

/// TOML's name of a type (`toml::Value::type_str`), in Chinese.
fn toml_type_zh(t: &str) -> &str {
    match t {
        "string" => "字符串",
        "integer" => "整数",
        "float" => "浮点数",
        "boolean" => "布尔值",
        "datetime" => "日期时间",
        "array" => "数组",
        "table" => "表",
        other => other,
    }
}

/// serde's words for a value found (`serde::de::Unexpected`), in Chinese.
fn found_zh(found: &str) -> String {
    let inner = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|v| v.trim_matches('`').to_owned())
    };
    if let Some(v) = inner("integer ") {
        format!("整数 {v}")
    } else if let Some(v) = inner("floating point ") {
        format!("浮点数 {v}")
    } else if let Some(v) = inner("boolean ") {
        format!("布尔值 {v}")
    } else if let Some(v) = found.strip_prefix("string ") {
        format!("字符串 {v}")
    } else {
        match found {
            "sequence" => "数组".to_owned(),
            "map" => "表".to_owned(),
            other => other.to_owned(),
        }
    }
}

/// serde's words for a value expected (a visitor's `expecting`), in Chinese where known.
fn expected_zh(expected: &str) -> String {
    match expected {
        "a string" | "a borrowed string" | "string" => "字符串".to_owned(),
        "u32" | "u64" | "u16" | "u8" | "usize" => "非负整数".to_owned(),
        "i32" | "i64" => "整数".to_owned(),
        "a boolean" => "布尔值 (true 或 false)".to_owned(),
        "a sequence" => "数组".to_owned(),
        "a map" => "表".to_owned(),
        "a formatted date string" => "日期 (YYYY-MM-DD)".to_owned(),
        e if e.starts_with("struct ") => "表".to_owned(),
        other => other.to_owned(),
    }
}

/// serde's list of keys expected (`` one of `a`, `b` `` or `` `a` ``), in Chinese.
fn expected_keys_zh(expected: &str) -> String {
    match expected.strip_prefix("one of ") {
        Some(keys) => format!("以下之一：{keys}"),
        None => expected.to_owned(),
    }
}

/// Every problem of a roster, in Chinese (as [`RosterErrors`]'s `Display` in English).
fn roster_zh(e: &RosterErrors) -> String {
    let first = e.first().render(Lang::Zh);
    match e.len().saturating_sub(1) {
        0 => first,
        more => format!("{first} (另有 {more} 个问题)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serdes_fixed_messages_are_read_back_and_written_as_they_were() {
        for (text, zh) in [
            ("missing field `cap`", "缺少 `cap`"),
            (
                "unknown field `valu`, expected one of `effective_from`, `value`, `source`",
                "未知的键 `valu`，应为以下之一：`effective_from`, `value`, `source`",
            ),
            (
                "unknown field `x`, expected `from`",
                "未知的键 `x`，应为`from`",
            ),
            (
                "unknown field `x`, there are no fields",
                "未知的键 `x`，此处不接受任何键",
            ),
            (
                "invalid type: integer `800`, expected a string",
                "类型不符：实为整数 800，应为字符串",
            ),
            (
                "invalid type: floating point `12.5`, expected u32",
                "类型不符：实为浮点数 12.5，应为非负整数",
            ),
            (
                "invalid type: string \"x\", expected a boolean",
                "类型不符：实为字符串 \"x\"，应为布尔值 (true 或 false)",
            ),
            (
                "invalid value: integer `-1`, expected u32",
                "值无效：实为整数 -1，应为非负整数",
            ),
            ("duplicate field `name`", "键 `name` 重复出现"),
            ("duplicate key", "键重复出现"),
            (
                "invalid table header\nexpected `.`, `]`",
                "TOML 格式错误：表头无效，应为 `.`、`]` (invalid table header\nexpected `.`, `]`)",
            ),
        ] {
            let p = FileProblem::from_message(text);
            assert!(
                !matches!(p, FileProblem::Toml(_)) || text.contains("header"),
                "{text}"
            );
            assert_eq!(p.to_string(), text);
            assert_eq!(p.render(Lang::Zh), zh);
        }
    }

    #[test]
    fn a_raised_cause_is_taken_back_only_by_its_own_message() {
        let e: toml::de::Error = raise(MoneyError::Negative("-5".into()));
        assert_eq!(
            FileProblem::of(e.message()),
            FileProblem::Money(MoneyError::Negative("-5".into()))
        );
        // Taken once: the slot is empty afterwards.
        assert!(matches!(
            FileProblem::of("\"-5\" is negative"),
            FileProblem::Toml(_)
        ));
        // A cause raised, then swallowed, does not name a later error.
        let _: toml::de::Error = raise(MoneyError::Negative("-5".into()));
        assert_eq!(
            FileProblem::of("missing field `cap`"),
            FileProblem::MissingField("cap".into())
        );
    }

    #[test]
    fn each_crate_problem_reads_in_both_languages() {
        let d: NaiveDate = "2020-01-25".parse().unwrap();
        let cases: Vec<(FileProblem, &str, &str)> = vec![
            (
                MoneyError::RateOutOfRange("1.6".parse().unwrap()).into(),
                "rate 1.6 is outside 0..=1",
                "比率 1.6 不在 0..=1 之内",
            ),
            (
                HistoryError::NotIncreasing {
                    earlier: d,
                    later: d,
                }
                .into(),
                "entry dated 2020-01-25 does not come after 2020-01-25: effective dates must be strictly increasing",
                "2020-01-25 的条目不在 2020-01-25 之后：生效日期必须严格递增",
            ),
            (
                WindowError {
                    from: d,
                    to: d.pred_opt().unwrap(),
                }
                .into(),
                "window ends on 2020-01-24, before it starts on 2020-01-25",
                "期间结束于 2020-01-24，早于开始日期 2020-01-25",
            ),
            (
                FileProblem::RangeBelowMin { min: 3, max: 2 },
                "range max 2 is below min 3",
                "范围上限 2 小于下限 3",
            ),
            (
                FileProblem::NotADayOfMonth { day: 0, on: d },
                "day 0 (on 2020-01-25) is not a day of a month (1..=31)",
                "0 日 (2020-01-25 起) 不是一个月中的日期 (1..=31)",
            ),
            (
                FileProblem::UnknownCode {
                    code: "schol".into(),
                    on: d,
                    expected: &["school"],
                },
                "unknown code `schol` (on 2020-01-25), expected one of school",
                "未知代码 `schol` (2020-01-25 起)，应为以下之一：school",
            ),
            (
                FileProblem::NotADate("2020-02-30".into()),
                "\"2020-02-30\" is not a date (YYYY-MM-DD)",
                "\"2020-02-30\" 不是日期 (YYYY-MM-DD)",
            ),
            (
                FileProblem::DateExpected { found: "integer" },
                "expected a date (YYYY-MM-DD), found integer",
                "应为日期 (YYYY-MM-DD)，实为整数",
            ),
            (
                FileProblem::UnknownTable {
                    table: "x".into(),
                    known: vec!["a", "b"],
                },
                "unknown rule table `x`; the rule set has a, b",
                "未知的规则表 `x`；规则集中的表为 a, b",
            ),
            (
                FileProblem::RepeatedTable("a".into()),
                "table `a` repeated",
                "表 `a` 重复出现",
            ),
            (
                FileProblem::MissingTable("a".into()),
                "missing table [a] (write `enabled = false` in it to not run the program)",
                "缺少表 [a] (不实施该项目时，请在表中写 `enabled = false`)",
            ),
            (
                FileProblem::TwoValuesForOneDate {
                    first: "\"0.7\"".into(),
                    second: "\"0.8\"".into(),
                },
                "two values for one date: \"0.7\" and \"0.8\" (keep one)",
                "同一日期有两个值：\"0.7\" 和 \"0.8\" (请只保留一个)",
            ),
            (
                FileProblem::NotAParameterPath,
                "not a parameter path (expected table.parameter, like ui_refund.rate)",
                "不是参数路径 (应为 表名.参数名，如 ui_refund.rate)",
            ),
            (
                FileProblem::NotATable("name".into()),
                "name is a parameter, not a table",
                "name 是参数，不是表",
            ),
            (
                FileProblem::NoTable("transport".into()),
                "no parameter table [transport] in the policy",
                "政策中没有参数表 [transport]",
            ),
            (
                FileProblem::NotADatedParameter,
                "not a dated parameter (a list of { effective_from, value } entries)",
                "不是按日期生效的参数 (应为 { effective_from, value } 条目的列表)",
            ),
            (
                FileProblem::Elsewhere {
                    path: "name".into(),
                    problem: Box::new(FileProblem::MissingField("cap".into())),
                },
                "missing field `cap` (at name)",
                "缺少 `cap` (位于 name)",
            ),
            (
                FileProblem::NotADocument {
                    what: Document::Reform,
                    cause: None,
                },
                "a reform is a reform file's TOML text, or the same document as a JSON object",
                "改革方案应为文件的 TOML 文本，或同一文档的 JSON 对象",
            ),
            (
                FileProblem::RepeatedCase {
                    name: "x".into(),
                    first: 0,
                },
                "case \"x\" repeats the name of case 0",
                "案例 \"x\" 与 case[0] 同名",
            ),
            (
                FileProblem::UnknownProgram {
                    program: "t".into(),
                    expected: vec!["a"],
                },
                "unknown program \"t\", expected one of a",
                "未知项目 \"t\"，应为以下之一：a",
            ),
            (
                FileProblem::UnknownReasonCode {
                    code: "b".into(),
                    program: "a",
                    expected: vec!["c"],
                },
                "unknown reason code \"b\" for program a, expected one of c",
                "项目 a 没有原因代码 \"b\"，应为以下之一：c",
            ),
            (
                FileProblem::UnknownRecordField {
                    field: "f".into(),
                    kind: "laborer".into(),
                    expected: &["id"],
                },
                "unknown field `f` of a laborer, expected one of id",
                "laborer 记录没有字段 `f`，应为以下之一：id",
            ),
            (
                FileProblem::RecordWithoutId {
                    kind: "post".into(),
                    id_field: "id",
                },
                "a post needs an `id`",
                "post 记录必须有 `id`",
            ),
        ];
        for (p, en, zh) in cases {
            assert_eq!(
                (p.render(Lang::En), p.render(Lang::Zh)),
                (en.to_owned(), zh.to_owned())
            );
        }
    }
}
