//! The streaming batch path against the in-memory path (`io::parse_roster`, `Engine`,
//! `io::write_payouts`): the same bytes out and the same totals for every valid input,
//! whatever the number of threads and the chunk size; the same error, word for word, for
//! every invalid one.

mod common;

use common::{as_of, fixture, payouts_csv};
use jiuye_fupin::batch::{self, Inputs, Options};
use jiuye_fupin::io::parse_roster;
use jiuye_fupin::{Engine, Policy, sample};

/// payouts.csv and the totals' table by the in-memory path, or its error.
fn reference(
    l: Option<&[u8]>,
    e: Option<&[u8]>,
    p: Option<&[u8]>,
) -> Result<(String, String), String> {
    // Both report every problem, in the same words (one reader).
    let roster = parse_roster(l, e, p).map_err(|e| e.to_string())?;
    let text = payouts_csv(&roster);
    let engine = Engine::new(&Policy::yang_county_2020()).explain(false);
    let totals = engine
        .evaluate(&roster, as_of())
        .map_err(|e| e.to_string())?
        .totals;
    Ok((text, totals.render(jiuye_fupin::Lang::En).to_string()))
}

/// The same by the batch path.
fn streamed(
    l: Option<&[u8]>,
    e: Option<&[u8]>,
    p: Option<&[u8]>,
    options: &Options,
) -> Result<(String, String), String> {
    let mut out = Vec::new();
    let totals = batch::run(
        &Inputs::bytes(l, e, p),
        &Policy::yang_county_2020(),
        as_of(),
        &mut out,
        options,
    )
    .map_err(|e| e.to_string())?;
    Ok((
        String::from_utf8(out).unwrap(),
        totals.render(jiuye_fupin::Lang::En).to_string(),
    ))
}

/// Every combination of threads and chunk sizes gives the reference's answer (returned).
fn agrees(l: Option<&str>, e: Option<&str>, p: Option<&str>) -> Result<(String, String), String> {
    let (l, e, p) = (
        l.map(str::as_bytes),
        e.map(str::as_bytes),
        p.map(str::as_bytes),
    );
    let want = reference(l, e, p);
    for threads in [1, 2, 3] {
        for chunk in [1024, 4096, 256 * 1024] {
            let options = Options::default().threads(threads).chunk_bytes(chunk);
            let got = streamed(l, e, p, &options);
            assert_eq!(got, want, "threads {threads}, chunk {chunk}");
        }
    }
    want
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

#[test]
fn the_sample_streams_to_the_same_bytes_and_totals() {
    agrees(
        Some(sample::LABORERS_CSV),
        Some(sample::ENTERPRISES_CSV),
        Some(sample::POSTS_CSV),
    )
    .unwrap();
    let (text, _) = streamed(
        Some(sample::LABORERS_CSV.as_bytes()),
        Some(sample::ENTERPRISES_CSV.as_bytes()),
        Some(sample::POSTS_CSV.as_bytes()),
        &Options::default(),
    )
    .unwrap();
    // expected.csv also holds the R4 and R7 rows of the sample's loan applications and
    // startup centers, which the batch path does not read.
    let without: String = include_str!("../src/sample/expected.csv")
        .lines()
        .filter(|l| !l.starts_with("guaranteed_loan,") && !l.starts_with("startup_center_subsidy,"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(text, without);
}

#[test]
fn the_10000_laborer_roster_streams_to_the_same_bytes_on_any_number_of_threads() {
    let (l, e, p) = (
        read("n10000/laborers.csv"),
        read("n10000/enterprises.csv"),
        read("n10000/posts.csv"),
    );
    agrees(Some(&l), Some(&e), Some(&p)).unwrap();
}

#[test]
fn a_directory_streams_like_its_files_and_names_paths_in_errors() {
    let roster = jiuye_fupin::io::read_roster_dir(&fixture("n10000")).unwrap();
    let mut out = Vec::new();
    let inputs = Inputs::dir(&fixture("n10000")).unwrap();
    batch::run(
        &inputs,
        &Policy::yang_county_2020(),
        as_of(),
        &mut out,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), payouts_csv(&roster));
}

#[test]
fn missing_files_are_absent_subjects() {
    agrees(None, None, None).unwrap();
    agrees(Some(sample::LABORERS_CSV), None, None).unwrap();
    agrees(None, Some(sample::ENTERPRISES_CSV), None).unwrap();
    agrees(Some(sample::LABORERS_CSV), None, Some(sample::POSTS_CSV)).unwrap();
}

const HEADER: &str = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date";
const L1: &str = "L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,523.405,2020-02-10,8,true,2020-03-01";
const L2: &str = "L2,H1,龙亭镇,龙亭村,none,true,true,false,false,false,in_county,,,,,false,";
const L3: &str = "L3,H2,马畅镇,东村,remaining_poor,true,false,true,false,true,out_of_county,2021-01-01,30.005,,3,false,";
const ENTERPRISES: &str = "id,name,town,kind,ui_insured,ui_insured_months,prior_year_ui_paid,insured_headcount,layoffs,hardship,deferral_months_requested,monthly_pension_premium,monthly_unemployment_premium,monthly_injury_premium,application_date\n\
E1,洋县朱鹮时装社区工厂,洋州街道,community_factory,true,24,12345.675,30,6,true,7,4800,150.5,60.125,2020-03-01\n\
E2,\"洋县, 有限公司\",洋州街道,other,true,11,10000,200,12,false,0,0,0,0,2019-12-31\n";
const POSTS: &str = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\n\
P1,town_office,龙亭镇人民政府,龙亭镇,,epidemic_assistant,L1,800.075,1\n\
P2,village,东坝村村委会,龙亭镇,东坝村,public_welfare,L2,1500,6\n\
P3,school,\"中心小学, 东校区\",马畅镇,,public_welfare,L3,2345.67,7\n";

fn laborers(lines: &[&str]) -> String {
    let mut s = String::from(HEADER);
    for l in lines {
        s.push('\n');
        s.push_str(l);
    }
    s.push('\n');
    s
}

#[test]
fn quoted_cells_crlf_bom_blank_lines_padding_and_any_column_order_read_as_the_csv_reader_reads_them()
 {
    let quoted = laborers(&[
        L1,
        "\"L,2\",H1,\"龙亭镇\",\"多行\n村名\",\" lifted \",TRUE,true,False,false,false,out_of_county,,\"1,2\",,,false,",
        "",
        "L\"4,H3,x,y,none,,,,,,,,,,,,",
        "\"L5\"\"x\",H3,x,y,none,,,,,,,,,,,,",
        "  L6\u{3000},H3,x,y,\u{3000}lifted,true,true,false,false,false,out_of_county,2020-03-01,\t12.345 ,,,false,",
    ]);
    let bad = quoted.replace("\"1,2\"", "\"12\"");
    let (text, _) = agrees(Some(&bad), Some(ENTERPRISES), None).unwrap();
    for row in [
        "transport_subsidy,\"L,2\",true,12.00,",
        "startup_grant,\"L\"\"4\",false,0.00,",
        "\"L5\"\"x\"",
        // POLICY.md reading 12: the id keeps its bytes, the spaces around it included.
        "transport_subsidy,  L6\u{3000},true,12.35,",
    ] {
        assert!(text.contains(row), "{row} in {text}");
    }
    let crlf = format!("\u{feff}{}", laborers(&[L1, L2, L3]).replace('\n', "\r\n"));
    agrees(
        Some(&crlf),
        Some(&ENTERPRISES.replace('\n', "\r\n")),
        Some(POSTS),
    )
    .unwrap();
    let reordered = "town,village,id,extra,household_id,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date\n\
        龙亭镇,龙亭村,L1,x,H1,lifted,true,true,false,false,false,out_of_county,2020-03-01,300,,,false,\n\n\n";
    agrees(Some(reordered), None, None).unwrap();
    agrees(
        Some(&laborers(&[L1, L2, L3])),
        Some(ENTERPRISES),
        Some(POSTS),
    )
    .unwrap();
}

/// A last record longer than a chunk, with a quote past its first chunk's bytes, reads as
/// the csv reader reads it whatever the chunk size: an unclosed quote there makes the rest
/// of the file one field (a field count error), a closed one a quoted cell. (With 1 KiB
/// chunks the stream read such a quote as a plain byte and decided every record after
/// it: found by a differential fuzzer, 2026-12-04.)
#[test]
fn a_quote_deep_in_a_last_record_longer_than_a_chunk_reads_alike_in_any_chunk_size() {
    // P8's holder id is longer than a chunk of 1 KiB; P9 opens a quote after it.
    let long_id = "L".to_owned() + &"y".repeat(3000);
    let posts_with = |p9: &str| {
        format!(
            "{POSTS}P8,village,x,龙亭镇,,public_welfare,{long_id},1500,6\n{p9}\n\
             P10,village,x,龙亭镇,,public_welfare,L1,1500,6\n"
        )
    };
    let laborers = laborers(&[L1, L2, L3]);
    let unclosed = posts_with("P9,village,y,茅坪镇,\"前湾村,epidemic_assistant,L2,2630,2");
    let err = agrees(Some(&laborers), None, Some(&unclosed)).unwrap_err();
    assert!(err.contains("posts.csv line 6: has 5 fields"), "{err}");
    let closed = posts_with("P9,village,y,茅坪镇,\"前湾村\",epidemic_assistant,L2,2630,2");
    let (text, _) = agrees(Some(&laborers), None, Some(&closed)).unwrap();
    assert!(text.contains("post_subsidy,P9,"), "{text}");
    assert!(text.contains("post_subsidy,P10,"), "{text}");
}

#[test]
fn every_bad_laborer_cell_is_the_same_error_with_the_same_file_line_column_and_value() {
    let columns: Vec<&str> = HEADER.split(',').collect();
    let bad_values = [
        "",
        "yes",
        "-1",
        "2020-02-30",
        "1e3",
        "poor",
        "99999999999",
        "-3.00",
        "1.2.3",
    ];
    let mut errors = 0;
    for (c, _) in columns.iter().enumerate() {
        for bad in bad_values {
            let mut cells: Vec<&str> = L3.split(',').collect();
            cells[c] = bad;
            let line = cells.join(",");
            let text = laborers(&[L1, L2, &line]);
            let want = reference(Some(text.as_bytes()), None, None);
            errors += usize::from(want.is_err());
            for threads in [1, 2] {
                let options = Options::default().threads(threads).chunk_bytes(1024);
                let got = streamed(Some(text.as_bytes()), None, None, &options);
                assert_eq!(got, want, "column {}, value {bad:?}", columns[c]);
            }
        }
    }
    assert!(errors > 40, "{errors} errors exercised");
}

#[test]
fn bad_enterprises_and_posts_are_the_same_errors() {
    let l = laborers(&[L1, L2, L3]);
    let cases_e = [
        ENTERPRISES.replace(",30,6,", ",30,31,"),
        ENTERPRISES.replace("12345.675", "-1"),
        ENTERPRISES.replace("community_factory", "factory"),
        ENTERPRISES.replace(",24,", ",2.5,"),
        ENTERPRISES.replace("2019-12-31", "2019-12-32"),
        ENTERPRISES.replace("E2,", "E1,"),
        ENTERPRISES.replace("E2,", ","),
        ENTERPRISES.replace(",true,7,", ",maybe,7,"),
    ];
    agrees(
        Some(&l),
        Some(&ENTERPRISES.replace("E2,", "E0,")),
        Some(POSTS),
    )
    .unwrap();
    for e in &cases_e {
        assert!(agrees(Some(&l), Some(e), Some(POSTS)).is_err(), "{e}");
    }
    // A holder who is not among the laborers is decided (not registered: `holder_not_poor`),
    // on both paths alike; so are posts with no laborer at all.
    let (csv, _) = agrees(
        Some(&l),
        Some(ENTERPRISES),
        Some(&POSTS.replace(",L1,", ",L9,")),
    )
    .unwrap();
    assert!(
        csv.contains("\npost_subsidy,P1,false,0.00,holder_not_poor\n"),
        "{csv}"
    );
    let (csv, _) = agrees(None, None, Some(POSTS)).unwrap();
    assert!(
        csv.contains("\npost_subsidy,P3,false,0.00,holder_not_poor\n"),
        "{csv}"
    );
    let cases_p = [
        POSTS.replace(",L2,", ",,"),
        POSTS.replace("P3,", "P1,"),
        POSTS.replace("village,东坝村村委会", "hamlet,东坝村村委会"),
        POSTS.replace("800.075", "八百"),
        POSTS.replace(",7\n", ",-7\n"),
        POSTS.replace("public_welfare,L2", "welfare,L2"),
    ];
    for p in &cases_p {
        assert!(agrees(Some(&l), Some(ENTERPRISES), Some(p)).is_err(), "{p}");
    }
}

#[test]
fn malformed_files_are_the_same_errors() {
    let short = laborers(&[L1, "L2,H2,龙亭镇", L3]);
    let long = laborers(&[L1, &format!("{L2},x"), L3]);
    let missing = laborers(&[L1]).replacen(",transport_cost", ",cost", 1);
    let repeated = laborers(&[L1]).replacen(",village,", ",town,", 1);
    for text in [&short, &long, &missing, &repeated] {
        assert!(agrees(Some(text), None, None).is_err(), "{text}");
    }
    let mut bytes = laborers(&[L1, L2]).into_bytes();
    bytes.extend_from_slice(
        b"L3,H2,\xc1\xfa\xcd\xa4,x,none,true,true,false,false,false,none,,,,,false,\n",
    );
    let want = reference(Some(&bytes), None, None);
    let got = streamed(Some(&bytes), None, None, &Options::default());
    assert_eq!(got, want);
    assert!(agrees(Some(""), None, None).is_err());
}

#[test]
fn duplicate_ids_are_found_in_order_or_not_with_the_first_line_named() {
    let adjacent = laborers(&[L1, L2, &L3.replacen("L3", "L2", 1)]);
    let far = laborers(&[L3, L2, &L1.replacen("L1", "L3", 1)]);
    let unsorted_unique = laborers(&[L3, L1, L2]);
    let mut many: Vec<String> = (0..3000)
        .map(|i| L2.replacen("L2", &format!("L{:05}", 3000 - i), 1))
        .collect();
    many.push(L2.replacen("L2", "L02999", 1));
    let many_refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let many = laborers(&many_refs);
    // Ids longer and shorter than 16 bytes in turn (two ways of comparing them): `C`
    // twice, with ids between them that increase only if one forgets the long one.
    let (a17, b17) = ("A".repeat(17), "B".repeat(17));
    let mixed = laborers(&[
        &L1.replacen("L1", &a17, 1),
        &L2.replacen("L2", "C", 1),
        &L3.replacen("L3", &b17, 1),
        &L1.replacen("L1", "C", 1),
    ]);
    for text in [&adjacent, &far, &many, &mixed] {
        assert!(agrees(Some(text), None, None).is_err());
    }
    agrees(Some(&unsorted_unique), None, None).unwrap();
    let err = streamed(Some(far.as_bytes()), None, None, &Options::default()).unwrap_err();
    assert_eq!(
        err,
        "laborers.csv line 4, column id: \"L3\" appears twice (first on line 2)"
    );
}

#[test]
fn a_header_of_more_than_256_columns_reads_as_any_other() {
    let extra: Vec<String> = (0..300).map(|i| format!("x{i}")).collect();
    let header = format!("{},{HEADER}", extra.join(","));
    let blanks = ",".repeat(300);
    let mut text = header.clone();
    for line in [L1, L2, L3] {
        text.push('\n');
        text.push_str(&blanks);
        text.push_str(line);
    }
    text.push('\n');
    agrees(Some(&text), None, None).unwrap();
    let short = text.replacen(&format!("{blanks}L2"), &format!("{}L2", ",".repeat(299)), 1);
    assert!(agrees(Some(&short), None, None).is_err());
}

#[test]
fn an_amount_too_large_for_exact_arithmetic_names_its_file_and_line() {
    let laborers = format!(
        "{}\nL1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,,,,,,false,\n",
        jiuye_fupin::io::LABORER_COLUMNS.join(",")
    );
    let posts = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,school,某小学,龙亭镇,,public_welfare,L1,1500,2\nP2,school,某小学,龙亭镇,,public_welfare,L1,9999999999999999999999999999,12\n";
    let e = batch::run(
        &Inputs::bytes(Some(laborers.as_bytes()), None, Some(posts.as_bytes())),
        &Policy::yang_county_2020(),
        as_of(),
        Vec::new(),
        &Options::default(),
    )
    .unwrap_err();
    let en = e.to_string();
    // The operation that did not fit, and the values it came from: the record's field at
    // fault by its column, with its value.
    assert_eq!(
        en,
        "posts.csv line 3: post_subsidy for P2: amount too large, or with too many decimals, \
         for exact arithmetic: monthly subsidy (monthly_subsidy) 5999999999999999999999999999.4 \
         × months paid (months_paid) 12; values given: subsidy rate (subsidy_rate) 0.6, \
         monthly wage (monthly_wage) 9999999999999999999999999999"
    );
    assert_eq!(e.render(jiuye_fupin::Lang::En), en);
    // In the clerk's language too (`payouts --lang zh` said it in English).
    assert_eq!(
        e.render(jiuye_fupin::Lang::Zh),
        "posts.csv 第 3 行：公益性岗位补贴 (post_subsidy) 对象 P2：金额过大或小数位过多，\
         超出精确运算的范围：月补贴 (monthly_subsidy) 5999999999999999999999999999.4 × \
         发放月数 (months_paid) 12；所给数值：补贴比例 (subsidy_rate) 0.6、\
         月工资 (monthly_wage) 9999999999999999999999999999"
    );
}

#[test]
fn a_total_too_large_in_write_payouts_names_no_record() {
    // Each amount fits; their sum does not. The error is the total's (`... total: ...`),
    // as the stream's is: it charged the record at which the sum overflowed.
    let policy = Policy::yang_county_2020();
    let roster = sample::roster();
    let engine = Engine::new(&policy);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let huge = jiuye_fupin::money::Yuan::new(rust_decimal::Decimal::MAX).unwrap();
    let eligible = eval
        .decisions
        .iter()
        .find(|d| d.is_eligible())
        .unwrap()
        .clone();
    let program = eligible.program;
    let twice = [eligible.clone(), eligible].map(|mut d| {
        d.outcome = jiuye_fupin::decision::Outcome::Eligible {
            amount: huge,
            capped: false,
        };
        Ok(d)
    });
    let e = jiuye_fupin::io::write_payouts(Vec::new(), twice)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with(&format!("{} total: ", program.code())), "{e}");
}

/// `batch::has_records` says whether a file holds a record exactly when the in-memory
/// reader reads one: not for a header alone, blank lines, or rows whose cells are all
/// empty; yes for any record, after such lines or in a quoted, CRLF file. A file without
/// the id column is an error.
#[test]
fn has_records_agrees_with_the_reader() {
    use jiuye_fupin::SubjectKind;
    use jiuye_fupin::batch::Source;
    let header = sample::LABORERS_CSV.lines().next().unwrap();
    let first = sample::LABORERS_CSV.lines().nth(1).unwrap();
    let commas = ",".repeat(header.matches(',').count());
    let options = Options::default();
    for (text, want) in [
        (header.to_owned(), false),
        (format!("{header}\n\n\n"), false),
        (format!("{header}\n{commas}\n\n{commas}"), false),
        (format!("{header}\n\n{commas}\n{first}\n"), true),
        (
            format!("{header}\r\n\"{}\r\n", first.replacen(',', "\",", 1)),
            true,
        ),
    ] {
        let read = parse_roster(Some(text.as_bytes()), None, None).unwrap();
        assert_eq!(!read.laborers().is_empty(), want, "{text:?}");
        let got = batch::has_records(
            &Source::Bytes(text.as_bytes()),
            SubjectKind::Laborer,
            &options,
        );
        assert_eq!(got.unwrap(), want, "{text:?}");
    }
    let loans = Source::Bytes(sample::LABORERS_CSV.as_bytes());
    let e = batch::has_records(&loans, SubjectKind::LoanApplication, &options).unwrap_err();
    assert!(e.to_string().contains("no id column"), "{e}");
}
