//! Policy parameters: every number of every rule, as dated histories, loaded from a file
//! and validated against the [`RuleSet`] that will use them.
//!
//! Rules are code; numbers and clauses are data. A [`Policy`] holds one table per rule of
//! its rule set (`[transport_subsidy]`, `[isolation_allowance]`, ... in the file, named by
//! the program's code) and one per audit (`[assistant_quota]`, `[post_compliance]`). A
//! table holds the rule's parameters, each a [`History`] of dated values, and may also say:
//!
//! - `enabled = false`: the county does not run the program at all (no rows, no totals);
//!   its parameters may then be left out;
//! - `in_effect = [{ effective_from = "...", value = true }, { effective_from = "...",
//!   value = false }]`: the rule is in force from a date, and repealed from another; a
//!   subject dated where it is not in force is decided `not_in_force` (POLICY.md reading 8).
//!   Before the first entry, a history that starts with a repeal (`false`) leaves the rule in
//!   force (repealed *from* that date), one that starts with `true` does not;
//! - `citation = { rule = "R1", paragraph = "...", clause = "..." }` (required unless
//!   `enabled = false`): the clause of the county's own document that the rule applies,
//!   quoted with every decision and finding; rule code holds none.
//!
//! The Yang County 2020 preset ships inside the crate ([`Policy::yang_county_2020`],
//! [`YANG_COUNTY_2020_TOML`]); another county loads its own file with [`Policy::load`] (the
//! built-in rules) or [`Policy::load_with`] (its own rule set), and needs no recompilation.
//!
//! A file is validated as it is read: a table for every rule and audit, every required
//! parameter present and no unknown key, every history non-empty with strictly increasing
//! dates, money non-negative, rates in `0..=1`, windows that end after they start, codes
//! among the known ones. Errors name the parameter and the line.
//!
//! # Example: load, then change a number in a copy
//! ```
//! use jiuye_fupin::Policy;
//!
//! let yang = Policy::yang_county_2020();
//! let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace("\"500.00\"", "\"600.00\"");
//! let other = Policy::from_toml_str(&text)?;
//! assert_ne!(yang, other);
//!
//! let bad = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace("\"0.60\", source = \"S3", "\"1.60\", source = \"S3");
//! let err = Policy::from_toml_str(&bad).unwrap_err().to_string();
//! assert!(err.contains("outside 0..=1") && err.contains("line"), "{err}");
//! # Ok::<(), jiuye_fupin::policy::PolicyError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::Lang;
use crate::dated::{DateWindow, History};
use crate::money::{Rate, Yuan};
use crate::problem::{FileProblem, raise};
use crate::rules::{ParamKind, ParamSpec, Range, Value};
use crate::ruleset::RuleSet;
pub use crate::table::{InForce, Table};

/// The Yang County 2020 preset, as shipped (`policies/yang-county-2020.toml`).
pub const YANG_COUNTY_2020_TOML: &str = include_str!("../policies/yang-county-2020.toml");

/// The largest policy, reform or scenario file read (1 MiB): they are pages of parameters
/// and cases, not data.
pub const MAX_POLICY_BYTES: u64 = 1 << 20;

/// A policy file that cannot be used.
///
/// `Display` is English; [`PolicyError::render`] gives either language.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The file could not be read.
    #[error("cannot read policy file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a valid policy: bad syntax, a missing or unknown parameter, or an
    /// invalid value. The message names the parameter and shows the line.
    #[error("invalid policy{}{}: {source}",
        path.as_ref().map(|p| format!(" file {}", p.display())).unwrap_or_default(),
        if parameter.is_empty() || parameter == "." { String::new() } else { format!(", at {parameter}") })]
    Invalid {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// Where in the policy: `transport_subsidy.cap[0].value`.
        parameter: String,
        /// What is wrong, typed.
        problem: Box<FileProblem>,
        /// The line (1-based), when known.
        line: Option<usize>,
        /// The column (1-based, in characters), when known.
        column: Option<usize>,
        /// The cause, with line and column.
        source: Box<toml::de::Error>,
    },
    /// A JSON value that is not a policy document (an object, or a policy file's text).
    #[error("{0}")]
    NotADocument(FileProblem),
}

impl PolicyError {
    /// The error in `lang`: the file, the parameter, the line and column, and what is wrong
    /// with the value. In Chinese, a TOML syntax error keeps the parser's English words
    /// inside the Chinese frame.
    ///
    /// ```
    /// use jiuye_fupin::{Lang, Policy};
    /// let bad = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replacen("value = \"500.00\"", "value = \"-5\"", 1);
    /// let e = Policy::from_toml_str(&bad).unwrap_err();
    /// assert_eq!(e.render(Lang::Zh), "政策无效：参数 transport_subsidy.cap[0].value，第 24 行第 44 列：\"-5\" 为负数");
    /// assert!(e.render(Lang::En).starts_with("invalid policy, at transport_subsidy.cap[0].value: TOML parse error at line 24, column 44"));
    ///
    /// let e = Policy::load("/no/such/policy.toml").unwrap_err();
    /// assert_eq!(e.render(Lang::Zh), "无法读取政策文件 /no/such/policy.toml：文件不存在");
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            PolicyError::Io { path, source } => {
                crate::file::cannot_read_zh("政策文件", path, source)
            }
            PolicyError::Invalid {
                path,
                parameter,
                problem,
                line,
                column,
                ..
            } => {
                let mut s = match path {
                    Some(p) => format!("政策文件 {} 无效", p.display()),
                    None => "政策无效".to_owned(),
                };
                let mut sep = "：";
                if !parameter.is_empty() && parameter != "." {
                    s.push_str(&format!("{sep}参数 {parameter}"));
                    sep = "，";
                }
                match (line, column) {
                    (Some(l), Some(c)) => s.push_str(&format!("{sep}第 {l} 行第 {c} 列")),
                    (Some(l), None) => s.push_str(&format!("{sep}第 {l} 行")),
                    _ => {}
                }
                s.push('：');
                s.push_str(&problem.render(lang));
                s
            }
            PolicyError::NotADocument(problem) => problem.render(lang),
        }
    }

    /// The typed problem of an invalid policy (`None` for a file that cannot be read).
    ///
    /// ```
    /// use jiuye_fupin::money::MoneyError;
    /// use jiuye_fupin::problem::FileProblem;
    /// use jiuye_fupin::Policy;
    /// let bad = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replacen("value = \"500.00\"", "value = \"-5\"", 1);
    /// let e = Policy::from_toml_str(&bad).unwrap_err();
    /// assert_eq!(e.problem(), Some(&FileProblem::Money(MoneyError::Negative("-5".into()))));
    /// ```
    pub fn problem(&self) -> Option<&FileProblem> {
        match self {
            PolicyError::Invalid { problem, .. } => Some(problem),
            PolicyError::NotADocument(problem) => Some(problem),
            PolicyError::Io { .. } => None,
        }
    }

    /// `true` when the file reads as a policy except that it leaves out a table or a
    /// required parameter: a partial file, meant to be laid over a policy
    /// ([`Policy::with_overlay_file`]).
    ///
    /// ```
    /// use jiuye_fupin::Policy;
    /// let e = Policy::load("policies/yang-county-2019-baseline.toml").unwrap_err();
    /// assert!(e.is_partial());
    /// assert!(Policy::yang_county_2020().with_overlay_file("policies/yang-county-2019-baseline.toml").is_ok());
    /// ```
    pub fn is_partial(&self) -> bool {
        matches!(
            self.problem(),
            Some(FileProblem::MissingField(_) | FileProblem::MissingTable(_))
        )
    }
}

/// The parameters of every rule of a rule set, and the rule set itself.
///
/// ```
/// use jiuye_fupin::Policy;
/// let p = Policy::yang_county_2020();
/// let r1 = p.table("transport_subsidy").unwrap();
/// let in_force = r1.in_force(&p.rules().parameters("transport_subsidy").unwrap(), "2020-04-01".parse()?).unwrap();
/// assert_eq!(in_force.notes[0].value, "500.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    name: String,
    source: Option<String>,
    rules: RuleSet,
    tables: BTreeMap<String, Table>,
}

impl Policy {
    /// The Yang County 2020 preset (POLICY.md's defaults), with the built-in rules.
    ///
    /// # Panics
    /// Never: the embedded file is valid (a unit test loads it).
    pub fn yang_county_2020() -> Policy {
        #[allow(clippy::expect_used)] // the embedded preset is constant and tested
        Policy::from_toml_str(YANG_COUNTY_2020_TOML).expect("embedded preset is valid")
    }

    /// Reads a policy for the built-in rules from TOML text.
    ///
    /// # Errors
    /// [`PolicyError::Invalid`], naming the key and line.
    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_toml_str_with(&RuleSet::yang_county_2020(), text)
    }

    /// Reads a policy for `rules` from TOML text.
    ///
    /// # Errors
    /// [`PolicyError::Invalid`], naming the key and line.
    pub fn from_toml_str_with(rules: &RuleSet, text: &str) -> Result<Policy, PolicyError> {
        parse(rules, text, None)
    }

    /// Reads a policy file for the built-in rules.
    ///
    /// # Errors
    /// [`PolicyError::Io`] (also for a file that is not regular or is larger than
    /// [`MAX_POLICY_BYTES`]) or [`PolicyError::Invalid`].
    pub fn load(path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        Policy::load_with(&RuleSet::yang_county_2020(), path)
    }

    /// Reads a policy file for `rules`.
    ///
    /// # Errors
    /// [`PolicyError::Io`] (also for a file that is not regular or is larger than
    /// [`MAX_POLICY_BYTES`]) or [`PolicyError::Invalid`].
    pub fn load_with(rules: &RuleSet, path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        let path = path.as_ref();
        let text = read_text(path, MAX_POLICY_BYTES).map_err(|source| PolicyError::Io {
            path: path.to_owned(),
            source,
        })?;
        parse(rules, &text, Some(path))
    }

    /// The same parameters under another rule set (its tables read anew).
    ///
    /// # Errors
    /// [`PolicyError::Invalid`] when a table of `rules` is missing or does not fit.
    pub fn with_rules(&self, rules: &RuleSet) -> Result<Policy, PolicyError> {
        let text = self.to_toml().map_err(|e| PolicyError::Invalid {
            path: None,
            parameter: String::new(),
            problem: Box::new(FileProblem::Toml(e.clone())),
            line: None,
            column: None,
            source: Box::new(<toml::de::Error as de::Error>::custom(e)),
        })?;
        parse(rules, &text, None)
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the policy comes from, if the file says.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The rules it parameterises.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// A rule's or audit's table, by its name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// The policy as TOML text, as [`Policy::from_toml_str_with`] reads it back.
    ///
    /// # Errors
    /// A message if a value cannot be written (none in practice).
    pub fn to_toml(&self) -> Result<String, String> {
        toml::to_string(self).map_err(|e| e.to_string())
    }
}

/// Reads a regular file of at most `limit` bytes as UTF-8 text: a policy, reform or
/// scenario file (never a device such as `/dev/zero`, never more than the limit).
pub(crate) fn read_text(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let file = crate::file::open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(Error::new(
            ErrorKind::InvalidData,
            crate::file::TooLarge(limit),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = crate::file::NotUtf8::at(e.as_bytes(), e.utf8_error());
        Error::new(ErrorKind::InvalidData, at)
    })
}

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &self.name)?;
        if let Some(source) = &self.source {
            m.serialize_entry("source", source)?;
        }
        for (name, table) in &self.tables {
            m.serialize_entry(name, table)?;
        }
        m.end()
    }
}

impl Serialize for Table {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if !self.enabled {
            m.serialize_entry("enabled", &false)?;
        }
        for (name, h) in &self.params {
            m.serialize_entry(name, h)?;
        }
        if let Some(h) = &self.in_effect {
            m.serialize_entry("in_effect", h)?;
        }
        if let Some(c) = &self.citation {
            m.serialize_entry("citation", c)?;
        }
        m.end()
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Money(y) => y.serialize(s),
            Value::Rate(r) => r.serialize(s),
            Value::Count(n) => n.serialize(s),
            Value::Flag(b) => b.serialize(s),
            Value::Window(w) => w.serialize(s),
            Value::Range(r) => r.serialize(s),
            Value::Codes(c) => c.serialize(s),
        }
    }
}

/// Deserializes a policy against `rules`, keeping the path to the offending parameter.
fn parse(rules: &RuleSet, text: &str, path: Option<&Path>) -> Result<Policy, PolicyError> {
    let invalid = |parameter: String, e: toml::de::Error| {
        let (line, column) = e.span().map(|s| line_column(text, s.start)).unzip();
        PolicyError::Invalid {
            path: path.map(Path::to_owned),
            parameter,
            problem: Box::new(FileProblem::of(e.message())),
            line,
            column,
            source: Box::new(e),
        }
    };
    crate::problem::forget();
    let de = toml::Deserializer::parse(text).map_err(|e| invalid(String::new(), e))?;
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(de, &mut track);
    let result = PolicySeed { rules }.deserialize(tracked);
    result.map_err(|e| invalid(track.path().to_string(), e))
}

/// The 1-based line and column (in characters) of a byte offset, as the TOML parser counts
/// them in its messages.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let line = crate::reform::line_of(text, offset);
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let start = before.rfind('\n').map_or(0, |i| i.saturating_add(1));
    let column = before.get(start..).map_or(0, |s| s.chars().count());
    (line, column.saturating_add(1))
}

/// A value refused where it stands: `problem`, raised as the value is read, so that the
/// parser names the value's line rather than the document's.
struct Refuse(FileProblem);

impl<'de> DeserializeSeed<'de> for Refuse {
    type Value = Policy;
    fn deserialize<D: de::Deserializer<'de>>(self, _: D) -> Result<Policy, D::Error> {
        Err(raise(self.0))
    }
}

struct PolicySeed<'a> {
    rules: &'a RuleSet,
}

impl<'de> DeserializeSeed<'de> for PolicySeed<'_> {
    type Value = Policy;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Policy, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PolicySeed<'_> {
    type Value = Policy;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a policy: name, source, and a table per rule")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Policy, A::Error> {
        let tables_wanted = self.rules.tables();
        let mut name = None;
        let mut source = None;
        let mut tables = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                // `crate::table::FILE_KEYS`: no rule may have these codes (`RuleSet::with`).
                "name" => name = Some(map.next_value::<String>()?),
                "source" => source = Some(map.next_value::<String>()?),
                table => {
                    let Some((_, specs)) = tables_wanted.iter().find(|(t, _)| *t == table) else {
                        let known: Vec<&str> = tables_wanted.iter().map(|(t, _)| *t).collect();
                        // Raised from the table's value, so that the error names its line.
                        return map.next_value_seed(Refuse(FileProblem::UnknownTable {
                            table: table.to_owned(),
                            known,
                        }));
                    };
                    let t = map.next_value_seed(TableSeed { specs })?;
                    let repeated = FileProblem::RepeatedTable(table.to_owned());
                    if tables.insert(key, t).is_some() {
                        return Err(raise(repeated));
                    }
                }
            }
        }
        let name = name.ok_or_else(|| de::Error::missing_field("name"))?;
        for (table, _) in &tables_wanted {
            if !tables.contains_key(*table) {
                return Err(raise(FileProblem::MissingTable((*table).to_owned())));
            }
        }
        Ok(Policy {
            name,
            source,
            rules: self.rules.clone(),
            tables,
        })
    }
}

struct TableSeed<'a> {
    specs: &'a [ParamSpec],
}

impl<'de> DeserializeSeed<'de> for TableSeed<'_> {
    type Value = Table;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Table, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TableSeed<'_> {
    type Value = Table;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a rule's table of dated parameters")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Table, A::Error> {
        let mut table = Table::disabled();
        table.enabled = true;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "enabled" => table.enabled = map.next_value()?,
                "in_effect" => table.in_effect = Some(map.next_value()?),
                "citation" => table.citation = Some(map.next_value()?),
                other => {
                    let Some(spec) = self.specs.iter().find(|s| s.name == other) else {
                        let mut known: Vec<&'static str> =
                            self.specs.iter().map(|s| s.name).collect();
                        known.extend(crate::table::RESERVED);
                        return Err(raise(FileProblem::UnknownParameter {
                            name: other.to_owned(),
                            expected: known,
                        }));
                    };
                    let h = map.next_value_seed(HistorySeed(spec.kind))?;
                    table.params.insert(spec.name, h);
                }
            }
        }
        if table.enabled {
            if let Some(missing) =
                (self.specs.iter()).find(|s| s.required && !table.params.contains_key(s.name))
            {
                return Err(de::Error::missing_field(missing.name));
            }
            // The clause is the county's, never a default of the rule's code.
            if table.citation.is_none() {
                return Err(de::Error::missing_field("citation"));
            }
        }
        Ok(table)
    }
}

struct HistorySeed(ParamKind);

impl<'de> DeserializeSeed<'de> for HistorySeed {
    type Value = History<Value>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<History<Value>, D::Error> {
        Ok(match self.0 {
            ParamKind::Money => History::<Yuan>::deserialize(d)?.map(Value::Money),
            ParamKind::Rate => History::<Rate>::deserialize(d)?.map(Value::Rate),
            ParamKind::Count => History::<u32>::deserialize(d)?.map(Value::Count),
            ParamKind::DayOfMonth => {
                let h = History::<u32>::deserialize(d)?;
                if let Some(e) = h.entries().iter().find(|e| !(1..=31).contains(&e.value)) {
                    return Err(raise(FileProblem::NotADayOfMonth {
                        day: e.value,
                        on: e.effective_from,
                    }));
                }
                h.map(Value::Count)
            }
            ParamKind::Flag => History::<bool>::deserialize(d)?.map(Value::Flag),
            ParamKind::Window => History::<DateWindow>::deserialize(d)?.map(Value::Window),
            ParamKind::Range => History::<Range>::deserialize(d)?.map(Value::Range),
            ParamKind::Codes(allowed) => {
                let h = History::<Vec<String>>::deserialize(d)?;
                for e in h.entries() {
                    // An empty list of allowed codes admits any code.
                    let unknown =
                        |c: &&String| !allowed.is_empty() && !allowed.contains(&c.as_str());
                    if let Some(bad) = e.value.iter().find(unknown) {
                        return Err(raise(FileProblem::UnknownCode {
                            code: bad.clone(),
                            on: e.effective_from,
                            expected: allowed,
                        }));
                    }
                }
                h.map(Value::Codes)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(p: &Policy, table: &str, param: &str, date: &str) -> String {
        let h = p.table(table).unwrap().param(param).unwrap();
        h.at(date.parse().unwrap()).unwrap().to_string()
    }

    #[test]
    fn the_preset_loads_and_has_the_articles_figures() {
        let p = Policy::yang_county_2020();
        assert_eq!(
            value(&p, "transport_subsidy", "cap", "2020-04-01"),
            "500.00"
        );
        assert_eq!(
            value(&p, "isolation_allowance", "daily_rate", "2020-04-01"),
            "20.00"
        );
        assert_eq!(
            value(&p, "isolation_allowance", "max_days", "2020-04-01"),
            "7"
        );
        assert_eq!(
            value(&p, "startup_grant", "amount", "2020-04-01"),
            "5000.00"
        );
        let r5 = |d| value(&p, "ui_refund", "rate", d);
        assert_eq!(
            (
                r5("2020-01-24"),
                r5("2020-01-25"),
                r5("2020-12-31"),
                r5("2021-01-01")
            ),
            ("0.5".into(), "0.6".into(), "0.6".into(), "0.5".into())
        );
        assert_eq!(
            value(&p, "premium_deferral", "max_months", "2020-04-01"),
            "6"
        );
        assert_eq!(value(&p, "post_subsidy", "rate", "2020-04-01"), "0.6");
    }

    fn err(text: &str) -> String {
        Policy::from_toml_str(text).unwrap_err().to_string()
    }

    #[test]
    fn invalid_files_name_the_parameter_and_the_line() {
        let base = YANG_COUNTY_2020_TOML;
        let e = err(&base.replace("\"500.00\"", "\"-500.00\""));
        assert!(
            e.contains("negative")
                && e.contains("line 24")
                && e.contains("transport_subsidy.cap[0].value"),
            "{e}"
        );
        let e = err(&base.replace("max_days = [", "max_dayz = ["));
        assert!(e.contains("max_dayz"), "{e}");
        let e = err(&base.replace(
            "{ effective_from = \"2021-01-01\", value = \"0.50\"",
            "{ effective_from = \"2020-01-01\", value = \"0.50\"",
        ));
        assert!(
            e.contains("strictly increasing") && e.contains("ui_refund.rate"),
            "{e}"
        );
        let e = err(&base.replace("value = 12,", "value = 12.5,"));
        assert!(e.contains("ui_refund.min_insured_months"), "{e}");
        let e = err(&base.replace("[post_subsidy]", "[post_subsidy_x]"));
        assert!(e.contains("post_subsidy"), "{e}");
        let e = err(&base.replace("to = \"2020-12-31\" } }", "to = \"2019-12-31\" } }"));
        assert!(e.contains("before it starts"), "{e}");
        let e = err(&base.replace("value = 15, source", "value = 0, source"));
        assert!(
            e.contains("payment_deadline_day") && e.contains("1..=31"),
            "{e}"
        );
        let e = err(&base.replace("\"school\"", "\"schol\""));
        assert!(
            e.contains("schol") && e.contains("eligible_employers"),
            "{e}"
        );
    }

    /// (English, Chinese) of the error of `text`.
    fn both(text: &str) -> (String, String) {
        let e = Policy::from_toml_str(text).unwrap_err();
        (e.render(Lang::En), e.render(Lang::Zh))
    }

    #[test]
    fn each_policy_problem_is_typed_and_named_in_both_languages() {
        let base = YANG_COUNTY_2020_TOML;
        let cases: Vec<(String, &str, &str)> = vec![
            (
                base.replacen("value = \"500.00\"", "value = \"-500.00\"", 1),
                "\"-500.00\" is negative",
                "参数 transport_subsidy.cap[0].value，第 24 行第 44 列：\"-500.00\" 为负数",
            ),
            (
                base.replace("\"0.60\", source = \"S3", "\"1.60\", source = \"S3"),
                "rate 1.60 is outside 0..=1",
                "参数 post_subsidy.rate[0].value，第 88 行第 50 列：比率 1.60 不在 0..=1 之内",
            ),
            (
                base.replace("max_days = [", "max_dayz = ["),
                "unknown parameter `max_dayz`",
                "未知参数 `max_dayz`，应为以下之一：",
            ),
            (
                base.replace(
                    "{ effective_from = \"2021-01-01\", value = \"0.50\"",
                    "{ effective_from = \"2020-01-01\", value = \"0.50\"",
                ),
                "strictly increasing",
                "生效日期必须严格递增",
            ),
            (
                base.replace("value = 12,", "value = 12.5,"),
                "invalid type: floating point `12.5`, expected u32",
                "类型不符：实为浮点数 12.5，应为非负整数",
            ),
            (
                base.replace("[post_subsidy]", "[post_subsidy_x]"),
                "unknown rule table `post_subsidy_x`",
                "未知的规则表 `post_subsidy_x`；规则集中的表为",
            ),
            (
                base.replace("to = \"2020-12-31\" } }", "to = \"2019-12-31\" } }"),
                "before it starts",
                "早于开始日期",
            ),
            (
                base.replace("value = 15, source", "value = 0, source"),
                "is not a day of a month (1..=31)",
                "不是一个月中的日期 (1..=31)",
            ),
            (
                base.replace("\"school\"", "\"schol\""),
                "unknown code `schol`",
                "未知代码 `schol`",
            ),
            (
                format!("name = \"b\"\n{base}"),
                "duplicate key",
                "第 18 行第 1 列：键重复出现",
            ),
        ];
        for (text, en, zh) in cases {
            assert!(Policy::from_toml_str(&text).is_err(), "{en}");
            let (e, z) = both(&text);
            assert!(e.contains(en) && e.contains("line"), "{e}");
            assert!(
                z.starts_with("政策无效：") && z.contains(zh) && z.contains(" 行"),
                "{z}"
            );
        }
        let mut text = base.to_owned();
        let start = base.find("[startup_grant]").unwrap();
        text.replace_range(start..base.find("# R4").unwrap(), "");
        let e = Policy::from_toml_str(&text).unwrap_err();
        assert!(e.is_partial());
        assert!(
            e.render(Lang::Zh).contains("缺少表 [startup_grant]"),
            "{}",
            e.render(Lang::Zh)
        );
        let e = Policy::from_toml_str("[transport_subsidy]\n").unwrap_err();
        assert!(
            e.render(Lang::Zh).contains("缺少 `"),
            "{}",
            e.render(Lang::Zh)
        );
    }

    #[test]
    fn a_file_that_cannot_be_read_is_named_in_both_languages() {
        let e = Policy::load("/no/such/policy.toml").unwrap_err();
        assert_eq!(
            e.render(Lang::Zh),
            "无法读取政策文件 /no/such/policy.toml：文件不存在"
        );
        assert!(
            e.render(Lang::En)
                .starts_with("cannot read policy file /no/such/policy.toml: ")
        );
        let e = Policy::load("src").unwrap_err();
        assert_eq!(
            e.render(Lang::Zh),
            "无法读取政策文件 src：不是普通文件 (是文件夹、设备或管道)"
        );
    }

    #[test]
    fn a_policy_survives_a_toml_round_trip() {
        let p = Policy::yang_county_2020();
        let text = p.to_toml().unwrap();
        assert_eq!(Policy::from_toml_str(&text).unwrap(), p);
    }

    #[test]
    fn a_disabled_table_needs_no_parameters_and_a_missing_table_is_named() {
        let base = YANG_COUNTY_2020_TOML;
        let start = base.find("[startup_grant]").unwrap();
        let end = base.find("# R4").unwrap();
        let mut text = base.to_owned();
        text.replace_range(start..end, "[startup_grant]\nenabled = false\n\n");
        let p = Policy::from_toml_str(&text).unwrap();
        assert!(!p.table("startup_grant").unwrap().enabled());
        let mut text = base.to_owned();
        text.replace_range(start..end, "");
        let e = err(&text);
        assert!(e.contains("missing table [startup_grant]"), "{e}");
    }
}
