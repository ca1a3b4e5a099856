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
