//! What officials read, checked against independent expectations (the hostile pass over the
//! explained list, the ledger and the audit): each test names the defect it pins.

mod common;

use common::as_of;
use jiuye_fupin::ledger::Ledger;
use jiuye_fupin::model::{Laborer, LoanApplication, Post, PostKind, PovertyStatus, Roster};
use jiuye_fupin::money::Yuan;
use jiuye_fupin::rules::assistant_quota;
use jiuye_fupin::{Engine, Policy};

fn engine() -> Engine {
    Engine::new(&Policy::yang_county_2020())
}

/// A poor laborer back from Hubei, willing to work, staying in the county: a candidate for
/// an open assistant post unless she holds a post.
fn returnee(id: &str) -> Laborer {
    Laborer {
        poverty_status: PovertyStatus::Lifted,
        willing_to_work: true,
        hubei_returnee: true,
        household_id: "H1".into(),
        town: "华阳镇".into(),
        village: "华阳社区".into(),
        ..Laborer::new(id)
    }
}

/// POLICY.md reading 12: `ＹＸ-L1 ` (full-width, a trailing space) is the id `YX-L1`. The
/// roster resolves such a holder to the laborer (R8 and R10 name her), so the candidates for
/// open posts must not list her as holding none.
#[test]
fn a_holder_written_otherwise_is_not_a_candidate_for_an_open_post() {
    let post = Post {
        town: "华阳镇".into(),
        village: Some("华阳社区".into()),
        post_kind: PostKind::PublicWelfare,
        holder_id: "ＹＸ-L1 ".into(),
        ..Post::new("P1")
    };
    let roster = Roster::new(
        vec![returnee("YX-L1"), returnee("YX-L2")],
        vec![],
        vec![post],
    )
    .unwrap();
    let ids: Vec<&str> = (assistant_quota::candidates(&roster).iter())
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(ids, ["YX-L2"]);
}

/// POLICY.md reading 12: a loan application whose `laborer_id` is the laborer's id written
/// otherwise is that laborer's. payouts.csv decides it; the ledger placed it nowhere and its
/// county total of loan ceilings was short by its amount.
#[test]
fn the_ledger_places_a_loan_whose_applicant_id_is_written_otherwise() {
    let loan = LoanApplication {
        meets_guarantee_conditions: true,
        business_started: true,
        requested_amount: Yuan::parse("100000.00").unwrap(),
        ..LoanApplication::new("ＹＸ-L1 ")
    };
    let roster = Roster::new(vec![returnee("YX-L1")], vec![], vec![])
        .unwrap()
        .with_loans(vec![loan])
        .unwrap();
    let engine = engine();
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let decided = (eval.decisions.iter())
        .filter(|d| d.program.code() == "guaranteed_loan")
        .count();
    assert_eq!(decided, 1);
    let ledger = Ledger::build(&engine, &roster, as_of()).unwrap();
    let person = &ledger.towns[0].villages[0].households[0].people[0];
    let lines: Vec<&str> = (person.lines.iter()).map(|l| l.program.code()).collect();
    assert!(lines.contains(&"guaranteed_loan"), "{lines:?}");
    assert_eq!(
        ledger.totals, eval.totals,
        "the ledger's county totals are payouts.csv's"
    );
}

/// POLICY.md reading 8: a rule is not in force from a date on which the policy file repeals
/// it. The explained list showed such a decision as `not_in_force` with no parameter at all,
/// so nothing an auditor reads said that a repeal (its date, its source) decided it, nor
/// told it from a date before the policy's first entry.
#[test]
fn a_repealed_decision_shows_the_repeal_in_force_on_its_date() {
    use jiuye_fupin::explain::Explained;
    use jiuye_fupin::{Lang, Outcome};
    let policy = Policy::yang_county_2020()
        .with_overlay_str(
            "[startup_grant]\nin_effect = [{ effective_from = \"2020-06-01\", value = false, source = \"县政府令 (repeal)\" }]\n",
        )
        .unwrap();
    let engine = Engine::new(&policy);
    let store = |id: &str, date: &str| Laborer {
        opened_store_in_county: true,
        store_opened_date: Some(date.parse().unwrap()),
        ..returnee(id)
    };
    let roster = Roster::new(
        vec![store("L1", "2020-05-31"), store("L2", "2020-06-18")],
        vec![],
        vec![],
    )
    .unwrap();
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let grant = |id: &str| {
        (eval.decisions.iter())
            .find(|d| d.program.code() == "startup_grant" && d.subject_id == id)
            .unwrap()
    };
    assert!(matches!(grant("L1").outcome, Outcome::Eligible { .. }));
    assert_eq!(grant("L2").reason_codes().to_string(), "not_in_force");
    for lang in [Lang::Zh, Lang::En] {
        let e = Explained::new(grant("L2"), lang);
        assert_eq!(
            e.parameters,
            "in_effect = false (from 2020-06-01; 县政府令 (repeal))"
        );
        // Before the repeal, the parameters in force as before (no entry of in_effect yet).
        let e = Explained::new(grant("L1"), lang);
        assert!(
            e.parameters.starts_with("amount = 5000.00"),
            "{}",
            e.parameters
        );
    }
}

/// POLICY.md readings 9 and 10: an audit says what it did not audit "instead of reporting a
/// clean bill". The printed audit did; `findings.xlsx` and `/v1/audit` (`AuditRecord`) held
/// the findings alone, so a roster without post months, or an as-of date outside R9's
/// window, read there as no ghost post, no substitute, no quota short.
#[test]
fn the_findings_workbook_and_the_json_audit_say_what_was_not_audited() {
    use calamine::{Reader, Xlsx};
    use jiuye_fupin::finding::NotAudited;
    use jiuye_fupin::json::AuditRecord;
    use jiuye_fupin::{Lang, receipt::Receipt, sample, xlsx};
    let policy = Policy::yang_county_2020();
    let engine = Engine::new(&policy);
    let sample = sample::roster();
    // The sample's people and posts, without post_months.csv.
    let no_months = Roster::new(
        sample.laborers().to_vec(),
        sample.enterprises().to_vec(),
        sample.posts().to_vec(),
    )
    .unwrap();
    let after: chrono::NaiveDate = "2021-03-01".parse().unwrap();
    assert_eq!(
        engine.not_audited(&no_months, after),
        [
            NotAudited::Quotas { as_of: after },
            NotAudited::NoPostMonths
        ]
    );
    assert!(engine.not_audited(&sample, as_of()).is_empty());
    for lang in [Lang::Zh, Lang::En] {
        let not = engine.not_audited(&no_months, after);
        let findings = engine.audit(&no_months, after);
        let bytes =
            xlsx::findings(&findings, &not, &[], &Receipt::new(&policy, after), lang).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("未审核").unwrap();
        let rows: Vec<Vec<String>> = (sheet.rows())
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[1][..2], ["R9", "quotas"]);
        assert_eq!(rows[2][..2], ["R10", "no_post_months"]);
        assert_eq!(rows[2][2], NotAudited::NoPostMonths.render(lang));
        let json = AuditRecord::audit(&policy, &no_months, after, lang);
        let codes: Vec<&str> = json.not_audited.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(codes, ["quotas", "no_post_months"]);
        assert!(json.not_audited[1].detail.contains("post_months.csv"));
    }
}

/// The candidates for open assistant posts, priority groups first (R9, S1), were printed by
/// `audit` alone: `findings.xlsx` and `/v1/audit` held no work list. Both now list them, in
/// the printed order, with the same groups.
#[test]
fn the_findings_workbook_and_the_json_audit_list_the_candidates_in_priority_order() {
    use calamine::{Reader, Xlsx};
    use jiuye_fupin::json::AuditRecord;
    use jiuye_fupin::{Lang, receipt::Receipt, sample, xlsx};
    let policy = Policy::yang_county_2020();
    let engine = Engine::new(&policy);
    let roster = sample::roster();
    let candidates = assistant_quota::candidates(&roster);
    let ids: Vec<&str> = candidates.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["YX-L035", "YX-L036"]);
    let findings = engine.audit(&roster, as_of());
    let receipt = Receipt::new(&policy, as_of());
    let bytes = xlsx::findings(&findings, &[], &candidates, &receipt, Lang::Zh).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("候选人").unwrap();
    let rows: Vec<Vec<String>> = (sheet.rows())
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][..2], ["1", "YX-L035"]);
    assert_eq!(rows[1][5], "湖北返乡, 零就业家庭");
    assert_eq!(rows[2][..2], ["2", "YX-L036"]);
    let json = AuditRecord::audit(&policy, &roster, as_of(), Lang::En);
    let listed: Vec<(&str, &str)> = (json.candidates.iter())
        .map(|c| (c.laborer_id.as_str(), c.priority_groups.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("YX-L035", "Hubei returnee, zero-employment household"),
            ("YX-L036", "Hubei returnee")
        ]
    );
}

/// A county that does not run R10 (`[post_compliance] enabled = false`) audited none of its
/// monthly records, yet the audit said nothing of R10: the sample's 51 post months, with
/// their ghost post, substitute, short and late wages, read as "0 findings" and an empty
/// 未审核 sheet, a clean bill for an audit never made (POLICY.md reading 10: "instead of
/// reporting a clean bill"). It now says that R10 is not run.
#[test]
fn an_audit_under_a_policy_that_does_not_run_r10_says_so() {
    use jiuye_fupin::finding::NotAudited;
    use jiuye_fupin::json::AuditRecord;
    use jiuye_fupin::{Lang, sample};
    let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML;
    let start = text.find("[post_compliance]").unwrap();
    let end = text[start + 1..]
        .find("\n[")
        .map_or(text.len(), |i| start + 1 + i);
    let text = format!(
        "{}[post_compliance]\nenabled = false\n{}",
        &text[..start],
        &text[end..]
    );
    let policy = Policy::from_toml_str(&text).unwrap();
    let engine = Engine::new(&policy);
    let roster = sample::roster();
    assert!(roster.has_post_months());
    assert!(
        engine
            .audit(&roster, as_of())
            .iter()
            .all(|f| f.kind.rule() == "R9")
    );
    assert_eq!(
        engine.not_audited(&roster, as_of()),
        [NotAudited::ComplianceNotRun]
    );
    let json = AuditRecord::audit(&policy, &roster, as_of(), Lang::Zh);
    let codes: Vec<(&str, &str)> = (json.not_audited.iter())
        .map(|n| (n.rule.as_str(), n.code.as_str()))
        .collect();
    assert_eq!(codes, [("R10", "not_run")]);
    assert!(json.not_audited[0].detail.contains("本政策不实施 R10"));
    // Run, R10 without post months is still `no_post_months`.
    let no_months = Roster::new(
        roster.laborers().to_vec(),
        roster.enterprises().to_vec(),
        roster.posts().to_vec(),
    )
    .unwrap();
    assert_eq!(
        Engine::new(&Policy::yang_county_2020()).not_audited(&no_months, as_of()),
        [NotAudited::NoPostMonths]
    );
}
