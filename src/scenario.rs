//! Scenario files: records, a policy change and the decisions expected, in TOML, run
//! without writing Rust.
//!
//! In the spirit of OpenFisca's YAML tests, but typed and exact: every record is checked
//! against the model (an unknown field or a wrong type is an error naming the key and the
//! line), amounts are exact strings, reasons are the codes of `payouts.csv`. A county keeps
//! its expectations next to its policy file and runs them with
//! `cargo run --example scenarios -- PATH` (a file or a folder of `*.toml` files, the
//! extension in any case: `UI.TOML` is one).
//!
//! An empty result is never a success (POLICY.md reading 13): a folder with no scenario
//! file, a file with no case, a case with no expectation and an expectation that checks
//! nothing are errors ([`ScenarioError::NothingToCheck`]), not "all passed".
//!
//! # Format
//!
//! ```toml
//! # Optional, for the whole file:
//! description = "R1: the 500-yuan cap"
//! policy_file = "../policies/my-county.toml" # the base policy, relative to this file, read
//!                                            # with the runner's rule set (a county's own
//!                                            # rules); default: the runner's base, the Yang preset
//! as_of = "2020-04-01"                       # default as-of date of every case (default 2020-04-01)
//!
//! [[case]]                                       # at least one
//! name = "a cost above the cap is paid the cap"  # required, unique in the file
//! as_of = "2020-04-01"                           # optional, overrides the file's
//!
//! [case.policy]                # optional: a partial policy laid over the base (an overlay)
//! [case.policy.transport_subsidy]
//! cap = [{ effective_from = "2015-01-01", value = "800.00" }]
//!
//! [case.reform]                # optional: a reform applied after the overlay
//! name = "cap 600 from 2020-03-01"
//! [[case.reform.change]]
//! parameter = "transport_subsidy.cap"
//! effective_from = "2020-03-01"
//! value = "600.00"
//!
//! [[case.laborer]]             # records: [[case.laborer]], [[case.enterprise]], [[case.post]],
//! id = "L1"                    # [[case.loan_application]], [[case.startup_center]], with the
//! poverty_status = "lifted"    # columns of the CSVs; every field defaults to empty / 0 / none
//! able_to_work = true
//! work_destination = "out_of_county"
//! departure_date = "2020-03-01"
//! transport_cost = "523.40"
//!
//! [[case.expect]]              # one decision expected; at least one per case
//! program = "transport_subsidy"  # a program code
//! subject = "L1"                 # the subject's id
//! eligible = true                # at least one of eligible, amount and reasons
//! amount = "600.00"              # exact
//! reasons = ["capped"]           # the reason codes, in order ([] for none): the
//!                                # program's own, `not_in_force` or `capped`
//! ```
//!
//! Each expectation that fails is reported with the file, the line, the case, the program
//! and subject, and the expected and actual value: one [`Failure`] (a `FAIL` line) per
//! field that differs, so an expectation may have several. The summary counts the
//! expectations that failed, and the mismatches.
//!
//! # Example
//! ```
//! use jiuye_fupin::scenario;
//!
//! let text = r#"
//! [[case]]
//! name = "the 500-yuan cap"
//! [[case.laborer]]
//! id = "L1"
//! poverty_status = "lifted"
//! able_to_work = true
//! work_destination = "out_of_county"
//! transport_cost = "523.40"
//! [[case.expect]]
//! program = "transport_subsidy"
//! subject = "L1"
//! amount = "500.01"
//! "#;
//! let report = scenario::Runner::new().run_str(text, "cap.toml")?;
//! assert_eq!((report.expectations, report.failed), (1, 1));
//! assert_eq!(report.failures.len(), 1);
//! assert_eq!(
//!     report.failures[0].to_string(),
//!     r#"cap.toml line 10: case "the 500-yuan cap": transport_subsidy L1: amount expected 500.01, actual 500.00"#
//! );
//! assert!(report.to_string().ends_with("1 files, 1 cases, 1 expectations: 1 expectations failed (1 mismatches)"));
//! # Ok::<(), scenario::ScenarioError>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use crate::decision::{Decision, Lang};
use crate::engine::{Engine, EvalError};
use crate::model::{
    Enterprise, Laborer, LoanApplication, Post, Roster, RosterParts, StartupCenter,
};
use crate::money::Yuan;
use crate::policy::Policy;
use crate::problem::FileProblem;
use crate::reform::{
    Located, Reform, ReformError, Seg, flexible_date, from_str_located, locate, normalize_dates,
    path_string,
};

/// A scenario file (or folder) that cannot be run: unreadable, or not a valid scenario.
/// Failing expectations are not errors: they are in the [`Report`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a valid scenario: the message names the file, line and key.
    #[error("{0}")]
    Invalid(Box<Located>),
    /// The file's `policy_file` cannot be used.
    #[error("{} at policy_file: {source}", path.display())]
    Policy {
        /// The scenario file.
        path: PathBuf,
        /// Why its policy cannot be used.
        source: Box<crate::policy::PolicyError>,
    },
    /// Nothing would be checked (POLICY.md reading 13: an empty result is never reported
    /// as a success).
    ///
    /// ```
    /// use jiuye_fupin::scenario::{NothingToCheck, Runner, ScenarioError};
    /// let e = Runner::new().run_str("", "empty.toml").unwrap_err();
    /// assert!(matches!(e, ScenarioError::NothingToCheck { problem: NothingToCheck::NoCase, .. }));
    /// assert_eq!(e.to_string(), "empty.toml: holds no [[case]]: nothing would be checked");
    /// assert_eq!(e.zh(), "empty.toml: 没有 [[case]]: 没有可检查的内容");
    /// ```
    #[error("{}{}: {problem}", .path.display(), at_line(*.line))]
    NothingToCheck {
        /// The folder or file.
        path: PathBuf,
        /// The line (1-based) of the case or expectation, when the problem is one.
        line: Option<usize>,
        /// What is missing.
        problem: NothingToCheck,
    },
}

impl ScenarioError {
    /// The error in Chinese: [`ScenarioError::render`] with [`Lang::Zh`].
    ///
    /// ```
    /// use jiuye_fupin::scenario::Runner;
    /// let text = "[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\n";
    /// let e = Runner::new().run_str(text, "a.toml").unwrap_err();
    /// assert_eq!(e.zh(), "a.toml 第 2 行: 案例 \"x\" 没有 [[case.expect]]: 没有可检查的内容");
    /// ```
    pub fn zh(&self) -> String {
        self.render(Lang::Zh)
    }

    /// The error in `lang`: the file, the line, the key and what is wrong.
    ///
    /// ```
    /// use jiuye_fupin::scenario::Runner;
    /// use jiuye_fupin::Lang;
    /// let text = "[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\nisolation_days = -1\n";
    /// let e = Runner::new().run_str(text, "a.toml").unwrap_err();
    /// assert_eq!(e.render(Lang::Zh), "a.toml 第 5 行，case[0].laborer[0].isolation_days：值无效：实为整数 -1，应为非负整数");
    /// assert_eq!(e.render(Lang::En), e.to_string());
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            ScenarioError::Io { path, source } => crate::file::cannot_read_zh("", path, source),
            ScenarioError::Invalid(at) => at.render(lang),
            ScenarioError::Policy { path, source } => {
                format!("{} 的 policy_file：{}", path.display(), source.render(lang))
            }
            ScenarioError::NothingToCheck {
                path,
                line,
                problem,
            } => {
                let line = line.map(|l| format!(" 第 {l} 行")).unwrap_or_default();
                format!("{}{line}: {}", path.display(), problem.zh())
            }
        }
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

/// What is missing when a scenario run would check nothing ([`ScenarioError::NothingToCheck`]).
///
/// ```
/// use jiuye_fupin::scenario::NothingToCheck;
/// assert_eq!(NothingToCheck::NoFile.to_string(), "holds no scenario file (*.toml, in any folder under it): nothing would be checked");
/// assert_eq!(NothingToCheck::NoFile.zh(), "其中 (含子文件夹) 没有场景文件 (*.toml): 没有可检查的内容");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NothingToCheck {
    /// A folder with no `*.toml` file (the extension in any case), at any depth.
    NoFile,
    /// A file with no `[[case]]` (an empty file, or one of comments and `description`).
    NoCase,
    /// A case with no `[[case.expect]]`.
    NoExpectation {
        /// The case's name.
        case: String,
    },
    /// An expectation that states none of `eligible`, `amount` and `reasons`.
    NothingExpected {
        /// The case's name.
        case: String,
    },
}

impl fmt::Display for NothingToCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NothingToCheck::NoFile => f.write_str(
                "holds no scenario file (*.toml, in any folder under it): nothing would be checked",
            ),
            NothingToCheck::NoCase => f.write_str("holds no [[case]]: nothing would be checked"),
            NothingToCheck::NoExpectation { case } => write!(
                f,
                "case {case:?} has no [[case.expect]]: nothing would be checked"
            ),
            NothingToCheck::NothingExpected { case } => write!(
                f,
                "case {case:?}: this expectation states none of eligible, amount, reasons: nothing would be checked"
            ),
        }
    }
}

impl NothingToCheck {
    /// The problem in Chinese.
    pub fn zh(&self) -> String {
        match self {
            NothingToCheck::NoFile => {
                "其中 (含子文件夹) 没有场景文件 (*.toml): 没有可检查的内容".to_owned()
            }
            NothingToCheck::NoCase => "没有 [[case]]: 没有可检查的内容".to_owned(),
            NothingToCheck::NoExpectation { case } => {
                format!("案例 {case:?} 没有 [[case.expect]]: 没有可检查的内容")
            }
            NothingToCheck::NothingExpected { case } => format!(
                "案例 {case:?}: 此预期没有写 eligible、amount、reasons 中的任何一项: 没有可检查的内容"
            ),
        }
    }
}

impl From<ReformError> for ScenarioError {
    fn from(e: ReformError) -> ScenarioError {
        match e {
            ReformError::Io { path, source } => ScenarioError::Io { path, source },
            ReformError::Invalid(at) => ScenarioError::Invalid(at),
        }
    }
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The scenario file.
    pub file: PathBuf,
    /// The line of the expectation.
    pub line: Option<usize>,
    /// The case's name.
    pub case: String,
    /// The program code.
    pub program: String,
    /// The subject's id.
    pub subject: String,
    /// What differs: `eligible`, `amount`, `reasons`, or `decision` (none was made, or the
    /// case could not be evaluated).
    pub field: &'static str,
    /// The expected value.
    pub expected: String,
    /// The actual value.
    pub actual: String,
    /// Why the case could not be evaluated, when it could not (`field` is `decision`):
    /// `actual` says it in English, [`Failure::render`] in the language asked for.
    #[serde(skip)]
    pub error: Option<EvalError>,
}

impl Failure {
    /// The mismatch in `lang` (`Display` is English); the field, the program code and the
    /// values stay as the scenario file writes them.
    ///
    /// ```
    /// use jiuye_fupin::Lang;
    /// use jiuye_fupin::scenario::Failure;
    /// let f = Failure { file: "cap.toml".into(), line: Some(10), case: "cap".into(),
    ///     program: "transport_subsidy".into(), subject: "L1".into(), field: "amount",
    ///     expected: "500.01".into(), actual: "500.00".into(), error: None };
    /// assert_eq!(f.render(Lang::Zh), r#"cap.toml 第 10 行：案例 "cap"：transport_subsidy L1：amount 预期 500.01，实际 500.00"#);
    /// assert_eq!(f.render(Lang::En), f.to_string());
    /// let none = Failure { field: "decision", expected: "a decision".into(),
    ///     actual: "no such decision (no subject with this id for this program)".into(), ..f };
    /// assert!(none.render(Lang::Zh).ends_with("decision 预期 有判定，实际 无此判定 (该项目没有此编号的对象)"));
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let line = self.line.map(|l| format!(" 第 {l} 行")).unwrap_or_default();
        // A decision not made: said in Chinese (the values of the other fields are the
        // scenario file's own).
        let (expected, actual) = match (self.field, &self.error) {
            ("decision", Some(e)) => ("有判定".into(), format!("出错：{}", e.render(lang))),
            ("decision", None) => ("有判定".into(), "无此判定 (该项目没有此编号的对象)".into()),
            _ => (self.expected.clone(), self.actual.clone()),
        };
        format!(
            "{}{line}：案例 {:?}：{} {}：{} 预期 {expected}，实际 {actual}",
            self.file.display(),
            self.case,
            self.program,
            self.subject,
            self.field,
        )
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        write!(
            f,
            ": case {:?}: {} {}: {} expected {}, actual {}",
            self.case, self.program, self.subject, self.field, self.expected, self.actual
        )
    }
}

/// What a run found: counts, and every mismatch of a failing expectation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Files run.
    pub files: usize,
    /// Cases run.
    pub cases: usize,
    /// Expectations checked.
    pub expectations: usize,
    /// Expectations that did not hold (at most `expectations`); each has one or more
    /// entries in `failures`.
    pub failed: usize,
    /// Every mismatch of an expectation that did not hold (`eligible`, `amount`,
    /// `reasons`, or `decision`), in file and case order: an expectation that states an
    /// amount and reasons, both wrong, has two.
    pub failures: Vec<Failure>,
}

impl Report {
    /// `true` when at least one expectation was checked and every one held: a report that
    /// checked nothing has not passed (POLICY.md reading 13).
    ///
    /// ```
    /// use jiuye_fupin::scenario::Report;
    /// assert!(!Report::default().passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.expectations > 0 && self.failed == 0 && self.failures.is_empty()
    }

    /// The report in `lang` (`Display` is English): each mismatch on its own `FAIL` line
    /// (the tag kept in both languages, for a log to be searched), then the counts.
    ///
    /// ```
    /// use jiuye_fupin::Lang;
    /// use jiuye_fupin::scenario::Report;
    /// let r = Report { files: 2, cases: 3, expectations: 4, ..Report::default() };
    /// assert_eq!(r.render(Lang::Zh), "2 个文件，3 个案例，4 项预期：全部通过");
    /// assert_eq!(Report::default().render(Lang::Zh), "0 个文件，0 个案例，0 项预期：未检查任何内容");
    /// assert_eq!(r.render(Lang::En), r.to_string());
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let mut s = String::new();
        for failure in &self.failures {
            s.push_str(&format!("FAIL {}\n", failure.render(lang)));
        }
        s.push_str(&format!(
            "{} 个文件，{} 个案例，{} 项预期：",
            self.files, self.cases, self.expectations
        ));
        if self.failed > 0 || !self.failures.is_empty() {
            s.push_str(&format!(
                "{} 项预期不符 ({} 处不符)",
                self.failed,
                self.failures.len()
            ));
        } else if self.expectations == 0 {
            s.push_str("未检查任何内容");
        } else {
            s.push_str("全部通过");
        }
        s
    }

    /// Adds another run's counts and failures (another file or folder) to this one.
    pub fn merge(&mut self, other: Report) {
        self.files = self.files.saturating_add(other.files);
        self.cases = self.cases.saturating_add(other.cases);
        self.expectations = self.expectations.saturating_add(other.expectations);
        self.failed = self.failed.saturating_add(other.failed);
        self.failures.extend(other.failures);
    }
}

/// Every mismatch on its own `FAIL` line, then `N files, N cases, N expectations:` and
/// `all passed`, `N expectations failed (M mismatches)` (M counts the `FAIL` lines), or
/// `nothing checked`.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for failure in &self.failures {
            writeln!(f, "FAIL {failure}")?;
        }
        write!(
            f,
            "{} files, {} cases, {} expectations: ",
            self.files, self.cases, self.expectations,
        )?;
        if self.failed > 0 || !self.failures.is_empty() {
            write!(
                f,
                "{} expectations failed ({} mismatches)",
                self.failed,
                self.failures.len()
            )
        } else if self.expectations == 0 {
            f.write_str("nothing checked")
        } else {
            f.write_str("all passed")
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    #[allow(dead_code)] // documentation for the reader of the file
    description: Option<String>,
    #[serde(default)]
    policy_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "optional_date")]
    as_of: Option<NaiveDate>,
    #[serde(default)]
    case: Vec<RawCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    #[serde(default, deserialize_with = "optional_date")]
    as_of: Option<NaiveDate>,
    #[serde(default)]
    policy: Option<Table>,
    #[serde(default)]
    reform: Option<Value>,
    #[serde(default)]
    laborer: Vec<Table>,
    #[serde(default)]
    enterprise: Vec<Table>,
    #[serde(default)]
    post: Vec<Table>,
    #[serde(default)]
    loan_application: Vec<Table>,
    #[serde(default)]
    startup_center: Vec<Table>,
    #[serde(default)]
    expect: Vec<toml::Spanned<Expect>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    program: String,
    subject: String,
    #[serde(default)]
    eligible: Option<bool>,
    #[serde(default)]
    amount: Option<Yuan>,
    #[serde(default)]
    reasons: Option<Vec<String>>,
}

fn optional_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    flexible_date(d).map(Some)
}

/// Runs scenario files against a base policy (default: the Yang County 2020 preset).
///
/// A file's `policy_file` replaces the base for that file; it is read with the base's rule set
/// (a county's own rules and tables).
#[derive(Debug, Clone)]
pub struct Runner {
    base: Policy,
}

impl Default for Runner {
    fn default() -> Runner {
        Runner::new()
    }
}

impl Runner {
    /// A runner whose base is the Yang County 2020 preset.
    pub fn new() -> Runner {
        Runner {
            base: Policy::yang_county_2020(),
        }
    }

    /// The same runner with another base policy (a county's own file).
    ///
    /// ```
    /// use jiuye_fupin::{Policy, scenario::Runner};
    /// let county = Policy::load("policies/example-county.toml")?;
    /// let text = "[[case]]\nname = \"3 days at 30 a day\"\n[[case.laborer]]\nid = \"L1\"\npoverty_status = \"lifted\"\nisolation_start = \"2020-03-01\"\nisolation_days = 3\n[[case.expect]]\nprogram = \"isolation_allowance\"\nsubject = \"L1\"\namount = \"90.00\"\n";
    /// assert!(Runner::new().with_base(county).run_str(text, "county.toml")?.passed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_base(mut self, base: Policy) -> Runner {
        self.base = base;
        self
    }

    /// Runs one file, or every `*.toml` file under a folder (sorted by path, recursively;
    /// the extension in any case, `UI.TOML` too).
    ///
    /// ```
    /// use jiuye_fupin::scenario::{NothingToCheck, Runner, ScenarioError};
    /// let e = Runner::new().run_path("schema").unwrap_err(); // JSON schemas, no scenario
    /// assert!(matches!(e, ScenarioError::NothingToCheck { problem: NothingToCheck::NoFile, .. }));
    /// ```
    ///
    /// # Errors
    /// [`ScenarioError`] for the first file that cannot be read or is not a valid scenario,
    /// and [`ScenarioError::NothingToCheck`] for a folder with no scenario file.
    pub fn run_path(&self, path: impl AsRef<Path>) -> Result<Report, ScenarioError> {
        let path = path.as_ref();
        let io = |source| ScenarioError::Io {
            path: path.to_owned(),
            source,
        };
        if !path.is_dir() {
            let text =
                crate::policy::read_text(path, crate::policy::MAX_POLICY_BYTES).map_err(io)?;
            return self.run_str(&text, path);
        }
        let mut files = Vec::new();
        collect_toml(path, &mut files).map_err(io)?;
        if files.is_empty() {
            return Err(ScenarioError::NothingToCheck {
                path: path.to_owned(),
                line: None,
                problem: NothingToCheck::NoFile,
            });
        }
        files.sort();
        let mut report = Report::default();
        for f in files {
            report.merge(self.run_path(&f)?);
        }
        Ok(report)
    }

    /// Runs the scenario `text`, read from `file` (used in messages, and to find a
    /// `policy_file` relative to it).
    ///
    /// # Errors
    /// [`ScenarioError`] when the text is not a valid scenario, or checks nothing
    /// ([`ScenarioError::NothingToCheck`]: no case, a case with no expectation, an
    /// expectation with none of `eligible`, `amount` and `reasons`).
    pub fn run_str(&self, text: &str, file: impl AsRef<Path>) -> Result<Report, ScenarioError> {
        let file = file.as_ref();
        let at = |e: ReformError| ScenarioError::from(e.in_file(Some(file)));
        let raw: RawFile = from_str_located(text).map_err(at)?;
        if raw.case.is_empty() {
            return Err(ScenarioError::NothingToCheck {
                path: file.to_owned(),
                line: None,
                problem: NothingToCheck::NoCase,
            });
        }
        let base = match &raw.policy_file {
            Some(p) => {
                let p = file.parent().unwrap_or(Path::new("")).join(p);
                // Read against the runner's rule set: a county's file has its own tables.
                Policy::load_with(self.base.rules(), &p).map_err(|e| ScenarioError::Policy {
                    path: file.to_owned(),
                    source: Box::new(e),
                })?
            }
            None => self.base.clone(),
        };
        let default_as_of = raw.as_of.unwrap_or(DEFAULT_AS_OF);
        let mut report = Report {
            files: 1,
            ..Report::default()
        };
        let mut names = HashMap::new();
        for (i, case) in raw.case.into_iter().enumerate() {
            let here = |rest: &[Seg]| {
                let mut p = vec![Seg::Key("case".into()), Seg::Index(i)];
                p.extend_from_slice(rest);
                p
            };
            let fail = |rest: &[Seg], problem: FileProblem| {
                let path = here(rest);
                let line = locate(text, &[], &path, problem.unknown_key());
                invalid(file, line, &path_string(&path), problem)
            };
            if let Some(first) = names.insert(case.name.clone(), i) {
                return Err(fail(
                    &[Seg::Key("name".into())],
                    FileProblem::RepeatedCase {
                        name: case.name.clone(),
                        first,
                    },
                ));
            }
            report.cases = report.cases.saturating_add(1);
            let mut policy = base.clone();
            if let Some(overlay) = case.policy {
                policy = policy.with_overlay_table(overlay).map_err(|(path, m)| {
                    let mut rest = vec![Seg::Key("policy".into())];
                    rest.extend(path);
                    fail(&rest, m)
                })?;
            }
            if let Some(reform) = case.reform {
                let key = [Seg::Key("reform".into())];
                let nested = |e: ReformError| match e {
                    ReformError::Invalid(at) => fail(&key, FileProblem::Reform(at)),
                    other => fail(&key, FileProblem::Toml(other.to_string())),
                };
                let reform = Reform::from_value(reform).map_err(nested)?;
                policy = reform.apply(&policy).map_err(nested)?;
            }
            let laborers =
                records::<Laborer>(case.laborer, "laborer").map_err(|(p, m)| fail(&p, m))?;
            let enterprises = records::<Enterprise>(case.enterprise, "enterprise")
                .map_err(|(p, m)| fail(&p, m))?;
            let posts = records::<Post>(case.post, "post").map_err(|(p, m)| fail(&p, m))?;
            let loans = records::<LoanApplication>(case.loan_application, "loan_application")
                .map_err(|(p, m)| fail(&p, m))?;
            let centers = records::<StartupCenter>(case.startup_center, "startup_center")
                .map_err(|(p, m)| fail(&p, m))?;
            let parts = RosterParts {
                laborers,
                enterprises,
                posts,
                loans,
                centers,
                ..RosterParts::default()
            };
            let roster =
                Roster::from_parts(parts).map_err(|e| fail(&[], FileProblem::Roster(e)))?;
            if case.expect.is_empty() {
                let name = here(&[Seg::Key("name".into())]);
                return Err(ScenarioError::NothingToCheck {
                    path: file.to_owned(),
                    line: locate(text, &[], &name, None),
                    problem: NothingToCheck::NoExpectation {
                        case: case.name.clone(),
                    },
                });
            }
            let as_of = case.as_of.unwrap_or(default_as_of);
            let engine = Engine::new(&policy).explain(false);
            let evaluation = engine.evaluate(&roster, as_of);
            let decisions: HashMap<(&str, &str), &Decision<'_>> = match &evaluation {
                Ok(e) => e
                    .decisions
                    .iter()
                    .map(|d| ((d.program.code(), d.subject_id), d))
                    .collect(),
                Err(_) => HashMap::new(),
            };
            for (k, expect) in case.expect.into_iter().enumerate() {
                report.expectations = report.expectations.saturating_add(1);
                let line = Some(crate::reform::line_of(text, expect.span().start));
                let x = expect.into_inner();
                let Some(program) = policy.rules().program(&x.program) else {
                    let known: Vec<&str> = policy.rules().programs().map(|p| p.code()).collect();
                    let path = here(&[
                        Seg::Key("expect".into()),
                        Seg::Index(k),
                        Seg::Key("program".into()),
                    ]);
                    return Err(invalid(
                        file,
                        line.map(|l| l.saturating_add(1)),
                        &path_string(&path),
                        FileProblem::UnknownProgram {
                            program: x.program.clone(),
                            expected: known,
                        },
                    ));
                };
                if x.eligible.is_none() && x.amount.is_none() && x.reasons.is_none() {
                    return Err(ScenarioError::NothingToCheck {
                        path: file.to_owned(),
                        line,
                        problem: NothingToCheck::NothingExpected {
                            case: case.name.clone(),
                        },
                    });
                }
                let codes = reason_codes(program);
                let unknown = (x.reasons.iter().flatten().enumerate())
                    .find(|(_, r)| !codes.contains(&r.as_str()));
                if let Some((j, code)) = unknown {
                    let path = here(&[
                        Seg::Key("expect".into()),
                        Seg::Index(k),
                        Seg::Key("reasons".into()),
                        Seg::Index(j),
                    ]);
                    return Err(invalid(
                        file,
                        locate(text, &[], &path, None).or(line),
                        &path_string(&path),
                        FileProblem::UnknownReasonCode {
                            code: code.clone(),
                            program: program.code(),
                            expected: codes.clone(),
                        },
                    ));
                }
                let before = report.failures.len();
                let failure = |field: &'static str, expected: String, actual: String| Failure {
                    file: file.to_owned(),
                    line,
                    case: case.name.clone(),
                    program: x.program.clone(),
                    subject: x.subject.clone(),
                    field,
                    expected,
                    actual,
                    error: evaluation
                        .as_ref()
                        .err()
                        .filter(|_| field == "decision")
                        .cloned(),
                };
                let Some(d) = decisions.get(&(x.program.as_str(), x.subject.as_str())) else {
                    let actual = match &evaluation {
                        Err(e) => format!("an error: {e}"),
                        Ok(_) => {
                            "no such decision (no subject with this id for this program)".into()
                        }
                    };
                    report
                        .failures
                        .push(failure("decision", "a decision".into(), actual));
                    report.failed = report.failed.saturating_add(1);
                    continue;
                };
                if let Some(e) = x.eligible {
                    if e != d.is_eligible() {
                        report.failures.push(failure(
                            "eligible",
                            e.to_string(),
                            d.is_eligible().to_string(),
                        ));
                    }
                }
                if let Some(a) = x.amount {
                    if a != d.amount() {
                        report.failures.push(failure(
                            "amount",
                            a.to_string(),
                            d.amount().to_string(),
                        ));
                    }
                }
                if let Some(r) = &x.reasons {
                    let actual = d.reason_codes().to_string();
                    let actual: Vec<&str> = actual.split(';').filter(|s| !s.is_empty()).collect();
                    if *r != actual {
                        report.failures.push(failure(
                            "reasons",
                            format!("{r:?}"),
                            format!("{actual:?}"),
                        ));
                    }
                }
                if report.failures.len() != before {
                    report.failed = report.failed.saturating_add(1);
                }
            }
        }
        Ok(report)
    }
}

/// Runs a scenario file or folder against the Yang County 2020 preset
/// (see [`Runner::run_path`]).
///
/// ```
/// let report = jiuye_fupin::scenario::run_path("tests/scenarios")?;
/// assert!(report.passed(), "{report}");
/// assert!(jiuye_fupin::scenario::run_path("tests/no-such-folder").is_err());
/// # Ok::<(), jiuye_fupin::scenario::ScenarioError>(())
/// ```
///
/// # Errors
/// [`ScenarioError`] for a file that cannot be read or is not a valid scenario.
pub fn run_path(path: impl AsRef<Path>) -> Result<Report, ScenarioError> {
    Runner::new().run_path(path)
}

/// The as-of date when neither the case nor the file gives one (POLICY.md, reading 1).
pub const DEFAULT_AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2020, 4, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

fn invalid(
    file: &Path,
    line: Option<usize>,
    parameter: &str,
    problem: FileProblem,
) -> ScenarioError {
    ScenarioError::Invalid(Box::new(Located {
        file: Some(file.to_owned()),
        line,
        column: None,
        reform: None,
        parameter: parameter.to_owned(),
        effective_from: None,
        problem,
    }))
}

/// The reason codes an expectation of `program` may state: the program's own, then
/// `not_in_force` (every program's) and `capped` (an eligible amount cut by a limit).
fn reason_codes(program: crate::decision::Program) -> Vec<&'static str> {
    let own = program.def().reasons.iter().map(|r| r.code());
    own.chain([crate::decision::Reason::NOT_IN_FORCE.code(), "capped"])
        .collect()
}

/// Every `*.toml` file under `dir`, the extension matched in any case (`UI.TOML`).
fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if (path.extension().and_then(|e| e.to_str()))
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Model records from the tables of `[[case.<kind>]]`: `id` required, every other field
/// defaulted, unknown fields refused. Errors are the path under the case and the message.
fn records<T>(tables: Vec<Table>, kind: &str) -> Result<Vec<T>, (Vec<Seg>, FileProblem)>
where
    T: Serialize + DeserializeOwned + Default,
{
    let fields = field_names::<T>();
    let defaults = Table::try_from(T::default())
        .map_err(|e| (Vec::new(), FileProblem::Toml(e.to_string())))?;
    let mut out = Vec::with_capacity(tables.len());
    for (j, table) in tables.into_iter().enumerate() {
        let at = |rest: Option<&str>| {
            let mut p = vec![Seg::Key(kind.to_owned()), Seg::Index(j)];
            p.extend(rest.map(|k| Seg::Key(k.to_owned())));
            p
        };
        if let Some(k) = table.keys().find(|k| !fields.contains(&k.as_str())) {
            return Err((
                at(Some(k)),
                FileProblem::UnknownRecordField {
                    field: k.clone(),
                    kind: kind.to_owned(),
                    expected: fields,
                },
            ));
        }
        // The identifying field comes first in every record type (`id`, `laborer_id`).
        let id_field = fields.first().copied().unwrap_or("id");
        if !table.contains_key(id_field) {
            return Err((
                at(None),
                FileProblem::RecordWithoutId {
                    kind: kind.to_owned(),
                    id_field,
                },
            ));
        }
        let mut full = defaults.clone();
        let mut given = Value::Table(table);
        normalize_dates(&mut given);
        if let Value::Table(given) = given {
            full.extend(given);
        }
        crate::problem::forget();
        let record: T = serde_path_to_error::deserialize(Value::Table(full)).map_err(|e| {
            let key = e.path().to_string();
            (at(Some(&key)), FileProblem::of(e.inner().message()))
        })?;
        out.push(record);
    }
    Ok(out)
}

/// The field names of a struct, as its `Deserialize` declares them.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Grab<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for Grab<'_> {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(serde::de::Error::custom("fields taken"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Grab(&mut fields));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Report, ScenarioError> {
        Runner::new().run_str(text, "t.toml")
    }

    #[test]
    fn record_fields_are_read_from_the_model() {
        assert!(field_names::<Laborer>().contains(&"transport_cost"));
        assert!(field_names::<Enterprise>().contains(&"prior_year_ui_paid"));
        assert!(field_names::<Post>().contains(&"holder_id"));
    }

    #[test]
    fn a_scenario_that_holds_reports_no_failure() {
        let r = run(r#"
as_of = 2020-04-01
[[case]]
name = "isolation 8 days pays 7"
[[case.laborer]]
id = "L1"
poverty_status = "remaining_poor"
isolation_start = 2020-02-10
isolation_days = 8
[[case.expect]]
program = "isolation_allowance"
subject = "L1"
eligible = true
amount = "140.00"
reasons = ["capped"]
"#)
        .unwrap();
        assert!(r.passed(), "{r}");
        assert_eq!((r.files, r.cases, r.expectations), (1, 1, 1));
    }

    #[test]
    fn every_failing_expectation_is_reported_with_expected_and_actual() {
        let r = run(r#"
[[case]]
name = "wrong"
[[case.laborer]]
id = "L1"
[[case.expect]]
program = "transport_subsidy"
subject = "L1"
eligible = true
amount = "1.00"
reasons = []
[[case.expect]]
program = "transport_subsidy"
subject = "L9"
eligible = false
"#)
        .unwrap();
        let fields: Vec<_> = r.failures.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["eligible", "amount", "reasons", "decision"]);
        assert_eq!(r.failures[0].line, Some(6));
        assert!(
            r.failures[2].actual.contains("not_poor"),
            "{}",
            r.failures[2]
        );
        // Two expectations failed, with four mismatches between them: never more failed
        // than checked.
        assert_eq!((r.expectations, r.failed), (2, 2));
        assert!(
            r.to_string().ends_with(
                "1 files, 1 cases, 2 expectations: 2 expectations failed (4 mismatches)"
            ),
            "{r}"
        );
    }

    #[test]
    fn a_report_that_checked_nothing_has_not_passed() {
        let r = Report::default();
        assert!(!r.passed());
        assert_eq!(
            r.to_string(),
            "0 files, 0 cases, 0 expectations: nothing checked"
        );
    }

    fn nothing(e: ScenarioError) -> (Option<usize>, NothingToCheck, String) {
        let text = e.to_string();
        match e {
            ScenarioError::NothingToCheck { line, problem, .. } => (line, problem, text),
            other => panic!("expected NothingToCheck, got {other}"),
        }
    }

    #[test]
    fn a_file_with_no_case_is_refused_naming_the_file() {
        for text in [
            "",
            "# only a comment\n",
            "description = \"todo\"\nas_of = 2020-04-01\n",
            "case = []\n",
        ] {
            let (line, problem, msg) = nothing(run(text).unwrap_err());
            assert_eq!((line, problem), (None, NothingToCheck::NoCase), "{text:?}");
            assert_eq!(msg, "t.toml: holds no [[case]]: nothing would be checked");
        }
    }

    #[test]
    fn a_case_with_no_expectation_is_refused_naming_the_line() {
        let e = run("[[case]]\nname = \"ok\"\n[[case.laborer]]\nid = \"L1\"\n[[case.expect]]\nprogram = \"transport_subsidy\"\nsubject = \"L1\"\neligible = false\n[[case]]\nname = \"none\"\n[[case.laborer]]\nid = \"L1\"\n")
            .unwrap_err();
        assert_eq!(
            e.zh(),
            "t.toml 第 10 行: 案例 \"none\" 没有 [[case.expect]]: 没有可检查的内容"
        );
        let (line, problem, msg) = nothing(e);
        assert_eq!(
            (line, problem),
            (
                Some(10),
                NothingToCheck::NoExpectation {
                    case: "none".into()
                }
            )
        );
        assert!(
            msg.starts_with("t.toml line 10: case \"none\" has no [[case.expect]]"),
            "{msg}"
        );
    }

    #[test]
    fn an_expectation_that_checks_nothing_is_refused_naming_the_line() {
        let text = "[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\n[[case.expect]]\nprogram = \"transport_subsidy\"\nsubject = \"L1\"\neligible = false\n\n[[case.expect]]\nprogram = \"transport_subsidy\"\nsubject = \"L1\"\n";
        let (line, problem, msg) = nothing(run(text).unwrap_err());
        assert_eq!(
            (line, problem),
            (
                Some(10),
                NothingToCheck::NothingExpected { case: "x".into() }
            )
        );
        assert!(msg.starts_with("t.toml line 10: case \"x\""), "{msg}");
        assert!(msg.contains("eligible, amount, reasons"), "{msg}");
        // `reasons = []` checks something: that there are none.
        let r = run(&format!("{text}reasons = []\n")).unwrap();
        assert_eq!((r.expectations, r.failed), (2, 1), "{r}");
        assert_eq!(r.failures[0].field, "reasons");
    }

    #[test]
    fn an_unknown_reason_code_is_refused_naming_the_program_and_its_codes() {
        let text = "[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\n[[case.expect]]\nprogram = \"transport_subsidy\"\nsubject = \"L1\"\nreasons = [\n  \"not_out_of_county\",\n  \"bogus_code\",\n]\n";
        let e = run(text).unwrap_err();
        let ScenarioError::Invalid(at) = &e else {
            panic!("{e}")
        };
        assert_eq!(at.line, Some(10), "{e}");
        assert_eq!(at.parameter, "case[0].expect[0].reasons[1]");
        let msg = e.to_string();
        assert!(
            msg.contains("unknown reason code \"bogus_code\" for program transport_subsidy")
                && msg.contains("not_out_of_county")
                && msg.contains("not_in_force, capped"),
            "{msg}"
        );
        // A code of another program is unknown to this one.
        let other = text.replace("\"bogus_code\"", "\"not_isolated\"");
        assert!(
            run(&other)
                .unwrap_err()
                .to_string()
                .contains("\"not_isolated\"")
        );
        // Every program's codes, `not_in_force` and `capped` are known.
        let known = text.replace("\"bogus_code\"", "\"not_in_force\", \"capped\"");
        assert_eq!(run(&known).unwrap().failed, 1);
    }

    #[test]
    fn a_folder_without_scenario_files_is_refused_and_the_extension_is_matched_in_any_case() {
        let dir = std::env::temp_dir().join(format!("scenario-nothing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let (line, problem, msg) = nothing(run_path(&dir).unwrap_err());
        assert_eq!((line, problem), (None, NothingToCheck::NoFile));
        assert!(msg.starts_with(&dir.display().to_string()), "{msg}");
        std::fs::write(dir.join("notes.txt"), "not a scenario").unwrap();
        assert!(run_path(&dir).is_err());
        let text = "[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\n[[case.expect]]\nprogram = \"transport_subsidy\"\nsubject = \"L1\"\neligible = false\n";
        std::fs::write(dir.join("sub/UI.TOML"), text).unwrap();
        std::fs::write(dir.join("b.Toml"), text).unwrap();
        let r = run_path(&dir).unwrap();
        assert!(r.passed(), "{r}");
        assert_eq!((r.files, r.cases, r.expectations), (2, 2, 2));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_records_name_the_key_and_the_line() {
        let e =
            run("[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\ntransport_cos = \"5\"\n")
                .unwrap_err()
                .to_string();
        assert!(
            e.contains("t.toml line 5") && e.contains("transport_cos"),
            "{e}"
        );
        let e = run("[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\nisolation_days = -1\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 5") && e.contains("case[0].laborer[0].isolation_days"),
            "{e}"
        );
        let e = run("[[case]]\nname = \"x\"\n[case.policy.ui_refund]\nrate = [{ effective_from = \"2015-01-01\", value = \"2\" }]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 4") && e.contains("case[0].policy.ui_refund.rate[0].value"),
            "{e}"
        );
        let e = run(
            "[[case]]\nname = \"x\"\n[[case.expect]]\nprogram = \"transport\"\nsubject = \"L1\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 4") && e.contains("transport"), "{e}");
        let e = run("[[case]]\nname = \"x\"\n[[case.laborer]]\nid = \"L1\"\n[[case.laborer]]\nid = \"L1\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("appears twice"), "{e}");
    }

    #[test]
    fn scenario_errors_read_in_both_languages() {
        let zh = |text: &str| run(text).unwrap_err().render(Lang::Zh);
        let head = "[[case]]\nname = \"x\"\n";
        assert_eq!(
            zh(&format!(
                "{head}[[case.laborer]]\nid = \"L1\"\ntransport_cos = \"5\"\n"
            )),
            format!(
                "t.toml 第 5 行，case[0].laborer[0].transport_cos：laborer 记录没有字段 `transport_cos`，应为以下之一：{}",
                field_names::<Laborer>().join(", ")
            )
        );
        assert_eq!(
            zh(&format!("{head}[[case.post]]\nholder_id = \"L1\"\n")),
            "t.toml 第 3 行，case[0].post[0]：post 记录必须有 `id`"
        );
        assert_eq!(
            zh(&format!(
                "{head}[[case.laborer]]\nid = \"L1\"\n[[case.laborer]]\nid = \"L1\"\n"
            )),
            "t.toml 第 1 行，case[0]：劳动力 id \"L1\" 出现两次 (记录 0 和 1)"
        );
        assert_eq!(
            zh(&format!(
                "{head}[[case.expect]]\nprogram = \"transport_subsidy\"\nsubject = \"L1\"\neligible = false\n[[case]]\nname = \"x\"\n"
            )),
            "t.toml 第 8 行，case[1].name：案例 \"x\" 与 case[0] 同名"
        );
        let e = zh(&format!(
            "{head}[[case.expect]]\nprogram = \"transport\"\nsubject = \"L1\"\n"
        ));
        assert!(e.starts_with("t.toml 第 4 行，case[0].expect[0].program：未知项目 \"transport\"，应为以下之一：transport_subsidy"), "{e}");
        let e = zh(&format!(
            "{head}[[case.expect]]\nprogram = \"transport_subsidy\"\nsubject = \"L1\"\nreasons = [\"bogus\"]\n"
        ));
        assert!(
            e.contains("项目 transport_subsidy 没有原因代码 \"bogus\"，应为以下之一：not_poor"),
            "{e}"
        );
        let e = zh(&format!(
            "{head}[case.reform]\nname = \"r\"\n[[case.reform.change]]\nparameter = \"ui_refund.rate\"\neffective_from = 2020-03-01\nvalue = \"2\"\n"
        ));
        assert_eq!(
            e,
            "t.toml 第 3 行，case[0].reform：改革方案 \"r\"，参数 ui_refund.rate（2020-03-01 起）：比率 2 不在 0..=1 之内"
        );
        let e = zh("policy_file = \"no-such.toml\"\n[[case]]\nname = \"x\"\n");
        assert_eq!(
            e,
            "t.toml 的 policy_file：无法读取政策文件 no-such.toml：文件不存在"
        );
        let e = run("policy_file = \"no-such.toml\"\n[[case]]\nname = \"x\"\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.toml at policy_file: cannot read policy file no-such.toml"),
            "{e}"
        );
        let e = Runner::new()
            .run_path("/no/such/scenarios.toml")
            .unwrap_err();
        assert_eq!(
            e.render(Lang::Zh),
            "无法读取 /no/such/scenarios.toml：文件不存在"
        );
    }

    #[test]
    fn a_case_can_carry_a_reform() {
        let r = run(r#"
[[case]]
name = "cap 600 from 2020-03-01"
[case.reform]
name = "cap 600"
[[case.reform.change]]
parameter = "transport_subsidy.cap"
effective_from = 2020-03-01
value = "600.00"
[[case.laborer]]
id = "L1"
poverty_status = "lifted"
able_to_work = true
work_destination = "out_of_county"
departure_date = 2020-03-01
transport_cost = "623.40"
[[case.expect]]
program = "transport_subsidy"
subject = "L1"
amount = "600.00"
"#)
        .unwrap();
        assert!(r.passed(), "{r}");
    }
}
