//! Evaluating a generated 100,000-laborer roster (1,000 enterprises, 2,000 posts): a
//! baseline for later work. Run with `cargo bench --bench evaluate`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiuye_fupin::model::{
    EmployerKind, Enterprise, Laborer, Post, PostKind, PovertyStatus, WorkDestination,
};
use jiuye_fupin::money::Yuan;
use jiuye_fupin::{Engine, Policy, Roster, io};

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

fn bench(c: &mut Criterion) {
    let roster = roster(100_000);
    let as_of = NaiveDate::from_ymd_opt(2020, 4, 1).unwrap();
    let policy = Policy::yang_county_2020();
    let decisions =
        3 * roster.laborers().len() + 2 * roster.enterprises().len() + roster.posts().len();
    let mut g = c.benchmark_group("roster_100k");
    g.throughput(Throughput::Elements(decisions as u64));
    g.sample_size(20);
    for (name, explain) in [("evaluate_explained", true), ("evaluate_plain", false)] {
        let engine = Engine::new(&policy).explain(explain);
        g.bench_function(name, |b| {
            b.iter(|| black_box(engine.evaluate(black_box(&roster), as_of).unwrap().totals))
        });
    }
    let engine = Engine::new(&policy).explain(false);
    g.bench_function("evaluate_and_write_payouts_csv", |b| {
        b.iter(|| {
            io::write_payouts(std::io::sink(), engine.decisions(black_box(&roster), as_of)).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
