//! The clauses are the article's: every citation of the Yang County preset quotes
//! `tests/fixtures/yangxian-2020.txt` (a copy of the source article) verbatim, inside the
//! paragraph it names, and every decision and finding carries its policy's citation.

use jiuye_fupin::rules::{assistant_quota, post_compliance};
use jiuye_fupin::{Engine, Policy, sample};

const ARTICLE: &str = include_str!("fixtures/yangxian-2020.txt");

/// The article's paragraphs S1, S2, S3: each from its heading to the next.
fn paragraphs() -> Vec<(&'static str, &'static str)> {
    let headings = ["有序引导复工返岗", "因势顺导复产转产", "科学指导适度设岗"];
    let starts: Vec<usize> = headings
        .iter()
        .map(|h| ARTICLE.find(h).expect("heading in the article"))
        .collect();
    (0..3)
        .map(|i| {
            let end = starts.get(i + 1).copied().unwrap_or(ARTICLE.len());
            (headings[i], &ARTICLE[starts[i]..end])
        })
        .collect()
}

#[test]
fn every_clause_of_the_preset_is_the_articles_verbatim_in_its_paragraph() {
    let policy = Policy::yang_county_2020();
    let paragraphs = paragraphs();
    let mut tables: Vec<&str> = policy.rules().programs().map(|p| p.code()).collect();
    tables.extend([assistant_quota::TABLE, post_compliance::TABLE]);
    assert_eq!(tables.len(), 10, "R1 to R10");
    for (i, name) in tables.iter().enumerate() {
        let c = policy.table(name).and_then(|t| t.citation()).expect(name);
        assert_eq!(c.rule, format!("R{}", i + 1), "{name}");
        let (number, heading) = c.paragraph.split_once(' ').expect("S<n> heading");
        let k: usize = number
            .strip_prefix('S')
            .and_then(|n| n.parse().ok())
            .expect(number);
        let (want, text) = paragraphs[k - 1];
        assert_eq!(heading, want, "{name}: the paragraph's heading");
        assert!(
            text.contains(&*c.clause),
            "{name}: not verbatim in {number}: {}",
            c.clause
        );
    }
}

#[test]
fn decisions_and_findings_carry_the_policys_citation_and_none_of_their_own() {
    let yang = Policy::yang_county_2020();
    let other = Policy::load("policies/example-county.toml").unwrap();
    let roster = sample::roster();
    let as_of = "2020-04-01".parse().unwrap();
    for policy in [&yang, &other] {
        let engine = Engine::new(policy);
        let eval = engine.evaluate(&roster, as_of).unwrap();
        assert!(!eval.decisions.is_empty());
        for d in &eval.decisions {
            let table = policy.table(d.program.code()).unwrap();
            assert_eq!(Some(d.citation), table.citation(), "{}", d.program);
        }
        let findings = engine.audit(&roster, as_of);
        assert!(!findings.is_empty());
        for f in &findings {
            let name = match f.kind.rule() {
                "R9" => assistant_quota::TABLE,
                _ => post_compliance::TABLE,
            };
            assert_eq!(Some(&f.citation), policy.table(name).unwrap().citation());
        }
    }
    // Another county's decisions never quote Yang County's article.
    let engine = Engine::new(&other);
    let eval = engine.evaluate(&roster, as_of).unwrap();
    assert!(
        eval.decisions
            .iter()
            .all(|d| !ARTICLE.contains(&*d.citation.clause))
    );
}
