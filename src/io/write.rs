//! Writing `payouts.csv`.

use std::fmt::Write as _;
use std::io::Write;

use crate::decision::Decision;
use crate::engine::EvalError;
use crate::report::Totals;

/// The header of `payouts.csv`.
pub const PAYOUTS_HEADER: [&str; 5] = ["program", "subject_id", "eligible", "amount", "reasons"];

/// Why `payouts.csv` could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// A record could not be decided.
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// The output could not be written.
    #[error("cannot write payouts: {0}")]
    Io(#[from] std::io::Error),
}

impl From<csv::Error> for WriteError {
    fn from(e: csv::Error) -> Self {
        WriteError::Io(e.into())
    }
}

/// Whether the `csv` writer (`QuoteStyle::Necessary`) quotes a cell: when it holds a comma,
/// a quote or a line break.
#[inline]
pub(crate) fn needs_quotes(s: &str) -> bool {
    // The usual cell has no byte at or below `,` (every byte above needs none): eight bytes
    // are tested at once (a byte below 0x2D borrows into its high bit, which a byte of 0x80
    // or above has set already: exact for "any"); only a word with such a byte is looked
    // at a byte at a time.
    let special = |b: &u8| matches!(b, b',' | b'"' | b'\r' | b'\n');
    let mut words = s.as_bytes().chunks_exact(8);
    for w in &mut words {
        let Ok(bytes) = <[u8; 8]>::try_from(w) else {
            return w.iter().any(special);
        };
        if may_need_quotes(u64::from_le_bytes(bytes)) && w.iter().any(special) {
            return true;
        }
    }
    words.remainder().iter().any(special)
}

/// Whether eight bytes of a cell (as one number) may need quotes: `false` when none is at
/// or below `,`, as [`needs_quotes`] tests them.
#[inline(always)]
pub(crate) fn may_need_quotes(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    x.wrapping_sub(ONES.wrapping_mul(0x2D)) & !x & (ONES << 7) != 0
}

/// A cell as the `csv` writer writes it, for rows written without it (the stream's).
#[inline]
pub(crate) fn write_cell(out: &mut Vec<u8>, s: &str) {
    if needs_quotes(s) {
        write_quoted(out, s);
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// A cell in quotes, its quotes doubled.
pub(crate) fn write_quoted(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Writes `payouts.csv`: the header, then one row per decision in the order given
/// (`program, subject_id, eligible, amount, reasons`; amount with two decimals, `0.00` when
/// ineligible; reasons `;`-separated). Returns the totals of what was written.
///
/// ```
/// use jiuye_fupin::{Engine, Policy, sample};
/// use jiuye_fupin::io::write_payouts;
///
/// let roster = sample::roster();
/// let engine = Engine::new(&Policy::yang_county_2020()).explain(false);
/// let mut out = Vec::new();
/// let eval = engine.evaluate(&roster, "2020-04-01".parse()?)?;
/// let totals = write_payouts(&mut out, eval.decisions.into_iter().map(Ok))?;
/// let text = String::from_utf8(out)?;
/// assert!(text.starts_with("program,subject_id,eligible,amount,reasons\n"));
/// assert_eq!(text.lines().count() as u64 - 1, totals.iter().map(|t| t.subjects).sum::<u64>());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The first [`EvalError`] among the decisions, or an I/O error.
pub fn write_payouts<'r, W: Write>(
    out: W,
    decisions: impl IntoIterator<Item = Result<Decision<'r>, EvalError>>,
) -> Result<Totals, WriteError> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(PAYOUTS_HEADER)?;
    let mut totals = Totals::new([]);
    let (mut amount, mut reasons) = (String::new(), String::new());
    for d in decisions {
        let d = d?;
        amount.clear();
        reasons.clear();
        // Writing to a String cannot fail.
        let _ = write!(amount, "{}", d.amount());
        let _ = write!(reasons, "{}", d.reason_codes());
        w.write_record([
            d.program.code(),
            d.subject_id,
            if d.is_eligible() { "true" } else { "false" },
            &amount,
            &reasons,
        ])?;
        // A total too large is no one record's: it names none (`ui_refund total: ...`), as
        // the stream's totals do.
        totals.add(&d).map_err(|source| EvalError::Arithmetic {
            program: d.program,
            subject_id: String::new(),
            source,
            unfit: None,
        })?;
    }
    w.flush()?;
    Ok(totals)
}

/// The header of `findings.csv`.
pub const FINDINGS_HEADER: [&str; 6] =
    ["rule", "kind", "subject_id", "person_id", "month", "detail"];

/// Writes `findings.csv`: the header, then one row per finding
/// (`rule, kind, subject_id, person_id, month, detail`), `detail` the evidence in English:
/// [`write_findings_in`] with [`Lang::En`](crate::Lang::En).
///
/// ```
/// use jiuye_fupin::{Engine, Policy, sample};
/// use jiuye_fupin::io::write_findings;
/// let findings = Engine::new(&Policy::yang_county_2020()).audit(&sample::roster(), "2020-04-01".parse()?);
/// let mut out = Vec::new();
/// write_findings(&mut out, &findings)?;
/// let text = String::from_utf8(out)?;
/// assert!(text.starts_with("rule,kind,subject_id,person_id,month,detail\n"));
/// assert_eq!(text.lines().count(), findings.len() + 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// An I/O error.
pub fn write_findings<W: Write>(
    out: W,
    findings: &[crate::finding::Finding],
) -> std::io::Result<()> {
    write_findings_in(out, findings, crate::Lang::En)
}

/// Writes `findings.csv` with `detail`, the evidence, in `lang` (the other columns are
/// codes, the same in every language): what a clerk opens in Excel reads in Chinese, as the
/// printed audit and `findings.xlsx` do.
///
/// ```
/// use jiuye_fupin::{Engine, Lang, Policy, sample};
/// use jiuye_fupin::io::write_findings_in;
/// let findings = Engine::new(&Policy::yang_county_2020()).audit(&sample::roster(), "2020-04-01".parse()?);
/// let mut out = Vec::new();
/// write_findings_in(&mut out, &findings, Lang::Zh)?;
/// let text = String::from_utf8(out)?;
/// let first = findings[0].evidence.render(Lang::Zh).to_string();
/// assert!(text.lines().nth(1).unwrap().ends_with(first.as_str()), "{text}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// An I/O error.
pub fn write_findings_in<W: Write>(
    out: W,
    findings: &[crate::finding::Finding],
    lang: crate::Lang,
) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(FINDINGS_HEADER)?;
    for f in findings {
        let month = f.month.map(|m| m.to_string()).unwrap_or_default();
        let detail = f.evidence.render(lang).to_string();
        w.write_record([
            f.kind.rule(),
            f.kind.code(),
            &f.subject_id,
            f.person_id.as_deref().unwrap_or(""),
            &month,
            &detail,
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod quoting_tests {
    use super::write_cell;

    #[test]
    fn cells_are_quoted_as_the_csv_writer_quotes_them() {
        for s in [
            "L1",
            "L,1",
            "L\"1",
            "a\nb",
            "a\rb",
            "",
            "min(a, b) = 1",
            "「条款」",
        ] {
            let mut ours = Vec::new();
            write_cell(&mut ours, s);
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            w.write_record([s, "x"]).unwrap();
            let theirs = String::from_utf8(w.into_inner().unwrap()).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap() + ",x\n", theirs, "{s:?}");
        }
    }

    proptest::proptest! {
        /// The word-at-a-time test answers as the plain byte-by-byte one, whatever the
        /// text's length and wherever the special byte falls.
        #[test]
        fn needs_quotes_is_the_plain_test(s in "[a-zA-Z0-9洋,\"\r\n\t +./-]{0,40}") {
            let plain = s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
            proptest::prop_assert_eq!(super::needs_quotes(&s), plain);
        }
    }
}
