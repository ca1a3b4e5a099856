//! Throughput on a generated 100,000-laborer roster (1,000 enterprises, 2,000 posts; shaped
//! like `gen_roster.py`'s mix): decisions per second on one core, per program and for all
//! of them, with and without explanation steps; and CSV bytes in → payouts.csv bytes out.
//! Run with `cargo bench --bench evaluate` (whole-process comparisons with the baselines:
//! `benches/compare.sh`).

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

use jiuye_fupin::model::{
    EmployerKind, Enterprise, Laborer, Post, PostKind, PovertyStatus, WorkDestination,
};
use jiuye_fupin::money::Yuan;
use jiuye_fupin::{Engine, Policy, Program, Roster, RuleSet, batch, io};

/// The county's own program, as the `county_rule` example declares it: a plug-in rule from
/// outside the crate.
#[path = "../examples/county_rule/rule.rs"]
#[allow(dead_code)]
mod county_rule;

/// A small deterministic generator (xorshift), shaped like `gen_roster.py`'s mix.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn date(&mut self) -> Option<NaiveDate> {
        let start = NaiveDate::from_ymd_opt(2019, 11, 1)?;
        (!self.chance(15)).then(|| start + chrono::Days::new(self.below(517)))
    }
    fn money(&mut self, lo: u64, hi: u64) -> Yuan {
        let milli = lo * 1000 + self.below((hi - lo) * 1000);
        Yuan::new(rust_decimal::Decimal::new(milli as i64, 3)).unwrap()
    }
}

fn roster(laborers: usize) -> Roster {
    let mut rng = Rng(20_200_125);
    let ls: Vec<Laborer> = (0..laborers)
        .map(|i| {
            let poverty_status = match rng.below(100) {
                0..3 => PovertyStatus::RemainingPoor,
                3..58 => PovertyStatus::Lifted,
                _ => PovertyStatus::None,
            };
            let out = rng.chance(40);
            Laborer {
                household_id: format!("H{:07}", i / 3),
                poverty_status,
                able_to_work: rng.chance(80),
                work_destination: if out {
                    WorkDestination::OutOfCounty
                } else {
                    WorkDestination::InCounty
                },
                departure_date: rng.date(),
                transport_cost: (out && rng.chance(95)).then(|| rng.money(30, 1200)),
                isolation_days: if rng.chance(8) {
                    1 + rng.below(14) as u32
                } else {
                    0
                },
                isolation_start: rng.date(),
                fresh_graduate: rng.chance(2),
                opened_store_in_county: rng.chance(2),
                store_opened_date: rng.date(),
                ..Laborer::new(format!("L{i:07}"))
            }
        })
        .collect();
    let es: Vec<Enterprise> = (0..laborers / 100)
        .map(|i| {
            let head = 3 + rng.below(800) as u32;
            Enterprise {
                ui_insured: rng.chance(90),
                ui_insured_months: rng.below(120) as u32,
                prior_year_ui_paid: rng.money(1000, 2_000_000),
                insured_headcount: head,
                layoffs: rng.below(u64::from(head) / 5 + 1) as u32,
                hardship: rng.chance(40),
                deferral_months_requested: rng.below(10) as u32,
                monthly_pension_premium: rng.money(1000, 400_000),
                monthly_unemployment_premium: rng.money(10, 12_000),
                monthly_injury_premium: rng.money(10, 40_000),
                application_date: rng.date(),
                ..Enterprise::new(format!("E{i:06}"))
            }
        })
        .collect();
    let kinds = [
        EmployerKind::TownOffice,
        EmployerKind::School,
        EmployerKind::HealthCenter,
        EmployerKind::Village,
        EmployerKind::Other,
    ];
    let ps: Vec<Post> = (0..laborers / 50)
        .map(|i| Post {
            employer_kind: kinds[rng.below(5) as usize],
            post_kind: if rng.chance(40) {
                PostKind::EpidemicAssistant
            } else {
                PostKind::PublicWelfare
            },
            holder_id: format!("L{:07}", rng.below(laborers as u64)),
            monthly_wage: rng.money(800, 3000),
            months_paid: rng.below(13) as u32,
            ..Post::new(format!("P{i:07}"))
        })
        .collect();
    Roster::new(ls, es, ps).unwrap()
}

/// The roster as the three interchange files (POLICY.md's columns, in order).
fn csv_files(roster: &Roster) -> [String; 3] {
    use std::fmt::Write as _;
    let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut l = jiuye_fupin::io::LABORER_COLUMNS.join(",") + "\n";
    for x in roster.laborers() {
        let _ = writeln!(
            l,
            "{},{},洋州街道,东坝村,{},{},true,{},false,false,{},{},{},{},{},{},{}",
            x.id,
            x.household_id,
            x.poverty_status,
            x.able_to_work,
            x.fresh_graduate,
            x.work_destination,
            opt(x.departure_date),
            x.transport_cost.map(|c| c.to_string()).unwrap_or_default(),
            opt(x.isolation_start),
            x.isolation_days,
            x.opened_store_in_county,
            opt(x.store_opened_date),
        );
    }
    let mut e = jiuye_fupin::io::ENTERPRISE_COLUMNS.join(",") + "\n";
    for x in roster.enterprises() {
        let _ = writeln!(
            e,
            "{},洋县朱鹮社区工厂,洋州街道,other,{},{},{},{},{},{},{},{},{},{},{}",
            x.id,
            x.ui_insured,
            x.ui_insured_months,
            x.prior_year_ui_paid,
            x.insured_headcount,
            x.layoffs,
            x.hardship,
            x.deferral_months_requested,
            x.monthly_pension_premium,
            x.monthly_unemployment_premium,
            x.monthly_injury_premium,
            opt(x.application_date),
        );
    }
    let mut p = jiuye_fupin::io::POST_COLUMNS.join(",") + "\n";
    for x in roster.posts() {
        let _ = writeln!(
            p,
            "{},{},单位,洋州街道,,{},{},{},{}",
            x.id, x.employer_kind, x.post_kind, x.holder_id, x.monthly_wage, x.months_paid,
        );
    }
    [l, e, p]
}

/// In-memory evaluation, one core: every program alone and all together, with and without
/// explanation steps (throughput in decisions).
fn evaluate(c: &mut Criterion) {
    let roster = roster(100_000);
    let as_of = NaiveDate::from_ymd_opt(2020, 4, 1).unwrap();
    let policy = Policy::yang_county_2020();
    let decisions =
        3 * roster.laborers().len() + 2 * roster.enterprises().len() + roster.posts().len();
    let rules = RuleSet::yang_county_2020()
        .with(county_rule::JobSeekingSubsidy)
        .unwrap();
    let county = Policy::load_with(&rules, county_rule::POLICY).unwrap();
    for (steps, explain) in [("plain", false), ("explained", true)] {
        let engine = Engine::new(&policy).explain(explain);
        let county_engine = Engine::new(&county).explain(explain);
        let mut g = c.benchmark_group(format!("decide_{steps}"));
        g.sample_size(20);
        g.throughput(Throughput::Elements(decisions as u64));
        g.bench_function("all_programs_streamed", |b| {
            b.iter(|| {
                let mut totals = engine.empty_totals();
                engine
                    .for_each(black_box(&roster), as_of, |_, d| {
                        totals.add(&d).unwrap();
                        Ok(())
                    })
                    .unwrap();
                totals
            })
        });
        g.bench_function("all_programs_evaluate_collected", |b| {
            b.iter(|| black_box(engine.evaluate(black_box(&roster), as_of).unwrap().totals))
        });
        let (ls, es) = (roster.laborers(), roster.enterprises());
        g.throughput(Throughput::Elements(ls.len() as u64));
        // One program on every laborer: a built-in rule, or the county's plug-in rule
        // (examples/county_rule/rule.rs) decided by an engine of its rule set.
        let per_laborer = |g: &mut BenchmarkGroup<'_, WallTime>, name, engine: &Engine, program| {
            g.bench_function(name, |b| {
                b.iter(|| {
                    ls.iter()
                        .map(|l| engine.decide(program, l, as_of).unwrap().is_eligible() as u32)
                        .sum::<u32>()
                })
            });
        };
        use jiuye_fupin::rules::{isolation, startup_grant, transport};
        per_laborer(&mut g, "r1_transport_subsidy", &engine, transport::PROGRAM);
        per_laborer(
            &mut g,
            "r2_isolation_allowance",
            &engine,
            isolation::PROGRAM,
        );
        per_laborer(&mut g, "r3_startup_grant", &engine, startup_grant::PROGRAM);
        per_laborer(
            &mut g,
            "plugin_job_seeking_subsidy",
            &county_engine,
            Program::new(&county_rule::DEF),
        );
        g.throughput(Throughput::Elements(es.len() as u64));
        g.bench_function("r5_ui_refund", |b| {
            b.iter(|| {
                es.iter()
                    .map(|e| {
                        engine
                            .decide(jiuye_fupin::rules::ui_refund::PROGRAM, e, as_of)
                            .unwrap()
                            .is_eligible() as u32
                    })
                    .sum::<u32>()
            })
        });
        g.bench_function("r6_premium_deferral", |b| {
            b.iter(|| {
                es.iter()
                    .map(|e| {
                        engine
                            .decide(jiuye_fupin::rules::premium_deferral::PROGRAM, e, as_of)
                            .unwrap()
                            .is_eligible() as u32
                    })
                    .sum::<u32>()
            })
        });
        g.throughput(Throughput::Elements(roster.posts().len() as u64));
        g.bench_function("r8_post_subsidy", |b| {
            b.iter(|| {
                roster
                    .posts_with_holders()
                    .map(|(p, h)| {
                        engine
                            .decide(
                                jiuye_fupin::rules::post_subsidy::PROGRAM,
                                (p, h.poverty_status()),
                                as_of,
                            )
                            .unwrap()
                            .is_eligible() as u32
                    })
                    .sum::<u32>()
            })
        });
        g.finish();
    }
}

/// CSV bytes in, payouts.csv bytes out: the streaming batch path on one thread and on every
/// core, and the in-memory path (read a `Roster`, evaluate, `write_payouts`).
fn parse_evaluate_write(c: &mut Criterion) {
    let roster = roster(100_000);
    let [l, e, p] = csv_files(&roster);
    let as_of = NaiveDate::from_ymd_opt(2020, 4, 1).unwrap();
    let policy = Policy::yang_county_2020();
    let decisions =
        3 * roster.laborers().len() + 2 * roster.enterprises().len() + roster.posts().len();
    let mut g = c.benchmark_group("csv_to_payouts_100k");
    g.sample_size(20);
    g.throughput(Throughput::Elements(decisions as u64));
    let inputs = batch::Inputs::bytes(Some(l.as_bytes()), Some(e.as_bytes()), Some(p.as_bytes()));
    let mut out = Vec::with_capacity(16 << 20);
    for threads in [1, 0] {
        let name = if threads == 1 {
            "batch_1_thread"
        } else {
            "batch_every_core"
        };
        let options = batch::Options::default().threads(threads);
        g.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                batch::run(&inputs, &policy, as_of, &mut out, &options).unwrap()
            })
        });
    }
    let engine = Engine::new(&policy).explain(false);
    g.bench_function("in_memory_roster_1_thread", |b| {
        b.iter(|| {
            out.clear();
            let r = io::parse_roster(Some(l.as_bytes()), Some(e.as_bytes()), Some(p.as_bytes()))
                .unwrap();
            let eval = engine.evaluate(&r, as_of).unwrap();
            io::write_payouts(&mut out, eval.decisions.into_iter().map(Ok)).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, evaluate, parse_evaluate_write);
criterion_main!(benches);
