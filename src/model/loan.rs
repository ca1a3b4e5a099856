use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Yuan;

/// An application for a guaranteed business loan (创业担保贷款), one row of
/// `loan_applications.csv`: the subject of R4. The applicant is a laborer of the roster.
///
/// ```
/// use jiuye_fupin::model::LoanApplication;
/// use jiuye_fupin::money::Yuan;
/// let a = LoanApplication {
///     meets_guarantee_conditions: true,
///     business_started: true,
///     requested_amount: Yuan::parse("180000")?,
///     ..LoanApplication::new("L0000001")
/// };
/// assert_eq!(a.laborer_id, "L0000001");
/// # Ok::<(), jiuye_fupin::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanApplication {
    /// The applicant (an id of the roster's laborers); one application per laborer.
    pub laborer_id: String,
    /// Meets the guaranteed-loan conditions (符合创业担保政策规定), as the lending office says.
    pub meets_guarantee_conditions: bool,
    /// Has started a business (成功创业).
    pub business_started: bool,
    /// Amount requested.
    pub requested_amount: Yuan,
    /// Application date; selects R4's parameters (empty: the as-of date).
    pub application_date: Option<NaiveDate>,
}

impl LoanApplication {
    /// An application by this laborer with every other field empty or zero.
    pub fn new(laborer_id: impl Into<String>) -> LoanApplication {
        LoanApplication {
            laborer_id: laborer_id.into(),
            ..LoanApplication::default()
        }
    }
}
