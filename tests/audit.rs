//! R4, R7, R9, R10, the priority groups and the ledger: every finding kind, every boundary,
//! and the ledger's sums.

mod common;

use common::as_of;
use jiuye_fupin::finding::{Evidence, Finding, FindingKind};
use jiuye_fupin::io::{RosterFiles, parse_roster_files};
use jiuye_fupin::ledger::Ledger;
use jiuye_fupin::model::{
    CenterLevel, EmployerKind, Laborer, LoanApplication, Post, PostKind, PostMonth, PovertyStatus,
    Roster, StartupCenter, WorkDestination,
};
use jiuye_fupin::money::Yuan;
use jiuye_fupin::rules::assistant_quota;
use jiuye_fupin::{Engine, Policy, sample};
use proptest::prelude::*;

fn engine() -> Engine {
    Engine::new(&Policy::yang_county_2020())
}

fn yuan(s: &str) -> Yuan {
    Yuan::parse(s).unwrap()
}

fn kinds(findings: &[Finding]) -> Vec<(FindingKind, String)> {
    findings
        .iter()
        .map(|f| (f.kind, f.subject_id.clone()))
        .collect()
}

// ---------------------------------------------------------------- R4

fn loan(requested: &str) -> LoanApplication {
    LoanApplication {
        meets_guarantee_conditions: true,
        business_started: true,
        requested_amount: yuan(requested),
        application_date: Some("2020-05-01".parse().unwrap()),
        ..LoanApplication::new("L1")
    }
}

#[test]
fn a_loan_is_approved_up_to_150000_and_one_fen_over_is_capped() {
    let e = engine();
    let at = |a: &LoanApplication| {
        let d = e
            .decide(jiuye_fupin::rules::guaranteed_loan::PROGRAM, a, as_of())
            .unwrap();
        (d.amount().to_string(), d.reason_codes().to_string())
    };
    assert_eq!(at(&loan("150000.00")), ("150000.00".into(), String::new()));
    assert_eq!(
        at(&loan("150000.01")),
        ("150000.00".into(), "capped".into())
    );
    assert_eq!(at(&loan("80000")), ("80000.00".into(), String::new()));
}

#[test]
fn a_loan_applicant_failing_every_condition_gets_all_three_reasons() {
    let a = LoanApplication::new("L1");
    let engine = engine();
    let d = engine
        .decide(jiuye_fupin::rules::guaranteed_loan::PROGRAM, &a, as_of())
        .unwrap();
    assert_eq!(
        d.reasons().iter().collect::<Vec<_>>(),
        [
            jiuye_fupin::rules::guaranteed_loan::GUARANTEE_CONDITIONS_UNMET,
            jiuye_fupin::rules::guaranteed_loan::BUSINESS_NOT_STARTED,
            jiuye_fupin::rules::guaranteed_loan::NO_AMOUNT_REQUESTED
        ]
    );
}

#[test]
fn a_county_following_the_national_200000_cap_from_2020_04_15_changes_one_dated_entry() {
    let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace(
        r#"cap = [{ effective_from = "2015-01-01", value = "150000.00", source = "S2 不超过15万元" }]"#,
        r#"cap = [{ effective_from = "2015-01-01", value = "150000.00" }, { effective_from = "2020-04-15", value = "200000.00", source = "财金〔2020〕21号" }]"#,
    );
    let e = Engine::new(&Policy::from_toml_str(&text).unwrap());
    let before = LoanApplication {
        application_date: Some("2020-04-14".parse().unwrap()),
        ..loan("250000")
    };
    let after = LoanApplication {
        application_date: Some("2020-04-15".parse().unwrap()),
        ..loan("250000")
    };
    assert_eq!(
        e.decide(
            jiuye_fupin::rules::guaranteed_loan::PROGRAM,
            &before,
            as_of()
        )
        .unwrap()
        .amount()
        .to_string(),
        "150000.00"
    );
    assert_eq!(
        e.decide(
            jiuye_fupin::rules::guaranteed_loan::PROGRAM,
            &after,
            as_of()
        )
        .unwrap()
        .amount()
        .to_string(),
        "200000.00"
    );
}

// ---------------------------------------------------------------- R7

fn center(level: CenterLevel, rent: &str, utilities: &str) -> StartupCenter {
    StartupCenter {
        level,
        year: Some(2020),
        claimed_rent: yuan(rent),
        claimed_utilities: yuan(utilities),
        ..StartupCenter::new("C1")
    }
}

#[test]
fn a_county_center_is_capped_at_200000_and_a_town_center_at_100000() {
    let e = engine();
    let paid = |c: &StartupCenter| {
        let d = e
            .decide(jiuye_fupin::rules::startup_center::PROGRAM, c, as_of())
            .unwrap();
        (d.amount().to_string(), d.reason_codes().to_string())
    };
    assert_eq!(
        paid(&center(CenterLevel::County, "150000", "50000")),
        ("200000.00".into(), String::new())
    );
    assert_eq!(
        paid(&center(CenterLevel::County, "150000", "50000.01")),
        ("200000.00".into(), "capped".into())
    );
    assert_eq!(
        paid(&center(CenterLevel::Town, "86000", "14000")),
        ("100000.00".into(), String::new())
    );
    assert_eq!(
        paid(&center(CenterLevel::Town, "86000", "14000.01")),
        ("100000.00".into(), "capped".into())
    );
    assert_eq!(
        paid(&center(CenterLevel::Town, "45000.125", "5000.13")),
        ("50000.26".into(), String::new())
    );
    assert_eq!(
        paid(&center(CenterLevel::Town, "0", "0")),
        ("0.00".into(), "no_claim".into())
    );
}

// ---------------------------------------------------------------- R9

fn holder() -> Laborer {
    Laborer {
        town: "龙亭镇".into(),
        village: "龙亭村".into(),
        ..Laborer::new("L1")
    }
}

fn assistants(town_posts: usize, village_posts: usize) -> Roster {
    let post = |i: usize, village: Option<&str>| Post {
        town: "龙亭镇".into(),
        village: village.map(str::to_owned),
        post_kind: PostKind::EpidemicAssistant,
        holder_id: "L1".into(),
        ..Post::new(format!("P{i}"))
    };
    let posts = (0..town_posts)
        .map(|i| post(i, None))
        .chain((0..village_posts).map(|i| post(100 + i, Some("龙亭村"))))
        .collect();
    Roster::new(vec![holder()], vec![], posts).unwrap()
}

fn quota_findings(r: &Roster) -> Vec<(FindingKind, String)> {
    kinds(&engine().audit(r, as_of()))
}

#[test]
fn a_town_office_with_4_or_6_assistants_is_within_quota_and_3_or_7_is_not() {
    let village_ok = 1;
    assert_eq!(quota_findings(&assistants(4, village_ok)), []);
    assert_eq!(quota_findings(&assistants(6, village_ok)), []);
    assert_eq!(
        quota_findings(&assistants(3, village_ok)),
        [(FindingKind::QuotaUnder, "龙亭镇".into())]
    );
    assert_eq!(
        quota_findings(&assistants(7, village_ok)),
        [(FindingKind::QuotaOver, "龙亭镇".into())]
    );
}

#[test]
fn quotas_are_audited_only_inside_their_window() {
    let r = assistants(3, 1);
    let e = engine();
    for (as_of, findings) in [
        ("2020-01-24", 0),
        ("2020-01-25", 1),
        ("2020-12-31", 1),
        ("2021-01-01", 0),
    ] {
        let f = e.audit(&r, as_of.parse().unwrap());
        let quota = f
            .iter()
            .filter(|f| f.kind == FindingKind::QuotaUnder)
            .count();
        assert_eq!(quota, findings, "{as_of}");
        // Outside the window the engine says quotas were not audited (the audit example
        // prints so), so that no quota finding is not taken for a clean bill.
        let as_of = as_of.parse().unwrap();
        assert_eq!(e.audits_quotas(as_of), findings == 1, "{as_of}");
    }
}

#[test]
fn a_quota_whose_max_is_below_its_min_is_refused_on_load() {
    let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML
        .replace("{ min = 4, max = 6 }", "{ min = 6, max = 4 }");
    let e = Policy::from_toml_str(&text).unwrap_err().to_string();
    assert!(
        e.contains("assistant_quota.town") && e.contains("below min"),
        "{e}"
    );
}

#[test]
fn a_village_needs_exactly_one_assistant() {
    assert_eq!(
        quota_findings(&assistants(5, 0)),
        [(FindingKind::QuotaUnder, "龙亭镇/龙亭村".into())]
    );
    assert_eq!(
        quota_findings(&assistants(5, 2)),
        [(FindingKind::QuotaOver, "龙亭镇/龙亭村".into())]
    );
    let f = engine().audit(&assistants(5, 2), as_of());
    assert_eq!(
        f[0].evidence,
        Evidence::Quota {
            posts: 2,
            min: 1,
            max: 1
        }
    );
}

#[test]
fn public_welfare_posts_do_not_count_toward_the_assistant_quota() {
    let mut posts: Vec<Post> = assistants(4, 1).posts().to_vec();
    posts.push(Post {
        post_kind: PostKind::PublicWelfare,
        ..posts[0].clone()
    });
    posts.last_mut().unwrap().id = "PW".into();
    let r = Roster::new(vec![holder()], vec![], posts).unwrap();
    assert_eq!(quota_findings(&r), []);
}

#[test]
fn candidates_are_poor_willing_hubei_returnees_who_cannot_go_out_priority_groups_first() {
    let base = Laborer {
        poverty_status: PovertyStatus::Lifted,
        willing_to_work: true,
        hubei_returnee: true,
        ..Laborer::new("")
    };
    let l = |id: &str, f: &dyn Fn(&mut Laborer)| {
        let mut l = Laborer {
            id: id.into(),
            ..base.clone()
        };
        f(&mut l);
        l
    };
    let laborers = vec![
        l("A", &|_| {}),
        l("B", &|l| l.zero_employment_household = true),
        l("C", &|l| l.work_destination = WorkDestination::OutOfCounty),
        l("D", &|l| l.willing_to_work = false),
        l("E", &|l| l.poverty_status = PovertyStatus::None),
        l("F", &|l| l.hubei_returnee = false),
        l("G", &|_| {}),
        l("H", &|_| {}),
    ];
    let post = Post {
        holder_id: "H".into(),
        ..Post::new("P")
    };
    let r = Roster::new(laborers, vec![], vec![post]).unwrap();
    let ids: Vec<&str> = assistant_quota::candidates(&r)
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(ids, ["B", "A", "G"]);
}

// ---------------------------------------------------------------- R10

fn compliance(month: PostMonth, months_paid: u32) -> Vec<(FindingKind, String)> {
    let post = Post {
        holder_id: "L1".into(),
        monthly_wage: yuan("1500.00"),
        months_paid,
        ..Post::new("P1")
    };
    let r = Roster::new(vec![Laborer::new("L1")], vec![], vec![post])
        .unwrap()
        .with_post_months(vec![month])
        .unwrap();
    let f = engine().audit(&r, as_of());
    f.iter()
        .filter(|f| f.kind.rule() == "R10")
        .map(|f| (f.kind, f.subject_id.clone()))
        .collect()
}

fn good_month() -> PostMonth {
    PostMonth {
        days_worked: 21,
        signed_by: Some("L1".into()),
        wage_paid: yuan("1500.00"),
        paid_on: Some("2020-04-10".parse().unwrap()),
        ..PostMonth::new("P1", "2020-03".parse().unwrap())
    }
}

#[test]
fn a_month_worked_signed_and_paid_in_full_on_time_has_no_finding() {
    assert_eq!(compliance(good_month(), 1), []);
}

#[test]
fn a_wage_paid_on_the_15th_is_on_time_and_on_the_16th_is_late() {
    let on = PostMonth {
        paid_on: Some("2020-04-15".parse().unwrap()),
        ..good_month()
    };
    let late = PostMonth {
        paid_on: Some("2020-04-16".parse().unwrap()),
        ..good_month()
    };
    let undated = PostMonth {
        paid_on: None,
        ..good_month()
    };
    assert_eq!(compliance(on, 1), []);
    assert_eq!(compliance(late, 1), [(FindingKind::WageLate, "P1".into())]);
    assert_eq!(
        compliance(undated, 1),
        [(FindingKind::WageLate, "P1".into())]
    );
}

#[test]
fn a_wage_one_fen_short_is_not_paid_in_full() {
    let short = PostMonth {
        wage_paid: yuan("1499.99"),
        ..good_month()
    };
    assert_eq!(
        compliance(short, 1),
        [(FindingKind::WageShort, "P1".into())]
    );
    let more = PostMonth {
        wage_paid: yuan("1500.01"),
        ..good_month()
    };
    assert_eq!(compliance(more, 1), []);
}

#[test]
fn a_paid_month_with_no_day_worked_is_a_ghost_post() {
    let ghost = PostMonth {
        days_worked: 0,
        ..good_month()
    };
    assert_eq!(
        compliance(ghost, 1),
        [(FindingKind::GhostPost, "P1".into())]
    );
    let unpaid_idle = PostMonth {
        days_worked: 0,
        wage_paid: Yuan::ZERO,
        paid_on: None,
        ..good_month()
    };
    assert_eq!(
        compliance(unpaid_idle, 1),
        [(FindingKind::WageShort, "P1".into())]
    );
}

#[test]
fn attendance_signed_by_someone_else_is_a_substitute() {
    let sub = PostMonth {
        signed_by: Some("L9".into()),
        ..good_month()
    };
    let f = compliance(sub, 1);
    assert_eq!(f, [(FindingKind::Substitute, "P1".into())]);
}

#[test]
fn more_months_paid_than_recorded_is_an_unrecorded_month() {
    assert_eq!(
        compliance(good_month(), 2),
        [(FindingKind::UnrecordedMonth, "P1".into())]
    );
}

/// L1 holding posts P1 and P2 (a wage of 1500, 1 month paid each), with these records.
fn l1_on_p1_and_p2(records: Vec<PostMonth>) -> Roster {
    let post = |id: &str| Post {
        holder_id: "L1".into(),
        monthly_wage: yuan("1500"),
        months_paid: 1,
        ..Post::new(id)
    };
    Roster::new(
        vec![Laborer::new("L1")],
        vec![],
        vec![post("P1"), post("P2")],
    )
    .unwrap()
    .with_post_months(records)
    .unwrap()
}

/// A good record of `post_id` for month `m`.
fn record(post_id: &str, m: &str) -> PostMonth {
    PostMonth {
        post_id: post_id.into(),
        month: m.parse().unwrap(),
        ..good_month()
    }
}

#[test]
fn one_person_on_two_posts_in_the_same_month_is_one_finding_naming_both() {
    let r = l1_on_p1_and_p2(vec![record("P1", "2020-03"), record("P2", "2020-03")]);
    let f: Vec<Finding> = engine()
        .audit(&r, as_of())
        .into_iter()
        .filter(|f| f.kind.rule() == "R10")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].kind, f[0].person_id.as_deref()),
        (FindingKind::MultiplePosts, Some("L1"))
    );
    assert_eq!(
        f[0].evidence,
        Evidence::MultiplePosts {
            posts: vec!["P1".into(), "P2".into()]
        }
    );
    let apart = l1_on_p1_and_p2(vec![record("P1", "2020-03"), record("P2", "2020-04")]);
    assert!(
        engine()
            .audit(&apart, as_of())
            .iter()
            .all(|f| f.kind != FindingKind::MultiplePosts)
    );
}

#[test]
fn a_holder_who_is_not_among_the_laborers_is_decided_not_poor_and_audited_as_any_other() {
    // X9 holds P1 and P2 (written `Ｘ9 ` the second time: the same person, POLICY.md reading
    // 12) and is not in the laborers' list: valid input, as the baselines read it.
    let post = |id: &str, holder: &str| Post {
        employer_kind: EmployerKind::School,
        holder_id: holder.into(),
        monthly_wage: yuan("1500"),
        months_paid: 2,
        ..Post::new(id)
    };
    let ghost = PostMonth {
        days_worked: 0,
        signed_by: Some("X9".into()),
        ..record("P1", "2020-03")
    };
    let signed_by_x9 = PostMonth {
        signed_by: Some("Ｘ9".into()),
        ..record("P2", "2020-03")
    };
    let r = Roster::new(vec![], vec![], vec![post("P1", "X9"), post("P2", "Ｘ9 ")])
        .unwrap()
        .with_post_months(vec![ghost, signed_by_x9])
        .unwrap();
    let e = engine();
    let ev = e.evaluate(&r, as_of()).unwrap();
    let r8: Vec<_> = (ev.decisions.iter())
        .map(|d| (d.subject_id, d.is_eligible(), d.reason_codes().to_string()))
        .collect();
    let not_poor = |p| (p, false, "holder_not_poor".to_owned());
    assert_eq!(r8, [not_poor("P1"), not_poor("P2")]);
    let f: Vec<_> = (e.audit(&r, as_of()).into_iter())
        .filter(|f| f.kind.rule() == "R10")
        .map(|f| (f.kind, f.subject_id, f.person_id))
        .collect();
    let x9 = || Some("X9".to_owned());
    assert_eq!(
        f,
        [
            (FindingKind::GhostPost, "P1".into(), x9()),
            (FindingKind::MultiplePosts, "P1".into(), x9()),
            (FindingKind::UnrecordedMonth, "P1".into(), x9()),
            (FindingKind::UnrecordedMonth, "P2".into(), x9()),
        ]
    );
    // From the files, with no laborers.csv at all: decided and audited alike.
    let posts = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,school,某小学,龙亭镇,,public_welfare,X9,1500,2\n";
    let months =
        "post_id,month,days_worked,signed_by,wage_paid,paid_on\nP1,2020-03,0,X9,1500,2020-04-10\n";
    let files = RosterFiles {
        posts: Some(posts.as_bytes()),
        post_months: Some(months.as_bytes()),
        ..Default::default()
    };
    let from_files = parse_roster_files(&files).unwrap();
    let f = kinds(&e.audit(&from_files, as_of()));
    assert!(f.contains(&(FindingKind::GhostPost, "P1".into())), "{f:?}");
}

#[test]
fn a_month_in_which_r10_is_not_in_force_yields_no_multiple_posts_either() {
    // R10 in force from 2020-02-01 only: January's records are not audited (POLICY.md
    // reading 8), so one person on two posts in January is no finding; in March it is.
    let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace(
        r#"payment_deadline_day = [{ effective_from = "2015-01-01","#,
        r#"payment_deadline_day = [{ effective_from = "2020-02-01","#,
    );
    let e = Engine::new(&Policy::from_toml_str(&text).unwrap());
    let r = l1_on_p1_and_p2(vec![
        record("P1", "2020-01"),
        record("P2", "2020-01"),
        record("P1", "2020-03"),
        record("P2", "2020-03"),
    ]);
    let f: Vec<(FindingKind, Option<String>)> = e
        .audit(&r, as_of())
        .into_iter()
        .filter(|f| f.kind.rule() == "R10")
        .map(|f| (f.kind, f.month.map(|m| m.to_string())))
        .collect();
    assert_eq!(
        f,
        [(FindingKind::MultiplePosts, Some("2020-03".to_owned()))]
    );
    // January's two records were not audited: the engine counts them, so that a report says
    // so instead of passing the audit off as a clean bill (the audit example prints it).
    assert_eq!(e.months_not_audited(&r), 2);
    assert_eq!(engine().months_not_audited(&r), 0);
}

#[test]
fn the_sample_has_one_case_of_each_r10_violation() {
    let f = engine().audit(&sample::roster(), as_of());
    for kind in [
        FindingKind::GhostPost,
        FindingKind::Substitute,
        FindingKind::MultiplePosts,
        FindingKind::WageShort,
        FindingKind::WageLate,
        FindingKind::UnrecordedMonth,
        FindingKind::QuotaUnder,
        FindingKind::QuotaOver,
    ] {
        assert!(f.iter().any(|x| x.kind == kind), "{kind}");
    }
    let r10 = f.iter().filter(|x| x.kind.rule() == "R10").count();
    assert_eq!(r10, 6, "one of each R10 kind");
}

// ---------------------------------------------------------------- CSV errors of the new files

#[test]
fn the_new_files_report_bad_cells_and_unknown_references_by_file_line_column_and_value() {
    let laborers = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date\nL1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,none,,,,,false,\n";
    let posts = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,town_office,龙亭镇人民政府,龙亭镇,,epidemic_assistant,L1,1500,1\n";
    let err = |f: RosterFiles<'_>| parse_roster_files(&f).unwrap_err().to_string();
    let base = RosterFiles {
        laborers: Some(laborers.as_bytes()),
        posts: Some(posts.as_bytes()),
        ..Default::default()
    };
    // An applicant who is not among the laborers is decided as any other (R4 asks nothing
    // of the person), and the ledger places the decision at the county level.
    let loans = "laborer_id,meets_guarantee_conditions,business_started,requested_amount,application_date\nL2,true,true,1000,\n";
    let r = parse_roster_files(&RosterFiles {
        loan_applications: Some(loans.as_bytes()),
        ..base
    })
    .unwrap();
    let (_, applicant) = r.loans_with_applicants().next().unwrap();
    assert_eq!(applicant, None);
    let ledger = Ledger::build(&engine(), &r, as_of()).unwrap();
    let county = ledger.towns.iter().find(|t| t.town.is_empty()).unwrap();
    let line = &county.villages[0].others[0];
    assert_eq!(
        (line.subject_id.as_str(), line.amount()),
        ("L2", yuan("1000"))
    );
    assert_eq!(
        ledger.totals,
        engine().evaluate(&r, as_of()).unwrap().totals
    );
    let loans = "laborer_id,meets_guarantee_conditions,business_started,requested_amount,application_date\nL1,true,true,-5,\n";
    assert_eq!(
        err(RosterFiles {
            loan_applications: Some(loans.as_bytes()),
            ..base
        }),
        "loan_applications.csv line 2, column requested_amount: \"-5\" is negative"
    );
    let centers =
        "id,name,level,town,year,claimed_rent,claimed_utilities\nC1,x,province,,2020,1,1\n";
    assert_eq!(
        err(RosterFiles {
            startup_centers: Some(centers.as_bytes()),
            ..base
        }),
        "startup_centers.csv line 2, column level: \"province\" is not one of: county, town"
    );
    let centers = "id,name,level,town,year,claimed_rent,claimed_utilities\nC1,x,town,,20,1,1\n";
    assert_eq!(
        err(RosterFiles {
            startup_centers: Some(centers.as_bytes()),
            ..base
        }),
        "startup_centers.csv line 2, column year: \"20\" is not a year (YYYY)"
    );
    let months = "post_id,month,days_worked,signed_by,wage_paid,paid_on\nP1,2020-13,1,L1,1500,\n";
    assert_eq!(
        err(RosterFiles {
            post_months: Some(months.as_bytes()),
            ..base
        }),
        "post_months.csv line 2, column month: \"2020-13\" is not a month (YYYY-MM)"
    );
    let months = "post_id,month,days_worked,signed_by,wage_paid,paid_on\nP9,2020-03,1,L1,1500,\n";
    assert_eq!(
        err(RosterFiles {
            post_months: Some(months.as_bytes()),
            ..base
        }),
        "post_months.csv line 2, column post_id: \"P9\" is not an id in posts.csv"
    );
    let months = "post_id,month,days_worked,signed_by,wage_paid,paid_on\nP1,2020-03,1,L1,1500,\nP1,2020-03,2,L1,1500,\n";
    assert_eq!(
        err(RosterFiles {
            post_months: Some(months.as_bytes()),
            ..base
        }),
        "post_months.csv line 3, column month: \"2020-03\" appears twice (first on line 2)"
    );
}

// ---------------------------------------------------------------- the ledger

fn status(i: u8) -> PovertyStatus {
    [
        PovertyStatus::RemainingPoor,
        PovertyStatus::Lifted,
        PovertyStatus::None,
    ][usize::from(i % 3)]
}

prop_compose! {
    fn roster()(
        people in proptest::collection::vec((0u8..3, 0u8..3, 0u8..4, 0u8..3, 0u32..2000, 0u32..10, any::<bool>()), 1..40),
        posts in proptest::collection::vec((0usize..40, 0u8..5, 0u8..3, 0u32..3000, 0u32..13), 0..10),
        enterprises in proptest::collection::vec((0u8..3, 0u32..100_000, any::<bool>(), 0u32..9), 0..5),
        centers in proptest::collection::vec((any::<bool>(), 0u8..3, 0u32..300_000), 0..4),
    ) -> Roster {
        let towns = ["龙亭镇", "谢村镇", ""];
        let laborers: Vec<Laborer> = people.iter().enumerate().map(|(i, &(t, v, h, s, cost, days, out))| Laborer {
            town: towns[usize::from(t)].into(),
            village: format!("村{v}"),
            household_id: format!("H{t}{h}"),
            poverty_status: status(s),
            able_to_work: true,
            work_destination: if out { WorkDestination::OutOfCounty } else { WorkDestination::InCounty },
            transport_cost: Some(Yuan::from_fen(cost * 10)),
            isolation_days: days,
            ..Laborer::new(format!("L{i}"))
        }).collect();
        let n = laborers.len();
        let posts: Vec<Post> = posts.iter().enumerate().map(|(i, &(h, k, t, wage, months))| Post {
            employer_kind: [jiuye_fupin::model::EmployerKind::TownOffice, jiuye_fupin::model::EmployerKind::School,
                jiuye_fupin::model::EmployerKind::HealthCenter, jiuye_fupin::model::EmployerKind::Village,
                jiuye_fupin::model::EmployerKind::Other][usize::from(k)],
            town: towns[usize::from(t)].into(),
            village: (k == 3).then(|| "村1".to_owned()),
            holder_id: format!("L{}", h % n),
            monthly_wage: Yuan::from_fen(wage * 100 + 7),
            months_paid: months,
            ..Post::new(format!("P{i}"))
        }).collect();
        let enterprises = enterprises.iter().enumerate().map(|(i, &(t, paid, hardship, months))| jiuye_fupin::model::Enterprise {
            town: towns[usize::from(t)].into(),
            ui_insured: true,
            ui_insured_months: 24,
            insured_headcount: 10,
            prior_year_ui_paid: Yuan::from_fen(paid * 100 + 5),
            hardship,
            deferral_months_requested: months,
            monthly_pension_premium: Yuan::from_fen(123_456),
            ..jiuye_fupin::model::Enterprise::new(format!("E{i}"))
        }).collect();
        let centers = centers.iter().enumerate().map(|(i, &(county, t, rent))| StartupCenter {
            level: if county { CenterLevel::County } else { CenterLevel::Town },
            town: towns[usize::from(t)].into(),
            year: Some(2020),
            claimed_rent: Yuan::from_fen(rent * 100 + 3),
            ..StartupCenter::new(format!("C{i}"))
        }).collect();
        let loans = (0..n).step_by(3).map(|i| LoanApplication {
            meets_guarantee_conditions: true,
            business_started: i % 2 == 0,
            requested_amount: Yuan::from_fen(u32::try_from(i).unwrap() * 1_000_000 + 1),
            ..LoanApplication::new(format!("L{i}"))
        }).collect();
        Roster::new(laborers, enterprises, posts).unwrap()
            .with_loans(loans).unwrap()
            .with_centers(centers).unwrap()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_level_of_the_ledger_sums_exactly_to_its_children_and_loses_no_decision(r in roster()) {
        let e = engine();
        let ledger = Ledger::build(&e, &r, as_of()).unwrap();
        let eval = e.evaluate(&r, as_of()).unwrap();
        prop_assert_eq!(&ledger.totals, &eval.totals);
        let mut towns = jiuye_fupin::report::Totals::new(jiuye_fupin::RuleSet::yang_county_2020().programs());
        for t in &ledger.towns {
            towns.merge(&t.totals).unwrap();
            let mut villages = jiuye_fupin::report::Totals::new(jiuye_fupin::RuleSet::yang_county_2020().programs());
            for v in &t.villages {
                villages.merge(&v.totals).unwrap();
                let mut parts = jiuye_fupin::report::Totals::new(jiuye_fupin::RuleSet::yang_county_2020().programs());
                for h in &v.households {
                    parts.merge(&h.totals).unwrap();
                    let mut people = jiuye_fupin::report::Totals::new(jiuye_fupin::RuleSet::yang_county_2020().programs());
                    for p in &h.people {
                        people.merge(&p.totals).unwrap();
                        let mut lines = jiuye_fupin::report::Totals::new(jiuye_fupin::RuleSet::yang_county_2020().programs());
                        for l in &p.lines {
                            lines.add_amount(l.program, l.is_eligible(), l.amount()).unwrap();
                        }
                        prop_assert_eq!(&lines, &p.totals);
                    }
                    prop_assert_eq!(&people, &h.totals);
                }
                for l in &v.others {
                    parts.add_amount(l.program, l.is_eligible(), l.amount()).unwrap();
                }
                prop_assert_eq!(&parts, &v.totals);
            }
            prop_assert_eq!(&villages, &t.totals);
        }
        prop_assert_eq!(&towns, &ledger.totals);
    }
}

#[test]
fn the_ledger_of_the_sample_places_every_person_in_their_household() {
    let r = sample::roster();
    let ledger = Ledger::build(&engine(), &r, as_of()).unwrap();
    let people: usize = ledger
        .towns
        .iter()
        .flat_map(|t| &t.villages)
        .flat_map(|v| &v.households)
        .map(|h| h.people.len())
        .sum();
    assert_eq!(people, r.laborers().len());
    let zh = ledger.render(jiuye_fupin::Lang::Zh).to_string();
    assert!(
        zh.contains("户 YX-H01") && zh.contains("[重点人群]") && zh.contains("县级"),
        "{zh}"
    );
}

#[test]
fn days_worked_are_a_count_and_no_calendar_bound_refuses_a_record() {
    // POLICY.md reading 6: a count is valid input when it is a whole number >= 0, and
    // nothing more is asked of `days_worked` (reading 2 names the one extra bound, layoffs
    // against headcount): 31 days in April is read and audited as written.
    let laborers = "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date\nL1,H1,龙亭镇,龙亭村,lifted,true,true,false,false,false,none,,,,,false,\n";
    let posts = "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\nP1,school,某小学,龙亭镇,,public_welfare,L1,1500,1\n";
    let months =
        "post_id,month,days_worked,signed_by,wage_paid,paid_on\nP1,2020-04,31,L2,1500,2020-05-10\n";
    let r = parse_roster_files(&RosterFiles {
        laborers: Some(laborers.as_bytes()),
        posts: Some(posts.as_bytes()),
        post_months: Some(months.as_bytes()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(r.post_months()[0].days_worked, 31);
    let f = kinds(&engine().audit(&r, as_of()));
    assert!(f.contains(&(FindingKind::Substitute, "P1".into())), "{f:?}");
}

#[test]
fn a_post_months_file_with_its_header_alone_audits_every_paid_month_and_no_file_audits_none() {
    use jiuye_fupin::io::{RosterFiles, parse_roster_files};
    let files = |post_months| RosterFiles {
        laborers: Some(sample::LABORERS_CSV.as_bytes()),
        posts: Some(sample::POSTS_CSV.as_bytes()),
        post_months,
        ..RosterFiles::default()
    };
    let header = b"post_id,month,days_worked,signed_by,wage_paid,paid_on\n";
    let with_header = parse_roster_files(&files(Some(header))).unwrap();
    assert!(with_header.has_post_months());
    let f = engine().audit(&with_header, as_of());
    let unrecorded = f
        .iter()
        .filter(|f| f.kind == FindingKind::UnrecordedMonth)
        .count();
    let paid = with_header
        .posts()
        .iter()
        .filter(|p| p.months_paid > 0)
        .count();
    assert_eq!(unrecorded, paid);
    assert!(paid > 0);
    let without = parse_roster_files(&files(None)).unwrap();
    assert!(!without.has_post_months());
    let f = engine().audit(&without, as_of());
    assert!(f.iter().all(|f| f.kind.rule() == "R9"), "{f:?}");
}

/// `findings.csv` in either language: the same codes, places, people and months, read back
/// by the `csv` crate; only `detail`, the evidence, is in the language asked for.
#[test]
fn findings_csv_says_its_evidence_in_the_chosen_language() {
    use jiuye_fupin::Lang;
    use jiuye_fupin::io::write_findings_in;
    let findings = engine().audit(&sample::roster(), as_of());
    assert!(!findings.is_empty());
    let rows = |lang| {
        let mut out = Vec::new();
        write_findings_in(&mut out, &findings, lang).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        (r.records())
            .map(|row| row.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let (zh, en) = (rows(Lang::Zh), rows(Lang::En));
    assert_eq!(zh.len(), findings.len());
    for ((z, e), f) in zh.iter().zip(&en).zip(&findings) {
        assert_eq!(z[..5], e[..5]);
        assert_eq!(z[5], f.evidence.render(Lang::Zh).to_string());
        assert_eq!(e[5], f.evidence.render(Lang::En).to_string());
    }
    assert!(
        zh.iter()
            .any(|z| z[5].chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
    );
}
