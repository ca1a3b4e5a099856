//! One reader: the in-memory path (`io::parse_roster_files`) and the streaming path
//! (`batch::run`) fed one corpus of messy and hostile files give the same outcome: the same
//! payouts for what they accept, and the same problems, every one, in the same words (in
//! English and in Chinese), for what they refuse.

mod common;

use common::{as_of, payouts_csv};
use jiuye_fupin::batch::{self, BatchError, Inputs, Options, Source};
use jiuye_fupin::io::{RosterFiles, parse_roster_files};
use jiuye_fupin::{Lang, Policy, sample};

/// The five decided files, and post_months.csv (checked, not decided); `None`: no such
/// file.
#[derive(Clone, Copy, Default)]
struct Files<'a> {
    laborers: Option<&'a [u8]>,
    enterprises: Option<&'a [u8]>,
    posts: Option<&'a [u8]>,
    loans: Option<&'a [u8]>,
    centers: Option<&'a [u8]>,
    post_months: Option<&'a [u8]>,
}

/// payouts.csv, or every problem in English and in Chinese.
type Outcome = Result<String, (String, String)>;

fn in_memory(f: Files<'_>) -> Outcome {
    let files = RosterFiles {
        laborers: f.laborers,
        enterprises: f.enterprises,
        posts: f.posts,
        loan_applications: f.loans,
        startup_centers: f.centers,
        post_months: f.post_months,
    };
    match parse_roster_files(&files) {
        Ok(roster) => Ok(payouts_csv(&roster)),
        Err(e) => Err((e.render(Lang::En), e.render(Lang::Zh))),
    }
}

fn streamed<'a>(f: Files<'a>, threads: usize, chunk: usize) -> Outcome {
    let bytes = |s: Option<&'a [u8]>| s.map(Source::Bytes);
    let inputs = Inputs {
        laborers: bytes(f.laborers),
        enterprises: bytes(f.enterprises),
        posts: bytes(f.posts),
        loans: bytes(f.loans),
        centers: bytes(f.centers),
        post_months: bytes(f.post_months),
    };
    let options = Options::default().threads(threads).chunk_bytes(chunk);
    let mut out = Vec::new();
    match batch::run(
        &inputs,
        &Policy::yang_county_2020(),
        as_of(),
        &mut out,
        &options,
    ) {
        Ok(_) => Ok(String::from_utf8(out).unwrap()),
        Err(BatchError::Input(e)) => Err((e.render(Lang::En), e.render(Lang::Zh))),
        Err(e) => panic!("not an input problem: {e}"),
    }
}

/// Both paths, every thread count and chunk size: one outcome (returned).
fn same(f: Files<'_>) -> Outcome {
    let want = in_memory(f);
    for threads in [1, 3] {
        for chunk in [1024, 256 * 1024] {
            assert_eq!(
                streamed(f, threads, chunk),
                want,
                "threads {threads}, chunk {chunk}"
            );
        }
    }
    want
}

/// [`same`] for a laborers.csv alone.
fn same_laborers(text: &str) -> Outcome {
    same(Files {
        laborers: Some(text.as_bytes()),
        ..Files::default()
    })
}

fn sample_files() -> Files<'static> {
    Files {
        laborers: Some(sample::LABORERS_CSV.as_bytes()),
        enterprises: Some(sample::ENTERPRISES_CSV.as_bytes()),
        posts: Some(sample::POSTS_CSV.as_bytes()),
        loans: Some(sample::LOAN_APPLICATIONS_CSV.as_bytes()),
        centers: Some(sample::STARTUP_CENTERS_CSV.as_bytes()),
        post_months: Some(sample::POST_MONTHS_CSV.as_bytes()),
    }
}

const LABORERS_HEADER: &str = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date";

fn laborers(rows: &[&str], eol: &str) -> String {
    let mut s = String::from(LABORERS_HEADER);
    for r in rows {
        s.push_str(eol);
        s.push_str(r);
    }
    s.push_str(eol);
    s
}

const GOOD: &str = "L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,523.40,,,false,";

#[test]
fn the_whole_sample_with_loans_and_centers_is_read_alike() {
    let out = same(sample_files()).unwrap();
    assert!(out.contains("guaranteed_loan,") && out.contains("startup_center_subsidy,"));
}

#[test]
fn what_a_clerks_tools_produce_is_accepted_alike() {
    // Full-width digits, point and minus; the ideographic space; TRUE; a BOM; CRLF, CR-only
    // and LF line ends; rows of empty cells; quoted cells.
    let full_width = "L2,H1,龙亭镇,龙亭村,lifted,TRUE,true,false,false,false,out_of_county,２０２０－０３－０１,１２３．５０,,,false,";
    let spaced = "　L3　,H1,龙亭镇,龙亭村, lifted ,true,true,false,false,false,out_of_county,2020-03-01,\"1000.00\",,,false,";
    let rows = [
        GOOD,
        full_width,
        ",,,,,,,,,,,,,,,,",
        spaced,
        "  ,  ,,,,,,,,,,,,,,,",
    ];
    for eol in ["\n", "\r\n", "\r"] {
        for bom in ["", "\u{feff}"] {
            let text = format!("{bom}{}", laborers(&rows, eol));
            let got = same_laborers(&text);
            let csv = got.unwrap_or_else(|e| panic!("{eol:?} {bom:?}: {}", e.0));
            assert!(csv.contains("transport_subsidy,L2,true,123.50,"), "{csv}");
        }
    }
}

#[test]
fn every_problem_is_refused_alike_with_the_same_words() {
    let rows = [
        GOOD,
        "L2,H1,龙亭镇,龙亭村,poor,maybe,true,false,false,false,out_of_county,2020-02-30,-3.00,,1.5,false,",
        "L3,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,500",
        ",H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,500,,,false,",
        "L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,500,,,false,",
        "L5,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,nowhere,2020-03-01,1e3,,,false,",
    ];
    let l = laborers(&rows, "\n");
    let posts = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,school,某小学,龙亭镇,,public_welfare,L9,1500,2\nP2,school,某小学,龙亭镇,,public_welfare,L1,-1,2\n";
    let enterprises = "id,name,town,kind,ui_insured,ui_insured_months,prior_year_ui_paid,insured_headcount,layoffs,hardship,deferral_months_requested,monthly_pension_premium,monthly_unemployment_premium,monthly_injury_premium,application_date\nE1,某厂,龙亭镇,other,true,12,100,10,11,false,0,0,0,0,\n";
    let loans = "laborer_id,meets_guarantee_conditions,business_started,requested_amount,application_date\nL1,true,true,1000,\nL8,true,true,1000,\nL1,true,true,1000,\nL2,true,true,1000,2020-13-01\n";
    let centers =
        "id,name,level,town,year,claimed_rent,claimed_utilities\nC1,中心,province,,20,1,1\n";
    let (en, zh) = same(Files {
        laborers: Some(l.as_bytes()),
        enterprises: Some(enterprises.as_bytes()),
        posts: Some(posts.as_bytes()),
        loans: Some(loans.as_bytes()),
        centers: Some(centers.as_bytes()),
        post_months: None,
    })
    .unwrap_err();
    for expected in [
        "laborers.csv line 3, column poverty_status: \"poor\"",
        "laborers.csv line 4: has 13 fields, but the header has 17",
        "laborers.csv line 5, column id: \"\" is empty",
        "laborers.csv line 6, column id: \"L1\" appears twice (first on line 2)",
        "laborers.csv line 7, column work_destination: \"nowhere\"",
        "enterprises.csv line 2, column layoffs: \"11\" is more than insured_headcount (10)",
        "posts.csv line 3, column monthly_wage: \"-1\" is negative",
        "loan_applications.csv line 4, column laborer_id: \"L1\" appears twice (first on line 2)",
        "loan_applications.csv line 5, column application_date: \"2020-13-01\"",
        "startup_centers.csv line 2, column level: \"province\"",
    ] {
        assert!(en.contains(expected), "{expected}\nin\n{en}");
    }
    assert_eq!(en.lines().count(), 10, "{en}");
    assert!(zh.contains("laborers.csv 第 3 行"), "{zh}");
}

#[test]
fn a_gbk_file_is_read_alike_and_bytes_of_no_encoding_are_refused_alike() {
    // "龙亭镇" in GBK: decoded as GB18030 by both paths, with the same payouts.
    let mut gbk = LABORERS_HEADER.as_bytes().to_vec();
    gbk.extend_from_slice(b"\nL1,H1,\xC1\xFA\xCD\xA4\xD5\xF2,,lifted,,,,,,,,,,,,\n");
    let payouts = same(Files {
        laborers: Some(&gbk),
        ..Files::default()
    })
    .unwrap();
    assert!(payouts.contains("transport_subsidy,L1,false"), "{payouts}");
    // Bytes that are neither UTF-8 nor GBK are refused, alike.
    let mut bad = LABORERS_HEADER.as_bytes().to_vec();
    bad.extend_from_slice(b"\nL1,H1,\xFF\xFF,,lifted,,,,,,,,,,,,\n");
    let (en, zh) = same(Files {
        laborers: Some(&bad),
        ..Files::default()
    })
    .unwrap_err();
    assert!(
        en.contains("laborers.csv line 2") && en.contains("CSV UTF-8"),
        "{en}"
    );
    assert!(zh.contains("第 2 行"), "{zh}");
    let header = "id,id,town\nL1,L1,x\n";
    let (en, _) = same_laborers(header).unwrap_err();
    assert!(en.contains("twice") && en.contains("no column"), "{en}");
}

#[test]
fn ids_equal_after_nfkc_are_one_id_and_invisible_characters_are_refused() {
    let row = |id: &str| GOOD.replacen("L1", id, 1);
    // A zero-width space and a NUL: refused, whatever else the file holds.
    let l = laborers(&[&row("L1"), &row("L2\u{200b}"), &row("L3\u{0}")], "\n");
    let (en, zh) = same_laborers(&l).unwrap_err();
    assert!(
        en.contains("line 3, column id") && en.contains("U+200B"),
        "{en}"
    );
    assert!(
        en.contains("line 4, column id") && en.contains("U+0000"),
        "{en}"
    );
    assert!(zh.contains("不可见字符"), "{zh}");
    // A line separator (U+2028) inside an id, which a sheet shows as nothing: refused too.
    let l = laborers(&[&row("L1"), &row("L\u{2028}1")], "\n");
    let (en, _) = same_laborers(&l).unwrap_err();
    assert!(
        en.contains("line 3, column id") && en.contains("U+2028"),
        "{en}"
    );
    // Full-width and ASCII twins: one id, a duplicate.
    let l = laborers(&[&row("L1"), &row("Ｌ１")], "\n");
    let (en, _) = same_laborers(&l).unwrap_err();
    assert!(
        en.contains("line 3, column id: \"Ｌ１\" appears twice (first on line 2)"),
        "{en}"
    );
    // Even in increasing order of bytes, in a file whose ids otherwise increase.
    let l = laborers(&[&row("L0"), &row("L1"), &row("Ｌ1")], "\n");
    assert!(same_laborers(&l).is_err());
    // A post holder written in full width is the laborer; the output keeps each id's bytes.
    let l = laborers(&[&row("L1")], "\n");
    let posts = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nＰ1,school,某小学,龙亭镇,,public_welfare,Ｌ１,1500,2\n";
    let out = same(Files {
        laborers: Some(l.as_bytes()),
        posts: Some(posts.as_bytes()),
        ..Files::default()
    })
    .unwrap();
    assert!(out.contains("post_subsidy,Ｐ1,true,1800.00,"), "{out}");
}

/// Every `Default_Ignorable_Code_Point` of Unicode (DerivedCoreProperties.txt), which a
/// sheet shows as nothing: an id holding one is refused (POLICY.md reading 12), so that
/// `L1` and `L1` followed by an invisible character are never two laborers paid twice. The
/// shorthand format controls (U+1BCA0..U+1BCA3) and the musical beam, tie, slur and phrase
/// controls (U+1D173..U+1D17A) were read as ids.
#[test]
fn every_default_ignorable_character_in_an_id_is_refused() {
    const DEFAULT_IGNORABLE: &[(char, char)] = &[
        ('\u{AD}', '\u{AD}'),
        ('\u{34F}', '\u{34F}'),
        ('\u{61C}', '\u{61C}'),
        ('\u{115F}', '\u{1160}'),
        ('\u{17B4}', '\u{17B5}'),
        ('\u{180B}', '\u{180F}'),
        ('\u{200B}', '\u{200F}'),
        ('\u{202A}', '\u{202E}'),
        ('\u{2060}', '\u{206F}'),
        ('\u{3164}', '\u{3164}'),
        ('\u{FE00}', '\u{FE0F}'),
        ('\u{FEFF}', '\u{FEFF}'),
        ('\u{FFA0}', '\u{FFA0}'),
        ('\u{FFF0}', '\u{FFF8}'),
        ('\u{1BCA0}', '\u{1BCA3}'),
        ('\u{1D173}', '\u{1D17A}'),
        ('\u{E0000}', '\u{E0FFF}'),
    ];
    for &(first, last) in DEFAULT_IGNORABLE {
        for c in first..=last {
            assert_eq!(
                jiuye_fupin::model::invisible_char(&format!("L1{c}")),
                Some(c),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
    // Through the reader, in either path: the twin of L1 with a musical symbol begin beam
    // (U+1D173) after it, and one with a shorthand format letter overlap (U+1BCA0) inside.
    let row = |id: &str| GOOD.replacen("L1", id, 1);
    let l = laborers(
        &[&row("L1"), &row("L1\u{1D173}"), &row("L\u{1BCA0}1")],
        "\n",
    );
    let (en, _) = same_laborers(&l).unwrap_err();
    for (line, code) in [(3, "U+1D173"), (4, "U+1BCA0")] {
        let at = format!("line {line}, column id");
        assert!(en.contains(&at) && en.contains(code), "{en}");
    }
}

#[test]
fn line_numbers_are_right_whatever_the_line_ends() {
    let bad = GOOD.replacen("lifted", "poor", 1).replacen("L1", "L9", 1);
    for eol in ["\n", "\r\n", "\r"] {
        let l = laborers(&[GOOD, "", &bad], eol);
        let (en, _) = same_laborers(&l).unwrap_err();
        assert!(
            en.starts_with("laborers.csv line 4, column poverty_status"),
            "{eol:?}: {en}"
        );
    }
    // Mixed line ends in one file.
    let mixed = format!(
        "{LABORERS_HEADER}\r\n{GOOD}\r{}\n{bad}\r\n",
        GOOD.replacen("L1", "L2", 1)
    );
    let (en, _) = same_laborers(&mixed).unwrap_err();
    assert!(en.starts_with("laborers.csv line 4,"), "{en}");
}

#[test]
fn a_large_file_with_bare_carriage_returns_reads_in_linear_time() {
    let rows: Vec<String> = (0..60_000)
        .map(|i| GOOD.replacen("L1", &format!("L{i:06}"), 1))
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let text = laborers(&refs, "\r");
    let started = std::time::Instant::now();
    let out = streamed(
        Files {
            laborers: Some(text.as_bytes()),
            ..Files::default()
        },
        2,
        256 * 1024,
    )
    .unwrap();
    assert_eq!(out.lines().count(), 1 + 3 * 60_000);
    // Quadratic reading took tens of seconds here; linear takes a fraction of one.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

/// 20,000 good rows around `bad` (at line 1002).
fn long_file(bad: &str) -> String {
    let rows: Vec<String> = (0..20_000)
        .map(|i| GOOD.replacen("L1", &format!("L{i:06}"), 1))
        .collect();
    let mut refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    refs.insert(1000, bad);
    laborers(&refs, "\n")
}

#[test]
fn a_record_over_the_limit_is_refused_alike_naming_its_line_in_linear_time() {
    let huge_cell = format!(
        "L9,H9,\"{}\",x,lifted,true,true,false,false,false,none,,,,,false,",
        "镇".repeat(400_000)
    );
    let huge_line = format!(
        "L9,H9,{},x,lifted,true,true,false,false,false,none,,,,,false,",
        "a".repeat(1_100_000)
    );
    let unclosed = "L9,H9,\"龙亭镇,x,lifted,true,true,false,false,false,none,,,,,false,";
    for bad in [huge_cell.as_str(), huge_line.as_str(), unclosed] {
        let text = long_file(bad);
        let started = std::time::Instant::now();
        let (en, zh) = same_laborers(&text).unwrap_err();
        assert!(
            en.contains("laborers.csv line 1002: a record is longer than 1048576 bytes, the limit"),
            "{en}"
        );
        assert!(
            zh.contains("laborers.csv 第 1002 行: 记录超过 1048576 字节的上限"),
            "{zh}"
        );
        // Read again and again from the record's start, this took minutes; linearly, not one.
        assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    }
    // Just under the limit is a record like any other (here, a long name in a quoted cell).
    let long_name = format!(
        "L9,H9,\"{}\",x,lifted,true,true,false,false,false,none,,,,,false,",
        "a".repeat(1_000_000)
    );
    same_laborers(&long_file(&long_name)).unwrap();
}

#[test]
fn a_header_over_its_limit_is_refused_alike() {
    let header = format!("{LABORERS_HEADER},{}\n{GOOD},\n", "x".repeat(70_000));
    let (en, zh) = same_laborers(&header).unwrap_err();
    assert!(
        en.contains("laborers.csv line 1: the header is longer than 65536 bytes, the limit"),
        "{en}"
    );
    assert!(zh.contains("表头超过 65536 字节的上限"), "{zh}");
}

#[test]
fn a_bad_post_months_file_is_refused_alike_though_nothing_decides_it() {
    // The stream decides no post month (R10 audits them) and did not read the file: a
    // folder the in-memory path refused (the same `payouts`, given a second source) was
    // paid from. Now every problem of every file, post_months.csv's among them, alike.
    let months = format!(
        "{}P-NOPE,2020-03,20,,1000.00,2020-04-05\nP1,2020-13,x,,1,\n",
        sample::POST_MONTHS_CSV
    );
    let bad_laborer = laborers(&[&GOOD.replacen("523.40", "-1", 1)], "\n");
    let files = Files {
        laborers: Some(bad_laborer.as_bytes()),
        post_months: Some(months.as_bytes()),
        ..sample_files()
    };
    let (en, _) = same(files).unwrap_err();
    let n = sample::POST_MONTHS_CSV.lines().count();
    for said in [
        "laborers.csv line 2, column transport_cost".to_owned(),
        format!("post_months.csv line {}, column post_id", n + 1),
        format!("post_months.csv line {}, column month", n + 2),
    ] {
        assert!(en.contains(&said), "{said}: {en}");
    }
    // Alone, it is still refused; a good one changes no payout.
    let alone = Files {
        post_months: Some(months.as_bytes()),
        ..sample_files()
    };
    assert!(same(alone).unwrap_err().0.contains("post_months.csv"));
    assert_eq!(
        same(sample_files()).unwrap(),
        same(Files {
            post_months: None,
            ..sample_files()
        })
        .unwrap()
    );
}
