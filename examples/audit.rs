//! Audit the public-welfare posts: R9 assistant-post quotas and R10 compliance (挂岗、替岗、
//! 一人多岗, wages 按月足额及时), and list the candidates for open assistant posts, priority
//! groups first.
//!
//! ```text
//! cargo run --release --example audit                       # the embedded sample, in Chinese
//! cargo run --release --example audit -- --lang en
//! cargo run --release --example audit -- --data DIR [--as-of 2020-04-01] [--out FILE] [--policy FILE] [--overlay FILE]...
//! ```
//!
//! With `--data`, reads the roster's CSVs from DIR and writes `findings.csv` (to FILE,
//! default `DIR/findings.csv`; its `detail`, the evidence, in `--lang`); without, writes
//! it only with `--out`. `--out FILE.xlsx`
//! writes a workbook: every finding with its evidence and clause, and the receipt.

#[path = "common/mod.rs"]
mod common;

use std::process::ExitCode;

use jiuye_fupin::report::Table;
use jiuye_fupin::rules::assistant_quota;
use jiuye_fupin::{Engine, Lang, io};

const USAGE: &str = "usage: audit [--lang zh|en] [--data DIR|FILE.xlsx]... [--as-of YYYY-MM-DD] [--out FILE.csv|FILE.xlsx] [--policy FILE] [--overlay FILE]... [--excel-bom] [--encoding auto|utf-8|gb18030] [--clerk-formats]";

fn main() -> ExitCode {
    common::main_with(|| {
        let args = common::parse_args(USAGE)?;
        let (lang, zh) = (args.lang, args.lang == Lang::Zh);
        let policy = common::policy(&args)?;
        // Folders that hold neither laborers.csv nor posts.csv give nothing to audit: an
        // error, not a clean bill (POLICY.md reading 13). Sources are audited together, so
        // one folder with either file is enough.
        if !args.data.is_empty() && args.data.iter().all(|d| d.is_dir()) {
            let nothing: Vec<io::InputError> = (args.data.iter())
                .filter_map(|d| io::audited_files(d).err())
                .filter(|e| {
                    matches!(
                        e,
                        io::InputError::Folder {
                            problem: io::FolderProblem::NothingToAudit,
                            ..
                        }
                    )
                })
                .collect();
            if nothing.len() == args.data.len() {
                if let Some(e) = nothing.first() {
                    return Err(e.render(lang));
                }
            }
        }
        let roster = common::roster(&args)?;
        let engine = Engine::new(&policy);
        let findings = engine.audit(&roster, args.as_of);
        let mut table = Table::new(if zh {
            ["规则", "问题", "对象", "人员", "月份", "证据"]
        } else {
            ["rule", "finding", "subject", "person", "month", "evidence"]
        });
        for f in &findings {
            table.row([
                f.kind.rule().to_owned(),
                f.kind.name(lang).to_owned(),
                f.subject_id.clone(),
                f.person_id.clone().unwrap_or_default(),
                f.month.map(|m| m.to_string()).unwrap_or_default(),
                f.evidence.render(lang).to_string(),
            ]);
        }
        common::outln!(
            "{} ({} {}): {} {}\n",
            if zh {
                "公益性岗位督查"
            } else {
                "Public-welfare post audit"
            },
            if zh { "截至" } else { "as of" },
            args.as_of,
            findings.len(),
            if zh { "项问题" } else { "findings" }
        );
        common::outln!("{table}");
        let not_audited = engine.not_audited(&roster, args.as_of);
        for n in &not_audited {
            common::outln!("{}", n.render(lang));
        }
        // The clauses the audits apply, as the policy states them.
        let post_compliance = jiuye_fupin::rules::post_compliance::TABLE;
        for name in [assistant_quota::TABLE, post_compliance] {
            if let Some(c) = policy.table(name).and_then(|t| t.citation()) {
                common::outln!("{} {c}", if zh { "依据" } else { "per" });
            }
        }

        let mut list = Table::new(if zh {
            ["序号", "人员", "姓名", "镇", "村", "重点人群"]
        } else {
            ["#", "laborer", "name", "town", "village", "priority group"]
        });
        let candidates = assistant_quota::candidates(&roster);
        for (i, l) in candidates.iter().enumerate() {
            list.row([
                (i + 1).to_string(),
                l.id.clone(),
                l.name.clone().unwrap_or_default(),
                l.town.clone(),
                l.village.clone(),
                assistant_quota::priority_groups(l, lang),
            ]);
        }
        common::outln!(
            "\n{}\n",
            if zh {
                "疫情防控协管员岗位候选人 (重点人群优先):"
            } else {
                "Candidates for epidemic-assistant posts (priority groups first):"
            }
        );
        common::outln!("{list}");

        let out = args
            .out
            .clone()
            .or_else(|| common::default_out(&args, io::files::FINDINGS));
        if let Some(path) = out {
            let mut receipt = jiuye_fupin::receipt::Receipt::new(&policy, args.as_of);
            if common::is_xlsx(&path) {
                common::workbook_receipt(&path, &mut receipt, &common::input_paths(&args))?;
                let bytes = jiuye_fupin::xlsx::findings(
                    &findings,
                    &not_audited,
                    &candidates,
                    &receipt,
                    lang,
                )
                .map_err(|e| common::cannot_make(&path, &e))?;
                common::write_bytes(&path, &bytes)?;
            } else {
                common::write_file(&path, |w| {
                    common::bom(args.excel_bom, w, &path)?;
                    io::write_findings_in(w, &findings, lang)
                        .map_err(|e| common::cannot_write(&path, &e))
                })?;
            }
            common::write_receipt(&path, receipt, &common::input_paths(&args))?;
            common::outln!("→ {}", path.display());
        }
        Ok(())
    })
}
