//! How the one reader reads (`io::ReadOptions`): the encoding of a CSV file (`--encoding
//! auto|utf-8|gb18030`) and the clerk forms of cells (`--clerk-formats`), the same on the
//! in-memory path, the streaming path and JSON.

use jiuye_fupin::batch::{self, Inputs, Options};
use jiuye_fupin::io::{
    self, Ambiguity, Encoding, InputError, Problem, ReadOptions, RosterFiles, parse_roster_files,
    parse_roster_files_with,
};
use jiuye_fupin::{Lang, Policy};

const HEADER: &str = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date,name";

/// A laborers.csv of one laborer in `town`, named `name`, who left on `departure` with a
/// transport cost of `cost` and `days` days of isolation.
fn laborers(town: &str, name: &str, departure: &str, cost: &str, days: &str) -> String {
    format!(
        "{HEADER}\nL1,H1,{town},V1,lifted,true,true,false,false,false,out_of_county,{departure},{cost},,{days},false,,{name}\n"
    )
}

fn files(laborers: &[u8]) -> RosterFiles<'_> {
    RosterFiles {
        laborers: Some(laborers),
        ..RosterFiles::default()
    }
}

fn with(encoding: Encoding) -> ReadOptions {
    ReadOptions::default().encoding(encoding)
}

fn clerk() -> ReadOptions {
    ReadOptions::default().clerk_formats(true)
}

fn first_error(r: Result<jiuye_fupin::Roster, io::InputErrors>) -> InputError {
    r.unwrap_err().into_iter().next().unwrap()
}

#[test]
fn a_gbk_file_is_read_by_auto_and_gb18030_and_refused_by_utf8_naming_line_and_bytes() {
    let text = laborers("洋州街道", "张三", "2020-03-01", "523.40", "");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    for encoding in [Encoding::Auto, Encoding::Gb18030] {
        let roster = parse_roster_files_with(&files(&gbk), &with(encoding)).unwrap();
        let l = &roster.laborers()[0];
        assert_eq!(
            (l.town.as_str(), l.name.as_deref()),
            ("洋州街道", Some("张三"))
        );
    }
    let e = first_error(parse_roster_files_with(&files(&gbk), &with(Encoding::Utf8)));
    // 洋州 is 0xD1 0xF3 0xD6 0xDD in GBK: the first bytes that are not UTF-8, on line 2.
    let InputError::NotUtf8 { line, bytes, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (*line, bytes.as_slice()),
        (2, &[0xD1, 0xF3, 0xD6, 0xDD][..])
    );
    assert!(
        e.to_string().starts_with(
            "laborers.csv line 2: the file is not UTF-8 (bytes 0xD1 0xF3 0xD6 0xDD) (it looks like GBK"
        ),
        "{e}"
    );
    assert!(
        e.render(Lang::Zh)
            .contains("第 2 行: 文件不是 UTF-8 编码 (字节 0xD1 0xF3 0xD6 0xDD)")
    );
}

#[test]
fn a_utf8_file_forced_to_gb18030_reads_as_encoding_rs_decodes_it() {
    // UTF-8 bytes that happen to be valid GB18030 (the mojibake of issue #11).
    let text = laborers("洋州街道", "张三", "2020-03-01", "523.40", "");
    let (decoded, malformed) = encoding_rs::GB18030.decode_without_bom_handling(text.as_bytes());
    assert!(!malformed);
    assert!(decoded.contains("娲嬪窞琛楅亾"));
    let want = parse_roster_files(&files(decoded.as_bytes())).unwrap();
    let got = parse_roster_files_with(&files(text.as_bytes()), &with(Encoding::Gb18030)).unwrap();
    assert_eq!(got, want);
    assert_eq!(got.laborers()[0].town, "娲嬪窞琛楅亾");
    // Auto and UTF-8 leave a UTF-8 file alone.
    for encoding in [Encoding::Auto, Encoding::Utf8] {
        let roster = parse_roster_files_with(&files(text.as_bytes()), &with(encoding)).unwrap();
        assert_eq!(roster.laborers()[0].town, "洋州街道");
    }
    // UTF-8 bytes that are not GB18030 (龙亭镇): an error naming the file, never garbage.
    let text = laborers("龙亭镇", "", "2020-03-01", "523.40", "");
    let bytes = text.as_bytes();
    assert!(
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_none()
    );
    let e = first_error(parse_roster_files_with(
        &files(bytes),
        &with(Encoding::Gb18030),
    ));
    assert!(e.to_string().contains("not GB18030"), "{e}");
}

#[test]
fn the_stream_reads_with_the_same_encoding_and_reports_the_same_problem() {
    let text = laborers("洋州街道", "张三", "2020-03-01", "523.40", "");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let run = |bytes: &[u8], read: ReadOptions| {
        let mut out = Vec::new();
        batch::run(
            &Inputs::bytes(Some(bytes), None, None),
            &Policy::yang_county_2020(),
            "2020-04-01".parse().unwrap(),
            &mut out,
            &Options::default().read(read),
        )
        .map(|_| String::from_utf8(out).unwrap())
    };
    for encoding in [Encoding::Auto, Encoding::Gb18030] {
        let out = run(&gbk, with(encoding)).unwrap();
        assert!(
            out.contains("transport_subsidy,L1,true,500.00,capped"),
            "{out}"
        );
    }
    let e = run(&gbk, with(Encoding::Utf8)).unwrap_err();
    let memory = first_error(parse_roster_files_with(&files(&gbk), &with(Encoding::Utf8)));
    assert_eq!(e.to_string(), memory.to_string());
    // GB18030 forced on UTF-8 bytes that are not GB18030: refused by the stream too.
    let text = laborers("龙亭镇", "", "2020-03-01", "523.40", "");
    assert!(run(text.as_bytes(), with(Encoding::Gb18030)).is_err());
}

#[test]
fn encoding_names_are_read_as_the_flag_takes_them() {
    for (name, e) in [
        ("auto", Encoding::Auto),
        ("utf-8", Encoding::Utf8),
        ("UTF8", Encoding::Utf8),
        ("gb18030", Encoding::Gb18030),
        ("GBK", Encoding::Gb18030),
    ] {
        assert_eq!(name.parse::<Encoding>(), Ok(e), "{name}");
    }
    assert!("latin-1".parse::<Encoding>().is_err());
    assert_eq!(Encoding::Gb18030.to_string(), "gb18030");
}

/// The departure date and the transport cost of the one laborer, read as `options` say.
fn read(departure: &str, cost: &str, options: &ReadOptions) -> Result<(String, String), Problem> {
    let text = laborers("T", "", departure, cost, "");
    match parse_roster_files_with(&files(text.as_bytes()), options) {
        Ok(r) => {
            let l = &r.laborers()[0];
            Ok((
                l.departure_date.map(|d| d.to_string()).unwrap_or_default(),
                l.transport_cost.map(|c| c.to_string()).unwrap_or_default(),
            ))
        }
        Err(e) => match e.into_iter().next() {
            Some(InputError::Cell { problem, .. }) => Err(problem),
            other => panic!("{other:?}"),
        },
    }
}

#[test]
fn clerk_dates_are_read_where_unambiguous_and_refused_with_a_hint_otherwise() {
    let date = |s: &str| read(s, "", &clerk()).map(|(d, _)| d);
    for s in [
        "2020/3/1",
        "2020-3-1",
        "2020.3.1",
        "2020年3月1日",
        "2020/03/01",
        "2020/3/1 0:00",
        "2020/3/1 00:00:00",
        "2020-03-01 00:00",
        "２０２０/３/１",
    ] {
        assert_eq!(date(s), Ok("2020-03-01".to_owned()), "{s}");
    }
    // Boundaries: a leap day, a day that does not exist, a thirteenth month.
    assert_eq!(date("2020/2/29"), Ok("2020-02-29".to_owned()));
    assert_eq!(date("2021/2/29"), Err(Problem::BadDate));
    assert_eq!(date("2020/13/1"), Err(Problem::BadDate));
    assert_eq!(date("2020年2月30日"), Err(Problem::BadDate));
    // Ambiguous: the year last, a time of day.
    for s in ["3/1/2020", "1/3/2020", "01.03.2020"] {
        assert_eq!(date(s), Err(Problem::Ambiguous(Ambiguity::YearLast)), "{s}");
    }
    for s in ["2020/3/1 8:30", "2020-03-01 00:00:01", "2020/3/1 12:00"] {
        assert_eq!(
            date(s),
            Err(Problem::Ambiguous(Ambiguity::TimeOfDay)),
            "{s}"
        );
    }
    // Not a clerk form either: the strict problem, as without the option.
    for s in ["2020/3", "20/3/1", "March 1 2020", "2020/3/1 noon"] {
        assert_eq!(date(s), Err(Problem::BadDate), "{s}");
    }
}

#[test]
fn clerk_money_and_counts_are_read_in_groups_of_three_and_refused_otherwise() {
    let cost = |s: &str| read("2020-03-01", s, &clerk()).map(|(_, c)| c);
    for (s, want) in [
        ("\"1,234.50\"", "1234.50"),
        ("\"12,345\"", "12345.00"),
        ("\"1,234,567.891\"", "1234567.891"),
        ("¥500", "500.00"),
        ("￥523.40", "523.40"),
        ("\"¥1,234.50\"", "1234.50"),
        ("\"１,２３４.５０\"", "1234.50"),
    ] {
        assert_eq!(cost(s), Ok(want.to_owned()), "{s}");
    }
    for s in [
        "\"1,23.4\"",
        "\"1234,567\"",
        "\",123\"",
        "\"1,234,5\"",
        "\"1,2345\"",
    ] {
        assert_eq!(cost(s), Err(Problem::Ambiguous(Ambiguity::Grouping)), "{s}");
    }
    // A negative amount is still negative, whatever its form.
    assert!(matches!(cost("\"-1,234\""), Err(Problem::BadAmount(_))));
    assert!(matches!(cost("¥abc"), Err(Problem::BadAmount(_))));
    // Counts: grouped digits, no currency sign.
    let days = |s: &str| {
        let text = laborers("T", "", "2020-03-01", "", s);
        parse_roster_files_with(&files(text.as_bytes()), &clerk())
            .map(|r| r.laborers()[0].isolation_days)
            .map_err(|e| e.to_string())
    };
    assert_eq!(days("\"1,234\""), Ok(1234));
    assert!(
        days("\"1,23\"")
            .unwrap_err()
            .contains("group the digits by three")
    );
    assert!(days("¥5").unwrap_err().contains("is not a whole number"));
}

#[test]
fn strict_mode_refuses_every_clerk_form_with_todays_error() {
    let strict = ReadOptions::default();
    for d in [
        "2020/3/1",
        "2020-3-1",
        "2020.3.1",
        "2020年3月1日",
        "2020-03-01 00:00",
        "3/1/2020",
    ] {
        assert_eq!(read(d, "", &strict), Err(Problem::BadDate), "{d}");
        let text = laborers("T", "", d, "", "");
        let e = parse_roster_files(&files(text.as_bytes())).unwrap_err();
        assert_eq!(
            e.first().to_string(),
            format!("laborers.csv line 2, column departure_date: {d:?} is not a date (YYYY-MM-DD)")
        );
    }
    for m in ["\"1,234.50\"", "¥500", "￥523.40", "\"1,23.4\""] {
        let err = read("2020-03-01", m, &strict).unwrap_err();
        assert!(matches!(err, Problem::BadAmount(_)), "{m}: {err:?}");
        assert_eq!(
            err.to_string(),
            "is not an amount (digits with an optional decimal point, like 1234.50)"
        );
    }
}

#[test]
fn a_clerk_problem_renders_in_both_languages_and_names_the_cell() {
    let text = laborers("T", "", "3/1/2020", "", "");
    let e = parse_roster_files_with(&files(text.as_bytes()), &clerk()).unwrap_err();
    assert_eq!(
        e.first().to_string(),
        "laborers.csv line 2, column departure_date: \"3/1/2020\" is ambiguous (month/day/year or day/month/year?); write the year first, like 2020-03-01 or 2020/3/1"
    );
    assert_eq!(
        e.first().render(Lang::Zh),
        "laborers.csv 第 2 行, departure_date 列: \"3/1/2020\" 有歧义 (月/日/年还是日/月/年?); 请把年份写在前面, 如 2020-03-01 或 2020/3/1"
    );
}

#[test]
fn the_clerk_forms_read_alike_in_memory_in_the_stream_and_in_json() {
    let text = laborers("T", "", "2020年3月1日", "\"¥1,234.50\"", "\"1,000\"");
    let memory = parse_roster_files_with(&files(text.as_bytes()), &clerk()).unwrap();
    let mut out = Vec::new();
    batch::run(
        &Inputs::bytes(Some(text.as_bytes()), None, None),
        &Policy::yang_county_2020(),
        "2020-04-01".parse().unwrap(),
        &mut out,
        &Options::default().read(clerk()),
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("transport_subsidy,L1,true,500.00,capped"),
        "{out}"
    );
    assert!(
        out.contains("isolation_allowance,L1,true,140.00,capped"),
        "{out}"
    );
    let json = r#"{"laborers": [{"id": "L1", "household_id": "H1", "town": "T", "village": "V1",
        "poverty_status": "lifted", "able_to_work": true, "willing_to_work": true,
        "work_destination": "out_of_county", "departure_date": "2020年3月1日",
        "transport_cost": "¥1,234.50", "isolation_days": 1000}]}"#;
    let from_json = jiuye_fupin::json::parse_roster_with(json.as_bytes(), &clerk()).unwrap();
    assert_eq!(from_json.laborers(), memory.laborers());
    // Without the option the stream refuses it as the in-memory reader does.
    let strict = batch::run(
        &Inputs::bytes(Some(text.as_bytes()), None, None),
        &Policy::yang_county_2020(),
        "2020-04-01".parse().unwrap(),
        Vec::new(),
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        strict.to_string(),
        parse_roster_files(&files(text.as_bytes()))
            .unwrap_err()
            .to_string()
    );
}
