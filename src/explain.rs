//! The explained payout list: one row per decision, with everything an auditor needs to
//! follow a payout from the row to the clause (`payouts --explain FILE`).
//!
//! Each row holds the program (code and name), the subject, where its record was read (its
//! `source`: `laborers.csv:12`, `town1.xlsx!劳动力:12`), the result, the amount, the
//! unmet conditions as labels (and as codes), the steps of the amount
//! (`min(交通费 523.40, 上限 500.00) = 500.00`), the clause applied, and the parameters in
//! force on the decision's date with their `source` notes, in the chosen language. It is
//! written as CSV or JSON Lines (streamed by [`crate::batch::run_explained`], in constant
//! memory) or as a workbook ([`xlsx`], in memory).
//!
//! ```
//! use jiuye_fupin::explain::{Format, write_header, write_row};
//! use jiuye_fupin::{Engine, Lang, Policy, sample};
//! let roster = sample::roster();
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
//! let mut out = Vec::new();
//! write_header(&mut out, Format::Csv);
//! for d in &eval.decisions {
//!     write_row(&mut out, d, Lang::Zh, Format::Csv);
//! }
//! let text = String::from_utf8(out)?;
//! assert!(text.contains("min(交通费 523.40, 上限 500.00) = 500.00"));
//! assert_eq!(text.lines().count(), eval.decisions.len() + 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use serde::Serialize;

use crate::decision::{Decision, Lang};

/// How an explained list is written, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// CSV (`.csv`), UTF-8, a header row.
    Csv,
    /// JSON Lines (`.jsonl`): one object per decision.
    Jsonl,
    /// A workbook (`.xlsx`).
    Xlsx,
}

impl Format {
    /// The format of `path` by its extension (`.csv`, `.jsonl`, `.xlsx`), if it is one.
    ///
    /// ```
    /// use jiuye_fupin::explain::Format;
    /// assert_eq!(Format::of("out/explained.jsonl".as_ref()), Some(Format::Jsonl));
    /// assert_eq!(Format::of("explained.txt".as_ref()), None);
    /// ```
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" => Some(Format::Jsonl),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// The columns of an explained list: each code, and its Chinese label.
pub const COLUMNS: [(&str, &str); 12] = [
    ("program", "项目代码"),
    ("program_name", "项目"),
    ("subject_id", "对象"),
    ("eligible", "是否符合"),
    ("amount", "金额"),
    ("reasons", "原因"),
    ("reason_codes", "原因代码"),
    ("steps", "计算过程"),
    ("date", "依据日期"),
    ("clause", "政策依据"),
    ("parameters", "适用参数及来源"),
    ("source", "来源"),
];

/// One decision, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explained {
    /// The program's code.
    pub program: &'static str,
    /// The program's name in the chosen language.
    pub program_name: &'static str,
    /// The subject's id.
    pub subject_id: String,
    /// Where the subject's record was read: the file as given and the line where the record
    /// starts (`town1/laborers.csv:12`), or the workbook, sheet and row
    /// (`town1.xlsx!劳动力:12`); empty when not known (a roster built in code).
    pub source: String,
    /// Eligible or not.
    pub eligible: bool,
    /// The amount, two decimals, as in payouts.csv (a string: never a float).
    pub amount: String,
    /// The unmet conditions (or `capped`) as labels in the chosen language, `; `-separated.
    pub reasons: String,
    /// The same as payouts.csv's codes.
    pub reason_codes: String,
    /// The steps of the amount, `; `-separated.
    pub steps: String,
    /// The date that chose the parameters.
    pub date: String,
    /// The clause applied.
    pub clause: String,
    /// The parameters in force, each with its date and source note, `; `-separated.
    pub parameters: String,
}

impl Explained {
    /// The decision `d`, explained in `lang` (its source left empty: see
    /// [`Explained::at`]).
    pub fn new(d: &Decision<'_>, lang: Lang) -> Explained {
        Explained::at(d, "", lang)
    }

    /// The decision `d`, on the record read at `source` (`laborers.csv:12`), explained in
    /// `lang`.
    ///
    /// ```
    /// use jiuye_fupin::explain::Explained;
    /// use jiuye_fupin::{Engine, Lang, Policy, sample};
    /// let roster = sample::roster();
    /// let engine = Engine::new(&Policy::yang_county_2020());
    /// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
    /// let e = Explained::at(&eval.decisions[0], "laborers.csv:2", Lang::En);
    /// assert_eq!(e.cells()[11], "laborers.csv:2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn at(d: &Decision<'_>, source: &str, lang: Lang) -> Explained {
        Explained::with(d, source, lang, clause_text(d), parameters_text(d))
    }

    /// [`Explained::at`], given the decision's clause and parameters as they render.
    fn with(
        d: &Decision<'_>,
        source: &str,
        lang: Lang,
        clause: String,
        parameters: String,
    ) -> Explained {
        let steps: Vec<String> = d.steps.iter().map(|s| s.render(lang).to_string()).collect();
        Explained {
            program: d.program.code(),
            program_name: d.program.name(lang),
            subject_id: d.subject_id.to_owned(),
            source: source.to_owned(),
            eligible: d.is_eligible(),
            amount: d.amount().to_string(),
            reasons: crate::xlsx::reason_labels(&d.outcome, lang),
            reason_codes: d.reason_codes().to_string(),
            steps: steps.join("; "),
            date: d.date.to_string(),
            clause,
            parameters,
        }
    }

    /// The row's cells, in the order of [`COLUMNS`].
    pub fn cells(&self) -> [&str; 12] {
        [
            self.program,
            self.program_name,
            &self.subject_id,
            if self.eligible { "true" } else { "false" },
            &self.amount,
            &self.reasons,
            &self.reason_codes,
            &self.steps,
            &self.date,
            &self.clause,
            &self.parameters,
            &self.source,
        ]
    }
}

/// The clause a decision applies, as the explained list shows it.
fn clause_text(d: &Decision<'_>) -> String {
    d.citation.to_string()
}

/// The parameters in force for a decision, each with its date and source note.
fn parameters_text(d: &Decision<'_>) -> String {
    let parameters: Vec<String> = d.parameters.iter().map(ToString::to_string).collect();
    parameters.join("; ")
}

/// The explained list's rows of one streamed run: the bytes of [`write_row_at`], faster. A
/// decision's clause and parameters depend only on its rule and on the interval of its
/// date: each is rendered once per run and copied after, found by the address of what the
/// engine holds for it (the engine outlives the run, and nothing else is ever looked up
/// here). CSV cells are quoted as the `csv` writer quotes them, without building a writer
/// per row.
#[derive(Default)]
pub(crate) struct RowWriter {
    clauses: Vec<(usize, String)>,
    parameters: Vec<((usize, usize), String)>,
}

/// The position in `cache` of `key`'s text, made by `make` the first time.
fn cached<K: PartialEq + Copy>(
    cache: &mut Vec<(K, String)>,
    key: K,
    make: impl FnOnce() -> String,
) -> usize {
    match cache.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            cache.push((key, make()));
            cache.len().saturating_sub(1)
        }
    }
}

impl RowWriter {
    /// Appends `d`, on the record read at `source`, as [`write_row_at`] does.
    pub(crate) fn write(
        &mut self,
        out: &mut Vec<u8>,
        d: &Decision<'_>,
        source: &str,
        lang: Lang,
        format: Format,
    ) {
        let c = cached(
            &mut self.clauses,
            std::ptr::from_ref(d.citation) as usize,
            || clause_text(d),
        );
        let key = (d.parameters.as_ptr() as usize, d.parameters.len());
        let p = cached(&mut self.parameters, key, || parameters_text(d));
        let clause = self.clauses.get(c).map_or("", |(_, t)| t.as_str());
        let parameters = self.parameters.get(p).map_or("", |(_, t)| t.as_str());
        match format {
            Format::Csv => {
                // The cells of `Explained`, in its one order, the cached texts in their place.
                let e = Explained::with(d, source, lang, String::new(), String::new());
                for (i, (cell, (code, _))) in e.cells().into_iter().zip(COLUMNS).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    let cell = match code {
                        "clause" => clause,
                        "parameters" => parameters,
                        _ => cell,
                    };
                    crate::io::write::write_cell(out, cell);
                }
                out.push(b'\n');
            }
            Format::Jsonl => {
                let e = Explained::with(d, source, lang, clause.to_owned(), parameters.to_owned());
                // Serializing strings and a bool into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, &e);
                out.push(b'\n');
            }
            Format::Xlsx => {}
        }
    }
}

/// One CSV line, as the `csv` writer writes it (payouts.csv's writer).
fn csv_line<'a>(out: &mut Vec<u8>, cells: impl IntoIterator<Item = &'a str>) {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(512)
        .from_writer(&mut *out);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(cells);
    let _ = w.flush();
}

/// Writes the header of a CSV list (nothing for JSON Lines or a workbook).
pub fn write_header(out: &mut Vec<u8>, format: Format) {
    if format == Format::Csv {
        csv_line(out, COLUMNS.iter().map(|(code, _)| *code));
    }
}

/// Appends the decision `d`, explained in `lang`, as one CSV row or one JSON line
/// (nothing for a workbook: see [`xlsx`]), its source left empty ([`write_row_at`]).
pub fn write_row(out: &mut Vec<u8>, d: &Decision<'_>, lang: Lang, format: Format) {
    write_row_at(out, d, "", lang, format);
}

/// [`write_row`] for the decision on the record read at `source` (`laborers.csv:12`).
///
/// ```
/// use jiuye_fupin::explain::{Format, write_row_at};
/// use jiuye_fupin::{Engine, Lang, Policy, sample};
/// let roster = sample::roster();
/// let engine = Engine::new(&Policy::yang_county_2020());
/// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
/// let mut out = Vec::new();
/// write_row_at(&mut out, &eval.decisions[0], "laborers.csv:2", Lang::En, Format::Jsonl);
/// assert!(String::from_utf8(out)?.contains(r#""source":"laborers.csv:2""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_row_at(out: &mut Vec<u8>, d: &Decision<'_>, source: &str, lang: Lang, format: Format) {
    let e = Explained::at(d, source, lang);
    match format {
        Format::Csv => csv_line(out, e.cells()),
        Format::Jsonl => {
            // Serializing strings and a bool into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &e);
            out.push(b'\n');
        }
        Format::Xlsx => {}
    }
}

/// The explained list as a workbook (明细说明): money as `0.00` numbers from the exact
/// decimal, headers in Chinese with the codes.
///
/// # Errors
/// [`crate::xlsx::XlsxError`] from the writer.
pub fn xlsx(decisions: &[Decision<'_>], lang: Lang) -> Result<Vec<u8>, crate::xlsx::XlsxError> {
    xlsx_traced(decisions, None, lang)
}

/// The decision's source among `origins` (`laborers.csv:12`), or an empty text.
///
/// ```
/// use jiuye_fupin::explain::source_of;
/// use jiuye_fupin::io::{ReadOptions, read_data_traced};
/// use jiuye_fupin::{Engine, Policy};
/// let (roster, origins) = read_data_traced(&["src/sample"], &ReadOptions::default())?;
/// let engine = Engine::new(&Policy::yang_county_2020());
/// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
/// assert_eq!(source_of(&eval.decisions[0], Some(&origins)), "src/sample/laborers.csv:2");
/// assert_eq!(source_of(&eval.decisions[0], None), "");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn source_of(d: &Decision<'_>, origins: Option<&crate::io::Origins>) -> String {
    origins
        .and_then(|o| o.get(d.program.subject(), d.subject_id))
        .map(|o| o.to_string())
        .unwrap_or_default()
}

/// [`xlsx`], each row with its record's source among `origins` (see [`source_of`]).
///
/// ```
/// use jiuye_fupin::explain::xlsx_traced;
/// use jiuye_fupin::io::{ReadOptions, read_data_traced};
/// use jiuye_fupin::{Engine, Lang, Policy};
/// let (roster, origins) = read_data_traced(&["src/sample"], &ReadOptions::default())?;
/// let engine = Engine::new(&Policy::yang_county_2020()).explain(true);
/// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
/// assert!(xlsx_traced(&eval.decisions, Some(&origins), Lang::Zh)?.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`crate::xlsx::XlsxError`] from the writer.
pub fn xlsx_traced(
    decisions: &[Decision<'_>],
    origins: Option<&crate::io::Origins>,
    lang: Lang,
) -> Result<Vec<u8>, crate::xlsx::XlsxError> {
    use crate::xlsx::{Cell, col, table, workbook};
    let cols: Vec<_> = COLUMNS.iter().map(|(code, zh)| col(zh, code)).collect();
    let rows = decisions.iter().map(|d| {
        let e = Explained::at(d, &source_of(d, origins), lang);
        let mut cells: Vec<Cell> = e.cells().iter().map(|c| Cell::from(*c)).collect();
        if let Some(amount) = cells.get_mut(4) {
            *amount = d.amount().into();
        }
        cells
    });
    let mut book = workbook()?;
    table(&mut book, "明细说明", &cols, rows, Some(lang))?;
    book.save_to_buffer()
}

#[cfg(test)]
mod row_writer_tests {
    use super::*;
    use crate::{Engine, Policy, sample};

    #[test]
    fn the_streams_rows_are_the_bytes_of_write_row_at() {
        let roster = sample::roster();
        let engine = Engine::new(&Policy::yang_county_2020());
        let eval = engine
            .evaluate(&roster, "2020-04-01".parse().unwrap())
            .unwrap();
        for format in [Format::Csv, Format::Jsonl] {
            for lang in [Lang::Zh, Lang::En] {
                let mut rows = RowWriter::default();
                for (i, d) in eval.decisions.iter().enumerate() {
                    // Sources that need quotes, and the same texts met again from the cache.
                    let source = ["", "town,1/laborers.csv:2", "a\"b.xlsx!劳动力:3"][i % 3];
                    let (mut fast, mut plain) = (Vec::new(), Vec::new());
                    rows.write(&mut fast, d, source, lang, format);
                    write_row_at(&mut plain, d, source, lang, format);
                    assert_eq!(
                        String::from_utf8(fast).unwrap(),
                        String::from_utf8(plain).unwrap()
                    );
                }
            }
        }
    }
}
