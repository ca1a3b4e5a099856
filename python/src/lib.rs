//! The native part of the Python package `jiuye_fupin` (see `pysrc/jiuye_fupin`): each
//! function takes a roster (a folder of CSV files, or a JSON document) and answers JSON,
//! which the Python layer turns into dicts with `decimal.Decimal` amounts. Errors are
//! `InputError` exceptions whose second argument lists every problem as JSON (file, line,
//! column and value, or list, index, id, field and value).
#![forbid(unsafe_code)]

use chrono::NaiveDate;
use jiuye_fupin::io::{Encoding, InputError as Problem, InputErrors, ReadOptions};
use jiuye_fupin::json::{AuditRecord, EvaluationRecord};
use jiuye_fupin::{Engine, Lang, Policy, Roster};
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
        Problem::Malformed { file, line, .. } | Problem::NotUtf8 { file, line, .. } => {
            json!({"file": file, "line": line, "message": message})
        }
        Problem::Field(f) => json!({"list": f.list, "index": f.index, "id": f.id,
            "field": f.field, "value": f.value, "message": message}),
        _ => json!({"message": message}),
    }
}

fn input_error(errors: &InputErrors, lang: Lang) -> PyErr {
    let problems: Vec<Value> = errors.iter().map(|e| problem_json(e, lang)).collect();
    InputError::new_err((errors.render(lang), Value::from(problems).to_string()))
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

fn policy_of(path: Option<&str>) -> PyResult<Policy> {
    match path {
        None => Ok(Policy::yang_county_2020()),
        Some(p) => Policy::load(p).map_err(value_error),
    }
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
/// as `options` say.
fn roster_of(
    folder: Option<&str>,
    json_text: Option<&str>,
    lang: Lang,
    options: &ReadOptions,
) -> PyResult<Roster> {
    let read = match (folder, json_text) {
        (Some(path), _) => jiuye_fupin::io::read_data_with(&[path], options),
        (None, Some(text)) => jiuye_fupin::json::parse_roster_with(text.as_bytes(), options),
        (None, None) => return Err(value_error("no roster: give a folder or a JSON document")),
    };
    read.map_err(|e| input_error(&e, lang))
}

/// What every function reads: the language, the date, the policy and the roster.
struct Inputs {
    lang: Lang,
    as_of: NaiveDate,
    policy: Policy,
    roster: Roster,
}

/// Where a roster comes from and how it is read.
struct Source<'a> {
    folder: Option<&'a str>,
    json_text: Option<&'a str>,
    options: ReadOptions,
}

impl<'a> Source<'a> {
    fn new(
        folder: Option<&'a str>,
        json_text: Option<&'a str>,
        encoding: &str,
        clerk_formats: bool,
    ) -> PyResult<Source<'a>> {
        Ok(Source {
            folder,
            json_text,
            options: read_options(encoding, clerk_formats)?,
        })
    }
}

fn inputs(src: &Source<'_>, as_of: &str, lang: &str, policy: Option<&str>) -> PyResult<Inputs> {
    let lang = lang_of(lang)?;
    let as_of = as_of
        .parse()
        .map_err(|_| value_error(format!("as_of {as_of:?} is not a date (YYYY-MM-DD)")))?;
    Ok(Inputs {
        lang,
        as_of,
        policy: policy_of(policy)?,
        roster: roster_of(src.folder, src.json_text, lang, &src.options)?,
    })
}

/// Every decision, the totals and the receipt, as JSON.
#[pyfunction]
#[pyo3(signature = (folder, json_text, as_of, lang, policy=None, encoding="auto", clerk_formats=false))]
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
) -> PyResult<String> {
    let src = Source::new(folder, json_text, encoding, clerk_formats)?;
    let i = inputs(&src, as_of, lang, policy)?;
    let e = py.detach(|| EvaluationRecord::evaluate(&i.policy, &i.roster, i.as_of, i.lang));
    serde_json::to_string(&e.map_err(value_error)?).map_err(value_error)
}

/// Every decision as `payouts.csv` text (header first): decided without explanations,
/// the same bytes `payouts --data` writes for the same roster; much less to build and
/// carry than [`evaluate`]'s explained JSON, for large rosters.
#[pyfunction]
#[pyo3(signature = (folder, json_text, as_of, lang, policy=None, encoding="auto", clerk_formats=false))]
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
) -> PyResult<String> {
    let src = Source::new(folder, json_text, encoding, clerk_formats)?;
    let i = inputs(&src, as_of, lang, policy)?;
    py.detach(|| {
        let engine = Engine::new(&i.policy).explain(false);
        let eval = engine.evaluate(&i.roster, i.as_of).map_err(value_error)?;
        let mut out = Vec::new();
        jiuye_fupin::io::write_payouts(&mut out, eval.decisions.into_iter().map(Ok))
            .map_err(value_error)?;
        String::from_utf8(out).map_err(value_error)
    })
}

/// The audit's findings and receipt, as JSON.
#[pyfunction]
#[pyo3(signature = (folder, json_text, as_of, lang, policy=None, encoding="auto", clerk_formats=false))]
fn audit(
    folder: Option<&str>,
    json_text: Option<&str>,
    as_of: &str,
    lang: &str,
    policy: Option<&str>,
    encoding: &str,
    clerk_formats: bool,
) -> PyResult<String> {
    let src = Source::new(folder, json_text, encoding, clerk_formats)?;
    let i = inputs(&src, as_of, lang, policy)?;
    let a = AuditRecord::audit(&i.policy, &i.roster, i.as_of, i.lang);
    serde_json::to_string(&a).map_err(value_error)
}

/// A reform's impact, as JSON (`reform`: JSON of the reform, a string of TOML text or an
/// object, as [`jiuye_fupin::json::reform_from_value`] reads).
#[pyfunction]
#[pyo3(signature = (folder, json_text, reform, as_of, policy=None, encoding="auto", clerk_formats=false))]
#[allow(clippy::too_many_arguments)]
fn compare(
    folder: Option<&str>,
    json_text: Option<&str>,
    reform: &str,
    as_of: &str,
    policy: Option<&str>,
    encoding: &str,
    clerk_formats: bool,
) -> PyResult<String> {
    let src = Source::new(folder, json_text, encoding, clerk_formats)?;
    let i = inputs(&src, as_of, "en", policy)?;
    let reform: Value = serde_json::from_str(reform).map_err(value_error)?;
    let reform = jiuye_fupin::json::reform_from_value(&reform).map_err(value_error)?;
    let reformed = reform.apply(&i.policy).map_err(value_error)?;
    let c = jiuye_fupin::compare::compare(&i.policy, &reformed, &i.roster, i.as_of);
    serde_json::to_string(&c.map_err(value_error)?).map_err(value_error)
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
