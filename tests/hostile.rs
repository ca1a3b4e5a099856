//! Hostile and messy input: never panic, never lose a record, say exactly what is wrong.

mod common;

use common::{as_of, payouts_csv};
use jiuye_fupin::io::{InputError, RosterFiles, parse_roster, parse_roster_files};
use jiuye_fupin::{Engine, Lang, Policy, Program, sample};
use proptest::prelude::*;

const HEADER: &str = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date";

fn laborers(rows: &[&str]) -> String {
    let mut s = format!("{HEADER}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

const GOOD: &str = "L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,300.00,,,false,";

// ---------------------------------------------------------------- real-world files

#[test]
fn excel_csv_utf8_with_bom_crlf_and_a_trailing_blank_line_reads() {
    let text = format!("\u{feff}{HEADER}\r\n{GOOD}\r\n\r\n");
    let r = parse_roster(Some(text.as_bytes()), None, None).unwrap();
    assert_eq!(r.laborers().len(), 1);
}

#[test]
fn a_row_of_empty_cells_is_no_record_and_is_skipped() {
    let text = laborers(&[GOOD, ",,,,,,,,,,,,,,,,", " , ,,,,,,,,,,,,,,,"]);
    let r = parse_roster(Some(text.as_bytes()), None, None).unwrap();
    assert_eq!(r.laborers().len(), 1);
}

#[test]
fn full_width_digits_and_ideographic_spaces_read_as_a_clerk_meant() {
    let row = "L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,２０２０－０３－０１,\u{3000}３００．５０\u{3000},,７,false,";
    let r = parse_roster(Some(laborers(&[row]).as_bytes()), None, None).unwrap();
    let l = &r.laborers()[0];
    assert_eq!(l.transport_cost.unwrap().to_string(), "300.50");
    assert_eq!(l.departure_date.unwrap().to_string(), "2020-03-01");
    assert_eq!(l.isolation_days, 7);
}

#[test]
fn a_gbk_file_is_decoded_and_bytes_of_no_encoding_are_refused_with_the_fix() {
    // "龙亭镇" in GBK: C1 FA CD A4 D5 F2, what Chinese Excel saves as "CSV".
    let mut bytes = format!("{HEADER}\n").into_bytes();
    bytes.extend_from_slice(
        b"L1,H1,\xc1\xfa\xcd\xa4\xd5\xf2,x,lifted,true,true,false,false,false,none,,,,,false,\n",
    );
    assert_eq!(jiuye_fupin::io::decoded_encoding(&bytes), Some("GB18030"));
    let r = parse_roster(Some(&bytes), None, None).unwrap();
    assert_eq!(r.laborers()[0].town, "龙亭镇");
    // Neither UTF-8 nor GBK: refused, saying how to fix it.
    let mut bytes = format!("{HEADER}\n").into_bytes();
    bytes.extend_from_slice(
        b"L1,H1,\xc1\xfa\xff\xff,x,lifted,true,true,false,false,false,none,,,,,false,\n",
    );
    assert_eq!(jiuye_fupin::io::decoded_encoding(&bytes), None);
    let err = parse_roster(Some(&bytes), None, None).unwrap_err();
    let en = err.to_string();
    assert!(
        en.contains("line 2") && en.contains("not UTF-8") && en.contains("CSV UTF-8"),
        "{en}"
    );
    let zh = err.render(Lang::Zh);
    assert!(zh.contains("第 2 行") && zh.contains("另存为"), "{zh}");
}

#[test]
fn a_utf16_file_is_refused_by_name_in_either_language() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in format!("{HEADER}\n").encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let err = parse_roster(Some(&bytes), None, None).unwrap_err();
    assert!(
        matches!(err.first(), InputError::Utf16 { file } if file == "laborers.csv"),
        "{err}"
    );
    let en = err.to_string();
    assert!(en.contains("UTF-16") && en.contains("CSV UTF-8"), "{en}");
    // It used to be an I/O error whose text stayed English under `--lang zh`.
    let zh = err.render(Lang::Zh);
    assert!(
        zh.starts_with("laborers.csv: 文件是 UTF-16 编码") && zh.contains("另存为"),
        "{zh}"
    );
    // Without its byte-order mark, little- or big-endian: one error, not one per column.
    for big_endian in [false, true] {
        let mut bytes = Vec::new();
        for u in format!("{HEADER}\n").encode_utf16() {
            bytes.extend_from_slice(&if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        let err = parse_roster(Some(&bytes), None, None).unwrap_err();
        assert_eq!(err.len(), 1, "{err}");
        assert!(matches!(err.first(), InputError::Utf16 { .. }), "{err}");
    }
}

#[test]
fn a_header_of_bytes_that_are_not_utf8_is_refused_at_its_line_not_as_a_missing_column() {
    // One stray byte before `id` (or inside a column's name, on the header's second line
    // when it is quoted across two): the file is not UTF-8 there, and that is the one error.
    for (head, line, bytes) in [
        (b"\xffid,".to_vec(), 1, "0xFF 0x69 0x64 0x2C"),
        (
            b"id,\"house\nhold\xc1\",".to_vec(),
            2,
            "0xC1 0x22 0x2C 0x74",
        ),
    ] {
        let rest = HEADER.strip_prefix("id,household_id,").unwrap();
        let mut text = head;
        if line == 1 {
            text.extend_from_slice(b"household_id,");
        }
        text.extend_from_slice(format!("{rest}\n{GOOD}\n").as_bytes());
        let err = parse_roster(Some(&text), None, None).unwrap_err();
        assert_eq!(err.len(), 1, "{err}");
        assert!(
            matches!(err.first(), InputError::NotUtf8 { file, line: l, .. } if file == "laborers.csv" && *l == line),
            "{err}"
        );
        let en = err.to_string();
        assert!(en.contains(bytes) && en.contains("CSV UTF-8"), "{en}");
        let zh = err.render(Lang::Zh);
        assert!(
            zh.contains(&format!("第 {line} 行")) && zh.contains("另存为"),
            "{zh}"
        );
    }
    // A stray NUL is not UTF-16: its column is the one missing.
    let text = format!("\0{}\n{GOOD}\n", HEADER);
    let err = parse_roster(Some(text.as_bytes()), None, None).unwrap_err();
    assert!(
        matches!(err.first(), InputError::MissingColumn { column, .. } if *column == "id"),
        "{err}"
    );
}

#[test]
fn a_row_with_too_few_or_too_many_fields_is_reported_in_either_language() {
    let text = laborers(&["L1,H1,龙亭镇", &format!("{GOOD},extra")]);
    let err = parse_roster(Some(text.as_bytes()), None, None).unwrap_err();
    let got: Vec<(String, String)> = err
        .iter()
        .map(|e| (e.render(Lang::En), e.render(Lang::Zh)))
        .collect();
    assert_eq!(
        got,
        [
            (
                "laborers.csv line 2: has 3 fields, but the header has 17".to_owned(),
                "laborers.csv 第 2 行: 有 3 个字段, 而表头有 17 列".to_owned()
            ),
            (
                "laborers.csv line 3: has 18 fields, but the header has 17".to_owned(),
                "laborers.csv 第 3 行: 有 18 个字段, 而表头有 17 列".to_owned()
            ),
        ]
    );
}

#[test]
fn the_sample_in_gbk_decides_byte_for_byte_as_in_utf8() {
    let gbk = |s: &str| encoding_rs::GB18030.encode(s).0.into_owned();
    let files = jiuye_fupin::sample::files();
    let [l, e, p, a, c, m] = files
        .all()
        .map(|f| f.map(|b| gbk(std::str::from_utf8(b).unwrap())));
    let encoded = jiuye_fupin::io::RosterFiles {
        laborers: l.as_deref(),
        enterprises: e.as_deref(),
        posts: p.as_deref(),
        loan_applications: a.as_deref(),
        startup_centers: c.as_deref(),
        post_months: m.as_deref(),
    };
    assert_ne!(
        encoded.laborers, files.laborers,
        "the sample has Chinese text"
    );
    let roster = jiuye_fupin::io::parse_roster_files(&encoded).unwrap();
    assert_eq!(roster, jiuye_fupin::sample::roster());
}

#[test]
fn bytes_that_are_not_gb18030_in_a_file_read_as_gbk_name_the_line_and_bytes_in_either_language() {
    // It was an I/O error naming no line, its text English under `--lang zh`.
    use jiuye_fupin::io::{Encoding, ReadOptions, parse_roster_files_with};
    let empty = ",".repeat(14);
    let mut bytes = format!("{HEADER}\nL1,H1,a{empty}\n").into_bytes();
    bytes.extend_from_slice(b"L2,H1,b\x81\x20c");
    bytes.extend_from_slice(format!("{empty}\n").as_bytes());
    let files = RosterFiles {
        laborers: Some(&bytes),
        ..Default::default()
    };
    let options = ReadOptions::default().encoding(Encoding::Gb18030);
    let err = parse_roster_files_with(&files, &options).unwrap_err();
    assert!(
        matches!(err.first(), InputError::NotGb18030 { file, line: 3, bytes } if file == "laborers.csv" && bytes.first() == Some(&0x81)),
        "{err:?}"
    );
    assert_eq!(err.first().line(), 3);
    let en = err.render(Lang::En);
    assert!(
        en.starts_with("laborers.csv line 3: the file was read as GB18030 (GBK)")
            && en.contains("0x81"),
        "{en}"
    );
    let zh = err.render(Lang::Zh);
    assert!(
        zh.starts_with("laborers.csv 第 3 行: 文件按 GB18030 (GBK) 编码读取")
            && zh.contains("0x81"),
        "{zh}"
    );
    assert!(!zh.contains("the file"), "{zh}");
    // Past the first 64 KiB read to guess the encoding, on a later line: the same.
    let mut text = format!("{HEADER}\n").into_bytes();
    for i in 0..5000 {
        text.extend_from_slice(format!("L{i},H1,").as_bytes());
        text.extend_from_slice(&encoding_rs::GB18030.encode("龙亭镇龙亭村").0);
        text.extend_from_slice(format!("{empty}\n").as_bytes());
    }
    text.extend_from_slice(b"L9999,H1,\x81\x20");
    text.extend_from_slice(format!("{empty}\n").as_bytes());
    let files = RosterFiles {
        laborers: Some(&text),
        ..Default::default()
    };
    let err = parse_roster_files_with(&files, &ReadOptions::default()).unwrap_err();
    assert!(
        matches!(err.first(), InputError::NotGb18030 { line: 5002, .. }),
        "{err}"
    );
}

// ---------------------------------------------------------------- every problem, collected

#[test]
fn every_bad_record_of_a_file_is_reported_not_just_the_first() {
    let text = laborers(&[
        "L1,H1,龙亭镇,龙亭村,poor,true,true,false,false,false,none,,,,,false,",
        GOOD.replacen("L1", "L2", 1).as_str(),
        "L3,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,none,2020-02-30,,,,false,",
        "L4,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,none,,-1,,,false,",
        "L5,H1,龙亭镇",
        "L6,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,none,,,,,false,,extra",
    ]);
    let err = parse_roster(Some(text.as_bytes()), None, None).unwrap_err();
    let lines: Vec<u64> = err
        .iter()
        .map(|e| match e {
            InputError::Cell { line, .. } | InputError::FieldCount { line, .. } => *line,
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(lines, [2, 4, 5, 6, 7], "{err}");
    assert_eq!(err.len(), 5);
}

#[test]
fn problems_in_several_files_are_all_reported() {
    let l = laborers(&["L1,H1,龙亭镇,龙亭村,lifted,maybe,true,false,false,false,none,,,,,false,"]);
    let e = "id,name,town,kind,ui_insured,ui_insured_months,prior_year_ui_paid,insured_headcount,layoffs,hardship,deferral_months_requested,monthly_pension_premium,monthly_unemployment_premium,monthly_injury_premium,application_date\nE1,x,y,z,true,1,1,1,0,false,0,1,1,1,\n";
    let err = parse_roster(Some(l.as_bytes()), Some(e.as_bytes()), None).unwrap_err();
    assert_eq!(err.len(), 2, "{err}");
}

#[test]
fn the_number_of_problems_kept_is_bounded_and_the_rest_counted() {
    let bad = "L,H1,龙亭镇,龙亭村,poor,true,true,false,false,false,none,,,,,false,";
    let rows: Vec<&str> = std::iter::repeat_n(bad, 250).collect();
    let err = parse_roster(Some(laborers(&rows).as_bytes()), None, None).unwrap_err();
    assert_eq!(err.iter().count(), jiuye_fupin::io::InputErrors::LIMIT);
    assert!(err.len() >= jiuye_fupin::io::InputErrors::LIMIT);
    assert!(err.to_string().lines().count() <= jiuye_fupin::io::InputErrors::LIMIT + 1);
}

#[test]
fn every_duplicate_is_reported_with_its_line_and_a_holder_off_the_roster_is_no_error() {
    let l = laborers(&[GOOD, GOOD, GOOD]);
    let p = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,school,x,y,,public_welfare,L9,1,1\nP2,school,x,y,,public_welfare,L8,1,1\n";
    let err = parse_roster(Some(l.as_bytes()), None, Some(p.as_bytes())).unwrap_err();
    let text = err.to_string();
    // Two repeated ids; the holders L9 and L8 are not among the laborers, which is valid
    // input (R8 decides their posts `holder_not_poor`).
    assert_eq!(err.len(), 2, "{text}");
    assert!(
        text.contains("laborers.csv line 3, column id: \"L1\" appears twice (first on line 2)"),
        "{text}"
    );
    assert!(
        text.contains("laborers.csv line 4, column id: \"L1\" appears twice (first on line 2)"),
        "{text}"
    );
    assert!(!text.contains("holder_id"), "{text}");
}

#[test]
fn two_records_of_one_post_and_month_are_refused_at_their_line_however_the_post_is_written() {
    // `YX-P01` and `YX-P01` with a no-break space are one post (POLICY.md reading 12): the
    // reader compared the raw ids, and the roster refused the pair after it, as
    // `roster line 0: post ... has two records`, naming no file or line.
    let l = laborers(&[GOOD]);
    let p = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,school,x,y,,public_welfare,L1,1500,2\n";
    let m = "post_id,month,days_worked,signed_by,wage_paid,paid_on\nP1,2020-02,21,L1,1500,2020-03-10\nP1\u{a0},2020-02,21,L1,1500,2020-03-10\n";
    let files = RosterFiles {
        laborers: Some(l.as_bytes()),
        posts: Some(p.as_bytes()),
        post_months: Some(m.as_bytes()),
        ..Default::default()
    };
    let err = parse_roster_files(&files).unwrap_err();
    assert_eq!(
        err.to_string(),
        "post_months.csv line 3, column month: \"2020-02\" appears twice (first on line 2)"
    );
    // The same list in JSON, through the same reader.
    let json = jiuye_fupin::json::roster_to_value(
        &parse_roster_files(&RosterFiles {
            post_months: None,
            ..files
        })
        .unwrap(),
    );
    let mut json = json;
    json["post_months"] = serde_json::json!([
        {"post_id": "P1", "month": "2020-02", "days_worked": 21},
        {"post_id": " P1\u{3000}", "month": "2020-02", "days_worked": 21},
    ]);
    let err = jiuye_fupin::json::roster_from_value(&json).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("post_months[1] (id ")
            && text.ends_with("field month: \"2020-02\" appears twice (first at index 0)"),
        "{text}"
    );
}

#[test]
fn an_empty_file_or_binary_junk_is_an_error_never_a_panic() {
    for bytes in [
        &b""[..],
        b"\x00\x01\x02\xff\xfe",
        b"\n\n\n",
        b"\"unterminated",
        b",,,\n,,,\n",
    ] {
        let r = parse_roster(Some(bytes), None, None);
        assert!(r.is_err(), "{bytes:?}");
    }
    // A header alone is an empty roster.
    let r = parse_roster(Some(format!("{HEADER}\n").as_bytes()), None, None).unwrap();
    assert!(r.is_empty());
}

#[test]
fn a_file_without_a_header_is_one_error_naming_the_columns_on_both_paths() {
    for bytes in [&b""[..], b"\n\n", b",,,\n", b"\xef\xbb\xbf"] {
        let err = parse_roster(Some(bytes), None, None).unwrap_err();
        assert_eq!(err.len(), 1, "{bytes:?}: {err}");
        assert!(
            matches!(err.iter().next(), Some(InputError::NoHeader { file, .. }) if file == "laborers.csv"),
            "{bytes:?}: {err}"
        );
        let en = err.to_string();
        assert!(en.contains("no header") && en.contains(HEADER), "{en}");
        let zh = err.render(Lang::Zh);
        assert!(zh.contains("没有表头") && zh.contains(HEADER), "{zh}");
        // The streaming path says the same words.
        let streamed = jiuye_fupin::batch::run(
            &jiuye_fupin::batch::Inputs::bytes(Some(bytes), None, None),
            &Policy::yang_county_2020(),
            as_of(),
            Vec::new(),
            &jiuye_fupin::batch::Options::default(),
        )
        .unwrap_err();
        assert_eq!(streamed.to_string(), en);
    }
}

// ---------------------------------------------------------------- no panics on any bytes

fn sample_file(i: usize) -> &'static str {
    [
        sample::LABORERS_CSV,
        sample::ENTERPRISES_CSV,
        sample::POSTS_CSV,
        sample::LOAN_APPLICATIONS_CSV,
        sample::STARTUP_CENTERS_CSV,
        sample::POST_MONTHS_CSV,
    ][i % 6]
}

fn files_with(slot: usize, bytes: &[u8]) -> RosterFiles<'_> {
    let mut f = sample::files();
    let slot_ref = match slot % 6 {
        0 => &mut f.laborers,
        1 => &mut f.enterprises,
        2 => &mut f.posts,
        3 => &mut f.loan_applications,
        4 => &mut f.startup_centers,
        _ => &mut f.post_months,
    };
    *slot_ref = Some(bytes);
    f
}

/// Reading, evaluating, auditing and writing never panic; a roster that reads evaluates.
fn no_panic(files: &RosterFiles<'_>) {
    if let Ok(roster) = parse_roster_files(files) {
        let engine = Engine::new(&Policy::yang_county_2020()).explain(true);
        let _ = engine.evaluate(&roster, as_of());
        let _ = engine.audit(&roster, as_of());
        let _ = jiuye_fupin::ledger::Ledger::build(&engine, &roster, as_of());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_in_any_file_never_panic(slot in 0usize..6, bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        no_panic(&files_with(slot, &bytes));
    }

    #[test]
    fn mutations_of_valid_files_never_panic(
        slot in 0usize..6,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>()), 1..8),
    ) {
        let mut bytes = sample_file(slot).as_bytes().to_vec();
        for (at, op, b) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = b,
                1 => { bytes.remove(i); }
                2 => bytes.insert(i, b),
                _ => bytes.insert(i, b",;\"\n-.\xEF\xBC"[usize::from(b) % 8]),
            }
        }
        no_panic(&files_with(slot, &bytes));
    }

    #[test]
    fn cell_values_from_a_hostile_alphabet_never_panic(cells in proptest::collection::vec("[-0-9.,\"a-z９．－ \u{3000}]{0,12}", 17)) {
        let row = cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(",");
        let text = laborers(&[&row]);
        no_panic(&RosterFiles { laborers: Some(text.as_bytes()), ..Default::default() });
    }
}

// ---------------------------------------------------------------- nothing lost

#[test]
fn every_record_yields_exactly_one_decision_per_program_that_applies_to_it() {
    let r = sample::roster();
    let engine = Engine::new(&Policy::yang_county_2020());
    let eval = engine.evaluate(&r, as_of()).unwrap();
    use jiuye_fupin::SubjectKind;
    let count = |p: Program| eval.decisions.iter().filter(|d| d.program == p).count();
    let rules = jiuye_fupin::RuleSet::yang_county_2020();
    for p in rules.programs() {
        let n = match p.subject() {
            SubjectKind::Laborer => r.laborers().len(),
            SubjectKind::LoanApplication => r.loans().len(),
            SubjectKind::Enterprise => r.enterprises().len(),
            SubjectKind::StartupCenter => r.centers().len(),
            SubjectKind::Post => r.posts().len(),
        };
        assert_eq!(count(p), n, "{p}");
    }
    assert_eq!(eval.decisions.len(), r.decision_count());
    for p in rules.programs() {
        let mut ids: Vec<&str> = eval
            .decisions
            .iter()
            .filter(|d| d.program == p)
            .map(|d| d.subject_id)
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{p}: one decision per subject");
    }
}

#[test]
fn per_program_totals_equal_the_sum_of_the_decisions() {
    let r = sample::roster();
    let engine = Engine::new(&Policy::yang_county_2020());
    let eval = engine.evaluate(&r, as_of()).unwrap();
    for p in jiuye_fupin::RuleSet::yang_county_2020().programs() {
        let t = eval.totals.get(p).unwrap();
        let ds: Vec<_> = eval.decisions.iter().filter(|d| d.program == p).collect();
        let sum: rust_decimal::Decimal = ds.iter().map(|d| d.amount().as_decimal()).sum();
        assert_eq!(t.amount.as_decimal(), sum, "{p}");
        assert_eq!(t.subjects as usize, ds.len());
        assert_eq!(
            t.eligible as usize,
            ds.iter().filter(|d| d.is_eligible()).count()
        );
    }
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let r = sample::roster();
    assert_eq!(payouts_csv(&r), payouts_csv(&r));
    let again = sample::roster();
    assert_eq!(payouts_csv(&r), payouts_csv(&again));
}

#[test]
fn results_do_not_depend_on_record_order() {
    let r = sample::roster();
    let mut parts = r.clone().into_parts();
    parts.laborers.reverse();
    parts.enterprises.reverse();
    parts.posts.reverse();
    parts.loans.reverse();
    parts.centers.reverse();
    parts.post_months.reverse();
    let reversed = jiuye_fupin::Roster::from_parts(parts).unwrap();
    let engine = Engine::new(&Policy::yang_county_2020());
    let key = |roster: &jiuye_fupin::Roster| {
        let eval = engine.evaluate(roster, as_of()).unwrap();
        let mut rows: Vec<String> = eval
            .decisions
            .iter()
            .map(|d| {
                format!(
                    "{},{},{},{}",
                    d.program,
                    d.subject_id,
                    d.amount(),
                    d.reason_codes()
                )
            })
            .collect();
        rows.sort();
        (rows, eval.totals)
    };
    assert_eq!(key(&r), key(&reversed));
    let findings = |roster: &jiuye_fupin::Roster| {
        let mut f: Vec<String> = engine
            .audit(roster, as_of())
            .iter()
            .map(|f| format!("{f:?}"))
            .collect();
        f.sort();
        f
    };
    // Findings name the same things; `multiple_posts` names the first post of the pair, so
    // compare the set of (kind, person, month) for those.
    let strip = |v: Vec<String>| {
        v.into_iter()
            .filter(|s| !s.contains("MultiplePosts"))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(findings(&r)), strip(findings(&reversed)));
}
