//! Workbooks in: the sample's CSV files written into an `.xlsx` with typed cells (numbers,
//! dates, booleans, text) by another implementation than the reader (`rust_xlsxwriter`),
//! then read by `io::read_data`, decide byte for byte as the CSV files do through the
//! streaming path; a bad cell is the same problem, in the same words, naming the sheet,
//! row and column; a person in two sources is refused, naming both.

mod common;

use std::path::{Path, PathBuf};

use common::{as_of, payouts_csv};
use jiuye_fupin::batch::{self, Inputs, Options, Source};
use jiuye_fupin::io::{self, InputError, Problem, read_data};
use jiuye_fupin::{Lang, Policy};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/sample");

/// Columns kept as text whatever they look like.
const TEXT: [&str; 11] = [
    "id",
    "household_id",
    "town",
    "village",
    "name",
    "employer_name",
    "holder_id",
    "laborer_id",
    "post_id",
    "signed_by",
    "month",
];

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("workbook_in");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Writes the CSV `text` as sheet `name`, each cell typed as a clerk's Excel types it:
/// dates as dates, `true`/`false` as booleans, numbers as numbers, the rest as text.
fn add_sheet(book: &mut Workbook, name: &str, text: &str, header_prefix: &str) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut header = Vec::new();
    for (r, record) in rdr.records().enumerate() {
        let record = record.unwrap();
        let row = u32::try_from(r).unwrap();
        for (c, value) in record.iter().enumerate() {
            let col = u16::try_from(c).unwrap();
            if r == 0 {
                header.push(value.to_owned());
                let cell = if header_prefix.is_empty() {
                    value.to_owned()
                } else {
                    format!("{header_prefix}{value})")
                };
                sheet.write_string(row, col, cell).unwrap();
                continue;
            }
            let column = header[c].as_str();
            if value.is_empty() {
                continue;
            }
            if TEXT.contains(&column) {
                sheet.write_string(row, col, value).unwrap();
            } else if let Ok(d) = value.parse::<chrono::NaiveDate>() {
                let d = ExcelDateTime::parse_from_str(&d.to_string()).unwrap();
                sheet.write_date_with_format(row, col, &d, &date).unwrap();
            } else if let Ok(b) = value.parse::<bool>() {
                sheet.write_boolean(row, col, b).unwrap();
            } else if let Ok(n) = value.parse::<f64>() {
                sheet.write_number(row, col, n).unwrap();
            } else {
                sheet.write_string(row, col, value).unwrap();
            }
        }
    }
}

/// The sample's six files as one workbook: laborers under their Chinese sheet name with
/// `label (code)` headers, the others under their stems with bare codes.
fn sample_workbook(path: &Path) {
    let mut book = Workbook::new();
    for (stem, zh) in io::workbook::SHEETS {
        let text = std::fs::read_to_string(format!("{SAMPLE}/{stem}.csv")).unwrap();
        if stem == "laborers" {
            add_sheet(&mut book, zh, &text, "列 (");
        } else {
            add_sheet(&mut book, stem, &text, "");
        }
    }
    book.save(path).unwrap();
}

#[test]
fn a_workbook_of_the_sample_decides_byte_for_byte_as_its_csv_files() {
    let path = tmp("sample.xlsx");
    sample_workbook(&path);
    let roster = read_data(&[&path]).unwrap();
    let from_workbook = payouts_csv(&roster);

    let file = |stem: &str| Some(Source::Path(format!("{SAMPLE}/{stem}.csv").into()));
    let inputs = Inputs {
        laborers: file("laborers"),
        enterprises: file("enterprises"),
        posts: file("posts"),
        loans: file("loan_applications"),
        centers: file("startup_centers"),
        post_months: file("post_months"),
    };
    let mut streamed = Vec::new();
    batch::run(
        &inputs,
        &Policy::yang_county_2020(),
        as_of(),
        &mut streamed,
        &Options::default().threads(1),
    )
    .unwrap();
    assert_eq!(from_workbook, String::from_utf8(streamed).unwrap());
    let expected = std::fs::read_to_string(format!("{SAMPLE}/expected.csv")).unwrap();
    assert_eq!(from_workbook, expected);
    // Every table came through, post months too.
    let csv = read_data(&[SAMPLE]).unwrap();
    assert_eq!(roster.laborers(), csv.laborers());
    assert_eq!(roster.post_months().len(), csv.post_months().len());
    assert!(roster.has_post_months());
}

/// A one-sheet workbook, every cell as `write` puts it.
fn one_sheet(
    name: &str,
    sheet: &str,
    write: impl FnOnce(&mut rust_xlsxwriter::Worksheet),
) -> PathBuf {
    let path = tmp(name);
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    write(ws);
    book.save(&path).unwrap();
    path
}

fn laborer_header(ws: &mut rust_xlsxwriter::Worksheet) {
    for (c, h) in io::LABORER_COLUMNS.iter().enumerate() {
        ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
    }
}

fn first_error(path: &Path) -> InputError {
    read_data(&[path]).unwrap_err().into_iter().next().unwrap()
}

/// The rows `rows` of `laborers.csv` (under its header) through the template `name` and
/// read back, with the roster the CSV file reads as.
fn laborers_through_the_template(
    name: &str,
    rows: &str,
) -> (jiuye_fupin::Roster, jiuye_fupin::Roster) {
    let laborers = format!("{}\n{rows}", io::LABORER_COLUMNS.join(","));
    let files = io::RosterFiles {
        laborers: Some(laborers.as_bytes()),
        ..Default::default()
    };
    let path = tmp(name);
    std::fs::write(&path, jiuye_fupin::xlsx::template(Some(&files)).unwrap()).unwrap();
    (
        read_data(&[&path]).unwrap(),
        io::parse_roster_files(&files).unwrap(),
    )
}

#[test]
fn a_bad_cell_is_the_csv_problem_naming_sheet_row_and_column() {
    // A negative money number, a wrong code, a date with a time: each refused with the
    // CSV reader's problem, at the sheet's row and column letter.
    let path = one_sheet("bad.xlsx", "劳动力", |ws| {
        laborer_header(ws);
        ws.write_string(1, 0, "L1").unwrap();
        ws.write_string(1, 4, "lifted").unwrap();
        ws.write_number(1, 12, -3.0).unwrap();
        ws.write_string(2, 0, "L2").unwrap();
        ws.write_string(2, 4, "poor").unwrap();
        ws.write_string(3, 0, "L3").unwrap();
        let noon = ExcelDateTime::parse_from_str("2020-03-01 12:00:00").unwrap();
        let f = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        ws.write_datetime_with_format(3, 11, &noon, &f).unwrap();
    });
    let all: Vec<String> = read_data(&[&path])
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    let book = path.display();
    assert_eq!(
        all,
        [
            format!("{book} [劳动力] row 2, column M (transport_cost): \"-3\" is negative"),
            format!(
                "{book} [劳动力] row 3, column E (poverty_status): \"poor\" is not one of: remaining_poor, lifted, none"
            ),
            format!(
                "{book} [劳动力] row 4, column L (departure_date): \"2020-03-01 12:00:00\" is not a date (YYYY-MM-DD)"
            ),
        ]
    );
    let zh = read_data(&[&path]).unwrap_err().first().render(Lang::Zh);
    assert_eq!(
        zh,
        format!("{book} [劳动力] 第 2 行, M 列 (transport_cost): \"-3\" 为负数")
    );
    // The CSV reader's problem for the same text.
    let csv = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date\nL1,,,,lifted,,,,,,,,-3,,,,\n";
    let e = io::parse_roster(Some(csv.as_bytes()), None, None).unwrap_err();
    let (InputError::Cell { problem: a, .. }, InputError::SheetCell { problem: b, .. }) =
        (e.first(), first_error(&path))
    else {
        panic!("not cell errors");
    };
    assert_eq!(*a, b);
}

#[test]
fn money_from_a_number_cell_is_its_shortest_decimal_never_the_doubles_expansion() {
    // 0.1 + 0.2 is not 0.3 as a double; 523.4 and 1234.5 are typed numbers.
    let path = one_sheet("money.xlsx", "laborers", |ws| {
        laborer_header(ws);
        for (r, cost) in [523.4, 1234.5, 0.07, 99_999_999.99].into_iter().enumerate() {
            let r = u32::try_from(r).unwrap() + 1;
            ws.write_string(r, 0, format!("L{r}")).unwrap();
            ws.write_number(r, 12, cost).unwrap();
        }
    });
    let roster = read_data(&[&path]).unwrap();
    let costs: Vec<String> = roster
        .laborers()
        .iter()
        .map(|l| l.transport_cost.unwrap().as_decimal().to_string())
        .collect();
    assert_eq!(costs, ["523.4", "1234.5", "0.07", "99999999.99"]);
    // Shown as money: two decimals at least.
    assert_eq!(
        roster.laborers()[0].transport_cost.unwrap().to_string(),
        "523.40"
    );
    assert_eq!(
        roster.laborers()[0]
            .transport_cost
            .unwrap()
            .as_decimal()
            .to_string(),
        "523.4"
    );
}

#[test]
fn a_template_like_workbook_with_headers_only_is_an_empty_roster() {
    let path = one_sheet("empty.xlsx", "laborers", laborer_header);
    let roster = read_data(&[&path]).unwrap();
    assert!(roster.laborers().is_empty());
}

#[test]
fn a_workbook_without_roster_sheets_or_with_a_sheet_twice_is_refused() {
    let path = one_sheet("none.xlsx", "说明", |_| {});
    assert!(matches!(
        first_error(&path),
        InputError::Workbook {
            problem: io::WorkbookProblem::NoSheets,
            ..
        }
    ));
    let path = tmp("twice.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet().set_name("laborers").unwrap();
    book.add_worksheet().set_name("劳动力").unwrap();
    book.save(&path).unwrap();
    assert!(
        first_error(&path)
            .to_string()
            .contains("are the same table")
    );
}

#[test]
fn a_person_in_two_sources_is_refused_naming_both() {
    let one = one_sheet("town1.xlsx", "laborers", |ws| {
        laborer_header(ws);
        ws.write_string(1, 0, "YX-L001").unwrap();
    });
    let two = one_sheet("town2.xlsx", "劳动力", |ws| {
        laborer_header(ws);
        ws.write_string(1, 0, "L9").unwrap();
        // Equal after NFKC and trimming (POLICY.md reading 12).
        ws.write_string(2, 0, " ＹＸ-L001").unwrap();
    });
    let e = read_data(&[&one, &two]).unwrap_err();
    assert_eq!(e.len(), 1);
    let InputError::SheetCell { problem, row, .. } = e.first() else {
        panic!("{e}");
    };
    assert_eq!(*row, 3);
    let Problem::DuplicateIn { first } = problem else {
        panic!("{problem:?}");
    };
    assert_eq!(
        first.to_string(),
        format!("{} [laborers] row 2", one.display())
    );
    // A workbook and a CSV folder merge, each record once.
    let three = one_sheet("town3.xlsx", "劳动力", |ws| {
        laborer_header(ws);
        ws.write_string(1, 0, "L9").unwrap();
    });
    let roster = read_data(&[SAMPLE.as_ref(), three.as_path()]).unwrap();
    let n = read_data(&[SAMPLE]).unwrap().laborers().len();
    assert_eq!(roster.laborers().len(), n + 1);
    assert_eq!(roster.laborers()[n].id, "L9");
}

#[test]
fn the_template_reads_back_as_an_empty_roster_and_filled_decides_like_the_csvs() {
    let path = tmp("template.xlsx");
    std::fs::write(&path, jiuye_fupin::xlsx::template(None).unwrap()).unwrap();
    let roster = read_data(&[&path]).unwrap();
    assert!(roster.is_empty());
    assert!(
        roster.has_post_months(),
        "every sheet is there, post months too"
    );

    let path = tmp("template-sample.xlsx");
    let files = jiuye_fupin::sample::files();
    std::fs::write(&path, jiuye_fupin::xlsx::template(Some(&files)).unwrap()).unwrap();
    let roster = read_data(&[&path]).unwrap();
    let expected = std::fs::read_to_string(format!("{SAMPLE}/expected.csv")).unwrap();
    assert_eq!(payouts_csv(&roster), expected);
    assert_eq!(roster, jiuye_fupin::sample::roster());
}

#[test]
fn the_template_of_a_folder_keeps_each_id_as_written() {
    // POLICY.md reading 12: ` L1 ` and `L2　` (U+3000) keep their bytes from the CSV files
    // through the template to the payouts; other cells are trimmed as the reader trims.
    let (from_book, from_csv) = laborers_through_the_template(
        "template-ids.xlsx",
        " L1 ,H1,T,V, lifted ,true,true,false,false,false,out_of_county,2020-03-01, 300.00 ,,,false,\nL2\u{3000},H1,T,V,none,,,,,,,,,,,,\n",
    );
    assert_eq!(payouts_csv(&from_book), payouts_csv(&from_csv));
    let ids: Vec<&str> = from_book.laborers().iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, [" L1 ", "L2\u{3000}"]);
}

#[test]
fn the_template_of_a_folder_reads_its_files_as_the_one_reader_does() {
    // Columns in another order, a byte-order mark, CRLF, a quoted cell with a comma and a
    // line break, a doubled quote, and a row of empty cells (Excel's `,,,`): the workbook
    // reads back as the CSV files read.
    let mut columns: Vec<&str> = io::LABORER_COLUMNS.to_vec();
    columns.reverse();
    let row = |values: &[(&str, &str)]| -> String {
        (columns.iter())
            .map(|c| values.iter().find(|(k, _)| k == c).map_or("", |(_, v)| *v))
            .collect::<Vec<_>>()
            .join(",")
    };
    let l1 = row(&[
        ("id", "L1"),
        ("household_id", "H1"),
        ("town", "\"洋州镇, 北街\""),
        ("village", "\"村\r\n\"\"一\"\"组\""),
        ("poverty_status", "lifted"),
        ("able_to_work", "true"),
        ("willing_to_work", "true"),
        ("work_destination", "out_of_county"),
        ("departure_date", "2020-03-01"),
        ("transport_cost", "300.00"),
    ]);
    let blank = ",".repeat(columns.len().saturating_sub(1));
    let laborers = format!("\u{feff}{}\r\n{l1}\r\n{blank}\r\n", columns.join(","));
    let files = io::RosterFiles {
        laborers: Some(laborers.as_bytes()),
        ..Default::default()
    };
    let from_csv = io::parse_roster_files(&files).unwrap();
    let path = tmp("template-reader.xlsx");
    std::fs::write(&path, jiuye_fupin::xlsx::template(Some(&files)).unwrap()).unwrap();
    let from_book = read_data(&[&path]).unwrap();
    assert_eq!(from_book.laborers(), from_csv.laborers());
    assert_eq!(from_book.laborers()[0].village, "村\r\n\"一\"组");
    assert_eq!(payouts_csv(&from_book), payouts_csv(&from_csv));
}

#[test]
fn the_template_of_a_folder_keeps_a_number_the_reader_refuses_as_its_text() {
    // `1E2` and `+3` are no amount and no count to the reader, but `str::parse` read them:
    // the template wrote the numbers 100 and 3, which `--data` read and paid.
    let posts = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\n\
        P1,school,s,t,,public_welfare,L1,1E2,3\n\
        P2,school,s,t,,public_welfare,L1,100,+3\n";
    let empty = ",".repeat(io::LABORER_COLUMNS.len() - 1);
    let laborers = format!("{}\nL1{empty}\n", io::LABORER_COLUMNS.join(","));
    let files = io::RosterFiles {
        laborers: Some(laborers.as_bytes()),
        posts: Some(posts.as_bytes()),
        ..Default::default()
    };
    let cells = |e: io::InputErrors| -> Vec<(&'static str, String)> {
        e.into_iter()
            .filter_map(|e| match e {
                InputError::Cell { column, value, .. }
                | InputError::SheetCell { column, value, .. } => Some((column, value)),
                _ => None,
            })
            .collect()
    };
    let from_csv = cells(io::parse_roster_files(&files).unwrap_err());
    assert_eq!(
        from_csv,
        [
            ("monthly_wage", "1E2".to_owned()),
            ("months_paid", "+3".to_owned())
        ]
    );
    let path = tmp("template-refused-numbers.xlsx");
    std::fs::write(&path, jiuye_fupin::xlsx::template(Some(&files)).unwrap()).unwrap();
    assert_eq!(cells(read_data(&[&path]).unwrap_err()), from_csv);
}

#[test]
fn the_template_of_a_folder_refuses_a_cell_no_sheet_holds_naming_its_file_line_and_column() {
    // A CSV cell may hold up to 1 MiB, an Excel cell 32,767 characters: the writer's own
    // refusal named the sheet's row alone, in both languages at once. A blank line first,
    // so that the sheet's row (2) is not the file's line (3).
    let long = "村".repeat(40_000);
    let text = format!(
        "id,name,level,town,year,claimed_rent,claimed_utilities\n\nC1,{long},town,x,2020,,\n"
    );
    let files = io::RosterFiles {
        startup_centers: Some(text.as_bytes()),
        ..Default::default()
    };
    let e = jiuye_fupin::xlsx::template_from(&files, "town1".as_ref()).unwrap_err();
    let shown = "村".repeat(40);
    assert_eq!(
        e.render(jiuye_fupin::Lang::En),
        format!(
            "town1/startup_centers.csv line 3, column name: \"{shown}…\" has 40000 characters, more than an Excel cell holds (32,767): shorten it, or keep the file as CSV"
        )
    );
    let zh = e.render(jiuye_fupin::Lang::Zh);
    assert!(
        zh.starts_with("town1/startup_centers.csv 第 3 行, name 列:")
            && zh.contains("40000 个字符"),
        "{zh}"
    );
    assert!(!zh.contains("characters"), "{zh}");
}

#[test]
fn the_template_of_a_folder_refuses_a_file_the_reader_refuses_naming_it() {
    let files = io::RosterFiles {
        laborers: Some(b"id,household_id\nL1,H1\n"),
        enterprises: Some(b"\xFF\xFE\x00"),
        ..Default::default()
    };
    let e = jiuye_fupin::xlsx::template_from(&files, "town1".as_ref()).unwrap_err();
    let en = e.render(jiuye_fupin::Lang::En);
    assert!(
        en.contains("town1/laborers.csv: the header has no column \"town\""),
        "{en}"
    );
    assert!(en.contains("town1/enterprises.csv"), "{en}");
    let zh = e.render(jiuye_fupin::Lang::Zh);
    assert!(zh.contains("town1/laborers.csv"), "{zh}");
    assert!(zh.contains("town"), "{zh}");
    // A record with a field too few: its file and line, in either language.
    let short = format!("{}\nL1\n", io::LABORER_COLUMNS.join(","));
    let files = io::RosterFiles {
        laborers: Some(short.as_bytes()),
        ..Default::default()
    };
    let e = jiuye_fupin::xlsx::template(Some(&files)).unwrap_err();
    let fields = io::LABORER_COLUMNS.len();
    assert_eq!(
        e.render(jiuye_fupin::Lang::En),
        format!("laborers.csv line 2: has 1 fields, but the header has {fields}")
    );
    assert_eq!(
        e.render(jiuye_fupin::Lang::Zh),
        format!("laborers.csv 第 2 行: 有 1 个字段, 而表头有 {fields} 列")
    );
}

/// Workbooks saved by a real spreadsheet program, not by this crate's writer: the
/// template filled with the sample, opened and saved by LibreOffice (headless
/// `soffice --convert-to ods`, then `--convert-to xlsx`).
#[test]
fn a_workbook_saved_by_libreoffice_decides_like_the_csvs() {
    let fixture = |name: &str| common::fixture(name);
    let roster = read_data(&[fixture("sample-libreoffice.xlsx")]).unwrap();
    let expected = std::fs::read_to_string(format!("{SAMPLE}/expected.csv")).unwrap();
    assert_eq!(payouts_csv(&roster), expected);
    // LibreOffice's own format keeps a boolean as the number 1 with a boolean style: "1",
    // refused as the CSV reader refuses it, naming the sheet, row and column.
    let err = read_data(&[fixture("sample-libreoffice.ods")]).unwrap_err();
    let first = err.first().to_string();
    assert!(
        first.ends_with("sample-libreoffice.ods [劳动力] row 2, column F (able_to_work): \"1\" is not true or false"),
        "{first}"
    );
}

#[test]
fn an_error_cell_is_refused_even_in_a_free_text_column() {
    let path = tmp("errors.xlsx");
    // A town typed as a formula that failed (=1/0), saved as Excel saves it: an error cell.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("laborers").unwrap();
    laborer_header(ws);
    ws.write_string(1, 0, "L1").unwrap();
    ws.write_formula(
        1,
        2,
        rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
    )
    .unwrap();
    book.save(&path).unwrap();
    let e = read_data(&[&path]).unwrap_err();
    let InputError::SheetCell { problem, .. } = e.first() else {
        panic!("{e}");
    };
    assert_eq!(*problem, Problem::SpreadsheetError, "{e}");
    assert!(e.to_string().contains("row 2, column C (town)"), "{e}");
}

#[test]
fn an_error_cell_in_a_column_not_read_is_refused_too() {
    // `name` (optional) and a clerk's own column: an error cell is no value in any column.
    let path = one_sheet("errors-extra.xlsx", "laborers", |ws| {
        laborer_header(ws);
        ws.write_string(0, 17, "name").unwrap();
        ws.write_string(0, 18, "备注").unwrap();
        for row in [1, 2] {
            ws.write_string(row, 0, format!("L{row}")).unwrap();
        }
        ws.write_formula(
            1,
            17,
            rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A"),
        )
        .unwrap();
        ws.write_formula(
            2,
            18,
            rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
        )
        .unwrap();
    });
    let e = read_data(&[&path]).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("row 2, column R (name): \"#N/A\""), "{text}");
    assert!(text.contains("row 3, column S (-): \"#DIV/0!\""), "{text}");
}

#[test]
fn a_duplicate_id_in_a_sheet_names_the_first_row_as_a_row() {
    let path = one_sheet("dup.xlsx", "laborers", |ws| {
        laborer_header(ws);
        ws.write_string(1, 0, "L1").unwrap();
        ws.write_string(2, 0, "Ｌ１").unwrap();
    });
    let e = read_data(&[&path]).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("row 3, column A (id): \"Ｌ１\" appears twice (first on row 2)"),
        "{e}"
    );
    assert!(
        e.first()
            .render(jiuye_fupin::Lang::Zh)
            .contains("首次出现在第 2 行")
    );
}

#[test]
fn a_formula_saved_without_its_value_is_refused_never_read_as_empty() {
    // openpyxl writes formulas with no computed value, as programs that export workbooks
    // do: `transport_cost` is `=500+23.4`, and read as empty it would pay nothing, silently.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formula-without-value-openpyxl.xlsx");
    let e = read_data(&[&path]).unwrap_err();
    let InputError::SheetCell {
        problem,
        value,
        column,
        row,
        ..
    } = e.first()
    else {
        panic!("{e}");
    };
    assert_eq!(
        (problem, value.as_str(), *column, *row),
        (
            &Problem::FormulaWithoutValue,
            "=500+23.4",
            "transport_cost",
            2
        )
    );
    assert!(
        e.first()
            .render(jiuye_fupin::Lang::Zh)
            .contains("未保存计算结果的公式")
    );
}

#[test]
fn each_record_keeps_its_source_for_the_explained_list_and_the_ledger() {
    use jiuye_fupin::decision::SubjectKind;
    use jiuye_fupin::explain;
    use jiuye_fupin::ledger::Ledger;
    // Town 1 sends a workbook of laborers, town 2 a folder of the other files.
    let book_path = tmp("town1.xlsx");
    let mut book = Workbook::new();
    let laborers = std::fs::read_to_string(format!("{SAMPLE}/laborers.csv")).unwrap();
    add_sheet(&mut book, "劳动力", &laborers, "");
    book.save(&book_path).unwrap();
    let town2 = tmp("town2");
    std::fs::create_dir_all(&town2).unwrap();
    for stem in [
        "enterprises",
        "posts",
        "loan_applications",
        "startup_centers",
    ] {
        std::fs::copy(
            format!("{SAMPLE}/{stem}.csv"),
            town2.join(format!("{stem}.csv")),
        )
        .unwrap();
    }
    let (roster, origins) =
        io::read_data_traced(&[&book_path, &town2], &io::ReadOptions::default()).unwrap();
    let book_name = book_path.display().to_string();
    let at = origins.get(SubjectKind::Laborer, "YX-L002").unwrap();
    assert_eq!(at.to_string(), format!("{book_name}!劳动力:3"));
    assert_eq!(at.file, book_name);
    let at = origins.get(SubjectKind::Enterprise, "YX-E01").unwrap();
    assert_eq!(
        at.to_string(),
        format!("{}:2", town2.join("enterprises.csv").display())
    );
    let loan = &roster.loans()[0].laborer_id;
    let at = origins.get(SubjectKind::LoanApplication, loan).unwrap();
    assert!(at.to_string().ends_with("loan_applications.csv:2"), "{at}");

    // The explained list, as a workbook: every row's source.
    let engine = jiuye_fupin::Engine::new(&Policy::yang_county_2020()).explain(true);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let bytes = explain::xlsx_traced(&eval.decisions, Some(&origins), Lang::Zh).unwrap();
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("明细说明").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(io::workbook::cell_text).collect())
        .collect();
    assert_eq!(rows[0][11], "来源 (source)");
    let l002 = rows.iter().find(|r| r[2] == "YX-L002").unwrap();
    assert_eq!(l002[11], format!("{book_name}!劳动力:3"));
    assert!(rows.iter().skip(1).all(|r| !r[11].is_empty()));

    // The ledger's households: the files their people came from.
    let ledger = Ledger::build(&engine, &roster, as_of())
        .unwrap()
        .with_origins(&origins);
    let households: Vec<_> = (ledger.towns.iter())
        .flat_map(|t| &t.villages)
        .flat_map(|v| &v.households)
        .collect();
    assert!(!households.is_empty());
    for h in households {
        assert_eq!(
            h.sources,
            std::slice::from_ref(&book_name),
            "{}",
            h.household_id
        );
    }
    assert!(
        ledger
            .render(Lang::Zh)
            .to_string()
            .contains(&format!("[{book_name}]"))
    );
}

#[test]
fn merged_cells_over_records_are_refused_never_read_as_empty() {
    // Clerks merge a household's poverty status or town down two rows: Excel keeps the
    // value in the first cell only, and the second laborer would read as `none` and be
    // refused every payout in silence. The merged area is refused, named, in each language.
    let path = one_sheet("merged.xlsx", "劳动力", |ws| {
        laborer_header(ws);
        for (r, id) in [(1, "L1"), (2, "L2")] {
            ws.write_string(r, 0, id).unwrap();
            ws.write_string(r, 10, "out_of_county").unwrap();
            ws.write_boolean(r, 5, true).unwrap();
            ws.write_number(r, 12, 300.0).unwrap();
        }
        ws.merge_range(1, 4, 2, 4, "lifted", &Format::new())
            .unwrap();
        // Merged within the header alone (a title over two columns is refused as their
        // header, not here) and over empty rows below the records: nothing is misread.
        ws.merge_range(5, 2, 6, 3, "", &Format::new()).unwrap();
    });
    let e = read_data(&[&path]).unwrap_err();
    let book = path.display();
    assert_eq!(
        e.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        [format!(
            "{book} [劳动力] row 2, column E (poverty_status): \"lifted\" is in merged cells E2:E3: unmerge them and fill in every cell"
        )],
    );
    assert_eq!(
        e.first().render(Lang::Zh),
        format!(
            "{book} [劳动力] 第 2 行, E 列 (poverty_status): \"lifted\" 位于合并单元格 E2:E3 中: 请取消合并并逐格填写"
        )
    );
    // Merged across columns within one record (a date spread over the cost): refused too.
    let path = one_sheet("merged-row.xlsx", "laborers", |ws| {
        laborer_header(ws);
        ws.write_string(1, 0, "L1").unwrap();
        ws.merge_range(1, 11, 1, 12, "2020-03-01", &Format::new())
            .unwrap();
    });
    let InputError::SheetCell { problem, row, .. } = first_error(&path) else {
        panic!("not a cell error");
    };
    assert_eq!(
        (problem, row),
        (
            Problem::MergedCells {
                cells: "L2:M2".into()
            },
            2
        )
    );
}

#[test]
fn a_date_cell_before_excels_first_day_is_refused_as_the_number_it_holds() {
    // `=B2` of an empty cell is 0; formatted as a date, Excel shows it as `1900-01-00`
    // (a negative serial as `#####`), and a CSV saved from the sheet carries that text,
    // refused. The workbook read 1899-12-31 instead, and the laborer was decided
    // `not_in_force` on a date nobody typed.
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let path = one_sheet("date-zero.xlsx", "laborers", |ws| {
        laborer_header(ws);
        for (r, serial) in [(1, 0.0), (2, -5.0), (3, 1.0)] {
            ws.write_string(r, 0, format!("L{r}")).unwrap();
            ws.write_number_with_format(r, 11, serial, &date).unwrap();
        }
        ws.write_formula_with_format(
            4,
            11,
            rust_xlsxwriter::Formula::new("=B9").set_result("0"),
            &date,
        )
        .unwrap();
        ws.write_string(4, 0, "L4").unwrap();
    });
    let e = read_data(&[&path]).unwrap_err();
    let book = path.display();
    assert_eq!(
        e.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        [
            format!(
                "{book} [laborers] row 2, column L (departure_date): \"0\" is not a date (YYYY-MM-DD)"
            ),
            format!(
                "{book} [laborers] row 3, column L (departure_date): \"-5\" is not a date (YYYY-MM-DD)"
            ),
            format!(
                "{book} [laborers] row 5, column L (departure_date): \"0\" is not a date (YYYY-MM-DD)"
            ),
        ]
    );
    // Day 1 is 1900-01-01, a date (not in force, as the same text in a CSV file).
    assert_eq!(
        io::workbook::cell_text(&calamine::Data::DateTime(calamine::ExcelDateTime::new(
            1.0,
            calamine::ExcelDateTimeType::DateTime,
            false
        ))),
        "1900-01-01"
    );
}

#[test]
fn a_sheet_named_like_a_tables_but_not_exactly_is_refused_never_skipped() {
    // Excel names a copied sheet `劳动力 (2)`, WPS `劳动力(2)`: a clerk who went on in the
    // copy had its laborers skipped in silence, as any sheet of another name is.
    for (found, expected) in [
        ("劳动力 (2)", "劳动力"),
        ("laborers (2)", "laborers"),
        ("Laborers(2)", "laborers"),
        ("公益岗位月报", "公益岗位"),
    ] {
        let path = tmp("copied.xlsx");
        let mut book = Workbook::new();
        for name in ["说明", "劳动力", found] {
            if name != "劳动力" || !found.starts_with("公益") {
                let ws = book.add_worksheet();
                ws.set_name(name).unwrap();
                laborer_header(ws);
            }
        }
        book.save(&path).unwrap();
        let e = first_error(&path);
        assert!(
            matches!(&e, InputError::Workbook { problem: io::WorkbookProblem::NamedLike { expected: x, found: f }, .. } if *x == expected && f == found),
            "{found}: {e}"
        );
        assert!(e.to_string().contains(&format!("{found:?}")), "{e}");
        let zh = e.render(Lang::Zh);
        assert!(zh.contains("名称近似"), "{zh}");
    }
}

#[test]
fn a_stray_cell_far_away_costs_nothing_never_the_whole_rectangle() {
    // A space typed in the last cell of a sheet (XFD1048576) made the used range every
    // cell up to it: 17 billion cells, and the run aborted allocating 549 GB (a space at
    // row 1,000,000 of 18 columns took 1 GB). Only the cells that hold something are kept.
    let write = |stray: &'static str| {
        move |ws: &mut rust_xlsxwriter::Worksheet| {
            laborer_header(ws);
            ws.write_string(1, 0, "L1").unwrap();
            ws.write_string(1, 4, "lifted").unwrap();
            ws.write_string(1_048_575, 16_383, stray).unwrap();
        }
    };
    let path = one_sheet("stray-blank.xlsx", "laborers", write(" "));
    let roster = read_data(&[&path]).unwrap();
    assert_eq!(roster.laborers().len(), 1);
    let path = one_sheet("stray.xlsx", "laborers", write("x"));
    let e = read_data(&[&path]).unwrap_err();
    assert_eq!(
        e.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        [format!(
            "{} [laborers] row 1048576, column A (id): \"\" is empty, but a value is required",
            path.display()
        )]
    );
}

#[test]
fn a_number_cell_is_read_to_excels_15_digits_as_excel_shows_and_saves_it() {
    // `=1.1*1.15` shows 1.265 (1.27 at two decimals) and a CSV saved from the sheet says so,
    // but its double is 1.26499999999999990230...: read as its shortest text
    // (`1.2649999999999999`) it was paid 1.26, a fen short of what the clerk saw. A count
    // computed as 3.0000000000000004 (shown 3) was refused as not whole.
    let path = one_sheet("formulas.xlsx", "laborers", |ws| {
        laborer_header(ws);
        for (r, cost, days) in [(1, 1.1 * 1.15, 1.0), (2, 0.1 + 0.2, 0.1 * 3.0 * 10.0)] {
            ws.write_string(r, 0, format!("L{r}")).unwrap();
            ws.write_string(r, 4, "lifted").unwrap();
            ws.write_boolean(r, 5, true).unwrap();
            ws.write_string(r, 10, "out_of_county").unwrap();
            ws.write_number(r, 12, cost).unwrap();
            ws.write_string(r, 13, "2020-03-01").unwrap();
            ws.write_number(r, 14, days).unwrap();
        }
    });
    let roster = read_data(&[&path]).unwrap();
    let read: Vec<(String, u32)> = (roster.laborers().iter())
        .map(|l| {
            let cost = l.transport_cost.unwrap().as_decimal().to_string();
            (cost, l.isolation_days)
        })
        .collect();
    assert_eq!(read, [("1.265".to_owned(), 1), ("0.3".to_owned(), 3)]);
    let rows = payouts_csv(&roster);
    assert!(rows.contains("transport_subsidy,L1,true,1.27,"), "{rows}");

    // The way out agrees: an amount of 16 significant digits, which no cell shows, is
    // written as text by the template (and by every workbook out), and reads back exact.
    let (book, _) = laborers_through_the_template(
        "template-16-digits.xlsx",
        "L1,,,,lifted,true,,,,,out_of_county,,12345678901234.56,,,,\nL2,,,,lifted,true,,,,,out_of_county,,523.40,,,,\n",
    );
    let costs: Vec<String> = (book.laborers().iter())
        .map(|l| {
            l.transport_cost
                .unwrap()
                .as_decimal()
                .normalize()
                .to_string()
        })
        .collect();
    assert_eq!(costs, ["12345678901234.56", "523.4"]);
}

#[test]
fn the_template_of_a_folder_keeps_a_date_excel_cannot_hold_as_its_text() {
    // `0001-01-01` and `1899-12-31` are dates the reader accepts (decided `not_in_force`,
    // POLICY.md reading 8), but no Excel date is before 1900: `template --from` failed
    // with the writer's `Date range error: 'Year: '1' outside Excel range of 1900-9999'`.
    // Such a date is written as its text, which reads back as the same date.
    let (book, csv) = laborers_through_the_template(
        "template-old-dates.xlsx",
        "L1,,,,lifted,true,,,,,out_of_county,0001-01-01,300,,,,\nL2,,,,lifted,true,,,,,out_of_county,1899-12-31,300,,,,\nL3,,,,lifted,true,,,,,out_of_county,1900-01-01,300,,,,\n",
    );
    assert_eq!(book.laborers(), csv.laborers());
    assert_eq!(payouts_csv(&book), payouts_csv(&csv));
}
