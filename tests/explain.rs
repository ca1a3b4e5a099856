//! The explained payout list: streamed with payouts.csv (the same payouts bytes as without
//! it), the same rows as the in-memory engine writes, one per decision, each with its steps,
//! clause and parameters.

mod common;

use common::{as_of, fixture};
use jiuye_fupin::batch::{self, Inputs, Options, Source};
use jiuye_fupin::explain::{self, Format};
use jiuye_fupin::{Engine, Lang, Policy, io, sample};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/sample");

fn sample_inputs() -> Inputs<'static> {
    let file = |stem: &str| Some(Source::Path(format!("{SAMPLE}/{stem}.csv").into()));
    Inputs {
        laborers: file("laborers"),
        enterprises: file("enterprises"),
        posts: file("posts"),
        loans: file("loan_applications"),
        centers: file("startup_centers"),
        post_months: file("post_months"),
    }
}

fn streamed(inputs: &Inputs<'_>, format: Format, lang: Lang, threads: usize) -> (String, String) {
    let (mut out, mut x) = (Vec::new(), Vec::new());
    let options = Options::default().threads(threads).chunk_bytes(4096);
    let policy = Policy::yang_county_2020();
    batch::run_explained(
        inputs,
        &policy,
        as_of(),
        &mut out,
        &mut x,
        format,
        lang,
        &options,
    )
    .unwrap();
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(x).unwrap(),
    )
}

#[test]
fn the_streamed_list_is_the_in_memory_list_and_payouts_are_unchanged() {
    for lang in [Lang::Zh, Lang::En] {
        for format in [Format::Csv, Format::Jsonl] {
            let (payouts, list) = streamed(&sample_inputs(), format, lang, 3);
            let expected = std::fs::read_to_string(format!("{SAMPLE}/expected.csv")).unwrap();
            assert_eq!(payouts, expected);
            // The in-memory list, each row with its record's source as read.
            let (roster, origins) =
                io::read_data_traced(&[SAMPLE], &io::ReadOptions::default()).unwrap();
            let engine = Engine::new(&Policy::yang_county_2020());
            let eval = engine.evaluate(&roster, as_of()).unwrap();
            let mut want = Vec::new();
            explain::write_header(&mut want, format);
            for d in &eval.decisions {
                let source = explain::source_of(d, Some(&origins));
                assert!(!source.is_empty(), "{} has a source", d.subject_id);
                explain::write_row_at(&mut want, d, &source, lang, format);
            }
            assert_eq!(
                list,
                String::from_utf8(want).unwrap(),
                "{lang:?} {format:?}"
            );
        }
    }
}

#[test]
fn every_row_carries_its_steps_clause_and_parameters() {
    let (_, list) = streamed(&sample_inputs(), Format::Csv, Lang::Zh, 1);
    let mut rdr = csv::Reader::from_reader(list.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, explain::COLUMNS.map(|(c, _)| c));
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let l002 = rows
        .iter()
        .find(|r| &r[0] == "transport_subsidy" && &r[2] == "YX-L002")
        .unwrap();
    // YX-L002 is the sample's second laborer: line 3 of laborers.csv.
    assert_eq!(&l002[11], format!("{SAMPLE}/laborers.csv:3"));
    assert_eq!(&l002[4], "500.00");
    assert_eq!(&l002[5], "已封顶");
    assert!(
        l002[7].contains("min(交通费 523.40, 上限 500.00) = 500.00"),
        "{}",
        &l002[7]
    );
    assert!(l002[9].starts_with("R1 "), "{}", &l002[9]);
    assert!(l002[10].contains("cap = 500.00"), "{}", &l002[10]);
    // Every ineligible row names its reasons; every eligible one its clause.
    for r in &rows {
        assert!(!r[9].is_empty());
        if &r[3] == "false" {
            assert!(!r[5].is_empty() && !r[6].is_empty());
        }
    }
    let json = streamed(&sample_inputs(), Format::Jsonl, Lang::En, 2).1;
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            v["amount"].is_string(),
            "money is never a JSON number: {line}"
        );
    }
    assert_eq!(json.lines().count(), rows.len());
}

#[test]
fn on_the_fixture_the_payouts_bytes_are_those_of_the_plain_stream() {
    let inputs = Inputs::dir(&fixture("n10000")).unwrap();
    let (payouts, list) = streamed(&inputs, Format::Csv, Lang::En, 2);
    let mut plain = Vec::new();
    batch::run(
        &inputs,
        &Policy::yang_county_2020(),
        as_of(),
        &mut plain,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(payouts, String::from_utf8(plain).unwrap());
    assert_eq!(list.lines().count(), payouts.lines().count());
    // The workbook form reads back with its amounts exact.
    let roster = sample::roster();
    let engine = Engine::new(&Policy::yang_county_2020());
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let bytes = explain::xlsx(&eval.decisions, Lang::Zh).unwrap();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("明细说明").unwrap();
    assert_eq!(range.height(), eval.decisions.len() + 1);
}
