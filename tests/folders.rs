//! The data folder (POLICY.md reading 13) and the bounds of a batch run's options: an input
//! that is not found, or a number out of bounds, is an error naming it, never an empty
//! success or a panic.

use std::path::PathBuf;

use jiuye_fupin::batch::{self, BatchError, Inputs, Options};
use jiuye_fupin::io::{FolderProblem, InputError, audited_files, data_files, read_roster_dir};
use jiuye_fupin::{Lang, Policy, sample};

/// A fresh folder under the system's temporary one.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jiuye-fupin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn problem(e: InputError) -> FolderProblem {
    match e {
        InputError::Folder { problem, .. } => problem,
        other => panic!("not a folder problem: {other}"),
    }
}

/// The folder problem of `e`, once its English says `en` and its Chinese `zh`.
fn says(e: InputError, en: &str, zh: &str) -> FolderProblem {
    let (in_en, in_zh) = (e.render(Lang::En), e.render(Lang::Zh));
    assert!(
        in_en.contains(en) && in_zh.contains(zh),
        "{in_en} / {in_zh}"
    );
    problem(e)
}

#[test]
fn a_missing_folder_a_file_and_an_empty_folder_are_errors() {
    let missing = std::env::temp_dir().join("jiuye-fupin-no-such-folder");
    assert_eq!(
        problem(data_files(&missing).unwrap_err()),
        FolderProblem::Missing
    );
    let dir = folder("file");
    let file = dir.join("x.txt");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(
        problem(data_files(&file).unwrap_err()),
        FolderProblem::NotAFolder
    );
    let empty = folder("empty");
    assert_eq!(
        problem(data_files(&empty).unwrap_err()),
        FolderProblem::NoFiles
    );
    // The same through every door: the reader, the stream, in both languages.
    let e = read_roster_dir(&empty).unwrap_err();
    assert!(
        e.render(Lang::Zh).contains("其中没有以下任何文件"),
        "{}",
        e.render(Lang::Zh)
    );
    assert!(Inputs::dir(&missing).is_err());
}

#[test]
fn a_name_that_differs_only_in_case_is_an_error_naming_both() {
    let dir = folder("case");
    std::fs::write(dir.join("Laborers.csv"), sample::LABORERS_CSV).unwrap();
    let e = data_files(&dir).unwrap_err().to_string();
    assert!(
        e.contains("\"Laborers.csv\"") && e.contains("\"laborers.csv\""),
        "{e}"
    );
}

#[test]
fn an_expected_name_that_is_not_a_regular_file_is_an_error() {
    let dir = folder("notfile");
    std::fs::create_dir(dir.join("laborers.csv")).unwrap();
    assert_eq!(
        problem(data_files(&dir).unwrap_err()),
        FolderProblem::NotAFile {
            name: "laborers.csv"
        }
    );
    #[cfg(unix)]
    {
        let dir = folder("dangling");
        std::os::unix::fs::symlink(dir.join("nowhere.csv"), dir.join("posts.csv")).unwrap();
        assert_eq!(
            problem(data_files(&dir).unwrap_err()),
            FolderProblem::NotAFile { name: "posts.csv" }
        );
    }
}

#[test]
fn a_folder_with_one_file_is_read() {
    let dir = folder("one");
    std::fs::write(dir.join("enterprises.csv"), sample::ENTERPRISES_CSV).unwrap();
    let [l, e, ..] = data_files(&dir).unwrap();
    assert!(l.is_none() && e.is_some());
    assert_eq!(
        read_roster_dir(&dir).unwrap().enterprises().len(),
        sample::roster().enterprises().len()
    );
}

#[test]
fn a_folder_without_laborers_or_posts_is_nothing_to_audit_not_a_clean_bill() {
    // `audit --data` of a folder holding enterprises.csv alone reported 0 findings.
    let dir = folder("nothing-to-audit");
    std::fs::write(dir.join("enterprises.csv"), sample::ENTERPRISES_CSV).unwrap();
    let e = audited_files(&dir).unwrap_err();
    let nothing = says(e, "nothing to audit", "没有可审核的对象");
    assert_eq!(nothing, FolderProblem::NothingToAudit);
    // posts.csv (or laborers.csv) alone is something to audit.
    std::fs::write(dir.join("posts.csv"), sample::POSTS_CSV).unwrap();
    assert!(audited_files(&dir).is_ok());
}

#[test]
fn post_months_alone_is_nothing_to_decide_not_an_empty_success() {
    let dir = folder("post-months-alone");
    std::fs::write(
        dir.join("post_months.csv"),
        "post_id,month,days_worked,signed_by,wage_paid,paid_on\nQ1,2020-02,20,P1,1000,2020-03-15\n",
    )
    .unwrap();
    // The folder is one (the audit reads it), but a payout run has nothing to decide.
    assert!(data_files(&dir).is_ok());
    let e = Inputs::dir(&dir).unwrap_err();
    let expected = FolderProblem::NothingToDecide;
    assert_eq!(says(e, "nothing to decide", "没有可决定的对象"), expected);
    std::fs::write(
        dir.join("startup_centers.csv"),
        "id,name,level,town,year,claimed_rent,claimed_utilities\n",
    )
    .unwrap();
    assert!(Inputs::dir(&dir).is_ok());
}

#[test]
fn options_out_of_bounds_are_errors_not_panics() {
    let inputs = Inputs::bytes(Some(sample::LABORERS_CSV.as_bytes()), None, None);
    for options in [
        Options::default().threads(usize::MAX),
        Options::default().threads(20_000),
        Options::default().chunk_bytes(usize::MAX),
        Options::default().chunk_bytes(4_000_000 * 1024),
    ] {
        let r = batch::run(
            &inputs,
            &Policy::yang_county_2020(),
            "2020-04-01".parse().unwrap(),
            Vec::new(),
            &options,
        );
        assert!(matches!(r, Err(BatchError::Options(_))), "{options:?}");
    }
}
