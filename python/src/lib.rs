//! The native part of the Python package `jiuye_fupin` (see `pysrc/jiuye_fupin`): each
//! function takes a roster (a folder of CSV files, or a JSON document) and answers JSON,
//! which the Python layer turns into dicts with `decimal.Decimal` amounts. Errors are
//! `InputError` exceptions whose second argument lists every problem as JSON (file, line,
//! column and value, or list, index, id, field and value); an amount too large to compute
//! is one too, naming its record (file and line, or list, index and id).
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use jiuye_fupin::compare::CompareError;
use jiuye_fupin::decision::{SubjectKind, Unfit};
use jiuye_fupin::io::{Encoding, InputError as Problem, InputErrors, Origins, ReadOptions};
use jiuye_fupin::json::{self, AuditRecord, EvaluationRecord};
use jiuye_fupin::policy::PolicyError;
use jiuye_fupin::reform::{Reform, ReformError};
use jiuye_fupin::{Engine, EvalError, Lang, Policy, Roster};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::{Value, json};

pyo3::create_exception!(
    _native,
    InputError,
    PyValueError,
    "Input that cannot be read: (message, problems as JSON)"
);

/// One problem as JSON, naming where it is.
fn problem_json(e: &Problem, lang: Lang) -> Value {
    let message = e.render(lang);
    match e {
        Problem::Cell {
            file,
            line,
            column,
            value,
            ..
        } => {
            json!({"file": file, "line": line, "column": column, "value": value, "message": message})
        }
        Problem::SheetCell {
            file,
            row,
            column,
            value,
            ..
        } => {
            json!({"file": file, "line": row, "column": column, "value": value, "message": message})
        }
        Problem::Malformed { file, line, .. }
        | Problem::FieldCount { file, line, .. }
        | Problem::TooLong { file, line, .. }
        | Problem::NotGb18030 { file, line, .. }
        | Problem::NotUtf8 { file, line, .. } => {
            json!({"file": file, "line": line, "message": message})
        }
        Problem::Utf16 { file }
        | Problem::MissingColumn { file, .. }
        | Problem::NoHeader { file, .. }
        | Problem::DuplicateColumn { file, .. } => json!({"file": file, "message": message}),
        // A folder, file or workbook that cannot be read at all: its path.
        Problem::Folder { path, .. }
        | Problem::Io { path, .. }
        | Problem::Workbook { path, .. } => {
            json!({"file": path.to_string_lossy(), "message": message})
        }
        Problem::Field(f) => json!({"list": f.list, "index": f.index, "id": f.id,
            "field": f.field, "value": f.value, "message": message}),
        // A dict that is not a roster's shape: where, as the HTTP service says it.
        Problem::Json { at, .. } => json!({"at": at, "message": message}),
        _ => json!({"message": message}),
    }
}

/// A field's value as the caller sent it, where the JSON document cannot hold it (an
/// integer beyond 64 bits, read back as a float; a float that is not finite): by list,
/// index and field.
type Sent = HashMap<(String, u64, String), String>;

/// The problems as an `InputError`, each field's value shown as `sent` says it was sent.
fn input_error(errors: InputErrors, lang: Lang, sent: &Sent) -> PyErr {
    let omitted = (errors.omitted() > 0)
        .then(|| errors.render(lang).lines().last().map(str::to_owned))
        .flatten();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for mut e in errors {
        if let Problem::Field(f) = &mut e {
            if let Some(text) = sent.get(&(f.list.to_owned(), f.index, f.field.clone())) {
                f.value.clone_from(text);
            }
        }
        lines.push(e.render(lang));
        problems.push(problem_json(&e, lang));
    }
    lines.extend(omitted);
    InputError::new_err((lines.join("\n"), Value::from(problems).to_string()))
}

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn lang_of(lang: &str) -> PyResult<Lang> {
    match lang {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        other => Err(value_error(format!("lang {other:?} is not one of: zh, en"))),
    }
}

/// The policy file at `path` (the Yang County 2020 preset without one); errors in `lang`.
fn policy_of(path: Option<&str>, lang: Lang) -> PyResult<Policy> {
    match path {
        None => Ok(Policy::yang_county_2020()),
        Some(p) => Policy::load(p).map_err(|e| match (&e, lang) {
            (PolicyError::Io { path, source }, Lang::En) => value_error(format!(
                "cannot read policy file {}: {source}",
                path.display()
            )),
            _ => value_error(e.render(lang)),
        }),
    }
}

/// A reform file, read as `Reform::load` reads it (a regular UTF-8 file); errors in `lang`.
fn reform_file(path: &Path, lang: Lang) -> PyResult<Reform> {
    Reform::load(path).map_err(|e| match (&e, lang) {
        (ReformError::Io { path, source }, Lang::En) => value_error(format!(
            "cannot read reform file {}: {source}",
            path.display()
        )),
        _ => value_error(e.render(lang)),
    })
}

/// How the roster is read: `encoding` (`auto`, `utf-8`, `gb18030`/`gbk`, for CSV files)
/// and the clerk forms of cells (see `jiuye_fupin::io::ReadOptions`).
fn read_options(encoding: &str, clerk_formats: bool) -> PyResult<ReadOptions> {
    let encoding: Encoding = encoding.parse().map_err(value_error)?;
    Ok(ReadOptions::default()
        .encoding(encoding)
        .clerk_formats(clerk_formats))
}

/// The roster of a folder of CSV files or a workbook (`folder`), or of a JSON document, read
/// as `options` say, with where each record was read (file and line, or list and index).
fn roster_of(src: &Source<'_>, lang: Lang) -> PyResult<(Roster, Origins)> {
    let options = &src.options;
    let read = match (src.folder, src.json_text) {
        (Some(path), _) => jiuye_fupin::io::read_data_traced(&[path], options),
        (None, Some(text)) => jiuye_fupin::json::parse_roster_traced(text.as_bytes(), options),
        (None, None) => return Err(value_error("no roster: give a folder or a JSON document")),
    };
    read.map_err(|e| input_error(e, lang, &src.sent))
}

/// What every function reads: the language, the date, the policy and the roster, with
/// where each of its records was read.
struct Inputs {
    lang: Lang,
    as_of: NaiveDate,
    policy: Policy,
    roster: Roster,
    origins: Origins,
}

impl Inputs {
    /// An evaluation's error: an amount too large for exact arithmetic is an `InputError`
    /// naming its record as a problem of the roster does (file and line, or list, index and
    /// id) when it is one record's; any other a `ValueError`.
    fn eval_error(&self, e: &EvalError) -> PyErr {
        if !matches!(e, EvalError::Arithmetic { .. }) {
            return value_error(e.render(self.lang));
        }
        self.amount_error(e.render(self.lang), e.subject(), e.unfit())
    }

    /// `message`, about `subject` (an amount too large), as an `InputError` preceded by
    /// where its record was read, and naming it, when it is one record's, with the
    /// `operation` that did not fit and the `inputs` given up to it (as the service says).
    fn amount_error(
        &self,
        message: String,
        subject: Option<(SubjectKind, &str)>,
        unfit: Option<&Unfit>,
    ) -> PyErr {
        let message = self.origins.name(subject, message, self.lang);
        let problem = json::subject_error(&self.origins, subject, &message, unfit);
        InputError::new_err((message, Value::from(vec![problem]).to_string()))
    }
}

/// Where a roster comes from and how it is read: `sent` is a JSON list of
/// `[list, index, field, text]`, the text of each value the JSON document cannot hold as
/// it was sent (shown in messages in its place).
struct Source<'a> {
    folder: Option<&'a str>,
    json_text: Option<&'a str>,
    options: ReadOptions,
    sent: Sent,
}

impl<'a> Source<'a> {
    fn new(
        folder: Option<&'a str>,
        json_text: Option<&'a str>,
        encoding: &str,
        clerk_formats: bool,
        sent: Option<&str>,
    ) -> PyResult<Source<'a>> {
        let sent: Vec<(String, u64, String, String)> = match sent {
            Some(text) => serde_json::from_str(text).map_err(value_error)?,
            None => Vec::new(),
        };
        Ok(Source {
            folder,
            json_text,
            options: read_options(encoding, clerk_formats)?,
            sent: (sent.into_iter())
                .map(|(list, index, field, text)| ((list, index, field), text))
                .collect(),
        })
    }
}

fn inputs(src: &Source<'_>, as_of: &str, lang: &str, policy: Option<&str>) -> PyResult<Inputs> {
    let lang = lang_of(lang)?;
    let as_of = jiuye_fupin::io::parse_date(as_of).ok_or_else(|| {
        value_error(match lang {
            Lang::Zh => format!("as_of {as_of:?} 不是日期 (YYYY-MM-DD)"),
            Lang::En => format!("as_of {as_of:?} is not a date (YYYY-MM-DD)"),
        })
    })?;
    let policy = policy_of(policy, lang)?;
    let (roster, origins) = roster_of(src, lang)?;
    Ok(Inputs {
        lang,
        as_of,
        policy,
        roster,
        origins,
    })
}

/// Every decision, the totals and the receipt, as JSON.
#[pyfunction]
#[pyo3(signature = (folder, json_text, as_of, lang, policy=None, encoding="auto", clerk_formats=false, sent=None))]
#[allow(clippy::too_many_arguments)]
fn evaluate(
    py: Python<'_>,
    folder: Option<&str>,
    json_text: Option<&str>,
    as_of: &str,
    lang: &str,
    policy: Option<&str>,
    encoding: &str,
    clerk_formats: bool,
    sent: Option<&str>,
) -> PyResult<String> {
    let src = Source::new(folder, json_text, encoding, clerk_formats, sent)?;
    let i = inputs(&src, as_of, lang, policy)?;
    let e = py.detach(|| EvaluationRecord::evaluate(&i.policy, &i.roster, i.as_of, i.lang));
    serde_json::to_string(&e.map_err(|e| i.eval_error(&e))?).map_err(value_error)
}

/// Every decision as `payouts.csv` text (header first): decided without explanations,
/// the same bytes `payouts --data` writes for the same roster; much less to build and
/// carry than [`evaluate`]'s explained JSON, for large rosters.
#[pyfunction]
#[pyo3(signature = (folder, json_text, as_of, lang, policy=None, encoding="auto", clerk_formats=false, sent=None))]
#[allow(clippy::too_many_arguments)]
fn payouts(
    py: Python<'_>,
    folder: Option<&str>,
    json_text: Option<&str>,
    as_of: &str,
    lang: &str,
    policy: Option<&str>,
    encoding: &str,
    clerk_formats: bool,
    sent: Option<&str>,
) -> PyResult<String> {
    let src = Source::new(folder, json_text, encoding, clerk_formats, sent)?;
    let i = inputs(&src, as_of, lang, policy)?;
    py.detach(|| {
        let engine = Engine::new(&i.policy).explain(false);
        let eval = (engine.evaluate(&i.roster, i.as_of)).map_err(|e| i.eval_error(&e))?;
        let mut out = Vec::new();
        jiuye_fupin::io::write_payouts(&mut out, eval.decisions.into_iter().map(Ok))
            .map_err(value_error)?;
        String::from_utf8(out).map_err(value_error)
    })
}

/// The audit's findings and receipt, as JSON.
#[pyfunction]
#[pyo3(signature = (folder, json_text, as_of, lang, policy=None, encoding="auto", clerk_formats=false, sent=None))]
#[allow(clippy::too_many_arguments)]
fn audit(
    folder: Option<&str>,
    json_text: Option<&str>,
    as_of: &str,
    lang: &str,
    policy: Option<&str>,
    encoding: &str,
    clerk_formats: bool,
    sent: Option<&str>,
) -> PyResult<String> {
    let src = Source::new(folder, json_text, encoding, clerk_formats, sent)?;
    let i = inputs(&src, as_of, lang, policy)?;
    let a = AuditRecord::audit(&i.policy, &i.roster, i.as_of, i.lang);
    serde_json::to_string(&a).map_err(value_error)
}

/// A reform's impact, as JSON. The reform is `reform_path`'s file, read as `--reform` reads
/// it, or else `reform`: JSON of the reform, a string of TOML text or an object, as
/// [`jiuye_fupin::json::reform_from_value`] reads.
#[pyfunction]
#[pyo3(signature = (folder, json_text, reform, as_of, policy=None, encoding="auto", clerk_formats=false, sent=None, reform_path=None, lang="en"))]
#[allow(clippy::too_many_arguments)]
fn compare(
    folder: Option<&str>,
    json_text: Option<&str>,
    reform: Option<&str>,
    as_of: &str,
    policy: Option<&str>,
    encoding: &str,
    clerk_formats: bool,
    sent: Option<&str>,
    reform_path: Option<PathBuf>,
    lang: &str,
) -> PyResult<String> {
    let said = lang_of(lang)?;
    let reform = match (reform_path, reform) {
        (Some(path), _) => reform_file(&path, said)?,
        (None, Some(text)) => {
            let reform: Value = serde_json::from_str(text).map_err(value_error)?;
            jiuye_fupin::json::reform_from_value(&reform)
                .map_err(|e| value_error(e.render(said)))?
        }
        (None, None) => {
            return Err(value_error(said.pick(
                "没有改革方案：请给出文件或文档",
                "no reform: give a file or a document",
            )));
        }
    };
    let src = Source::new(folder, json_text, encoding, clerk_formats, sent)?;
    let i = inputs(&src, as_of, lang, policy)?;
    let reformed = reform
        .apply(&i.policy)
        .map_err(|e| value_error(e.render(said)))?;
    let c = jiuye_fupin::compare::compare(&i.policy, &reformed, &i.roster, i.as_of)
        .map(|c| c.noting(&reform, &i.policy));
    let c = c.map_err(|e| match &e {
        CompareError::Eval {
            source: EvalError::Arithmetic { .. },
            ..
        }
        | CompareError::Arithmetic(_) => i.amount_error(e.render(said), e.subject(), e.unfit()),
        _ => value_error(e.render(said)),
    })?;
    serde_json::to_string(&c).map_err(value_error)
}

/// The native module.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(payouts, m)?)?;
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
