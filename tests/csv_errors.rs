//! Bad input is a typed error naming the file, line, column and value; nothing is skipped.

use jiuye_fupin::io::{InputError, InputErrors, Problem, parse_roster, read_roster_dir};

const LABORERS: &str = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date\n\
L1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,out_of_county,2020-03-01,300.00,,,false,\n\
L2,H1,龙亭镇,龙亭村,none,true,true,false,false,false,in_county,,,,,false,\n";

const ENTERPRISES: &str = "id,name,town,kind,ui_insured,ui_insured_months,prior_year_ui_paid,insured_headcount,layoffs,hardship,deferral_months_requested,monthly_pension_premium,monthly_unemployment_premium,monthly_injury_premium,application_date\n\
E1,洋县朱鹮时装社区工厂,洋州街道,community_factory,true,24,10000.00,30,0,false,0,4800,150,60,2020-03-01\n";

const POSTS: &str = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\n\
P1,town_office,龙亭镇人民政府,龙亭镇,,epidemic_assistant,L1,1500,6\n";

fn laborers_with(line: usize, column: &str, value: &str) -> String {
    let mut rdr = csv::Reader::from_reader(LABORERS.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let col = header.iter().position(|h| h == column).unwrap();
    let mut out = header.join(",") + "\n";
    for (i, rec) in rdr.records().enumerate() {
        let mut cells: Vec<String> = rec.unwrap().iter().map(str::to_owned).collect();
        if i + 2 == line {
            cells[col] = if value.contains(',') {
                format!("\"{value}\"")
            } else {
                value.to_owned()
            };
        }
        out += &(cells.join(",") + "\n");
    }
    out
}

fn cell_error(errs: InputErrors) -> (String, u64, &'static str, String, Problem) {
    assert_eq!(errs.len(), 1, "{errs}");
    match errs.into_iter().next().unwrap() {
        InputError::Cell {
            file,
            line,
            column,
            value,
            problem,
        } => (file, line, column, value, problem),
        other => panic!("expected a cell error, got {other:?}"),
    }
}

fn laborer_error(column: &str, value: &str) -> (String, u64, &'static str, String, Problem) {
    let text = laborers_with(3, column, value);
    cell_error(parse_roster(Some(text.as_bytes()), None, None).unwrap_err())
}

#[test]
fn a_valid_roster_reads_every_record() {
    let r = parse_roster(
        Some(LABORERS.as_bytes()),
        Some(ENTERPRISES.as_bytes()),
        Some(POSTS.as_bytes()),
    )
    .unwrap();
    assert_eq!(
        (r.laborers().len(), r.enterprises().len(), r.posts().len()),
        (2, 1, 1)
    );
}

#[test]
fn an_unknown_enum_value_names_file_line_column_value_and_the_accepted_codes() {
    let (file, line, column, value, problem) = laborer_error("poverty_status", "poor");
    assert_eq!(
        (file.as_str(), line, column, value.as_str()),
        ("laborers.csv", 3, "poverty_status", "poor")
    );
    assert_eq!(
        problem,
        Problem::UnknownValue {
            expected: &["remaining_poor", "lifted", "none"]
        }
    );
    let text = laborers_with(3, "poverty_status", "poor");
    let msg = parse_roster(Some(text.as_bytes()), None, None)
        .unwrap_err()
        .to_string();
    assert_eq!(
        msg,
        "laborers.csv line 3, column poverty_status: \"poor\" is not one of: remaining_poor, lifted, none"
    );
}

#[test]
fn impossible_or_badly_written_dates_are_refused() {
    for bad in ["2020-02-30", "2020/02/01", "2020-2-1", "yesterday"] {
        let (_, line, column, value, problem) = laborer_error("departure_date", bad);
        assert_eq!(
            (line, column, value.as_str(), problem),
            (3, "departure_date", bad, Problem::BadDate)
        );
    }
}

#[test]
fn negative_or_non_numeric_amounts_are_refused() {
    let (_, _, column, _, problem) = laborer_error("transport_cost", "-3.00");
    assert_eq!(column, "transport_cost");
    assert!(matches!(
        problem,
        Problem::BadAmount(jiuye_fupin::money::MoneyError::Negative(_))
    ));
    for bad in ["abc", "1,000", "1e3", "¥300"] {
        let (_, _, _, value, problem) = laborer_error("transport_cost", bad);
        assert_eq!(value, bad);
        assert!(matches!(problem, Problem::BadAmount(_)), "{bad}");
    }
    let (_, _, _, _, problem) = laborer_error("transport_cost", "123456789012345678901234567890");
    assert!(
        problem.to_string().contains("28 significant digits"),
        "{problem}"
    );
    assert!(problem.zh().contains("28 位"), "{}", problem.zh());
    // Zeros after the last decimal are no digits too many: 0.005 exactly.
    let text = laborers_with(3, "transport_cost", &format!("0.005{}", "0".repeat(26)));
    parse_roster(Some(text.as_bytes()), None, None).unwrap();
}

#[test]
fn counts_must_be_whole_numbers_of_at_least_zero() {
    for bad in ["-1", "1.5", "seven", "4294967296x"] {
        let (_, _, column, _, problem) = laborer_error("isolation_days", bad);
        assert_eq!(
            (column, problem),
            ("isolation_days", Problem::BadCount),
            "{bad}"
        );
    }
    // A whole number above the largest count is said to be too large, not "not whole".
    for big in ["4294967296", "99999999999"] {
        let (_, _, column, _, problem) = laborer_error("isolation_days", big);
        assert_eq!(
            (column, problem),
            ("isolation_days", Problem::CountTooLarge)
        );
    }
    let text = laborers_with(3, "isolation_days", "4294967295");
    parse_roster(Some(text.as_bytes()), None, None).unwrap();
}

#[test]
fn booleans_must_be_true_or_false() {
    let (_, _, column, _, problem) = laborer_error("able_to_work", "yes");
    assert_eq!((column, problem), ("able_to_work", Problem::BadBool));
}

#[test]
fn an_empty_id_is_an_error() {
    let (_, line, column, _, problem) = laborer_error("id", "");
    assert_eq!((line, column, problem), (3, "id", Problem::Empty));
}

#[test]
fn a_missing_column_is_named() {
    let text = LABORERS.replacen(",transport_cost", ",cost", 1);
    let err = parse_roster(Some(text.as_bytes()), None, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "laborers.csv: the header has no column \"transport_cost\""
    );
}

#[test]
fn a_repeated_column_is_named() {
    let text = LABORERS.replacen(",village,", ",town,", 1);
    let err = parse_roster(Some(text.as_bytes()), None, None).unwrap_err();
    assert!(
        matches!(err.first(), InputError::DuplicateColumn { column, .. } if column == "town"),
        "{err}"
    );
}

#[test]
fn unnamed_columns_may_repeat() {
    // Excel writes a comma for each formatted but empty column: two unnamed columns, which
    // used to be "the header names column \"\" twice".
    let unnamed: String = LABORERS.lines().map(|l| format!("{l},,\n")).collect();
    let roster = parse_roster(Some(unnamed.as_bytes()), None, None).unwrap();
    assert_eq!(roster.laborers().len(), 2);
    // A named column given twice is still ambiguous.
    let named = unnamed.replacen(",,\n", ",note,note\n", 1);
    let err = parse_roster(Some(named.as_bytes()), None, None).unwrap_err();
    assert!(
        matches!(err.first(), InputError::DuplicateColumn { column, .. } if column == "note"),
        "{err}"
    );
}

#[test]
fn a_duplicate_id_names_both_lines() {
    let text = laborers_with(3, "id", "L1");
    let (_, line, column, value, problem) =
        cell_error(parse_roster(Some(text.as_bytes()), None, None).unwrap_err());
    assert_eq!(
        (line, column, value.as_str(), problem),
        (3, "id", "L1", Problem::DuplicateId { first_line: 2 })
    );
}

#[test]
fn a_post_holder_who_is_not_in_laborers_csv_is_read_as_not_registered() {
    // Valid input: a post may be held by someone who is not among the laborers, who is then
    // not a registered poor laborer (R8: `holder_not_poor`), as the baselines read it.
    let posts = POSTS.replace(",L1,", ",L9,");
    let roster = parse_roster(Some(LABORERS.as_bytes()), None, Some(posts.as_bytes())).unwrap();
    let (_, holder) = roster.posts_with_holders().next().unwrap();
    assert_eq!((holder.id, holder.laborer), ("L9", None));
    assert_eq!(
        holder.poverty_status(),
        jiuye_fupin::model::PovertyStatus::None
    );
}

#[test]
fn more_layoffs_than_insured_employees_is_an_error() {
    let e = ENTERPRISES.replace(",30,0,", ",30,31,");
    let err = parse_roster(None, Some(e.as_bytes()), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "enterprises.csv line 2, column layoffs: \"31\" is more than insured_headcount (30)"
    );
}

#[test]
fn a_short_row_is_malformed_with_its_line() {
    let text = format!("{LABORERS}L3,H2,龙亭镇\n");
    let err = parse_roster(Some(text.as_bytes()), None, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "laborers.csv line 4: has 3 fields, but the header has 17"
    );
}

#[test]
fn invalid_utf8_is_refused_with_advice() {
    let mut bytes = LABORERS.as_bytes().to_vec();
    bytes.extend_from_slice(
        b"L3,H2,\xc1\xfa\xcd\xa4,x,none,true,true,false,false,false,none,,,,,false,\n",
    );
    let err = parse_roster(Some(&bytes), None, None).unwrap_err();
    assert!(
        err.to_string().contains("line 4") && err.to_string().contains("UTF-8"),
        "{err}"
    );
}

#[test]
fn cells_are_trimmed_but_ids_keep_their_bytes_columns_may_come_in_any_order_and_a_bom_is_accepted()
{
    let text = "\u{feff}town,id ,household_id,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date,extra\r\n\
        龙亭镇, L1 ,H1,龙亭村, lifted ,TRUE,true,false,false,false,out_of_county,2020-03-01, 300.00 ,,,false,,x\r\n";
    let r = parse_roster(Some(text.as_bytes()), None, None).unwrap();
    let l = &r.laborers()[0];
    // POLICY.md reading 12: an id keeps its bytes (and is compared trimmed: `id_key`).
    assert_eq!(
        (l.id.as_str(), l.town.as_str(), l.able_to_work),
        (" L1 ", "龙亭镇", true)
    );
    assert_eq!(jiuye_fupin::model::id_key(&l.id), "L1");
    assert_eq!(l.transport_cost.unwrap().to_string(), "300.00");
}

#[test]
fn a_missing_directory_file_is_simply_absent_and_the_path_is_named_in_errors() {
    let dir = std::env::temp_dir().join(format!("jiuye-fupin-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("enterprises.csv"),
        ENTERPRISES.replace("10000.00", "-1"),
    )
    .unwrap();
    let err = read_roster_dir(&dir).unwrap_err().to_string();
    assert!(
        err.contains("enterprises.csv line 2, column prior_year_ui_paid: \"-1\" is negative"),
        "{err}"
    );
    std::fs::write(dir.join("enterprises.csv"), ENTERPRISES).unwrap();
    let r = read_roster_dir(&dir).unwrap();
    assert_eq!((r.laborers().len(), r.enterprises().len()), (0, 1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn past_the_problems_kept_the_rest_are_counted_to_the_end_of_the_file() {
    let mut text = String::from(LABORERS.lines().next().unwrap());
    for i in 0..300 {
        text.push_str(&format!(
            "\nL{i},H1,T,V,lifted,true,true,false,false,false,out_of_county,2020-03-01,-5,,,false,"
        ));
    }
    let err = parse_roster(Some(text.as_bytes()), None, None).unwrap_err();
    assert_eq!(
        (err.iter().count(), err.omitted(), err.len()),
        (InputErrors::LIMIT, 200, 300)
    );
    assert!(
        err.render(jiuye_fupin::Lang::En)
            .ends_with("... and 200 more problems"),
        "{}",
        err.render(jiuye_fupin::Lang::En)
    );
}
