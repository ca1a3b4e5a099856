//! The embedded Yang County sample roster: a few dozen realistic records that exercise every
//! rule, every reason for ineligibility and the boundaries (the files in `src/sample/`).
//!
//! ```
//! let roster = jiuye_fupin::sample::roster();
//! assert!(roster.laborers().iter().any(|l| l.name.is_some()));
//! ```

use crate::io::RosterFiles;
use crate::model::Roster;

/// `laborers.csv` of the sample (with an extra `name` column).
pub const LABORERS_CSV: &str = include_str!("sample/laborers.csv");
/// `enterprises.csv` of the sample.
pub const ENTERPRISES_CSV: &str = include_str!("sample/enterprises.csv");
/// `posts.csv` of the sample.
pub const POSTS_CSV: &str = include_str!("sample/posts.csv");
/// `loan_applications.csv` of the sample.
pub const LOAN_APPLICATIONS_CSV: &str = include_str!("sample/loan_applications.csv");
/// `startup_centers.csv` of the sample.
pub const STARTUP_CENTERS_CSV: &str = include_str!("sample/startup_centers.csv");
/// `post_months.csv` of the sample (one case of each R10 violation).
pub const POST_MONTHS_CSV: &str = include_str!("sample/post_months.csv");

/// The sample's six files, ready to read (or to have one replaced, as the fuzz targets do).
///
/// ```
/// let files = jiuye_fupin::sample::files();
/// assert!(files.laborers.is_some() && files.post_months.is_some());
/// ```
pub fn files() -> RosterFiles<'static> {
    RosterFiles {
        laborers: Some(LABORERS_CSV.as_bytes()),
        enterprises: Some(ENTERPRISES_CSV.as_bytes()),
        posts: Some(POSTS_CSV.as_bytes()),
        loan_applications: Some(LOAN_APPLICATIONS_CSV.as_bytes()),
        startup_centers: Some(STARTUP_CENTERS_CSV.as_bytes()),
        post_months: Some(POST_MONTHS_CSV.as_bytes()),
    }
}

/// The sample roster.
///
/// # Panics
/// Never: the embedded files are valid (a test reads them).
pub fn roster() -> Roster {
    #[allow(clippy::expect_used)] // constant embedded data, read by a unit test
    crate::io::parse_roster_files(&files()).expect("the embedded sample roster is valid")
}
