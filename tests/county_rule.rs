//! A county's own program, defined outside the crate (`examples/county_rule/rule.rs`), seen
//! everywhere a built-in one is: payouts (in memory and streamed), totals, the ledger, a
//! reform's comparison and a scenario file; and held to the testing kit's invariants.

mod common;
#[path = "../examples/county_rule/rule.rs"]
#[allow(dead_code)]
mod rule;

use common::{as_of, fixture};
use jiuye_fupin::batch::{self, Inputs, Options};
use jiuye_fupin::compare::compare;
use jiuye_fupin::ledger::Ledger;
use jiuye_fupin::model::{Laborer, PovertyStatus};
use jiuye_fupin::reform::Reform;
use jiuye_fupin::rules::Rule;
use jiuye_fupin::scenario::Runner;
use jiuye_fupin::testing::{
    self, at_most, identity_reform_changes_nothing, monotone_in, well_formed,
};
use jiuye_fupin::{Engine, Policy, Program, RuleSet, Yuan, io, sample};
use proptest::prelude::*;
use rule::JobSeekingSubsidy;

fn rules() -> RuleSet {
    RuleSet::yang_county_2020().with(JobSeekingSubsidy).unwrap()
}

fn policy() -> Policy {
    Policy::load_with(&rules(), rule::POLICY).unwrap()
}

fn program() -> Program {
    JobSeekingSubsidy.program()
}

fn member(id: &str) -> Laborer {
    Laborer {
        poverty_status: PovertyStatus::Lifted,
        zero_employment_household: true,
        able_to_work: true,
        willing_to_work: true,
        ..Laborer::new(id)
    }
}

#[test]
fn the_county_program_is_decided_with_its_own_parameters_and_citation() {
    let policy = policy();
    let engine = Engine::new(&policy);
    let l1 = member("L1");
    let d = engine.decide(program(), &l1, as_of()).unwrap();
    assert_eq!(d.amount().to_string(), "1000.00");
    let text = d.render(jiuye_fupin::Lang::Zh).to_string();
    assert!(
        text.contains("对零就业家庭中的贫困劳动力给予一次性求职创业补贴1000元"),
        "{text}"
    );
    assert!(text.contains("county notice: 一次性1000元"), "{text}");
    let d = engine
        .decide(program(), &l1, "2020-01-31".parse().unwrap())
        .unwrap();
    assert_eq!(d.reason_codes().to_string(), "not_in_force");
    let nobody = Laborer::new("L2");
    let d = engine.decide(program(), &nobody, as_of()).unwrap();
    assert_eq!(
        d.reason_codes().to_string(),
        "not_poor;not_zero_employment_household;not_seeking_work"
    );
}

#[test]
fn streamed_and_in_memory_payouts_agree_and_keep_the_built_in_rows() {
    let policy = policy();
    let dir = fixture("n10000");
    let mut streamed = Vec::new();
    let totals = batch::run(
        &Inputs::dir(&dir).unwrap(),
        &policy,
        as_of(),
        &mut streamed,
        &Options::default(),
    )
    .unwrap();
    let roster = io::read_roster_dir(&dir).unwrap();
    let engine = Engine::new(&policy).explain(false);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let mut in_memory = Vec::new();
    io::write_payouts(&mut in_memory, eval.decisions.iter().cloned().map(Ok)).unwrap();
    assert_eq!(
        String::from_utf8(streamed.clone()).unwrap(),
        String::from_utf8(in_memory).unwrap()
    );
    assert_eq!(totals, eval.totals);
    let t = totals.get(program()).unwrap();
    assert_eq!(t.subjects, 10_000);
    // The built-in rows, unchanged, with the county's rows after R3 for each laborer.
    let text = String::from_utf8(streamed).unwrap();
    let builtin: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("job_seeking_subsidy,"))
        .collect();
    let mut yang = Vec::new();
    batch::run(
        &Inputs::dir(&dir).unwrap(),
        &Policy::yang_county_2020(),
        as_of(),
        &mut yang,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        builtin,
        String::from_utf8(yang).unwrap().lines().collect::<Vec<_>>()
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[3].starts_with("startup_grant,L0000001,")
            && lines[4].starts_with("job_seeking_subsidy,L0000001,")
    );
}

#[test]
fn the_ledger_and_a_reform_comparison_count_the_county_program() {
    let policy = policy();
    let roster = sample::roster();
    let engine = Engine::new(&policy);
    let ledger = Ledger::build(&engine, &roster, as_of()).unwrap();
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    assert_eq!(ledger.totals, eval.totals);
    assert!(ledger.totals.get(program()).is_some());
    let raised = Reform::new("grant 1200")
        .change(
            "job_seeking_subsidy.grant",
            "2020-03-01".parse().unwrap(),
            "1200.00",
        )
        .apply(&policy)
        .unwrap();
    let cmp = compare(&policy, &raised, &roster, as_of()).unwrap();
    assert!(cmp.changed.iter().all(|c| c.program == program()));
    let eligible = eval.totals.get(program()).unwrap().eligible;
    assert_eq!(cmp.changed.len() as u64, eligible);
    // Repealed from 2020-03-01 by the county's policy file: decided `not_in_force` then.
    let repealed = policy
        .with_overlay_str(
            "[job_seeking_subsidy]\nin_effect = [{ effective_from = \"2020-02-01\", value = true }, { effective_from = \"2020-03-01\", value = false }]\n",
        )
        .unwrap();
    let (engine, l1) = (Engine::new(&repealed), member("L1"));
    let d = engine.decide(program(), &l1, as_of()).unwrap();
    assert_eq!(d.reason_codes().to_string(), "not_in_force");
    // Not run at all: no rows, no totals.
    let off = policy
        .with_overlay_str("[job_seeking_subsidy]\nenabled = false\n")
        .unwrap();
    let engine = Engine::new(&off);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    assert!(eval.decisions.iter().all(|d| d.program != program()));
    assert!(eval.totals.get(program()).is_none());
}

#[test]
fn a_scenario_file_states_what_the_county_program_decides() {
    let text = "[[case]]\nname = \"零就业家庭成员\"\n[[case.laborer]]\nid = \"L1\"\npoverty_status = \"lifted\"\nzero_employment_household = true\nable_to_work = true\nwilling_to_work = true\n[[case.expect]]\nprogram = \"job_seeking_subsidy\"\nsubject = \"L1\"\namount = \"1000.00\"\n";
    let report = Runner::new()
        .with_base(policy())
        .run_str(text, "county.toml")
        .unwrap();
    assert!(report.passed(), "{report:?}");
}

/// A scenario file that names the county's own policy file (`policy_file`) reads it against
/// the runner's rule set: it was read against the built-in rules alone, so the county's
/// table was refused as unknown and no scenario of its program could name its file.
#[test]
fn a_scenario_files_policy_file_is_read_with_the_county_rule() {
    let dir = std::env::temp_dir().join(format!("county-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("c1.toml");
    let text = format!(
        "policy_file = {:?}\n[[case]]\nname = \"零就业家庭成员\"\n[[case.laborer]]\nid = \"L1\"\npoverty_status = \"lifted\"\nzero_employment_household = true\nable_to_work = true\nwilling_to_work = true\n[[case.expect]]\nprogram = \"job_seeking_subsidy\"\nsubject = \"L1\"\namount = \"1000.00\"\n",
        rule::POLICY
    );
    std::fs::write(&file, text).unwrap();
    let report = Runner::new().with_base(policy()).run_path(&file);
    std::fs::remove_dir_all(&dir).unwrap();
    let report = report.unwrap();
    assert!(report.passed(), "{report:?}");
}

/// A county's policy file read without its rule (the shipped tools' built-in rules): the
/// error names the county table's line; it named line 1, column 1, whatever the file.
#[test]
fn an_unknown_table_is_named_at_its_line() {
    let e = Policy::load(rule::POLICY).unwrap_err();
    let text = std::fs::read_to_string(rule::POLICY).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l == "[job_seeking_subsidy]")
        .unwrap();
    let en = e.render(jiuye_fupin::Lang::En);
    assert!(
        en.contains("unknown rule table `job_seeking_subsidy`"),
        "{en}"
    );
    assert!(
        en.contains(&format!("at line {line}, column 1")),
        "not at the table's line {line}: {en}"
    );
    let zh = e.render(jiuye_fupin::Lang::Zh);
    assert!(zh.contains(&format!("第 {line} 行")), "{zh}");
}

/// A rule declaring a parameter named like a key every table has (`enabled`, `in_effect`,
/// `citation`), or the same name twice, is refused when registered: its table could never
/// state the value (`enabled = [...]` is read as the table's flag). So is a rule coded like
/// a key of the file itself (`name`, `source`).
#[test]
fn a_rule_parameter_named_like_a_table_key_is_refused() {
    use jiuye_fupin::calc::Calc;
    use jiuye_fupin::decision::ProgramDef;
    use jiuye_fupin::rules::{Facts, Param, ParamError, ParamSpec, Values};
    use jiuye_fupin::ruleset::RuleSetError;
    struct Odd(&'static str, &'static str, Program);
    impl Rule for Odd {
        type Subject = Laborer;
        type Params = ();
        fn program(&self) -> Program {
            self.2
        }
        fn parameters(&self) -> Vec<ParamSpec> {
            vec![
                Param::<bool>::required(self.0).spec(),
                Param::<bool>::required(self.1).spec(),
            ]
        }
        fn params(&self, _: &Values<'_>) -> Result<(), ParamError> {
            Ok(())
        }
        fn date(&self, _: &Laborer, as_of: chrono::NaiveDate) -> chrono::NaiveDate {
            as_of
        }
        fn unmet(
            &self,
            _: &Laborer,
            _: &Facts,
            _: chrono::NaiveDate,
            _: &(),
            _: &mut jiuye_fupin::decision::Reasons,
        ) {
        }
        fn amount<C: Calc>(&self, _: &Laborer, _: &Facts, _: &(), c: &mut C) -> C::V {
            c.money(jiuye_fupin::decision::Term::AMOUNT, Yuan::ZERO)
        }
    }
    for (a, b, bad) in [
        ("enabled", "pay", "enabled"),
        ("pay", "citation", "citation"),
        ("in_effect", "pay", "in_effect"),
        ("pay", "pay", "pay"),
    ] {
        let e = RuleSet::yang_county_2020()
            .with(Odd(a, b, JobSeekingSubsidy.program()))
            .err();
        assert_eq!(
            e,
            Some(RuleSetError::Parameter {
                program: "job_seeking_subsidy",
                parameter: bad
            })
        );
    }
    let fine = Odd("pay", "flag", JobSeekingSubsidy.program());
    assert!(RuleSet::yang_county_2020().with(fine).is_ok());

    // A program coded like a key of the policy file itself (`name`, `source`): its table
    // could never be stated (`[name]` is read as the policy's name).
    static NAME: ProgramDef = coded("name");
    static SOURCE: ProgramDef = coded("source");
    const fn coded(code: &'static str) -> ProgramDef {
        ProgramDef {
            code,
            name_zh: "补贴",
            name_en: "subsidy",
            kind: jiuye_fupin::ProgramKind::Payout,
            subject: jiuye_fupin::SubjectKind::Laborer,
            reasons: &[],
            rule: "C9",
        }
    }
    for (def, code) in [(&NAME, "name"), (&SOURCE, "source")] {
        let e = RuleSet::yang_county_2020()
            .with(Odd("pay", "flag", Program::new(def)))
            .err();
        assert_eq!(e, Some(RuleSetError::Reserved(code)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_county_program_holds_the_kits_invariants(l in testing::laborer(), r in testing::roster()) {
        let policy = policy();
        let engine = Engine::new(&policy);
        let d = engine.decide(program(), &l, as_of()).unwrap();
        well_formed(&d)?;
        at_most(&d, Yuan::parse("1000").unwrap())?;
        monotone_in(&policy, program(), "job_seeking_subsidy.grant", "2020-02-01".parse().unwrap(), "1500.00", &r, as_of())?;
        identity_reform_changes_nothing(&policy, &r, as_of())?;
    }
}
