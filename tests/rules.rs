//! The article's own figures and every boundary of the six rules, named as sentences.
//! As-of date 2020-04-01, the Yang County 2020 preset.

mod common;

use common::{Builtin, as_of};
use jiuye_fupin::model::{EmployerKind, Enterprise, Laborer, Post, PovertyStatus, WorkDestination};
use jiuye_fupin::money::Yuan;
use jiuye_fupin::rules::{
    common as shared, guaranteed_loan, isolation, post_subsidy, premium_deferral, startup_grant,
    transport, ui_refund,
};
use jiuye_fupin::{Decision, Engine, Lang, Policy, Reason};

fn engine() -> Engine {
    Engine::new(&Policy::yang_county_2020())
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    Some(s.parse().unwrap())
}

fn yuan(s: &str) -> Yuan {
    Yuan::parse(s).unwrap()
}

/// A lifted-out laborer, able, working out of the county, departed 2020-03-01, 300.00.
fn traveller() -> Laborer {
    Laborer {
        poverty_status: PovertyStatus::Lifted,
        able_to_work: true,
        willing_to_work: true,
        work_destination: WorkDestination::OutOfCounty,
        departure_date: date("2020-03-01"),
        transport_cost: Some(yuan("300.00")),
        ..Laborer::new("L1")
    }
}

/// An insured enterprise: 24 months, 100 employees, no layoffs, 10,000.00 paid, 2020-03-01.
fn enterprise() -> Enterprise {
    Enterprise {
        ui_insured: true,
        ui_insured_months: 24,
        prior_year_ui_paid: yuan("10000.00"),
        insured_headcount: 100,
        monthly_pension_premium: yuan("48000.00"),
        monthly_unemployment_premium: yuan("1500.00"),
        monthly_injury_premium: yuan("600.00"),
        application_date: date("2020-03-01"),
        ..Enterprise::new("E1")
    }
}

fn post() -> Post {
    Post {
        employer_kind: EmployerKind::TownOffice,
        holder_id: "L1".into(),
        monthly_wage: yuan("1500.00"),
        months_paid: 6,
        ..Post::new("P1")
    }
}

/// What a test looks at in a decision, owned.
#[derive(Debug)]
struct Out {
    eligible: bool,
    amount: String,
    codes: String,
    reasons: Vec<Reason>,
    date: chrono::NaiveDate,
    steps: Vec<String>,
    rule: String,
    clause: String,
    zh: String,
    en: String,
}

impl From<Decision<'_>> for Out {
    fn from(d: Decision<'_>) -> Out {
        Out {
            eligible: d.is_eligible(),
            amount: d.amount().to_string(),
            codes: d.reason_codes().to_string(),
            reasons: d.reasons().iter().collect(),
            date: d.date,
            steps: d
                .steps
                .iter()
                .map(|s| s.render(Lang::En).to_string())
                .collect(),
            rule: d.citation.rule.to_string(),
            clause: d.citation.clause.to_string(),
            zh: d.render(Lang::Zh).to_string(),
            en: d.render(Lang::En).to_string(),
        }
    }
}

fn paid(d: &Out) -> String {
    assert!(d.eligible, "expected eligible, got {d:?}");
    d.amount.clone()
}

fn reasons(d: &Out) -> Vec<Reason> {
    d.reasons.clone()
}

fn transport(l: Laborer) -> Out {
    engine().transport_subsidy(&l, as_of()).unwrap().into()
}

fn isolation(l: Laborer) -> Out {
    engine().isolation_allowance(&l, as_of()).unwrap().into()
}

fn grant(l: Laborer) -> Out {
    engine().startup_grant(&l, as_of()).unwrap().into()
}

fn refund(e: Enterprise) -> Out {
    engine().ui_refund(&e, as_of()).unwrap().into()
}

fn deferral(e: Enterprise) -> Out {
    engine().premium_deferral(&e, as_of()).unwrap().into()
}

fn subsidy(p: Post, holder: PovertyStatus) -> Out {
    engine().post_subsidy(&p, holder, as_of()).unwrap().into()
}

// ---------------------------------------------------------------- the article's figures

#[test]
fn the_article_pays_at_most_500_yuan_for_the_round_trip() {
    let l = Laborer {
        transport_cost: Some(yuan("1200.00")),
        ..traveller()
    };
    assert_eq!(paid(&transport(l)), "500.00");
}

#[test]
fn the_article_pays_20_yuan_a_day_for_7_days_of_isolation() {
    let l = Laborer {
        isolation_start: date("2020-02-10"),
        isolation_days: 7,
        ..traveller()
    };
    assert_eq!(paid(&isolation(l)), "140.00");
}

#[test]
fn the_article_raises_the_ui_refund_from_50_to_60_percent_in_the_epidemic() {
    let during = enterprise();
    let before = Enterprise {
        application_date: date("2019-12-31"),
        ..enterprise()
    };
    assert_eq!(paid(&refund(during)), "6000.00");
    assert_eq!(paid(&refund(before)), "5000.00");
}

#[test]
fn the_article_defers_premiums_for_at_most_6_months() {
    let e = Enterprise {
        hardship: true,
        deferral_months_requested: 9,
        ..enterprise()
    };
    let d = deferral(e);
    assert_eq!(paid(&d), "300600.00"); // 6 × (48,000 + 1,500 + 600)
    assert_eq!(d.codes.clone(), "capped");
}

#[test]
fn the_article_gives_a_one_time_5000_yuan_grant_for_a_store_in_the_county() {
    let l = Laborer {
        opened_store_in_county: true,
        store_opened_date: date("2020-05-05"),
        ..traveller()
    };
    assert_eq!(paid(&grant(l)), "5000.00");
}

#[test]
fn the_article_subsidises_60_percent_of_a_town_office_post() {
    assert_eq!(paid(&subsidy(post(), PovertyStatus::Lifted)), "5400.00");
}

// ---------------------------------------------------------------- R1 boundaries

#[test]
fn a_cost_exactly_at_the_cap_is_paid_in_full_and_not_capped() {
    let d = transport(Laborer {
        transport_cost: Some(yuan("500.00")),
        ..traveller()
    });
    assert_eq!(
        (paid(&d), d.codes.clone()),
        ("500.00".into(), String::new())
    );
}

#[test]
fn half_a_fen_over_the_cap_is_capped_before_rounding() {
    let d = transport(Laborer {
        transport_cost: Some(yuan("500.005")),
        ..traveller()
    });
    assert_eq!(
        (paid(&d), d.codes.clone()),
        ("500.00".into(), "capped".into())
    );
}

#[test]
fn one_fen_over_the_cap_is_capped() {
    let d = transport(Laborer {
        transport_cost: Some(yuan("500.01")),
        ..traveller()
    });
    assert_eq!(
        (paid(&d), d.codes.clone()),
        ("500.00".into(), "capped".into())
    );
}

#[test]
fn half_a_fen_under_the_cap_rounds_up_to_the_cap_without_being_capped() {
    let d = transport(Laborer {
        transport_cost: Some(yuan("499.995")),
        ..traveller()
    });
    assert_eq!(
        (paid(&d), d.codes.clone()),
        ("500.00".into(), String::new())
    );
}

#[test]
fn ties_round_half_away_from_zero_not_to_even() {
    for (cost, want) in [
        ("30.005", "30.01"),
        ("123.445", "123.45"),
        ("0.005", "0.01"),
        ("0.004", "0.00"),
    ] {
        let d = transport(Laborer {
            transport_cost: Some(yuan(cost)),
            ..traveller()
        });
        assert_eq!(paid(&d), want, "{cost}");
    }
}

#[test]
fn a_laborer_who_left_on_2020_01_24_the_day_before_the_window_gets_no_transport_subsidy() {
    let d = transport(Laborer {
        departure_date: date("2020-01-24"),
        ..traveller()
    });
    assert_eq!(reasons(&d), [shared::OUTSIDE_WINDOW]);
}

#[test]
fn the_first_and_last_days_of_the_window_are_inside_it() {
    for day in ["2020-01-25", "2020-12-31"] {
        assert_eq!(
            paid(&transport(Laborer {
                departure_date: date(day),
                ..traveller()
            })),
            "300.00"
        );
    }
}

#[test]
fn a_laborer_who_left_on_2021_01_01_the_day_after_the_window_gets_no_transport_subsidy() {
    let d = transport(Laborer {
        departure_date: date("2021-01-01"),
        ..traveller()
    });
    assert_eq!(reasons(&d), [shared::OUTSIDE_WINDOW]);
}

#[test]
fn a_record_with_no_departure_date_is_dated_on_the_as_of_date() {
    let d = transport(Laborer {
        departure_date: None,
        ..traveller()
    });
    assert_eq!((paid(&d), d.date), ("300.00".into(), as_of()));
    let l = Laborer {
        departure_date: None,
        ..traveller()
    };
    let late: Out = engine()
        .transport_subsidy(&l, "2021-02-01".parse().unwrap())
        .unwrap()
        .into();
    assert_eq!(reasons(&late), [shared::OUTSIDE_WINDOW]);
}

#[test]
fn an_ineligible_laborer_gets_every_unmet_condition_in_policy_order() {
    let l = Laborer {
        poverty_status: PovertyStatus::None,
        able_to_work: false,
        work_destination: WorkDestination::InCounty,
        transport_cost: None,
        departure_date: date("2021-01-01"),
        ..traveller()
    };
    let d = transport(l);
    assert_eq!(
        d.codes.clone(),
        "not_poor;unable_to_work;not_out_of_county;no_transport_cost;outside_window"
    );
    let zh = d.zh.clone();
    assert!(
        zh.contains("非建档立卡贫困劳动力") && zh.contains("不在政策执行期内"),
        "{zh}"
    );
    let en = d.en.clone();
    assert!(
        en.contains("not a registered poor laborer") && en.contains("outside the policy window"),
        "{en}"
    );
}

#[test]
fn a_cost_of_zero_is_no_documented_cost() {
    let d = transport(Laborer {
        transport_cost: Some(yuan("0.00")),
        ..traveller()
    });
    assert_eq!(reasons(&d), [transport::NO_TRANSPORT_COST]);
}

#[test]
fn a_remaining_poor_laborer_qualifies_like_a_lifted_one() {
    let d = transport(Laborer {
        poverty_status: PovertyStatus::RemainingPoor,
        ..traveller()
    });
    assert_eq!(paid(&d), "300.00");
}

// ---------------------------------------------------------------- R2 boundaries

#[test]
fn day_7_is_paid_in_full_and_day_8_is_not_paid() {
    let day = |n| {
        isolation(Laborer {
            isolation_start: date("2020-02-10"),
            isolation_days: n,
            ..traveller()
        })
    };
    assert_eq!(
        (paid(&day(7)), day(7).codes.clone()),
        ("140.00".into(), String::new())
    );
    assert_eq!(
        (paid(&day(8)), day(8).codes.clone()),
        ("140.00".into(), "capped".into())
    );
    assert_eq!(paid(&day(1)), "20.00");
    assert_eq!(reasons(&day(0)), [isolation::NOT_ISOLATED]);
}

#[test]
fn isolation_starting_on_either_edge_of_the_window_is_paid_and_a_day_outside_is_not() {
    let start = |s| {
        isolation(Laborer {
            isolation_start: date(s),
            isolation_days: 3,
            ..traveller()
        })
    };
    assert_eq!(paid(&start("2020-01-25")), "60.00");
    assert_eq!(paid(&start("2020-12-31")), "60.00");
    assert_eq!(reasons(&start("2020-01-24")), [shared::OUTSIDE_WINDOW]);
    assert_eq!(reasons(&start("2021-01-01")), [shared::OUTSIDE_WINDOW]);
}

#[test]
fn a_county_that_pays_only_a_full_stay_refuses_six_days() {
    let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace(
        "full_period_only = [{ effective_from = \"2015-01-01\", value = false }]",
        "full_period_only = [{ effective_from = \"2015-01-01\", value = true }]",
    );
    let strict = Engine::new(&Policy::from_toml_str(&text).unwrap());
    let l = |n| Laborer {
        isolation_start: date("2020-02-10"),
        isolation_days: n,
        ..traveller()
    };
    let none: Out = strict.isolation_allowance(&l(0), as_of()).unwrap().into();
    assert_eq!(
        reasons(&none),
        [isolation::NOT_ISOLATED],
        "no day is not an incomplete stay"
    );
    let (six, seven) = (l(6), l(7));
    let six: Out = strict.isolation_allowance(&six, as_of()).unwrap().into();
    assert_eq!(reasons(&six), [isolation::INCOMPLETE_ISOLATION]);
    let seven: Out = strict.isolation_allowance(&seven, as_of()).unwrap().into();
    assert_eq!(paid(&seven), "140.00");
}

// ---------------------------------------------------------------- R3 boundaries

#[test]
fn a_fresh_graduate_who_is_not_poor_gets_the_grant_and_someone_who_is_neither_does_not() {
    let store = |poor, graduate| Laborer {
        poverty_status: if poor {
            PovertyStatus::Lifted
        } else {
            PovertyStatus::None
        },
        fresh_graduate: graduate,
        opened_store_in_county: true,
        store_opened_date: date("2020-12-31"),
        ..traveller()
    };
    assert_eq!(paid(&grant(store(false, true))), "5000.00");
    assert_eq!(
        reasons(&grant(store(false, false))),
        [startup_grant::NOT_POOR_OR_GRADUATE]
    );
    let outside = Laborer {
        store_opened_date: date("2021-01-01"),
        ..store(true, false)
    };
    assert_eq!(reasons(&grant(outside)), [shared::OUTSIDE_WINDOW]);
    let no_store = Laborer {
        opened_store_in_county: false,
        ..store(true, false)
    };
    assert_eq!(
        reasons(&grant(no_store)),
        [startup_grant::NO_STORE_IN_COUNTY]
    );
}

// ---------------------------------------------------------------- R5 boundaries

#[test]
fn a_layoff_rate_of_exactly_5_5_percent_is_few_layoffs_and_6_percent_is_not() {
    let e = |head, lay| Enterprise {
        insured_headcount: head,
        layoffs: lay,
        ..enterprise()
    };
    assert_eq!(paid(&refund(e(200, 11))), "6000.00");
    assert_eq!(paid(&refund(e(1000, 55))), "6000.00");
    assert_eq!(reasons(&refund(e(200, 12))), [ui_refund::TOO_MANY_LAYOFFS]);
}

#[test]
fn thirty_employees_may_lay_off_20_percent_but_thirty_one_may_not() {
    let e = |head, lay| Enterprise {
        insured_headcount: head,
        layoffs: lay,
        ..enterprise()
    };
    assert_eq!(paid(&refund(e(30, 6))), "6000.00");
    assert_eq!(reasons(&refund(e(30, 7))), [ui_refund::TOO_MANY_LAYOFFS]);
    assert_eq!(reasons(&refund(e(31, 6))), [ui_refund::TOO_MANY_LAYOFFS]);
    assert_eq!(paid(&refund(e(5, 1))), "6000.00");
    assert_eq!(paid(&refund(e(0, 0))), "6000.00");
}

#[test]
fn eleven_months_of_insurance_are_too_few_and_twelve_are_enough() {
    let e = |m| Enterprise {
        ui_insured_months: m,
        ..enterprise()
    };
    assert_eq!(reasons(&refund(e(11))), [ui_refund::INSURED_TOO_SHORT]);
    assert_eq!(paid(&refund(e(12))), "6000.00");
}

#[test]
fn the_refund_rate_switches_on_both_window_edges() {
    let e = |d: &str, paid_last_year: &str| Enterprise {
        application_date: date(d),
        prior_year_ui_paid: yuan(paid_last_year),
        ..enterprise()
    };
    assert_eq!(paid(&refund(e("2020-01-24", "1000.01"))), "500.01"); // 500.005
    assert_eq!(paid(&refund(e("2020-01-25", "1000.01"))), "600.01"); // 600.006
    assert_eq!(paid(&refund(e("2020-12-31", "20000"))), "12000.00");
    assert_eq!(paid(&refund(e("2021-01-01", "20000"))), "10000.00");
    assert_eq!(paid(&refund(e("2020-03-01", "12345.675"))), "7407.41"); // POLICY.md's example
}

#[test]
fn an_enterprise_failing_every_r5_condition_gets_all_three_reasons() {
    let e = Enterprise {
        ui_insured: false,
        ui_insured_months: 0,
        layoffs: 50,
        ..enterprise()
    };
    assert_eq!(
        refund(e).codes.clone(),
        "not_insured;insured_too_short;too_many_layoffs"
    );
}

#[test]
fn the_refund_explains_the_rate_in_force_on_the_application_date() {
    let d = refund(Enterprise {
        prior_year_ui_paid: yuan("12345.675"),
        ..enterprise()
    });
    assert_eq!(
        d.steps,
        [
            "refund rate 0.6 × prior-year UI paid 12345.675 = 7407.405",
            "rounded half away from zero to 0.01: 7407.405 → 7407.41",
        ]
    );
    assert_eq!(d.rule, "R5");
    assert!(d.clause.contains("由上年度实际缴费的50%提高到60%"));
}

// ---------------------------------------------------------------- R6 boundaries

#[test]
fn six_months_are_deferred_in_full_and_a_seventh_is_not() {
    let e = |m| Enterprise {
        hardship: true,
        deferral_months_requested: m,
        ..enterprise()
    };
    assert_eq!(
        (paid(&deferral(e(6))), deferral(e(6)).codes.clone()),
        ("300600.00".into(), String::new())
    );
    assert_eq!(
        (paid(&deferral(e(7))), deferral(e(7)).codes.clone()),
        ("300600.00".into(), "capped".into())
    );
    assert_eq!(
        reasons(&deferral(e(0))),
        [premium_deferral::NO_MONTHS_REQUESTED]
    );
    let calm = Enterprise {
        hardship: false,
        deferral_months_requested: 0,
        ..enterprise()
    };
    assert_eq!(
        reasons(&deferral(calm)),
        [
            premium_deferral::NO_HARDSHIP,
            premium_deferral::NO_MONTHS_REQUESTED
        ]
    );
}

#[test]
fn a_county_that_sets_a_deferral_window_refuses_applications_outside_it() {
    let text = jiuye_fupin::policy::YANG_COUNTY_2020_TOML.replace(
        "max_months = [{ effective_from = \"2015-01-01\", value = 6, source = \"S2 最长6个月\" }]",
        "max_months = [{ effective_from = \"2015-01-01\", value = 6 }]\nwindow = [{ effective_from = \"2015-01-01\", value = { from = \"2020-02-01\", to = \"2020-12-31\" } }]",
    );
    let windowed = Engine::new(&Policy::from_toml_str(&text).unwrap());
    let e = |d: &str| Enterprise {
        hardship: true,
        deferral_months_requested: 6,
        application_date: date(d),
        ..enterprise()
    };
    let decide =
        |en: &Enterprise| -> Out { windowed.premium_deferral(en, as_of()).unwrap().into() };
    assert_eq!(paid(&decide(&e("2020-02-01"))), "300600.00");
    assert_eq!(paid(&decide(&e("2020-12-31"))), "300600.00");
    assert_eq!(reasons(&decide(&e("2020-01-31"))), [shared::OUTSIDE_WINDOW]);
    assert_eq!(reasons(&decide(&e("2021-01-01"))), [shared::OUTSIDE_WINDOW]);
    // Yang County sets none: any date is in.
    assert_eq!(paid(&deferral(e("2021-06-01"))), "300600.00");
}

#[test]
fn premiums_with_three_decimals_are_summed_exactly_and_rounded_once() {
    let e = Enterprise {
        hardship: true,
        deferral_months_requested: 1,
        monthly_pension_premium: yuan("1000.125"),
        monthly_unemployment_premium: yuan("31.25"),
        monthly_injury_premium: yuan("12.5"),
        ..enterprise()
    };
    assert_eq!(paid(&deferral(e)), "1043.88"); // 1043.875
}

#[test]
fn a_deferral_is_kept_apart_from_payouts() {
    use jiuye_fupin::{ProgramKind, RuleSet};
    assert_eq!(premium_deferral::PROGRAM.kind(), ProgramKind::Deferral);
    assert_eq!(guaranteed_loan::PROGRAM.kind(), ProgramKind::LoanCeiling);
    let rules = RuleSet::yang_county_2020();
    let payouts = rules.programs().filter(|p| p.kind() == ProgramKind::Payout);
    assert_eq!(payouts.count(), 6);
}

// ---------------------------------------------------------------- R8 boundaries

#[test]
fn only_town_offices_schools_and_health_centers_get_the_post_subsidy() {
    for (kind, eligible) in [
        (EmployerKind::TownOffice, true),
        (EmployerKind::School, true),
        (EmployerKind::HealthCenter, true),
        (EmployerKind::Village, false),
        (EmployerKind::Other, false),
    ] {
        let d = subsidy(
            Post {
                employer_kind: kind,
                ..post()
            },
            PovertyStatus::RemainingPoor,
        );
        assert_eq!(d.eligible, eligible, "{kind}");
    }
}

#[test]
fn a_post_held_by_someone_not_registered_poor_gets_no_subsidy() {
    assert_eq!(
        reasons(&subsidy(post(), PovertyStatus::None)),
        [post_subsidy::HOLDER_NOT_POOR]
    );
}

#[test]
fn zero_months_paid_is_eligible_for_zero_and_wages_round_once() {
    let zero = Post {
        months_paid: 0,
        ..post()
    };
    assert_eq!(paid(&subsidy(zero, PovertyStatus::Lifted)), "0.00");
    let tie = Post {
        monthly_wage: yuan("800.075"),
        months_paid: 1,
        ..post()
    };
    assert_eq!(paid(&subsidy(tie, PovertyStatus::Lifted)), "480.05");
    let seven = Post {
        monthly_wage: yuan("2345.67"),
        months_paid: 7,
        ..post()
    };
    assert_eq!(paid(&subsidy(seven, PovertyStatus::Lifted)), "9851.81");
}

// ---------------------------------------------------------------- parameters by date

#[test]
fn a_record_dated_before_a_parameters_history_is_decided_not_in_force_not_a_silent_zero() {
    let e = Enterprise {
        application_date: date("2014-12-31"),
        ..enterprise()
    };
    let engine = engine();
    let d = engine.ui_refund(&e, as_of()).unwrap();
    assert!(!d.is_eligible());
    assert_eq!(d.reason_codes().to_string(), "not_in_force");
    assert!(d.render(Lang::Zh).to_string().contains("政策未实施"));
}

#[test]
fn the_parameters_in_force_are_shown_with_their_source_notes() {
    let d = refund(Enterprise {
        prior_year_ui_paid: yuan("12345.675"),
        ..enterprise()
    });
    assert!(
        d.en.contains("rate = 0.6 (from 2020-01-25; S2 提高到60% (疫情防控期间))"),
        "{}",
        d.en
    );
}

#[test]
fn amounts_too_large_for_exact_arithmetic_are_an_error_not_a_rounding() {
    let e = Enterprise {
        hardship: true,
        deferral_months_requested: 6,
        monthly_pension_premium: yuan("79228162514264337593543950335"),
        ..enterprise()
    };
    let err = engine()
        .premium_deferral(&e, as_of())
        .unwrap_err()
        .to_string();
    assert!(err.contains("too large"), "{err}");
}
