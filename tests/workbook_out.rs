//! Workbooks out, read back by another implementation than the writer (`calamine`): every
//! decision with its label and exact amount, the ledger's levels summing to the level
//! above, findings with their evidence, the receipt, and the reform's sheets.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jiuye_fupin::compare::compare;
use jiuye_fupin::ledger::Ledger;
use jiuye_fupin::receipt::Receipt;
use jiuye_fupin::reform::Reform;
use jiuye_fupin::{Engine, Lang, Policy, sample, xlsx};
use rust_decimal::Decimal;

fn as_of() -> chrono::NaiveDate {
    "2020-04-01".parse().unwrap()
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

/// A sheet's rows, header first.
fn rows(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The column whose header ends with `(code)`.
fn column(header: &[Data], code: &str) -> usize {
    let suffix = format!("({code})");
    header
        .iter()
        .position(|h| {
            let h = h.to_string();
            h.ends_with(&suffix) || h == code
        })
        .unwrap_or_else(|| panic!("no column {code} in {header:?}"))
}

/// The impact of the transport cap raised to 600 on `roster`.
fn transport_cap_600(
    policy: &Policy,
    roster: &jiuye_fupin::Roster,
) -> jiuye_fupin::compare::Comparison {
    let reformed = Reform::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/policies/reforms/transport-cap-600.toml"
    ))
    .unwrap()
    .apply(policy)
    .unwrap();
    compare(policy, &reformed, roster, as_of()).unwrap()
}

/// A number cell as the exact decimal it was written from (its shortest text).
fn money(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => format!("{f}").parse().unwrap(),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn payouts_workbook_reads_back_decision_for_decision() {
    let policy = Policy::yang_county_2020();
    let roster = sample::roster();
    let engine = Engine::new(&policy);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let mut receipt = Receipt::new(&policy, as_of());
    receipt.totals = Some(eval.totals.clone());
    let mut book = open(xlsx::payouts(&eval, &roster, &receipt, Lang::Zh).unwrap());
    let sheet = rows(&mut book, "发放清单");
    let header = &sheet[0];
    assert_eq!(
        header[column(header, "amount")].to_string(),
        "金额 (amount)"
    );
    let (code, subject, amount, label, eligible) = (
        column(header, "program_code"),
        column(header, "subject_id"),
        column(header, "amount"),
        column(header, "program"),
        column(header, "eligible"),
    );
    assert_eq!(sheet.len() - 1, eval.decisions.len());
    for (row, d) in sheet[1..].iter().zip(&eval.decisions) {
        assert_eq!(row[code].to_string(), d.program.code());
        assert_eq!(row[label].to_string(), d.program.name(Lang::Zh));
        assert_eq!(row[subject].to_string(), d.subject_id);
        assert_eq!(row[eligible].to_string(), d.is_eligible().to_string());
        assert_eq!(
            money(&row[amount]),
            d.amount().as_decimal(),
            "{}",
            d.subject_id
        );
    }
    let receipt_rows = rows(&mut book, "回执");
    assert!(
        receipt_rows
            .iter()
            .any(|r| r[2].to_string() == receipt.policy_sha256)
    );
}

/// The 汇总 sheet keeps payouts, deferrals and loan ceilings apart, as the printed totals
/// and the ledger do: each kind's programs closed by its sum, and no sum of a column adds a
/// deferral or a loan ceiling to the money paid out (it listed the eight programs in rule
/// order with no kind and no subtotal).
#[test]
fn the_totals_sheet_keeps_payouts_deferrals_and_loan_ceilings_apart() {
    let policy = Policy::yang_county_2020();
    let roster = sample::roster();
    let engine = Engine::new(&policy);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let receipt = Receipt::new(&policy, as_of());
    for lang in [Lang::Zh, Lang::En] {
        let mut book = open(xlsx::payouts(&eval, &roster, &receipt, lang).unwrap());
        let sheet = rows(&mut book, "汇总");
        let header = &sheet[0];
        let (name, code, kind, amount) = (
            column(header, "program"),
            column(header, "program_code"),
            column(header, "kind"),
            column(header, "amount"),
        );
        let mut expected = Vec::new();
        for k in jiuye_fupin::ProgramKind::ALL {
            let mut sum = Decimal::ZERO;
            for t in eval.totals.of_kind(k) {
                expected.push((t.program.code().to_owned(), k.code(), t.amount.as_decimal()));
                sum += t.amount.as_decimal();
            }
            expected.push((k.total_label(lang).to_owned(), k.code(), sum));
        }
        let got: Vec<(String, &str, Decimal)> = (sheet[1..].iter())
            .map(|r| {
                let label = if r[code].to_string().is_empty() {
                    &r[name]
                } else {
                    &r[code]
                };
                let k_text = r[kind].to_string();
                let k = (jiuye_fupin::ProgramKind::ALL.into_iter())
                    .find(|k| k.code() == k_text)
                    .unwrap_or_else(|| panic!("kind {k_text:?}"));
                (label.to_string(), k.code(), money(&r[amount]))
            })
            .collect();
        assert_eq!(got, expected);
        let paid = got
            .iter()
            .rev()
            .find(|g| g.0 == "发放合计" || g.0 == "paid out");
        assert_eq!(paid.map(|g| g.2.to_string()), Some("599722.81".to_owned()));
    }
}

/// Each level of the ledger workbook counts, per program, the eligible decisions it holds
/// (it gave per program the amounts only, and one count of every program together, so
/// that a village's R1 beneficiaries or an eligible decision of 0.00 could not be seen),
/// each column summing to the level above, the county's equal to the totals of the run.
#[test]
fn ledger_workbook_counts_the_eligible_per_program_at_every_level() {
    let policy = Policy::yang_county_2020();
    let roster = sample::roster();
    let engine = Engine::new(&policy);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let ledger = Ledger::build(&engine, &roster, as_of()).unwrap();
    let mut book = open(xlsx::ledger(&ledger, &Receipt::new(&policy, as_of()), Lang::En).unwrap());
    let county = rows(&mut book, "县");
    for t in eval.totals.iter() {
        let code = format!("{}.eligible", t.program.code());
        let c = column(&county[0], &code);
        assert_eq!(money(&county[1][c]), Decimal::from(t.eligible), "{code}");
        for sheet in ["镇", "村", "户"] {
            let r = rows(&mut book, sheet);
            let c = column(&r[0], &code);
            let body = &r[1..r.len() - 1];
            let sum: Decimal = body.iter().map(|row| money(&row[c])).sum();
            assert_eq!(money(&r.last().unwrap()[c]), sum, "{sheet} {code}");
            if sheet != "户" {
                assert_eq!(sum, Decimal::from(t.eligible), "{sheet} {code}");
            }
        }
    }
}

#[test]
fn ledger_workbook_levels_sum_to_the_level_above() {
    let policy = Policy::yang_county_2020();
    let roster = sample::roster();
    let ledger = Ledger::build(&Engine::new(&policy), &roster, as_of()).unwrap();
    let mut book = open(xlsx::ledger(&ledger, &Receipt::new(&policy, as_of()), Lang::Zh).unwrap());
    for sheet in ["县", "镇", "村", "户", "明细", "回执"] {
        assert!(book.sheet_names().iter().any(|s| s == sheet), "{sheet}");
    }
    let county = rows(&mut book, "县");
    let c = column(&county[0], "payouts");
    let county_payouts = money(&county[1][c]);
    assert_eq!(
        county_payouts,
        ledger.totals.payout_total().unwrap().as_decimal()
    );
    for sheet in ["镇", "村", "户"] {
        let r = rows(&mut book, sheet);
        for code in [
            "eligible",
            "payouts",
            "deferrals",
            "loan_ceilings",
            "transport_subsidy",
        ] {
            let c = column(&r[0], code);
            let body = &r[1..r.len() - 1];
            let sum: Decimal = body.iter().map(|row| money(&row[c])).sum();
            // The 合计 row: a SUM formula whose cached result is the level's exact figure.
            let total = r.last().unwrap();
            assert_eq!(total[0].to_string(), "合计 (total)");
            assert_eq!(money(&total[c]), sum, "{sheet} {code}");
            if sheet != "户" {
                assert_eq!(
                    sum,
                    money(&county[1][column(&county[0], code)]),
                    "{sheet} {code}"
                );
            }
        }
    }
    // Households hold the people's decisions: their payouts are the people's.
    let r = rows(&mut book, "户");
    let c = column(&r[0], "transport_subsidy");
    let people: Decimal = (ledger.towns.iter())
        .flat_map(|t| &t.villages)
        .flat_map(|v| &v.households)
        .flat_map(|h| &h.people)
        .flat_map(|p| &p.lines)
        .filter(|l| l.program.code() == "transport_subsidy")
        .map(|l| l.amount().as_decimal())
        .sum();
    assert_eq!(money(r.last().unwrap().get(c).unwrap()), people);
    // Every decision placed once.
    let detail = rows(&mut book, "明细");
    let engine = Engine::new(&policy);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    assert_eq!(detail.len() - 1, eval.decisions.len());
}

#[test]
fn findings_and_reform_workbooks_read_back() {
    let policy = Policy::yang_county_2020();
    let roster = sample::roster();
    let findings = Engine::new(&policy).audit(&roster, as_of());
    let mut book = open(
        xlsx::findings(
            &findings,
            &[],
            &[],
            &Receipt::new(&policy, as_of()),
            Lang::En,
        )
        .unwrap(),
    );
    let r = rows(&mut book, "问题清单");
    assert_eq!(r.len() - 1, findings.len());
    let (kind, evidence) = (column(&r[0], "kind"), column(&r[0], "evidence"));
    for (row, f) in r[1..].iter().zip(&findings) {
        assert_eq!(row[kind].to_string(), f.kind.code());
        assert_eq!(
            row[evidence].to_string(),
            f.evidence.render(Lang::En).to_string()
        );
    }

    let cmp = transport_cap_600(&policy, &roster);
    let mut book = open(xlsx::comparison(&cmp, Lang::Zh).unwrap());
    let changes = rows(&mut book, "变化");
    assert_eq!(changes.len() - 1, cmp.changed.len());
    let d = column(&changes[0], "difference");
    for (row, c) in changes[1..].iter().zip(&cmp.changed) {
        assert_eq!(money(&row[d]), c.difference());
    }
    let programs = rows(&mut book, "项目");
    let d = column(&programs[0], "difference");
    let (code, kind) = (
        column(&programs[0], "program_code"),
        column(&programs[0], "kind"),
    );
    let sum: Decimal = (programs[1..].iter())
        .filter(|r| !r[code].to_string().is_empty())
        .map(|r| money(&r[d]))
        .sum();
    let want: Decimal = cmp.programs.iter().map(|i| i.difference()).sum();
    assert_eq!(sum, want);
    // Payouts, deferrals and loan ceilings apart, each kind closed by its difference, as
    // the printed comparison: the sheet listed R6 and R4 among the payouts, with no kind,
    // so that a column sum added a deferral or a loan ceiling to the money paid out.
    let kinds: Vec<(String, String)> = (programs[1..].iter())
        .map(|r| (r[code].to_string(), r[kind].to_string()))
        .collect();
    let at = |c: &str| kinds.iter().position(|k| k.0 == c).unwrap();
    assert_eq!(kinds[at("premium_deferral")].1, "deferral");
    assert_eq!(kinds[at("guaranteed_loan")].1, "loan_ceiling");
    assert!(at("post_subsidy") < at("premium_deferral"));
    assert!(at("premium_deferral") < at("guaranteed_loan"));
    let closing: Vec<(String, Decimal)> = (programs[1..].iter())
        .filter(|r| r[code].to_string().is_empty())
        .map(|r| (r[kind].to_string(), money(&r[d])))
        .collect();
    assert_eq!(
        closing,
        [
            ("payout".to_owned(), cmp.payout_difference()),
            ("deferral".to_owned(), cmp.deferral_difference()),
            ("loan_ceiling".to_owned(), cmp.loan_difference()),
        ]
    );
    let towns = rows(&mut book, "镇");
    assert_eq!(column(&towns[0], "kind"), 2);
    assert!(book.sheet_names().iter().any(|s| s == "增减"));
}

#[test]
fn the_receipt_sheet_lists_the_inputs_the_finished_outputs_and_the_complete_receipt() {
    use jiuye_fupin::receipt::FileRecord;
    let policy = Policy::yang_county_2020();
    let roster = sample::roster();
    let engine = Engine::new(&policy);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let file = |path: &str, records| FileRecord {
        path: path.into(),
        bytes: 1234,
        records,
        sha256: "ab".repeat(32),
    };
    let mut receipt = Receipt::new(&policy, as_of());
    receipt.totals = Some(eval.totals.clone());
    receipt.inputs = vec![
        file("town1.xlsx", Some(40)),
        file("town2/laborers.csv", Some(7)),
    ];
    receipt.outputs = vec![file("explained.xlsx", None)];
    receipt.complete_in = Some("payouts.receipt.toml".into());
    let check = |bytes: Vec<u8>| {
        let mut book = open(bytes);
        let sheet = rows(&mut book, "回执");
        let value = |key: &str| {
            let row = sheet.iter().find(|r| r[1] == key);
            row.unwrap_or_else(|| panic!("no row {key}"))[2].to_string()
        };
        assert_eq!(value("inputs[0].path"), "town1.xlsx");
        assert_eq!(value("inputs[0].bytes"), "1234");
        assert_eq!(value("inputs[0].records"), "40");
        assert_eq!(value("inputs[1].path"), "town2/laborers.csv");
        assert_eq!(value("inputs[1].sha256"), "ab".repeat(32));
        assert_eq!(value("outputs[0].path"), "explained.xlsx");
        assert!(!sheet.iter().any(|r| r[1] == "outputs[0].records"));
        assert_eq!(value("complete_receipt"), "payouts.receipt.toml");
    };
    check(xlsx::payouts(&eval, &roster, &receipt, Lang::Zh).unwrap());
    let findings = Engine::new(&policy).audit(&roster, as_of());
    check(xlsx::findings(&findings, &[], &[], &receipt, Lang::Zh).unwrap());
    let ledger = Ledger::build(&Engine::new(&policy), &roster, as_of()).unwrap();
    check(xlsx::ledger(&ledger, &receipt, Lang::Zh).unwrap());
    let cmp = transport_cap_600(&policy, &roster);
    check(xlsx::comparison_with_receipt(&cmp, &receipt, Lang::Zh).unwrap());
}

#[test]
fn text_longer_than_a_cell_holds_is_refused_naming_its_row_and_column_in_the_chosen_language() {
    // A name of 40,000 characters is a valid CSV record (up to 1 MiB), but no Excel cell
    // holds it: the writer's bare "String exceeds Excel's limit" named no row, in English
    // under `--lang zh`. The workbook is still refused (never a cut name), saying where, in
    // the language asked for (no longer in both).
    let csv = format!(
        "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date,name\nL1,,,,lifted,,,,,,,,,,,,,{}\n",
        "长".repeat(40_000)
    );
    let roster = jiuye_fupin::io::parse_roster(Some(csv.as_bytes()), None, None).unwrap();
    let policy = Policy::yang_county_2020();
    let engine = Engine::new(&policy);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let receipt = Receipt::new(&policy, as_of());
    let e = xlsx::payouts(&eval, &roster, &receipt, Lang::Zh)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("发放清单")
            && e.contains("第 2 行")
            && e.contains("D 列")
            && e.contains("40000"),
        "{e}"
    );
    assert!(!e.contains("row 2") && !e.contains("characters"), "{e}");
    let e = xlsx::payouts(&eval, &roster, &receipt, Lang::En)
        .unwrap_err()
        .to_string();
    assert!(e.contains("row 2, column D") && e.contains("32,767"), "{e}");
    assert!(!e.contains("第 2 行"), "{e}");
}
