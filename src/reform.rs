//! Policy changes as data: county overlays and dated reforms, applied without recompiling.
//!
//! Both work on the policy's TOML form, so they know no parameter by name: a new parameter
//! table in [`Policy`] is overlaid and reformed like the others, and everything is validated
//! by the policy's own deserializer (histories sorted, money non-negative, rates in `0..=1`,
//! windows that end after they start, no unknown key). An error names the parameter's path
//! and, for text, the line.
//!
//! - An **overlay** is a partial policy file: its tables are merged into a base policy, key
//!   by key; a parameter it names replaces the base's history as a whole
//!   ([`Policy::with_overlay_str`], [`Policy::with_overlay_file`]).
//! - A **reform** is a named set of changes, each a value with its effective date, inserted
//!   into the base's histories (replacing an entry of the same date, keeping dates sorted)
//!   ([`Reform`], [`Reform::apply`]). The base is never mutated.
//!
//! # Reform files
//!
//! ```toml
//! name = "交通补贴上限提高到600元"              # required
//! description = "transport cap 600 from 2020-03-01"  # optional
//!
//! [[change]]
//! parameter = "transport_subsidy.cap"   # table.parameter, as in the policy file
//! effective_from = "2020-03-01"         # the first day the value is in force
//! value = "600.00"                      # as the policy file writes it: money and rates are strings
//! source = "县人社局通知 (example)"      # optional, shown to auditors
//! ```
//!
//! # Example: the 50% → 60% change of the article, as a reform of a 2019 baseline
//! ```
//! use jiuye_fupin::reform::Reform;
//! use jiuye_fupin::Policy;
//!
//! // The preset, with the refund rate of before the epidemic: an overlay.
//! let baseline = Policy::yang_county_2020().with_overlay_str(r#"
//!     name = "洋县 2019 基线"
//!     [ui_refund]
//!     rate = [{ effective_from = "2015-01-01", value = "0.50" }]
//! "#)?;
//! let reform = Reform::new("疫情期间稳岗返还提高到60%")
//!     .change("ui_refund.rate", "2020-01-25".parse()?, "0.60")
//!     .change("ui_refund.rate", "2021-01-01".parse()?, "0.50");
//! let reformed = reform.apply(&baseline)?;
//! let rate = |p: &Policy, d: &str| -> Result<String, Box<dyn std::error::Error>> {
//!     let rate = p.table("ui_refund").ok_or("no table")?.param("rate").ok_or("no rate")?;
//!     Ok(rate.at(d.parse()?).ok_or("not in force")?.to_string())
//! };
//! assert_eq!(rate(&baseline, "2020-03-01")?, "0.5"); // the base is unchanged
//! assert_eq!(rate(&reformed, "2020-03-01")?, "0.6");
//! assert_eq!(rate(&reformed, "2021-01-01")?, "0.5");
//!
//! // Errors name the parameter.
//! let bad = Reform::new("typo").change("ui_refund.rat", "2020-01-25".parse()?, "0.60");
//! let err = bad.apply(&baseline).unwrap_err().to_string();
//! assert!(err.contains("ui_refund.rat"), "{err}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use toml::{Table, Value};

use crate::Lang;
use crate::policy::Policy;
use crate::problem::FileProblem;

/// An overlay or a reform that cannot be applied, or a file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReformError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A value, key or path that is not valid: the message says where.
    #[error("{0}")]
    Invalid(Box<Located>),
}

impl ReformError {
    /// The same error with no line or column (see [`Reform::without_lines`]): the
    /// parameter's path (`change[0].value`) says where.
    pub(crate) fn without_lines(self) -> ReformError {
        match self {
            ReformError::Invalid(mut at) => {
                at.line = None;
                at.column = None;
                ReformError::Invalid(at)
            }
            e => e,
        }
    }
}

impl ReformError {
    /// The error in `lang`: the file, the line, the reform, the parameter and what is wrong.
    ///
    /// ```
    /// use jiuye_fupin::{Lang, Policy};
    /// let e = Policy::yang_county_2020()
    ///     .with_overlay_str("name = \"x\"\n[transport_subsidy]\nbogus = 1\n")
    ///     .unwrap_err();
    /// assert_eq!(e.render(Lang::Zh), "第 3 行，transport_subsidy：未知参数 `bogus`，应为以下之一：cap, window, enabled, in_effect, citation");
    /// assert_eq!(e.render(Lang::En), e.to_string());
    ///
    /// let e = jiuye_fupin::reform::Reform::load("/no/such/reform.toml").unwrap_err();
    /// assert_eq!(e.render(Lang::Zh), "无法读取 /no/such/reform.toml：文件不存在");
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, e) => e.to_string(),
            (Lang::Zh, ReformError::Io { path, source }) => {
                crate::file::cannot_read_zh("", path, source)
            }
            (Lang::Zh, ReformError::Invalid(at)) => at.render(lang),
        }
    }
}

/// A problem and where it is: the file and line when read from text, the parameter's path
/// (`ui_refund.rate[1].value`), and the reform and change when applying one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Located {
    /// The file, when read from one.
    pub file: Option<PathBuf>,
    /// The line (1-based), when known.
    pub line: Option<usize>,
    /// The column (1-based, in characters), when the parser gave one: shown in Chinese
    /// ([`Located::render`]); the English text names the line only, as it always has.
    pub column: Option<usize>,
    /// The reform being applied, if any.
    pub reform: Option<String>,
    /// Where in the policy (or in the file): `ui_refund.rate[1].value`.
    pub parameter: String,
    /// The effective date of the reform's change that the problem is in, when applying one
    /// (`at ui_refund.rate from 2021-03-01`; `参数 ui_refund.rate（2021-03-01 起）`).
    pub effective_from: Option<NaiveDate>,
    /// What is wrong.
    pub problem: FileProblem,
}

impl Located {
    /// The problem and where it is, in `lang` (`Display` is English).
    ///
    /// ```
    /// use jiuye_fupin::reform::Reform;
    /// use jiuye_fupin::{Lang, Policy};
    /// let e = Reform::new("bad").change("ui_refund.rate", "2021-03-01".parse()?, "1.2")
    ///     .apply(&Policy::yang_county_2020()).unwrap_err();
    /// let at = e.located().unwrap();
    /// assert_eq!(at.render(Lang::Zh), "改革方案 \"bad\"，参数 ui_refund.rate（2021-03-01 起）：比率 1.2 不在 0..=1 之内");
    /// assert_eq!(at.render(Lang::En), "reform \"bad\", at ui_refund.rate from 2021-03-01: rate 1.2 is outside 0..=1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let mut s = String::new();
        let mut sep = "";
        if let Some(r) = &self.reform {
            s.push_str(&format!("改革方案 {r:?}"));
            sep = "，";
        }
        if let Some(file) = &self.file {
            s.push_str(&format!("{sep}{}", file.display()));
            sep = " ";
        }
        if let Some(line) = self.line {
            s.push_str(&format!("{sep}第 {line} 行"));
            if let Some(column) = self.column {
                s.push_str(&format!("第 {column} 列"));
            }
            sep = "，";
        }
        if !self.parameter.is_empty() {
            let what = if self.reform.is_some() { "参数 " } else { "" };
            s.push_str(&format!("{sep}{what}{}", self.parameter));
            if let Some(from) = self.effective_from {
                s.push_str(&format!("（{from} 起）"));
            }
            sep = "：";
        } else if !sep.is_empty() {
            sep = "：";
        }
        s.push_str(sep);
        s.push_str(&self.problem.render(lang));
        s
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(r) = &self.reform {
            write!(f, "reform {r:?}")?;
            sep = ", ";
        }
        if let Some(file) = &self.file {
            write!(f, "{sep}{}", file.display())?;
            sep = " ";
        }
        if let Some(line) = self.line {
            write!(f, "{sep}line {line}")?;
            sep = ", ";
        }
        if !self.parameter.is_empty() {
            write!(f, "{sep}at {}", self.parameter)?;
            if let Some(from) = self.effective_from {
                write!(f, " from {from}")?;
            }
            sep = ": ";
        } else if !sep.is_empty() {
            sep = ": ";
        }
        write!(f, "{sep}{}", self.problem)
    }
}

impl ReformError {
    pub(crate) fn invalid(parameter: impl Into<String>, problem: FileProblem) -> ReformError {
        ReformError::Invalid(Box::new(Located {
            file: None,
            line: None,
            column: None,
            reform: None,
            parameter: parameter.into(),
            effective_from: None,
            problem,
        }))
    }

    /// The location, for an invalid overlay or reform.
    pub fn located(&self) -> Option<&Located> {
        match self {
            ReformError::Invalid(at) => Some(at),
            ReformError::Io { .. } => None,
        }
    }

    fn located_mut(&mut self) -> Option<&mut Located> {
        match self {
            ReformError::Invalid(at) => Some(at),
            ReformError::Io { .. } => None,
        }
    }

    /// The same error, said to come from `file` (when it has no file yet).
    pub(crate) fn in_file(mut self, file: Option<&Path>) -> ReformError {
        if let Some(at) = self.located_mut() {
            if at.file.is_none() {
                at.file = file.map(Path::to_owned);
            }
        }
        self
    }
}

fn read(path: &Path) -> Result<String, ReformError> {
    crate::policy::read_text(path, crate::policy::MAX_POLICY_BYTES).map_err(|source| {
        ReformError::Io {
            path: path.to_owned(),
            source,
        }
    })
}

impl Policy {
    /// This policy with a partial policy file laid over it: every table the text names is
    /// merged key by key; a parameter it names replaces this policy's history of it.
    ///
    /// ```
    /// use jiuye_fupin::Policy;
    ///
    /// let mine = Policy::yang_county_2020().with_overlay_str(r#"
    /// name = "某县 2020"
    /// [transport_subsidy]
    /// cap = [{ effective_from = "2015-01-01", value = "800.00" }]
    /// "#)?;
    /// let cap = mine.table("transport_subsidy").unwrap().param("cap").unwrap();
    /// assert_eq!(cap.at("2020-04-01".parse()?).unwrap().to_string(), "800.00");
    /// assert_eq!(mine.name(), "某县 2020");
    ///
    /// let err = Policy::yang_county_2020()
    ///     .with_overlay_str("[transport_subsidy]\ncap = [{ effective_from = \"2015-01-01\", value = 800 }]\n")
    ///     .unwrap_err().to_string();
    /// assert!(err.starts_with("line 2, at transport_subsidy.cap[0].value"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ReformError::Invalid`] for bad syntax, an unknown key or an invalid value, naming
    /// the parameter and the line.
    pub fn with_overlay_str(&self, text: &str) -> Result<Policy, ReformError> {
        let table: Table = text.parse().map_err(|e| syntax_error(text, &e))?;
        self.with_overlay_table(table).map_err(|(path, problem)| {
            let line = locate(text, &[], &path, problem.unknown_key());
            at_line(line.map(|l| (l, 0)), &path, problem)
        })
    }

    /// [`Policy::with_overlay_str`] on a file.
    ///
    /// # Errors
    /// [`ReformError::Io`], or [`ReformError::Invalid`] naming the file, line and parameter.
    pub fn with_overlay_file(&self, path: impl AsRef<Path>) -> Result<Policy, ReformError> {
        let path = path.as_ref();
        self.with_overlay_str(&read(path)?)
            .map_err(|e| e.in_file(Some(path)))
    }

    /// The overlay of an already parsed table; errors are the path and the problem.
    pub(crate) fn with_overlay_table(
        &self,
        overlay: Table,
    ) -> Result<Policy, (Vec<Seg>, FileProblem)> {
        let mut table = policy_table(self).map_err(|m| (Vec::new(), m))?;
        let mut overlay = Value::Table(overlay);
        normalize_dates(&mut overlay);
        if let Value::Table(overlay) = overlay {
            merge(&mut table, overlay);
        }
        to_policy(self.rules(), table)
    }
}

/// A named set of parameter changes, each with its effective date.
///
/// Built in Rust with [`Reform::new`] and [`Reform::change`], or read from a file
/// ([`Reform::load`], format in the [module docs](self)). Applying it ([`Reform::apply`])
/// leaves the base policy untouched. Two reforms are equal when their names, descriptions
/// and changes are, wherever they were read from.
#[derive(Debug, Clone, Serialize)]
pub struct Reform {
    /// The reform's name, shown in reports.
    pub name: String,
    /// A longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The changes, applied in order.
    #[serde(rename = "change")]
    pub changes: Vec<Change>,
    #[serde(skip)]
    file: Option<PathBuf>,
}

/// One change of a [`Reform`]: `value` in force for `parameter` from `effective_from` on.
/// Equality ignores the line it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The parameter's path, `table.parameter` as in the policy file (`ui_refund.rate`).
    pub parameter: String,
    /// The first day the value is in force.
    pub effective_from: NaiveDate,
    /// The value, as the policy file writes it (`"0.60"`, `7`, `{ from = …, to = … }`).
    pub value: Value,
    /// Where the value comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip)]
    line: Option<usize>,
}

impl Change {
    /// A change without a source note.
    ///
    /// ```
    /// use jiuye_fupin::reform::{Change, Reform};
    /// let c = Change::new("ui_refund.rate", "2020-02-01".parse()?, "0.60").with_source("人社部发〔2020〕 (example)");
    /// let p = Reform::new("r").with(c).apply(&jiuye_fupin::Policy::yang_county_2020())?;
    /// let rate = p.table("ui_refund").unwrap().param("rate").unwrap();
    /// let entry = rate.entries().iter().find(|e| e.source.as_deref() == Some("人社部发〔2020〕 (example)"));
    /// assert_eq!(entry.map(|e| e.value.to_string()), Some("0.6".into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        parameter: impl Into<String>,
        effective_from: NaiveDate,
        value: impl Into<Value>,
    ) -> Change {
        Change {
            parameter: parameter.into(),
            effective_from,
            value: value.into(),
            source: None,
            line: None,
        }
    }

    /// The same change with a source note.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> Change {
        self.source = Some(source.into());
        self
    }
}

impl PartialEq for Reform {
    fn eq(&self, other: &Reform) -> bool {
        (&self.name, &self.description, &self.changes)
            == (&other.name, &other.description, &other.changes)
    }
}

impl PartialEq for Change {
    fn eq(&self, other: &Change) -> bool {
        (
            &self.parameter,
            self.effective_from,
            &self.value,
            &self.source,
        ) == (
            &other.parameter,
            other.effective_from,
            &other.value,
            &other.source,
        )
    }
}

/// A reform file's text, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReform {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    change: Vec<toml::Spanned<RawChange>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    parameter: String,
    #[serde(deserialize_with = "flexible_date")]
    effective_from: NaiveDate,
    value: Value,
    #[serde(default)]
    source: Option<String>,
}

/// A date written as a string (`"2020-02-01"`) or as a TOML date (`2020-02-01`).
pub(crate) fn flexible_date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let mut v = Value::deserialize(d)?;
    normalize_dates(&mut v);
    match &v {
        Value::String(s) => s
            .parse()
            .map_err(|_| crate::problem::raise(FileProblem::NotADate(s.clone()))),
        other => Err(crate::problem::raise(FileProblem::DateExpected {
            found: other.type_str(),
        })),
    }
}

impl Reform {
    /// The same reform with no line numbers: read from a text the caller never wrote (a
    /// JSON object turned into TOML), where a line would name nothing the caller has.
    pub(crate) fn without_lines(mut self) -> Reform {
        for c in &mut self.changes {
            c.line = None;
        }
        self
    }
}

/// Why a change of a reform cannot show in a comparison of decisions
/// ([`Reform::not_compared`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotCompared {
    /// A parameter of an audit (R9 `assistant_quota`, R10 `post_compliance`): it changes
    /// findings, not decisions.
    Audit,
    /// A parameter of a program the base policy does not run (`enabled = false`).
    NotRun,
}

impl NotCompared {
    /// Why, in `lang`, after the parameter's path.
    pub fn render(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NotCompared::Audit, Lang::Zh) => {
                "督查 (R9、R10) 的参数：改变的是问题清单而非发放决定，本对比不含其影响 (请以调整后的政策运行 audit)"
            }
            (NotCompared::Audit, Lang::En) => {
                "a parameter of an audit (R9, R10): it changes findings, not decisions, and this comparison does not show it (run audit under the reformed policy)"
            }
            (NotCompared::NotRun, Lang::Zh) => {
                "本县未实施该项目 (enabled = false)：此项调整不影响任何决定"
            }
            (NotCompared::NotRun, Lang::En) => {
                "the county does not run this program (enabled = false): the change decides nothing"
            }
        }
    }
}

impl Reform {
    /// The changes whose effect a comparison of decisions ([`crate::compare::compare`])
    /// cannot show on `base`, and why: so that a report of "no decision changed" is not
    /// taken for "the reform changes nothing".
    ///
    /// ```
    /// use jiuye_fupin::reform::{NotCompared, Reform};
    /// use jiuye_fupin::Policy;
    /// let base = Policy::yang_county_2020().with_overlay_str("[startup_grant]\nenabled = false\n")?;
    /// let r = Reform::new("r")
    ///     .change("post_compliance.payment_deadline_day", "2020-03-01".parse()?, 10)
    ///     .change("startup_grant.amount", "2020-03-01".parse()?, "6000.00")
    ///     .change("transport_subsidy.cap", "2020-03-01".parse()?, "600.00");
    /// let why: Vec<(&str, NotCompared)> =
    ///     r.not_compared(&base).into_iter().map(|(c, w)| (c.parameter.as_str(), w)).collect();
    /// assert_eq!(why, [("post_compliance.payment_deadline_day", NotCompared::Audit),
    ///                  ("startup_grant.amount", NotCompared::NotRun)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn not_compared(&self, base: &Policy) -> Vec<(&Change, NotCompared)> {
        let audits = crate::ruleset::audit_tables().map(|(name, _)| name);
        (self.changes.iter())
            .filter_map(|c| {
                let table = c.parameter.split('.').next().unwrap_or_default();
                if audits.contains(&table) {
                    Some((c, NotCompared::Audit))
                } else if base.table(table).is_some_and(|t| !t.enabled()) {
                    Some((c, NotCompared::NotRun))
                } else {
                    None
                }
            })
            .collect()
    }
}

impl Reform {
    /// A reform with no change yet.
    pub fn new(name: impl Into<String>) -> Reform {
        Reform {
            name: name.into(),
            description: None,
            changes: Vec::new(),
            file: None,
        }
    }

    /// Adds a change: `value` for `parameter` from `effective_from` on. Nothing is checked
    /// until [`Reform::apply`].
    #[must_use]
    pub fn change(
        self,
        parameter: &str,
        effective_from: NaiveDate,
        value: impl Into<Value>,
    ) -> Reform {
        self.with(Change::new(parameter, effective_from, value))
    }

    /// Adds a change built with [`Change::new`] (with a source, say).
    #[must_use]
    pub fn with(mut self, change: Change) -> Reform {
        self.changes.push(change);
        self
    }

    /// Reads a reform from TOML text (format in the [module docs](self)).
    ///
    /// ```
    /// use jiuye_fupin::reform::Reform;
    /// let r = Reform::from_toml_str(r#"
    /// name = "UI refund 60% from 2020-02-01"
    /// [[change]]
    /// parameter = "ui_refund.rate"
    /// effective_from = "2020-02-01"
    /// value = "0.60"
    /// "#)?;
    /// assert_eq!(r.changes.len(), 1);
    /// let err = Reform::from_toml_str("name = \"x\"\n[[change]]\nparameter = \"a.b\"\nvalue = 1\neffective_from = \"2020-02-30\"\n").unwrap_err();
    /// assert!(err.to_string().contains("line 5"), "{err}");
    /// # Ok::<(), jiuye_fupin::reform::ReformError>(())
    /// ```
    ///
    /// # Errors
    /// [`ReformError::Invalid`] naming the key and the line.
    pub fn from_toml_str(text: &str) -> Result<Reform, ReformError> {
        let raw: RawReform = from_str_located(text)?;
        Ok(Reform::from_raw(raw, text))
    }

    fn from_raw(raw: RawReform, text: &str) -> Reform {
        let changes = (raw.change.into_iter())
            .map(|c| {
                let line = line_of(text, c.span().start);
                let c = c.into_inner();
                Change {
                    parameter: c.parameter,
                    effective_from: c.effective_from,
                    value: c.value,
                    source: c.source,
                    line: Some(line),
                }
            })
            .collect();
        Reform {
            name: raw.name,
            description: raw.description,
            changes,
            file: None,
        }
    }

    /// Reads a reform file.
    ///
    /// ```
    /// use jiuye_fupin::reform::Reform;
    /// let r = Reform::load("policies/reforms/transport-cap-600.toml")?;
    /// assert_eq!(r.changes[0].parameter, "transport_subsidy.cap");
    /// assert!(Reform::load("policies/reforms/nowhere.toml").is_err());
    /// # Ok::<(), jiuye_fupin::reform::ReformError>(())
    /// ```
    ///
    /// # Errors
    /// [`ReformError::Io`], or [`ReformError::Invalid`] naming the file, key and line.
    pub fn load(path: impl AsRef<Path>) -> Result<Reform, ReformError> {
        let path = path.as_ref();
        let mut r = Reform::from_toml_str(&read(path)?).map_err(|e| e.in_file(Some(path)))?;
        r.file = Some(path.to_owned());
        Ok(r)
    }

    /// The reform read from a table of a larger file (a scenario's `[reform]`).
    pub(crate) fn from_value(value: Value) -> Result<Reform, ReformError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Plain {
            name: String,
            #[serde(default)]
            description: Option<String>,
            #[serde(default)]
            change: Vec<RawChange>,
        }
        crate::problem::forget();
        let raw: Plain = serde_path_to_error::deserialize(value).map_err(|e| {
            let parameter = e.path().to_string();
            ReformError::invalid(parameter, FileProblem::of(e.inner().message()))
        })?;
        let mut reform = Reform::new(raw.name);
        reform.description = raw.description;
        for c in raw.change {
            let mut change = Change::new(c.parameter, c.effective_from, c.value);
            change.source = c.source;
            reform.changes.push(change);
        }
        Ok(reform)
    }

    /// The base policy with every change applied, in order; `base` is not changed. The
    /// result is named `"{base} + {reform}"`.
    ///
    /// A change to a parameter the base leaves out (an optional one, like
    /// `premium_deferral.window`) starts its history.
    ///
    /// ```
    /// use jiuye_fupin::reform::Reform;
    /// use jiuye_fupin::Policy;
    /// let base = Policy::yang_county_2020();
    /// let raised = Reform::new("cap 600").change("transport_subsidy.cap", "2021-03-01".parse()?, "600.00").apply(&base)?;
    /// let cap = |p: &Policy| p.table("transport_subsidy").unwrap().param("cap").unwrap().clone();
    /// assert_eq!(cap(&base).entries().len(), 1); // untouched
    /// assert_eq!(cap(&raised).at("2021-03-01".parse()?).map(|c| c.to_string()), Some("600.00".into()));
    ///
    /// let err = Reform::new("bad").change("ui_refund.rate", "2021-03-01".parse()?, "1.2").apply(&base).unwrap_err();
    /// assert_eq!(err.to_string(), "reform \"bad\", at ui_refund.rate from 2021-03-01: rate 1.2 is outside 0..=1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ReformError::Invalid`] naming the reform, the change's parameter and date (and its
    /// file and line), when a parameter does not exist or a value is invalid.
    pub fn apply(&self, base: &Policy) -> Result<Policy, ReformError> {
        let at = |c: &Change, problem: FileProblem| {
            ReformError::Invalid(Box::new(Located {
                file: self.file.clone(),
                line: c.line,
                column: None,
                reform: Some(self.name.clone()),
                parameter: c.parameter.clone(),
                effective_from: Some(c.effective_from),
                problem,
            }))
        };
        // Two different values for one parameter on one date: which one is meant?
        let mut first: std::collections::HashMap<(&str, NaiveDate), &Value> =
            std::collections::HashMap::new();
        for c in &self.changes {
            match first.entry((c.parameter.as_str(), c.effective_from)) {
                std::collections::hash_map::Entry::Occupied(d) if *d.get() != &c.value => {
                    let problem = FileProblem::TwoValuesForOneDate {
                        first: d.get().to_string(),
                        second: c.value.to_string(),
                    };
                    return Err(at(c, problem));
                }
                std::collections::hash_map::Entry::Occupied(_) => {}
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(&c.value);
                }
            }
        }
        let base_table = policy_table(base).map_err(|m| ReformError::invalid("", m))?;
        let with = |k: usize| -> Result<Table, ReformError> {
            let mut table = base_table.clone();
            for c in self.changes.iter().take(k) {
                insert_entry(&mut table, c).map_err(|m| at(c, m))?;
            }
            Ok(table)
        };
        let mut table = with(self.changes.len())?;
        let name = format!("{} + {}", base.name(), self.name);
        table.insert("name".into(), Value::String(name));
        // The policy's own validation, once. Only when it fails is the change that made
        // the policy invalid looked for: the base is valid and the whole is not, so some
        // change turns a valid prefix into an invalid one; halving finds one in a
        // logarithmic number of validations (a long reform is never validated per change).
        let mut found = match to_policy(base.rules(), table) {
            Ok(policy) => return Ok(policy),
            Err(e) => e,
        };
        let (mut valid, mut invalid) = (0, self.changes.len());
        while invalid.saturating_sub(valid) > 1 {
            let mid = valid.midpoint(invalid);
            match to_policy(base.rules(), with(mid)?) {
                Ok(_) => valid = mid,
                Err(e) => (invalid, found) = (mid, e),
            }
        }
        let Some(c) = self.changes.get(invalid.saturating_sub(1)) else {
            return Err(ReformError::invalid(path_string(&found.0), found.1));
        };
        let (path, m) = found;
        let path = path_string(&path);
        let m = if path.is_empty() || path.starts_with(&c.parameter) {
            m
        } else {
            FileProblem::Elsewhere {
                path,
                problem: Box::new(m),
            }
        };
        Err(at(c, m))
    }
}

/// A rule table's `in_effect` key.
const IN_EFFECT: &str = "in_effect";

/// Inserts `c` as a dated entry into its history: an entry of the same date is replaced,
/// dates stay sorted. A missing last key starts a history (the deserializer then says
/// whether the parameter exists).
fn insert_entry(root: &mut Table, c: &Change) -> Result<(), FileProblem> {
    let segs: Vec<&str> = c.parameter.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) || segs.len() < 2 {
        return Err(FileProblem::NotAParameterPath);
    }
    let Some((last, parents)) = segs.split_last() else {
        return Err(FileProblem::NotAParameterPath);
    };
    let mut t = root;
    for (i, s) in parents.iter().enumerate() {
        t = match t.get_mut(*s) {
            Some(Value::Table(x)) => x,
            Some(_) => {
                return Err(FileProblem::NotATable(
                    segs.get(..=i).unwrap_or(&segs).join("."),
                ));
            }
            None => {
                return Err(FileProblem::NoTable(
                    segs.get(..=i).unwrap_or(&segs).join("."),
                ));
            }
        };
    }
    let date_of =
        |e: &Value| -> Option<NaiveDate> { e.get("effective_from")?.as_str()?.parse().ok() };
    // A rule whose table says nothing of `in_effect` is in force wherever its parameters
    // are. A change of `in_effect` from a date must leave the days before it so: the new
    // history starts with `true` from the table's first entry (POLICY.md reading 8; a
    // reform's change takes effect on its date, never before).
    let history = match t.get(*last) {
        None if *last == IN_EFFECT => {
            let first = (t.values())
                .filter_map(Value::as_array)
                .flat_map(|entries| entries.iter().filter_map(date_of))
                .min();
            let mut seeded = Vec::new();
            if let Some(first) = first.filter(|&d| d < c.effective_from) {
                let mut entry = Table::new();
                entry.insert("effective_from".into(), Value::String(first.to_string()));
                entry.insert("value".into(), Value::Boolean(true));
                seeded.push(Value::Table(entry));
            }
            t.entry((*last).to_owned()).or_insert(Value::Array(seeded))
        }
        _ => t
            .entry((*last).to_owned())
            .or_insert_with(|| Value::Array(Vec::new())),
    };
    let Value::Array(entries) = history else {
        return Err(FileProblem::NotADatedParameter);
    };
    let mut value = c.value.clone();
    normalize_dates(&mut value);
    let mut entry = Table::new();
    entry.insert(
        "effective_from".into(),
        Value::String(c.effective_from.to_string()),
    );
    entry.insert("value".into(), value);
    if let Some(s) = &c.source {
        entry.insert("source".into(), Value::String(s.clone()));
    }
    let pos = entries.partition_point(|e| date_of(e).is_some_and(|d| d < c.effective_from));
    match entries.get_mut(pos) {
        Some(e) if date_of(e) == Some(c.effective_from) => *e = Value::Table(entry),
        _ => entries.insert(pos, Value::Table(entry)),
    }
    Ok(())
}

/// One step of a path into a TOML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// A table's key.
    Key(String),
    /// An array's index.
    Index(usize),
}

/// `ui_refund.rate[1].value`.
pub(crate) fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn segs(path: &serde_path_to_error::Path) -> Vec<Seg> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            // toml's `Spanned` wraps values in a private key: not part of the user's path.
            Segment::Map { key } if key.starts_with("$__serde_spanned") => None,
            Segment::Map { key } => Some(Seg::Key(key.clone())),
            Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

/// A policy as a TOML table.
pub(crate) fn policy_table(p: &Policy) -> Result<Table, FileProblem> {
    let text = p.to_toml().map_err(FileProblem::Toml)?;
    toml::from_str(&text)
        .map_err(|e| FileProblem::Toml(format!("cannot serialize the policy: {e}")))
}

/// A policy for `rules` from a TOML table, through the policy's own validation.
pub(crate) fn to_policy(
    rules: &crate::RuleSet,
    table: Table,
) -> Result<Policy, (Vec<Seg>, FileProblem)> {
    let text =
        toml::to_string(&table).map_err(|e| (Vec::new(), FileProblem::Toml(e.to_string())))?;
    Policy::from_toml_str_with(rules, &text).map_err(|e| match e {
        crate::policy::PolicyError::Invalid {
            parameter, problem, ..
        } => {
            let path = parameter
                .split('.')
                .filter(|k| !k.is_empty())
                .flat_map(|k| {
                    let (key, rest) = k.split_once('[').unwrap_or((k, ""));
                    let index = rest.trim_end_matches(']').parse().ok().map(Seg::Index);
                    [Some(Seg::Key(key.to_owned())), index]
                })
                .flatten()
                .collect();
            (path, *problem)
        }
        other => (Vec::new(), FileProblem::Toml(other.to_string())),
    })
}

/// Deserializes `T` from TOML text; errors name the key path and the line.
pub(crate) fn from_str_located<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, ReformError> {
    let de = toml::Deserializer::parse(text).map_err(|e| syntax_error(text, &e))?;
    crate::problem::forget();
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = segs(e.path());
        let inner = e.into_inner();
        let problem = FileProblem::of(inner.message());
        let at = match inner.span() {
            Some(s) => Some(crate::policy::line_column(text, s.start)),
            None => locate(text, &[], &path, problem.unknown_key()).map(|l| (l, 0)),
        };
        at_line(at, &path, problem)
    })
}

/// A TOML syntax error, at its line.
fn syntax_error(text: &str, e: &toml::de::Error) -> ReformError {
    at_line(
        e.span().map(|s| crate::policy::line_column(text, s.start)),
        &[],
        FileProblem::from_message(e.message()),
    )
}

/// The problem at `path`, at a line and column (a column 0: not known).
fn at_line(at: Option<(usize, usize)>, path: &[Seg], problem: FileProblem) -> ReformError {
    ReformError::Invalid(Box::new(Located {
        file: None,
        line: at.map(|(line, _)| line),
        column: at.map(|(_, column)| column).filter(|c| *c > 0),
        reform: None,
        parameter: path_string(path),
        effective_from: None,
        problem,
    }))
}

/// Merges `over` into `base`: tables key by key, anything else replaced.
pub(crate) fn merge(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Turns TOML dates (`2020-02-01`, no time) into strings, as the policy reads them.
pub(crate) fn normalize_dates(v: &mut Value) {
    match v {
        Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            if let Some(d) = dt.date {
                *v = Value::String(d.to_string());
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize_dates),
        Value::Table(t) => t.iter_mut().for_each(|(_, v)| normalize_dates(v)),
        _ => {}
    }
}

/// The 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    let before = text.as_bytes().get(..end).unwrap_or_default();
    before
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_add(1)
}

/// The line of `prefix` + `path` in `text`, as far down the path as the text goes; for an
/// unknown key (`unknown`), the line of that key.
pub(crate) fn locate(
    text: &str,
    prefix: &[Seg],
    path: &[Seg],
    unknown: Option<&str>,
) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let mut full: Vec<Seg> = prefix.iter().chain(path).cloned().collect();
    if let Some(key) = unknown {
        full.push(Seg::Key(key.to_owned()));
    }
    let mut span = None;
    let mut table: Option<&DeTable<'_>> = Some(doc.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    for seg in &full {
        let found = match seg {
            Seg::Key(k) => table.and_then(|t| {
                t.iter()
                    .find(|(key, _)| key.get_ref() == k)
                    .map(|(key, v)| (key.span(), v))
            }),
            Seg::Index(i) => array.and_then(|a| a.get(*i)).map(|v| (v.span(), v)),
        };
        let Some((key_span, v)) = found else { break };
        span = Some(if v.span().is_empty() {
            key_span
        } else {
            v.span()
        });
        table = None;
        array = None;
        match v.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    span.map(|s| line_of(text, s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_reform_read_from_a_file_equals_the_same_reform_built_in_rust_and_writes_back() {
        let text = "name = \"r\"\n[[change]]\nparameter = \"ui_refund.rate\"\neffective_from = \"2020-02-01\"\nvalue = \"0.60\"\nsource = \"s\"\n";
        let read = Reform::from_toml_str(text).unwrap();
        let built = Reform::new("r")
            .with(Change::new("ui_refund.rate", d("2020-02-01"), "0.60").with_source("s"));
        assert_eq!(read, built);
        let written = toml::to_string(&built).unwrap();
        assert_eq!(Reform::from_toml_str(&written).unwrap(), built);
    }

    #[test]
    fn an_empty_overlay_changes_nothing() {
        let p = Policy::yang_county_2020();
        assert_eq!(p.with_overlay_str("").unwrap(), p);
    }

    #[test]
    fn an_overlay_replaces_only_the_parameters_it_names() {
        let p = Policy::yang_county_2020();
        let q = p
            .with_overlay_str(
                "[isolation_allowance]\nmax_days = [{ effective_from = 2015-01-01, value = 14 }]\n",
            )
            .unwrap();
        let at = |p: &Policy, t: &str, k: &str| {
            let h = p.table(t).unwrap().param(k).unwrap();
            h.at(d("2020-04-01")).unwrap().to_string()
        };
        assert_eq!(
            (
                at(&q, "isolation_allowance", "max_days"),
                at(&q, "isolation_allowance", "daily_rate")
            ),
            ("14".into(), "20.00".into())
        );
        assert_eq!(q.table("transport_subsidy"), p.table("transport_subsidy"));
    }

    #[test]
    fn overlay_errors_name_the_key_and_the_line() {
        let p = Policy::yang_county_2020();
        let e = p
            .with_overlay_str("name = \"x\"\n\n[ui_refund]\nratez = []\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line") && e.contains("ratez"), "{e}");
        let e = p
            .with_overlay_str("[ui_refund]\nrate = [\n  { effective_from = \"2015-01-01\", value = \"1.5\" },\n]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3")
                && e.contains("ui_refund.rate[0].value")
                && e.contains("outside 0..=1"),
            "{e}"
        );
        let e = p
            .with_overlay_str("[nowhere]\nx = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("nowhere"), "{e}");
        let e = p.with_overlay_str("[ui_refund\n").unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn overlay_and_reform_errors_read_in_both_languages() {
        let p = Policy::yang_county_2020();
        let e = p
            .with_overlay_str("name = \"x\"\n[transport_subsidy]\nbogus = 1\n")
            .unwrap_err();
        assert!(
            e.to_string().starts_with("line 3, at transport_subsidy"),
            "{e}"
        );
        let zh = e.render(Lang::Zh);
        assert!(
            zh.starts_with("第 3 行，transport_subsidy") && zh.contains("未知参数 `bogus`"),
            "{zh}"
        );
        let e = p
            .with_overlay_str(
                "[ui_refund]\nrate = [{ effective_from = \"2015-01-01\", value = \"1.5\" }]\n",
            )
            .unwrap_err();
        assert_eq!(
            e.render(Lang::Zh),
            "第 2 行，ui_refund.rate[0].value：比率 1.5 不在 0..=1 之内"
        );
        let e = Reform::new("r")
            .change("ui_refund.rate", d("2020-03-01"), "0.70")
            .change("ui_refund.rate", d("2020-03-01"), "0.80")
            .apply(&p)
            .unwrap_err();
        assert_eq!(
            e.render(Lang::Zh),
            "改革方案 \"r\"，参数 ui_refund.rate（2020-03-01 起）：同一日期有两个值：\"0.70\" 和 \"0.80\" (请只保留一个)"
        );
        for (param, zh) in [
            ("transport.cap", "政策中没有参数表 [transport]"),
            ("ui_refund", "不是参数路径"),
            ("name.x", "name 是参数，不是表"),
        ] {
            let e = Reform::new("x")
                .change(param, d("2020-01-01"), "1")
                .apply(&p)
                .unwrap_err();
            assert!(e.render(Lang::Zh).ends_with(&format!(
                "：{}",
                e.located().unwrap().problem.render(Lang::Zh)
            )));
            assert!(
                e.render(Lang::Zh).contains(zh),
                "{param}: {}",
                e.render(Lang::Zh)
            );
        }
        let text = "name = \"x\"\n[[change]]\nparameter = \"a.b\"\neffective_from = \"2020-02-30\"\nvalue = 1\n";
        let e = Reform::from_toml_str(text).unwrap_err();
        assert_eq!(
            e.render(Lang::Zh),
            "第 4 行第 18 列，change[0].effective_from：\"2020-02-30\" 不是日期 (YYYY-MM-DD)"
        );
        let e = Reform::from_toml_str("name = \"x\"\nnam = 1\n").unwrap_err();
        assert!(
            e.render(Lang::Zh).starts_with("第 2 行"),
            "{}",
            e.render(Lang::Zh)
        );
        assert!(
            e.render(Lang::Zh).contains("未知的键 `nam`，应为以下之一"),
            "{}",
            e.render(Lang::Zh)
        );
    }

    #[test]
    fn two_values_for_one_parameter_on_one_date_are_refused() {
        let p = Policy::yang_county_2020();
        let e = Reform::new("r")
            .change("ui_refund.rate", d("2020-03-01"), "0.70")
            .change("ui_refund.rate", d("2020-03-01"), "0.80")
            .apply(&p)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("two values for one date") && e.contains("ui_refund.rate"),
            "{e}"
        );
        // The same value twice is no conflict.
        let same = Reform::new("r")
            .change("ui_refund.rate", d("2020-03-01"), "0.70")
            .change("ui_refund.rate", d("2020-03-01"), "0.70");
        assert!(same.apply(&p).is_ok());
    }

    #[test]
    fn a_reform_replaces_an_entry_of_the_same_date_and_keeps_dates_sorted() {
        let p = Policy::yang_county_2020();
        let r = Reform::new("r")
            .change("ui_refund.rate", d("2020-01-25"), "0.70")
            .change("ui_refund.rate", d("2019-06-01"), "0.55");
        let q = r.apply(&p).unwrap();
        let history = q.table("ui_refund").unwrap().param("rate").unwrap();
        let dates: Vec<String> = history
            .entries()
            .iter()
            .map(|e| e.effective_from.to_string())
            .collect();
        assert_eq!(
            dates,
            ["2015-01-01", "2019-06-01", "2020-01-25", "2021-01-01"]
        );
        let rate = |s| history.at(d(s)).unwrap().to_string();
        assert_eq!(
            (rate("2019-06-01"), rate("2020-02-01")),
            ("0.55".into(), "0.7".into())
        );
        assert_eq!(q.name(), format!("{} + r", p.name()));
        assert_eq!(p, Policy::yang_county_2020(), "the base is not mutated");
    }

    #[test]
    fn a_reform_can_start_an_optional_history() {
        let p = Policy::yang_county_2020();
        let mut window = Table::new();
        window.insert("from".into(), "2020-02-01".into());
        window.insert("to".into(), "2020-06-30".into());
        let q = Reform::new("R6 window")
            .change("premium_deferral.window", d("2015-01-01"), window)
            .apply(&p)
            .unwrap();
        let window = q
            .table("premium_deferral")
            .unwrap()
            .param("window")
            .unwrap();
        assert!(window.at(d("2020-04-01")).is_some());
    }

    #[test]
    fn reform_errors_name_the_reform_the_parameter_and_the_line() {
        let p = Policy::yang_county_2020();
        let text = "name = \"bad\"\n\n[[change]]\nparameter = \"transport_subsidy.cap\"\neffective_from = \"2021-03-01\"\nvalue = \"-600\"\n";
        let e = Reform::from_toml_str(text)
            .unwrap()
            .apply(&p)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("reform \"bad\"")
                && e.contains("line 3")
                && e.contains("transport_subsidy.cap from 2021-03-01")
                && e.contains("negative"),
            "{e}"
        );
        for (param, needle) in [
            ("transport.cap", "no parameter table [transport]"),
            ("ui_refund", "not a parameter path"),
            ("ui_refund.rate.value", "is a parameter, not a table"),
            ("name.x", "is a parameter, not a table"),
        ] {
            let e = Reform::new("x")
                .change(param, d("2020-01-01"), "1")
                .apply(&p)
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{param}: {e}");
        }
        let e = Reform::from_toml_str("name = \"x\"\n[[change]]\nparameter = \"a.b\"\neffective_from = \"2020-01-01\"\nvalue = 1\nvalu = 2\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 6") && e.contains("valu"), "{e}");
    }
}
